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
        return int(func(args) or 0)
    except StationError as exc:
        line = exc.message + (f" [{exc.detail}]" if exc.detail else "")
        print(f"错误 error: {line}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("已中断 interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
