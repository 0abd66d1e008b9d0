"""Issue 9 item 1, as a rule: anything the project's scripts, Makefile, tests and code run is
installed by the project's own ``scripts/setup.sh`` — not left to whatever happened to be on
the machine where a test was written (``pgrep`` came with ``procps`` only by accident,
``openssl`` with whatever pulled it in).

The test reads every command the shell files run (at command position: after ``;``, ``|``,
``&&``, ``$(``, ``if``, ``!``, ``exec``, ``sudo``, ``flock FILE``, ``xvfb-run``, ...), every
``shutil.which("x")`` and every ``subprocess`` call whose argv starts with a literal name in
the Python files, and requires each one to be

* in ``TOOLS``, whose Debian package must be in setup.sh's ``SYSTEM_PACKAGES`` (and, where
  the tool is installed here, ``dpkg`` must agree that package brings it);
* or ``.venv/bin/X`` in ``VENV_TOOLS``, whose distribution must be named in pyproject.toml;
* or in ``BASE``: tools of packages every Debian system has (``Essential: yes`` or
  ``Priority: required``, which ``dpkg`` confirms here), or a shell builtin;
* or in ``NOT_INSTALLED`` with the reason it needs no installing.

A tool in none of them fails the test: add it to ``TOOLS`` and its package to setup.sh.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SETUP = ROOT / "scripts" / "setup.sh"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")

# tool -> the package setup.sh installs for it (the tool's own package or one depending on it)
TOOLS = {
    "pgrep": "procps",  # scripts/pcscd-start.sh, tests/apdu/test_pcsc.py
    "pcscd": "pcscd",
    "openssl": "openssl",  # tests/crypto/test_crypto_sm2.py: SM2 interoperability
    "xvfb-run": "xvfb",  # make screenshots
    "fc-match": "fontconfig",  # station/printer/face_text.py: a CJK font for the card face
    "fc-list": "fontconfig",  # station/card/receipt.py: the receipt's embedded font
    "psql": "postgresql",  # scripts/pg-start.sh
    "pg_ctlcluster": "postgresql",
    "pg_lsclusters": "postgresql",
    "pg_createcluster": "postgresql",
    "pg_isready": "postgresql",
}
# .venv/bin/X -> the distribution pyproject.toml names (None: the venv or project itself)
VENV_TOOLS = {
    "pyside6-lrelease": "PySide6",  # .qm translations compiled by setup.sh
    "ruff": "ruff",
    "mypy": "mypy",
    "lint-imports": "import-linter",
    "pytest": "pytest",
    "pip": None,
    "python": None,
    "station": None,
}
# on every Debian system: Essential or Priority required (checked with dpkg below)
BASE = {
    "apt-get", "awk", "bash", "cat", "cut", "date", "dirname", "dpkg-query", "env", "flock",
    "grep", "head", "id", "ls", "mkdir", "mktemp", "nohup", "rm", "runuser", "sed", "seq", "sh",
    "sha256sum", "sleep", "sort", "tail", "true",
}  # fmt: skip
BUILTINS = {
    ".", ":", "[", "[[", "break", "cd", "command", "continue", "echo", "eval", "exec", "exit",
    "export", "local", "printf", "read", "return", "set", "shift", "source", "test", "trap",
    "unset", "wait",
}  # fmt: skip
NOT_INSTALLED = {
    "sudo": "only when not root; setup itself needs root or the user's own sudo to install",
}

KEYWORDS = {"if", "then", "else", "elif", "fi", "do", "done", "while", "until", "!", "time"}
SKIP_SEGMENT = {"for", "case", "esac", "in", "select", "function"}
_NAME = re.compile(r"^[A-Za-z][\w.+-]*$")
_ASSIGN = re.compile(r"^[A-Za-z_]\w*=")


# -- reading shell ---------------------------------------------------------------------------


def _close_of(text: str, i: int, open_: str, close: str) -> int:
    """Index just past the ``close`` matching the ``open_`` already consumed before ``i``
    (quoted text inside skipped)."""
    depth = 1
    while i < len(text) and depth:
        if text[i] == "\\":
            i += 2
            continue
        if text[i] in "'\"" and open_ != "{":
            i = text.index(text[i], i + 1) + 1
            continue
        depth += (text[i] == open_) - (text[i] == close)
        i += 1
    return i


def _flatten(text: str) -> str:
    """Shell text with literal words (quoted strings, ``${…}``, escapes, comments) reduced
    to ``_`` and each command substitution set apart as ``; ( … ) ;`` so that splitting on
    operators leaves one simple command per piece."""
    out: list[str] = []
    i = 0
    while i < len(text):
        c = text[i]
        if c == "\\":
            out.append("_" if text[i + 1 : i + 2] != "\n" else " ")
            i += 2
        elif c == "#" and (i == 0 or text[i - 1] in " \t\n;"):
            i = text.find("\n", i) if "\n" in text[i:] else len(text)
        elif c == "'":
            i = text.index("'", i + 1) + 1
            out.append("_")
        elif c == '"':
            i += 1
            out.append("_")
            while text[i] != '"':
                if text[i] == "\\":
                    i += 2
                elif text.startswith("$((", i):
                    i = _close_of(text, i + 3, "(", ")") + 1
                elif text.startswith("$(", i):
                    end = _close_of(text, i + 2, "(", ")")
                    out.append(f" ; ( {_flatten(text[i + 2 : end - 1])} ) ; ")
                    i = end
                elif text[i] == "`":
                    end = text.index("`", i + 1)
                    out.append(f" ; ( {_flatten(text[i + 1 : end])} ) ; ")
                    i = end + 1
                else:
                    i += 1
            i += 1
        elif text.startswith("$((", i):
            i = _close_of(text, i + 3, "(", ")") + 1
            out.append("_")
        elif text.startswith("$(", i):
            end = _close_of(text, i + 2, "(", ")")
            out.append(f" ; ( {_flatten(text[i + 2 : end - 1])} ) ; ")
            i = end
        elif text.startswith("${", i):
            i = _close_of(text, i + 2, "{", "}")
            out.append("_")
        elif c == "`":
            end = text.index("`", i + 1)
            out.append(f" ; ( {_flatten(text[i + 1 : end])} ) ; ")
            i = end + 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


_ARRAY = re.compile(r"\b\w+\+?=\([^()]*\)")
_REDIRECT = re.compile(r"\d*(>>|>&|<&|>|<)-?\d*")
_SPLIT = re.compile(r"\|\||&&|[;|&(){}\n]")


# commands that run another command, and their options that take a value
WRAPPERS: dict[str, set[str]] = {
    "sudo": {"-u", "-g"},
    "runuser": {"-u", "-g"},
    "env": {"-u"},
    "xvfb-run": {"-n", "-s", "-e", "-f"},
    "command": set(),  # command -v NAME: NAME is looked for
    "exec": set(),
    "nohup": set(),
}
POSITIONAL_WRAPPERS = {"flock", "timeout"}  # flock FILE CMD, timeout DURATION CMD


def _skip_options(words: list[str], takes_value: set[str]) -> list[str]:
    while words and words[0].startswith("-"):
        opt = words.pop(0)
        if opt == "--":
            break
        if opt in takes_value and words:
            words.pop(0)
    return words


def shell_commands(text: str) -> set[str]:
    """The names a piece of shell runs as commands (variables and paths left out)."""
    functions = set(re.findall(r"^\s*([\w-]+)\s*\(\)", text, re.M))
    found: set[str] = set()
    flat = _ARRAY.sub(" ", _flatten(text))  # NAME=( words ): data, not commands
    for piece in _SPLIT.split(_REDIRECT.sub(" ", flat)):
        words = piece.split()
        while words:
            word = words.pop(0)
            if word in SKIP_SEGMENT:
                break
            if word in KEYWORDS or _ASSIGN.match(word):
                continue
            if re.fullmatch(r"\$\{?SUDO\}?", word):  # $SUDO apt-get …: the next word runs
                words = _skip_options(words, WRAPPERS["sudo"])
                continue
            if word.startswith(".venv/bin/"):
                found.add(word)
                break
            if word in BUILTINS - WRAPPERS.keys():
                found.add(word)
                break
            if not _NAME.match(word) or word in functions:
                break  # a path, a placeholder, a number, a function of the script itself
            found.add(word)
            if word in WRAPPERS:
                words = _skip_options(words, WRAPPERS[word])
                if word == "env":
                    while words and _ASSIGN.match(words[0]):
                        words.pop(0)
                continue
            if word in POSITIONAL_WRAPPERS:
                words = _skip_options(words, set())[1:]
                continue
            break
    return found


def _shell_files() -> dict[str, str]:
    files = {
        str(p.relative_to(ROOT)): p.read_text(encoding="utf-8") for p in ROOT.glob("scripts/*.sh")
    }
    recipes = []
    for line in (ROOT / "Makefile").read_text(encoding="utf-8").splitlines():
        if line.startswith("\t"):
            recipes.append(line[1:].lstrip("@-+").replace("$$", "$"))
    files["Makefile"] = "\n".join(recipes).replace("\\\n", " ")
    return files


# -- reading Python ----------------------------------------------------------------------------

_WHICH = re.compile(r"shutil\.which\(\s*[\"']([\w.+-]+)[\"']")
_CALL = r"subprocess\.(?:run|Popen|call|check_call|check_output)\("
_ARGV = re.compile(_CALL + r"\s*\[\s*[\"']([\w.+-]+)[\"']")
_EXEC = re.compile(r"os\.exec\w*p\w*\(\s*[\"']([\w.+-]+)[\"']")  # execvp("name", …)
_SHELL_STRING = re.compile(_CALL + r"\s*f?(?:\"([^\"\n]*)\"|'([^'\n]*)')\s*,\s*shell=True")


def python_commands(text: str) -> set[str]:
    found = set(_WHICH.findall(text)) | set(_ARGV.findall(text)) | set(_EXEC.findall(text))
    for double, single in _SHELL_STRING.findall(text):
        found |= shell_commands(re.sub(r"\{[^}]*\}", "_", double or single))
    return found


def _python_files() -> list[Path]:
    here = Path(__file__).resolve()
    return [
        p
        for folder in ("tests", "station", "bench", "scripts")
        for p in sorted((ROOT / folder).rglob("*.py"))
        if p.resolve() != here
    ]


def used_tools() -> dict[str, set[str]]:
    """tool -> the files that run it."""
    used: dict[str, set[str]] = {}
    for name, text in _shell_files().items():
        for tool in shell_commands(text):
            used.setdefault(tool, set()).add(name)
    for path in _python_files():
        for tool in python_commands(path.read_text(encoding="utf-8")):
            used.setdefault(tool, set()).add(str(path.relative_to(ROOT)))
    return used


def setup_packages() -> set[str]:
    text = SETUP.read_text(encoding="utf-8")
    m = re.search(r"SYSTEM_PACKAGES=\((.*?)\n\)", text, re.S)
    assert m, "setup.sh has no SYSTEM_PACKAGES=( … ) list"
    return {w for line in m.group(1).splitlines() for w in line.split("#")[0].split()}


# -- the rule ----------------------------------------------------------------------------------


def test_the_reader_sees_commands_where_the_shell_runs_them() -> None:
    """The reader itself, on lines like the project's (so the rule cannot pass by reading
    nothing)."""
    text = (
        'if pgrep -x pcscd >/dev/null 2>&1 && [ -S "$x" ]; then exit 0; fi\n'
        "want=$(sha256sum pyproject.toml | cut -d' ' -f1)  # openssl in a comment\n"
        'if [ "$(cat "$stamp")" != "$want" ]; then echo "make setup"; fi\n'
        "$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >&2\n"
        'nohup "$PCSCD" --foreground >"$LOG" 2>&1 &\n'
        "flock /tmp/x.lock xvfb-run -a .venv/bin/python s.py || exit 1\n"
        'as_postgres() {\n  runuser -u postgres -- psql -tA "$@"\n}\n'
        "for _ in $(seq 1 3); do pg_isready -q || sleep 0.5; done\n"
        "awk -v v=1 '$1==v {print $4}' | sudo -n -u postgres psql\n"
    )
    assert shell_commands(text) == {
        "pgrep", "[", "exit", "sha256sum", "cut", "cat", "echo", "env", "apt-get", "nohup",
        "flock", "xvfb-run", ".venv/bin/python", "runuser", "psql", "seq", "pg_isready",
        "sleep", "awk", "sudo",
    }  # fmt: skip
    py = (
        'exe = shutil.which("openssl")\n'
        'subprocess.check_output(["pgrep", "-x", "pcscd"])\n'
        "subprocess.run(\n    [sys.executable, '-m', 'station'])\n"
        "proc = subprocess.run(\n"
        "    f\"'{STATION}' emulator list | head -1\",\n    shell=True,\n)\n"
    )
    assert python_commands(py) == {"openssl", "pgrep", "head"}


def test_every_tool_the_project_runs_is_installed_by_setup() -> None:
    packages = setup_packages()
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    used = used_tools()
    for expected in ("pgrep", "openssl", "pcscd", "psql", "xvfb-run", ".venv/bin/pyside6-lrelease"):
        assert expected in used, f"the scan no longer sees {expected}: the reader is broken"
    problems = []
    for tool, where in sorted(used.items()):
        files = ", ".join(sorted(where))
        if tool.startswith(".venv/bin/"):
            name = tool.removeprefix(".venv/bin/")
            if name not in VENV_TOOLS:
                problems.append(f"{tool} ({files}): not in VENV_TOOLS")
            elif VENV_TOOLS[name] and f'"{VENV_TOOLS[name]}' not in pyproject:
                problems.append(f"{tool}: {VENV_TOOLS[name]} is not a dependency in pyproject")
        elif tool in TOOLS:
            if TOOLS[tool] not in packages:
                problems.append(f"{tool} ({files}): package {TOOLS[tool]} not in setup.sh")
        elif tool not in BASE | BUILTINS | NOT_INSTALLED.keys():
            problems.append(f"{tool} ({files}): unknown tool — add it to TOOLS and setup.sh")
    assert not problems, "\n".join(problems)


def test_the_maps_name_only_what_is_still_used() -> None:
    """A stale entry would let a forgotten package look needed (and hide nothing)."""
    used = used_tools()
    assert not set(TOOLS) - set(used), "TOOLS entries no script or test runs"
    assert not set(NOT_INSTALLED) - set(used)


# -- dpkg agrees (on this Debian machine) ------------------------------------------------------


@cache
def _dpkg(*argv: str) -> str:
    proc = subprocess.run(argv, capture_output=True, text=True, timeout=30, check=False)
    return proc.stdout


_SEARCH = os.pathsep.join([os.environ.get("PATH", ""), "/usr/sbin", "/sbin"])


@cache
def _owners() -> dict[str, str]:
    """tool -> the installed package holding its executable, for every tool the maps name
    and that is installed here (one dpkg-query for all)."""
    paths: dict[str, list[str]] = {}
    for tool in sorted(TOOLS.keys() | BASE):
        found = shutil.which(tool, path=_SEARCH)
        if found is not None:
            real = os.path.realpath(found)
            merged = [p.removeprefix("/usr") for p in (real, found)]
            paths[tool] = list(dict.fromkeys([real, found, *merged]))
    listed = _dpkg("dpkg-query", "-S", *[p for ps in paths.values() for p in ps])
    owner_of = {}
    for line in listed.splitlines():
        packages, _, path = line.rpartition(": ")
        owner_of[path] = packages.split(",")[0].split(":")[0].strip()
    return {
        tool: next((owner_of[p] for p in ps if p in owner_of), "") for tool, ps in paths.items()
    }


def _brings(package: str, wanted: str, depth: int = 4) -> bool:
    """Whether installing ``package`` installs ``wanted`` (itself or through Depends)."""
    seen = {package}
    level = [package]
    for _ in range(depth):
        if wanted in seen:
            return True
        nxt = []
        for pkg in level:
            deps = _dpkg("dpkg-query", "-W", "-f=${Depends},${Pre-Depends}", pkg)
            for alt in re.split(r"[,|]", deps):
                name = alt.strip().split(" ")[0].split(":")[0]
                if name and name not in seen:
                    seen.add(name)
                    nxt.append(name)
        level = nxt
    return wanted in seen


@pytest.fixture(scope="module")
def dpkg() -> None:
    if shutil.which("dpkg-query") is None:
        if IN_CI:
            pytest.fail("dpkg-query missing: the project's machines are Debian")
        pytest.skip("not a Debian system")


def test_dpkg_agrees_with_the_tools_map(dpkg: None) -> None:
    wrong = []
    for tool, package in sorted(TOOLS.items()):
        owner = _owners().get(tool, "")
        if not owner:
            wrong.append(f"{tool}: not installed here — run scripts/setup.sh")
        elif not _brings(package, owner):
            wrong.append(f"{tool} is in {owner}, which {package} does not bring")
    assert not wrong, "\n".join(wrong)


def test_base_tools_come_with_every_debian_system(dpkg: None) -> None:
    wrong = []
    for tool in sorted(BASE):
        owner = _owners().get(tool, "")
        flags = _dpkg("dpkg-query", "-W", "-f=${Essential} ${Priority}", owner) if owner else ""
        if not owner:
            wrong.append(f"{tool}: not installed here")
        elif not (flags.startswith("yes") or flags.endswith("required")):
            wrong.append(f"{tool} is in {owner} ({flags}): not on every system, add to TOOLS")
    assert not wrong, "\n".join(wrong)
