"""The data fields of the PIN maintenance commands (RESET PIN ``84 24 00 01``, UNBLOCK PIN
``84 24 00 00``) as a key provider makes them, for the provider tests.

They are computed through the card services' own code — ``station.card.commands`` builds
the command, ``station.card.sm.SecureChannel`` encrypts the PIN block and MACs it — over
a send function that hands out the test's challenge and keeps what would go to the card.
So the tests compare exactly what a card receives, and ``station/`` holds no second copy
of the secure-messaging rule "for tests".
"""

from __future__ import annotations

from station.apdu.command import Command, Response
from station.card import commands as C
from station.card.sm import SecureChannel
from station.crypto.algorithms import CryptoError, pin_block
from station.crypto.provider import CardKeyContext, KeyProvider, KeyProviderError


def sm_data(
    provider: KeyProvider,
    ctx: CardKeyContext,
    challenge8: bytes,
    cmd: Command,
    secret_block: bytes = b"",
) -> bytes:
    """The data field ``cmd`` goes out with under secure messaging after ``challenge8``."""
    sent: list[Command] = []

    def send(c: Command) -> Response:
        if c.ins == 0x84:  # GET CHALLENGE: the channel asks for a fresh one
            return Response.of(0x9000, challenge8)
        sent.append(c)
        return Response.of(0x9000)

    SecureChannel(send, provider, ctx)(cmd, secret_block=secret_block)
    assert len(sent) == 1
    return sent[0].data


def reset_pin_data(
    provider: KeyProvider, ctx: CardKeyContext, challenge8: bytes, pin: str
) -> bytes:
    """RESET PIN: the PIN block encrypted under STK's session key, then the MAC.  A PIN
    that is not 4 to 12 digits is a ``KeyProviderError`` whose text never holds it."""
    try:
        block = pin_block(ctx.alg, pin)
    except CryptoError as exc:
        raise KeyProviderError("新密码格式错误 (PIN must be 4 to 12 digits)") from exc
    return sm_data(provider, ctx, challenge8, C.pin_reset(), block)


def unblock_pin_data(provider: KeyProvider, ctx: CardKeyContext, challenge8: bytes) -> bytes:
    """UNBLOCK PIN: the MAC alone."""
    return sm_data(provider, ctx, challenge8, C.pin_unblock())
