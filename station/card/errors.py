"""Typed errors of the card services (beyond the status-word errors of ``station.apdu``).

Each carries the national reader-interface number as ``code`` so a teller system sees the
same number our logs show.  None of them is ever built with a PIN, a key or a PIN block in
its text: callers pass reasons, never the values.
"""

from __future__ import annotations

from station.codecs.validators import InvalidData
from station.errors import CardError, ErrorCode, ReaderError


class WrongCardType(CardError):
    """The card has no social-security application (SELECT SSSE failed)."""

    default_message = "不是社会保障卡，或卡内没有社保应用 (not a social security card)"
    code = ErrorCode.WRONG_CARD_TYPE


class UnsupportedCard(CardError):
    """A social security card the station cannot serve (SSF33 algorithm, unknown alg)."""

    default_message = "不支持此类社保卡 (this card type is not supported)"
    code = ErrorCode.UNSUPPORTED


class CardDataError(CardError):
    """The card's records cannot be read as the specification says."""

    default_message = "卡内数据格式错误 (the card's data does not follow the specification)"
    code = ErrorCode.CARD_DATA


class NotGenuine(CardError):
    """INTERNAL AUTHENTICATE answered, but not with what the card's IRK gives: the card was
    not issued under these keys (or is forged)."""

    default_message = "卡片内部认证失败，卡片可能不是真卡 (internal authentication failed)"
    code = ErrorCode.INTERNAL_AUTH_FAILED


class BlankCard(CardError):
    """A pre-made card with no holder data: there is nothing to serve (and no PIN yet)."""

    default_message = "空白预制卡，未个人化，不能办理此业务 (blank card, not personalised)"
    code = ErrorCode.BLANK_CARD


class PsamMissing(ReaderError):
    """The PSAM that holds the station's keys is not in its reader (or the reader is not
    there): named as such, with the way on, rather than "no card in the reader"."""

    default_message = "PSAM卡未插入 (no PSAM)"
    code = ErrorCode.NO_PSAM

    @classmethod
    def in_reader(cls, reader: str, *, no_reader: bool = False) -> PsamMissing:
        if no_reader:
            zh, en = f"未找到PSAM读卡器 {reader}", f"PSAM reader {reader} not found"
        else:
            zh, en = f"PSAM卡未插入读卡器 {reader}", f"no PSAM in reader {reader}"
        return cls(
            f"{zh}：请插入PSAM卡，或在允许的情况下使用密钥文件 (--key-file) "
            f"({en}: insert the PSAM, or use a key store (--key-file) where allowed)",
            detail=f"reader {reader!r}; settings psam_reader / key_file",
        )


class SecureMessagingError(CardError):
    """A secure-messaging step failed on the host side or the card rejected the secure
    messaging; the operation ends and is never retried in plain."""

    default_message = "安全报文处理失败，操作已终止 (secure messaging failed; operation stopped)"
    code = ErrorCode.SECURE_MESSAGING


class WeakPin(InvalidData):
    """A new PIN the station refuses to set (too easy to guess)."""

    default_message = "新密码过于简单 (the new PIN is too weak)"
    code = ErrorCode.WEAK_PIN


class InvalidPin(InvalidData):
    """A PIN that is not 4 to 12 digits."""

    default_message = "密码必须是4至12位数字 (a PIN must be 4 to 12 digits)"
    code = ErrorCode.PIN_LENGTH


class PinMismatch(InvalidData):
    """The two entries of a new PIN differ."""

    default_message = "两次输入的新密码不一致 (the two new PIN entries differ)"
    code = ErrorCode.PIN_MISMATCH
