"""Issue 14 finding 10: the demo's read of the holder file (EF06) leaves no personal data in
the trace or the debug log by default; only the technician's raw flag shows it, and the
trace's header line says which kind of trace it is."""

from __future__ import annotations

import logging

import pytest

from station.apdu import Tracer, VirtualTransport
from station.card.reader import read_card
from station.crypto.provider import SoftKeyStore
from station.emulator.cards import make_card
from station.profiles import load_profile

PROFILE = "gen3-sm4-issued"  # the demo's card


def _forms(text: str, gbk: bool = False) -> list[str]:
    raw = text.encode("gbk" if gbk else "ascii")
    return [text, raw.hex().upper(), raw.hex()]


def _personal(profile_name: str) -> list[str]:
    holder = load_profile(profile_name).holder
    assert holder is not None
    birth = holder.birth_date.strftime("%Y%m%d")
    return [*_forms(holder.ssn), *_forms(holder.name, gbk=True), birth]


@pytest.mark.parametrize("raw", [False, True], ids=["default", "raw"])
def test_ef06_read_traced(raw: bool, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="station.apdu")
    profile = load_profile(PROFILE)
    tracer = Tracer(raw=raw)
    info = read_card(
        VirtualTransport(make_card(profile), tracer=tracer),
        SoftKeyStore(profile.keyset(), terminal_number="000000000000"),
        check_genuineness=True,
    )
    assert info.holder == profile.holder  # the read itself is unchanged
    text = tracer.text()
    header = text.splitlines()[0]
    logged = caplog.text
    assert "READ RECORD" in text and "READ RECORD" in logged
    assert info.holder is not None
    ssn_hex = info.holder.ssn.encode().hex().upper()
    if raw:
        assert "RAW" in header
        assert ssn_hex in text
    else:
        assert "masked" in header and "RAW" not in header
        assert "08 12 <18 bytes masked>" in text  # the SSN record, tag and length only
        for form in _personal(PROFILE):
            assert form not in text, f"{form!r} in the trace"
            assert form not in logged, f"{form!r} in the debug log"
