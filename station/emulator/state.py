"""What a virtual card remembers across power cycles, and how it survives restarts.

This is the card's EEPROM: record and binary contents, the PIN, the try counters and the
blocked flags.  Volatile things (granted rights, the current challenge, the selected
file) are not here; they live on the card object and vanish on reset, as on a chip.

The JSON state file lets a technician's card outlive the process.  The PIN is kept the
way the chip keeps it, as BCD: this is a test card, so plain storage is acceptable, but
nothing in this module ever logs or formats it.  Writes are atomic (``station.fsutil``:
temp file in the same directory + ``os.replace``, mode 0600) so a crash mid-write leaves
the old card, never half a card.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from station.errors import ErrorCode, StationError
from station.fsutil import write_file
from station.textfile import MAX_STATE_BYTES, loads_json, read_utf8

STATE_FORMAT = 1


class CardStateError(StationError):
    """A state file that cannot be read back into a card."""

    default_message = "虚拟卡状态文件错误 (invalid virtual card state file)"
    code = ErrorCode.VIRTUAL_CARD_STATE


@dataclass(eq=True)
class CardState:
    """Non-volatile contents of one virtual card (see the module docstring)."""

    atr: bytes
    profile: str  # profile name, or an absolute path for profiles outside the profiles dir
    records: dict[str, list[bytes]] = field(default_factory=dict)
    binary: dict[str, bytearray] = field(default_factory=dict)
    pin: bytes | None = field(default=None, repr=False)  # BCD as the card stores it
    pin_tries: int = 0
    pin_max: int = 6
    key_tries: dict[int, int] = field(default_factory=dict)
    key_max: int = 15
    app_blocked: str | None = None  # None, "temporary" or "permanent"
    # facts about the physical card that are not on the chip's SSSE (pre-made stock)
    extra: dict[str, str] = field(default_factory=dict)

    def copy(self) -> CardState:
        return CardState(
            atr=self.atr,
            profile=self.profile,
            records={k: list(v) for k, v in self.records.items()},
            binary={k: bytearray(v) for k, v in self.binary.items()},
            pin=self.pin,
            pin_tries=self.pin_tries,
            pin_max=self.pin_max,
            key_tries=dict(self.key_tries),
            key_max=self.key_max,
            app_blocked=self.app_blocked,
            extra=dict(self.extra),
        )

    # -- JSON --------------------------------------------------------------------------
    def to_json(self) -> dict[str, Any]:
        return {
            "format": STATE_FORMAT,
            "profile": self.profile,
            "atr": self.atr.hex().upper(),
            "records": {k: [r.hex().upper() for r in v] for k, v in self.records.items()},
            "binary": {k: bytes(v).hex().upper() for k, v in self.binary.items()},
            "pin": None if self.pin is None else self.pin.hex().upper(),
            "pin_tries": self.pin_tries,
            "pin_max": self.pin_max,
            "key_tries": {f"{k:02X}": v for k, v in sorted(self.key_tries.items())},
            "key_max": self.key_max,
            "app_blocked": self.app_blocked,
            "extra": dict(self.extra),
        }

    @classmethod
    def from_json(cls, doc: Any, source: str = "<state>") -> CardState:
        """Rebuild a state; every defect raises ``CardStateError`` naming the field
        (never its value: the PIN lives here)."""

        def bad(what: str) -> CardStateError:
            return CardStateError(detail=f"{source}: {what}")

        if not isinstance(doc, dict):
            raise bad("not a JSON object")
        if doc.get("format") != STATE_FORMAT:
            raise bad(f"unsupported format {doc.get('format')!r}")

        def hexval(v: Any, what: str) -> bytes:
            if not isinstance(v, str):
                raise bad(f"{what} must be a hex string")
            try:
                return bytes.fromhex(v)
            except ValueError:
                raise bad(f"{what} is not hex") from None

        def intval(v: Any, what: str, lo: int, hi: int) -> int:
            if isinstance(v, bool) or not isinstance(v, int) or not lo <= v <= hi:
                raise bad(f"{what} must be an integer {lo}..{hi}")
            return v

        profile = doc.get("profile")
        if not isinstance(profile, str) or not profile:
            raise bad("profile must be a name or path")
        records_doc = doc.get("records", {})
        binary_doc = doc.get("binary", {})
        keys_doc = doc.get("key_tries", {})
        extra_doc = doc.get("extra", {})
        if not all(isinstance(x, dict) for x in (records_doc, binary_doc, keys_doc, extra_doc)):
            raise bad("records, binary, key_tries and extra must be objects")
        records: dict[str, list[bytes]] = {}
        for path, recs in records_doc.items():
            if not isinstance(recs, list):
                raise bad(f"records[{path}] must be a list")
            records[path] = [hexval(r, f"records[{path}]") for r in recs]
        binary = {p: bytearray(hexval(v, f"binary[{p}]")) for p, v in binary_doc.items()}
        key_tries: dict[int, int] = {}
        for k, v in keys_doc.items():
            kid = int.from_bytes(hexval(k, "key_tries key"), "big")
            key_tries[kid] = intval(v, f"key_tries[{k}]", 0, 15)
        pin_raw = doc.get("pin")
        pin = None if pin_raw is None else hexval(pin_raw, "pin")
        blocked = doc.get("app_blocked")
        if blocked not in (None, "temporary", "permanent"):
            raise bad("app_blocked must be null, temporary or permanent")
        pin_max = intval(doc.get("pin_max", 6), "pin_max", 1, 15)
        return cls(
            atr=hexval(doc.get("atr"), "atr"),
            profile=profile,
            records=records,
            binary=binary,
            pin=pin,
            pin_tries=intval(doc.get("pin_tries", pin_max), "pin_tries", 0, pin_max),
            pin_max=pin_max,
            key_tries=key_tries,
            key_max=intval(doc.get("key_max", 15), "key_max", 1, 15),
            app_blocked=blocked,
            extra={str(k): str(v) for k, v in extra_doc.items()},
        )

    # -- files -------------------------------------------------------------------------
    def save(self, path: Path) -> None:
        """Atomically replace ``path`` with this state (mode 0600, never through a symlink:
        the file holds the card's PIN)."""
        text = json.dumps(self.to_json(), indent=1, sort_keys=True, ensure_ascii=False)
        write_file(path, text, error=CardStateError)

    @classmethod
    def load(cls, path: Path) -> CardState:
        path = Path(path)
        what = ("虚拟卡状态文件", "state file")
        text = read_utf8(path, CardStateError, *what, max_bytes=MAX_STATE_BYTES)
        try:
            doc = loads_json(text, path, CardStateError, *what)
        except json.JSONDecodeError as exc:
            raise CardStateError(
                f"虚拟卡状态文件损坏 {path.name} (state file is not valid JSON)",
                detail=f"{path}: line {exc.lineno} column {exc.colno}: {exc.msg}",
            ) from None
        return cls.from_json(doc, str(path))
