"""Secure messaging for the SSSE maintenance commands (UNBLOCK/RESET PIN, APPLICATION
BLOCK), as a wrapper around a send function — not a transport.

For each command: GET CHALLENGE (a fresh card challenge), optionally encrypt a secret
block with STK's session key, MAC ``84 INS P1 P2 Lc ‖ data`` (Lc counting the MAC) with
the same session key, send.  The rule taken from the codebases that got this right: any
secure-messaging failure — the provider cannot compute, or the card answers 9302 / 6987 /
6988 — ends the operation and breaks the channel.  Nothing is ever resent in plain.
"""

from __future__ import annotations

from station.apdu.command import Command, Response
from station.apdu.status import MacInvalid, error_for
from station.apdu.transport import SendFn
from station.card import commands as C
from station.card.errors import SecureMessagingError
from station.crypto.keys import STK
from station.crypto.provider import CardKeyContext, KeyProvider
from station.errors import StationError

SM_CLA_BIT = 0x04
SM_FAILURES = (0x9302, 0x6987, 0x6988)


class SecureChannel:
    """Wraps ``send`` (usually ``transport.transmit``) with the card's MAC scheme.

    ``key_id`` is the card key whose session keys MAC and encrypt (STK, card-spec REF).
    After any failure the channel is broken and refuses further commands.
    """

    def __init__(
        self, send: SendFn, provider: KeyProvider, ctx: CardKeyContext, *, key_id: int = STK
    ) -> None:
        self._send = send
        self._provider = provider
        self._ctx = ctx
        self._key_id = key_id
        self._broken: str | None = None

    @property
    def broken(self) -> bool:
        return self._broken is not None

    def _challenge(self) -> bytes:
        rsp = self._send(C.get_challenge())
        if not rsp.ok:
            raise error_for(rsp.sw, command="GET CHALLENGE", ins=0x84)
        if len(rsp.data) != 8:
            raise SecureMessagingError(detail=f"challenge of {len(rsp.data)} bytes")
        return rsp.data

    def _fail(self, why: str) -> None:
        self._broken = why

    def __call__(self, cmd: Command, *, secret_block: bytes = b"") -> Response:
        """Send ``cmd`` protected: CLA gets the SM bit, ``secret_block`` (already padded
        to whole blocks) is encrypted and appended to the data, the MAC goes last.

        Returns the card's response when it is not a secure-messaging failure (the caller
        checks the SW as usual); raises ``MacInvalid`` / ``SecureMessagingError``
        otherwise.
        """
        if self._broken is not None:
            raise SecureMessagingError(
                "安全通道已中断，请重新开始操作 (secure channel broken; start the operation again)",
                detail=self._broken,
            )
        name = f"{cmd.cla | SM_CLA_BIT:02X}{cmd.ins:02X}{cmd.p1:02X}{cmd.p2:02X}"
        try:
            challenge = self._challenge()
            data = cmd.data
            if secret_block:
                data += self._provider.encrypt(self._ctx, self._key_id, challenge, secret_block)
            header = bytes((cmd.cla | SM_CLA_BIT, cmd.ins, cmd.p1, cmd.p2))
            mac = self._provider.command_mac(
                self._ctx, challenge, header, data, key_id=self._key_id
            )
        except StationError as exc:
            self._fail(f"{name}: {type(exc).__name__}")
            if isinstance(exc, SecureMessagingError):
                raise
            raise SecureMessagingError(
                f"安全报文计算失败，操作已终止：{exc.message} "
                "(could not compute secure messaging; operation stopped)",
                detail=f"{name}: {exc.detail}",
                code=exc.code,
            ) from exc
        wrapped = Command(
            cmd.cla | SM_CLA_BIT, cmd.ins, cmd.p1, cmd.p2, data + mac, le=cmd.le, sensitive=True
        )
        rsp = self._send(wrapped)
        if rsp.sw in SM_FAILURES:
            self._fail(f"{name}: SW={rsp.sw:04X}")
            if rsp.sw == 0x9302:
                raise MacInvalid(
                    rsp.sw,
                    command=name,
                    message="卡片拒绝了安全报文校验码(MAC)，操作未执行，未以明文重试 "
                    "(the card rejected the MAC; nothing was changed and nothing was resent "
                    "in plain)",
                )
            raise SecureMessagingError(
                "卡片拒绝了安全报文，操作未执行 (the card rejected the secure messaging)",
                detail=f"{name}: SW={rsp.sw:04X}",
            )
        return rsp
