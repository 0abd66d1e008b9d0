"""A station process issuing one card, to be killed with SIGKILL by a test.

It does what the teller's screen does when Issue is pressed — keep the application for a
later make-up, run the job against the printer (the test's simulator over TCP) and the
contact station + PSAM through pcscd — and prints each journaled step on its own line, then
waits after ``printed`` for the kill.  Usage:
``python -m tests.ui.teller_station_proc DB_URL PRINTER_URL DATA_DIR VALUES_JSON``.
"""

from __future__ import annotations

import json
import sys
import threading
from pathlib import Path

from station.crypto.provider import PsamKeyProvider
from station.emulator.vpcd import reader_name
from station.inventory.service import Inventory
from station.issuance.application import application_from
from station.issuance.job import IssuanceJob
from station.issuance.journal import Journal
from station.issuance.progress import ProgressEvent
from station.printer.evolis import EvolisPrinter
from station.profiles import load_card_profile
from station.ui.teller.form_logic import keep_application
from tests.inventory.conftest import FAST_HASHER
from tests.issuance.job_rig import PASSWORD, STATION, TELLER, connect_patiently, jpeg


def report(event: ProgressEvent) -> None:
    print(event.step, flush=True)
    if event.step == "printed":  # the face is on the card: wait here for the SIGKILL
        threading.Event().wait(120)


def main(db_url: str, printer_url: str, data_dir: str, values_json: str) -> int:
    values = json.loads(Path(values_json).read_text("utf-8"))
    values["photo"] = jpeg()
    app = application_from(values)
    inv = Inventory(db_url, password_hasher=FAST_HASHER)
    inv.auth.sign_in(TELLER, PASSWORD)
    keep_application(Path(data_dir) / "applications", app)
    printer = EvolisPrinter(printer_url, timeout=5, move_timeout=10, print_timeout=20)
    printer.open()
    provider = PsamKeyProvider(connect_patiently(reader_name(1)))
    job = IssuanceJob(
        Journal(inv, station=STATION),
        printer,
        reader_name(0),
        provider,
        load_card_profile("gen3-sm4-blank"),
        TELLER,
        progress=report,
        out_dir=Path(data_dir) / "issuance",
        outlet="DEMO-01",
    )
    out = job.run(app)
    print("ended", out.job.state.value, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:5]))
