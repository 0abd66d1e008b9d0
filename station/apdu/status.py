"""Status words: what they mean to a person, and the typed error each one raises.

ISO 7816-4 plus the social security card specifics (card-spec §3).  ``63Cx`` carries the
tries left as a hex nibble (``63C5`` = 5 tries, ``63CA`` = 10), never as a decimal digit.
"""

from __future__ import annotations

from station.apdu.instructions import PIN_INS
from station.errors import CardError, ErrorCode

# exact status words: (Chinese, English)
_EXACT: dict[int, tuple[str, str]] = {
    0x9000: ("成功", "success"),
    0x6200: ("警告：非易失存储器未改变", "warning: non-volatile memory unchanged"),
    0x6281: ("返回数据可能有误", "part of returned data may be corrupted"),
    0x6282: ("文件或记录结束前已读完", "end of file or record reached before reading Le bytes"),
    0x6283: ("所选文件已失效", "selected file invalidated"),
    0x6400: ("执行出错，存储器未改变", "execution error, memory unchanged"),
    0x6500: ("执行出错，存储器已改变", "execution error, memory changed"),
    0x6581: ("存储器故障", "memory failure"),
    0x6700: ("长度错误", "wrong length"),
    0x6800: ("不支持CLA中的功能", "functions in CLA not supported"),
    0x6881: ("不支持逻辑通道", "logical channel not supported"),
    0x6882: ("不支持安全报文", "secure messaging not supported"),
    0x6900: ("命令不允许", "command not allowed"),
    0x6981: ("命令与文件结构不相容", "command incompatible with file structure"),
    0x6982: ("安全状态不满足", "security status not satisfied"),
    0x6983: ("密码或密钥已锁定", "authentication method blocked"),
    0x6984: ("引用数据无效", "reference data invalid"),
    0x6985: ("使用条件不满足", "conditions of use not satisfied"),
    0x6986: ("命令不允许（无当前文件）", "command not allowed (no current EF)"),
    0x6987: ("安全报文数据对象缺失", "expected secure messaging data objects missing"),
    0x6988: ("安全报文数据对象不正确", "secure messaging data objects incorrect"),
    0x6A80: ("数据域参数错误", "incorrect parameters in the data field"),
    0x6A81: ("功能不支持", "function not supported"),
    0x6A82: ("文件未找到", "file not found"),
    0x6A83: ("记录未找到", "record not found"),
    0x6A84: ("文件空间不足", "not enough memory space in the file"),
    0x6A86: ("P1 P2参数错误", "incorrect parameters P1-P2"),
    0x6A88: ("引用数据未找到", "referenced data not found"),
    0x6B00: ("参数错误（偏移量超出）", "wrong parameters P1-P2 (offset outside the EF)"),
    0x6D00: ("指令代码不支持", "instruction code not supported"),
    0x6E00: ("不支持的CLA", "class not supported"),
    0x6F00: ("卡片内部错误", "no precise diagnosis"),
    0x9302: ("MAC错误", "MAC invalid"),
    0x9303: ("应用已被永久锁定", "application blocked"),
    0x9401: ("金额不足", "insufficient funds"),
    0x9403: ("密钥未找到", "key not found"),
}


def describe(sw: int) -> str:
    """'6A82 文件未找到 (file not found)': the one line a technician reads."""
    zh, en = meaning(sw)
    return f"{sw:04X} {zh} ({en})"


def meaning(sw: int) -> tuple[str, str]:
    """(Chinese, English) meaning of a status word, including the parametrised families."""
    if sw in _EXACT:
        return _EXACT[sw]
    sw1, sw2 = sw >> 8, sw & 0xFF
    if sw1 == 0x61:
        return (f"还有{sw2 or 256}字节数据可取", f"{sw2 or 256} response bytes still available")
    if sw1 == 0x6C:
        return (f"Le错误，应为{sw2 or 256}", f"wrong Le; exact length is {sw2 or 256}")
    if sw1 == 0x63 and sw2 & 0xF0 == 0xC0:
        n = sw2 & 0x0F
        return (f"校验失败，还剩{n}次机会", f"verification failed, {n} tries left")
    if sw1 == 0x63:
        return ("校验失败", "verification failed")
    if sw1 == 0x62 or sw1 == 0x63:
        return ("警告", "warning")
    if sw1 == 0x64 or sw1 == 0x65:
        return ("执行错误", "execution error")
    if sw1 == 0x67:
        return ("长度错误", "wrong length")
    if sw1 == 0x68:
        return ("CLA功能不支持", "functions in CLA not supported")
    if sw1 == 0x69:
        return ("命令不允许", "command not allowed")
    if sw1 == 0x6A:
        return ("参数错误", "wrong parameters")
    return ("未知状态", "unknown status")


def tries_left(sw: int) -> int | None:
    """Tries left from a ``63Cx`` status word (x is a hex nibble), else ``None``."""
    if sw >> 4 == 0x63C:
        return sw & 0x0F
    return None


def national_code(sw: int) -> int:
    """The national interface's error number for a status word: the SW negated as an
    unsigned 16-bit value (6A82 -> -27266)."""
    return -sw


class StatusError(CardError):
    """The card answered a status word other than 9000 where success was required.

    ``sw`` is the exact status word; ``command`` names the operation (never its data).
    """

    zh_message = "卡片返回错误"
    code = ErrorCode.CARD_STATUS

    def __init__(self, sw: int, *, command: str = "", message: str | None = None):
        self.sw = sw
        self.command = command
        zh, en = meaning(sw)
        text = message or f"{self.zh_message}：{zh} ({en})"
        where = f"{command}: " if command else ""
        super().__init__(text, detail=f"{where}SW={sw:04X}", code=national_code(sw))


class WrongLength(StatusError):
    zh_message = "指令长度错误"
    code = ErrorCode.SW_6700_WRONG_LENGTH


class SecurityNotSatisfied(StatusError):
    zh_message = "安全状态不满足，请先认证"
    code = ErrorCode.SW_6982_SECURITY_NOT_SATISFIED


class AuthMethodBlocked(StatusError):
    zh_message = "密钥或密码已锁定"
    code = ErrorCode.SW_6983_AUTH_METHOD_BLOCKED


class PinBlocked(AuthMethodBlocked):
    """The chip PIN is locked after too many wrong entries (national code -52)."""

    zh_message = "社保应用密码已锁定，请到柜面解锁或重置"
    code = ErrorCode.PIN_LOCKED

    def __init__(self, sw: int = 0x6983, *, command: str = "VERIFY"):
        super().__init__(sw, command=command, message=f"{self.zh_message} (PIN locked)")
        self.code = ErrorCode.PIN_LOCKED  # not the SW rule's -0x6983


class PinWrong(StatusError):
    """A wrong PIN; ``tries_left`` comes from the 63Cx nibble (national code -51)."""

    zh_message = "密码错误"
    code = ErrorCode.PIN_WRONG

    def __init__(self, sw: int, *, command: str = "VERIFY"):
        self.tries_left = sw & 0x0F
        super().__init__(
            sw,
            command=command,
            message=f"密码错误，还剩{self.tries_left}次机会 "
            f"(wrong PIN, {self.tries_left} {'try' if self.tries_left == 1 else 'tries'} left)",
        )
        self.code = ErrorCode.PIN_WRONG  # not the SW rule's -0x63Cx


class AuthFailed(StatusError):
    """An authentication other than the PIN failed (63Cx on EXTERNAL AUTH)."""

    zh_message = "认证失败"
    code = ErrorCode.SW_63C0_AUTH_FAILED

    def __init__(self, sw: int, *, command: str = "EXTERNAL AUTHENTICATE"):
        self.tries_left = tries_left(sw)
        super().__init__(sw, command=command)


class ReferenceDataInvalid(StatusError):
    zh_message = "引用数据无效"
    code = ErrorCode.SW_6984_REFERENCE_DATA_INVALID


class ConditionsNotSatisfied(StatusError):
    zh_message = "使用条件不满足"
    code = ErrorCode.SW_6985_CONDITIONS_NOT_SATISFIED


class FileNotFound(StatusError):
    zh_message = "卡片文件未找到（卡类型不符？）"
    code = ErrorCode.SW_6A82_FILE_NOT_FOUND


class RecordNotFound(StatusError):
    zh_message = "卡片记录未找到"
    code = ErrorCode.SW_6A83_RECORD_NOT_FOUND


class DataNotFound(StatusError):
    zh_message = "引用数据未找到"
    code = ErrorCode.SW_6A88_DATA_NOT_FOUND


class MacInvalid(StatusError):
    zh_message = "安全报文校验错误(MAC)，操作未执行"
    code = ErrorCode.SW_9302_MAC_INVALID


class ApplicationBlocked(StatusError):
    zh_message = "社保应用已被锁定，请联系发卡机构"
    code = ErrorCode.SW_9303_APPLICATION_BLOCKED


_CLASSES: dict[int, type[StatusError]] = {
    0x6700: WrongLength,
    0x6982: SecurityNotSatisfied,
    0x6983: AuthMethodBlocked,
    0x6984: ReferenceDataInvalid,
    0x6985: ConditionsNotSatisfied,
    0x6A82: FileNotFound,
    0x6A83: RecordNotFound,
    0x6A88: DataNotFound,
    0x9302: MacInvalid,
    0x9303: ApplicationBlocked,
}

PIN_INSTRUCTIONS = PIN_INS  # from the one instruction table


def error_for(sw: int, *, command: str = "", ins: int | None = None) -> StatusError:
    """The typed error for a failing status word.

    PIN instructions (VERIFY 20, CHANGE PIN 5E, UNBLOCK/RESET 24) turn ``63Cx`` into
    ``PinWrong`` and ``6983`` into ``PinBlocked``; other instructions give ``AuthFailed``
    and ``AuthMethodBlocked`` so a blocked *key* is never reported as a blocked PIN.
    """
    is_pin = ins in PIN_INSTRUCTIONS
    if tries_left(sw) is not None:
        return PinWrong(sw, command=command) if is_pin else AuthFailed(sw, command=command)
    if sw == 0x6983 and is_pin:
        return PinBlocked(sw, command=command)
    cls = _CLASSES.get(sw, StatusError)
    return cls(sw, command=command)
