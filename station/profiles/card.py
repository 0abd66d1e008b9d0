"""Card profiles (``kind = "card"``): one TOML file describes a social security card type
completely enough to emulate it, issue onto it and print its face.

``read_card`` is a short list of section readers, one per TOML section; each checks its
own section and names the line of any defect.  The format is documented field by field in
``profiles/README.md``.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from station.apdu.atr import historical_bytes
from station.codecs.records import HolderData
from station.crypto.algorithms import Alg, CryptoError, pin_bcd
from station.printer.face_layout import FaceLayout
from station.profiles.base import ProfileBase, ProfileKind, read_common
from station.profiles.face import read_face
from station.profiles.files import EFDef, read_files, read_subapps
from station.profiles.issuer import DEFAULT_FACTORY_ITEMS, read_holder, read_issuer
from station.profiles.keys import key_id, key_label, load_keys
from station.profiles.reader import Reader, Where

TOP_FIELDS = {
    "kind",
    "name",
    "description",
    "generation",
    "algorithm",
    "atr",
    "region",
    "key_file",
    "key_versions",
    "files",
    "ef06_read_needs_rk",
    "subapps",
    "pin",
    "options",
    "issuer",
    "holder",
    "face",
    "blanks",
}
MAX_TRIES = 15


class PinInitial(enum.StrEnum):
    """Where a new card's PIN comes from."""

    FIXED = "fixed"  # the factory PIN ``PinPolicy.value``
    LAST6_SSN = "last6-ssn"  # the last six characters of the SSN (X counting as 0)


@dataclass(frozen=True)
class PinPolicy:
    tries: int = 6
    initial: PinInitial = PinInitial.FIXED
    value: str | None = field(default=None, repr=False)


@dataclass(frozen=True)
class BlankDefaults:
    """Facts about pre-made stock made from this profile (``make-blanks``)."""

    bank: str = ""
    manufacturer: str = ""
    bank_bin: str = "622200"
    account_length: int = 19
    validity_years: int = 10


@dataclass(frozen=True, kw_only=True)
class CardProfile(ProfileBase):
    """A validated card profile."""

    kind: ClassVar[ProfileKind] = ProfileKind.CARD
    atr: bytes
    generation: int
    region: str
    key_versions: Mapping[int, int] = field(default_factory=dict)
    files: Mapping[int, EFDef] = field(default_factory=dict, repr=False)
    subapps: tuple[int, ...] = ()
    pin: PinPolicy = PinPolicy()
    key_tries: int = MAX_TRIES
    t0_get_response: bool = False
    issuer: Mapping[str, Any] = field(default_factory=dict)
    card_number_prefix: str = ""
    auth_code: bytes | None = None
    factory_items: tuple[str, ...] = DEFAULT_FACTORY_ITEMS
    holder: HolderData | None = None
    face: FaceLayout | None = None
    blanks: BlankDefaults = BlankDefaults()

    @property
    def historical(self) -> bytes:
        return historical_bytes(self.atr)

    @property
    def issued(self) -> bool:
        """A profile with holder data describes a card already issued to someone."""
        return self.holder is not None


def read_card(r: Reader) -> CardProfile:
    """A card profile, section by section in the order of the documentation."""
    r.table((), r.doc, TOP_FIELDS)
    common = read_common(r)
    generation = _generation(r, common["alg"])
    atr = _atr(r)
    region = r.get(r.doc, (), "region", str)
    if not re.fullmatch(r"\d{6}", region):
        raise r.err(("region",), "must be the 6-digit region code")
    key_versions = _key_versions(r)
    needs_rk = r.get(r.doc, (), "ef06_read_needs_rk", bool, generation >= 3)
    files = read_files(r, generation, needs_rk)
    subapps = read_subapps(r)
    pin = _pin(r)
    t0, key_tries = _options(r)
    issuer = read_issuer(r, region)
    prof = CardProfile(
        **common,
        atr=atr,
        generation=generation,
        region=region,
        key_versions=key_versions,
        files=files,
        subapps=subapps,
        pin=pin,
        key_tries=key_tries,
        t0_get_response=t0,
        issuer=issuer.values,
        card_number_prefix=issuer.card_number_prefix,
        auth_code=issuer.auth_code,
        factory_items=issuer.factory_items,
        holder=read_holder(r),
        face=read_face(r, r.doc["face"]) if "face" in r.doc else None,
        blanks=_blanks(r),
    )
    keyset = load_keys(r, prof.key_file, prof.alg)
    table = r.doc.get("key_versions", {})
    for kid in prof.key_versions:
        if kid not in keyset.keys:
            raise r.err(("key_versions", key_label(kid, table)), "no such key in the key file")
    return prof


def _generation(r: Reader, alg: Alg) -> int:
    generation: int = r.get(r.doc, (), "generation", int)
    if generation not in (2, 3):
        raise r.err(("generation",), "must be 2 or 3")
    if generation == 3 and alg is not Alg.SM4:
        raise r.err(("algorithm",), "a generation-3 card uses sm4")
    if generation == 2 and alg is not Alg.DES3:
        raise r.err(("algorithm",), "a generation-2 card uses 3des (SSF33 is not supported)")
    return generation


def _atr(r: Reader) -> bytes:
    atr: bytes = r.hexbytes(r.doc, (), "atr")
    if len(atr) < 2 or atr[0] not in (0x3B, 0x3F):
        raise r.err(("atr",), "an ATR starts with 3B or 3F")
    hist = historical_bytes(atr)
    if len(hist) < 13:
        raise r.err(
            ("atr",), f"needs 13 historical bytes (T6..TD are the card factor), has {len(hist)}"
        )
    return atr


def _key_versions(r: Reader) -> dict[int, int]:
    """``[key_versions]``: ``NAME = version`` overriding the key file's versions."""
    out: dict[int, int] = {}
    for kname, ver in r.open_table(("key_versions",), r.doc.get("key_versions", {})).items():
        kid = key_id(kname)
        if kid is None:
            raise r.err(("key_versions", kname), f"unknown key '{kname}'")
        if isinstance(ver, bool) or not isinstance(ver, int) or not 0 <= ver <= 255:
            raise r.err(("key_versions", kname), "must be a version number 0..255")
        out[kid] = ver
    return out


def _pin(r: Reader) -> PinPolicy:
    where: Where = ("pin",)
    t = r.table(where, r.doc.get("pin", {}), {"tries", "initial", "value"})
    tries = r.get(t, where, "tries", int, 6)
    if not 1 <= tries <= MAX_TRIES:
        raise r.err((*where, "tries"), "must be 1..15")
    initial = r.get(t, where, "initial", str, PinInitial.FIXED.value)
    if initial not in set(PinInitial):
        raise r.err((*where, "initial"), 'must be "fixed" or "last6-ssn"')
    value = r.get(t, where, "value", str, None, "a PIN in quotes")
    if initial == PinInitial.FIXED:
        if value is None:
            raise r.err(where, "initial = \"fixed\" needs 'value'")
        try:
            pin_bcd(value)
        except CryptoError:
            raise r.err((*where, "value"), "must be 4 to 12 digits") from None
    elif value is not None:
        raise r.err((*where, "value"), 'only with initial = "fixed"')
    return PinPolicy(tries, PinInitial(initial), value)


def _options(r: Reader) -> tuple[bool, int]:
    """``[options]``: (answer like a T=0 card, EXTERNAL AUTH tries per key)."""
    where: Where = ("options",)
    t = r.table(where, r.doc.get("options", {}), {"t0_get_response", "key_tries"})
    t0 = r.get(t, where, "t0_get_response", bool, False)
    key_tries = r.get(t, where, "key_tries", int, MAX_TRIES)
    if not 1 <= key_tries <= MAX_TRIES:
        raise r.err((*where, "key_tries"), "must be 1..15")
    return t0, key_tries


def _blanks(r: Reader) -> BlankDefaults:
    where: Where = ("blanks",)
    t = r.table(
        where,
        r.doc.get("blanks", {}),
        {"bank", "manufacturer", "bank_bin", "account_length", "validity_years"},
    )
    bank = r.get(t, where, "bank", str, "")
    manufacturer = r.get(t, where, "manufacturer", str, "")
    bin_ = r.get(t, where, "bank_bin", str, "622200")
    if not re.fullmatch(r"\d{6,8}", bin_):
        raise r.err((*where, "bank_bin"), "must be 6 to 8 digits")
    length = r.get(t, where, "account_length", int, 19)
    if not 16 <= length <= 19 or length < len(bin_) + 6:
        raise r.err((*where, "account_length"), "must be 16..19 and leave room for a serial")
    years = r.get(t, where, "validity_years", int, 10)
    if not 1 <= years <= 30:
        raise r.err((*where, "validity_years"), "must be 1..30")
    return BlankDefaults(bank, manufacturer, bin_, length, years)
