"""Serving the simulated printer: a TCP listener (``socket://host:port``) or a pty (a
serial device path), one thread per client, bytes in -> frames -> replies out.

Why a module of its own: the link is not the printer.  ``SimServer`` knows nothing about
cards; it feeds what arrives to a ``FrameParser`` and writes back whatever the handler
answers (``None``: the printer says nothing).  The same handler serves every link, so a
test on a pty and a demo on TCP drive the same mechanics.
"""

from __future__ import annotations

import contextlib
import logging
import os
import select
import socket
import threading
import tty
from collections.abc import Callable

from station.printer.sim_protocol import Frame, FrameParser

log = logging.getLogger("station.printer.sim")

Handler = Callable[[Frame], str | None]
READ_CHUNK = 262144  # a whole panel download arrives in a few reads


class SimServer:
    """Threads that carry bytes between clients and ``handler``.  ``stop`` (an event
    shared with the mechanics, so a long mechanical wait ends too) ends them all."""

    def __init__(self, handler: Handler, stop: threading.Event) -> None:
        self._handler = handler
        self._stop = stop
        self._lock = threading.Lock()  # guards the list of open connections
        self._threads: list[threading.Thread] = []
        self._conns: list[socket.socket] = []
        self._listener: socket.socket | None = None
        self._pty: tuple[int, int] | None = None
        self.url = ""

    def serve_tcp(self, host: str = "127.0.0.1", port: int = 0) -> str:
        """Listen on ``host:port`` (0 = any free port); return the ``socket://`` URL."""
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((host, port))
        listener.listen(4)
        listener.settimeout(0.2)
        self._listener = listener
        bound_host, bound_port = listener.getsockname()[:2]
        self.url = f"socket://{bound_host}:{bound_port}"
        self._spawn(self._accept_loop, "printer-sim-accept")
        return self.url

    def serve_pty(self) -> str:
        """Open a pseudo-terminal and serve on its master; return the slave path, which
        the driver opens like any serial device."""
        master, slave = os.openpty()
        tty.setraw(slave)
        self._pty = (master, slave)  # keep the slave open: the master then never sees EIO
        self.url = os.ttyname(slave)
        self._spawn(self._pty_loop, "printer-sim-pty")
        return self.url

    def _spawn(self, target: Callable[[], None], name: str) -> None:
        thread = threading.Thread(target=target, name=name, daemon=True)
        self._threads.append(thread)
        thread.start()

    def _accept_loop(self) -> None:
        assert self._listener is not None
        while not self._stop.is_set():
            try:
                conn, _addr = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            conn.settimeout(None)
            conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            with self._lock:
                self._conns.append(conn)
            self._spawn(lambda c=conn: self._client_loop(c), "printer-sim-client")  # type: ignore[misc]

    def _client_loop(self, conn: socket.socket) -> None:
        parser = FrameParser()
        try:
            while not self._stop.is_set():
                chunk = conn.recv(READ_CHUNK)
                if not chunk:
                    return
                for frame in parser.feed(chunk):
                    reply = self._handler(frame)
                    if reply is not None:
                        conn.sendall(reply.encode("ascii") + b"\r")
        except OSError as exc:
            log.debug("printer client gone: %s", exc)
        finally:
            with self._lock:
                if conn in self._conns:
                    self._conns.remove(conn)
            conn.close()

    def _pty_loop(self) -> None:
        assert self._pty is not None
        master = self._pty[0]
        parser = FrameParser()
        while not self._stop.is_set():
            ready, _, _ = select.select([master], [], [], 0.2)
            if not ready:
                continue
            try:
                chunk = os.read(master, READ_CHUNK)
            except OSError:
                return
            for frame in parser.feed(chunk):
                reply = self._handler(frame)
                if reply is not None:
                    os.write(master, reply.encode("ascii") + b"\r")

    def stop(self) -> None:
        """Stop serving: the listener and every connection closed, threads joined."""
        self._stop.set()
        if self._listener is not None:
            self._listener.close()
        with self._lock:
            conns = list(self._conns)
        for conn in conns:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        for thread in self._threads:
            thread.join(5.0)
        self._threads.clear()
        if self._pty is not None:
            for fd in self._pty:
                with contextlib.suppress(OSError):
                    os.close(fd)
            self._pty = None
