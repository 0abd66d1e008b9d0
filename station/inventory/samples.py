"""Well-formed sample cards for tests, benchmarks and demos (never for real stock).

Card numbers get a valid check character; card id codes follow the card-spec layout (region,
the national RID, serial, an authentication code).  Both are derived from ``prefix`` and the
serial, so different prefixes never collide.
"""

from __future__ import annotations

import datetime as dt

from station.codecs.validators import card_number_check
from station.crypto.algorithms import sm3
from station.inventory.manifest import ManifestCard, format_manifest


def sample_cards(
    n: int,
    *,
    bank: str = "ICBC",
    manufacturer: str = "M01",
    prefix: str = "A1",
    start: int = 0,
    region: str = "110100",
    expiry: dt.date | None = None,
) -> list[ManifestCard]:
    """``n`` distinct cards; ``prefix`` is 2 digits/capitals, serials from ``start``."""
    if len(prefix) != 2:
        raise ValueError("prefix must have 2 characters")
    expiry = expiry or dt.date.today().replace(day=1) + dt.timedelta(days=3650)
    cards = []
    for i in range(start, start + n):
        body = f"{prefix}{i:06d}"
        number = body + card_number_check(body)
        serial = (sum(ord(c) << (8 * k) for k, c in enumerate(prefix)) << 20) + i
        auth = sm3(number.encode()).hex()[:8]
        code = f"{region}D156000005{serial & 0xFFFFFFFF:08X}{auth}".upper()
        account = f"6222{'*' * 8}{i % 10000:04d}"
        cards.append(ManifestCard(i - start + 2, bank, manufacturer, code, number, account, expiry))
    return cards


def sample_manifest(n: int, **kw: object) -> str:
    return format_manifest(sample_cards(n, **kw))  # type: ignore[arg-type]
