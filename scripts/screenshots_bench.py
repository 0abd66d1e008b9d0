"""Screenshots of the technician bench, one PNG per tab, into docs/screenshots/.

Run under a virtual display with pcscd + vpcd running, holding the tests' vpcd lock (as
``make screenshots`` does):
    flock /tmp/station-vpcd.lock xvfb-run -a .venv/bin/python scripts/screenshots_bench.py
It serves a virtual card and PSAM on the vpcd slots, runs the printer simulator
in-process, drives each tab the way a technician would, and grabs the window.
``bench_screens(out_dir, language)`` is the hook the app's screenshot script calls.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts.shots import main_for, wait_until  # noqa: E402


def bench_screens(out_dir: Path, language: str = "zh_CN") -> list[Path]:
    import dataclasses

    from PySide6.QtWidgets import QApplication

    from station.config import Settings
    from station.printer.simulator import BareChip, Fault, PrinterSimulator, Timing
    from station.profiles import SHIPPED_DIR
    from station.ui.bench import Bench
    from station.ui.bench.controllers.console import named_commands
    from station.ui.bench.controllers.printer import Move
    from station.ui.workers import UiContext, Workers

    _app = QApplication.instance() or QApplication(sys.argv)  # kept alive while it shoots
    try:
        from station.ui.i18n import set_language

        set_language(language)
    except (ImportError, OSError):  # before the app's .ts files exist: source texts
        pass
    out_dir.mkdir(parents=True, exist_ok=True)
    sim = PrinterSimulator([(f"demo-{i}", BareChip(i)) for i in range(1, 6)], timing=Timing(0))
    url = sim.serve_tcp("127.0.0.1", 0)
    settings = dataclasses.replace(Settings(), printer_url=url)
    workers = Workers(settings).start()
    bench = Bench(UiContext(settings, workers))
    bench.resize(1000, 680)
    bench.show()
    shots: list[Path] = []

    def grab(name: str) -> None:
        wait_until(lambda: True)
        path = out_dir / f"bench-{name}-{language}.png"
        bench.grab().save(str(path))
        shots.append(path)

    try:
        bench.virtual_ctl.serve(0, "gen3-sm4-blank")
        bench.virtual_ctl.serve(1, "psam-sm4")
        wait_until(
            lambda: sum(1 for r in bench.readers_ctl.rows if r.card_present and r.atr) == 2,
        )
        bench.setCurrentWidget(bench.readers_view)
        grab("readers")

        bench.setCurrentWidget(bench.console_view)
        ctl = bench.console_ctl
        for named in named_commands()[1:3] + named_commands()[5:7]:
            ctl.send(named.command)
            wait_until(lambda: not ctl.busy)
        ctl.send_text("0020000003123456")  # a PIN typed by hand: the trace redacts it
        wait_until(lambda: not ctl.busy)
        bench.console_view.entry.setText(named_commands()[3].command.to_bytes().hex().upper())
        grab("console")

        bench.setCurrentWidget(bench.profile_view)
        good = SHIPPED_DIR / "gen3-sm4-blank.toml"
        lines = good.read_text(encoding="utf-8").splitlines()
        at = next(i for i, line in enumerate(lines) if line.startswith("generation"))
        lines[at] = "generation = 4"
        with tempfile.TemporaryDirectory() as tmp:
            bad = Path(tmp) / "gen3-sm4-blank.toml"  # a copy with one defect
            bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
            (Path(tmp) / "keys").symlink_to(SHIPPED_DIR / "keys")
            bench.profile_ctl.check(bad)
            grab("profiles")

        bench.setCurrentWidget(bench.virtual_view)
        grab("virtual")

        bench.setCurrentWidget(bench.printer_view)
        p = bench.printer_ctl
        p.refresh()
        wait_until(lambda: p.last is not None)
        p.fault(Fault.JAM.value)
        wait_until(lambda: p.last is not None and bool(p.last.status and p.last.status.armed))
        p.move(Move.FEED)
        wait_until(lambda: p.last is not None and bool(p.last.error))
        grab("printer")

        bench.setCurrentWidget(bench.face_view)
        bench.face_ctl.render("gen3-sm4-issued")
        wait_until(lambda: bench.face_ctl.last is not None)
        grab("face")
    finally:
        bench.shutdown()
        sim.stop()
        workers.stop_all()
    return shots


def main() -> int:
    # the vpcd lock is the caller's to hold (``make screenshots`` runs each script under
    # flock); taking it here as well made the script wait for itself forever
    return main_for(bench_screens, __doc__.splitlines()[0])


if __name__ == "__main__":
    raise SystemExit(main())
