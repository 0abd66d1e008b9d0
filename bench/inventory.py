"""Stock-book benchmark: reservations per second (SQLite, PostgreSQL) and the time of the
daily balance report over 100,000 blanks.  Prints numbers; asserts nothing.

    .venv/bin/python bench/inventory.py [--blanks 100000] [--reservations 1000]

(about 1.5 minutes on a 2-CPU machine.)

PostgreSQL comes from scripts/pg-start.sh (skipped with a note if it is not reachable).
Each run uses a fresh SQLite file and a private PostgreSQL schema, dropped afterwards.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import create_engine, text

from station.inventory import Inventory, Role, make_engine, migrate
from station.inventory.samples import sample_manifest
from station.inventory.stress import run_reservers

ROOT = Path(__file__).resolve().parents[1]
PG_URL = os.environ.get(
    "STATION_TEST_PG_URL", "postgresql+psycopg://station:station@127.0.0.1:5432/station_test"
)


# the bench's users sign in like anyone else (random passwords, never shown)
PASSWORDS = {name: secrets.token_urlsafe(12) for name in ("sup", "t1", "aud")}


def setup(inv: Inventory) -> None:
    inv.auth.bootstrap("sup", PASSWORDS["sup"])
    for name, role in (("t1", Role.TELLER), ("aud", Role.AUDITOR)):
        code = inv.add_user(name, role, by="sup")
        inv.auth.sign_in(name, code, new_password=PASSWORDS[name])
    inv.add_bank("ICBC", by="sup")
    inv.add_bank("CCB", by="sup")
    inv.add_manufacturer("M01", by="sup")
    for i in range(4):
        inv.add_location(f"S{i}", "station", by="sup")


def bench_reservations(url: str, schema: str | None, processes: int, total: int) -> float:
    inv = Inventory(make_engine(url, schema=schema))
    setup(inv)
    inv.stock_in(sample_manifest(total + 10, prefix="R1"), by="sup")
    inv.allocate("S0", total + 10, bank="ICBC", by="sup")
    inv.count("S0", by="sup", counted={"ICBC": total + 10})
    per = total // processes
    results, seconds = run_reservers(
        url,
        schema=schema,
        location="S0",
        bank="ICBC",
        processes=processes,
        per_process=per,
        by="t1",
        password=PASSWORDS["t1"],
    )
    cards = [c for r in results for c in r]
    assert len(set(cards)) == len(cards) == per * processes
    inv.engine.dispose()
    return len(cards) / seconds


def bench_report(url: str, schema: str | None, blanks: int) -> dict[str, float]:
    inv = Inventory(make_engine(url, schema=schema))
    setup(inv)
    out: dict[str, float] = {}
    t0 = time.perf_counter()
    half = blanks // 2
    inv.stock_in(sample_manifest(half, bank="ICBC", prefix="B1"), by="sup")
    inv.stock_in(sample_manifest(blanks - half, bank="CCB", prefix="B2"), by="sup")
    out["stock_in_s"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    for i in range(4):
        inv.allocate(f"S{i}", blanks // 10, bank="ICBC" if i % 2 == 0 else "CCB", by="sup")
    out["allocate_s"] = time.perf_counter() - t0
    for i in range(4):
        inv.count(f"S{i}", by="sup", counted={"ICBC" if i % 2 == 0 else "CCB": blanks // 10})
    for k in range(200):
        b = inv.reserve(f"S{k % 4}", "ICBC" if k % 4 in (0, 2) else "CCB", f"j{k}", by="t1")
        if k % 10 == 0:
            inv.spoil(b.card_number, "bench", by="t1")
        else:
            inv.issue(b.card_number, f"j{k}", by="t1")
    t0 = time.perf_counter()
    rows = inv.balance(inv.today())
    out["balance_s"] = time.perf_counter() - t0
    assert all(r.balanced for r in rows)
    t0 = time.perf_counter()
    rep = inv.verify_ledger()
    out["verify_s"] = time.perf_counter() - t0
    out["ledger_rows"] = rep.rows
    assert rep.ok
    inv.engine.dispose()
    return out


def pg_schema() -> str | None:
    try:
        subprocess.run(
            [str(ROOT / "scripts" / "pg-start.sh")], check=True, capture_output=True, timeout=180
        )
        e = create_engine(PG_URL)
        schema = f"bench_{secrets.token_hex(4)}"
        with e.begin() as c:
            c.execute(text(f'CREATE SCHEMA "{schema}"'))
        e.dispose()
        return schema
    except Exception as exc:  # report and carry on with SQLite
        print(f"postgresql: unavailable ({str(exc).splitlines()[0]})")
        return None


def drop_schema(schema: str) -> None:
    e = create_engine(PG_URL)
    with e.begin() as c:
        c.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    e.dispose()


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--blanks", type=int, default=100_000)
    ap.add_argument("--reservations", type=int, default=1000)
    args = ap.parse_args()
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, {dt.date.today()}")
    results: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as d:
        for name, procs in (("sqlite", 1), ("sqlite", 4)):
            url = f"sqlite:///{d}/res{procs}.sqlite3"
            migrate(make_engine(url))
            rate = bench_reservations(url, None, procs, args.reservations)
            print(f"{name:10s} reservations/s  {procs} process(es): {rate:8.0f}")
            results.setdefault(name, {})[f"res{procs}"] = rate
        url = f"sqlite:///{d}/report.sqlite3"
        migrate(make_engine(url))
        r = bench_report(url, None, args.blanks)
        results["sqlite"].update(r)
        print(
            f"sqlite     {args.blanks} blanks: stock-in {r['stock_in_s']:.2f} s, "
            f"allocate {r['allocate_s']:.2f} s, daily balance report {r['balance_s']:.3f} s, "
            f"verify-ledger {r['verify_s']:.2f} s ({int(r['ledger_rows'])} rows)"
        )
    for procs in (1, 8):
        schema = pg_schema()
        if schema is None:
            break
        try:
            engine = make_engine(PG_URL, schema=schema)
            migrate(engine)
            rate = bench_reservations(PG_URL, schema, procs, args.reservations)
            print(f"postgresql reservations/s  {procs} process(es): {rate:8.0f}")
            results.setdefault("postgresql", {})[f"res{procs}"] = rate
        finally:
            drop_schema(schema)
    schema = pg_schema()
    if schema is not None:
        try:
            migrate(make_engine(PG_URL, schema=schema))
            r = bench_report(PG_URL, schema, args.blanks)
            results["postgresql"].update(r)
            print(
                f"postgresql {args.blanks} blanks: stock-in {r['stock_in_s']:.2f} s, "
                f"allocate {r['allocate_s']:.2f} s, daily balance report "
                f"{r['balance_s']:.3f} s, verify-ledger {r['verify_s']:.2f} s"
            )
        finally:
            drop_schema(schema)
    for name, r in results.items():
        if "res1" in r and len([k for k in r if k.startswith("res")]) > 1:
            many = max(k for k in r if k.startswith("res") and k != "res1")
            print(f"ratio {name}: {many[3:]} processes / 1 process = {r[many] / r['res1']:.2f}x")
        if "balance_s" in r:
            print(f"ratio {name}: daily report time / 2 s target = {r['balance_s'] / 2:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
