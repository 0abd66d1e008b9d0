"""Many stations reserving at once — shared by the concurrency test and the benchmark.

``reserve_worker`` runs in a separate process (spawn start method: every process opens its
own connections, as a real station would) and returns the card numbers it was given.
"""

from __future__ import annotations

import multiprocessing
import time

from station.inventory.service import Inventory


def reserve_worker(args: tuple[str, str | None, str, str, int, str, str, str]) -> list[str]:
    url, schema, location, bank, n, tag, by, password = args
    inv = Inventory(url, schema=schema)
    got = []
    try:
        inv.auth.sign_in(by, password)  # each station process signs its teller in
        for k in range(n):
            got.append(inv.reserve(location, bank, f"{tag}-{k}", by=by).card_number)
    finally:
        inv.engine.dispose()
    return got


def run_reservers(
    url: str,
    *,
    schema: str | None,
    location: str,
    bank: str,
    processes: int,
    per_process: int,
    by: str,
    password: str,
) -> tuple[list[list[str]], float]:
    """Run ``processes`` reservers; return each one's cards and the wall time in seconds
    (measured from when all workers are up, so process start-up is not counted)."""
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(processes) as pool:
        pool.map(_warm, range(processes))  # import everything before timing
        t0 = time.perf_counter()
        results = pool.map(
            reserve_worker,
            [
                (url, schema, location, bank, per_process, f"p{i}", by, password)
                for i in range(processes)
            ],
        )
        return results, time.perf_counter() - t0


def _warm(_: int) -> None:
    import station.inventory.service  # noqa: F401
