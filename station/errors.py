"""Typed errors shared by every layer.

Each error carries two texts: ``message`` is a sentence a teller or clerk can act on
(Chinese first, because that is what is read at the counter), ``detail`` is the technical
fact for the log and the technician.  Neither may ever contain a PIN, a key or a PIN block:
callers pass only what is safe to show, and nothing here formats secret values.
"""

from __future__ import annotations

import enum


@enum.unique
class ErrorCode(enum.IntEnum):
    """Every error number the station reports, in one table (``StationError.code``).

    Two kinds of number live here.  *National* members are the reader-interface codes of
    the national notice (SC-38 附录A, card-spec §6): a teller system reads them, so each is
    used only for the failure the notice names.  A failing status word the notice covers by
    its rule (the SW negated as an unsigned 16-bit value) is named ``SW_xxxx``; a raised
    ``StatusError`` always carries its exact word, the member is its class's number.
    *Own* members are the station's: they never reuse a national number (nor -31..-36,
    the notice's PIN-pad codes), and a family's members sit under its base (-30 → -30x).
    ``@enum.unique`` refuses two names for one number; tests/test_error_codes.py checks
    that every error class has its own member.
    """

    # -- national reader-interface codes (SC-38 附录A) --------------------------------
    WRONG_CARD_TYPE = -1  # national: wrong card type (no social security application)
    NO_CARD = -2  # national: no card in the reader (also: the card was pulled out)
    READER_LIBRARY = -5  # national: the reader library cannot be loaded (PC/SC service down)
    READER_CONNECT = -11  # national: cannot connect to the reader
    NOT_CONNECTED = -12  # national: not connected (the card went mute; link dropped)
    UNSUPPORTED = -13  # national: not supported (a card algorithm the station cannot serve)
    INTERNAL_AUTH_FAILED = -21  # national: internal authentication failed (card not genuine)
    INPUT_DIFFERS_FROM_CARD = -22  # national: input differs from the card (wrong blank)
    ILLEGAL_INPUT = -23  # national: illegal input (a format or check-character rule)
    PIN_LENGTH = -33  # national: PIN length (not 4 to 12 digits)
    PIN_MISMATCH = -34  # national: the two new PIN entries differ
    DATA_LENGTH = -42  # national: data length (the photo is larger than EF08)
    PIN_WRONG = -51  # national: PIN verification failed (tries left in the message)
    PIN_LOCKED = -52  # national: PIN locked
    NO_PSAM = -2201  # national: no PSAM
    SW_63C0_AUTH_FAILED = -0x63C0  # national (SW rule): external auth failed; carries -63Cx
    SW_6700_WRONG_LENGTH = -0x6700  # national (SW rule): wrong length
    SW_6982_SECURITY_NOT_SATISFIED = -0x6982  # national (SW rule): security status not met
    SW_6983_AUTH_METHOD_BLOCKED = -0x6983  # national (SW rule): key or method blocked
    SW_6984_REFERENCE_DATA_INVALID = -0x6984  # national (SW rule): reference data invalid
    SW_6985_CONDITIONS_NOT_SATISFIED = -0x6985  # national (SW rule): conditions of use
    SW_6A82_FILE_NOT_FOUND = -0x6A82  # national (SW rule): file not found
    SW_6A83_RECORD_NOT_FOUND = -0x6A83  # national (SW rule): record not found
    SW_6A88_DATA_NOT_FOUND = -0x6A88  # national (SW rule): referenced data not found
    SW_9302_MAC_INVALID = -0x9302  # national (SW rule): secure-messaging MAC invalid
    SW_9303_APPLICATION_BLOCKED = -0x9303  # national (SW rule): application blocked

    # -- own: station, files, settings ------------------------------------------------
    FAILED = -99  # own: an operation failed and no more specific number applies
    APDU_FORMAT = -10  # own: bytes that are not a well-formed APDU
    SETTINGS = -800  # own: the settings file is invalid
    FILE_WRITE = -801  # own: a file the station creates could not be written safely
    SYMLINK_REFUSED = -802  # own: the output path is a symlink
    CSV_MALFORMED = -803  # own: a malformed CSV file
    CSV_FIELD_TOO_LONG = -804  # own: a CSV field longer than its bound
    TEXT_FIELD = -805  # own: a text field that could forge or garble what is shown
    PROFILE = -806  # own: a card or PSAM profile that cannot be used
    PASSWORD_INPUT = -807  # own: the password cannot be read from the terminal

    # -- own: card services -----------------------------------------------------------
    CARD = -100  # own: the card answered something we cannot accept
    CARD_STATUS = -101  # own: a status word outside the table (instances carry -SW)
    CARD_DATA = -102  # own: the card's records do not follow the specification
    BLANK_CARD = -103  # own: a blank card where a personalised one is needed
    SECURE_MESSAGING = -104  # own: secure messaging failed; the operation stopped
    WRITE_VERIFY_FAILED = -105  # own: read-back after the write differs (a failed write)
    WEAK_PIN = -106  # own: a new PIN too easy to guess
    RECEIPT = -107  # own: a receipt the station will not issue
    RECEIPT_FONT_MISSING = -108  # own: no embeddable CJK font for the PDF receipt
    RECEIPT_SERIAL = -109  # own: the receipt counter cannot be read or advanced

    # -- own: keys and crypto ---------------------------------------------------------
    KEY_FILE = -700  # own: a key file that cannot be used
    KEY_NOT_FOUND = -701  # own: the key set has no such key
    KEY_DERIVATION = -702  # own: card data cannot diversify a key
    KEY_PROVIDER = -703  # own: a key provider could not compute what was asked
    KEY_USAGE = -704  # own: the key's usage does not allow this operation
    KEY_PROVIDER_UNAVAILABLE = -705  # own: the key provider is not available
    PSAM_REFUSED = -706  # own: the PSAM refused a command
    SM2 = -707  # own: an SM2 operation failed

    # -- own: card printer (-28, -29x face, -30x printer; -31..-36 are national) ------
    PRINTER_UNEXPECTED_REPLY = -28  # own: a reply this printer command cannot have
    FACE = -29  # own: card-face data or layout that cannot be printed
    FACE_LAYOUT = -291  # own: the face layout is invalid
    FACE_FONT_NOT_FOUND = -292  # own: no CJK font for the face
    FACE_MISSING_GLYPH = -293  # own: a rare character's glyph image is missing
    FACE_TEXT_TOO_LONG = -294  # own: face text too long for its field
    FACE_BAD_PHOTO = -295  # own: the photo cannot be printed
    PRINTER_FAULT = -30  # own: a card printer fault
    PRINTER_FEEDER_EMPTY = -301  # own: card feeder empty
    PRINTER_RIBBON_OUT = -302  # own: ribbon ended or missing
    PRINTER_COVER_OPEN = -303  # own: printer cover open
    PRINTER_JAM = -304  # own: card jam / mechanical error
    PRINTER_REJECT_BOX_FULL = -305  # own: reject box full
    PRINTER_OFFLINE = -306  # own: printer offline / no reply
    PRINTER_REBOOTED = -307  # own: the printer restarted; the job was interrupted
    PRINTER_PROTOCOL = -308  # own: printer protocol error
    PRINTER_NO_CARD_INSIDE = -309  # own: no card inside the printer
    PRINTER_TIMEOUT = -310  # own: the printer did not answer within the deadline
    PRINTER_SETTINGS_NOT_APPLIED = -311  # own: the printer's safety settings are not on

    # -- own: inventory (-40, -4xx) ---------------------------------------------------
    INVENTORY = -40  # own: a stock-book refusal
    INVENTORY_NOT_FOUND = -401  # own: no such record
    INVALID_TRANSITION = -402  # own: a state change the stock rules do not allow
    INVENTORY_CONFLICT = -403  # own: the stock does not allow it right now
    NO_BLANK_AVAILABLE = -404  # own: no free blank at this location
    WRONG_BANK = -405  # own: the blank belongs to another bank
    PERMISSION_DENIED = -406  # own: the user's role may not do this
    COUNT_REQUIRED = -407  # own: today's stock count is not done
    DISCREPANCY_BLOCK = -408  # own: an unresolved count difference blocks issuance
    MANIFEST = -409  # own: a manifest refused as a whole
    LEDGER_TAMPERED = -410  # own: the ledger's hash chain or replay does not hold
    SCHEMA_MISSING = -411  # own: the inventory database is not initialised
    WITNESS = -412  # own: the ledger witness file cannot be used
    AUTH = -413  # own: a sign-in refusal
    NOT_SIGNED_IN = -414  # own: the user has not signed in
    SIGN_IN_FAILED = -415  # own: wrong user name or password
    ACCOUNT_LOCKED = -416  # own: account locked after too many failures
    ONE_TIME_CODE_EXPIRED = -417  # own: the one-time code expired
    PASSWORD_CHANGE_REQUIRED = -418  # own: the user must set their own password first
    WEAK_PASSWORD = -419  # own: the password does not meet the rules

    # -- own: issuance (-60..-63, -6xx) -----------------------------------------------
    JOB_STATE = -60  # own: the job's state does not allow this step
    JOURNAL = -61  # own: issuance journal error
    DUPLICATE_JOB = -611  # own: the application already has a live job
    JOB_IN_PROGRESS = -612  # own: the application's job is not finished
    ALREADY_ISSUED = -613  # own: a card was already issued for the application
    JOB_NOT_FOUND = -614  # own: no such issuance job
    APPLICATION_MISMATCH = -615  # own: the application id belongs to another person
    BLANK_ELSEWHERE = -616  # own: the blank is not in this station's stock
    CHIP_MISMATCH = -617  # own: the chip is not the blank the job reserved
    UNKNOWN_BANK = -618  # own: the application's bank is not registered
    WRONG_ACTION = -619  # own: the step and the stock movement do not go together
    OUTBOX = -62  # own: registration outbox error
    BATCH_NOT_FOUND = -621  # own: no such outbox batch
    BATCH_CORRUPT = -622  # own: the outbox batch does not verify
    APPLICATION_INVALID = -63  # own: the application is not valid
    ISSUE_NOT_READY = -640  # own: the station or printer is not ready to issue
    ISSUE_CANCELLED = -641  # own: the teller cancelled the job at a safe point
    JOB_BLOCKED = -642  # own: recovery cannot decide; a person must look
    MAKEUP_MISMATCH = -643  # own: the card offered for make-up is not the job's
    APPLICATION_FILE = -644  # own: the applications file cannot be read

    # -- own: desktop app (-95x) --------------------------------------------------------
    UI_WORKER_STOPPED = -951  # own: the device's worker thread has stopped
    UI_JOB_FAILED = -952  # own: a background job failed with an unexpected error (a bug)
    UI_PHOTO_UNUSABLE = -953  # own: the applicant's photo file cannot be used (teller form)

    # -- own: emulator ----------------------------------------------------------------
    VIRTUAL_CARD_STATE = -900  # own: a virtual card state file that cannot be read
    VIRTUAL_PSAM = -901  # own: a virtual PSAM that cannot be built as asked
    BLANK_SET = -902  # own: virtual blank cards cannot be made


class StationError(Exception):
    """Base of all errors the station raises on purpose.

    ``code`` is an ``ErrorCode``: the national reader-interface number where one applies,
    so the same failure reads the same in our logs and in a teller system's, else the
    station's own.  Every subclass names its own member (tests/test_error_codes.py); only
    a ``StatusError`` instance carries a number outside the table, its status word negated.
    """

    default_message = "操作失败 (operation failed)"
    code: int = ErrorCode.FAILED

    def __init__(self, message: str | None = None, *, detail: str = "", code: int | None = None):
        self.message = message or self.default_message
        self.detail = detail
        if code is not None:
            self.code = code
        super().__init__(self.message if not detail else f"{self.message} [{detail}]")


class ApduFormatError(StationError, ValueError):
    """Bytes that are not a well-formed command or response APDU."""

    default_message = "指令格式错误 (malformed APDU)"
    code = ErrorCode.APDU_FORMAT


class ReaderError(StationError):
    """Anything between us and the card: PC/SC service, reader, card presence."""

    default_message = "读卡器错误 (reader error)"
    code = ErrorCode.READER_CONNECT


class PcscUnavailable(ReaderError):
    default_message = "智能卡服务未运行 (PC/SC service not available)"
    code = ErrorCode.READER_LIBRARY


class NoReader(ReaderError):
    default_message = "未找到读卡器 (no reader found)"
    code = ErrorCode.READER_CONNECT  # the same national failure as ReaderError (-11)


class NoCard(ReaderError):
    default_message = "读卡器中没有卡 (no card in the reader)"
    code = ErrorCode.NO_CARD


class CardRemoved(ReaderError):
    default_message = "卡片已被拔出，请重新插卡 (card was removed)"
    code = ErrorCode.NO_CARD  # the same national failure as NoCard: no card in the reader


class CardTimeout(ReaderError):
    """The card (or the reader holding it) did not answer within the exchange deadline.

    The connection was dropped; a card that still answers later is reset then, so no
    half-finished command leaves a security state behind.  Its own code: a mute card is
    not a missing card (-2) nor a reader that cannot connect (-11)."""

    default_message = "卡片无响应，已断开，请重新插卡 (the card did not answer in time)"
    code = ErrorCode.NOT_CONNECTED


class CardError(StationError):
    """The card itself answered something we cannot accept."""

    default_message = "卡片操作失败 (card operation failed)"
    code = ErrorCode.CARD
