"""Through a real pcscd with the vsmartcard vpcd driver (no mocks)."""

import queue
import socket
import struct
import subprocess
import sys

import pytest

from station.apdu import Command, Tracer
from station.apdu.pcsc import (
    CardMonitor,
    Event,
    PcscTransport,
    reader_status,
    wait_for_card,
)
from station.emulator.vpcd import reader_name
from station.errors import CardRemoved, NoCard, ReaderError

ATR = bytes.fromhex("3B6D000000814A444686605199000001AC")
READER0 = reader_name(0)


class EchoCard:
    """Answers data back with 9000; counts resets; records power state."""

    atr = ATR

    def __init__(self):
        self.powered = False
        self.resets = 0
        self.seen: list[bytes] = []

    def power_on(self):
        self.powered = True

    def power_off(self):
        self.powered = False

    def reset(self):
        self.resets += 1

    def execute(self, apdu: bytes) -> bytes:
        self.seen.append(apdu)
        if apdu[1] == 0xB0 and len(apdu) == 5 and apdu[4] == 0:
            return b"\x6c\x04"
        if apdu[1] == 0xB0:
            return b"\x01\x02\x03\x04\x90\x00"
        return apdu[5 : 5 + apdu[4]] + b"\x90\x00" if len(apdu) > 5 else b"\x90\x00"


pytestmark = pytest.mark.pcsc


def test_readers_list_both_slots(vpcd_slots):
    names = [s.name for s in reader_status()]
    assert READER0 in names and reader_name(1) in names


def test_roundtrip_and_atr(vpcd_slots):
    link0, _ = vpcd_slots
    card = EchoCard()
    link0.insert(card)
    assert wait_for_card(READER0, 5) == ATR
    tracer = Tracer()
    with PcscTransport(READER0, tracer=tracer) as t:
        assert t.atr == ATR
        rsp = t.transmit(Command.from_hex("00A4040003AABBCC"))
        assert rsp.ok and rsp.data == b"\xaa\xbb\xcc"
        # 6Cxx handled by the transport through real PC/SC
        rsp = t.transmit(Command.from_hex("00B0000000"))
        assert rsp.data == b"\x01\x02\x03\x04"
    assert card.seen[-1] == bytes.fromhex("00B0000004")
    assert "6C04" in tracer.text()


def test_card_pulled_mid_session_is_typed(vpcd_slots):
    link0, _ = vpcd_slots
    link0.insert(EchoCard())
    wait_for_card(READER0, 5)
    t = PcscTransport(READER0)
    t.connect()
    assert t.transmit(Command.from_hex("00A4040001AA")).ok
    link0.remove()
    wait_for_card(READER0, 5, present=False)
    with pytest.raises((CardRemoved, NoCard, ReaderError)) as err:
        t.transmit(Command.from_hex("00A4040001AA"))
    assert err.value.message  # a sentence for the teller
    assert not t.connected
    t.disconnect()


def test_connect_without_card_is_typed(vpcd_slots):
    with pytest.raises(NoCard):
        PcscTransport(READER0).connect()


def test_monitor_sees_insert_and_remove(vpcd_slots):
    link0, _ = vpcd_slots
    events: queue.Queue = queue.Queue()
    mon = CardMonitor(events.put, poll_ms=100).start()
    try:

        def next_kind(kind, reader=READER0):
            while True:
                ev = events.get(timeout=5)
                if ev.kind is kind and ev.reader == reader:
                    return ev

        next_kind(Event.READER_ADDED)
        link0.insert(EchoCard())
        assert next_kind(Event.CARD_INSERTED).atr == ATR
        link0.remove()
        next_kind(Event.CARD_REMOVED)
    finally:
        mon.stop()


def test_vpcd_frames_split_across_recv(vpcd_slots):
    """Our server must not assume a recv returns a whole frame: drive serve_connection
    from a socket pair, writing one byte at a time."""
    import threading

    from station.emulator.vpcd import serve_connection

    a, b = socket.socketpair()
    card = EchoCard()
    th = threading.Thread(target=lambda: _serve(a, card), daemon=True)
    th.start()
    frame = struct.pack("!H", 8) + bytes.fromhex("00A4040003AABBCC")
    for byte in frame:
        b.sendall(bytes([byte]))
    size = struct.unpack("!H", _recv(b, 2))[0]
    assert _recv(b, size) == bytes.fromhex("AABBCC9000")
    b.sendall(struct.pack("!H", 1) + b"\x04")  # ask for the ATR
    size = struct.unpack("!H", _recv(b, 2))[0]
    assert _recv(b, size) == ATR
    b.close()
    th.join(5)
    assert not th.is_alive()
    del serve_connection


def _serve(sock, card):
    from station.emulator.vpcd import _Closed, serve_connection

    try:
        serve_connection(sock, card, tuned=False)
    except (_Closed, OSError):
        pass


def _recv(sock, n):
    buf = b""
    while len(buf) < n:
        chunk = sock.recv(n - len(buf))
        assert chunk
        buf += chunk
    return buf


def test_cli_readers_and_apdu(vpcd_slots):
    link0, _ = vpcd_slots
    link0.insert(EchoCard())
    wait_for_card(READER0, 5)
    out = subprocess.run(
        [sys.executable, "-m", "station", "readers"], capture_output=True, text=True, timeout=30
    )
    assert out.returncode == 0
    assert f"{READER0}\tcard  ATR {ATR.hex().upper()}" in out.stdout
    out = subprocess.run(
        [sys.executable, "-m", "station", "apdu", "--reader", READER0, "00A4040002BEEF"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert out.returncode == 0, out.stderr
    assert "< BEEF 9000" in out.stdout
    out = subprocess.run(
        [sys.executable, "-m", "station", "apdu", "--reader", READER0, "00A4040005BEEF"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert out.returncode == 2
    assert out.stderr.count("\n") == 1 and "Lc does not match" in out.stderr
    assert "Traceback" not in out.stderr


def _our_pcscd() -> list[int]:
    """The pid scripts/pcscd-start.sh recorded, if that process is still pcscd."""
    import os
    from pathlib import Path

    pidfile = Path(os.environ.get("STATION_PCSCD_PIDFILE", "/tmp/station-pcscd.pid"))
    try:
        pid = int(pidfile.read_text().strip())
        comm = Path(f"/proc/{pid}/comm").read_text().strip()
    except (OSError, ValueError):
        return []
    return [pid] if comm == "pcscd" else []


def test_survives_pcscd_restart(vpcd_slots):
    """Stop the PC/SC service under a live monitor and an inserted virtual card: the
    monitor reports the outage and recovers, the link reconnects by itself, and a
    transport gets a typed error while the service is down."""
    import os
    import select
    import signal
    from pathlib import Path

    from station.apdu.pcsc import list_readers
    from station.errors import PcscUnavailable

    link0, _ = vpcd_slots
    link0.insert(EchoCard())
    wait_for_card(READER0, 5)
    events: queue.Queue = queue.Queue()
    mon = CardMonitor(events.put, poll_ms=100, retry_s=0.1).start()

    def next_kind(kind):
        while True:
            ev = events.get(timeout=10)
            if ev.kind is kind:
                return ev

    try:
        next_kind(Event.CARD_INSERTED)
        pids = [int(p) for p in subprocess.check_output(["pgrep", "-x", "pcscd"]).split()]
        if pids != _our_pcscd():
            pytest.skip("the running pcscd was not started by scripts/pcscd-start.sh")
        fds = [os.pidfd_open(pid) for pid in pids]
        for pid in pids:
            os.kill(pid, signal.SIGTERM)
        for fd in fds:  # wait for the exit itself, not a guessed delay
            ready, _, _ = select.select([fd], [], [], 10)
            assert ready, "pcscd did not stop"
            os.close(fd)
        next_kind(Event.SERVICE_DOWN)
        with pytest.raises(PcscUnavailable):
            list_readers()
        root = Path(__file__).resolve().parents[2]
        subprocess.run(["bash", str(root / "scripts" / "pcscd-start.sh")], check=True)
        next_kind(Event.SERVICE_UP)
        assert next_kind(Event.CARD_INSERTED).atr == ATR  # the link came back on its own
        with PcscTransport(READER0) as t:
            assert t.transmit(Command.from_hex("00A4040001AA")).data == b"\xaa"
        assert mon.restarts >= 1
    finally:
        mon.stop()
