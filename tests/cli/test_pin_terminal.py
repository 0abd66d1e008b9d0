"""Issue 9 item 2 on a real terminal: Ctrl-D at a PIN prompt.

``getpass`` reads the PIN from the controlling terminal without echo; Ctrl-D there (end of
input) used to end in an ``EOFError`` traceback.  The command runs on a pseudo-terminal
(its controlling terminal, as in a clerk's shell), gets Ctrl-D at the prompt and must end
with one error line, a non-zero exit and the card untouched (no PIN went to it)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from station.cli import EXIT_REFUSED
from station.emulator.state import CardState
from tests.terminal import ROOT, run_on_terminal

PROFILE = "gen3-sm4-issued"
EOF = b"\x04"  # what the terminal turns Ctrl-D into


def _ctrl_d_at_the_prompt(argv: list[str], tmp: Path, prompt: bytes) -> tuple[int, str]:
    """Run ``station argv`` with a pty as its controlling terminal; type Ctrl-D when
    ``prompt`` shows.  Returns (exit code, everything the terminal showed after it)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("STATION_")}
    env |= {
        "STATION_CONFIG": str(tmp / "none.toml"),
        "STATION_DATA_DIR": str(tmp / "data"),
        "STATION_OPERATOR": "柜员01",
        "STATION_OUTLET": "测试网点",
        "PYTHONPATH": str(ROOT),
    }
    sent_at = -1

    def answer(shown: bytes) -> bytes | None:
        nonlocal sent_at
        if sent_at < 0 and prompt in shown:
            sent_at = len(shown)
            return EOF
        return None

    code, shown = run_on_terminal(argv, env, answer)
    assert sent_at >= 0, f"no PIN prompt was shown: {shown[-300:]!r}"
    return code, shown[sent_at:].decode("utf-8", "replace")


@pytest.mark.parametrize(
    ("action", "prompt"),
    [("verify", "请输入密码 PIN: "), ("change", "请输入原密码 old PIN: ")],
    ids=["verify", "change"],
)
def test_ctrl_d_at_the_pin_prompt_is_one_line(action: str, prompt: str, tmp_path: Path) -> None:
    state = tmp_path / "card.json"
    argv = ["pin", action, "--virtual", PROFILE, "--state", str(state)]
    code, after = _ctrl_d_at_the_prompt(argv, tmp_path, prompt.encode())
    lines = [ln for ln in after.replace("\r", "").split("\n") if ln.strip()]
    assert code == EXIT_REFUSED, after
    assert "Traceback" not in after and "EOFError" not in after
    assert len(lines) == 1 and lines[0].startswith("错误 error: "), lines
    assert "input ended" in lines[0]
    card = CardState.load(state)
    assert card.pin_tries == card.pin_max  # no PIN reached the card, not even an empty one
