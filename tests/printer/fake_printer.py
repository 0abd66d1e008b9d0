"""A scriptable broken printer on a real TCP socket (the audit's "fake printer").

It speaks the frame format (it reuses the simulator's frame parser) and answers each
command the way its script says: a healthy reply by default, or garbage, silence, or a
reply drip-fed one byte at a time.  The driver under test talks to it through pyserial's
``socket://`` handler exactly as it talks to a real networked printer.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from dataclasses import dataclass

from station.printer.simulator import FrameParser


@dataclass(frozen=True)
class Answer:
    """Send these bytes at once (add the CR yourself when the reply should have one)."""

    data: bytes


@dataclass(frozen=True)
class Drip:
    """Send ``data`` one byte every ``interval`` seconds; ``forever`` repeats it."""

    data: bytes
    interval: float
    forever: bool = False


@dataclass(frozen=True)
class Silence:
    """Say nothing."""


Reply = Answer | Drip | Silence

HEALTHY: dict[str, Reply] = {
    "Rlr;p": Answer(b"OK\r"),
    "Rse;f": Answer(b"5,00 Volts\r"),
    "Rse;o": Answer(b"5,00 Volts\r"),
    "Rse;b": Answer(b"0,20 Volts\r"),
    "Rrt;count": Answer(b"100\r"),
    "Rsn": Answer(b"FAKE0001\r"),
    "Rfv": Answer(b"FAKE 1.0\r"),
    "Rst": Answer(b"OK\r"),
}


class FakePrinter:
    """``script`` maps a command (``"Pneab;E"``) or its name (``"Pneab"``) to a reply;
    ``default`` answers everything else (``OK`` unless told otherwise)."""

    def __init__(
        self, script: dict[str, Reply] | None = None, default: Reply = Answer(b"OK\r")
    ) -> None:
        self.script = {**HEALTHY, **(script or {})}
        self.default = default
        self.received: list[str] = []
        self._stop = threading.Event()
        self._listener = socket.socket()
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(4)
        self._listener.settimeout(0.1)
        host, port = self._listener.getsockname()[:2]
        self.url = f"socket://{host}:{port}"
        self._threads = [threading.Thread(target=self._accept, daemon=True)]
        self._threads[0].start()

    def _reply_for(self, text: str) -> Reply:
        return self.script.get(text) or self.script.get(text.split(";")[0]) or self.default

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            thread = threading.Thread(target=self._serve, args=(conn,), daemon=True)
            self._threads.append(thread)
            thread.start()

    def _serve(self, conn: socket.socket) -> None:
        parser = FrameParser()
        conn.settimeout(0.1)
        with conn:
            while not self._stop.is_set():
                try:
                    chunk = conn.recv(65536)
                except TimeoutError:
                    continue
                except OSError:
                    return
                if not chunk:
                    return
                for frame in parser.feed(chunk):
                    self.received.append(frame.text)
                    if not self._send(conn, self._reply_for(frame.text)):
                        return

    def _send(self, conn: socket.socket, reply: Reply) -> bool:
        """False when the client went away."""
        try:
            if isinstance(reply, Answer):
                conn.sendall(reply.data)
            elif isinstance(reply, Drip):
                while not self._stop.is_set():
                    for byte in reply.data:
                        if self._stop.wait(reply.interval):
                            return False
                        conn.sendall(bytes([byte]))
                    if not reply.forever:
                        break
        except OSError:
            return False
        return True

    def stop(self) -> None:
        self._stop.set()
        with contextlib.suppress(OSError):
            self._listener.close()
        for thread in self._threads:
            thread.join(2.0)

    def __enter__(self) -> FakePrinter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
