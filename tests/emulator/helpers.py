"""Host-side helpers for the emulator tests: what a key provider would compute, done here
with the test key file so each card behaviour can be checked from the outside."""

from __future__ import annotations

from station.apdu.command import Command, Response
from station.apdu.virtual import VirtualTransport
from station.crypto.algorithms import (
    auth_data,
    ecb_encrypt,
    mac,
    pin_bcd,
    pin_block,
    session_key,
)
from station.crypto.keys import PUK, RK, STK, UK, derive_card_key
from station.emulator.cards import make_card
from station.emulator.ssc import VirtualSSCard
from station.profiles import Profile

SSSE_SELECT = bytes.fromhex("00A404000F7378312E73682EC9E7BBE1B1A3D5CF")
SSSE_AID = bytes.fromhex("7378312E73682EC9E7BBE1B1A3D5CF")


class Host:
    """A card, its raw APDU line, and the host's knowledge of its diversified keys."""

    def __init__(self, profile: Profile, card: VirtualSSCard | None = None) -> None:
        self.profile = profile
        self.card = card if card is not None else make_card(profile)
        self.alg = profile.alg
        self._keyset = profile.keyset()
        self.t = VirtualTransport(self.card)
        self.t.connect()  # powers the card on once; raw() and send() share it

    def key(self, key_id: int) -> bytes:
        return derive_card_key(self._keyset, key_id, self.profile.region, self.card.historical)

    def raw(self, apdu: bytes | str) -> tuple[bytes, int]:
        """Send raw bytes; (data, sw).  Asserts the answer is well-formed."""
        data = bytes.fromhex(apdu) if isinstance(apdu, str) else apdu
        out = self.card.execute(data)
        assert len(out) >= 2
        return out[:-2], int.from_bytes(out[-2:], "big")

    def sw(self, apdu: bytes | str) -> int:
        return self.raw(apdu)[1]

    def select(self) -> int:
        _data, sw = self.raw(SSSE_SELECT)
        if sw >> 8 == 0x61:
            _data, sw = self.raw(bytes((0, 0xC0, 0, 0, sw & 0xFF)))
        return sw

    def challenge(self) -> bytes:
        data, sw = self.raw("0084000008")
        assert sw == 0x9000 and len(data) == 8
        return data

    def ext_auth_apdu(self, key_id: int, *, good: bool = True) -> bytes:
        r = self.challenge()
        sk = session_key(self.alg, self.key(key_id), r)
        auth = auth_data(self.alg, sk, r)
        if not good:
            auth = bytes((auth[0] ^ 1,)) + auth[1:]
        return bytes((0x00, 0x82, 0x00, key_id, 0x10)) + auth + r

    def ext_auth(self, key_id: int, *, good: bool = True) -> int:
        return self.sw(self.ext_auth_apdu(key_id, good=good))

    def mac_apdu(self, header: bytes, body: bytes, *, good: bool = True) -> bytes:
        """``84 INS P1 P2 Lc body MAC`` with a fresh challenge and SK from STK."""
        r = self.challenge()
        sk = session_key(self.alg, self.key(STK), r)
        msg = header + bytes((len(body) + 4,)) + body
        m = mac(self.alg, sk, msg)
        if not good:
            m = bytes((m[0] ^ 0x80,)) + m[1:]
        return msg + m

    def reset_pin_apdu(self, pin: str, *, good: bool = True) -> bytes:
        r = self.challenge()
        sk = session_key(self.alg, self.key(STK), r)
        enc = ecb_encrypt(self.alg, sk, pin_block(self.alg, pin))
        msg = bytes.fromhex("84240001") + bytes((len(enc) + 4,)) + enc
        m = mac(self.alg, sk, msg)
        if not good:
            m = bytes((m[0] ^ 0x01,)) + m[1:]
        return msg + m

    def verify(self, pin: str) -> int:
        bcd = pin_bcd(pin)
        return self.sw(bytes((0, 0x20, 0, 0, len(bcd))) + bcd)

    def send(self, cmd: str) -> Response:
        """Through the Transport (T=0 rules applied: 61xx and 6Cxx handled)."""
        return self.t.transmit(Command.from_hex(cmd))


__all__ = ["PUK", "RK", "SSSE_AID", "SSSE_SELECT", "STK", "UK", "Host"]
