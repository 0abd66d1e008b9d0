"""Key providers: the only way card code reaches key material — and it never gets any.

A counter holds no master key in software.  Card code describes *which card* it talks to
(``CardKeyContext``: algorithm, region, ATR historical bytes) and asks a provider for the
*result* of an operation — authentication data, a MAC, an encrypted block — computed with
the card's diversified key and a session key from the card's challenge (card-spec §4 REF).

- ``SoftKeyStore``: computes in software from a ``KeySet`` (test keys, technicians).
- ``PsamKeyProvider``: drives a PSAM in a second reader (DELIVERY SESSION KEY + CIPHER
  DATA); see ``station.crypto.psam`` for the command set and key mapping.
- ``EncryptionMachineProvider``: the provincial encryption-machine path.  There is no
  encryption machine to talk to here, so it refuses to be created with a typed error
  rather than pretending.

Both working providers give identical answers for the same card (tested over the virtual
PSAM); both refuse a MAC with a key whose PSAM usage does not allow MACs.  Which PSAM key
serves which card key is the published map of ``station.crypto.psam`` unless a profile
overrides it.
"""

from __future__ import annotations

import abc
from collections.abc import Mapping
from dataclasses import dataclass

from station.apdu.command import Command, Response
from station.apdu.status import describe
from station.apdu.transport import Transport
from station.crypto import psam as P
from station.crypto.algorithms import (
    Alg,
    auth_data,
    ecb_encrypt,
    fold,
    mac_equal,
    pad80,
    session_factor,
    session_key,
)
from station.crypto.algorithms import mac as card_mac
from station.crypto.keys import IRK, STK, KeySet, _card_key, level_factors
from station.errors import ErrorCode, StationError


class KeyProviderError(StationError):
    """A key provider could not compute what was asked."""

    default_message = "密钥服务错误 (key provider error)"
    code = ErrorCode.KEY_PROVIDER


class KeyUsageError(KeyProviderError):
    """The key exists but may not be used for this operation (e.g. a MAC with IRK)."""

    default_message = "密钥用途不允许此操作 (key usage does not allow this operation)"
    code = ErrorCode.KEY_USAGE


class PsamError(KeyProviderError):
    """The PSAM refused a command; ``sw`` is its status word (no data is ever quoted)."""

    default_message = "PSAM卡操作失败 (PSAM operation failed)"
    code = ErrorCode.PSAM_REFUSED

    def __init__(self, command: str, sw: int, message: str | None = None) -> None:
        self.sw = sw
        super().__init__(
            message or f"PSAM卡操作失败：{command} (PSAM refused {command})",
            detail=f"{command}: {describe(sw)}",
        )


class ProviderUnavailable(KeyProviderError):
    default_message = "密钥服务不可用 (key provider not available)"
    code = ErrorCode.KEY_PROVIDER_UNAVAILABLE


@dataclass(frozen=True)
class CardKeyContext:
    """Who the card is, as far as keys are concerned: all a provider needs to diversify."""

    alg: Alg
    region: str
    historical: bytes

    def __post_init__(self) -> None:
        r = self.region
        if len(r) != 6 or not r.isascii() or not r.isdigit():
            raise KeyProviderError(
                "区划代码必须是6位数字 (region code must be 6 digits)", detail=f"got {r!r}"
            )
        if len(self.historical) < 13:
            raise KeyProviderError(
                "卡片ATR历史字节太短 (ATR historical bytes too short)",
                detail=f"{len(self.historical)} bytes, need at least 13",
            )


def _need(name: str, value: bytes, length: int) -> None:
    if len(value) != length:
        raise KeyProviderError(
            f"{name}长度错误 ({name} must be {length} bytes)", detail=f"got {len(value)}"
        )


class KeyProvider(abc.ABC):
    """What card code may ask of the keys.  Every method takes the card's context and
    returns only results, never key material."""

    @property
    @abc.abstractmethod
    def alg(self) -> Alg:
        """The one algorithm this provider's keys are for (SM4 or 3DES)."""

    @abc.abstractmethod
    def terminal_number(self) -> str:
        """The 12-digit terminal number (PSAM EF 0016) reported with every card read."""

    @abc.abstractmethod
    def _auth(self, ctx: CardKeyContext, key_id: int, factor8: bytes, orig8: bytes) -> bytes:
        """Authentication data with the session key of ``key_id`` and ``factor8``."""

    @abc.abstractmethod
    def mac(self, ctx: CardKeyContext, key_id: int, challenge8: bytes, message: bytes) -> bytes:
        """The card's 4-byte MAC of ``message`` (unpadded): SK from the card key and the
        challenge, IV zero."""

    @abc.abstractmethod
    def encrypt(self, ctx: CardKeyContext, key_id: int, challenge8: bytes, data: bytes) -> bytes:
        """ECB-encrypt block-aligned ``data`` under the session key of ``key_id``."""

    def close(self) -> None:
        """Release what the provider holds (a PSAM session); default nothing."""

    # -- checks ------------------------------------------------------------------------
    def _check(self, ctx: CardKeyContext, *values: tuple[str, bytes, int]) -> None:
        if ctx.alg is not self.alg:
            raise KeyProviderError(
                "卡片算法与密钥不符 (the card's algorithm does not match the keys)",
                detail=f"card {ctx.alg.value}, keys {self.alg.value}",
            )
        for name, value, length in values:
            _need(name, value, length)

    def _check_blocks(self, data: bytes) -> None:
        if not data or len(data) % self.alg.block:
            raise KeyProviderError(
                "加密数据长度错误 (data to encrypt must be whole blocks)",
                detail=f"{len(data)} bytes, block {self.alg.block}",
            )

    # -- operations built on the primitives ---------------------------------------------
    def internal_auth_check(
        self, ctx: CardKeyContext, pf8: bytes, orig8: bytes, card_answer: bytes
    ) -> bool:
        """Is the card's INTERNAL AUTH answer what its IRK gives?  (constant-time compare)"""
        self._check(ctx, ("process factor", pf8, 8), ("original data", orig8, 8))
        expected = self._auth(ctx, IRK, pf8, orig8)
        return mac_equal(expected, bytes(card_answer))

    def external_auth_data(
        self, ctx: CardKeyContext, key_id: int, challenge8: bytes, orig8: bytes
    ) -> bytes:
        """The 8 bytes for ``00 82 00 <key> 10 <auth8> <orig8>`` after the card gave
        ``challenge8``."""
        self._check(ctx, ("challenge", challenge8, 8), ("original data", orig8, 8))
        return self._auth(ctx, key_id, challenge8, orig8)

    def command_mac(
        self,
        ctx: CardKeyContext,
        challenge8: bytes,
        header: bytes,
        data: bytes,
        *,
        key_id: int = STK,
    ) -> bytes:
        """MAC of a secure-messaging command: over ``header ‖ Lc ‖ data`` with Lc counting
        the 4 MAC bytes (card-spec REF: STK and the current challenge)."""
        _need("header", header, 4)
        if len(data) + 4 > 255:
            raise KeyProviderError("指令数据太长 (command data too long)", detail=f"{len(data)}")
        return self.mac(ctx, key_id, challenge8, header + bytes((len(data) + 4,)) + data)


# -- software ----------------------------------------------------------------------------------


class SoftKeyStore(KeyProvider):
    """Computes from master keys in memory.  For TEST keys and technicians only: a counter
    must use a PSAM or an encryption machine for real keys.

    ``key_map`` (as for ``PsamKeyProvider``) only decides which keys may MAC or encrypt, so
    the store refuses exactly what the PSAM would; the depth comes from the key file."""

    def __init__(
        self,
        keyset: KeySet,
        terminal_number: str = "000000000000",
        *,
        key_map: Mapping[int, P.PsamSlot] | None = None,
    ) -> None:
        try:
            P.terminal_bcd(terminal_number)
        except ValueError:
            raise KeyProviderError(
                "终端编号必须是12位数字 (terminal number must be 12 digits)",
                detail=f"got {terminal_number!r}",
            ) from None
        self._keyset = keyset
        self._terminal = terminal_number
        self._slots = P.key_map_for(keyset, key_map)  # same usage rules as the PSAM

    @property
    def alg(self) -> Alg:
        return self._keyset.alg

    def __repr__(self) -> str:
        return f"SoftKeyStore({self._keyset!r}, terminal={self._terminal})"

    def terminal_number(self) -> str:
        return self._terminal

    def _session_key(self, ctx: CardKeyContext, key_id: int, factor8: bytes) -> bytes:
        card_key = _card_key(self._keyset, key_id, ctx.region, ctx.historical)
        return session_key(self.alg, card_key, factor8)

    def _slot(self, key_id: int) -> P.PsamSlot:
        self._keyset.spec(key_id)  # typed KeyNotFound first
        return self._slots[key_id]

    def _auth(self, ctx: CardKeyContext, key_id: int, factor8: bytes, orig8: bytes) -> bytes:
        _use(self._slot(key_id), key_id, mac=False)
        return auth_data(self.alg, self._session_key(ctx, key_id, factor8), orig8)

    def mac(self, ctx: CardKeyContext, key_id: int, challenge8: bytes, message: bytes) -> bytes:
        self._check(ctx, ("challenge", challenge8, 8))
        _use(self._slot(key_id), key_id, mac=True)
        return card_mac(self.alg, self._session_key(ctx, key_id, challenge8), message)

    def encrypt(self, ctx: CardKeyContext, key_id: int, challenge8: bytes, data: bytes) -> bytes:
        self._check(ctx, ("challenge", challenge8, 8))
        self._check_blocks(data)
        _use(self._slot(key_id), key_id, mac=False)
        return ecb_encrypt(self.alg, self._session_key(ctx, key_id, challenge8), data)


def _use(slot: P.PsamSlot, key_id: int, *, mac: bool) -> None:
    ok = slot.can_mac if mac else slot.can_encrypt
    if not ok:
        what = "MAC" if mac else "encryption"
        raise KeyUsageError(
            f"密钥{key_id:02X}不能用于{'计算MAC' if mac else '加密'} "
            f"(key {key_id:02X} may not be used for {what})",
            detail=f"usage {slot.usage:02X}",
        )


# -- PSAM -----------------------------------------------------------------------------------------


class PsamKeyProvider(KeyProvider):
    """Drives a social-security PSAM over ``transport`` (usually the second reader slot).

    ``alg`` ``None`` probes the environment names (SM4 first).  ``key_map`` maps card key
    numbers to PSAM slots (usage byte = P1, PSAM key number = P2 of DELIVERY SESSION KEY);
    its entries replace those of the published map ``station.crypto.psam.DEFAULT_KEY_MAP``
    (a PSAM profile's ``[key_map]`` gives one), the other keys keep theirs.  The usage
    byte's level count decides how many factors are sent.  The environment is selected
    lazily on the first operation and again after any PSAM error.
    """

    def __init__(
        self,
        transport: Transport,
        *,
        key_map: Mapping[int, P.PsamSlot] | None = None,
        alg: Alg | None = None,
    ) -> None:
        self._t = transport
        self._map = {**P.DEFAULT_KEY_MAP, **(key_map or {})}
        self._want_alg = alg
        self._alg: Alg | None = alg
        self._open = False
        self._terminal: str | None = None

    def __repr__(self) -> str:
        alg = self._alg.value if self._alg else "?"
        return f"PsamKeyProvider(alg={alg}, open={self._open})"

    @property
    def alg(self) -> Alg:
        """The PSAM's algorithm (selecting the environment first if not yet known)."""
        if self._alg is None:
            self.open()
        assert self._alg is not None
        return self._alg

    # -- session ------------------------------------------------------------------------
    def _send(self, cmd: Command, name: str) -> Response:
        try:
            rsp = self._t.transmit(cmd)
        except StationError:
            self._open = False
            raise
        if not rsp.ok:
            self._open = False
            raise PsamError(name, rsp.sw)
        return rsp

    def open(self) -> None:
        """Select the SSSE PSAM environment (one APDU; the FCI is not fetched)."""
        candidates = [self._want_alg] if self._want_alg else [Alg.SM4, Alg.DES3]
        last_sw = 0x6A82
        self._terminal = None  # the PSAM may have been swapped: read it again when asked
        for alg in candidates:
            for name in P.ENV_NAMES[alg]:
                rsp = self._t.transmit(P.select_environment(name), get_response=False)
                if rsp.ok or rsp.sw1 == 0x61:  # 61xx: FCI available, not needed
                    self._alg = alg
                    self._open = True
                    return
                last_sw = rsp.sw
        raise PsamError(
            "SELECT",
            last_sw,
            "未找到社保PSAM环境，请检查PSAM卡 (no social-security PSAM environment found)",
        )

    def _ensure(self) -> None:
        if not self._open:
            self.open()

    def terminal_number(self) -> str:
        """EF 0016, read once per PSAM session: ``00 B0 96 00 06`` (short file id 16), or
        SELECT 0016 + READ BINARY on a PSAM without short file ids."""
        self._ensure()
        if self._terminal is not None:
            return self._terminal
        rsp = self._t.transmit(P.read_terminal_by_sfi())
        if not rsp.ok:
            self._send(P.select_terminal_file(), "SELECT 0016")
            rsp = self._send(P.read_terminal(), "READ BINARY 0016")
        number = P.terminal_from_bcd(rsp.data)
        if number is None:
            raise PsamError(
                "READ BINARY 0016",
                rsp.sw,
                "PSAM终端编号格式错误 (PSAM terminal number is not 12 BCD digits)",
            )
        self._terminal = number
        return number

    def _slot(self, key_id: int) -> P.PsamSlot:
        try:
            return self._map[key_id]
        except KeyError:
            raise KeyProviderError(
                f"PSAM中没有对应卡片密钥{key_id:02X}的密钥 (no PSAM key for card key {key_id:02X})",
                detail=f"key map has {sorted(self._map)}",
            ) from None

    def _deliver(self, ctx: CardKeyContext, key_id: int, factor8: bytes, *, mac: bool) -> None:
        """DELIVERY SESSION KEY: factors card level first, then the session factor."""
        self._ensure()
        slot = self._slot(key_id)
        _use(slot, key_id, mac=mac)
        factors = level_factors(slot.levels, ctx.region, ctx.historical)
        data = b"".join(reversed(factors)) + session_factor(self.alg, factor8)
        self._send(P.delivery_session_key(slot, data), "DELIVERY SESSION KEY")

    def _cipher(self, p1: int, data: bytes, *, le: bool) -> bytes:
        return self._send(P.cipher_data(p1, data, expect_data=le), "CIPHER DATA").data

    def _encrypt_all(self, data: bytes) -> bytes:
        step = 240 - 240 % self.alg.block
        out = bytearray()
        for i in range(0, len(data), step):
            last = i + step >= len(data)
            part = self._cipher(
                P.P1_ENCRYPT if last else P.P1_ENCRYPT_MORE, data[i : i + step], le=True
            )
            out += part
        if len(out) != len(data):
            raise PsamError(
                "CIPHER DATA", 0x9000, "PSAM加密结果长度错误 (PSAM returned a wrong length)"
            )
        return bytes(out)

    def _auth(self, ctx: CardKeyContext, key_id: int, factor8: bytes, orig8: bytes) -> bytes:
        self._deliver(ctx, key_id, factor8, mac=False)
        if self.alg is Alg.SM4:
            return fold(self._encrypt_all(orig8 + bytes(8)))
        return self._encrypt_all(orig8)

    def encrypt(self, ctx: CardKeyContext, key_id: int, challenge8: bytes, data: bytes) -> bytes:
        self._check(ctx, ("challenge", challenge8, 8))
        self._check_blocks(data)
        self._deliver(ctx, key_id, challenge8, mac=False)
        return self._encrypt_all(data)

    def mac(self, ctx: CardKeyContext, key_id: int, challenge8: bytes, message: bytes) -> bytes:
        self._check(ctx, ("challenge", challenge8, 8))
        self._deliver(ctx, key_id, challenge8, mac=True)
        body = bytes(self.alg.block) + pad80(message, self.alg.block)  # IV block leads
        step = 240 - 240 % self.alg.block
        if len(body) <= step:
            rsp = self._cipher(P.P1_MAC_SINGLE, body, le=True)
        else:
            parts = [body[i : i + step] for i in range(0, len(body), step)]
            self._cipher(P.P1_MAC_FIRST, parts[0], le=False)
            for part in parts[1:-1]:
                self._cipher(P.P1_MAC_NEXT, part, le=False)
            rsp = self._cipher(P.P1_MAC_LAST, parts[-1], le=True)
        if len(rsp) != 4:
            raise PsamError(
                "CIPHER DATA", 0x9000, "PSAM返回的MAC长度错误 (PSAM returned a wrong MAC length)"
            )
        return rsp


# -- encryption machine ----------------------------------------------------------------------------


class EncryptionMachineProvider(KeyProvider):
    """The provincial encryption-machine (加密机) path.

    There is no encryption machine or provincial back end to talk to in this deployment,
    and its request format differs by province, so this provider is not implemented: it
    raises ``ProviderUnavailable`` on construction instead of faking answers.
    """

    def __init__(self, *args: object, **kwargs: object) -> None:
        raise ProviderUnavailable(
            "加密机方式不可用，请使用PSAM卡 (encryption machine not available here; use a PSAM)",
            detail="no encryption-machine back end is configured in this build",
        )

    @property
    def alg(self) -> Alg:  # pragma: no cover - cannot be constructed
        raise ProviderUnavailable()

    def terminal_number(self) -> str:  # pragma: no cover - cannot be constructed
        raise ProviderUnavailable()

    def _auth(self, ctx: CardKeyContext, key_id: int, factor8: bytes, orig8: bytes) -> bytes:
        raise ProviderUnavailable()  # pragma: no cover

    def mac(self, ctx: CardKeyContext, key_id: int, challenge8: bytes, message: bytes) -> bytes:
        raise ProviderUnavailable()  # pragma: no cover

    def encrypt(self, ctx: CardKeyContext, key_id: int, challenge8: bytes, data: bytes) -> bytes:
        raise ProviderUnavailable()  # pragma: no cover
