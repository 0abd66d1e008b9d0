"""Card printer numbers: face render time, panel packing, and the time to send a YMCKO
front to the simulator over TCP and over a pty (mechanical time 0, so this is the host and
link cost alone), put against the ~23 s a real YMCKO card takes mechanically.

Prints numbers and ratios; asserts nothing.

Run: ``.venv/bin/python bench/printer.py [--rounds 10]``
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PIL import Image, ImageDraw

from station.codecs.validators import card_number_check
from station.printer.evolis import EvolisPrinter
from station.printer.face import FaceData, FaceRenderer
from station.printer.panels import decode_colour, encode_panels, unpack5
from station.printer.simulator import BareChip, PrinterSimulator, Timing


def timed(fn: Callable[[], object], rounds: int) -> list[float]:
    out = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def show(label: str, samples: list[float]) -> float:
    med = statistics.median(samples)
    print(f"{label:<44} median {med * 1000:8.1f} ms   min {min(samples) * 1000:8.1f} ms")
    return med


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=10)
    args = ap.parse_args()
    rounds = args.rounds

    tmp = Path(tempfile.mkdtemp(prefix="bench-printer-"))
    photo = Image.new("RGB", (358, 441), (180, 200, 230))
    ImageDraw.Draw(photo).ellipse((100, 60, 258, 250), fill=(224, 186, 160))
    photo.save(tmp / "photo.jpg", quality=85)
    data = FaceData(
        name="欧阳娜娜",
        ssn="11010519491231002X",
        card_number="A0000001" + card_number_check("A0000001"),
        issue_date=dt.date(2026, 3, 5),
        photo=tmp / "photo.jpg",
    )
    renderer = FaceRenderer()
    renderer.render(data)  # fonts loaded once, like a running station
    render = show(
        "face render (validate + 3 panels + preview)", timed(lambda: renderer.render(data), rounds)
    )
    panels = renderer.render(data).panels
    encode = show(
        "encode YMCKO (5-bit/1-bit packing)", timed(lambda: encode_panels(panels), rounds)
    )
    downloads = encode_panels(panels)
    decode = show(
        "decode Y+M+C in the simulator",
        timed(lambda: decode_colour({n: d for n, _l, d in downloads[:3]}), rounds),
    )
    show("  of which unpack5 (one panel)", timed(lambda: unpack5(downloads[0][2]), rounds))
    total_bytes = sum(len(d) for _n, _l, d in downloads)
    print(f"{'YMCKO download size':<44} {total_bytes:,} bytes")

    sends: dict[str, float] = {}
    for link in ("tcp", "pty"):
        sim = PrinterSimulator([BareChip(i) for i in range(rounds + 1)], timing=Timing(scale=0))
        url = sim.serve_tcp() if link == "tcp" else sim.serve_pty()
        printer = EvolisPrinter(url)
        printer.open()
        samples = []
        for _ in range(rounds):
            printer.feed()
            start = time.perf_counter()
            printer.print_panels(panels)
            samples.append(time.perf_counter() - start)
            printer.reject()
        printer.close()
        sim.stop()
        sends[link] = show(f"send YMCKO to simulator over {link}", samples)
        mb_s = total_bytes / sends[link] / 1e6
        print(f"{'':44} {mb_s:8.1f} MB/s (incl. encode)")

    mechanical = Timing(scale=1.0)
    card_s = sum(
        mechanical.seconds(step)
        for step in ("feed", "to_contacts", "to_print", "panel_mono", "panel_mono", "eject")
    ) + 3 * mechanical.seconds("panel_colour")
    print(f"{'realistic mechanical time per YMCKO card':<44} {card_s:8.1f} s")
    print("ratios:")
    print(f"  render / mechanical card time          {render / card_s:8.4%}")
    print(f"  tcp send / mechanical card time        {sends['tcp'] / card_s:8.4%}")
    print(f"  pty send / tcp send                    {sends['pty'] / sends['tcp']:8.2f}x")
    print(f"  encode / render                        {encode / render:8.2f}x")
    print(f"  decode (YMC) / encode (YMCKO)          {decode / encode:8.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
