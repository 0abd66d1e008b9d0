"""The virtual social security card: the SSSE application on an ISO 7816 file system.

It implements the card-spec reference model (REF flows) exactly, because every other part
of the station — the reader code, the key providers, the issuance job, the tests — is
checked against it before a real card is touched.  The card:

* answers SELECT by name with the SSSE FCI (algorithm tag ``86``), SELECT by FID/path;
* reads and writes records (modes 4, 0, 5; by SFI or the current EF) and binaries,
  insisting on the exact Le (``6Cxx``) like the chips the station meets;
* runs GET CHALLENGE, INTERNAL AUTH (IRK) and EXTERNAL AUTH with a right per key and a
  try counter per key; the rights vanish on SELECT of a DF, power-off and reset;
* runs VERIFY, CHANGE PIN, PIN UNBLOCK / RESET (MAC and PIN block under a session key
  from STK and the current challenge) and APPLICATION BLOCK / UNBLOCK;
* can behave as a T=0 card (``61xx`` + GET RESPONSE) when the profile asks for it.

It holds only its own diversified keys, never a master key.  ``execute`` never raises:
any byte string gets a well-formed response, because a reader driver behind vpcd has no
way to handle a Python exception.
"""

from __future__ import annotations

import hmac
import logging
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from station.crypto.algorithms import (
    Alg,
    CryptoError,
    auth_data,
    ecb_decrypt,
    mac,
    mac_equal,
    session_key,
    unpack_pin_block,
)
from station.crypto.keys import IRK, PUK, STK
from station.emulator.fs import DF, EF, FileSystem, RecordEF, TransparentEF
from station.emulator.state import CardState, CardStateError

log = logging.getLogger(__name__)

# status words the card answers (card-spec §3 plus ISO basics)
OK = 0x9000
SW_WRONG_LENGTH = 0x6700
SW_SM_NOT_SUPPORTED = 0x6882
SW_INCOMPATIBLE = 0x6981
SW_SECURITY = 0x6982
SW_BLOCKED = 0x6983
SW_REF_INVALID = 0x6984
SW_CONDITIONS = 0x6985
SW_NO_CURRENT_EF = 0x6986
SW_BAD_DATA = 0x6A80
SW_FILE_NOT_FOUND = 0x6A82
SW_RECORD_NOT_FOUND = 0x6A83
SW_BAD_P1P2 = 0x6A86
SW_REF_NOT_FOUND = 0x6A88
SW_OFFSET = 0x6B00
SW_INS = 0x6D00
SW_CLA = 0x6E00
SW_INTERNAL = 0x6F00
SW_MEMORY = 0x6581
SW_EOF = 0x6282
SW_MAC = 0x9302
SW_APP_BLOCKED = 0x9303

_Result = tuple[int, bytes]


@dataclass(frozen=True)
class CardKey:
    """One diversified card key.  The value never appears in ``repr``."""

    key_id: int
    version: int
    value: bytes = field(repr=False)


@dataclass(frozen=True)
class CardOptions:
    """Behaviour switches a profile sets.

    ``pin_from_ssn``: the PIN rule "last 6 of the SSN" on a card still without a PIN —
    the PIN is set when the SSN record (EF06 tag 08) is first written.
    """

    t0_get_response: bool = False
    pin_from_ssn: bool = False


class _Apdu:
    """A parsed command.  ``ne`` is the expected length (256 for a short Le of 00);
    ``le_zero`` remembers that the Le byte(s) were zero, which is how hosts ask for
    "whatever the length is" and what ``6Cxx`` answers."""

    __slots__ = ("cla", "data", "ins", "le_zero", "ne", "p1", "p2", "raw")

    def __init__(self, raw: bytes, data: bytes, ne: int | None, le_zero: bool) -> None:
        self.raw = raw
        self.cla, self.ins, self.p1, self.p2 = raw[0], raw[1], raw[2], raw[3]
        self.data = data
        self.ne = ne
        self.le_zero = le_zero


def parse_apdu(raw: bytes) -> _Apdu | None:
    """ISO 7816-4 cases 1-4, short and extended; ``None`` if the lengths do not add up."""
    n = len(raw)
    if n < 4:
        return None
    if n == 4:
        return _Apdu(raw, b"", None, False)
    b0 = raw[4]
    if n == 5:
        return _Apdu(raw, b"", b0 or 256, b0 == 0)
    if b0 != 0:
        if n == 5 + b0:
            return _Apdu(raw, raw[5:], None, False)
        if n == 6 + b0:
            le = raw[-1]
            return _Apdu(raw, raw[5:-1], le or 256, le == 0)
        return None
    # extended
    if n == 7:
        le = int.from_bytes(raw[5:7], "big")
        return _Apdu(raw, b"", le or 65536, le == 0)
    lc = int.from_bytes(raw[5:7], "big")
    if lc == 0:
        return None
    if n == 7 + lc:
        return _Apdu(raw, raw[7:], None, False)
    if n == 9 + lc:
        le = int.from_bytes(raw[-2:], "big")
        return _Apdu(raw, raw[7:-2], le or 65536, le == 0)
    return None


def valid_pin_bcd(pin: bytes) -> bool:
    """4..12 BCD digits; only the last nibble may be the F filler of an odd length."""
    if not 2 <= len(pin) <= 6:
        return False
    digits = pin.hex().upper()
    if digits.endswith("F"):
        digits = digits[:-1]
    return len(digits) >= 4 and digits.isdigit()


def _sw(sw: int, data: bytes = b"") -> _Result:
    return sw, data


class VirtualSSCard:
    """A social security card (SSSE) implementing ``CardOS``.

    Built by ``station.emulator.profiles.make_card``; ``state`` holds everything
    non-volatile, ``state_path`` (if given) receives every change atomically before
    the card answers, like EEPROM written before the status word.
    """

    def __init__(
        self,
        *,
        fs: FileSystem,
        alg: Alg,
        keys: Mapping[int, CardKey],
        state: CardState,
        options: CardOptions | None = None,
        state_path: Path | None = None,
        label: str = "",
    ) -> None:
        self.fs = fs
        self.alg = alg
        self._keys = dict(keys)
        self.state = state
        self.options = options or CardOptions()
        self.state_path = Path(state_path) if state_path is not None else None
        self.label = label
        for kid in self._keys:
            self.state.key_tries.setdefault(kid, self.state.key_max)
        for path, ef in fs.efs.items():
            if isinstance(ef, RecordEF):
                recs = self.state.records.get(path)
                if recs is None or len(recs) != len(ef.records):
                    self.state.records[path] = _merge_records(ef, recs or [])
            elif isinstance(ef, TransparentEF):
                data = self.state.binary.get(path)
                if data is None or len(data) != ef.size:
                    fresh = ef.blank()
                    if data is not None:
                        fresh[: min(len(data), ef.size)] = data[: ef.size]
                    self.state.binary[path] = fresh
        self._owner: dict[int, DF] = {}
        for node in fs.mf.walk():
            if isinstance(node, DF):
                for c in node.children:
                    self._owner[id(c)] = node
        self._handlers: dict[int, tuple[frozenset[int], Callable[[_Apdu], _Result]]] = {
            0xA4: (frozenset({0x00}), self._select),
            0xB0: (frozenset({0x00}), self._read_binary),
            0xD6: (frozenset({0x00}), self._update_binary),
            0xB2: (frozenset({0x00}), self._read_record),
            0xDC: (frozenset({0x00}), self._update_record),
            0x84: (frozenset({0x00}), self._get_challenge),
            0x88: (frozenset({0x00}), self._internal_auth),
            0x82: (frozenset({0x00}), self._external_auth),
            0x20: (frozenset({0x00}), self._verify),
            0x5E: (frozenset({0x80}), self._change_pin),
            0x24: (frozenset({0x84}), self._pin_unblock_reset),
            0x1E: (frozenset({0x84}), self._application_block),
            0x18: (frozenset({0x84}), self._application_unblock),
            0xC0: (frozenset({0x00}), self._get_response),
        }
        self._clear_volatile()

    # -- CardOS ------------------------------------------------------------------------
    @property
    def atr(self) -> bytes:
        return self.state.atr

    @property
    def historical(self) -> bytes:
        """ATR historical bytes (T6..TD of them are the card's diversification factor)."""
        return historical_bytes(self.state.atr)

    def power_on(self) -> None:
        self._clear_volatile()

    def power_off(self) -> None:
        self._clear_volatile()

    def reset(self) -> None:
        self._clear_volatile()

    def execute(self, apdu: bytes) -> bytes:
        try:
            sw, data = self._execute(bytes(apdu))
        except CardStateError:
            log.error("virtual card %s: state file could not be written", self.label)
            sw, data = SW_MEMORY, b""
        except Exception as exc:  # the reader must always get an answer
            log.error("virtual card %s: internal error %s", self.label, type(exc).__name__)
            sw, data = SW_INTERNAL, b""
        return data + bytes((sw >> 8 & 0xFF, sw & 0xFF))

    # -- helpers for tests and tools -----------------------------------------------------
    @property
    def granted(self) -> frozenset[int]:
        """Key ids whose EXTERNAL AUTH right is currently held."""
        return frozenset(self._granted)

    def snapshot(self) -> CardState:
        """A deep copy of the non-volatile state (for comparisons in tests)."""
        return self.state.copy()

    def records(self, path: str) -> list[bytes]:
        return list(self.state.records[path])

    def binary(self, path: str) -> bytes:
        return bytes(self.state.binary[path])

    def save(self, path: Path | None = None) -> None:
        target = path or self.state_path
        if target is not None:
            self.state.save(target)

    # -- dispatch ------------------------------------------------------------------------
    def _clear_volatile(self) -> None:
        self._granted: set[int] = set()
        self._pin_ok = False
        self._challenge: bytes | None = None
        self._df: DF = self.fs.mf
        self._ef: EF | None = None
        self._pending = b""

    def _clear_security(self) -> None:
        self._granted.clear()
        self._pin_ok = False

    def _persist(self) -> None:
        if self.state_path is not None:
            self.state.save(self.state_path)

    def _execute(self, raw: bytes) -> _Result:
        a = parse_apdu(raw)
        if a is None:
            self._pending = b""
            return _sw(SW_WRONG_LENGTH)
        if a.ins != 0xC0:
            self._pending = b""
        entry = self._handlers.get(a.ins)
        if a.cla & 0x60 == 0x60 or a.cla == 0xFF:
            return _sw(SW_CLA)
        if entry is None:
            return _sw(SW_INS)
        clas, handler = entry
        if a.cla not in clas:
            if (a.cla & ~0x0C) in clas and a.cla & 0x0C:
                return _sw(SW_SM_NOT_SUPPORTED)
            return _sw(SW_CLA)
        if a.ins not in (0xA4, 0xC0, 0x84, 0x18) and self._app_blocked():
            return _sw(SW_APP_BLOCKED)
        sw, data = handler(a)
        if data and sw == OK and self.options.t0_get_response and a.ins != 0xC0 and a.data:
            # T=0 case 4: data goes out only through GET RESPONSE
            self._pending = data
            return _sw(0x6100 | (len(data) & 0xFF))
        return sw, data

    def _app_blocked(self) -> bool:
        if self.state.app_blocked is None:
            return False
        node: DF | None = self._df
        while node is not None:
            if node.blockable:
                return True
            node = node.parent
        return False

    # -- SELECT ----------------------------------------------------------------------------
    def _select(self, a: _Apdu) -> _Result:
        p1, p2 = a.p1, a.p2
        if p2 & 0x03:  # next/last occurrence: every name here is unique
            return _sw(SW_FILE_NOT_FOUND) if p2 & 0x03 == 0x02 else _sw(SW_BAD_P1P2)
        if p2 & ~0x0F:
            return _sw(SW_BAD_P1P2)
        node: DF | EF | None
        if p1 == 0x04:
            if not 1 <= len(a.data) <= 16:
                return _sw(SW_WRONG_LENGTH)
            node = self.fs.find_name(a.data)
        elif p1 in (0x00, 0x01, 0x02):
            if p1 == 0x00 and not a.data:
                node = self.fs.mf
            elif len(a.data) != 2:
                return _sw(SW_WRONG_LENGTH)
            else:
                fid = int.from_bytes(a.data, "big")
                if p1 == 0x00:
                    node = self.fs.find_fid(self._df, fid)
                else:
                    node = self._df.child_by_fid(fid)
                    want = DF if p1 == 0x01 else EF
                    if not isinstance(node, want):
                        node = None
        elif p1 == 0x03:
            if a.data:
                return _sw(SW_WRONG_LENGTH)
            node = self._df.parent
        elif p1 in (0x08, 0x09):
            if not a.data or len(a.data) % 2:
                return _sw(SW_WRONG_LENGTH)
            fids = [int.from_bytes(a.data[i : i + 2], "big") for i in range(0, len(a.data), 2)]
            start = self.fs.mf if p1 == 0x08 else self._df
            if p1 == 0x08 and fids[0] == 0x3F00:
                fids = fids[1:]
            node = self.fs.find_path(fids, start)
        else:
            return _sw(SW_BAD_P1P2)
        if node is None:
            return _sw(SW_FILE_NOT_FOUND)
        if isinstance(node, DF):
            self._df = node
            self._ef = None
            self._clear_security()
            if self._app_blocked():
                return _sw(SW_APP_BLOCKED)
            return _sw(OK, b"" if p2 & 0x0C == 0x0C else node.fci())
        self._df = self._owner[id(node)]
        self._ef = node
        return _sw(OK)

    # -- file addressing -------------------------------------------------------------------
    def _ef_by_sfi(self, sfi: int) -> EF | int:
        """The EF addressed by an SFI (0 = current EF), made current; or a status word."""
        if sfi == 0:
            return self._ef if self._ef is not None else SW_NO_CURRENT_EF
        ef = self._df.ef_by_sfi(sfi)
        if ef is None:
            return SW_FILE_NOT_FOUND
        self._ef = ef
        return ef

    # -- binaries ----------------------------------------------------------------------------
    def _binary_target(self, a: _Apdu) -> tuple[TransparentEF, int] | int:
        if a.p1 & 0x80:
            if a.p1 & 0x60:
                return SW_BAD_P1P2
            found = self._ef_by_sfi(a.p1 & 0x1F)
            offset = a.p2
        else:
            found = self._ef if self._ef is not None else SW_NO_CURRENT_EF
            offset = (a.p1 << 8) | a.p2
        if isinstance(found, int):
            return found
        if not isinstance(found, TransparentEF):
            return SW_INCOMPATIBLE
        return found, offset

    def _read_binary(self, a: _Apdu) -> _Result:
        if a.data:
            return _sw(SW_WRONG_LENGTH)
        target = self._binary_target(a)
        if isinstance(target, int):
            return _sw(target)
        ef, offset = target
        if not ef.read.allows(self._granted):
            return _sw(SW_SECURITY)
        if a.ne is None:
            return _sw(SW_WRONG_LENGTH)
        if offset >= ef.size:
            return _sw(SW_OFFSET)
        content = self.state.binary[ef.path]
        avail = ef.size - offset
        if a.ne <= avail:
            return _sw(OK, bytes(content[offset : offset + a.ne]))
        if avail < 256:
            return _sw(0x6C00 | avail)
        return _sw(SW_EOF, bytes(content[offset:]))

    def _update_binary(self, a: _Apdu) -> _Result:
        if not a.data:
            return _sw(SW_WRONG_LENGTH)
        target = self._binary_target(a)
        if isinstance(target, int):
            return _sw(target)
        ef, offset = target
        if not ef.write.allows(self._granted):
            return _sw(SW_SECURITY)
        if offset >= ef.size:
            return _sw(SW_OFFSET)
        if offset + len(a.data) > ef.size:
            return _sw(SW_WRONG_LENGTH)
        content = self.state.binary[ef.path]
        content[offset : offset + len(a.data)] = a.data
        self._persist()
        return _sw(OK)

    # -- records -----------------------------------------------------------------------------
    def _record_target(self, a: _Apdu) -> RecordEF | int:
        found = self._ef_by_sfi(a.p2 >> 3)
        if isinstance(found, int):
            return found
        if not isinstance(found, RecordEF):
            return SW_INCOMPATIBLE
        return found

    def _read_record(self, a: _Apdu) -> _Result:
        if a.data:
            return _sw(SW_WRONG_LENGTH)
        mode = a.p2 & 0x07
        if mode not in (0, 4, 5):
            return _sw(SW_BAD_P1P2)
        target = self._record_target(a)
        if isinstance(target, int):
            return _sw(target)
        ef = target
        if not ef.read.allows(self._granted):
            return _sw(SW_SECURITY)
        recs = self.state.records[ef.path]
        if mode == 4:
            if not 1 <= a.p1 <= len(recs):
                return _sw(SW_RECORD_NOT_FOUND)
            out = recs[a.p1 - 1]
        elif mode == 5:
            if not 1 <= a.p1 <= len(recs):
                return _sw(SW_RECORD_NOT_FOUND)
            out = b"".join(recs[a.p1 - 1 :])
        else:
            hit = self._record_by_id(recs, a.p1)
            if hit is None:
                return _sw(SW_RECORD_NOT_FOUND)
            out = recs[hit]
        # the exact Le is required; Le = 00 asks for the length (6Cxx), except for the one
        # length a short 6Cxx cannot name differently (256)
        if a.ne == len(out) and (not a.le_zero or len(out) >= 256):
            return _sw(OK, out)
        if len(out) < 256:
            return _sw(0x6C00 | len(out))
        if a.ne is not None and a.ne >= len(out):  # extended Le
            return _sw(OK, out)
        return _sw(SW_WRONG_LENGTH)

    @staticmethod
    def _record_by_id(recs: list[bytes], ident: int) -> int | None:
        if ident == 0:
            return 0 if recs else None
        for i, r in enumerate(recs):
            if r and r[0] == ident:
                return i
        return None

    def _update_record(self, a: _Apdu) -> _Result:
        mode = a.p2 & 0x07
        if mode not in (0, 4):
            return _sw(SW_BAD_P1P2)
        if len(a.data) < 2:
            return _sw(SW_WRONG_LENGTH)
        target = self._record_target(a)
        if isinstance(target, int):
            return _sw(target)
        ef = target
        if not ef.write.allows(self._granted):
            return _sw(SW_SECURITY)
        recs = self.state.records[ef.path]
        if mode == 4:
            if not 1 <= a.p1 <= len(recs):
                return _sw(SW_RECORD_NOT_FOUND)
            index = a.p1 - 1
        else:
            hit = self._record_by_id(recs, a.p1)
            if hit is None:
                return _sw(SW_RECORD_NOT_FOUND)
            index = hit
        spec = ef.records[index]
        data = a.data
        if data[1] != len(data) - 2 or len(data) > spec.size:
            return _sw(SW_WRONG_LENGTH)
        if data[0] != spec.tag:
            return _sw(SW_BAD_DATA)
        recs[index] = bytes(data)
        if (
            spec.tag == 0x08
            and self.options.pin_from_ssn
            and self.state.pin is None
            and ef.name == "EF06"
        ):
            pin = pin_from_ssn(data[2:])
            if pin is not None:
                self.state.pin = pin
                self.state.pin_tries = self.state.pin_max
        self._persist()
        return _sw(OK)

    # -- challenge and authentication ---------------------------------------------------------
    def _get_challenge(self, a: _Apdu) -> _Result:
        if a.p1 or a.p2:
            return _sw(SW_BAD_P1P2)
        if a.data or a.ne not in (4, 8, 16):
            return _sw(SW_WRONG_LENGTH)
        self._challenge = secrets.token_bytes(a.ne)
        return _sw(OK, self._challenge)

    def _key_for_auth(self, a: _Apdu) -> CardKey | int:
        if a.p1:
            return SW_BAD_P1P2
        key = self._keys.get(a.p2)
        if key is None:
            return SW_REF_NOT_FOUND
        if len(a.data) not in (16, 17):
            return SW_WRONG_LENGTH
        if len(a.data) == 17 and a.data[16] != key.version:
            return SW_REF_NOT_FOUND
        return key

    def _internal_auth(self, a: _Apdu) -> _Result:
        if a.p2 != IRK:
            return _sw(SW_REF_NOT_FOUND if not a.p1 else SW_BAD_P1P2)
        key = self._key_for_auth(a)
        if isinstance(key, int):
            return _sw(key)
        pf, orig = a.data[:8], a.data[8:16]
        sk = session_key(self.alg, key.value, pf)
        return _sw(OK, auth_data(self.alg, sk, orig))

    def _external_auth(self, a: _Apdu) -> _Result:
        key = self._key_for_auth(a)
        if isinstance(key, int):
            return _sw(key)
        tries = self.state.key_tries.get(key.key_id, self.state.key_max)
        if tries <= 0:
            return _sw(SW_BLOCKED)
        challenge = self._challenge
        if challenge is None or len(challenge) != 8:
            return _sw(SW_CONDITIONS)
        auth, orig = a.data[:8], a.data[8:16]
        sk = session_key(self.alg, key.value, challenge)
        if mac_equal(auth_data(self.alg, sk, orig), auth):
            self._granted.add(key.key_id)
            if tries != self.state.key_max:
                self.state.key_tries[key.key_id] = self.state.key_max
                self._persist()
            return _sw(OK)
        self._granted.discard(key.key_id)
        tries -= 1
        self.state.key_tries[key.key_id] = tries
        self._persist()
        return _sw(0x63C0 | tries)

    # -- PIN ------------------------------------------------------------------------------------
    def _wrong_pin(self) -> _Result:
        self._pin_ok = False
        self.state.pin_tries = max(0, self.state.pin_tries - 1)
        self._persist()
        return _sw(0x63C0 | min(self.state.pin_tries, 15))

    def _pin_matches(self, candidate: bytes) -> bool:
        stored = self.state.pin or b""
        return hmac.compare_digest(candidate, stored)

    def _right_pin(self) -> None:
        self._pin_ok = True
        if self.state.pin_tries != self.state.pin_max:
            self.state.pin_tries = self.state.pin_max
            self._persist()

    def _verify(self, a: _Apdu) -> _Result:
        if a.p1:
            return _sw(SW_BAD_P1P2)
        if a.p2:
            return _sw(SW_REF_NOT_FOUND)
        if a.data and not 2 <= len(a.data) <= 8:
            return _sw(SW_WRONG_LENGTH)
        if self.state.pin is None:
            return _sw(OK if not a.data else SW_REF_INVALID)
        if self.state.pin_tries <= 0:
            return _sw(SW_BLOCKED)
        if not a.data:  # probe: how many tries are left
            return _sw(0x63C0 | min(self.state.pin_tries, 15))
        if self._pin_matches(a.data):
            self._right_pin()
            return _sw(OK)
        return self._wrong_pin()

    def _change_pin(self, a: _Apdu) -> _Result:
        if a.p1 != 0x01 or a.p2:
            return _sw(SW_BAD_P1P2)
        if not 3 <= len(a.data) <= 17:
            return _sw(SW_WRONG_LENGTH)
        sep = a.data.find(b"\xff")
        if sep < 0:
            return _sw(SW_BAD_DATA)
        old, new = a.data[:sep], a.data[sep + 1 :]
        if not valid_pin_bcd(new):
            return _sw(SW_BAD_DATA)
        if self.state.pin is None:
            return _sw(SW_REF_INVALID)
        if self.state.pin_tries <= 0:
            return _sw(SW_BLOCKED)
        if not self._pin_matches(old):
            return self._wrong_pin()
        self.state.pin = bytes(new)
        self.state.pin_tries = self.state.pin_max
        self._pin_ok = True
        self._persist()
        return _sw(OK)

    def _check_mac(self, a: _Apdu) -> int:
        """Verify the trailing 4-byte MAC under SK(STK, current challenge); 0 if good."""
        stk = self._keys.get(STK)
        if stk is None:
            return SW_REF_NOT_FOUND
        challenge = self._challenge
        if challenge is None or len(challenge) != 8:
            return SW_CONDITIONS
        if a.raw[4] != len(a.data) or a.ne is not None:  # short case 3 only
            return SW_WRONG_LENGTH
        sk = session_key(self.alg, stk.value, challenge)
        expected = mac(self.alg, sk, a.raw[:-4])
        return 0 if mac_equal(expected, a.data[-4:]) else SW_MAC

    def _pin_unblock_reset(self, a: _Apdu) -> _Result:
        if a.p1 or a.p2 not in (0x00, 0x01):
            return _sw(SW_BAD_P1P2)
        if PUK not in self._granted:
            return _sw(SW_SECURITY)
        block = self.alg.block
        if a.p2 == 0x00:
            if len(a.data) != 4:
                return _sw(SW_WRONG_LENGTH)
        elif len(a.data) < 4 + block or (len(a.data) - 4) % block:
            return _sw(SW_WRONG_LENGTH)
        bad = self._check_mac(a)
        if bad:
            return _sw(bad)
        if a.p2 == 0x01:
            stk = self._keys[STK]
            assert self._challenge is not None  # checked by _check_mac
            sk = session_key(self.alg, stk.value, self._challenge)
            try:
                pin = unpack_pin_block(self.alg, ecb_decrypt(self.alg, sk, a.data[:-4]))
            except CryptoError:
                return _sw(SW_BAD_DATA)
            if not valid_pin_bcd(pin):
                return _sw(SW_BAD_DATA)
            self.state.pin = bytes(pin)
        elif self.state.pin is None:
            return _sw(SW_REF_INVALID)
        self.state.pin_tries = self.state.pin_max
        self._persist()
        return _sw(OK)

    def _current_app(self) -> DF | None:
        node: DF | None = self._df
        while node is not None and not node.blockable:
            node = node.parent
        return node

    def _application_block(self, a: _Apdu) -> _Result:
        if a.p1 or a.p2 not in (0x00, 0x01):
            return _sw(SW_BAD_P1P2)
        if len(a.data) != 4:
            return _sw(SW_WRONG_LENGTH)
        if self._current_app() is None:
            return _sw(SW_CONDITIONS)
        bad = self._check_mac(a)
        if bad:
            return _sw(bad)
        self.state.app_blocked = "permanent" if a.p2 == 0x01 else "temporary"
        self._persist()
        return _sw(OK)

    def _application_unblock(self, a: _Apdu) -> _Result:
        if a.p1 or a.p2:
            return _sw(SW_BAD_P1P2)
        if len(a.data) != 4:
            return _sw(SW_WRONG_LENGTH)
        if self._current_app() is None or self.state.app_blocked is None:
            return _sw(SW_CONDITIONS)
        if self.state.app_blocked == "permanent":
            return _sw(SW_APP_BLOCKED)
        bad = self._check_mac(a)
        if bad:
            return _sw(bad)
        self.state.app_blocked = None
        self._persist()
        return _sw(OK)

    # -- T=0 -------------------------------------------------------------------------------------
    def _get_response(self, a: _Apdu) -> _Result:
        if a.p1 or a.p2:
            self._pending = b""
            return _sw(SW_BAD_P1P2)
        if a.data or a.ne is None:
            return _sw(SW_WRONG_LENGTH)
        pending = self._pending
        if not pending:
            return _sw(SW_CONDITIONS)
        if a.ne > len(pending) and not a.le_zero:
            return _sw(0x6C00 | (len(pending) & 0xFF))
        out, rest = pending[: a.ne], pending[a.ne :]
        self._pending = rest
        if rest:
            return _sw(0x6100 | (min(len(rest), 256) & 0xFF), out)
        return _sw(OK, out)


# -- module helpers ------------------------------------------------------------------------------


def _merge_records(ef: RecordEF, old: list[bytes]) -> list[bytes]:
    """Fit stored records to the layout (a profile may have gained records since)."""
    out = ef.blank()
    for i, r in enumerate(old[: len(out)]):
        out[i] = r
    return out


def historical_span(atr: bytes) -> tuple[int, int]:
    """(offset, count) of the ATR's historical bytes: T0's low nibble gives the count,
    the interface bytes announced by the Y nibbles are skipped."""
    if len(atr) < 2:
        return len(atr), 0
    t0 = atr[1]
    i = 2
    y = t0 >> 4
    while True:
        i += bin(y).count("1")
        if not y & 0x8 or i - 1 >= len(atr):
            break
        y = atr[i - 1] >> 4
    return i, t0 & 0x0F


def historical_bytes(atr: bytes) -> bytes:
    """The historical bytes of an ATR (T6..TD of them are the card factor)."""
    start, k = historical_span(atr)
    return atr[start : start + k]


def pin_from_ssn(value: bytes) -> bytes | None:
    """The PIN rule "last 6 of the SSN": the last six characters of the ID number as BCD,
    a final check character X counting as 0.  ``None`` when the value has no 6 digits."""
    text = value.rstrip(b"\x00").rstrip(b"\xff").decode("ascii", "replace").upper()
    tail = text[-6:]
    if tail.endswith("X"):
        tail = tail[:-1] + "0"
    if len(tail) != 6 or not tail.isdigit():
        return None
    return bytes.fromhex(tail)
