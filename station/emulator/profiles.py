"""Card profiles: one TOML file describes a card type (or a PSAM) completely.

A technician tests a city's card variant — its ATR, algorithm, key set, file access
rules, PIN policy, what a pre-made blank carries, where the printer puts the face — as a
profile before a real card is touched.  ``make_card`` turns a profile into a
``VirtualSSCard``; ``make_psam`` into a ``VirtualPsam``.  The format is documented field
by field in ``profiles/README.md``.

Profiles are found by name in the profiles directory: ``$STATION_PROFILES_DIR`` if set,
else ``<repository>/profiles`` (the parent of the ``station`` package's directory).  A
path to any ``.toml`` file works too.

Every defect raises ``ProfileError`` naming the file and line: tomllib reports the line
of syntax errors itself; for schema errors the line of the offending key is found by
scanning the text (``_LineMap``).  Error texts never quote a PIN or key value.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import os
import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import station
from station.card.records import EF05_FIELDS, EF06_FIELDS, HolderData, IssuerData
from station.card.validators import InvalidData, card_number_check
from station.crypto import psam as P
from station.crypto.algorithms import Alg, CryptoError, pin_bcd
from station.crypto.keys import (
    KEY_NAMES,
    STANDARD_KEYS,
    KeyFileError,
    KeySet,
    derive_card_key,
    load_keyset,
)
from station.emulator.fs import Access, RecordSpec
from station.emulator.layout import (
    EF05_PATH,
    EF06_PATH,
    SUBAPPS,
    EFDef,
    build_fs,
    default_efs,
)
from station.emulator.ssc import (
    CardKey,
    CardOptions,
    VirtualSSCard,
    historical_bytes,
    historical_span,
    pin_from_ssn,
)
from station.emulator.state import CardState
from station.errors import StationError
from station.textfile import loads_json, loads_toml, read_utf8

if TYPE_CHECKING:
    from station.emulator.psam import VirtualPsam

ENV_PROFILES_DIR = "STATION_PROFILES_DIR"
RID_HEX = "D156000005"

# ISO/IEC 7810 ID-1, the card size every social security card has (mm)
ID1_WIDTH = 85.60
ID1_HEIGHT = 53.98

FACE_FIELDS = ("name", "ssn", "card_number", "issue_date")
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


class ProfileError(StationError):
    """A profile that cannot be used; ``detail`` is ``file:line: what``."""

    default_message = "卡片配置文件错误 (invalid card profile)"


# -- the profile --------------------------------------------------------------------------


@dataclass(frozen=True)
class PinPolicy:
    """``initial`` is ``"fixed"`` (``value``) or ``"last6-ssn"``."""

    tries: int = 6
    initial: str = "fixed"
    value: str | None = field(default=None, repr=False)


@dataclass(frozen=True)
class Box:
    """A rectangle on the card front, mm from the top-left corner, y downwards."""

    x: float
    y: float
    w: float
    h: float

    def overlaps(self, other: Box) -> bool:
        return not (
            self.x + self.w <= other.x
            or other.x + other.w <= self.x
            or self.y + self.h <= other.y
            or other.y + other.h <= self.y
        )


@dataclass(frozen=True)
class TextLine:
    """One printed data item: ``field`` (one of ``FACE_FIELDS``) at baseline-left
    ``x, y`` mm, font ``size`` in points, with an optional printed caption ``label``."""

    field: str
    x: float
    y: float
    size: float
    label: str = ""


@dataclass(frozen=True)
class FaceLayout:
    """Where the printer puts the photo and the text; the chip window stays clear."""

    width: float
    height: float
    photo: Box
    chip: Box
    text: tuple[TextLine, ...]


@dataclass(frozen=True)
class BlankDefaults:
    """Facts about pre-made stock made from this profile (``make-blanks``)."""

    bank: str = ""
    manufacturer: str = ""
    bank_bin: str = "622200"
    account_length: int = 19
    validity_years: int = 10


@dataclass(frozen=True)
class Profile:
    """A validated profile.  ``raw`` is the TOML document, kept for overrides."""

    kind: str
    name: str
    description: str
    alg: Alg
    atr: bytes
    key_file: Path
    path: Path | None
    base_dir: Path
    raw: Mapping[str, Any] = field(repr=False)
    text: str = field(default="", repr=False)
    generation: int = 3
    region: str = ""
    key_versions: Mapping[int, int] = field(default_factory=dict)
    files: Mapping[int, EFDef] = field(default_factory=dict, repr=False)
    subapps: tuple[int, ...] = ()
    pin: PinPolicy = PinPolicy()
    key_tries: int = 15
    t0_get_response: bool = False
    issuer: Mapping[str, Any] = field(default_factory=dict)
    card_number_prefix: str = ""
    auth_code: bytes | None = None
    factory_items: tuple[str, ...] = DEFAULT_FACTORY_ITEMS
    holder: HolderData | None = None
    face: FaceLayout | None = None
    blanks: BlankDefaults = BlankDefaults()
    terminal_number: str = ""
    key_map: Mapping[int, P.PsamSlot] = field(default_factory=dict)  # PSAM: card key -> slot

    @property
    def historical(self) -> bytes:
        return historical_bytes(self.atr)

    @property
    def issued(self) -> bool:
        """A profile with holder data describes a card already issued to someone."""
        return self.holder is not None

    @property
    def ref(self) -> str:
        """How a state file names this profile: its name when it lives in the profiles
        directory, else its absolute path."""
        if self.path is None:
            return self.name
        try:
            if self.path.resolve().parent == profiles_dir().resolve():
                return self.name
        except OSError:
            pass
        return str(self.path.resolve())

    def with_overrides(self, overrides: Mapping[str, Any]) -> Profile:
        """The same profile with ``overrides`` deep-merged into its TOML, re-validated."""
        return _build(_deep_merge(dict(self.raw), overrides), self.text, self.path, self.base_dir)

    def keyset(self) -> KeySet:
        """Load the key file (errors name the profile's ``key_file`` line)."""
        return _load_keys(self)


# -- locating profiles ----------------------------------------------------------------------


def profiles_dir() -> Path:
    env = os.environ.get(ENV_PROFILES_DIR)
    if env:
        return Path(env)
    return Path(station.__file__).resolve().parent.parent / "profiles"


def list_profiles(directory: Path | None = None) -> list[str]:
    """Names of the profiles in the profiles directory, sorted."""
    d = directory or profiles_dir()
    if not d.is_dir():
        return []
    return sorted(p.stem for p in d.glob("*.toml"))


def load_profile(name_or_path: str | Path) -> Profile:
    """A profile by name (``gen3-sm4-issued``) or by path (``./my.toml``)."""
    text_ref = str(name_or_path)
    looks_like_path = (
        isinstance(name_or_path, Path)
        or "/" in text_ref
        or os.sep in text_ref
        or text_ref.endswith(".toml")
    )
    if looks_like_path:
        path = Path(name_or_path)
    else:
        path = profiles_dir() / f"{text_ref}.toml"
        if not path.is_file():
            names = ", ".join(list_profiles()) or "none"
            raise ProfileError(
                f"找不到卡片配置 {text_ref} (no such profile)",
                detail=f"looked in {profiles_dir()}; available: {names}",
            )
    text = read_utf8(path, ProfileError, "卡片配置文件", "profile")
    return parse_profile(text, path)


def parse_profile(text: str, path: Path | None = None, base_dir: Path | None = None) -> Profile:
    """Validate profile text.  ``base_dir`` resolves ``key_file`` when there is no path."""
    try:
        doc = loads_toml(text, path or "<profile>", ProfileError, "卡片配置文件", "profile")
    except tomllib.TOMLDecodeError as exc:
        name = path.name if path else "<profile>"
        m = re.search(r"line (\d+)", str(exc))
        line = f"第{m.group(1)}行 " if m else ""
        raise ProfileError(
            f"卡片配置文件格式错误：{name} {line}(profile is not valid TOML)",
            detail=f"{name}: {exc}",
        ) from None
    base = base_dir or (path.parent if path else Path("."))
    return _build(doc, text, path, base)


# -- validation -------------------------------------------------------------------------------

_BARE = r"""(?:[A-Za-z0-9_\-]+|"[^"]*"|'[^']*')"""
_KEY_LINE = re.compile(rf"^\s*({_BARE}(?:\s*\.\s*{_BARE})*)\s*=")
_TABLE_LINE = re.compile(r"^\s*\[\s*([^\[\]]+?)\s*\]\s*(#.*)?$")
_ARRAY_LINE = re.compile(r"^\s*\[\[\s*([^\[\]]+?)\s*\]\]\s*(#.*)?$")


def _split_key(text: str) -> tuple[str, ...]:
    parts = re.findall(r"""[A-Za-z0-9_\-]+|"[^"]*"|'[^']*'""", text)
    return tuple(p.strip("\"'") for p in parts)


class _LineMap:
    """Line numbers of keys and tables (paths with array indices), found by scanning."""

    def __init__(self, text: str) -> None:
        self.lines: dict[tuple[str | int, ...], int] = {}
        counts: dict[tuple[str, ...], int] = {}
        current: tuple[str | int, ...] = ()
        in_multiline = False
        for no, line in enumerate(text.splitlines(), start=1):
            if line.count('"""') % 2 or line.count("'''") % 2:
                in_multiline = not in_multiline
                if not in_multiline:
                    continue
            if in_multiline:
                continue
            m = _ARRAY_LINE.match(line)
            if m:
                key = _split_key(m.group(1))
                idx = counts.get(key, 0)
                counts[key] = idx + 1
                current = (*key, idx)
                self.lines.setdefault(current, no)
                self.lines.setdefault(key, no)
                continue
            m = _TABLE_LINE.match(line)
            if m:
                current = _split_key(m.group(1))
                self.lines.setdefault(current, no)
                continue
            m = _KEY_LINE.match(line)
            if m:
                self.lines.setdefault((*current, *_split_key(m.group(1))), no)

    def find(self, path: Sequence[str | int]) -> int | None:
        p = tuple(path)
        while p:
            if p in self.lines:
                return self.lines[p]
            p = p[:-1]
        return None


class _V:
    """Validation helpers that turn a path in the document into ``file:line`` errors."""

    def __init__(self, doc: Mapping[str, Any], text: str, path: Path | None) -> None:
        self.doc = doc
        self.text = text
        self.path = path
        self.name = path.name if path else "<profile>"
        self.lines = _LineMap(text)

    def err(self, where: Sequence[str | int], what: str) -> ProfileError:
        line = self.lines.find(where)
        loc = f"{self.name}:{line}" if line else self.name
        dotted = ".".join(str(p) for p in where) or "(top level)"
        return ProfileError(
            f"卡片配置文件错误：{self.name} 第{line or '?'}行 {dotted} (invalid profile {loc})",
            detail=f"{loc}: {dotted}: {what}",
        )

    def table(self, where: Sequence[str | int], value: Any, allowed: set[str]) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.err(where, "must be a table")
        unknown = sorted(set(value) - allowed)
        if unknown:
            raise self.err(
                (*where, unknown[0]),
                f"unknown field '{unknown[0]}' (known: {', '.join(sorted(allowed))})",
            )
        return value

    def get(
        self,
        tbl: Mapping[str, Any],
        where: tuple[str | int, ...],
        key: str,
        typ: type | tuple[type, ...],
        default: Any = ...,
        what: str = "",
    ) -> Any:
        if key not in tbl:
            if default is ...:
                raise self.err(where, f"missing required field '{key}'")
            return default
        value = tbl[key]
        if isinstance(value, bool) and typ is not bool and bool not in _as_tuple(typ):
            raise self.err((*where, key), f"must be {what or _typename(typ)}")
        if not isinstance(value, typ):
            raise self.err((*where, key), f"must be {what or _typename(typ)}")
        return value

    def hexbytes(
        self, tbl: Mapping[str, Any], where: tuple[str | int, ...], key: str, default: Any = ...
    ) -> Any:
        value = self.get(tbl, where, key, str, default, "a hex string")
        if value is default and default is not ...:
            return default
        cleaned = value.replace(" ", "").replace(":", "")
        if not cleaned or len(cleaned) % 2 or not re.fullmatch(r"[0-9A-Fa-f]+", cleaned):
            raise self.err((*where, key), "is not valid hex (pairs of 0-9 A-F)")
        return bytes.fromhex(cleaned)


def _as_tuple(t: type | tuple[type, ...]) -> tuple[type, ...]:
    return t if isinstance(t, tuple) else (t,)


def _typename(t: type | tuple[type, ...]) -> str:
    names = {
        str: "text",
        int: "an integer",
        float: "a number",
        bool: "true or false",
        dict: "a table",
        list: "a list",
        _dt.date: "a date (YYYY-MM-DD)",
    }
    return " or ".join(names.get(x, x.__name__) for x in _as_tuple(t))


_TOP_CARD = {
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
_TOP_PSAM = {
    "kind",
    "name",
    "description",
    "algorithm",
    "atr",
    "key_file",
    "terminal_number",
    "key_map",
}


def _build(doc: Mapping[str, Any], text: str, path: Path | None, base: Path) -> Profile:
    v = _V(doc, text, path)
    kind = v.get(doc, (), "kind", str, "card")
    if kind not in ("card", "psam"):
        raise v.err(("kind",), 'must be "card" or "psam"')
    v.table((), doc, _TOP_CARD if kind == "card" else _TOP_PSAM)
    name = v.get(doc, (), "name", str)
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.\-]*", name):
        raise v.err(("name",), "must be letters, digits, '-', '_' or '.'")
    if path is not None and path.suffix == ".toml" and path.stem != name:
        raise v.err(("name",), f"must equal the file name '{path.stem}'")
    description = v.get(doc, (), "description", str, "")
    alg_text = v.get(doc, (), "algorithm", str)
    try:
        alg = Alg.parse(alg_text)
    except CryptoError:
        raise v.err(("algorithm",), 'must be "sm4" or "3des"') from None
    key_rel = v.get(doc, (), "key_file", str)
    key_file = (base / key_rel).resolve() if not Path(key_rel).is_absolute() else Path(key_rel)
    if not key_file.is_file():
        raise v.err(("key_file",), f"key file not found: {key_rel}")

    if kind == "psam":
        atr = v.hexbytes(doc, (), "atr", None)
        terminal = v.get(doc, (), "terminal_number", str)
        if not re.fullmatch(r"\d{12}", terminal):
            raise v.err(("terminal_number",), "must be 12 digits")
        prof = Profile(
            kind=kind,
            name=name,
            description=description,
            alg=alg,
            atr=atr or b"",
            key_file=key_file,
            path=path,
            base_dir=base,
            raw=doc,
            text=text,
            terminal_number=terminal,
        )
        keyset = _load_keys(prof, v)
        return replace(prof, key_map=_key_map(v, doc, keyset))

    generation = v.get(doc, (), "generation", int)
    if generation not in (2, 3):
        raise v.err(("generation",), "must be 2 or 3")
    if generation == 3 and alg is not Alg.SM4:
        raise v.err(("algorithm",), "a generation-3 card uses sm4")
    if generation == 2 and alg is not Alg.DES3:
        raise v.err(("algorithm",), "a generation-2 card uses 3des (SSF33 is not supported)")
    atr = v.hexbytes(doc, (), "atr")
    if len(atr) < 2 or atr[0] not in (0x3B, 0x3F):
        raise v.err(("atr",), "an ATR starts with 3B or 3F")
    hist = historical_bytes(atr)
    if len(hist) < 13:
        raise v.err(
            ("atr",), f"needs 13 historical bytes (T6..TD are the card factor), has {len(hist)}"
        )
    region = v.get(doc, (), "region", str)
    if not re.fullmatch(r"\d{6}", region):
        raise v.err(("region",), "must be the 6-digit region code")

    key_versions: dict[int, int] = {}
    kv = v.table(("key_versions",), doc.get("key_versions", {}), set(doc.get("key_versions", {})))
    for kname, ver in kv.items():
        kid = _key_id(kname)
        if kid is None:
            raise v.err(("key_versions", kname), f"unknown key '{kname}'")
        if isinstance(ver, bool) or not isinstance(ver, int) or not 0 <= ver <= 255:
            raise v.err(("key_versions", kname), "must be a version number 0..255")
        key_versions[kid] = ver

    needs_rk = v.get(doc, (), "ef06_read_needs_rk", bool, generation >= 3)
    files = default_efs(generation, ef06_read_needs_rk=needs_rk)
    ftab = v.table(("files",), doc.get("files", {}), set(doc.get("files", {})))
    for fname, spec in ftab.items():
        files[_fid(v, fname)] = _file_def(v, fname, spec, files)
    subapps: list[int] = []
    for i, s in enumerate(v.get(doc, (), "subapps", list, [])):
        fid = _fid(v, s, ("subapps", i)) if isinstance(s, str) else None
        if fid not in SUBAPPS:
            raise v.err(
                ("subapps",),
                f"sub-applications are {', '.join(f'DF{f & 0xFF:02X}' for f in SUBAPPS)}",
            )
        subapps.append(fid)

    pin_t = v.table(("pin",), doc.get("pin", {}), {"tries", "initial", "value"})
    tries = v.get(pin_t, ("pin",), "tries", int, 6)
    if not 1 <= tries <= 15:
        raise v.err(("pin", "tries"), "must be 1..15")
    initial = v.get(pin_t, ("pin",), "initial", str, "fixed")
    if initial not in ("fixed", "last6-ssn"):
        raise v.err(("pin", "initial"), 'must be "fixed" or "last6-ssn"')
    pin_value = v.get(pin_t, ("pin",), "value", str, None, "a PIN in quotes")
    if initial == "fixed":
        if pin_value is None:
            raise v.err(("pin",), "initial = \"fixed\" needs 'value'")
        try:
            pin_bcd(pin_value)
        except CryptoError:
            raise v.err(("pin", "value"), "must be 4 to 12 digits") from None
    elif pin_value is not None:
        raise v.err(("pin", "value"), 'only with initial = "fixed"')

    opt = v.table(("options",), doc.get("options", {}), {"t0_get_response", "key_tries"})
    t0 = v.get(opt, ("options",), "t0_get_response", bool, False)
    key_tries = v.get(opt, ("options",), "key_tries", int, 15)
    if not 1 <= key_tries <= 15:
        raise v.err(("options", "key_tries"), "must be 1..15")

    issuer, prefix, auth_code, factory = _issuer(v, doc, region)
    holder = _holder(v, doc)
    face = _face(v, doc["face"]) if "face" in doc else None
    blanks = _blanks(v, doc)

    prof = Profile(
        kind=kind,
        name=name,
        description=description,
        alg=alg,
        atr=atr,
        key_file=key_file,
        path=path,
        base_dir=base,
        raw=doc,
        text=text,
        generation=generation,
        region=region,
        key_versions=key_versions,
        files=files,
        subapps=tuple(subapps),
        pin=PinPolicy(tries, initial, pin_value),
        key_tries=key_tries,
        t0_get_response=t0,
        issuer=issuer,
        card_number_prefix=prefix,
        auth_code=auth_code,
        factory_items=factory,
        holder=holder,
        face=face,
        blanks=blanks,
    )
    keyset = _load_keys(prof, v)
    for kid in key_versions:
        if kid not in keyset.keys:
            raise v.err(("key_versions", _key_label(kid, kv)), "no such key in the key file")
    return prof


def _key_id(name: str) -> int | None:
    std = STANDARD_KEYS.get(name.upper())
    if std is not None:
        return std[0]
    if re.fullmatch(r"(0x)?[0-9A-Fa-f]{1,2}", name):
        return int(name, 16)
    return None


def _key_label(kid: int, table: Mapping[str, Any]) -> str:
    for k in table:
        if _key_id(k) == kid:
            return k
    return KEY_NAMES.get(kid, f"{kid:02X}")


def _fid(v: _V, text: str, where: tuple[str | int, ...] | None = None) -> int:
    t = text.upper().removeprefix("0X")
    if not re.fullmatch(r"[0-9A-F]{4}", t):
        raise v.err(where or ("files", text), "a file id is 4 hex digits (e.g. EF05)")
    return int(t, 16)


def _access(
    v: _V, spec: Mapping[str, Any], where: tuple[str | int, ...], key: str, default: Access | None
) -> Access:
    if key not in spec:
        if default is None:
            raise v.err(where, f"missing required field '{key}'")
        return default
    text = v.get(spec, where, key, str)
    try:
        return Access.parse(text)
    except ValueError as exc:
        raise v.err((*where, key), str(exc)) from None


def _file_def(v: _V, fname: str, spec: Any, files: Mapping[int, EFDef]) -> EFDef:
    where: tuple[str | int, ...] = ("files", fname)
    fid = _fid(v, fname)
    t = v.table(where, spec, {"sfi", "structure", "size", "records", "read", "write"})
    base = files.get(fid)
    if fid in (0x3F00,) or fid in SUBAPPS:
        raise v.err(where, "that file id belongs to a DF")
    if base is not None:
        for k in ("structure", "records", "sfi"):
            if k in t:
                raise v.err((*where, k), f"the layout of {fname} is fixed; only read, write, size")
        if "size" in t and base.structure != "transparent":
            raise v.err((*where, "size"), "only transparent files have a size")
        size = v.get(t, where, "size", int, base.size)
        if base.structure == "transparent" and not 1 <= size <= 0x7FFF:
            raise v.err((*where, "size"), "must be 1..32767")
        return EFDef(
            fid,
            base.sfi,
            base.structure,
            _access(v, t, where, "read", base.read),
            _access(v, t, where, "write", base.write),
            size,
            base.records,
        )
    structure = v.get(t, where, "structure", str)
    if structure not in ("records", "transparent"):
        raise v.err((*where, "structure"), 'must be "records" or "transparent"')
    sfi = v.get(t, where, "sfi", int, None)
    if sfi is not None and not 1 <= sfi <= 30:
        raise v.err((*where, "sfi"), "must be 1..30")
    if sfi is not None and any(f.sfi == sfi for f in files.values()):
        raise v.err((*where, "sfi"), f"SFI {sfi} is already used")
    read = _access(v, t, where, "read", None)
    write = _access(v, t, where, "write", None)
    if structure == "transparent":
        size = v.get(t, where, "size", int)
        if not 1 <= size <= 0x7FFF:
            raise v.err((*where, "size"), "must be 1..32767")
        return EFDef(fid, sfi, structure, read, write, size=size)
    recs = v.get(t, where, "records", list)
    out: list[RecordSpec] = []
    for i, r in enumerate(recs):
        if (
            not isinstance(r, list)
            or len(r) != 2
            or not all(isinstance(x, int) and not isinstance(x, bool) for x in r)
            or not 1 <= r[0] <= 0xFE
            or not 1 <= r[1] <= 253
        ):
            raise v.err((*where, "records"), f"record {i + 1} must be [tag 01..FE, length 1..253]")
        out.append(RecordSpec(r[0], r[1]))
    if not out:
        raise v.err((*where, "records"), "needs at least one record")
    return EFDef(fid, sfi, structure, read, write, records=tuple(out))


def _date(v: _V, tbl: Mapping[str, Any], where: tuple[str | int, ...], key: str) -> Any:
    value = tbl.get(key)
    if value is None:
        return None
    if isinstance(value, _dt.datetime):
        raise v.err((*where, key), "must be a date without a time (YYYY-MM-DD)")
    if isinstance(value, _dt.date):
        return value
    if isinstance(value, str):
        try:
            return _dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise v.err((*where, key), "must be a date (YYYY-MM-DD)")


def _issuer(
    v: _V, doc: Mapping[str, Any], region: str
) -> tuple[dict[str, Any], str, bytes | None, tuple[str, ...]]:
    where: tuple[str | int, ...] = ("issuer",)
    allowed = {*ISSUER_ITEMS, "card_number_prefix", "auth_code", "factory_items"}
    t = v.table(where, doc.get("issuer", {}), allowed)
    values: dict[str, Any] = {}
    for key in ("card_id_code", "card_type", "spec_version", "init_org", "card_number"):
        if key in t:
            values[key] = v.get(t, where, key, str)
    for key in ("issue_date", "expiry"):
        d = _date(v, t, where, key)
        if d is not None:
            values[key] = d
    # validate item by item, so the error points at the right line
    for key, value in values.items():
        try:
            IssuerData(**{key: value})
        except InvalidData as exc:
            raise v.err((*where, key), f"{exc.message} {exc.detail}".strip()) from None
    try:
        IssuerData(**values)
    except InvalidData as exc:
        raise v.err(where, f"{exc.message} {exc.detail}".strip()) from None
    if "card_id_code" in values and not values["card_id_code"].upper().startswith(region + RID_HEX):
        raise v.err((*where, "card_id_code"), f"must start with the region and {RID_HEX}")
    prefix = v.get(t, where, "card_number_prefix", str, "")
    if len(prefix) > 4 or not re.fullmatch(r"[0-9A-Z]*", prefix):
        raise v.err((*where, "card_number_prefix"), "up to 4 digits or capital letters")
    auth = v.hexbytes(t, where, "auth_code", None)
    if auth is not None and len(auth) != 4:
        raise v.err((*where, "auth_code"), "must be 4 bytes (8 hex digits)")
    items = v.get(t, where, "factory_items", list, list(DEFAULT_FACTORY_ITEMS))
    for i, item in enumerate(items):
        if item not in ISSUER_ITEMS:
            raise v.err((*where, "factory_items"), f"item {i + 1}: unknown item {item!r}")
    for item in items:
        if item in ("card_type", "spec_version", "init_org", "issue_date", "expiry") and (
            item not in values
        ):
            raise v.err((*where, "factory_items"), f"'{item}' is listed but has no value")
    return values, prefix, auth, tuple(items)


_HOLDER_KEYS = ("ssn", "name", "sex", "ethnicity", "birthplace", "birth_date")


def _holder(v: _V, doc: Mapping[str, Any]) -> HolderData | None:
    if "holder" not in doc:
        return None
    where: tuple[str | int, ...] = ("holder",)
    t = v.table(where, doc["holder"], {*_HOLDER_KEYS, "other_ssn"})
    values: dict[str, Any] = {}
    for key in _HOLDER_KEYS[:-1]:
        values[key] = v.get(t, where, key, str)
    born = _date(v, t, where, "birth_date")
    if born is None:
        raise v.err(where, "missing required field 'birth_date'")
    values["birth_date"] = born
    values["other_ssn"] = v.get(t, where, "other_ssn", bool, False)
    try:
        return HolderData(**values)
    except InvalidData as exc:
        # find which field: re-check the ones with their own validators
        culprit = _holder_culprit(values)
        raise v.err(
            (*where, culprit) if culprit else where, f"{exc.message} {exc.detail}".strip()
        ) from None


def _holder_culprit(values: Mapping[str, Any]) -> str | None:
    from station.card import records as R
    from station.card.validators import validate_citizen_id

    checks: list[tuple[str, Any]] = [
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


def _face(v: _V, face: Any) -> FaceLayout:
    where: tuple[str | int, ...] = ("face",)
    t = v.table(where, face, {"width", "height", "photo", "chip", "text"})
    width = float(v.get(t, where, "width", (int, float), ID1_WIDTH))
    height = float(v.get(t, where, "height", (int, float), ID1_HEIGHT))
    if not (50 <= width <= 100 and 30 <= height <= 70):
        raise v.err(where, "card size must be about ID-1 (85.60 x 53.98 mm)")

    def box(key: str) -> Box:
        bw = (*where, key)
        b = v.table(bw, v.get(t, where, key, dict), {"x", "y", "w", "h"})
        nums = [float(v.get(b, bw, k, (int, float))) for k in ("x", "y", "w", "h")]
        bx = Box(*nums)
        if bx.w <= 0 or bx.h <= 0 or bx.x < 0 or bx.y < 0:
            raise v.err(bw, "x, y must be >= 0 and w, h > 0 (mm)")
        if bx.x + bx.w > width or bx.y + bx.h > height:
            raise v.err(bw, "lies outside the card")
        return bx

    photo = box("photo")
    chip = box("chip")
    if photo.overlaps(chip):
        raise v.err((*where, "photo"), "the photo box overlaps the chip window")
    lines: list[TextLine] = []
    seen: set[str] = set()
    for i, item in enumerate(v.get(t, where, "text", list)):
        lw = (*where, "text", i)
        lt = v.table(lw, item, {"field", "x", "y", "size", "label"})
        fname = v.get(lt, lw, "field", str)
        if fname not in FACE_FIELDS:
            raise v.err(
                (*lw, "field"), f"unknown field {fname!r} (known: {', '.join(FACE_FIELDS)})"
            )
        if fname in seen:
            raise v.err((*lw, "field"), f"field {fname!r} is placed twice")
        seen.add(fname)
        x = float(v.get(lt, lw, "x", (int, float)))
        y = float(v.get(lt, lw, "y", (int, float)))
        size = float(v.get(lt, lw, "size", (int, float)))
        if not (0 <= x < width and 0 < y <= height):
            raise v.err(lw, "the text position lies outside the card")
        if not 4 <= size <= 24:
            raise v.err((*lw, "size"), "font size must be 4..24 pt")
        if chip.overlaps(Box(x, y - size * 0.3528, 0.1, size * 0.3528)):
            raise v.err(lw, "the text starts inside the chip window")
        lines.append(TextLine(fname, x, y, size, v.get(lt, lw, "label", str, "")))
    if not lines:
        raise v.err((*where, "text"), "needs at least one text line")
    return FaceLayout(width, height, photo, chip, tuple(lines))


def _blanks(v: _V, doc: Mapping[str, Any]) -> BlankDefaults:
    where: tuple[str | int, ...] = ("blanks",)
    t = v.table(
        where,
        doc.get("blanks", {}),
        {"bank", "manufacturer", "bank_bin", "account_length", "validity_years"},
    )
    bank = v.get(t, where, "bank", str, "")
    manufacturer = v.get(t, where, "manufacturer", str, "")
    bin_ = v.get(t, where, "bank_bin", str, "622200")
    if not re.fullmatch(r"\d{6,8}", bin_):
        raise v.err((*where, "bank_bin"), "must be 6 to 8 digits")
    length = v.get(t, where, "account_length", int, 19)
    if not 16 <= length <= 19 or length < len(bin_) + 6:
        raise v.err((*where, "account_length"), "must be 16..19 and leave room for a serial")
    years = v.get(t, where, "validity_years", int, 10)
    if not 1 <= years <= 30:
        raise v.err((*where, "validity_years"), "must be 1..30")
    return BlankDefaults(bank, manufacturer, bin_, length, years)


def _load_keys(prof: Profile, v: _V | None = None) -> KeySet:
    v = v or _V(prof.raw, prof.text, prof.path)
    try:
        keyset = load_keyset(prof.key_file)
    except KeyFileError as exc:
        raise v.err(("key_file",), f"{exc.message}: {exc.detail}") from None
    if keyset.alg is not prof.alg:
        raise v.err(
            ("key_file",), f"the key file is {keyset.alg.value}, the profile {prof.alg.value}"
        )
    return keyset


def _psam_byte(v: _V, where: tuple[str | int, ...], value: Any, what: str) -> int:
    """A PSAM key number or usage byte: a TOML integer (``0x12``) or two hex digits."""
    if isinstance(value, str) and re.fullmatch(r"(0[xX])?[0-9A-Fa-f]{1,2}", value.strip()):
        return int(value.strip(), 16)
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 0xFF:
        return value
    raise v.err(where, f"{what} must be a byte: 0x00..0xFF or two hex digits in quotes")


def _key_map(v: _V, doc: Mapping[str, Any], keyset: KeySet) -> dict[int, P.PsamSlot]:
    """``[key_map]``: ``NAME = { psam_key = 0x12, usage = 0x48 }`` per card key whose PSAM
    key differs from the published map (``station.crypto.psam.DEFAULT_KEY_MAP``).  The
    result covers every key of the key file; a depth that disagrees with the key file, an
    unusable usage byte or a PSAM key named twice is refused at its line."""
    raw = doc.get("key_map", {})
    table = v.table(("key_map",), raw, set(raw) if isinstance(raw, dict) else set())
    over: dict[int, P.PsamSlot] = {}
    names: dict[int, str] = {}
    for kname, entry in table.items():
        where: tuple[str | int, ...] = ("key_map", kname)
        kid = _key_id(kname)
        if kid is None:
            raise v.err(where, f"unknown key '{kname}' (a standard name or a hex key number)")
        if kid not in keyset.keys:
            raise v.err(where, "no such key in the key file")
        if kid in over:
            raise v.err(where, f"key {kid:02X} is named twice")
        v.table(where, entry, {"psam_key", "usage"})
        if "psam_key" not in entry:
            raise v.err(where, "missing required field 'psam_key'")
        psam_key = _psam_byte(v, (*where, "psam_key"), entry["psam_key"], "psam_key")
        default = P.key_map_for(keyset)[kid]
        usage = (
            _psam_byte(v, (*where, "usage"), entry["usage"], "usage")
            if "usage" in entry
            else default.usage
        )
        slot = P.PsamSlot(usage=usage, psam_key_id=psam_key)
        problem = P.slot_problem(slot)
        if problem:
            field_name = "psam_key" if "key number" in problem else "usage"
            raise v.err((*where, field_name), problem)
        over[kid] = slot
        names[kid] = kname
    slots = P.key_map_for(keyset, over)
    for kid, file_levels, slot_levels in P.level_mismatches(keyset, slots):
        label = KEY_NAMES.get(kid, f"{kid:02X}")
        where = ("key_map", names[kid], "usage") if kid in names else ("key_file",)
        raise v.err(
            where,
            f"{label}: {slots[kid]} diversifies {slot_levels} levels but the key file "
            f"gives {file_levels}; PSAM and cards would never agree",
        )
    for psam_id, first, second in P.duplicate_psam_keys(slots):
        culprit = second if second in names else first
        where = ("key_map", names[culprit], "psam_key") if culprit in names else ("key_map",)
        raise v.err(
            where, f"PSAM key {psam_id:02X} is mapped to card keys {first:02X} and {second:02X}"
        )
    return slots


def _deep_merge(base: dict[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    """Merge ``over`` into ``base``; a ``None`` value removes the key (TOML has no null)."""
    out = dict(base)
    for k, val in over.items():
        if val is None:
            out.pop(k, None)
        elif isinstance(val, Mapping) and isinstance(out.get(k), dict):
            out[k] = _deep_merge(out[k], val)
        else:
            out[k] = val
    return out


# -- making cards ----------------------------------------------------------------------------


def with_serial(atr: bytes, serial: int) -> bytes:
    """The ATR with historical bytes TA..TD (the last four of T6..TD) set to ``serial``."""
    start, k = historical_span(atr)
    if k < 13 or len(atr) < start + 13:
        raise ProfileError(detail="ATR has fewer than 13 historical bytes")
    out = bytearray(atr)
    out[start + 9 : start + 13] = serial.to_bytes(4, "big")
    return bytes(out)


def serial_of(atr: bytes) -> int:
    hist = historical_bytes(atr)
    return int.from_bytes(hist[9:13], "big")


def card_number_for(prefix: str, serial: int) -> str:
    """8-character body ``prefix + serial digits`` and its check character."""
    digits = 8 - len(prefix)
    body = prefix + f"{serial % 10**digits:0{digits}d}"
    return body + card_number_check(body)


def card_id_code_for(region: str, serial: int, auth: bytes) -> str:
    return f"{region}{RID_HEX}{serial:08X}{auth.hex().upper()}"


def _auth_code(region: str, serial: int, card_number: str) -> bytes:
    """A stable 4-byte authentication code for virtual cards (real ones come from the
    issuer); a hash so two virtual cards never share one by accident."""
    return hashlib.sha256(f"{region}|{serial:08X}|{card_number}".encode()).digest()[:4]


def issuer_data_for(profile: Profile, serial: int) -> dict[str, Any]:
    """The EF05 values of the card with ``serial`` (fixed values win unless the serial was
    asked for explicitly; see ``make_card``)."""
    values = dict(profile.issuer)
    number = card_number_for(profile.card_number_prefix, serial)
    auth = profile.auth_code or _auth_code(profile.region, serial, number)
    values["card_number"] = number
    values["card_id_code"] = card_id_code_for(profile.region, serial, auth)
    return values


def initial_state(profile: Profile, *, serial: int | None = None) -> CardState:
    """The state a fresh card of this profile leaves the factory (or the issuer) with."""
    if profile.kind != "card":
        raise ProfileError(
            f"{profile.name} 不是社保卡配置 (profile is not a card profile)",
            detail=f"kind = {profile.kind}",
        )
    atr = profile.atr if serial is None else with_serial(profile.atr, serial)
    card_serial = serial_of(atr)
    values = issuer_data_for(profile, card_serial)
    if serial is None:
        for key in ("card_number", "card_id_code"):
            if key in profile.issuer:
                values[key] = profile.issuer[key]
    items = ISSUER_ITEMS if profile.issued else profile.factory_items
    issuer = IssuerData(**{k: values[k] for k in items if k in values})
    state = CardState(
        atr=atr,
        profile=profile.ref,
        pin_max=profile.pin.tries,
        pin_tries=profile.pin.tries,
        key_max=profile.key_tries,
    )
    ef05 = [f.blank() for f in EF05_FIELDS]
    for tag, rec in issuer.to_records().items():
        ef05[[f.tag for f in EF05_FIELDS].index(tag)] = rec
    state.records[EF05_PATH] = ef05
    ef06 = [f.blank() for f in EF06_FIELDS]
    if profile.holder is not None:
        for tag, rec in profile.holder.to_records().items():
            ef06[[f.tag for f in EF06_FIELDS].index(tag)] = rec
    state.records[EF06_PATH] = ef06
    if profile.pin.initial == "fixed" and profile.pin.value is not None:
        state.pin = pin_bcd(profile.pin.value)
    elif profile.holder is not None:
        state.pin = pin_from_ssn(profile.holder.ssn.encode("ascii"))
    return state


def card_keys(profile: Profile, keyset: KeySet, atr: bytes) -> dict[int, CardKey]:
    """The card's diversified keys for this ATR (the key set is not kept)."""
    hist = historical_bytes(atr)
    return {
        kid: CardKey(
            kid,
            profile.key_versions.get(kid, spec.version),
            derive_card_key(keyset, kid, profile.region, hist),
        )
        for kid, spec in keyset.keys.items()
    }


def make_card(
    profile: Profile | str | Path,
    *,
    state_path: Path | str | None = None,
    serial: int | None = None,
    overrides: Mapping[str, Any] | None = None,
    keyset: KeySet | None = None,
) -> VirtualSSCard:
    """A virtual card of ``profile``.

    With ``state_path``: an existing file is loaded (the card as it was left; ``serial``
    is then ignored), a missing one is created.  ``serial`` makes a distinct card: ATR
    bytes TA..TD, card identification code and card number all follow it.  ``overrides``
    is deep-merged into the profile's TOML and validated like the file.
    """
    prof = profile if isinstance(profile, Profile) else load_profile(profile)
    if overrides:
        prof = prof.with_overrides(overrides)
    if prof.kind != "card":
        raise ProfileError(
            f"{prof.name} 不是社保卡配置 (profile is not a card profile)",
            detail=f"kind = {prof.kind}",
        )
    path = Path(state_path) if state_path is not None else None
    if path is not None and path.exists():
        new = False
        state = CardState.load(path)
        saved = state.extra.get("overrides")
        if saved and not overrides:
            try:
                stored = loads_json(saved, path, ProfileError, "虚拟卡状态文件", "state file")
                prof = prof.with_overrides(stored)
            except ValueError:
                raise ProfileError(detail=f"{path}: stored overrides are not JSON") from None
    else:
        new = True
        state = initial_state(prof, serial=serial)
        if overrides:
            # kept so the card comes back the same after a restart
            state.extra["overrides"] = json.dumps(overrides, default=str, ensure_ascii=False)
    keys = card_keys(prof, keyset or prof.keyset(), state.atr)
    card = VirtualSSCard(
        fs=build_fs(prof.alg, prof.files.values(), prof.subapps),
        alg=prof.alg,
        keys=keys,
        state=state,
        options=CardOptions(
            t0_get_response=prof.t0_get_response,
            pin_from_ssn=prof.pin.initial == "last6-ssn",
        ),
        state_path=path,
        label=prof.name,
    )
    if new and path is not None:
        card.save()
    return card


def make_psam(profile: Profile | str | Path) -> VirtualPsam:
    """The virtual PSAM of a ``kind = "psam"`` profile, holding its key file's masters."""
    from station.emulator.psam import VirtualPsam

    prof = profile if isinstance(profile, Profile) else load_profile(profile)
    if prof.kind != "psam":
        raise ProfileError(
            f"{prof.name} 不是PSAM配置 (profile is not a PSAM profile)",
            detail=f"kind = {prof.kind}",
        )
    return VirtualPsam(
        prof.keyset(), prof.terminal_number, prof.atr or None, key_map=prof.key_map or None
    )
