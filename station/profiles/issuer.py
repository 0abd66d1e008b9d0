"""A card profile's ``[issuer]`` (EF05) and ``[holder]`` (EF06) sections.

Values are checked with the card's own record codecs (``station.codecs.records``): what a
profile accepts is exactly what a card can hold.  Each item is checked on its own first,
so the error names the line of the item that is wrong.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from station.codecs import records as R
from station.codecs.records import HolderData, IssuerData
from station.codecs.validators import InvalidData, validate_citizen_id
from station.profiles.reader import Reader, Where

RID_HEX = "D156000005"
ISSUER_ITEMS = (
    "card_id_code",
    "card_type",
    "spec_version",
    "init_org",
    "issue_date",
    "expiry",
    "card_number",
)
DEFAULT_FACTORY_ITEMS = ("card_id_code", "card_type", "spec_version", "init_org", "card_number")
_TEXT_ITEMS = ("card_id_code", "card_type", "spec_version", "init_org", "card_number")
_NEED_VALUE = ("card_type", "spec_version", "init_org", "issue_date", "expiry")
_HOLDER_KEYS = ("ssn", "name", "sex", "ethnicity", "birthplace", "birth_date")


@dataclass(frozen=True)
class IssuerSection:
    """``[issuer]``: fixed EF05 values and how the others are made from a card serial."""

    values: Mapping[str, Any] = field(default_factory=dict)
    card_number_prefix: str = ""
    auth_code: bytes | None = None
    factory_items: tuple[str, ...] = DEFAULT_FACTORY_ITEMS


def read_issuer(r: Reader, region: str) -> IssuerSection:
    where: Where = ("issuer",)
    allowed = {*ISSUER_ITEMS, "card_number_prefix", "auth_code", "factory_items"}
    t = r.table(where, r.doc.get("issuer", {}), allowed)
    values = _issuer_values(r, t)
    if "card_id_code" in values and not values["card_id_code"].upper().startswith(region + RID_HEX):
        raise r.err((*where, "card_id_code"), f"must start with the region and {RID_HEX}")
    prefix = r.get(t, where, "card_number_prefix", str, "")
    if len(prefix) > 4 or not re.fullmatch(r"[0-9A-Z]*", prefix):
        raise r.err((*where, "card_number_prefix"), "up to 4 digits or capital letters")
    auth = r.hexbytes(t, where, "auth_code", None)
    if auth is not None and len(auth) != 4:
        raise r.err((*where, "auth_code"), "must be 4 bytes (8 hex digits)")
    items = r.get(t, where, "factory_items", list, list(DEFAULT_FACTORY_ITEMS))
    for i, item in enumerate(items):
        if item not in ISSUER_ITEMS:
            raise r.err((*where, "factory_items"), f"item {i + 1}: unknown item {item!r}")
    for item in items:
        if item in _NEED_VALUE and item not in values:
            raise r.err((*where, "factory_items"), f"'{item}' is listed but has no value")
    return IssuerSection(values, prefix, auth, tuple(items))


def _issuer_values(r: Reader, t: Mapping[str, Any]) -> dict[str, Any]:
    where: Where = ("issuer",)
    values: dict[str, Any] = {}
    for key in _TEXT_ITEMS:
        if key in t:
            values[key] = r.get(t, where, key, str)
    for key in ("issue_date", "expiry"):
        d = r.date(t, where, key)
        if d is not None:
            values[key] = d
    # validate item by item, so the error points at the right line
    for key, value in values.items():
        try:
            IssuerData(**{key: value})
        except InvalidData as exc:
            raise r.err((*where, key), f"{exc.message} {exc.detail}".strip()) from None
    try:
        IssuerData(**values)
    except InvalidData as exc:
        raise r.err(where, f"{exc.message} {exc.detail}".strip()) from None
    return values


def read_holder(r: Reader) -> HolderData | None:
    """``[holder]``: present only in profiles of issued cards."""
    if "holder" not in r.doc:
        return None
    where: Where = ("holder",)
    t = r.table(where, r.doc["holder"], {*_HOLDER_KEYS, "other_ssn"})
    values: dict[str, Any] = {}
    for key in _HOLDER_KEYS[:-1]:
        values[key] = r.get(t, where, key, str)
    born = r.date(t, where, "birth_date")
    if born is None:
        raise r.err(where, "missing required field 'birth_date'")
    values["birth_date"] = born
    values["other_ssn"] = r.get(t, where, "other_ssn", bool, False)
    try:
        return HolderData(**values)
    except InvalidData as exc:
        # find which field: re-check the ones with their own validators
        culprit = _holder_culprit(values)
        raise r.err(
            (*where, culprit) if culprit else where, f"{exc.message} {exc.detail}".strip()
        ) from None


def _holder_culprit(values: Mapping[str, Any]) -> str | None:
    checks: list[tuple[str, Callable[[], object]]] = [
        ("name", lambda: R.validate_name(values["name"])),
        ("sex", lambda: R.F_SEX.encode(str(values["sex"]))),
        ("ethnicity", lambda: R.F_ETHNICITY.encode(str(values["ethnicity"]))),
        ("birthplace", lambda: R.F_BIRTHPLACE.encode(str(values["birthplace"]))),
        ("ssn", lambda: validate_citizen_id(values["ssn"]) if not values["other_ssn"] else 0),
    ]
    for key, fn in checks:
        try:
            fn()
        except InvalidData:
            return key
    return "birth_date"
