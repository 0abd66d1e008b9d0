"""A counter for the ``station issue`` command-line tests: the stock book (SQLite), the
printer simulator over TCP whose contact station is vpcd slot 0 and the virtual PSAM in
slot 1 live in the test process; ``station`` runs as a real subprocess and reaches them
through pcscd and TCP, with its settings from ``STATION_*`` variables."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from station.emulator.blanks import BlankInfo, load_blank, make_blanks
from station.emulator.cards import make_psam
from station.emulator.vpcd import reader_name
from station.inventory import State
from station.inventory.service import Inventory
from station.issuance.journal import Journal
from station.issuance.states import JobState
from station.printer.simulator import PrinterSimulator, Timing
from station.profiles import load_card_profile
from tests.inventory.conftest import FAST_HASHER
from tests.issuance.job_rig import PASSWORD, STATION, TELLER, make_book, put_in_reader

ROOT = Path(__file__).resolve().parents[2]
RUN_TIMEOUT = 180.0  # seconds one station run may take (20 cards at simulator speed 0)
S = JobState


@dataclass
class Desk:
    root: Path
    url: str
    sim: PrinterSimulator
    sim_url: str
    blanks: list[BlankInfo]
    links: tuple[Any, Any]
    closers: list[Any] = field(default_factory=list)

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("STATION_")}
        env.update(
            PYTHONPATH=str(ROOT),
            STATION_CONFIG=str(self.root / "no-settings.toml"),
            STATION_DB_URL=self.url,
            STATION_OPERATOR=TELLER,
            STATION_STATION_ID=STATION,
            STATION_OUTLET="DEMO-01",
            STATION_PRINTER_URL=self.sim_url,
            STATION_CARD_READER=reader_name(0),
            STATION_PSAM_READER=reader_name(1),
            STATION_DATA_DIR=str(self.root / "data"),
        )
        return env

    def station(
        self, *args: str, password: bool = True, kill_at: str | None = None
    ) -> subprocess.CompletedProcess[str]:
        """Run ``station ARGS`` (the teller's password on stdin when ``password``);
        ``kill_at``: the process SIGKILLs itself right after that journal step."""
        prefix = ["-m", "station"] if kill_at is None else ["-m", "tests.issuance.kill_at_step"]
        argv = [sys.executable, *prefix, *([kill_at] if kill_at else []), *args]
        if password:
            argv.append("--password-stdin")
        return subprocess.run(
            argv,
            input=PASSWORD + "\n" if password else "",
            capture_output=True,
            text=True,
            cwd=ROOT,
            env=self.env(),
            timeout=RUN_TIMEOUT,
        )

    def book(self) -> tuple[Inventory, Journal]:
        inv = Inventory(self.url, password_hasher=FAST_HASHER)
        self.closers.append(inv.engine.dispose)
        return inv, Journal(inv, station=STATION)

    def close(self) -> None:
        for close in reversed(self.closers):
            close()


def make_desk(root: Path, links: tuple[Any, Any], banks: dict[str, int]) -> Desk:
    profile = load_card_profile("gen3-sm4-blank")
    sets: dict[str, list[BlankInfo]] = {}
    manifests = []
    for bank, n in banks.items():
        d = root / f"blanks-{bank}"
        sets[bank] = make_blanks(profile, n, d, bank=bank, manufacturer="M01")
        manifests.append(d / "manifest.csv")
    url = make_book(root, sets, manifests)
    chip_link, psam_link = links
    put_in_reader(psam_link, make_psam("psam-sm4"), 1)
    every = [b for infos in sets.values() for b in infos]
    sim = PrinterSimulator(
        [(b.card_number, load_blank(b.path)) for b in every],
        chip_slot=chip_link,
        out_dir=root / "printed",
        timing=Timing(scale=0),
    )
    sim_url = sim.serve_tcp("127.0.0.1", 0)
    desk = Desk(root, url, sim, sim_url, every, links)
    desk.closers.append(sim.stop)
    return desk


def write_json(path: Path, rows: list[dict[str, Any]]) -> Path:
    """Applications as JSON; each photo written as a file next to it (a relative path)."""
    out = []
    for row in rows:
        item = {k: v for k, v in row.items() if k not in ("photo", "glyphs")}
        if row.get("photo"):
            name = f"photos/{row['application_id']}.jpg"
            (path.parent / "photos").mkdir(exist_ok=True)
            (path.parent / name).write_bytes(row["photo"])
            item["photo"] = name
        out.append(item)
    path.write_text(json.dumps(out, ensure_ascii=False), "utf-8")
    return path


def invariants(inv: Inventory, journal: Journal, blanks: int, app_ids: list[str]) -> None:
    """Every blank in exactly one accounted state (none left reserved), one card per
    application, each job completed (made up or not) or failed with a cause and a linked
    retry, and the ledger's hash chain intact."""
    by_state = {b.card_number: b.state for b in inv.blanks()}
    assert len(by_state) == blanks
    assert not [c for c, s in by_state.items() if s is State.RESERVED], by_state
    issued = {c for c, s in by_state.items() if s is State.ISSUED}
    cards = set()
    for app_id in app_ids:
        jobs = journal.jobs(application_id=app_id)
        completed = [j for j in jobs if j.state is S.COMPLETED]
        assert len(completed) == 1, jobs  # exactly one card for the application
        cards.add(completed[0].card_number)
        for j in jobs:
            assert j.state in (S.COMPLETED, S.FAILED, S.CANCELLED), j
            if j.state is S.FAILED:
                assert j.cause is not None
                assert any(k.retry_of == j.job_id for k in jobs), "failed job without a retry"
    assert issued == cards
    assert inv.verify_ledger().first_bad_seq is None
