"""Issue 14 findings 3, 4, 9 and 10 attacked the way the audit did: a scripted hostile card
in vpcd slot 0, through the real pcscd."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from station.apdu import Command, StatusError
from station.apdu.pcsc import PcscTransport
from station.emulator.vpcd import CTRL_RESET
from station.errors import CardTimeout
from tests.hostile.card import Hangup, HostileCard, Mute, Reply

pytestmark = pytest.mark.pcsc

ROOT = Path(__file__).resolve().parents[2]
PIN = "918273"
SSN = "44030419900307123X"
SSN_RECORD = bytes((0x08, 18)) + SSN.encode()
MARGIN = 1.0  # s allowed past a deadline (thread hand-over, a loaded CI machine)


def _station(*argv: str, timeout: float = 5.0, **popen: object) -> subprocess.Popen[str]:
    env = {**os.environ, "STATION_CARD_TIMEOUT": str(timeout), "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-m", "station", *argv],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=ROOT,
        **popen,  # type: ignore[call-overload]
    )


# -- finding 3: a secret goes out once, whatever the card answers -----------------------------

SECRETS = [
    ("VERIFY", "0020000003" + PIN),
    ("CHANGE PIN", "805E010007" + PIN + "FF123456"),
    ("RESET PIN 84 24", "84240001080102030405060708"),
    ("EXTERNAL AUTHENTICATE", "0082000410" + "11" * 16),
]


@pytest.mark.parametrize("answer", [0x6C08, 0x6110], ids=["6C08", "6110"])
@pytest.mark.parametrize(("label", "apdu"), SECRETS, ids=[s[0] for s in SECRETS])
def test_hostile_6cxx_61xx_never_gets_a_secret_twice(vpcd_slots, label, apdu, answer):
    cmd = Command.from_hex(apdu)
    with HostileCard().on(apdu[:4], Reply.sw(answer)) as card:
        with PcscTransport(card.reader, timeout=5) as t:
            with pytest.raises(StatusError) as err:
                t.send(cmd)
            assert err.value.sw == answer
            assert t.send(Command.from_hex("00A4040001AA")).ok  # the link is fine
        assert card.apdus(apdu[:4]) == [cmd.to_bytes()]
        assert not card.apdus(0xC0)  # nor a GET RESPONSE for a case-3 command


# -- finding 4: every exchange has a deadline ------------------------------------------------


def test_mute_card_times_out_and_the_reader_recovers(vpcd_slots):
    card = HostileCard().on("00B0", Mute()).insert()
    try:
        t = PcscTransport(card.reader, timeout=1.0, shared=True)
        assert t.transmit(Command.from_hex("00A4040001AA")).ok
        start = time.monotonic()
        with pytest.raises(CardTimeout) as err:
            t.transmit(Command.from_hex("00B0000010"))
        elapsed = time.monotonic() - start
        assert 1.0 <= elapsed < 1.0 + MARGIN
        assert err.value.code == -12 and "did not answer" in err.value.message
        assert not t.connected
        # a second connection to the reader the mute card holds is bounded too
        start = time.monotonic()
        with pytest.raises(CardTimeout):
            PcscTransport(card.reader, timeout=0.5, shared=True).connect()
        assert time.monotonic() - start < 0.5 + MARGIN
    finally:
        card.remove()  # the technician pulls the mute card
    with HostileCard() as good:
        assert t.transmit(Command.from_hex("00A4040001AA")).ok  # same transport, fresh link
        t.disconnect()
        assert good.apdus() == [bytes.fromhex("00A4040001AA")]


def test_late_answer_is_discarded_and_the_card_reset(vpcd_slots):
    """A card answering after the deadline: the caller already has CardTimeout, the late
    answer is thrown away, the card is reset (no security state survives) and nothing is
    sent again; then the same card works."""
    with HostileCard().on("0020", Reply.sw(0x9000, delay=2.0)) as card:
        t = PcscTransport(card.reader, timeout=0.5)
        t.connect()
        before = len(card.controls())
        start = time.monotonic()
        with pytest.raises(CardTimeout):
            t.send(Command.from_hex("0020000003" + PIN))
        assert time.monotonic() - start < 0.5 + MARGIN
        assert card.wait_control(CTRL_RESET, 10, after=before)
        assert t.send(Command.from_hex("00A4040001AA")).ok
        t.disconnect()
        assert len(card.apdus("0020")) == 1


def test_cli_against_a_mute_card_stops_at_the_deadline(vpcd_slots):
    with HostileCard().on("00B0", Mute()) as card:
        proc = _station("apdu", "--reader", card.reader, "00B0000010", timeout=1.0)
        assert card.wait_apdus(1, 20, match="00B0")
        start = time.monotonic()
        out, err = proc.communicate(timeout=1.0 + 2 * MARGIN)
        assert time.monotonic() - start < 1.0 + MARGIN
    assert proc.returncode == 2 and out == ""
    assert err.count("\n") == 1 and "did not answer" in err and "Traceback" not in err


def test_sigint_stops_a_blocked_apdu_within_a_second(vpcd_slots):
    with HostileCard().on("00B0", Mute()) as card:
        proc = _station("apdu", "--reader", card.reader, "00B0000010", timeout=60.0)
        assert card.wait_apdus(1, 20, match="00B0")  # the transmit is blocked in pcscd now
        proc.send_signal(signal.SIGINT)
        start = time.monotonic()
        out, err = proc.communicate(timeout=10)
        elapsed = time.monotonic() - start
    assert elapsed < 1.0, f"exit took {elapsed:.2f} s"
    assert proc.returncode == 130 and out == ""
    assert err.count("\n") == 1 and "interrupted" in err and "Traceback" not in err


# -- finding 9: the console goes through the trace's redaction -------------------------------


def test_vv_apdu_never_shows_the_pin(vpcd_slots):
    with HostileCard().on("0020", Reply.sw(0x63C2)) as card:
        for extra in ([], ["--raw-trace"]):
            proc = _station(
                "-vv", "apdu", "--reader", card.reader, "--trace", *extra, "0020000003" + PIN
            )
            out, err = proc.communicate(timeout=30)
            assert proc.returncode == 1, err
            assert "63C2" in out and "<3 bytes redacted>" in out
            assert "station.apdu" in err  # the debug trace did run
            both = out + err
            assert PIN not in both and PIN.encode().hex() not in both
        assert card.apdus("0020") == [bytes.fromhex("0020000003" + PIN)] * 2


# -- finding 10: personal data masked on the console and in the trace -------------------------


def test_apdu_cli_masks_records_unless_raw_trace(vpcd_slots):
    with HostileCard().on("00B2", Reply(SSN_RECORD + b"\x90\x00")) as card:
        proc = _station("apdu", "--reader", card.reader, "--trace", "00B2013400")
        out, err = proc.communicate(timeout=30)
        assert proc.returncode == 0, err
        assert SSN not in out and SSN.encode().hex().upper() not in out
        assert "08 12 <18 bytes masked>" in out
        assert "personal data masked" in out
        proc = _station("apdu", "--reader", card.reader, "--trace", "--raw-trace", "00B2013400")
        out, err = proc.communicate(timeout=30)
        assert proc.returncode == 0, err
        assert SSN_RECORD.hex().upper() in out
        assert any(line.startswith("# APDU trace") and "RAW" in line for line in out.splitlines())


def test_card_hanging_up_mid_command_is_typed_not_a_hang(vpcd_slots):
    from station.errors import ReaderError

    card = HostileCard().on("00B0", Hangup()).insert()
    try:
        t = PcscTransport(card.reader, timeout=5.0)
        start = time.monotonic()
        with pytest.raises(ReaderError) as err:
            t.transmit(Command.from_hex("00B0000010"))
        assert not isinstance(err.value, CardTimeout)  # pcscd saw the card go: not a timeout
        assert time.monotonic() - start < 5.0
        assert not t.connected
    finally:
        card.remove()
