"""Typed errors shared by every layer.

Each error carries two texts: ``message`` is a sentence a teller or clerk can act on
(Chinese first, because that is what is read at the counter), ``detail`` is the technical
fact for the log and the technician.  Neither may ever contain a PIN, a key or a PIN block:
callers pass only what is safe to show, and nothing here formats secret values.
"""

from __future__ import annotations


class StationError(Exception):
    """Base of all errors the station raises on purpose.

    ``code`` is the national reader-interface error number (negative) where one applies,
    so the same failure reads the same in our logs and in a teller system's.
    """

    default_message = "操作失败 (operation failed)"
    code: int = -1

    def __init__(self, message: str | None = None, *, detail: str = "", code: int | None = None):
        self.message = message or self.default_message
        self.detail = detail
        if code is not None:
            self.code = code
        super().__init__(self.message if not detail else f"{self.message} [{detail}]")


class ApduFormatError(StationError, ValueError):
    """Bytes that are not a well-formed command or response APDU."""

    default_message = "指令格式错误 (malformed APDU)"
    code = -10


class ReaderError(StationError):
    """Anything between us and the card: PC/SC service, reader, card presence."""

    default_message = "读卡器错误 (reader error)"
    code = -11


class PcscUnavailable(ReaderError):
    default_message = "智能卡服务未运行 (PC/SC service not available)"


class NoReader(ReaderError):
    default_message = "未找到读卡器 (no reader found)"


class NoCard(ReaderError):
    default_message = "读卡器中没有卡 (no card in the reader)"
    code = -2


class CardRemoved(ReaderError):
    default_message = "卡片已被拔出，请重新插卡 (card was removed)"
    code = -2


class CardTimeout(ReaderError):
    """The card (or the reader holding it) did not answer within the exchange deadline.

    The connection was dropped and the card is reset as soon as the reader lets go, so no
    half-finished command leaves a security state behind.  Its own code: a mute card is
    not a missing card (-2) nor a reader that cannot connect (-11)."""

    default_message = "卡片无响应，已断开，请重新插卡 (the card did not answer in time)"
    code = -12


class CardError(StationError):
    """The card itself answered something we cannot accept."""

    default_message = "卡片操作失败 (card operation failed)"
    code = -1
