"""Crypto throughput: the card MAC on OpenSSL (``cryptography``) versus gmssl's pure-Python
SM4, and key-provider operations per second (software store vs the virtual PSAM in
process).  Prints numbers and ratios; asserts nothing.

Run: ``.venv/bin/python bench/crypto.py [--seconds 1.0]``
(in-process virtual *social security card* APDUs/s belong to the emulator's bench.)
"""

from __future__ import annotations

import argparse
import secrets
import time
from collections.abc import Callable
from pathlib import Path

from gmssl.sm4 import SM4_ENCRYPT, CryptSM4

from station.apdu import VirtualTransport
from station.crypto import algorithms as A
from station.crypto.algorithms import Alg
from station.crypto.keys import STK, UK, load_keyset
from station.crypto.provider import CardKeyContext, KeyProvider, PsamKeyProvider, SoftKeyStore
from station.emulator.psam import VirtualPsam

KEYS = Path(__file__).resolve().parents[1] / "profiles" / "keys"
MSG_LEN = 1024


def rate(fn: Callable[[], object], seconds: float) -> float:
    """Calls per second of ``fn`` over at least ``seconds`` (after one warm-up call)."""
    fn()
    n, start = 0, time.perf_counter()
    deadline = start + seconds
    while True:
        fn()
        n += 1
        now = time.perf_counter()
        if now >= deadline:
            return n / (now - start)


def gmssl_sm4_mac(crypt: CryptSM4, message: bytes) -> bytes:
    """The card's SM4 MAC with gmssl: CBC (IV zero) over the 80-padded message, fold4."""
    padded = A.pad80(message, 16)
    # gmssl's crypt_cbc would add its own PKCS#7 block, so chain one_round ourselves
    prev = bytes(16)
    for i in range(0, len(padded), 16):
        block = bytes(a ^ b for a, b in zip(padded[i : i + 16], prev, strict=True))
        prev = bytes(crypt.one_round(crypt.sk, list(block)))
    return A.fold4(prev)


def bench_mac(seconds: float) -> None:
    key = secrets.token_bytes(16)
    msg = secrets.token_bytes(MSG_LEN)
    crypt = CryptSM4()
    crypt.set_key(key, SM4_ENCRYPT)
    assert gmssl_sm4_mac(crypt, msg) == A.mac(Alg.SM4, key, msg), "implementations disagree"
    fast = rate(lambda: A.mac(Alg.SM4, key, msg), seconds)
    slow = rate(lambda: gmssl_sm4_mac(crypt, msg), seconds)
    mb = MSG_LEN / 1e6
    print(f"SM4-MAC over {MSG_LEN}-byte messages")
    print(f"  cryptography (OpenSSL): {fast:12,.0f} MAC/s  {fast * mb:8.2f} MB/s")
    print(f"  gmssl (pure Python)   : {slow:12,.0f} MAC/s  {slow * mb:8.2f} MB/s")
    print(f"  ratio                 : {fast / slow:12,.1f} x")


def _provider_rates(p: KeyProvider, ctx: CardKeyContext, seconds: float) -> tuple[float, float]:
    r, orig, cmd = secrets.token_bytes(8), secrets.token_bytes(8), secrets.token_bytes(32)
    auth = rate(lambda: p.external_auth_data(ctx, UK, r, orig), seconds)
    mac = rate(lambda: p.mac(ctx, STK, r, cmd), seconds)
    return auth, mac


def bench_providers(seconds: float) -> None:
    print("key-provider operations (EXTERNAL AUTH data; STK MAC of a 32-byte command)")
    for name in ("sm4", "3des"):
        ks = load_keyset(KEYS / f"test-{name}.toml")
        soft = SoftKeyStore(ks, "000000000001")
        psam = PsamKeyProvider(VirtualTransport(VirtualPsam(ks, "000000000001")))
        ctx = CardKeyContext(ks.alg, "440300", bytes(5) + secrets.token_bytes(8) + b"\x90\x00")
        results = {}
        for label, p in (("software store", soft), ("virtual PSAM", psam)):
            results[label] = _provider_rates(p, ctx, seconds)
            auth, mac = results[label]
            print(f"  {name:4} {label:14}: {auth:10,.0f} auth/s  {mac:10,.0f} MAC/s")
        (sa, sm), (pa, pm) = results.values()
        print(f"  {name:4} ratio soft/PSAM : {sa / pa:10.1f} x       {sm / pm:10.1f} x")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--seconds", type=float, default=1.0, help="time per measurement")
    args = ap.parse_args()
    bench_mac(args.seconds)
    bench_providers(args.seconds)
    bench_virtual_card()


def bench_virtual_card() -> None:
    """In-process virtual-card APDUs per second (the same measurement as
    bench/virtual_card.py, which lives beside this file)."""
    from virtual_card import TARGET, measure  # bench/ is this script's import root

    print("\nin-process virtual card (APDU mix: select, reads, challenge, PIN probe)")
    for name in ("gen3-sm4-issued", "gen2-3des-issued"):
        raw, via = measure(name, 10_000)
        print(
            f"  {name:<18} card.execute {raw:>9,.0f} APDU/s   VirtualTransport {via:>9,.0f}"
            f" APDU/s   ({via / TARGET:.1f}x the {TARGET:,} target)"
        )


if __name__ == "__main__":
    main()
