"""Issue 9, item 2: no ``station`` command ends in a traceback, whatever a newcomer does.

The test walks the whole argparse tree (so a command added tomorrow is walked too) and runs
every command

* with ``--help``: exit 0 and a usage text;
* with no arguments (stdin ``/dev/null``, and again with fd 0 closed);
* with an example of real arguments while stdin is closed and stdout is a pipe whose reader
  has already gone (``| head -0``);
* with each path-like option naming a missing file, a directory where a file belongs (or a
  file where a folder belongs);

and requires each run to end with one error line (or a usage text) and a non-zero exit code
— 0 only where ``SUCCEEDS_BARE``/``CREATES`` say why — never a traceback, an internal error
or a hang.  Devices are unreachable through the environment: PC/SC points at a socket that
does not exist (``PCSCLITE_CSOCK_NAME``), the printer at a closed loopback port, the book at
a SQLite file in each run's own folder.  Runs go through a fork server (``zygote.py``) so
~300 runs take seconds; ``test_real_script_*`` check the real ``.venv/bin/station`` agrees.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from station.cli import EXIT_INTERNAL, EXIT_PIPE, build_parser, existing_dir, existing_file

from .zygote import Run, Zygote

# the walk holds the vpcd lock (``_vpcd_lock``): it runs with the PC/SC tests
pytestmark = pytest.mark.pcsc
STATION = Path(sys.executable).with_name("station")
RUN_TIMEOUT = 20.0  # seconds one run may take; more is a hang and fails the test
WALK_BUDGET = 90.0  # the whole walk; it takes ~10-20 s on 2 cores

# -- what the walk knows about commands (keep short; every entry says why) ------------------

# commands that legitimately succeed with no arguments
SUCCEEDS_BARE = {
    "emulator list": "lists the shipped profiles",
    "inventory init": "creates the book STATION_DB_URL names",
    "inventory migrate": "upgrades the book STATION_DB_URL names",
    "inventory status": "reports on the (empty) book",
    "inventory verify-ledger": "an empty ledger is intact",
    "inventory report": "the balance table of the (empty) book",
    "monitor": "watches until Ctrl-C (bounded here by --timeout)",
    "printer simulate": "serves until Ctrl-C (bounded here by --for)",
    "gui": "opens the desktop app until it is closed (bounded here by --for)",
}
# long-running commands get these arguments in every run so they end by themselves
BOUNDED = {
    "monitor": ["--timeout", "0.3"],
    "printer simulate": ["--for", "0.3", "--listen", "127.0.0.1:0", "--no-vpcd"],
    "emulator serve": ["--for", "0.3"],
    "gui": ["--for", "0.5"],
}
# commands whose job is not on stdout: a closed stdout pipe takes nothing from them
NO_STDOUT = {"gui": "its output is a window"}
# arguments that take a command past parsing to where it reads stdin / writes stdout
# (the rest get a generic filling: first choice, 1 for numbers, an empty file for paths)
VIRTUAL = ["--virtual", "gen3-sm4-issued"]  # an in-process card: no reader needed
EXAMPLES: dict[str, list[list[str]]] = {
    "card read": [VIRTUAL],
    "card verify": [VIRTUAL],
    "pin verify": [VIRTUAL, [*VIRTUAL, "--pin-stdin"]],
    "pin change": [VIRTUAL, [*VIRTUAL, "--pin-stdin"]],
    "pin unlock": [VIRTUAL],
    "pin reset": [VIRTUAL, [*VIRTUAL, "--pin-stdin"]],
    "emulator serve": [["--profile", "gen3-sm4-issued", "--slot", "1"]],
    "emulator make-blanks": [["--profile", "gen3-sm4-blank", "--count", "2", "--out", "blanks"]],
    "profile check": [["gen3-sm4-issued"]],
    "inventory stock-in": [["--manifest", "-"]],
    "inventory count": [["--location", "D1", "--cards", "-"]],
    "inventory report": [["--format", "csv"]],
    "demo": [["--out", "demo-out", "--time-scale", "0"]],
}
# path-like options the parser cannot tell by their type
PATH_OPTIONS = {
    "--db", "--out", "--manifest", "--cards", "--data", "--layout", "--hopper", "--state",
    "--keys", "--audit", "--receipt-pdf", "--panels", "--witness-file",
}  # fmt: skip
PATH_POSITIONALS = {"file", "path"}
# options naming a folder: the wrong kind of thing for them is a regular file
FOLDER_OPTIONS = {
    ("emulator make-blanks", "--out"),
    ("demo", "--out"),
    ("face render", "--panels"),
    ("printer simulate", "--out"),
    ("printer simulate", "--hopper"),
}
# a missing path these options name is created, so the run may succeed
CREATES = {
    ("inventory init", "--db"): "creates the book and its folder",
    ("inventory migrate", "--db"): "creates the book and its folder",
    ("emulator make-blanks", "--out"): "an output folder, created",
    ("demo", "--out"): "an output folder, created",
    ("emulator serve", "--state"): "a virtual card's state file, created",
    ("inventory report", "--out"): "a report file, written with its folder",
    ("printer simulate", "--out"): "a folder for printed panels, created",
    ("card read", "--state"): "a virtual card's state file, created",
    ("card verify", "--state"): "a virtual card's state file, created",
    ("pin unlock", "--state"): "a virtual card's state file, created",
    ("pin unlock", "--audit"): "an audit log, created",
    ("pin unlock", "--receipt-pdf"): "a receipt, written",
}
# the one error line an error exit prints (ours, or argparse's after its usage text)
ERROR_LINE = re.compile(r"^(错误 error: |station( [\w-]+)*: error: )")


# -- the walk -------------------------------------------------------------------------------


def _commands(
    parser: argparse.ArgumentParser, path: tuple[str, ...] = ()
) -> Iterator[tuple[str, argparse.ArgumentParser]]:
    subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not subs or not any(a.required for a in subs):
        yield " ".join(path), parser  # a leaf, or a group that runs by itself
    for action in subs:
        for name, child in action.choices.items():
            yield from _commands(child, (*path, name))


COMMANDS = dict(_commands(build_parser()))


def _is_path(action: argparse.Action) -> bool:
    if action.type in (Path, existing_file, existing_dir) or action.metavar in ("FILE", "DIR"):
        return True
    if action.option_strings:
        return bool(set(action.option_strings) & PATH_OPTIONS)
    return action.dest in PATH_POSITIONALS


def _filler(action: argparse.Action) -> list[str]:
    if action.choices:
        value = str(next(iter(action.choices)))
    elif action.type in (int, float):
        value = "1"
    elif _is_path(action):
        value = "empty.txt"
    else:
        value = "x"
    return [*action.option_strings[:1], value]


def _generic(parser: argparse.ArgumentParser) -> list[str]:
    """Arguments that satisfy the parser: every required option and positional filled."""
    argv: list[str] = []
    grouped = set()
    for group in parser._mutually_exclusive_groups:
        grouped |= {id(a) for a in group._group_actions}
        if group.required:
            argv += _filler(group._group_actions[0])
    for action in parser._actions:
        if id(action) in grouped or isinstance(action, argparse._SubParsersAction):
            continue
        positional = not action.option_strings
        if action.required or (positional and action.nargs not in ("?", "*")):
            argv += _filler(action)
    return argv


@dataclass(frozen=True)
class Case:
    command: str
    label: str
    argv: list[str]
    expect: str  # "help" | "fail" | "any"
    stdin: str = "devnull"
    stdout: str = "file"


def _cases(command: str, parser: argparse.ArgumentParser) -> Iterator[Case]:
    words = command.split()
    bound = BOUNDED.get(command, [])
    yield Case(command, "--help", [*words, "--help"], "help")
    yield Case(command, "--help | head -0", [*words, "--help"], "any", stdout="closed-pipe")
    bare = "any" if command in SUCCEEDS_BARE else "fail"
    yield Case(command, "no arguments", [*words, *bound], bare)
    yield Case(command, "no arguments, stdin closed", [*words, *bound], bare, stdin="closed")
    examples = EXAMPLES.get(command) or [_generic(parser)]
    for example in examples:
        argv = [*words, *example, *bound]
        shown = " ".join(example)
        yield Case(command, f"{shown}, stdin closed", argv, "any", stdin="closed")
        piped = "any" if command in NO_STDOUT else "fail"
        yield Case(
            command, f"{shown} <&- | head -0", argv, piped, stdin="closed", stdout="closed-pipe"
        )
    example = examples[0]
    for action in parser._actions:
        if not _is_path(action):
            continue
        name = action.option_strings[0] if action.option_strings else action.dest
        folder = (command, name) in FOLDER_OPTIONS
        wrong = ("a file for a folder", "empty.txt") if folder else ("a directory", "a-dir")
        for label, value in (("missing", "missing/none.file"), wrong):
            if action.option_strings:
                argv = [*words, *example, *bound, name, value]
            else:  # the positional itself: replace the filler
                argv = [*words, *[value if v == "empty.txt" else v for v in example], *bound]
                if value not in argv:
                    argv = [*words, value, *bound]
            created = label == "missing" and (command, name) in CREATES
            yield Case(command, f"{name} {label}", argv, "any" if created else "fail")


def _problems(case: Case, run: Run) -> list[str]:
    found = []
    if run.timed_out:
        found.append(f"hung: killed after {RUN_TIMEOUT:.0f} s")
    elif run.code < 0:
        found.append(f"killed by signal {-run.code}")
    for name, text in (("stdout", run.out), ("stderr", run.err)):
        if "Traceback" in text or "Exception ignored" in text:
            found.append(f"a traceback on {name}")
    if run.code == EXIT_INTERNAL or "internal error" in run.err:
        found.append("an internal error (a bug: an exception nobody turned into a message)")
    if case.expect == "help" and (run.code != 0 or "usage:" not in run.out):
        found.append("--help did not print usage and exit 0")
    if case.expect == "fail" and run.code == 0:
        found.append("exit code 0 for a run that cannot have done its job")
    if run.code not in (0, EXIT_PIPE) and not run.timed_out and run.code > 0:
        found += _stderr_problems(run)
    return found


def _stderr_problems(run: Run) -> list[str]:
    """An error exit says one thing: stderr is exactly one error line, or argparse's usage
    block followed by its one error line, or (a group run bare) the group's help.  No
    warnings, progress or partial output before it: a clerk reads one line."""
    lines = [ln for ln in run.err.splitlines() if ln.strip()]
    if not lines:
        helped = run.out.lstrip().startswith("usage:")
        return [] if helped else [f"exit {run.code} without a message"]
    if lines[0].startswith("usage:"):
        if not ERROR_LINE.match(lines[-1]):
            return []  # a group run bare prints its whole help to stderr: a usage text
        lines = [ln for ln in lines[1:] if not ln.startswith(" ")]  # usage continuation
    if len(lines) != 1 or not ERROR_LINE.match(lines[0]):
        return [f"{len(lines)} lines on stderr, not one error line: {lines[0]!r}"]
    return []


def test_stderr_rule_allows_one_error_line_only() -> None:
    """The rule itself: what an error exit may print on stderr, and what it may not."""

    def run(err: str, out: str = "") -> Run:
        return Run(("x",), 2, out, err, False, 0.1)

    one = "错误 error: 文件不存在 (file not found)\n"
    usage = "usage: station inventory [-h]\n       [--db DB]\nstation inventory: error: bad\n"
    assert _stderr_problems(run(one)) == []
    assert _stderr_problems(run(usage)) == []
    assert _stderr_problems(run("usage: station pin ...\n\noptions:\n  -h  help\n")) == []
    assert _stderr_problems(run("", out="usage: station\n")) == []
    for bad in (
        "", "注意 warning: expired\n" + one, one + one, "  第3行 line 3: bad\n" + one,
        one + "later\n", "usage: station x\nnoise\nstation x: error: bad\n",
    ):  # fmt: skip
        assert _stderr_problems(run(bad)), bad


@dataclass
class Walk:
    results: dict[str, list[tuple[Case, Run]]] = field(default_factory=dict)
    seconds: float = 0.0


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _env(case_dir: Path, printer_port: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("STATION_")}
    env.update(
        HOME=str(case_dir),
        XDG_CONFIG_HOME=str(case_dir / "config"),
        XDG_DATA_HOME=str(case_dir / "data"),
        STATION_CONFIG=str(case_dir / "no-such-settings.toml"),
        STATION_DATA_DIR=str(case_dir / "data"),
        STATION_DB_URL=f"sqlite:///{case_dir / 'stock.db'}",
        STATION_PRINTER_URL=f"socket://127.0.0.1:{printer_port}",
        STATION_PRINTER_TIMEOUT="3",
        STATION_CARD_TIMEOUT="3",
        STATION_CARD_READER="No Such Reader 00",
        STATION_PSAM_READER="No Such Reader 01",
        STATION_OPERATOR="walker",
        STATION_OUTLET="walk test outlet",
        PCSCLITE_CSOCK_NAME=str(case_dir / "no-pcscd.sock"),  # PC/SC is down for the walk
    )
    return env


def _prepare(case_dir: Path, book: Path) -> None:
    case_dir.mkdir(parents=True)
    (case_dir / "empty.txt").write_bytes(b"")
    (case_dir / "a-dir").mkdir()
    shutil.copy(book, case_dir / "stock.db")


@contextmanager
def _vpcd_lock() -> Iterator[None]:
    """The conftest's cross-process vpcd lock, for a module-scoped fixture."""
    path = Path(os.environ.get("STATION_VPCD_LOCK", "/tmp/station-vpcd.lock"))
    path.touch(exist_ok=True)
    with path.open("r+") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


@pytest.fixture(scope="module")
def walk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Walk]:
    """Run every case once (in parallel) and keep the results for the per-command tests.

    Holds the vpcd lock: ``emulator serve`` briefly presents a card in slot 1."""
    base = tmp_path_factory.mktemp("walk")
    port = _closed_port()
    start = time.monotonic()
    zygote = Zygote(base, _env(base, port))
    with _closing(zygote):
        template = base / "template"
        template.mkdir()
        init = zygote.run(["inventory", "init"], env=_env(template, port), cwd=template, timeout=60)
        assert init.code == 0, init.show()
        book = template / "stock.db"
        cases = [case for name, p in COMMANDS.items() for case in _cases(name, p)]
        dirs = [base / f"case-{i:03d}" for i in range(len(cases))]
        for d in dirs:
            _prepare(d, book)

        def one(i: int) -> tuple[Case, Run]:
            case, cwd = cases[i], dirs[i]
            return case, zygote.run(
                case.argv,
                env=_env(cwd, port),
                cwd=cwd,
                stdin=case.stdin,
                stdout=case.stdout,
                timeout=RUN_TIMEOUT,
            )

        result = Walk()
        waited = time.monotonic()
        with _vpcd_lock(), ThreadPoolExecutor(max_workers=3) as pool:
            waited = time.monotonic() - waited  # other tests' turn with vpcd: not the walk's
            for case, run in pool.map(one, range(len(cases))):
                result.results.setdefault(case.command, []).append((case, run))
        result.seconds = time.monotonic() - start - waited
    yield result


@contextmanager
def _closing(zygote: Zygote) -> Iterator[Zygote]:
    try:
        yield zygote
    finally:
        zygote.close()


@pytest.mark.parametrize("command", sorted(COMMANDS), ids=lambda c: c or "(station)")
def test_no_traceback(walk: Walk, command: str) -> None:
    runs = walk.results[command]
    assert len(runs) >= 6
    bad = [
        f"[{case.label}] {', '.join(found)}\n{run.show()}"
        for case, run in runs
        if (found := _problems(case, run))
    ]
    assert not bad, f"{len(bad)} of {len(runs)} runs of `station {command}`:\n" + "\n".join(bad)


def test_walk_covers_the_tree_in_time(walk: Walk) -> None:
    # every area is walked (a module failing to import would drop its commands silently)
    for command in ("readers", "emulator list", "card read", "pin reset", "printer status"):
        assert command in COMMANDS
    assert any(c.startswith("inventory ") for c in COMMANDS)
    assert any(c == "demo" for c in COMMANDS)
    total = sum(len(r) for r in walk.results.values())
    print(f"walk: {len(COMMANDS)} commands, {total} runs, {walk.seconds:.1f} s")
    assert walk.seconds < WALK_BUDGET


def test_allowlists_name_real_commands() -> None:
    """An allowlist entry for a command that no longer exists would hide nothing and rot."""
    for name in [*SUCCEEDS_BARE, *BOUNDED, *EXAMPLES, *NO_STDOUT]:
        assert name in COMMANDS, name
    for name, option in [*FOLDER_OPTIONS, *CREATES]:
        options = {o for a in COMMANDS[name]._actions for o in a.option_strings}
        assert option in options, (name, option)


# -- the real script, for the cases the issue reported ---------------------------------------


def _real(argv: list[str], tmp_path: Path, **kw: object) -> subprocess.CompletedProcess[str]:
    env = _env(tmp_path, _closed_port())
    return subprocess.run(
        [str(STATION), *argv],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT,
        start_new_session=True,  # no terminal: a PIN prompt must not wait on ours
        **kw,  # type: ignore[arg-type]
    )


def test_real_script_emulator_list_into_head(tmp_path: Path) -> None:
    proc = subprocess.run(
        f"'{STATION}' emulator list | head -1",
        shell=True,
        env=_env(tmp_path, _closed_port()),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT,
    )
    assert proc.returncode == 0
    assert len(proc.stdout.splitlines()) == 1
    assert proc.stderr == ""


def test_real_script_pin_without_terminal(tmp_path: Path) -> None:
    for stdin in (subprocess.DEVNULL, None):
        argv = ["pin", "verify", "--virtual", "gen3-sm4-issued"]
        if stdin is None:  # fd 0 closed, as after `<&-`
            proc = subprocess.run(
                ["sh", "-c", 'exec "$@" <&-', "sh", str(STATION), *argv],
                env=_env(tmp_path, _closed_port()),
                cwd=tmp_path,
                capture_output=True,
                text=True,
                timeout=RUN_TIMEOUT,
                start_new_session=True,
            )
        else:
            proc = _real(argv, tmp_path, stdin=stdin)
        assert proc.returncode == 2, proc.stderr
        assert "Traceback" not in proc.stderr
        assert proc.stderr.strip().splitlines()[-1].startswith("错误 error: ")
        assert "--pin-stdin" in proc.stderr


def test_real_script_report_into_missing_folder_and_plain_db_path(tmp_path: Path) -> None:
    init = _real(["inventory", "init", "--db", "stock.db"], tmp_path)
    assert init.returncode == 0, init.stderr
    assert (tmp_path / "stock.db").is_file()  # a plain path is a SQLite file, not an error
    (tmp_path / "a-file").write_text("")
    for out, codes in (
        (tmp_path / "nonexistent" / "x.pdf", (0, 2)),  # written with its folder, or refused
        (tmp_path / "a-file" / "x.pdf", (2,)),  # a file where the folder should be
    ):
        proc = _real(
            ["inventory", "report", "--db", "stock.db", "--format", "pdf", "--out", str(out)],
            tmp_path,
        )
        assert proc.returncode in codes, proc.stderr
        assert "Traceback" not in proc.stderr
        if proc.returncode:
            assert proc.stderr.strip().splitlines()[-1].startswith("错误 error: ")
        else:
            assert out.stat().st_size > 0


def test_real_script_help_into_closed_pipe(tmp_path: Path) -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        proc = subprocess.run(
            [str(STATION), "printer", "--help"],
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            timeout=RUN_TIMEOUT,
            cwd=tmp_path,
        )
    finally:
        os.close(write_end)
    # argparse drops help it cannot write and exits 0; anything else we turn into 141
    assert proc.returncode in (0, EXIT_PIPE)
    assert proc.stderr == ""
