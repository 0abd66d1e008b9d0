"""The ``station`` command line: every job the UI can do, for scripts and support.

Each area registers its subcommands from its own module (``station.cli.<area>``) so the
areas stay independent.  A handler returns the exit code; a ``StationError`` becomes one
clear line on stderr and exit code 2 — never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence

from station.config import Settings, load_settings
from station.errors import StationError

# area modules, each with ``register(subparsers)``; missing ones are skipped so a partial
# install still gives a working CLI for what is there
AREAS = ("apdu", "emulator", "card", "printer", "inventory", "demo")


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


def _fail(message: str) -> int:
    """One line on stderr, exit 2; stderr itself may be gone (a closed pipe)."""
    try:
        print(f"错误 error: {message}", file=sys.stderr)
    except (OSError, ValueError):
        pass
    return 2


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.WARNING - 10 * min(args.verbose, 2),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    func = getattr(args, "func", None)
    if func is None:
        parser.print_help()
        return 2
    try:
        args.settings = load_settings()
        return int(func(args) or 0)
    except StationError as exc:
        return _fail(exc.message + (f" [{exc.detail}]" if exc.detail else ""))
    except KeyboardInterrupt:
        _fail("已中断 (interrupted)")
        return 130
    except BrokenPipeError:
        # the reader of our output went away (``| head -1``): not an error of ours; keep
        # Python from complaining again when it flushes stdout at exit
        _silence_stdout()
        return 141
    except EOFError:
        return _fail("输入已结束 (input ended before the answer was read)")
    except OSError as exc:  # a file the user named: missing, a directory, no permission
        where = f" {exc.filename}" if exc.filename else ""
        return _fail(f"文件或设备错误 (file or device error){where}: {exc.strerror or exc}")


def _silence_stdout() -> None:
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
