"""Card services: APDUs and host time for "read + genuineness" and for a PIN reset.

In-process (VirtualTransport over the virtual card) and through a real pcscd (card in
vpcd slot 0, PSAM in slot 1); keys from the virtual PSAM through PsamKeyProvider, and
from the software key store.  APDUs are counted per side (card /
PSAM) and GET RESPONSEs (T=0 cards) are shown separately.  Prints numbers; asserts nothing.

Run: ``.venv/bin/python bench/card_services.py [--rounds 100] [--via inprocess|pcscd|both]``
(pcscd must be running for the pcscd rows: ``make pcscd``)
"""

from __future__ import annotations

import argparse
import fcntl
import os
import statistics
import sys
import time
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from station.apdu import Tracer, Transport, VirtualTransport
from station.apdu.pcsc import PcscTransport, wait_for_card
from station.card import pin as P
from station.card.reader import read_card
from station.crypto.provider import KeyProvider, PsamKeyProvider, SoftKeyStore
from station.emulator.cards import make_card, make_psam
from station.emulator.vpcd import VpcdLink, reader_name, slot_port
from station.profiles import load_card_profile

CASES = (("gen3-sm4-issued", "psam-sm4"), ("gen2-3des-issued", "psam-3des"))
NEW_PIN = "135790"


def count(tracer: Tracer) -> tuple[int, int]:
    entries = tracer.entries()
    gr = sum(1 for e in entries if e.name == "GET RESPONSE")
    return len(entries) - gr, gr


def measure(rounds: int, fn: Callable[[], None]) -> tuple[float, float]:
    times = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), min(times)


def open_pair(via: str, card_name: str, psam_name: str, kind: str, stack: ExitStack):
    """The card transport and key provider for one case, in-process or through pcscd."""
    profile = load_card_profile(card_name)
    card_tr, psam_tr = Tracer(), Tracer()
    provider: KeyProvider
    if via == "inprocess":
        card: Transport = VirtualTransport(make_card(profile), tracer=card_tr)
        psam: Transport = VirtualTransport(make_psam(psam_name), tracer=psam_tr)
    else:
        # unwinding is last-in first-out: wait for the empty readers after the links stop
        stack.callback(wait_for_card, reader_name(0), 10, present=False)
        stack.callback(wait_for_card, reader_name(1), 10, present=False)
        stack.enter_context(VpcdLink(make_card(profile), port=slot_port(0)))
        stack.enter_context(VpcdLink(make_psam(psam_name), port=slot_port(1)))
        wait_for_card(reader_name(0), 10)
        wait_for_card(reader_name(1), 10)
        card = stack.enter_context(PcscTransport(reader_name(0), tracer=card_tr))
        psam = stack.enter_context(PcscTransport(reader_name(1), tracer=psam_tr))
    if kind == "psam":
        provider = PsamKeyProvider(psam)
        provider.terminal_number()  # open the PSAM session once, as a station does
    else:
        provider = SoftKeyStore(profile.keyset(), terminal_number="000000000000")
    return card, provider, card_tr, psam_tr


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=100)
    ap.add_argument("--via", choices=("inprocess", "pcscd", "both"), default="both")
    args = ap.parse_args()
    vias = ("inprocess", "pcscd") if args.via == "both" else (args.via,)
    print(
        f"{'via':<10}{'case':<30}{'op':<16}{'card':>6}{'psam':>6}{'(GR)':>6}"
        f"{'median ms':>11}{'min ms':>9}"
    )
    lock = None
    if "pcscd" in vias:
        lock_path = Path(os.environ.get("STATION_VPCD_LOCK", "/tmp/station-vpcd.lock"))
        lock_path.touch(exist_ok=True)
        lock = lock_path.open("r+")
        fcntl.flock(lock, fcntl.LOCK_EX)
    for via in vias:
        for card_name, psam_name in CASES:
            for kind in ("psam", "soft"):
                with ExitStack() as stack:
                    card, provider, card_tr, psam_tr = open_pair(
                        via, card_name, psam_name, kind, stack
                    )
                    ctx = read_card(card, provider).key_context

                    def read_op(c: Transport = card, p: KeyProvider = provider) -> None:
                        read_card(c, p, check_genuineness=True)

                    def reset_op(
                        c: Transport = card, p: KeyProvider = provider, k: object = ctx
                    ) -> None:
                        P.reset_pin(c, p, k, NEW_PIN, NEW_PIN)  # type: ignore[arg-type]

                    for label, op in (("read+genuine", read_op), ("PIN reset", reset_op)):
                        card_tr.clear()
                        psam_tr.clear()
                        op()
                        n_card, gr_card = count(card_tr)
                        n_psam, gr_psam = count(psam_tr)
                        med, best = measure(args.rounds, op)
                        print(
                            f"{via:<10}{card_name + ' / ' + kind:<30}{label:<16}{n_card:>6}"
                            f"{n_psam:>6}{gr_card + gr_psam:>6}{med:>11.3f}{best:>9.3f}"
                        )
    if lock is not None:
        lock.close()
    print(
        "\ncard/psam: APDUs per operation without GET RESPONSE; (GR): GET RESPONSEs a T=0 "
        "card adds.\nPIN reset = genuineness check + PUK external auth + GET CHALLENGE + "
        "RESET (the card was read once before, for its key context)."
    )


if __name__ == "__main__":
    main()
