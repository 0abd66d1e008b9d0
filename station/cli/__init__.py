"""The ``station`` command line: every job the UI can do, for scripts and support.

Each area registers its subcommands from its own module (``station.cli.<area>``) so the
areas stay independent.  A handler returns the exit code; a ``StationError`` becomes one
clear line on stderr and exit code 2 — never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from station.config import Settings, db_url_from, load_settings
from station.errors import StationError

# area modules, each with ``register(subparsers)``; missing ones are skipped so a partial
# install still gives a working CLI for what is there
AREAS = ("apdu", "emulator", "card", "printer", "inventory", "issue", "demo", "gui")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="station",
        description="社会保障卡柜面工具 — social security card station",
    )
    parser.add_argument("-v", "--verbose", action="count", default=0, help="more log output")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for area in AREAS:
        try:
            module = importlib.import_module(f"station.cli.{area}")
        except ModuleNotFoundError as exc:
            if exc.name == f"station.cli.{area}":
                continue
            raise
        module.register(sub)
    return parser


def settings_of(args: argparse.Namespace) -> Settings:
    """The settings ``main`` loaded once for this run (handlers never read the environment)."""
    settings = getattr(args, "settings", None)
    if not isinstance(settings, Settings):  # a handler called without main (tests)
        settings = load_settings()
        args.settings = settings
    return settings


def _fail(message: str, code: int = 2) -> int:
    """One line on stderr, exit ``code``; stderr itself may be gone (a closed pipe)."""
    try:
        print(f"错误 error: {message}", file=sys.stderr, flush=True)
    except (OSError, ValueError):
        pass
    return code


# exit codes besides a handler's own: 2 = refused (one line says why), 130 = Ctrl-C,
# 141 = the reader of our output went away (like a shell's SIGPIPE), 70 = a bug of ours
EXIT_REFUSED = 2
EXIT_INTERRUPTED = 130
EXIT_PIPE = 141
EXIT_INTERNAL = 70


def existing_file(text: str) -> Path:
    """An argparse ``type=`` for a file the command reads: refused at parse time, with the
    usage line, when it is missing or a directory (instead of failing half-way through)."""
    path = Path(text).expanduser()
    if path.is_dir():
        raise argparse.ArgumentTypeError(f"是目录而不是文件 (a directory, not a file): {text}")
    if not path.is_file():
        raise argparse.ArgumentTypeError(f"文件不存在 (no such file): {text}")
    return path


def existing_dir(text: str) -> Path:
    """An argparse ``type=`` for a folder the command reads from."""
    path = Path(text).expanduser()
    if not path.is_dir():
        why = "不是目录 (not a directory)" if path.exists() else "目录不存在 (no such directory)"
        raise argparse.ArgumentTypeError(f"{why}: {text}")
    return path


def output_dir(text: str) -> Path:
    """An argparse ``type=`` for a folder the command writes into (created when missing):
    refused at parse time when a file is in its place, not after the work is done."""
    path = Path(text).expanduser()
    if path.exists() and not path.is_dir():
        raise argparse.ArgumentTypeError(f"不是目录 (not a directory): {text}")
    return path


def db_url_arg(text: str) -> str:
    """An argparse ``type=`` for ``--db``: a URL as it is, a plain path as a SQLite file."""
    try:
        return db_url_from(text)
    except StationError as exc:
        raise argparse.ArgumentTypeError(exc.message) from None


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; whatever happens, the user sees at most one error line, never a
    traceback (a bug of ours says where it is; ``-vv`` logs the details)."""
    if sys.stdin is None:  # started with fd 0 closed (``<&-``): reads see end of input
        sys.stdin = open(os.devnull, encoding="utf-8")
    code = _run(argv)
    # what a handler printed before it failed is flushed here, inside our hands, not at
    # exit, where a closed pipe would make Python print a traceback of its own
    if _flush_stdout_fails() and code == 0:
        code = EXIT_PIPE
    return code


def _run(argv: Sequence[str] | None) -> int:
    verbose = 0
    try:
        parser = build_parser()
        args = parser.parse_args(argv)
        verbose = args.verbose
        logging.basicConfig(
            level=logging.WARNING - 10 * min(args.verbose, 2),
            format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        )
        func = getattr(args, "func", None)
        if func is None:
            parser.print_help(sys.stderr)  # a usage error: seen even when stdout is piped
            return EXIT_REFUSED
        args.settings = load_settings()
        return int(func(args) or 0)
    except SystemExit as exc:  # argparse's --help and usage errors end here
        if exc.code == 0 and _flush_stdout_fails():
            raise SystemExit(EXIT_PIPE) from None
        raise
    except StationError as exc:
        return _fail(exc.message + (f" [{exc.detail}]" if exc.detail else ""))
    except KeyboardInterrupt:
        return _fail("已中断 (interrupted)", EXIT_INTERRUPTED)
    except BrokenPipeError:
        # the reader of our output went away (``| head -1``): not an error of ours; keep
        # Python from complaining again when it flushes stdout at exit
        _silence_stdout()
        return EXIT_PIPE
    except EOFError:
        return _fail("输入已结束 (input ended before the answer was read)")
    except OSError as exc:  # a file the user named: missing, a directory, no permission
        where = f" {exc.filename}" if exc.filename else ""
        return _fail(f"文件或设备错误 (file or device error){where}: {exc.strerror or exc}")
    except Exception as exc:  # the last line of defence against tracebacks
        database = _database_error(exc)
        if database is not None:
            return _fail(database)
        logging.getLogger("station").debug("unexpected error", exc_info=True)
        hint = "" if verbose >= 2 else "; -vv shows the details"
        return _fail(
            f"内部错误，请报告 (internal error, please report): {type(exc).__name__}"
            f" at {_where(exc)}{hint}",
            EXIT_INTERNAL,
        )


def _database_error(exc: Exception) -> str | None:
    """One line for an error of the database driver (unreachable server, unreadable file),
    from the driver's own first line only: the statement and its parameters stay out."""
    sa_exc = sys.modules.get("sqlalchemy.exc")
    if sa_exc is None or not isinstance(exc, sa_exc.SQLAlchemyError):
        return None
    orig = getattr(exc, "orig", None) or exc
    first = (str(orig).strip().splitlines() or [type(orig).__name__])[0]
    return f"数据库错误 (database error): {first[:200]}"


def _where(exc: BaseException) -> str:
    """``file:line`` of the innermost frame in station's own code (for a bug report)."""
    tb = exc.__traceback__
    where = "?"
    root = Path(__file__).resolve().parent.parent
    while tb is not None:
        path = Path(tb.tb_frame.f_code.co_filename)
        if path.is_relative_to(root):
            where = f"{path.relative_to(root.parent)}:{tb.tb_lineno}"
        tb = tb.tb_next
    return where


def _flush_stdout_fails() -> bool:
    """Flush stdout now; True when its reader has gone (then it is silenced for the exit)."""
    try:
        if sys.stdout is not None:
            sys.stdout.flush()
    except BrokenPipeError:
        _silence_stdout()
        return True
    return False


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
