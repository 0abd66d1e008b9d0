"""A virtual social-security PSAM: the second-slot card that holds the master keys.

It answers the commands a counter sends a real PSAM (see ``station.crypto.psam`` for the
command set, usage bytes and key numbers) from a ``KeySet``.  It *is* the PSAM, so it holds
master keys — but, like a real one, it has no command that outputs them: only session-key
results (encrypted blocks and MACs) leave it.  ``execute`` never raises; every input gets a
well-formed response with a sensible status word.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from station.apdu.command import Command
from station.apdu.instructions import Ins
from station.crypto import psam as P
from station.crypto.algorithms import (
    Alg,
    cbc_encrypt,
    diversify_path,
    ecb_encrypt,
    fold4,
)
from station.crypto.keys import KEY_NAMES, KeySet, KeySpec
from station.errors import ApduFormatError, ErrorCode, StationError

SW_OK = 0x9000
SW_WRONG_LENGTH = 0x6700
SW_CONDITIONS = 0x6985
SW_NO_CURRENT_EF = 0x6986
SW_FILE_NOT_FOUND = 0x6A82
SW_BAD_P1P2 = 0x6A86
SW_OFFSET = 0x6B00
SW_INS = 0x6D00
SW_CLA = 0x6E00
SW_INTERNAL = 0x6F00
SW_KEY_NOT_FOUND = 0x9403

DEFAULT_ATR = bytes.fromhex("3B680000") + b"VPSAMSSC"


class VirtualPsamError(StationError, ValueError):
    """A virtual PSAM that cannot be built as asked (bad terminal number)."""

    default_message = "虚拟PSAM配置错误 (virtual PSAM configuration error)"
    code = ErrorCode.VIRTUAL_PSAM


def _check_slots(keyset: KeySet, slots: Mapping[int, P.PsamSlot]) -> None:
    """Refuse a key map this PSAM and the cards made from the same key file would disagree
    on (another depth) or that a real PSAM could not hold (a key number twice)."""
    for key_id, slot in sorted(slots.items()):
        problem = P.slot_problem(slot)
        if problem:
            raise VirtualPsamError(
                f"PSAM密钥映射错误：卡片密钥{key_id:02X} (invalid PSAM key map for card key "
                f"{key_id:02X})",
                detail=problem,
            )
    for key_id, file_levels, slot_levels in P.level_mismatches(keyset, slots):
        name = KEY_NAMES.get(key_id, f"{key_id:02X}")
        raise VirtualPsamError(
            f"PSAM密钥{name}的分散级数与密钥文件不符 (PSAM key map and key file disagree on "
            f"the levels of {name})",
            detail=f"{name}: {slots[key_id]} means {slot_levels} levels, "
            f"the key file says {file_levels}",
        )
    for psam_id, first, second in P.duplicate_psam_keys(slots):
        raise VirtualPsamError(
            f"PSAM密钥{psam_id:02X}被两个卡片密钥使用 (PSAM key {psam_id:02X} mapped twice)",
            detail=f"card keys {first:02X} and {second:02X}",
        )


def _rsp(sw: int, data: bytes = b"") -> bytes:
    return data + sw.to_bytes(2, "big")


@dataclass
class _Session:
    """The current session key and what its PSAM key allows."""

    key: bytes
    slot: P.PsamSlot


class VirtualPsam:
    """A PSAM holding ``keyset``'s master keys, terminal number ``terminal_number``.

    Each master sits under the PSAM key number and usage byte of the published map
    (``station.crypto.psam.DEFAULT_KEY_MAP``), or of ``key_map`` where it names the key.
    A map whose depth differs from the key file's is refused (``VirtualPsamError``): the
    cards made from that key file would never agree with this PSAM.

    Files: the SSSE environment (selected by name, GBK ``sx3.sh.社会保障`` for SM4,
    ``sx1.sh.社会保障`` for 3DES, or by the application AID ``D1 56 00 00 05 90``) and
    EF ``0016`` with the terminal number (selectable by FID anywhere, or READ BINARY with
    SFI 16).  Keys are usable once the environment or the application is selected.
    """

    def __init__(
        self,
        keyset: KeySet,
        terminal_number: str,
        atr: bytes | None = None,
        *,
        key_map: Mapping[int, P.PsamSlot] | None = None,
    ) -> None:
        self._alg = keyset.alg
        try:
            self._terminal = P.terminal_bcd(terminal_number)
        except ValueError:
            raise VirtualPsamError(
                "PSAM终端编号必须是12位数字 (terminal number must be 12 digits)",
                detail=f"got {terminal_number!r}",
            ) from None
        self._atr = bytes(atr) if atr is not None else DEFAULT_ATR
        slots = P.key_map_for(keyset, key_map)
        _check_slots(keyset, slots)
        self._key_slots = dict(slots)
        self._keys: dict[tuple[int, int], KeySpec] = {}
        self._slots: dict[tuple[int, int], P.PsamSlot] = {}
        for key_id, slot in slots.items():
            self._keys[(slot.usage, slot.psam_key_id)] = keyset.keys[key_id]
            self._slots[(slot.usage, slot.psam_key_id)] = slot
        self._psam_ids = {psam_id for _, psam_id in self._keys}
        self._env_names = P.ENV_NAMES[self._alg]
        self.powered = False
        self._clear()

    def __repr__(self) -> str:  # never the keys
        return f"VirtualPsam(alg={self._alg.value}, terminal={self._terminal.hex()})"

    @property
    def key_slots(self) -> dict[int, P.PsamSlot]:
        """Card key number -> the PSAM key (usage, number) holding its master: what a
        technician reads off a real PSAM's key list.  Numbers only, never key material."""
        return dict(self._key_slots)

    # -- CardOS -----------------------------------------------------------------------
    @property
    def atr(self) -> bytes:
        return self._atr

    @property
    def alg(self) -> Alg:
        return self._alg

    def power_on(self) -> None:
        self.powered = True
        self._clear()

    def power_off(self) -> None:
        self.powered = False
        self._clear()

    def reset(self) -> None:
        self.powered = True
        self._clear()

    def _clear(self) -> None:
        self._env = False
        self._ef: int | None = None
        self._session: _Session | None = None
        self._chain: bytes | None = None

    def execute(self, apdu: bytes) -> bytes:
        try:
            cmd = Command.from_bytes(apdu)
        except ApduFormatError:
            return _rsp(SW_WRONG_LENGTH)
        except Exception:  # pragma: no cover - e.g. a non-bytes argument
            return _rsp(SW_INTERNAL)
        try:
            return self._dispatch(cmd)
        except Exception:  # pragma: no cover - a bug must still give a well-formed answer
            self._session = None
            self._chain = None
            return _rsp(SW_INTERNAL)

    # -- dispatch -----------------------------------------------------------------------
    def _dispatch(self, cmd: Command) -> bytes:
        handlers: dict[int, tuple[int, Callable[[Command], bytes]]] = {
            Ins.SELECT: (0x00, self._select),
            Ins.READ_BINARY: (0x00, self._read_binary),
            P.INS_DELIVERY: (P.CLA_DELIVERY, self._delivery),
            P.INS_CIPHER: (P.CLA_CIPHER, self._cipher),
        }
        entry = handlers.get(cmd.ins)
        if entry is None:
            return _rsp(SW_INS)
        cla, handler = entry
        if cmd.cla != cla:
            return _rsp(SW_CLA)
        return handler(cmd)

    def _select(self, cmd: Command) -> bytes:
        if cmd.p1 == 0x04:
            if cmd.p2 not in (0x00, 0x0C):
                return _rsp(SW_BAD_P1P2)
            if cmd.data in self._env_names or cmd.data == P.PSAM_AID:
                self._env = True
                self._ef = None
                self._session = None
                self._chain = None
                fci = b"\x84" + bytes((len(cmd.data),)) + cmd.data
                fci = b"\x6f" + bytes((len(fci),)) + fci
                return _rsp(SW_OK, fci if cmd.le is not None and cmd.p2 == 0 else b"")
            return _rsp(SW_FILE_NOT_FOUND)
        if cmd.p1 == 0x00:
            if cmd.p2 not in (0x00, 0x0C):
                return _rsp(SW_BAD_P1P2)
            if len(cmd.data) != 2:
                return _rsp(SW_WRONG_LENGTH)
            fid = int.from_bytes(cmd.data, "big")
            if fid == 0x3F00:
                self._clear()
                return _rsp(SW_OK)
            if fid == P.TERMINAL_FID:
                self._ef = fid
                return _rsp(SW_OK)
            return _rsp(SW_FILE_NOT_FOUND)
        return _rsp(SW_BAD_P1P2)

    def _read_binary(self, cmd: Command) -> bytes:
        if cmd.data:
            return _rsp(SW_WRONG_LENGTH)
        if cmd.p1 & 0x80:
            if cmd.p1 & 0x60:
                return _rsp(SW_BAD_P1P2)
            if cmd.p1 & 0x1F != P.TERMINAL_FID & 0x1F:
                return _rsp(SW_FILE_NOT_FOUND)
            self._ef = P.TERMINAL_FID
            offset = cmd.p2
        else:
            if self._ef is None:
                return _rsp(SW_NO_CURRENT_EF)
            offset = (cmd.p1 << 8) | cmd.p2
        content = self._terminal
        if offset > len(content):
            return _rsp(SW_OFFSET)
        rest = content[offset:]
        le = cmd.le if cmd.le is not None else 256
        if le == 256:
            return _rsp(SW_OK, rest)
        if le > len(rest):
            return _rsp(0x6C00 | len(rest))
        return _rsp(SW_OK, rest[:le])

    def _delivery(self, cmd: Command) -> bytes:
        self._session = None
        self._chain = None
        if not self._env:
            return _rsp(SW_CONDITIONS)
        key = self._keys.get((cmd.p1, cmd.p2))
        slot = self._slots.get((cmd.p1, cmd.p2))
        if key is None or slot is None:
            return _rsp(SW_KEY_NOT_FOUND if cmd.p2 not in self._psam_ids else SW_BAD_P1P2)
        m = self._alg.block
        if len(cmd.data) != 8 * slot.levels + m:
            return _rsp(SW_WRONG_LENGTH)
        sent = [cmd.data[i : i + 8] for i in range(0, 8 * slot.levels, 8)]  # card level first
        derived = diversify_path(self._alg, key.master, list(reversed(sent)))
        session_factor = cmd.data[8 * slot.levels :]
        self._session = _Session(ecb_encrypt(self._alg, derived, session_factor), slot)
        return _rsp(SW_OK)

    def _cipher(self, cmd: Command) -> bytes:
        if cmd.p2 != 0x00:
            return _rsp(SW_BAD_P1P2)
        session = self._session
        block = self._alg.block
        data = cmd.data
        if cmd.p1 in (P.P1_ENCRYPT, P.P1_ENCRYPT_MORE):
            if session is None or not session.slot.can_encrypt:
                return _rsp(SW_CONDITIONS)
            if not data or len(data) % block:
                return _rsp(SW_WRONG_LENGTH)
            return _rsp(SW_OK, ecb_encrypt(self._alg, session.key, data))
        if cmd.p1 in (P.P1_MAC_SINGLE, P.P1_MAC_FIRST, P.P1_MAC_NEXT, P.P1_MAC_LAST):
            if session is None or not session.slot.can_mac:
                self._chain = None
                return _rsp(SW_CONDITIONS)
            if not data or len(data) % block:
                self._chain = None
                return _rsp(SW_WRONG_LENGTH)
            if cmd.p1 in (P.P1_MAC_SINGLE, P.P1_MAC_FIRST):
                if len(data) < 2 * block and cmd.p1 == P.P1_MAC_SINGLE:
                    return _rsp(SW_WRONG_LENGTH)
                iv, data = data[:block], data[block:]
            else:
                if self._chain is None:
                    return _rsp(SW_CONDITIONS)
                iv = self._chain
            chain = cbc_encrypt(self._alg, session.key, data, iv)[-block:] if data else iv
            if cmd.p1 in (P.P1_MAC_FIRST, P.P1_MAC_NEXT):
                self._chain = chain
                return _rsp(SW_OK)
            self._chain = None
            return _rsp(SW_OK, fold4(chain) if self._alg is Alg.SM4 else chain[:4])
        return _rsp(SW_BAD_P1P2)
