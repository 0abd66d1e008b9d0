"""Issue 9 item 5: the printer tells the truth.  ``ready`` is false while any fault
stands, an armed fault shows in status, and each fault has the operator's remedy as a
command — all through ``station printer …`` against the simulator on a real socket."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from station.cli import main
from station.printer.base import ActiveFault, CardPosition
from station.printer.errors import Jam, PrinterRebooted, SettingsNotApplied
from station.printer.evolis import EvolisPrinter
from station.printer.simulator import Fault, PrinterSimulator, Remedy, Where

from .printer_helpers import FAST, make_sim
from .test_driver_sim import panels


@pytest.fixture
def tcp_sim(tmp_path: Path) -> Iterator[PrinterSimulator]:
    sim = make_sim(tmp_path)
    sim.serve_tcp()
    yield sim
    sim.stop()


def status(sim: PrinterSimulator, capsys: pytest.CaptureFixture[str]) -> dict[str, object]:
    assert main(["printer", "status", "--url", sim.url, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert isinstance(data, dict)
    return data


def cli(capsys: pytest.CaptureFixture[str], *words: str) -> tuple[int, str]:
    code = main(["printer", *words])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return code, captured.out + captured.err


def test_jam_armed_then_standing_then_cleared(
    tcp_sim: PrinterSimulator, capsys: pytest.CaptureFixture[str]
) -> None:
    url = tcp_sim.url
    assert cli(capsys, "fault", "--url", url, "jam")[0] == 0
    st = status(tcp_sim, capsys)
    assert st["armed"] == ["jam@1"] and st["faults"] == [] and st["ready"] is True
    code, text = cli(capsys, "status", "--url", url)
    assert code == 0 and "jam@1" in text  # the human-readable status shows it too
    code, text = cli(capsys, "move", "--url", url, "feed")
    assert code == 2 and "卡住" in text
    st = status(tcp_sim, capsys)
    assert st["faults"] == ["jam"] and st["ready"] is False and st["armed"] == []
    for move in ("contacts", "print", "reject"):  # every move fails while it stands
        assert cli(capsys, "move", "--url", url, move)[0] == 2
    assert cli(capsys, "remedy", "--url", url, "clear-jam")[0] == 0
    st = status(tcp_sim, capsys)
    assert st["faults"] == [] and st["ready"] is True and st["position"] == "none"
    assert tcp_sim.cards[0].where is Where.REMOVED  # the stuck card was pulled out
    code, text = cli(capsys, "move", "--url", url, "feed")
    assert code == 0 and "print" in text


def test_ribbon_end_then_load_ribbon(
    tcp_sim: PrinterSimulator, capsys: pytest.CaptureFixture[str]
) -> None:
    url = tcp_sim.url
    printer = EvolisPrinter(url, **FAST)  # type: ignore[arg-type]
    printer.open()
    printer.feed()
    tcp_sim.inject(Fault.RIBBON_END, 2)
    with pytest.raises(Exception, match="色带"):
        printer.print_panels(panels())
    printer.close()
    st = status(tcp_sim, capsys)
    assert st["ribbon_left"] == 0 and st["faults"] == ["ribbon-end"] and st["ready"] is False
    assert cli(capsys, "fault", "--url", url, "clear")[0] == 0
    assert status(tcp_sim, capsys)["ready"] is False  # clearing faults loads no ribbon
    assert cli(capsys, "remedy", "--url", url, "load-ribbon")[0] == 0
    st = status(tcp_sim, capsys)
    assert st["ribbon_left"] == 250 and st["faults"] == [] and st["ready"] is True
    assert cli(capsys, "remedy", "--url", url, "load-ribbon", "--count", "100")[0] == 0
    assert status(tcp_sim, capsys)["ribbon_left"] == 100


def test_cover_open_then_close_cover(
    tcp_sim: PrinterSimulator, capsys: pytest.CaptureFixture[str]
) -> None:
    url = tcp_sim.url
    assert cli(capsys, "fault", "--url", url, "cover-open")[0] == 0
    st = status(tcp_sim, capsys)
    assert st["faults"] == ["cover-open"] and st["cover_open"] and st["ready"] is False
    assert cli(capsys, "remedy", "--url", url, "close-cover")[0] == 0
    st = status(tcp_sim, capsys)
    assert st["faults"] == [] and st["ready"] is True


def test_reject_box_full_then_empty_it(
    tcp_sim: PrinterSimulator, capsys: pytest.CaptureFixture[str]
) -> None:
    url = tcp_sim.url
    assert cli(capsys, "fault", "--url", url, "reject-full")[0] == 0
    st = status(tcp_sim, capsys)
    assert st["faults"] == ["reject-full"] and st["ready"] is False
    assert cli(capsys, "remedy", "--url", url, "empty-reject")[0] == 0
    assert status(tcp_sim, capsys)["ready"] is True
    assert tcp_sim.reject_box == []


def test_feeder_empty_then_load_cards(
    tcp_sim: PrinterSimulator, capsys: pytest.CaptureFixture[str]
) -> None:
    url = tcp_sim.url
    assert cli(capsys, "fault", "--url", url, "feeder-empty")[0] == 0
    st = status(tcp_sim, capsys)
    assert st["feeder_loaded"] is False and st["ready"] is False
    assert cli(capsys, "remedy", "--url", url, "load-cards")[0] == 0
    st = status(tcp_sim, capsys)
    assert st["feeder_loaded"] is True and st["ready"] is True
    assert len(tcp_sim.hopper) == 3  # the held-back blanks are back
    assert cli(capsys, "remedy", "--url", url, "load-cards", "--count", "2")[0] == 0
    assert len(tcp_sim.hopper) == 5


def test_several_standing_faults_in_a_fixed_order(tcp_sim: PrinterSimulator) -> None:
    printer = EvolisPrinter(tcp_sim.url, **FAST)  # type: ignore[arg-type]
    printer.open()
    printer.feed()
    tcp_sim.inject(Fault.JAM)
    with pytest.raises(Jam):
        printer.to_contacts()
    tcp_sim.inject(Fault.REJECT_FULL)
    tcp_sim.inject(Fault.COVER_OPEN)
    st = printer.status()
    assert st.faults == (ActiveFault.COVER_OPEN, ActiveFault.JAM, ActiveFault.REJECT_FULL)
    assert not st.ready
    with pytest.raises(Exception, match="上盖"):
        printer.check_ready()
    printer.close()


def test_remedy_refuses_unknown_words(
    tcp_sim: PrinterSimulator, capsys: pytest.CaptureFixture[str]
) -> None:
    assert tcp_sim.remedy("polish") == "ERR PARAM"
    assert tcp_sim.inject("meteor") == "ERR PARAM"
    code, text = cli(capsys, "remedy", "--url", tcp_sim.url, "load-cards", "--count", "-1")
    assert code == 2 and "负" in text
    assert [r.value for r in Remedy] == [
        "load-ribbon",
        "clear-jam",
        "load-cards",
        "empty-reject",
        "close-cover",
    ]


def test_a_reboot_voids_the_settings_until_reset(tcp_sim: PrinterSimulator) -> None:
    """After a power loss the printer ejects by itself again: no move until a reset."""
    printer = EvolisPrinter(tcp_sim.url, **FAST)  # type: ignore[arg-type]
    printer.open()
    printer.feed()
    tcp_sim.inject(Fault.POWER_LOSS)
    with pytest.raises(PrinterRebooted):
        printer.position()
    assert not printer.settings_applied
    with pytest.raises(SettingsNotApplied):
        printer.eject()
    assert tcp_sim.inside is tcp_sim.cards[0]  # the card did not go out
    assert printer.reset() is CardPosition.PRINT
    assert printer.settings_applied
    printer.reject()
    printer.close()
