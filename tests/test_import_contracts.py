"""The import-linter contract "Only the desktop app imports Qt" names every module of station
outside ``station.ui`` (pyproject.toml).  A forbidden contract only checks the modules it
lists, so a new top-level module left out of it could import Qt unseen: this test fails
until it is added.  ``lint-imports`` itself (``make test``) checks the imports."""

from __future__ import annotations

import pkgutil
import tomllib
from pathlib import Path

import station

ROOT = Path(__file__).resolve().parent.parent
QT_CONTRACT = "Only the desktop app imports Qt"


def contract(name: str) -> dict[str, object]:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    found = [c for c in data["tool"]["importlinter"]["contracts"] if c["name"] == name]
    assert len(found) == 1, f"no single contract named {name!r}"
    return dict(found[0])


def top_level_modules() -> set[str]:
    """Every module and package directly under station (``__main__`` included)."""
    return {f"station.{m.name}" for m in pkgutil.iter_modules(station.__path__)}


def test_qt_contract_covers_every_module_outside_the_ui() -> None:
    c = contract(QT_CONTRACT)
    sources = set(c["source_modules"])  # type: ignore[call-overload]
    every = top_level_modules()
    assert {"station.ui", "station.__main__", "station.fsutil", "station.text"} <= every
    missing = every - {"station.ui"} - sources
    assert not missing, f"add to the contract {QT_CONTRACT!r} in pyproject.toml: {missing}"
    assert "station.ui" not in sources
    assert sources <= every, f"no such module: {sources - every}"
    assert set(c["forbidden_modules"]) >= {"PySide6", "shiboken6"}  # type: ignore[call-overload]
