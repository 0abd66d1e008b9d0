"""The threat model names the tests that show each defence: those tests must exist."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_test_named_in_the_threat_model_exists() -> None:
    text = (ROOT / "docs" / "security.md").read_text(encoding="utf-8")
    named = re.findall(r"`(tests/[\w/]+\.py)((?:::\w+)?)`", text)
    assert len(named) >= 10
    last_file = ""
    for path, test in named:
        last_file = path
        source = (ROOT / path).read_text(encoding="utf-8")
        if test:
            assert re.search(rf"def {test[2:]}\(", source), f"{path}{test} is gone"
    # ``::name`` right after a file reuses that file
    for test in re.findall(r"`::(\w+)`", text):
        assert any(
            re.search(rf"def {test}\(", (ROOT / p).read_text(encoding="utf-8")) for p, _ in named
        ), f"{test} is named in docs/security.md but no such test exists ({last_file})"
