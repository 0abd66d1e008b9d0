"""Typed printer and card-face errors.

A teller at the counter has to know what to do next (load cards, change the ribbon, close
the cover, call a technician), so every fault has its own class and a Chinese sentence that
says exactly that; the technical fact (command, reply, position) goes to ``detail``.
The issuance layer recovers by class, never by parsing text.
"""

from __future__ import annotations

from station.errors import ErrorCode, StationError


class PrinterFault(StationError):
    """Base of everything the card printer can report as wrong."""

    default_message = "制卡打印机故障 (card printer fault)"
    code = ErrorCode.PRINTER_FAULT


class FeederEmpty(PrinterFault):
    default_message = "进卡箱已空，请放入空白卡 (card feeder empty)"
    code = ErrorCode.PRINTER_FEEDER_EMPTY


class RibbonOut(PrinterFault):
    default_message = "色带已用完或未安装，请更换色带 (ribbon ended or missing)"
    code = ErrorCode.PRINTER_RIBBON_OUT


class CoverOpen(PrinterFault):
    default_message = "打印机上盖未关好，请关闭上盖 (printer cover open)"
    code = ErrorCode.PRINTER_COVER_OPEN


class Jam(PrinterFault):
    default_message = "打印机内卡片卡住（机械故障），请联系技术人员 (card jam / mechanical error)"
    code = ErrorCode.PRINTER_JAM


class RejectBoxFull(PrinterFault):
    default_message = "废卡箱已满，请清空废卡箱 (reject box full)"
    code = ErrorCode.PRINTER_REJECT_BOX_FULL


class PrinterOffline(PrinterFault):
    default_message = "打印机未连接或无响应，请检查电源和连线 (printer offline / no reply)"
    code = ErrorCode.PRINTER_OFFLINE


class PrinterRebooted(PrinterFault):
    """The printer restarted (power loss) since we last spoke: its settings are gone and
    the job in progress was interrupted.  Reset, then ask where the card is."""

    default_message = "打印机曾断电重启，当前作业已中断 (printer rebooted; job interrupted)"
    code = ErrorCode.PRINTER_REBOOTED


class ProtocolError(PrinterFault):
    default_message = "打印机通讯异常，请联系技术人员 (printer protocol error)"
    code = ErrorCode.PRINTER_PROTOCOL


class UnexpectedReply(ProtocolError):
    """The printer answered something that is not a reply this command can have: garbage,
    a reply to another command, a cut-off line.  Never read as success — a safety setting
    answered this way counts as not applied."""

    default_message = "打印机应答无法识别，请联系技术人员 (unexpected printer reply)"
    code = ErrorCode.PRINTER_UNEXPECTED_REPLY  # own: not the printer's ERR CMD


class PrinterTimeout(PrinterOffline):
    """The command (retries included) did not complete within its one deadline: silence,
    or a reply trickling in too slowly to finish in time."""

    default_message = "打印机未在时限内应答，请检查电源和连线 (printer did not answer in time)"
    code = ErrorCode.PRINTER_TIMEOUT


class SettingsNotApplied(PrinterFault):
    """The settings the station relies on (never eject by itself, host owns errors) are not
    confirmed on the printer — it answered them wrongly or rebooted since.  Moving a card
    now could hand it out unfinished, so moves are refused until a reset re-applies them."""

    default_message = "打印机安全设置未生效，请复位打印机 (printer safety settings not applied)"
    code = ErrorCode.PRINTER_SETTINGS_NOT_APPLIED


class NoCardInside(PrinterFault):
    default_message = "打印机内没有卡片 (no card inside the printer)"
    code = ErrorCode.PRINTER_NO_CARD_INSIDE


class FaceError(StationError):
    """Card-face data or layout that cannot be printed; raised before any card is fed."""

    default_message = "卡面数据有误，无法打印 (card face data invalid)"
    code = ErrorCode.FACE


class BadPhoto(FaceError):
    default_message = "照片无法使用（不是图片或分辨率太低），请重新采集 (photo unusable)"
    code = ErrorCode.FACE_BAD_PHOTO


class TextTooLong(FaceError):
    default_message = "卡面文字过长，超出打印区域 (text too long for its field)"
    code = ErrorCode.FACE_TEXT_TOO_LONG


class LayoutError(FaceError):
    default_message = "卡面版式配置有误 (card face layout invalid)"
    code = ErrorCode.FACE_LAYOUT


class MissingGlyph(FaceError):
    default_message = "生僻字缺少字形图片，请补充后再制卡 (rare-character glyph image missing)"
    code = ErrorCode.FACE_MISSING_GLYPH


class FontNotFound(FaceError):
    default_message = (
        "系统中未找到中文字体，请安装 fonts-wqy-microhei 或 fonts-noto-cjk (no CJK font)"
    )
    code = ErrorCode.FACE_FONT_NOT_FOUND
