"""The clerk screen over real pcscd + vpcd: the virtual card in slot 0, the virtual PSAM in
slot 1 (PsamKeyProvider over PC/SC on the PSAM worker), workers started, a clerk signed in.

``make_rig`` opens the app's own main window and signs a teller in, so the clerk screen is
the one the app builds (``app=True``, the default), or the clerk screen alone with another
``PinEntry`` factory (a PIN pad).  ``PullOn`` is a virtual card that is pulled out of the
reader when a chosen APDU reaches it; ``pdf_text`` reads the text back out of a PDF.

The PINs are eight digits drawn only from 5, 6 and 8: no date, time, serial, card number,
SSN or hex dump of this card can hold such a run by accident (a year has a 0 or 2, and a
random 8-hex-digit run matches with odds of 1 in 4e9), so a hit is a leak.
"""

from __future__ import annotations

import base64
import re
import threading
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QElapsedTimer, QObject, QTimer, Slot

from station.emulator.cards import make_card, make_psam
from station.profiles import load_profile
from station.ui.clerk.view import ClerkView

CARD = "gen3-sm4-issued"
PSAM = "psam-sm4"
INITIAL_PIN = "86585668"  # the card's PIN as issued (the profile's 123456 overridden)
NEW_PIN = "58868565"
NEW_PIN_2 = "65858856"
WRONG_PIN = "85665885"
PINS = (INITIAL_PIN, NEW_PIN, NEW_PIN_2, WRONG_PIN)
WAIT_MS = 30_000


class Watchdog(QObject):
    """A 10 ms timer on the UI thread; the largest gap between its ticks is how long the
    event loop was blocked (plus at most one interval)."""

    def __init__(self) -> None:
        super().__init__()
        self.timer = QTimer(self)
        self.timer.setInterval(10)
        self.timer.timeout.connect(self.tick)
        self.clock = QElapsedTimer()
        self.largest_ms = 0
        self.ticks = 0

    def start(self) -> None:
        self.largest_ms = 0
        self.ticks = 0
        self.clock.start()
        self.timer.start()

    @Slot()
    def tick(self) -> None:
        self.largest_ms = max(self.largest_ms, self.clock.restart())
        self.ticks += 1

    def stop(self) -> int:
        self.timer.stop()
        self.largest_ms = max(self.largest_ms, self.clock.elapsed())
        return self.largest_ms


class PullOn:
    """A virtual card that leaves the reader when, once armed, an APDU matching ``when``
    reaches it: that APDU is never executed (the card keeps its state) and the link drops
    at once, as when the holder pulls the card while the command is on its way.
    Everything else is the wrapped card's.  ``pulled`` is set once it happened."""

    def __init__(self, card: Any, link: Any) -> None:
        self._card, self._link = card, link
        self._when: Callable[[bytes], bool] | None = None
        self.pulled = threading.Event()
        self.apdus_after = 0  # commands that reached the card after the pull (must stay 0)

    def arm(self, when: Callable[[bytes], bool]) -> None:
        self._when = when

    def __getattr__(self, name: str) -> Any:
        return getattr(self._card, name)

    def execute(self, apdu: bytes) -> bytes:
        if self.pulled.is_set():
            self.apdus_after += 1
        elif self._when is not None and self._when(apdu):
            self.pulled.set()
            self._link.remove()  # the socket to pcscd is shut: this reply never arrives
            return b"\x6f\x00"
        result: bytes = self._card.execute(apdu)
        return result


@dataclass
class Rig:
    view: ClerkView
    ctx: Any
    links: Any
    qtbot: Any
    card: Any = None
    window: Any = None  # the app's main window (None: the clerk screen alone)
    pdf_kinds: set[Any] = field(default_factory=set)  # receipt kinds whose PDFs were read

    def insert(self, card: Any = None) -> None:
        c = self.view.controller
        self.links[0].insert(card or self.card)
        self.qtbot.waitUntil(
            lambda: (
                c.card is not None
                or (not c.busy and self.view.status.text() not in ("", "Working with the card…"))
            ),
            timeout=WAIT_MS,
        )
        assert c.card is not None, self.view.status.text()

    def serve(self, op: Any) -> Any:
        """Run one service (``op`` clicks) and wait for its receipt."""
        with self.qtbot.waitSignal(self.view.controller.service_done, timeout=WAIT_MS) as sig:
            op()
        return sig.args[0]


def make_rig(
    qtbot: Any,
    app_ctx: Any,
    vpcd_slots: Any,
    *,
    app: bool = True,
    pin_entry: Callable[[], Any] | None = None,
    overrides: dict[str, Any] | None = None,
) -> Iterator[Rig]:
    from station.apdu.pcsc import wait_for_card
    from station.emulator.vpcd import reader_name

    vpcd_slots[1].insert(make_psam(load_profile(PSAM)))
    wait_for_card(reader_name(1), 10)
    window = None
    if app:
        from station.inventory.models import Role
        from station.ui.shell import MainWindow

        window = MainWindow(app_ctx)
        qtbot.addWidget(window)
        window.enter("clerk1", Role.TELLER)  # as a signed-in teller: PIN services first
        view = window.screens["clerk"]
        assert isinstance(view, ClerkView)
    else:
        app_ctx.operator = "clerk1"
        view = ClerkView(app_ctx, pin_entry=pin_entry) if pin_entry else ClerkView(app_ctx)
        qtbot.addWidget(view)
    card = make_card(
        load_profile(CARD), overrides={"pin": {"value": INITIAL_PIN}, **(overrides or {})}
    )
    yield Rig(view, app_ctx, vpcd_slots, qtbot, card=card, window=window)


# -- PDFs -----------------------------------------------------------------------------------
_OBJ = re.compile(rb"(\d+) 0 obj(.*?)endobj", re.S)
_TEXT_TOKEN = re.compile(
    rb"/([^\s/<>\[\]()]+)\s+[\d.]+\s+Tf|<([0-9A-Fa-f\s]*)>|\(((?:\\.|[^\\)])*)\)|\bET\b"
)


def _stream(body: bytes) -> bytes | None:
    """The decoded stream of one PDF object (FlateDecode, optionally after ASCII85)."""
    at = body.find(b"stream")
    if at < 0:
        return None
    head, data = body[:at], body[at + 6 :].lstrip(b"\r\n")
    data = data[: data.rfind(b"endstream")] if b"endstream" in data else data
    if b"ASCII85Decode" in head:
        data = base64.a85decode(data.strip().removesuffix(b"~>"), adobe=False)
    if b"FlateDecode" in head:
        return zlib.decompressobj().decompress(data)
    return data


def _cmap(text: bytes) -> dict[bytes, str]:
    """A ToUnicode CMap: code bytes -> text (bfchar and bfrange)."""
    out: dict[bytes, str] = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", text, re.S):
        for src, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            out[bytes.fromhex(src.decode())] = bytes.fromhex(dst.decode()).decode("utf-16-be")
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", text, re.S):
        for lo, hi, dst in re.findall(rb"<(\w+)>\s*<(\w+)>\s*(<\w+>|\[[^\]]*\])", block):
            a, b, size = int(lo, 16), int(hi, 16), len(lo) // 2
            targets = re.findall(rb"<(\w+)>", dst)
            for n in range(a, b + 1):
                if dst.startswith(b"["):  # one target per code
                    text = bytes.fromhex(targets[n - a].decode()).decode("utf-16-be")
                else:  # consecutive targets from the first
                    text = chr(int(targets[0], 16) + n - a)
                out[n.to_bytes(size, "big")] = text
    return out


def _unescape(literal: bytes) -> bytes:
    return re.sub(
        rb"\\([0-7]{1,3}|.)",
        lambda m: (
            bytes([int(m.group(1), 8)])
            if m.group(1)[:1].isdigit()
            else {b"n": b"\n", b"r": b"\r", b"t": b"\t"}.get(m.group(1), m.group(1))
        ),
        literal,
        flags=re.S,
    )


def pdf_text(pdf: bytes) -> tuple[str, bytes]:
    """(the text drawn on the pages, decoded through each font's ToUnicode map; every
    stream decompressed and the uncompressed objects, raw) of a PDF from reportlab or Qt."""
    objects = {int(m.group(1)): m.group(2) for m in _OBJ.finditer(pdf)}
    streams = {n: _stream(body) for n, body in objects.items()}
    raw = pdf + b"".join(s for s in streams.values() if s is not None)
    cmaps: dict[bytes, dict[bytes, str]] = {}  # font resource name -> its map
    for n, body in objects.items():
        uni = re.search(rb"/ToUnicode (\d+) 0 R", body)
        target = streams.get(int(uni.group(1))) if uni else None
        if target is None:
            continue
        for name in re.findall(rb"/([^\s/<>\[\]()]+) " + str(n).encode() + rb" 0 R", pdf):
            cmaps[name] = _cmap(target)
    lines: list[str] = []
    for data in streams.values():
        if data is None or b"Tf" not in data or b"BT" not in data:
            continue
        cmap: dict[bytes, str] = {}
        line = ""
        for m in _TEXT_TOKEN.finditer(data):
            font, hexa, literal = m.group(1), m.group(2), m.group(3)
            if font is not None:
                cmap = cmaps.get(font, {})
                continue
            if hexa is None and literal is None:  # ET: a text block ends
                lines.append(line)
                line = ""
                continue
            code = bytes.fromhex(hexa.decode()) if hexa is not None else _unescape(literal)
            width = len(next(iter(cmap))) if cmap else 1
            line += "".join(cmap.get(code[i : i + width], "?") for i in range(0, len(code), width))
        lines.append(line)
    return "\n".join(lines), raw
