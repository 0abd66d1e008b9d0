"""The few SSSE commands every service needs: select the application, get a challenge,
authenticate the host with a card key, and the ATR facts keys are diversified with.

Every function takes a ``Transport`` and raises typed errors: the caller never inspects a
status word itself.
"""

from __future__ import annotations

import secrets

from station.apdu.atr import historical_bytes as historical_bytes  # one copy, for services
from station.apdu.status import error_for
from station.apdu.transport import Transport
from station.card import commands as C
from station.card.errors import CardDataError, UnsupportedCard, WrongCardType
from station.codecs.records import SSSE_AID
from station.crypto.algorithms import Alg, CryptoError
from station.crypto.provider import CardKeyContext, KeyProvider

SW_OK = 0x9000
SW_SECURITY = 0x6982


def _tlv(data: bytes) -> list[tuple[int, bytes]]:
    """A flat BER-TLV list (tags up to two bytes, short and long lengths); stops at junk."""
    out: list[tuple[int, bytes]] = []
    i = 0
    while i < len(data):
        tag = data[i]
        i += 1
        if tag & 0x1F == 0x1F and i < len(data):
            tag = (tag << 8) | data[i]
            i += 1
        if i >= len(data):
            break
        n = data[i]
        i += 1
        if n & 0x80:
            width = n & 0x7F
            n = int.from_bytes(data[i : i + width], "big")
            i += width
        if i + n > len(data):
            break
        out.append((tag, data[i : i + n]))
        i += n
    return out


def find_fci_tag(fci: bytes, wanted: int) -> bytes | None:
    """Search the FCI for ``wanted``, descending into 6F, A5, BF0C and 9F0C (which the
    SSSE FCI uses as a container for tag 86)."""
    for tag, value in _tlv(fci):
        if tag == wanted:
            return value
        if tag in (0x6F, 0xA5, 0xBF0C, 0x9F0C):
            found = find_fci_tag(value, wanted)
            if found is not None:
                return found
    return None


def alg_from_fci(fci: bytes) -> Alg:
    value = find_fci_tag(fci, 0x86)
    code = value[0] if value else None
    try:
        return Alg.from_fci(code)
    except CryptoError as exc:
        raise UnsupportedCard(
            "不支持此卡的密码算法（SSF33等） (the card's algorithm is not supported)",
            detail=str(exc),
        ) from None


def select_ssse(transport: Transport) -> Alg:
    """SELECT the social-security environment by name; its FCI names the algorithm.
    Selecting clears every security state on the card."""
    rsp = transport.transmit(C.select_by_name(SSSE_AID))
    if rsp.sw in (0x6A82, 0x6A81, 0x6A86, 0x6D00, 0x6E00):
        raise WrongCardType(detail=f"SELECT SSSE: SW={rsp.sw:04X}")
    if not rsp.ok:
        raise error_for(rsp.sw, command="SELECT SSSE", ins=0xA4)
    return alg_from_fci(rsp.data)


def get_challenge(transport: Transport) -> bytes:
    """An 8-byte card challenge; it becomes the card's current challenge (the session
    factor of the next authentication or MAC)."""
    rsp = transport.send(C.get_challenge(), name="GET CHALLENGE")
    if len(rsp.data) != 8:
        raise CardDataError(
            "卡片随机数长度错误 (card challenge has a wrong length)", detail=f"{len(rsp.data)}"
        )
    return rsp.data


def external_auth(
    transport: Transport, provider: KeyProvider, ctx: CardKeyContext, key_id: int
) -> None:
    """Prove to the card that the host holds ``key_id``: GET CHALLENGE, then EXTERNAL
    AUTHENTICATE with auth data over a fresh host random.  Failure raises ``AuthFailed``
    (63Cx, tries left on that key) or ``AuthMethodBlocked`` (6983)."""
    challenge = get_challenge(transport)
    orig = secrets.token_bytes(8)
    auth = provider.external_auth_data(ctx, key_id, challenge, orig)
    cmd = C.external_authenticate(key_id, auth + orig)
    transport.send(cmd, name=f"EXTERNAL AUTHENTICATE {key_id:02X}")
