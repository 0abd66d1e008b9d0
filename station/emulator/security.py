"""The virtual card's security commands: GET CHALLENGE, INTERNAL/EXTERNAL AUTHENTICATE,
VERIFY, CHANGE PIN, PIN UNBLOCK/RESET and APPLICATION BLOCK/UNBLOCK (card-spec §3, §4).

Each key has its own right (granted by EXTERNAL AUTH, gone on SELECT of a DF, power-off
and reset) and its own try counter; the PIN has one counter.  The maintenance commands
carry a MAC (and RESET PIN an encrypted PIN block) under a session key from STK and the
current challenge — the card side of ``station.card.sm``.  The card holds only its own
diversified keys, never a master key; PINs are compared in constant time.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field

from station.apdu.command import Command
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
from station.emulator.runtime import (
    OK,
    SW_APP_BLOCKED,
    SW_BAD_DATA,
    SW_BAD_P1P2,
    SW_BLOCKED,
    SW_CONDITIONS,
    SW_MAC,
    SW_REF_INVALID,
    SW_REF_NOT_FOUND,
    SW_SECURITY,
    SW_WRONG_LENGTH,
    Result,
    Runtime,
    sw,
)


@dataclass(frozen=True)
class CardKey:
    """One diversified card key.  The value never appears in ``repr``."""

    key_id: int
    version: int
    value: bytes = field(repr=False)


def valid_pin_bcd(pin: bytes) -> bool:
    """4..12 BCD digits; only the last nibble may be the F filler of an odd length."""
    if not 2 <= len(pin) <= 6:
        return False
    digits = pin.hex().upper()
    if digits.endswith("F"):
        digits = digits[:-1]
    return len(digits) >= 4 and digits.isdigit()


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


def _tries(sw_base: int, tries: int) -> Result:
    return sw(sw_base | min(tries, 15))


class SecurityCommands:
    """The handlers of the security commands of one card, with its keys."""

    def __init__(self, rt: Runtime, alg: Alg, keys: Mapping[int, CardKey]) -> None:
        self.rt = rt
        self.alg = alg
        self.keys = dict(keys)
        for kid in self.keys:
            rt.state.key_tries.setdefault(kid, rt.state.key_max)

    # -- challenge and authentication ---------------------------------------------------------
    def get_challenge(self, cmd: Command) -> Result:
        if cmd.p1 or cmd.p2:
            return sw(SW_BAD_P1P2)
        n = cmd.le
        if cmd.data or n is None or n not in (4, 8, 16):
            return sw(SW_WRONG_LENGTH)
        self.rt.challenge = secrets.token_bytes(n)
        return sw(OK, self.rt.challenge)

    def _key_for_auth(self, cmd: Command) -> CardKey | int:
        if cmd.p1:
            return SW_BAD_P1P2
        key = self.keys.get(cmd.p2)
        if key is None:
            return SW_REF_NOT_FOUND
        if len(cmd.data) not in (16, 17):
            return SW_WRONG_LENGTH
        if len(cmd.data) == 17 and cmd.data[16] != key.version:
            return SW_REF_NOT_FOUND
        return key

    def internal_auth(self, cmd: Command) -> Result:
        if cmd.p2 != IRK:
            return sw(SW_REF_NOT_FOUND if not cmd.p1 else SW_BAD_P1P2)
        key = self._key_for_auth(cmd)
        if isinstance(key, int):
            return sw(key)
        pf, orig = cmd.data[:8], cmd.data[8:16]
        sk = session_key(self.alg, key.value, pf)
        return sw(OK, auth_data(self.alg, sk, orig))

    def external_auth(self, cmd: Command) -> Result:
        rt = self.rt
        key = self._key_for_auth(cmd)
        if isinstance(key, int):
            return sw(key)
        tries = rt.state.key_tries.get(key.key_id, rt.state.key_max)
        if tries <= 0:
            return sw(SW_BLOCKED)
        challenge = rt.challenge
        if challenge is None or len(challenge) != 8:
            return sw(SW_CONDITIONS)
        auth, orig = cmd.data[:8], cmd.data[8:16]
        sk = session_key(self.alg, key.value, challenge)
        if mac_equal(auth_data(self.alg, sk, orig), auth):
            rt.granted.add(key.key_id)
            if tries != rt.state.key_max:
                rt.state.key_tries[key.key_id] = rt.state.key_max
                rt.persist()
            return sw(OK)
        rt.granted.discard(key.key_id)
        tries -= 1
        rt.state.key_tries[key.key_id] = tries
        rt.persist()
        return sw(0x63C0 | tries)

    # -- PIN ------------------------------------------------------------------------------------
    def _wrong_pin(self) -> Result:
        state = self.rt.state
        self.rt.pin_ok = False
        state.pin_tries = max(0, state.pin_tries - 1)
        self.rt.persist()
        return _tries(0x63C0, state.pin_tries)

    def _pin_matches(self, candidate: bytes) -> bool:
        return hmac.compare_digest(candidate, self.rt.state.pin or b"")

    def _right_pin(self) -> None:
        state = self.rt.state
        self.rt.pin_ok = True
        if state.pin_tries != state.pin_max:
            state.pin_tries = state.pin_max
            self.rt.persist()

    def verify(self, cmd: Command) -> Result:
        state = self.rt.state
        if cmd.p1:
            return sw(SW_BAD_P1P2)
        if cmd.p2:
            return sw(SW_REF_NOT_FOUND)
        if cmd.data and not 2 <= len(cmd.data) <= 8:
            return sw(SW_WRONG_LENGTH)
        if state.pin is None:
            return sw(OK if not cmd.data else SW_REF_INVALID)
        if state.pin_tries <= 0:
            return sw(SW_BLOCKED)
        if not cmd.data:  # probe: how many tries are left
            return _tries(0x63C0, state.pin_tries)
        if self._pin_matches(cmd.data):
            self._right_pin()
            return sw(OK)
        return self._wrong_pin()

    def change_pin(self, cmd: Command) -> Result:
        state = self.rt.state
        if cmd.p1 != 0x01 or cmd.p2:
            return sw(SW_BAD_P1P2)
        if not 3 <= len(cmd.data) <= 17:
            return sw(SW_WRONG_LENGTH)
        sep = cmd.data.find(b"\xff")
        if sep < 0:
            return sw(SW_BAD_DATA)
        old, new = cmd.data[:sep], cmd.data[sep + 1 :]
        if not valid_pin_bcd(new):
            return sw(SW_BAD_DATA)
        if state.pin is None:
            return sw(SW_REF_INVALID)
        if state.pin_tries <= 0:
            return sw(SW_BLOCKED)
        if not self._pin_matches(old):
            return self._wrong_pin()
        state.pin = bytes(new)
        state.pin_tries = state.pin_max
        self.rt.pin_ok = True
        self.rt.persist()
        return sw(OK)

    # -- secure messaging -------------------------------------------------------------------------
    def _session_key(self) -> bytes | int:
        """SK(STK, current challenge), or the status word saying why there is none."""
        stk = self.keys.get(STK)
        if stk is None:
            return SW_REF_NOT_FOUND
        challenge = self.rt.challenge
        if challenge is None or len(challenge) != 8:
            return SW_CONDITIONS
        return session_key(self.alg, stk.value, challenge)

    def _check_mac(self, cmd: Command) -> bytes | int:
        """Verify the trailing 4-byte MAC over ``header ‖ Lc ‖ data``; the session key if
        good, else a status word.  Only the short case 3 carries a MAC here."""
        sk = self._session_key()
        if isinstance(sk, int):
            return sk
        if cmd.extended or cmd.le is not None:
            return SW_WRONG_LENGTH
        signed = cmd.header + bytes((len(cmd.data),)) + cmd.data[:-4]
        return sk if mac_equal(mac(self.alg, sk, signed), cmd.data[-4:]) else SW_MAC

    def pin_unblock_reset(self, cmd: Command) -> Result:
        state = self.rt.state
        if cmd.p1 or cmd.p2 not in (0x00, 0x01):
            return sw(SW_BAD_P1P2)
        if PUK not in self.rt.granted:
            return sw(SW_SECURITY)
        size, block = len(cmd.data), self.alg.block
        if cmd.p2 == 0x00:  # UNBLOCK: the MAC alone
            length_ok = size == 4
        else:  # RESET: whole encrypted blocks, then the MAC
            length_ok = size >= 4 + block and not (size - 4) % block
        if not length_ok:
            return sw(SW_WRONG_LENGTH)
        sk = self._check_mac(cmd)
        if isinstance(sk, int):
            return sw(sk)
        if cmd.p2 == 0x01:
            try:
                pin = unpack_pin_block(self.alg, ecb_decrypt(self.alg, sk, cmd.data[:-4]))
            except CryptoError:
                return sw(SW_BAD_DATA)
            if not valid_pin_bcd(pin):
                return sw(SW_BAD_DATA)
            state.pin = bytes(pin)
        elif state.pin is None:
            return sw(SW_REF_INVALID)
        state.pin_tries = state.pin_max
        self.rt.persist()
        return sw(OK)

    # -- the application ----------------------------------------------------------------------
    def application_block(self, cmd: Command) -> Result:
        if cmd.p1 or cmd.p2 not in (0x00, 0x01):
            return sw(SW_BAD_P1P2)
        if len(cmd.data) != 4:
            return sw(SW_WRONG_LENGTH)
        if self.rt.current_app() is None:
            return sw(SW_CONDITIONS)
        bad = self._check_mac(cmd)
        if isinstance(bad, int):
            return sw(bad)
        self.rt.state.app_blocked = "permanent" if cmd.p2 == 0x01 else "temporary"
        self.rt.persist()
        return sw(OK)

    def application_unblock(self, cmd: Command) -> Result:
        state = self.rt.state
        if cmd.p1 or cmd.p2:
            return sw(SW_BAD_P1P2)
        if len(cmd.data) != 4:
            return sw(SW_WRONG_LENGTH)
        if self.rt.current_app() is None or state.app_blocked is None:
            return sw(SW_CONDITIONS)
        if state.app_blocked == "permanent":
            return sw(SW_APP_BLOCKED)
        bad = self._check_mac(cmd)
        if isinstance(bad, int):
            return sw(bad)
        state.app_blocked = None
        self.rt.persist()
        return sw(OK)
