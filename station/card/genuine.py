"""Is the card genuine?  (card-spec §7)

The card proves it holds its diversified IRK: GET CHALLENGE gives the process factor, the
host adds 8 random bytes of its own (so a recorded answer cannot be replayed), INTERNAL
AUTHENTICATE returns the card's authentication data, and the key provider — which alone
can compute the card's IRK — says whether it matches (constant-time compare).
"""

from __future__ import annotations

import secrets

from station.apdu.transport import Transport
from station.card import commands as C
from station.card.errors import CardDataError, NotGenuine
from station.card.ssse import get_challenge
from station.crypto.keys import IRK
from station.crypto.provider import CardKeyContext, KeyProvider


def check_genuine(transport: Transport, provider: KeyProvider, ctx: CardKeyContext) -> None:
    """Raise ``NotGenuine`` (national code -21) unless the card's INTERNAL AUTH answer is
    what its IRK gives.  The SSSE application must be selected."""
    pf = get_challenge(transport)
    orig = secrets.token_bytes(8)
    rsp = transport.send(C.internal_authenticate(IRK, pf + orig), name="INTERNAL AUTHENTICATE")
    if len(rsp.data) != 8:
        raise CardDataError(
            "卡片内部认证应答长度错误 (internal authentication answer has a wrong length)",
            detail=f"{len(rsp.data)} bytes",
        )
    if not provider.internal_auth_check(ctx, pf, orig, rsp.data):
        raise NotGenuine(detail=f"region {ctx.region}, alg {ctx.alg.value}")
