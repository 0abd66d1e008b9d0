"""EvolisPrinter against the simulator over a real TCP socket and a real pty (pyserial on
the slave path).  Each fault must surface as its typed error, and after a reset the
printer must be back in a known state."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from PIL import Image, ImageChops

from station.emulator.blanks import load_blank
from station.errors import StationError
from station.printer import simulator as S
from station.printer.base import CardPosition
from station.printer.errors import (
    CoverOpen,
    FeederEmpty,
    Jam,
    NoCardInside,
    PrinterOffline,
    PrinterRebooted,
    ProtocolError,
    RejectBoxFull,
    RibbonOut,
)
from station.printer.evolis import REPLIES, SETTINGS, EvolisPrinter, fault_for
from station.printer.panels import HEIGHT, WIDTH, PanelSet
from station.printer.simulator import MuteCard, PrinterSimulator, Where, sim_control

from .printer_helpers import FAST, serve


def panels() -> PanelSet:
    ymc = Image.new("RGB", (WIDTH, HEIGHT), "white")
    ymc.paste((200, 40, 10), (700, 90, 940, 390))
    k = Image.new("1", (WIDTH, HEIGHT), 255)
    k.paste(0, (80, 420, 600, 450))
    o = Image.new("1", (WIDTH, HEIGHT), 0)
    o.paste(255, (83, 189, 283, 378))
    return PanelSet(ymc, k, o)


def test_status_of_a_fresh_printer(printer: EvolisPrinter, sim: PrinterSimulator) -> None:
    st = printer.check_ready()
    assert st.position is CardPosition.NONE
    assert st.feeder_loaded and not st.cover_open and st.ribbon_left == 250
    assert st.serial == "SIM000001" and st.ready
    # open() applied the settings the station relies on
    assert sim.settings["Pem"] == "2" and sim.settings["Pneab"] == "E"
    assert sim.settings["Pneab.allow"] == "0" and sim.settings["Pcrm"] == "D"


def test_full_card_cycle_and_saved_panels(printer: EvolisPrinter, sim: PrinterSimulator) -> None:
    printer.to_contacts()
    assert printer.position() is CardPosition.CONTACT
    assert sim.chip_present is sim.cards[0].chip
    printer.print_panels(panels())
    # the chip left the contacts; ejection is blocked until we allow it
    assert sim.chip_present is None
    assert printer.position() is CardPosition.PRINT
    printer.eject()
    assert printer.position() is CardPosition.NONE
    assert printer.status().card_in_bezel
    assert sim.bezel is sim.cards[0] and sim.ribbon == 249
    assert sim.settings["Pneab.allow"] == "0"  # re-blocked after the eject
    # the simulator decoded exactly what the driver encoded
    out = sim.out_dir
    assert out is not None
    k = Image.open(out / "card-0001-k.png").convert("1")
    assert ImageChops.difference(k.convert("L"), panels().k.convert("L")).getbbox() is None
    o = Image.open(out / "card-0001-o.png").convert("1")
    assert ImageChops.difference(o.convert("L"), panels().o.convert("L")).getbbox() is None
    ymc = Image.open(out / "card-0001-ymc.png").convert("RGB")
    r, g, b = ymc.getpixel((800, 200))  # type: ignore[misc]
    assert abs(r - 200) <= 5 and abs(g - 40) <= 5 and abs(b - 10) <= 5
    assert ymc.getpixel((10, 10)) == (255, 255, 255)
    assert (out / "card-0001.png").is_file()


def test_trace_abbreviates_panel_data(printer: EvolisPrinter) -> None:
    printer.feed()
    printer.print_panels(panels())
    commands = printer.trace.commands()
    assert "Db;y;32;<411480 bytes>" in commands
    assert "Db;k;2;<82296 bytes>" in commands
    assert all(len(c) < 40 for c in commands)
    assert "Si" in commands and "Ss" in commands


def test_feeder_empty_at_card_n(printer: EvolisPrinter, sim: PrinterSimulator) -> None:
    assert sim_control(sim.url, "fault", "feeder-empty", "2") == "OK"
    printer.feed()
    printer.reject()
    with pytest.raises(FeederEmpty) as exc:
        printer.feed()
    assert "进卡箱" in exc.value.message
    assert printer.reset() is CardPosition.NONE
    with pytest.raises(FeederEmpty):
        printer.check_ready()
    sim_control(sim.url, "clear")  # the operator loads cards
    assert printer.check_ready().feeder_loaded


def test_jam_on_next_move_until_reset(printer: EvolisPrinter, sim: PrinterSimulator) -> None:
    printer.feed()
    sim_control(sim.url, "fault", "jam")
    with pytest.raises(Jam):
        printer.to_contacts()
    with pytest.raises(Jam):  # stays jammed until a reset
        printer.to_contacts()
    assert printer.reset() is CardPosition.PRINT
    printer.to_contacts()
    assert printer.position() is CardPosition.CONTACT
    printer.reject()
    assert printer.position() is CardPosition.NONE


def test_jam_while_feeding_leaves_card_at_print(
    printer: EvolisPrinter, sim: PrinterSimulator
) -> None:
    sim.inject("jam")
    with pytest.raises(Jam):
        printer.feed()
    assert printer.reset() is CardPosition.PRINT
    assert sim.state().jammed is False


def test_ribbon_ends_mid_print(printer: EvolisPrinter, sim: PrinterSimulator) -> None:
    printer.feed()
    sim_control(sim.url, "fault", "ribbon-end", "3")  # during the C panel
    with pytest.raises(RibbonOut):
        printer.print_panels(panels())
    assert printer.reset() is CardPosition.PRINT
    assert printer.status().ribbon_left == 0
    with pytest.raises(RibbonOut):
        printer.check_ready()
    assert set(sim.cards[0].panels) == {"y", "m"}  # two panels made it onto the card
    printer.reject()
    assert len(sim.reject_box) == 1


def test_cover_open(printer: EvolisPrinter, sim: PrinterSimulator) -> None:
    sim_control(sim.url, "fault", "cover-open")
    with pytest.raises(CoverOpen):
        printer.feed()
    assert printer.status().cover_open
    with pytest.raises(CoverOpen):
        printer.check_ready()
    sim_control(sim.url, "cover", "close")
    assert printer.reset() is CardPosition.NONE
    assert printer.check_ready().ready


def test_reject_box_full(printer: EvolisPrinter, sim: PrinterSimulator) -> None:
    printer.feed()
    sim_control(sim.url, "fault", "reject-full")
    with pytest.raises(RejectBoxFull):
        printer.reject()
    assert printer.reset() is CardPosition.PRINT  # the card is still inside
    sim_control(sim.url, "empty-reject")
    printer.reject()
    assert printer.position() is CardPosition.NONE


def test_power_loss_mid_print(printer: EvolisPrinter, sim: PrinterSimulator) -> None:
    printer.feed()
    sim.inject("power-loss", 4)  # Ss, Sr, Db y, then power fails during Db m
    with pytest.raises(PrinterRebooted):
        printer.print_panels(panels())
    # the reboot forgot our settings: ejection would no longer be blocked
    assert sim.settings["Pneab"] == "D"
    assert printer.reset() is CardPosition.PRINT  # card position kept
    assert sim.settings["Pneab"] == "E" and sim.settings["Pem"] == "2"
    printer.reject()
    assert sim.cards[0].where is Where.REJECT


def test_power_loss_during_query_is_retried_then_typed(
    printer: EvolisPrinter, sim: PrinterSimulator
) -> None:
    sim.inject("power-loss")
    with pytest.raises(PrinterRebooted):
        printer.position()
    entries = printer.trace.entries()
    assert [e.reply for e in entries[-2:]] == ["<no reply>", "ERR REBOOTED"]
    assert entries[-1].attempt == 2
    assert printer.reset() is CardPosition.NONE
    assert printer.check_ready().ready


def test_offline_then_back(printer: EvolisPrinter, sim: PrinterSimulator) -> None:
    sim_control(sim.url, "fault", "offline")
    with pytest.raises(PrinterOffline):
        printer.status()
    sim_control(sim.url, "clear")
    assert printer.reset() is CardPosition.NONE


def test_chip_faults_at_contacts(printer: EvolisPrinter, sim: PrinterSimulator) -> None:
    sim.inject("chip-absent")
    printer.to_contacts()
    assert printer.position() is CardPosition.CONTACT
    assert sim.chip_present is None  # card there, reader sees nothing
    printer.to_contacts()  # re-seat: the fault was one arrival
    assert sim.chip_present is sim.cards[0].chip
    sim.inject("chip-mute")
    printer.to_print()
    printer.to_contacts()
    assert isinstance(sim.chip_present, MuteCard)


def test_no_card_and_unknown_command(printer: EvolisPrinter) -> None:
    with pytest.raises(NoCardInside):
        printer.reject()
    with pytest.raises(ProtocolError):
        printer._action("Zz;1", 0.4)
    assert printer.command("Rok") == "OK"


def test_every_simulator_reply_is_in_the_driver_table() -> None:
    expected = {
        S.R_CMD: ProtocolError,
        S.R_PARAM: ProtocolError,
        S.R_FEEDER: FeederEmpty,
        S.R_RIBBON: RibbonOut,
        S.R_COVER: CoverOpen,
        S.R_MECH: Jam,
        S.R_REJECT_FULL: RejectBoxFull,
        S.R_NO_CARD: NoCardInside,
        S.R_REBOOTED: PrinterRebooted,
    }
    for spelling, cls in expected.items():
        assert spelling in REPLIES
        assert fault_for(spelling) is cls
    assert fault_for("ERR MECHANICAL 0x12") is Jam  # firmware suffixes still map
    assert fault_for("ERR SOMETHING NEW") is ProtocolError
    assert fault_for("SMART CARD") is None and fault_for("OK") is None
    for position, reply in S.POSITION_REPLY.items():
        assert REPLIES[reply] is CardPosition(position.value)
    assert "Pem;2" in SETTINGS


def test_every_fault_has_a_chinese_message() -> None:
    for cls in (
        FeederEmpty,
        RibbonOut,
        CoverOpen,
        Jam,
        RejectBoxFull,
        PrinterOffline,
        PrinterRebooted,
        ProtocolError,
    ):
        err = cls()
        assert isinstance(err, StationError)
        assert any("\u4e00" <= ch <= "\u9fff" for ch in err.message)


def test_nobody_listening_is_offline() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    p = EvolisPrinter(f"socket://127.0.0.1:{port}", timeout=0.3)
    with pytest.raises(PrinterOffline):
        p.open()


def test_two_clients_share_one_printer(sim: PrinterSimulator) -> None:
    a = EvolisPrinter(sim.url, timeout=1.0)
    a.open()
    try:
        a.feed()
        # control and a second protocol client on the same simulator
        assert sim_control(sim.url, "state").startswith("{")
        assert a.position() is CardPosition.PRINT
    finally:
        a.close()


def test_frame_parser_handles_cr_inside_panel_data_and_split_chunks() -> None:
    from station.printer.panels import panel_bytes

    data = bytes([0x0D, 0x1B]) * (panel_bytes(2) // 2)
    stream = b"\x1bRok\r" + b"\x1bDb;k;2;" + data + b"\r" + b"\x1bRlr;p\r"
    parser = S.FrameParser()
    frames = []
    for i in range(0, len(stream), 997):
        frames += parser.feed(stream[i : i + 997])
    assert [f.text for f in frames] == ["Rok", "Db;k;2", "Rlr;p"]
    assert frames[1].data == data


def test_hopper_loads_a_blank_set(tmp_path: Path, link: str) -> None:
    from station.emulator.blanks import make_blanks

    make_blanks("gen3-sm4-blank", 2, tmp_path / "blanks")
    blanks = S.load_hopper(tmp_path / "blanks", load_blank)
    assert len(blanks) == 2
    sim = PrinterSimulator(blanks)
    serve(sim, link)
    printer = EvolisPrinter(sim.url, **FAST)  # type: ignore[arg-type]
    try:
        printer.open()
        printer.to_contacts()
        assert sim.chip_present is blanks[0][1]
        assert sim.cards[0].name == blanks[0][0]
    finally:
        printer.close()
        sim.stop()
    with pytest.raises(StationError):
        S.load_hopper(tmp_path, load_blank)  # no state files here
