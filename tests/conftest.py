"""Shared fixtures: a real pcscd with the vpcd virtual reader.

Tests that go through PC/SC use ``vpcd_slots``; it holds a cross-process lock so that
parallel test runs on one machine never fight over the two vpcd ports.  In CI
(``CI=true``) a missing pcscd is a failure, never a skip.
"""

from __future__ import annotations

import fcntl
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
LOCK_PATH = Path(os.environ.get("STATION_VPCD_LOCK", "/tmp/station-vpcd.lock"))


PCSC_FIXTURES = frozenset({"pcscd", "vpcd_lock", "vpcd_slots"})


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test that reaches pcscd carries the ``pcsc`` mark, whether or not it says so:
    ``make test`` runs the PC/SC tests in one process (they share vpcd's two slots, one
    test at a time) and every other test in a second process beside it."""
    for item in items:
        if PCSC_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.pcsc)


def _unavailable(reason: str) -> None:
    if IN_CI:
        pytest.fail(f"required service unavailable in CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def pcscd() -> list[str]:
    """Ensure pcscd runs with the vpcd driver; return the reader names."""
    script = ROOT / "scripts" / "pcscd-start.sh"
    proc = subprocess.run(["bash", str(script)], capture_output=True, text=True, timeout=30)
    if proc.returncode != 0:
        _unavailable(f"pcscd could not be started: {proc.stderr.strip()}")
    from station.apdu.pcsc import list_readers

    readers = list_readers()
    if "Virtual PCD 00 00" not in readers:
        _unavailable(f"vpcd reader missing (readers: {readers})")
    return readers


@pytest.fixture
def vpcd_lock() -> Iterator[None]:
    LOCK_PATH.touch(exist_ok=True)
    with LOCK_PATH.open("r+") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def wait_reader_free(reader: str, within: float = 10.0) -> None:
    """Until nobody holds ``reader`` (a direct connect, which needs no card, succeeds).

    Why: a process that held the reader and died (a SIGKILLed station in a test) keeps
    its exclusive handle until pcscd has cleaned up after it; a test that starts before
    that would see "Sharing violation" on its first connect.  Polls with a deadline."""
    import threading
    import time

    from smartcard import scard

    from station.apdu.pcsc_base import establish

    deadline = time.monotonic() + within
    while True:
        hcontext = establish()
        try:
            hresult, hcard, _proto = scard.SCardConnect(
                hcontext, reader, scard.SCARD_SHARE_DIRECT, 0
            )
            if hresult == scard.SCARD_S_SUCCESS:
                scard.SCardDisconnect(hcard, scard.SCARD_LEAVE_CARD)
                return
        finally:
            scard.SCardReleaseContext(hcontext)
        if time.monotonic() > deadline:
            pytest.fail(f"{reader} still held by another process after {within:g} s")
        threading.Event().wait(0.05)


@pytest.fixture
def vpcd_slots(pcscd: list[str], vpcd_lock: None) -> Iterator[tuple[object, object]]:
    """Two started vpcd links (slot 0 and slot 1) with no card, on readers nobody holds;
    stopped afterwards and the readers seen empty again, so the next test starts clean."""
    from station.apdu.pcsc import wait_for_card
    from station.emulator.vpcd import VpcdLink, reader_name, slot_port

    links = (VpcdLink(port=slot_port(0)).start(), VpcdLink(port=slot_port(1)).start())
    try:
        for slot in (0, 1):
            wait_reader_free(reader_name(slot))
        yield links
    finally:
        for slot, link in enumerate(links):
            link.stop()
            wait_for_card(reader_name(slot), 5.0, present=False)
