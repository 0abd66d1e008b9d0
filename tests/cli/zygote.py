"""A fork server for running the ``station`` command hundreds of times in a few seconds.

Why: the argparse walk runs every subcommand in ~250 situations (closed stdin, a closed
stdout pipe, missing files, ...).  A fresh interpreter costs ~0.4 s of CPU before
``main`` runs, which on 2 cores is most of a minute.  The server imports ``station.cli``
once and forks one child per run; the child gets its own stdin/stdout/stderr file
descriptors (passed over a Unix socket), its own session (no controlling terminal, so a
PIN prompt cannot wait on the developer's tty), environment and working directory, then
calls ``station.cli.main`` and ends the way the real ``station`` script does: it waits
for threads left running, runs ``atexit``, flushes stdout and stderr and prints an uncaught
exception's traceback exactly as the interpreter's exit would (``_exit_like_python``) — so
a closed pipe, a forgotten thread or an uncaught exception shows as it would for
``.venv/bin/station``; only the module teardown is skipped.

A few tests still start the real ``.venv/bin/station`` to check the two agree.

Protocol (one connection per run): the client sends one JSON request with the file
descriptors attached; the server answers ``<pid>\\n`` at once and ``<exit code>\\n`` when
the child has ended (a negative code is the signal that ended it).
"""

from __future__ import annotations

import atexit
import io
import json
import os
import select
import signal
import socket
import subprocess
import sys
import threading
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# imported once in the server so that children start warm
PRELOAD = (
    "station.cli",
    "station.apdu.pcsc",
    "station.card.reader",
    "station.card.pin",
    "station.emulator.cards",
    "station.profiles",
    "station.emulator.vpcd",
    "station.inventory",
    "station.inventory.service",
    "station.inventory.reports",
    "station.printer.evolis",
    "station.printer.face",
    "station.printer.simulator",
)


# -- server ---------------------------------------------------------------------------------


def _text_stream(fd: int, mode: str) -> io.TextIOWrapper:
    """A std stream like the interpreter builds at start-up for ``fd``."""
    tty = os.isatty(fd)
    raw = io.FileIO(fd, mode, closefd=False)
    buffered: io.BufferedIOBase = io.BufferedReader(raw) if mode == "r" else io.BufferedWriter(raw)
    return io.TextIOWrapper(
        buffered,
        encoding="utf-8",
        errors="backslashreplace" if fd == 2 else "strict",
        line_buffering=tty or fd == 2,
    )


def _child(request: dict[str, Any], fds: list[int]) -> None:
    """Become the ``station`` process the request describes; never returns normally."""
    os.setsid()  # no controlling terminal: getpass cannot open /dev/tty
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    targets = [1, 2] if request["stdin"] == "closed" else [0, 1, 2]
    for fd, target in zip(fds, targets, strict=True):
        os.dup2(fd, target)
        os.close(fd)
    if request["stdin"] == "closed":
        os.close(0)
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    sys.stdin = None if request["stdin"] == "closed" else _text_stream(0, "r")  # type: ignore[assignment]
    sys.stdout = _text_stream(1, "w")
    sys.stderr = _text_stream(2, "w")
    sys.argv = ["station", *request["argv"]]
    from station.cli import main

    try:
        code: object = main(request["argv"])
    except SystemExit as exc:
        code = exc.code
    except BaseException:  # what the interpreter does with an uncaught exception
        traceback.print_exc()
        code = 1
    os._exit(_exit_like_python(code))


def _exit_like_python(code: object) -> int:
    """The interpreter's exit sequence up to, not including, tearing the modules down (the
    slow part, ~70 ms after a fork): wait for non-daemon threads, run ``atexit``, flush
    stdout and stderr — complaining about a closed pipe the way Python does."""
    if code is None:
        code = 0
    elif not isinstance(code, int):
        print(code, file=sys.stderr)
        code = 1
    threading._shutdown()  # type: ignore[attr-defined]  # a thread left running hangs here
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except Exception:
            try:
                os.write(2, f"Exception ignored in: {stream!r}\n".encode())
                os.write(2, traceback.format_exc().splitlines()[-1].encode() + b"\n")
            except OSError:
                pass
            code = 120
    return code


def serve(path: str) -> None:
    import importlib

    for name in PRELOAD:
        importlib.import_module(name)
    from station.cli import build_parser

    build_parser()  # imports every area module
    import gc

    # objects of the warm-up stay out of the children's collections: without this each
    # child's exit walks (and copies on write) every object imported here, ~0.4 s a run
    gc.freeze()
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    if os.path.exists(path):  # left by an earlier run that was killed
        os.unlink(path)
    listener.bind(path)
    listener.listen(64)
    print("ready", flush=True)
    children: dict[int, tuple[int, socket.socket]] = {}  # pidfd -> (pid, connection)
    while True:
        ready, _, _ = select.select([listener, sys.stdin, *children], [], [])
        for item in ready:
            if item is sys.stdin:
                if not sys.stdin.readline():  # the test process went away
                    os._exit(0)
            elif item is listener:
                conn, _ = listener.accept()
                message, fds, _, _ = socket.recv_fds(conn, 1 << 20, 3)
                request = json.loads(message)
                pid = os.fork()
                if pid == 0:
                    listener.close()
                    conn.close()
                    for pidfd, (_, other) in children.items():
                        os.close(pidfd)
                        other.close()
                    _child(request, fds)
                for fd in fds:
                    os.close(fd)
                conn.sendall(f"{pid}\n".encode())
                children[os.pidfd_open(pid)] = (pid, conn)
            else:
                assert isinstance(item, int)
                pid, conn = children.pop(item)
                _, status = os.waitpid(pid, 0)
                os.close(item)
                try:
                    conn.sendall(f"{os.waitstatus_to_exitcode(status)}\n".encode())
                except OSError:
                    pass
                conn.close()


# -- client ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    argv: tuple[str, ...]
    code: int
    out: str
    err: str
    timed_out: bool
    seconds: float

    def show(self) -> str:
        return (
            f"station {' '.join(self.argv)}\n  exit {self.code}"
            f"{' (TIMED OUT, killed)' if self.timed_out else ''}, {self.seconds:.2f} s\n"
            f"  stdout: {self.out[-800:]!r}\n  stderr: {self.err[-1500:]!r}"
        )


def _line(conn: socket.socket, buffer: bytearray) -> bytes:
    """One ``\\n``-ended line from ``conn`` (the socket's timeout applies to each read)."""
    while b"\n" not in buffer:
        chunk = conn.recv(64)
        if not chunk:
            raise ConnectionError("fork server closed the connection")
        buffer += chunk
    line, _, rest = bytes(buffer).partition(b"\n")
    buffer[:] = rest
    return line


class Zygote:
    """Client side: start the server, run commands through it, stop it."""

    def __init__(self, workdir: Path, env: dict[str, str]) -> None:
        self.workdir = workdir
        self.sock = str(workdir / "zygote.sock")
        self.proc = subprocess.Popen(
            [sys.executable, __file__, self.sock],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
            cwd=workdir,
        )
        assert self.proc.stdout is not None
        ready, _, _ = select.select([self.proc.stdout], [], [], 60)
        line = self.proc.stdout.readline() if ready else b""
        if line.strip() != b"ready":
            self.close()
            raise RuntimeError(f"fork server did not start: {line!r}")

    def run(
        self,
        argv: list[str],
        *,
        env: dict[str, str],
        cwd: Path,
        stdin: str = "devnull",  # "devnull" | "closed"
        stdout: str = "file",  # "file" | "closed-pipe"
        timeout: float = 20.0,
    ) -> Run:
        import tempfile
        import time

        start = time.monotonic()
        out_file = tempfile.TemporaryFile(dir=cwd)
        err_file = tempfile.TemporaryFile(dir=cwd)
        fds: list[int] = []
        if stdin == "devnull":
            fds.append(os.open(os.devnull, os.O_RDONLY))
        if stdout == "closed-pipe":
            read_end, write_end = os.pipe()
            os.close(read_end)  # the reader is gone before the command writes (``| head -0``)
            fds.append(write_end)
        else:
            fds.append(os.dup(out_file.fileno()))
        fds.append(os.dup(err_file.fileno()))
        request = {"argv": argv, "env": env, "cwd": str(cwd), "stdin": stdin}
        timed_out = False
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
            conn.connect(self.sock)
            socket.send_fds(conn, [json.dumps(request).encode()], fds)
            for fd in fds:
                os.close(fd)
            conn.settimeout(10)
            buffer = bytearray()
            pid = int(_line(conn, buffer))
            conn.settimeout(max(0.1, timeout - (time.monotonic() - start)))
            try:
                line = _line(conn, buffer)
            except TimeoutError:
                timed_out = True
                try:  # its session: the command and anything it started
                    os.killpg(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                conn.settimeout(10)
                line = _line(conn, buffer)
            code = int(line)
        out_file.seek(0)
        err_file.seek(0)
        result = Run(
            tuple(argv),
            code,
            out_file.read().decode("utf-8", "replace"),
            err_file.read().decode("utf-8", "replace"),
            timed_out,
            time.monotonic() - start,
        )
        out_file.close()
        err_file.close()
        return result

    def close(self) -> None:
        if self.proc.poll() is None:
            assert self.proc.stdin is not None
            self.proc.stdin.close()  # the server exits on end of input
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc.stdout is not None:
            self.proc.stdout.close()


if __name__ == "__main__":
    serve(sys.argv[1])
