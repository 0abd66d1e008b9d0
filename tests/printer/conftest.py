"""Printer test fixtures: a simulator on a real socket or a real pty, and the driver on
it through pyserial (never a mock)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from station.printer.evolis import EvolisPrinter
from station.printer.simulator import PrinterSimulator

from .printer_helpers import FAST, make_sim, serve


@pytest.fixture(params=["tcp", "pty"])
def link(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def sim(tmp_path: Path, link: str) -> Iterator[PrinterSimulator]:
    s = make_sim(tmp_path)
    serve(s, link)
    yield s
    s.stop()


@pytest.fixture
def printer(sim: PrinterSimulator) -> Iterator[EvolisPrinter]:
    p = EvolisPrinter(sim.url, **FAST)  # type: ignore[arg-type]
    p.open()
    yield p
    p.close()
