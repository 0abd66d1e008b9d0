"""Every card test runs with its own settings (see ``suite.station_env``), never the
machine's settings file or data folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.card.suite import station_env


@pytest.fixture(autouse=True)
def station_data(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    return station_env(monkeypatch, tmp_path)
