"""Master-key sets: the keys a PSAM (or a test key store) holds, and how a card's keys
derive from them.

A key set is read from a small TOML file (``profiles/keys/*.toml``).  Only TEST key files
live in the repository: their master keys protect nothing and must never be loaded into a
real PSAM.  Real master keys stay inside a PSAM or an encryption machine; the station
reaches them only through a ``KeyProvider`` (``station.crypto.provider``).

File format::

    format = 1
    alg = "sm4"                 # or "3des"
    label = "test keys"         # free text, shown to technicians
    test_only = true            # must be present and true for files kept in the repository

    [keys.IRK]
    id = 0x00                   # key number on the card
    levels = 3                  # diversification levels (IRK/RK 3, UK 2, STK/PUK 1)
    version = 1                 # key version byte (EXTERNAL AUTH Lc 11 form)
    master = "…32 hex digits…"

Key numbers follow the card specification; default depths follow the PSAM key map real
PSAMs carry (``station.crypto.psam.DEFAULT_KEY_MAP``: IRK and RK 3, UK 2, STK and PUK 1 —
see ``STANDARD_KEYS``): ``id`` and ``levels`` may be left out for the five standard names.  A
file may name other keys too (the profile decides), but a standard name must carry its
standard number.
"""

from __future__ import annotations

import logging
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from station.crypto.algorithms import (
    Alg,
    CryptoError,
    card_factor,
    city_factor,
    diversify_path,
    province_factor,
)
from station.errors import ErrorCode, StationError
from station.textfile import decode_utf8, loads_toml, read_file

log = logging.getLogger(__name__)

IRK, STK, UK, PUK, RK = 0x00, 0x02, 0x04, 0x06, 0x0A

# name -> (card key number, default diversification levels) — card-spec REF
STANDARD_KEYS: dict[str, tuple[int, int]] = {
    "IRK": (IRK, 3),  # internal authentication (is the card genuine?), national key
    "STK": (STK, 1),  # maintenance: secure-messaging MAC and PIN encryption, city key
    "UK": (UK, 2),  # write EF05/EF06 after EXTERNAL AUTH; 2 levels (city, card) as real PSAMs
    "PUK": (PUK, 1),  # PIN unblock/reset after EXTERNAL AUTH, city key
    "RK": (RK, 3),  # read protected data after EXTERNAL AUTH, national key
}

KEY_NAMES: dict[int, str] = {num: name for name, (num, _) in STANDARD_KEYS.items()}

FORMAT_VERSION = 1


class KeyFileError(StationError):
    """A key file that cannot be used.  ``detail`` names the file and line; it never
    contains key material (a bad master key is described, not quoted)."""

    default_message = "密钥文件错误 (invalid key file)"
    code = ErrorCode.KEY_FILE


class KeyDerivationError(StationError):
    """The card's region or ATR historical bytes cannot diversify a key."""

    default_message = "卡片信息不足以分散密钥 (card data cannot diversify the keys)"
    code = ErrorCode.KEY_DERIVATION


class KeyNotFound(StationError):
    """The key set has no key with the requested number."""

    default_message = "密钥不存在 (key not in the key set)"
    code = ErrorCode.KEY_NOT_FOUND


@dataclass(frozen=True)
class KeySpec:
    """One master key: its card key number, diversification depth and version.

    ``master`` is excluded from ``repr`` so a key can never reach a log by accident.
    """

    key_id: int
    name: str
    levels: int
    version: int
    master: bytes = field(repr=False)

    def __post_init__(self) -> None:
        if not 0 <= self.key_id <= 0xFF:
            raise KeyFileError(detail=f"key {self.name}: id {self.key_id} is not a byte")
        if not 0 <= self.levels <= 3:
            raise KeyFileError(detail=f"key {self.name}: levels must be 0..3, not {self.levels}")
        if not 0 <= self.version <= 0xFF:
            raise KeyFileError(detail=f"key {self.name}: version {self.version} is not a byte")
        if len(self.master) != 16:
            raise KeyFileError(detail=f"key {self.name}: master key must be 16 bytes")


@dataclass(frozen=True)
class KeySet:
    """All master keys of one algorithm, by card key number.

    ``label`` and ``test_only`` come from the file; ``test_only`` keys must never be put on
    a real card or PSAM (the station may refuse them in production mode).
    """

    alg: Alg
    keys: dict[int, KeySpec]
    label: str = ""
    test_only: bool = False

    def spec(self, key_id: int) -> KeySpec:
        """The master key for a card key number, or a typed error naming the number."""
        try:
            return self.keys[key_id]
        except KeyError:
            name = KEY_NAMES.get(key_id, "")
            raise KeyNotFound(
                f"密钥{key_id:02X}{name and '(' + name + ')'}不在密钥集中 "
                f"(key {key_id:02X} is not in the key set)",
                detail=f"key set {self.label!r} has {sorted(self.keys)}",
            ) from None

    def __repr__(self) -> str:  # ids and names only, never the masters
        ids = ", ".join(f"{k:02X}:{v.name}" for k, v in sorted(self.keys.items()))
        return f"KeySet(alg={self.alg.value}, label={self.label!r}, keys=[{ids}])"


# -- loading --------------------------------------------------------------------------------

_HEX = re.compile(r"^[0-9A-Fa-f]+$")


def _line_of(text: str, table: str | None, key: str | None) -> int | None:
    """1-based line of ``key = …`` inside ``[table]`` (or of the table header), by scanning
    the text: tomllib reports lines only for syntax errors, not for schema errors."""
    lines = text.splitlines()
    in_table = table is None
    header = re.compile(r"^\s*\[\s*([^\]]+?)\s*\]\s*(#.*)?$")
    header_line: int | None = None
    for no, line in enumerate(lines, start=1):
        m = header.match(line)
        if m:
            name = m.group(1).replace('"', "").replace("'", "").replace(" ", "")
            in_table = table is not None and name == table
            if in_table:
                header_line = no
                if key is None:
                    return no
            continue
        if in_table and key is not None:
            if re.match(rf"^\s*{re.escape(key)}\s*=", line):
                return no
    return header_line


def _err(
    path: Path, text: str, what: str, table: str | None = None, key: str | None = None
) -> KeyFileError:
    line = _line_of(text, table, key)
    where = f"{path.name}:{line}" if line else path.name
    return KeyFileError(
        f"密钥文件格式错误：{path.name} 第{line or '?'}行 (invalid key file {where})",
        detail=f"{where}: {what}",
    )


def _int_field(
    path: Path, text: str, table: str, data: Mapping[str, Any], key: str, default: int | None
) -> int:
    value = data.get(key, default)
    if value is None:
        raise _err(path, text, f"[{table}] is missing '{key}'", table)
    if isinstance(value, bool) or not isinstance(value, int):
        raise _err(path, text, f"[{table}] '{key}' must be an integer", table, key)
    return value


def parse_keyset(text: str, path: Path | str = "<keys>") -> KeySet:
    """Parse key-file text (see the module docstring); errors name the file and line."""
    path = Path(path)
    try:
        doc = loads_toml(text, path, KeyFileError, "密钥文件", "key file")
    except tomllib.TOMLDecodeError as exc:
        # tomllib's message carries "(at line N, column M)" and never the values
        raise KeyFileError(
            f"密钥文件格式错误：{path.name} (key file is not valid TOML)",
            detail=f"{path.name}: {exc}",
        ) from None

    fmt = doc.get("format", FORMAT_VERSION)
    if fmt != FORMAT_VERSION:
        raise _err(
            path, text, f"unsupported format {fmt!r} (expected {FORMAT_VERSION})", None, "format"
        )
    alg_text = doc.get("alg")
    if not isinstance(alg_text, str):
        raise _err(path, text, '\'alg\' must be "sm4" or "3des"', None, "alg")
    try:
        alg = Alg.parse(alg_text)
    except CryptoError as exc:
        raise _err(path, text, str(exc), None, "alg") from None
    label = doc.get("label", path.stem)
    if not isinstance(label, str):
        raise _err(path, text, "'label' must be text", None, "label")
    test_only = doc.get("test_only", False)
    if not isinstance(test_only, bool):
        raise _err(path, text, "'test_only' must be true or false", None, "test_only")

    tables = doc.get("keys")
    if not isinstance(tables, dict) or not tables:
        raise _err(path, text, "no [keys.NAME] tables", None, None)

    keys: dict[int, KeySpec] = {}
    for name, data in tables.items():
        spec = _key_spec(path, text, alg, name, data)
        if spec.key_id in keys:
            raise _err(
                path,
                text,
                f"[keys.{name}] key number {spec.key_id:02X} is used twice",
                f"keys.{name}",
                "id",
            )
        keys[spec.key_id] = spec
    return KeySet(alg=alg, keys=keys, label=label, test_only=test_only)


def _key_spec(path: Path, text: str, alg: Alg, name: str, data: object) -> KeySpec:
    """One ``[keys.NAME]`` table; errors name the file and line, never the key material."""
    table = f"keys.{name}"
    if not isinstance(data, dict):
        raise _err(path, text, f"'{table}' must be a table", None, "keys")
    unknown = set(data) - {"id", "levels", "version", "master"}
    if unknown:
        first = sorted(unknown)[0]
        raise _err(path, text, f"[{table}] has unknown field '{first}'", table, first)
    std = STANDARD_KEYS.get(name.upper())
    key_id = _int_field(path, text, table, data, "id", std[0] if std else None)
    if std and key_id != std[0]:
        raise _err(
            path,
            text,
            f"[{table}] a {name} key is number {std[0]:02X}, not {key_id:02X}",
            table,
            "id",
        )
    levels = _int_field(path, text, table, data, "levels", std[1] if std else None)
    version = _int_field(path, text, table, data, "version", 1)
    master_text = data.get("master")
    if not isinstance(master_text, str):
        raise _err(path, text, f"[{table}] 'master' must be a hex string", table, "master")
    cleaned = master_text.replace(" ", "")
    if not _HEX.match(cleaned) or len(cleaned) != 32:
        # describe, never quote: this is key material
        raise _err(
            path, text, f"[{table}] 'master' must be 32 hex digits (16 bytes)", table, "master"
        )
    master = bytes.fromhex(cleaned)
    if alg is Alg.DES3 and master[:8] == master[8:]:
        raise _err(
            path,
            text,
            f"[{table}] a two-key 3DES master must have two different halves",
            table,
            "master",
        )
    try:
        return KeySpec(key_id, name, levels, version, master)
    except KeyFileError as exc:
        raise _err(path, text, exc.detail, table, None) from None


MAX_KEY_FILE_BYTES = 64 << 10  # a key file is under 1 KB


def load_keyset(path: str | Path) -> KeySet:
    """Read a key file.  Raises ``KeyFileError`` (with file and line) for anything wrong.

    The permission rule (issue 14, finding 6): a key set NOT marked ``test_only`` holds
    masters that protect real cards, so its file must be readable by its owner only
    (``chmod 600``) — a file readable by the group or others is refused — and loading it
    from a file at all is logged as a warning (real masters belong in a PSAM).  A set
    marked ``test_only`` protects nothing; git keeps only 0644/0755, so the repository's
    test key files are accepted at any mode (and logged at info level as test keys).
    The mode checked is that of the file actually read (``fstat`` of the open file).
    """
    path = Path(path)
    file = read_file(path, KeyFileError, "密钥文件", "key file", max_bytes=MAX_KEY_FILE_BYTES)
    text = decode_utf8(file.data, path, KeyFileError, "密钥文件", "key file")
    keyset = parse_keyset(text, path)
    if keyset.test_only:
        log.info("测试密钥 %s (test-only key set: protects nothing)", path.name)
        return keyset
    if file.mode & 0o077:
        raise KeyFileError(
            f"密钥文件可被其他用户读取，拒绝使用：{path.name}，请执行 chmod 600 "
            f"(key file is readable by group/others: run chmod 600 {path})",
            detail=f"{path}: mode {file.mode:04o}, must be 0600 or stricter",
        )
    log.warning(
        "正在从文件加载正式主密钥 %s，正式密钥应保存在PSAM或加密机中 "
        "(loading a key set not marked test_only from a file: real master keys belong "
        "in a PSAM or an encryption machine)",
        path,
    )
    return keyset


# -- diversification ------------------------------------------------------------------------


def level_factors(levels: int, region: str, historical: bytes) -> list[bytes]:
    """The last ``levels`` of (province, city, card) factors, in application order."""
    if not 0 <= levels <= 3:
        raise KeyDerivationError(detail=f"levels must be 0..3, not {levels}")
    try:
        all_levels = [province_factor(region), city_factor(region), card_factor(historical)]
    except CryptoError as exc:
        raise KeyDerivationError(detail=str(exc)) from None
    return all_levels[3 - levels :]


def card_factors(spec: KeySpec, region: str, historical: bytes) -> list[bytes]:
    """The diversification factors of ``spec`` for one card, in application order
    (province, city, card for 3 levels; city, card for 2; card for 1)."""
    return level_factors(spec.levels, region, historical)


def _card_key(keyset: KeySet, key_id: int, region: str, historical: bytes) -> bytes:
    spec = keyset.spec(key_id)
    return diversify_path(keyset.alg, spec.master, card_factors(spec, region, historical))


def derive_card_key(keyset: KeySet, key_id: int, region: str, historical: bytes) -> bytes:
    """The diversified key a card stores for ``key_id``.

    ONLY for personalising virtual cards (the emulator must store its own keys).  Station
    code talking to a card never needs a card key: it asks a ``KeyProvider`` for the
    *result* of an operation instead.
    """
    return _card_key(keyset, key_id, region, historical)
