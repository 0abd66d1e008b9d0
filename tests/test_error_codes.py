"""One error-code table (issue 10 #6): every error class names its own ``ErrorCode``.

The walk imports every module under ``station/`` (the UI excepted: it needs Qt, and it
defines no errors of its own), then collects ``StationError`` subclasses recursively, so a
new error class anywhere is checked the day it is written.  A source scan refuses bare
negative numbers as codes, the way they crept into seven files before.
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
import re
from collections import defaultdict
from pathlib import Path

import pytest

import station
from station.errors import ErrorCode, StationError

ROOT = Path(station.__file__).resolve().parent

# Classes that deliberately share one code: the same national failure seen from two places.
# Keep this list short; every other error class has a member of its own.
SHARED = {
    # national -2 "no card": a card pulled out mid-operation is no card to a teller system
    frozenset({"station.errors.NoCard", "station.errors.CardRemoved"}),
    # national -11 "cannot connect to the reader": a missing reader is that failure
    frozenset({"station.errors.ReaderError", "station.errors.NoReader"}),
}


def _skipped(name: str) -> bool:
    """The UI (Qt), ``python -m station`` (runs the CLI on import) and the Alembic scripts
    (they need a migration context) are not imported; none defines an error class."""
    parts = name.split(".")
    return parts[1:2] == ["ui"] or parts[-1] == "__main__" or "migrations" in parts


def _modules() -> list[str]:
    return [
        m.name for m in pkgutil.walk_packages(station.__path__, "station.") if not _skipped(m.name)
    ]


def _error_classes() -> list[type[StationError]]:
    for name in _modules():
        importlib.import_module(name)
    seen: dict[type[StationError], None] = {StationError: None}
    todo = [StationError]
    while todo:
        for sub in todo.pop().__subclasses__():
            if sub not in seen and sub.__module__.startswith("station."):
                seen[sub] = None
                todo.append(sub)
    return list(seen)


def _name(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


@pytest.fixture(scope="module")
def classes() -> list[type[StationError]]:
    found = _error_classes()
    assert len(found) > 50  # the walk reached the whole package, not just station.errors
    return found


def test_every_error_class_has_an_error_code_member(classes: list[type[StationError]]) -> None:
    bad = [f"{_name(c)} = {c.code!r}" for c in classes if type(c.code) is not ErrorCode]
    assert not bad, "use code = ErrorCode.X:\n" + "\n".join(bad)


def test_each_error_class_has_its_own_code(classes: list[type[StationError]]) -> None:
    by_code: dict[int, set[str]] = defaultdict(set)
    for c in classes:
        by_code[int(c.code)].add(_name(c))
    shared = {frozenset(names) for names in by_code.values() if len(names) > 1}
    assert shared <= SHARED, "one code, several errors: " + "; ".join(
        ", ".join(sorted(s)) for s in shared - SHARED
    )
    assert shared == SHARED, "stale SHARED entries: " + str(SHARED - shared)


def test_the_table_has_no_aliases_and_says_what_each_number_is() -> None:
    """``@enum.unique`` refuses aliases; each member's line says national or own."""
    assert len({m.value for m in ErrorCode}) == len(ErrorCode) == len(ErrorCode.__members__)
    source = (ROOT / "errors.py").read_text(encoding="utf-8")
    for member in ErrorCode:
        line = re.search(rf"^    {member.name} = .*$", source, re.M)
        assert line is not None, member.name
        assert re.search(r"#\s*(national|own)\b", line.group(0)), line.group(0)


def test_the_national_numbers_keep_their_meaning() -> None:
    """The numbers a teller system reads (card-spec §6) are the national interface's."""
    assert ErrorCode.WRONG_CARD_TYPE == -1 and ErrorCode.NO_CARD == -2
    assert ErrorCode.READER_CONNECT == -11 and ErrorCode.INTERNAL_AUTH_FAILED == -21
    assert ErrorCode.INPUT_DIFFERS_FROM_CARD == -22
    assert ErrorCode.PIN_WRONG == -51 and ErrorCode.PIN_LOCKED == -52
    assert ErrorCode.SW_6A82_FILE_NOT_FOUND == -27266  # the SW rule: 6A82 negated


def test_statuses_still_carry_their_status_word() -> None:
    """A status-word error's instance carries its exact SW negated; PIN ones -51 / -52."""
    from station.apdu.status import AuthFailed, PinBlocked, PinWrong, error_for

    assert error_for(0x63C2).code == -0x63C2 and isinstance(error_for(0x63C2), AuthFailed)
    assert error_for(0x6A82).code == ErrorCode.SW_6A82_FILE_NOT_FOUND
    assert error_for(0x6F00).code == -0x6F00  # outside the table: still the national rule
    assert PinWrong(0x63C1).code == ErrorCode.PIN_WRONG
    assert PinBlocked().code == ErrorCode.PIN_LOCKED


def _bare_codes(path: Path) -> list[int]:
    """Lines with ``code = -N``, ``self.code = -N``, ``code: int = -N`` or ``code=-N``."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))

    def negative(node: ast.AST | None) -> bool:
        return (
            isinstance(node, ast.UnaryOp)
            and isinstance(node.op, ast.USub)
            and isinstance(node.operand, ast.Constant)
            and isinstance(node.operand.value, int)
        )

    def is_code(target: ast.AST) -> bool:
        return (isinstance(target, ast.Name) and target.id == "code") or (
            isinstance(target, ast.Attribute) and target.attr == "code"
        )

    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and negative(node.value):
            hit = any(is_code(t) for t in node.targets)
        elif isinstance(node, ast.AnnAssign):
            hit = is_code(node.target) and negative(node.value)
        elif isinstance(node, ast.keyword):
            hit = node.arg == "code" and negative(node.value)
        else:
            continue
        if hit:
            found.append(getattr(node, "lineno", 0) or getattr(node.value, "lineno", 0))
    return sorted(found)


def test_no_module_assigns_a_bare_negative_code() -> None:
    files = sorted(ROOT.rglob("*.py"))
    assert ROOT / "errors.py" in files
    found = [f"{f.relative_to(ROOT.parent)}:{line}" for f in files for line in _bare_codes(f)]
    assert not found, "a bare number as an error code; add an ErrorCode member:\n" + "\n".join(
        found
    )


def test_the_scan_sees_every_spelling(tmp_path: Path) -> None:
    """The scan itself can fail: each spelling of a bare code is caught, a member is not."""
    sample = tmp_path / "sample.py"
    sample.write_text(
        "class A:\n    code = -22\n"
        "class B:\n    code: int = -1\n"
        "def f(self):\n    self.code = -52\n    g(code=-40)\n"
        "class C:\n    code = ErrorCode.NO_CARD\n",
        encoding="utf-8",
    )
    assert _bare_codes(sample) == [2, 4, 6, 7]
