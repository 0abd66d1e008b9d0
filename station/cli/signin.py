"""Password entry for the command line: the proof behind ``--user NAME`` and ``--witness``.

Why here and not in the service: the service (``station.inventory.auth``) only accepts a
name that proved its password to it; *how* the password reaches it is the front end's
business.  On a terminal it is asked for without echo (``getpass``); scripts give
``--password-stdin`` and write one line per password, in the order the command asks (the
acting user first, then the witness; for ``user passwd`` the current password or one-time
code, then the new one).  With neither a terminal nor ``--password-stdin`` the command
stops with one line instead of hanging or dying on ``EOFError``.  A password never appears
in an error, a prompt or a log line.
"""

from __future__ import annotations

import argparse
import getpass
import hmac
import sys
from typing import Any, TextIO

from station.errors import ErrorCode, StationError

MAX_LINE = 128  # characters: station.inventory.auth.MAX_PASSWORD


class PasswordInputError(StationError):
    default_message = "无法读取密码 (cannot read the password)"
    code = ErrorCode.PASSWORD_INPUT


class SecretSource:
    """Where this command's passwords come from: the terminal or lines on stdin."""

    def __init__(self, from_stdin: bool, stdin: TextIO | None = None) -> None:
        self.from_stdin = from_stdin
        self._stdin = stdin

    @property
    def stdin(self) -> TextIO:
        return self._stdin if self._stdin is not None else sys.stdin

    def read(self, prompt: str, *, confirm: bool = False) -> str:
        """One password; on a terminal ``confirm`` asks twice (a new password)."""
        if self.from_stdin:
            return self._line(prompt)
        if not self._is_tty():
            raise PasswordInputError(
                "需要密码：请在终端运行，或用 --password-stdin 从标准输入提供 "
                "(a password is needed: run in a terminal or give --password-stdin)"
            )
        first = getpass.getpass(prompt)
        if confirm:
            again = getpass.getpass("再次输入 (repeat): ")
            if not hmac.compare_digest(first.encode(), again.encode()):
                raise PasswordInputError("两次输入的密码不一致 (the two entries differ)")
        return first

    def _is_tty(self) -> bool:
        try:
            return bool(self.stdin.isatty())
        except (AttributeError, ValueError, OSError):
            return False

    def _line(self, prompt: str) -> str:
        what = prompt.split("(")[-1].rstrip(" :)") if "(" in prompt else "password"
        try:
            line = self.stdin.readline(MAX_LINE + 2)
        except (OSError, ValueError, UnicodeDecodeError):
            raise PasswordInputError(detail=f"stdin: {what}") from None
        if not line:
            raise PasswordInputError(
                "标准输入中缺少密码行 (no password line on stdin)", detail=f"expected: {what}"
            )
        if len(line) > MAX_LINE and not line.endswith("\n"):
            raise PasswordInputError("密码行过长 (password line too long)", detail=f"{what}")
        return line.rstrip("\r\n")


def source(args: argparse.Namespace) -> SecretSource:
    """The command's one ``SecretSource`` (kept on ``args`` so lines are read in order)."""
    src = getattr(args, "secret_source", None)
    if isinstance(src, SecretSource):
        return src
    from_stdin = bool(getattr(args, "password_stdin", False))
    if from_stdin and "-" in (getattr(args, "manifest", None), getattr(args, "cards", None)):
        raise PasswordInputError(
            "--password-stdin 时文件不能也从标准输入读取 "
            "(--password-stdin: read the file from a path, not from '-')"
        )
    src = SecretSource(from_stdin)
    args.secret_source = src
    return src


def sign_in(inv: Any, args: argparse.Namespace, username: str, *, as_witness: bool = False) -> str:
    """Prove ``username`` to ``inv`` (an ``Inventory``) with a password, once per command."""
    if not inv.auth.is_signed_in(username):
        who = "见证人" if as_witness else "操作员"
        role = "witness" if as_witness else "user"
        prompt = f"{who} {username} 的密码 ({role} {username}'s password): "
        inv.auth.sign_in(username, source(args).read(prompt))
    return username


def add_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--password-stdin",
        action="store_true",
        help="read passwords from stdin, one line each (acting user first, then witness)",
    )
