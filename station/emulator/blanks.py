"""Sets of virtual pre-made blank cards (预制卡) and the stock-in manifest that goes with them.

A bank receives pre-made cards from a manufacturer together with a list; the inventory
books them in from that list.  ``make_blanks`` produces both for tests and training: N
card state files, each a distinct card (its own ATR serial bytes, card identification
code, card number with a valid check character, pre-opened bank account), and
``manifest.csv`` in the fixed format the inventory reads::

    bank,manufacturer,card_id_code,card_number,bank_account,expiry

UTF-8, bank account masked (first 4 and last 4 digits), expiry as an ISO date.  The
printer simulator's hopper picks the cards up again with ``load_blank``.
"""

from __future__ import annotations

import csv
import datetime as _dt
import io
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from station.codecs.records import EF05_FIELDS, F_CARD_ID, F_CARD_NUMBER
from station.emulator.cards import make_card
from station.emulator.layout import EF05_PATH
from station.emulator.ssc import VirtualSSCard
from station.emulator.state import CardState, CardStateError
from station.errors import ErrorCode, StationError
from station.fsutil import ensure_dir, write_file
from station.profiles import (
    CardProfile,
    ProfileError,
    card_profile,
    load_card_profile,
    load_profile,
)

MANIFEST_NAME = "manifest.csv"
MANIFEST_HEADER = ("bank", "manufacturer", "card_id_code", "card_number", "bank_account", "expiry")


class BlankSetError(StationError):
    default_message = "无法生成虚拟预制卡 (cannot make virtual blank cards)"
    code = ErrorCode.BLANK_SET


@dataclass(frozen=True)
class BlankInfo:
    """One manifest line plus where the card's state file is."""

    bank: str
    manufacturer: str
    card_id_code: str
    card_number: str
    bank_account: str  # masked
    expiry: _dt.date
    path: Path

    def row(self) -> tuple[str, ...]:
        return (
            self.bank,
            self.manufacturer,
            self.card_id_code,
            self.card_number,
            self.bank_account,
            self.expiry.isoformat(),
        )


def luhn_digit(body: str) -> str:
    """The Luhn check digit bank card numbers end with."""
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return str((10 - total % 10) % 10)


def bank_account_for(bank_bin: str, length: int, serial: int) -> str:
    digits = length - len(bank_bin) - 1
    body = bank_bin + f"{serial % 10**digits:0{digits}d}"
    return body + luhn_digit(body)


def mask_account(account: str) -> str:
    """``6222********1234``: the first and last four digits, eight stars between."""
    return f"{account[:4]}{'*' * 8}{account[-4:]}"


def add_years(day: _dt.date, years: int) -> _dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def make_blanks(
    profile: CardProfile | str | Path,
    count: int,
    out_dir: Path | str,
    *,
    bank: str | None = None,
    manufacturer: str | None = None,
    first_serial: int | None = None,
    today: _dt.date | None = None,
    directory: str | Path | None = None,
) -> list[BlankInfo]:
    """Write ``count`` blank cards and ``manifest.csv`` into ``out_dir``.

    Serials run consecutively from ``first_serial`` (random if not given, so two sets
    made on one day do not collide).  Existing files are never overwritten.  A profile
    given by name is looked up in ``directory`` (``Settings.profiles_dir``).
    """
    prof = card_profile(
        profile if isinstance(profile, CardProfile) else load_profile(profile, directory)
    )
    if not 1 <= count <= 100_000:
        raise BlankSetError("数量必须在1到100000之间 (count must be 1..100000)", detail=str(count))
    bank = bank if bank is not None else prof.blanks.bank
    manufacturer = manufacturer if manufacturer is not None else prof.blanks.manufacturer
    if not bank or not manufacturer:
        raise BlankSetError(
            "请指定银行和制卡厂商 (bank and manufacturer are required)",
            detail="give --bank/--manufacturer or [blanks] bank/manufacturer in the profile",
        )
    span = 10 ** (8 - len(prof.card_number_prefix))
    if first_serial is None:
        first_serial = 1 + secrets.randbelow(max(1, span - count - 1))
    if first_serial < 0 or first_serial + count > min(span, 2**32):
        raise BlankSetError(
            "卡序号超出范围 (serial numbers out of range)",
            detail=f"{first_serial}+{count} exceeds {min(span, 2**32)}",
        )
    out = ensure_dir(out_dir, refuse_symlink=True, error=BlankSetError)  # 0700 when new
    manifest = out / MANIFEST_NAME
    if manifest.exists():
        raise BlankSetError(
            "目标目录已有预制卡清单 (the folder already holds a blank set)", detail=str(manifest)
        )
    expiry = add_years(today or _dt.date.today(), prof.blanks.validity_years)
    keyset = prof.keyset()
    infos: list[BlankInfo] = []
    for serial in range(first_serial, first_serial + count):
        account = bank_account_for(prof.blanks.bank_bin, prof.blanks.account_length, serial)
        path = out / f"blank-{serial:08d}.json"
        if path.exists():
            raise BlankSetError("目标文件已存在 (file already exists)", detail=str(path))
        card = make_card(prof, serial=serial, keyset=keyset)
        card.state.extra.update(
            bank=bank, manufacturer=manufacturer, bank_account=account, expiry=expiry.isoformat()
        )
        card.save(path)
        ef05 = card.records(EF05_PATH)
        card_id = F_CARD_ID.decode(ef05[_index(F_CARD_ID.tag)])
        number = F_CARD_NUMBER.decode(ef05[_index(F_CARD_NUMBER.tag)])
        infos.append(
            BlankInfo(
                bank, manufacturer, card_id or "", number or "", mask_account(account), expiry, path
            )
        )
    write_manifest(manifest, infos)
    return infos


def _index(tag: int) -> int:
    return [f.tag for f in EF05_FIELDS].index(tag)


def write_manifest(path: Path, infos: Sequence[BlankInfo]) -> None:
    """The stock-in list, written atomically (UTF-8, ``\\n`` line ends, fixed header)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(MANIFEST_HEADER)
    for info in infos:
        w.writerow(info.row())
    write_file(path, buf.getvalue(), error=BlankSetError)  # 0600, atomic, no symlink


def load_blank(path: Path | str) -> VirtualSSCard:
    """A blank (or any saved virtual card) back from its state file; changes are
    written back to the same file.  The state file names a shipped profile or holds the
    absolute path of its profile file (``ProfileBase.ref``)."""
    p = Path(path)
    state = CardState.load(p)
    try:
        prof = load_card_profile(state.profile)
    except ProfileError as exc:
        raise CardStateError(
            f"无法加载虚拟卡 {p.name} 的配置 (profile of the saved card not found)",
            detail=exc.detail or exc.message,
        ) from None
    return make_card(prof, state_path=p)
