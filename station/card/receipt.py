"""The business receipt (业务受理回执) handed back with the card after every PIN service.

A receipt names the service, its serial number (受理编号, ``station.card.serial``), the
outlet and the operator (from the station's settings: a receipt without them is refused,
never filled with a login name or a host name), the card and the holder (SSN masked, see
``audit.mask_ssn``), the result, and warns the holder how to treat the PIN.  It never
carries a PIN: the type has no field for one, so the text and the PDF cannot contain one by
construction.

Every text field is checked with ``station.text.single_line`` on construction: a line break
or an escape sequence in an operator name could otherwise add a forged "办理结果" line.
Lines are broken with ``station.text.wrap`` so that no line starts with punctuation.

The PDF embeds a subset of a CJK TrueType font found on the PC (``find_cjk_font``), so any
PDF viewer shows the same glyphs; the non-embedded Adobe CID font used before showed boxes
on viewers without the Asian font pack.
"""

from __future__ import annotations

import datetime as _dt
import io
import shutil
import subprocess
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from station.card.audit import Operation, mask_ssn
from station.errors import ErrorCode, StationError
from station.text import single_line, wrap

RECEIPT_TITLE = "社会保障卡业务受理回执"
TEXT_WIDTH = 40  # columns of the text receipt (an 80 mm slip printer prints 42-48)
RULE = "─" * (TEXT_WIDTH // 2)  # box drawing, not punctuation: no line starts with "-" or "="
PDF_FONT = "StationCJK"

# The holder's warning, in the station's own words (domain: keep the PIN secret, avoid
# trivial PINs, operations with the PIN count as the holder's own, no one official asks for
# it).  Deliberately free of digits so a digit search over a receipt finds only real data.
PIN_WARNING: tuple[str, ...] = (
    "温馨提示：",
    "一、社保应用密码是您本人办理社保业务的凭证，请牢记并妥善保管，切勿告诉任何人。",
    "二、请勿使用过于简单的密码（如全部相同或连续的数字、生日、证件号码末几位）。",
    "三、凭密码办理的业务均视为您本人办理，由此产生的后果由本人承担。",
    "四、工作人员不会通过电话、短信或网络链接向您索要卡号和密码，谨防诈骗。",
)

# TrueType (glyf) CJK fonts reportlab can embed, most common first; fonts-noto-cjk ships
# CFF-flavoured OpenType, which reportlab cannot embed, so it is not listed
KNOWN_FONTS: tuple[tuple[str, int], ...] = (
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
    ("/usr/share/fonts/truetype/arphic/uming.ttc", 0),
    ("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf", 0),
)


# reportlab's TrueType parser raises whatever a malformed or unsupported file provokes
# (TTFError for CFF outlines, KeyError for a missing table, struct.error for a short one)
_FONT_ERRORS = (Exception,)


class ReceiptError(StationError):
    """A receipt the station will not issue (missing operator or outlet, no font)."""

    default_message = "无法出具业务回执 (cannot issue the receipt)"
    code = ErrorCode.RECEIPT


class ReceiptFontMissing(ReceiptError):
    default_message = (
        "未找到可嵌入的中文TrueType字体，无法生成PDF回执 "
        "(no embeddable CJK TrueType font; install fonts-wqy-microhei)"
    )
    code = ErrorCode.RECEIPT_FONT_MISSING


def check_staff(*, outlet: str, operator: str) -> None:
    """The outlet (受理网点) and operator (经办人) a receipt names: both set (from the
    settings; never guessed from a login or host name) and each one printable line.
    Called before a service starts, so a service never ends without its receipt."""
    single_line(outlet, "受理网点 outlet", 40)
    single_line(operator, "经办人 operator", 32)
    if not outlet.strip():
        raise ReceiptError(
            "未设置受理网点，不能出具回执 (outlet is not set; receipt refused)",
            detail="setting outlet (STATION_OUTLET) or --outlet",
        )
    if not operator.strip():
        raise ReceiptError(
            "未设置经办人，不能出具回执 (operator is not set; receipt refused)",
            detail="setting operator (STATION_OPERATOR) or --operator",
        )


@dataclass(frozen=True)
class Receipt:
    """One service's receipt.  ``masked_ssn`` is masked on construction whatever is
    passed, so the full number cannot reach paper.  ``outlet`` (受理网点) and ``operator``
    (经办人) are required; every text field must be one printable line."""

    outlet: str
    operator: str
    time: _dt.datetime
    operation: Operation
    card_number: str
    masked_ssn: str
    name: str
    success: bool
    serial: str
    result_text: str = ""

    def __post_init__(self) -> None:
        check_staff(outlet=self.outlet, operator=self.operator)
        for attr, label, limit in (
            ("serial", "受理编号 serial", 64),
            ("card_number", "社保卡号 card number", 20),
            ("masked_ssn", "社会保障号码 SSN", 32),
            ("name", "姓名 name", 64),
            ("result_text", "办理结果 result", 200),
        ):
            single_line(getattr(self, attr), label, limit)
        if not self.serial.strip():
            raise ReceiptError("回执没有受理编号 (receipt has no serial number)")
        object.__setattr__(self, "masked_ssn", mask_ssn(self.masked_ssn))

    @property
    def result_line(self) -> str:
        base = "办理成功" if self.success else "办理失败"
        return f"{base}：{self.result_text}" if self.result_text else base

    def lines(self) -> list[tuple[str, str]]:
        """(label, value) pairs in print order."""
        return [
            ("受理编号", self.serial),
            ("受理网点", self.outlet),
            ("经办人", self.operator),
            ("办理时间", self.time.strftime("%Y-%m-%d %H:%M:%S")),
            ("业务类型", self.operation.zh),
            ("社保卡号", self.card_number),
            ("社会保障号码", self.masked_ssn),
            ("姓名", self.name),
            ("办理结果", self.result_line),
        ]

    def text(self, width: int = TEXT_WIDTH) -> str:
        """The receipt as plain text (for a slip printer, the screen and the log of the
        printed document), ``width`` columns wide."""
        out = [RECEIPT_TITLE, RULE]
        for label, value in self.lines():
            out += wrap(f"{label}：{value}", width)
        out.append(RULE)
        for line in PIN_WARNING:
            out += wrap(line, width)
        out += ["", "持卡人签字：______________"]
        return "\n".join(out) + "\n"

    def pdf(self, font: tuple[str, int] | None = None) -> bytes:
        """The receipt as a one-page A5 PDF (compressed streams, deterministic output),
        with the CJK font embedded.  ``font`` = (TrueType file, index in a collection);
        default: ``find_cjk_font()``."""
        from reportlab.lib.pagesizes import A5
        from reportlab.lib.units import mm
        from reportlab.pdfbase.pdfmetrics import stringWidth
        from reportlab.pdfgen import canvas

        name = _register(*(font or find_cjk_font()))
        buf = io.BytesIO()
        c = canvas.Canvas(buf, pagesize=A5, invariant=True, pageCompression=1)
        c.setTitle(RECEIPT_TITLE)
        width, height = A5
        y = height - 20 * mm
        c.setFont(name, 16)
        c.drawCentredString(width / 2, y, RECEIPT_TITLE)
        y -= 12 * mm
        c.setFont(name, 11)
        value_width = width - 15 * mm - 45 * mm
        for label, value in self.lines():
            c.drawString(15 * mm, y, f"{label}：")
            for part in wrap(value, int(value_width), lambda s: stringWidth(s, name, 11)):
                c.drawString(45 * mm, y, part)
                y -= 6 * mm
            y -= 1.5 * mm
        y -= 3 * mm
        c.line(15 * mm, y + 4 * mm, width - 15 * mm, y + 4 * mm)
        c.setFont(name, 9)
        text_width = width - 30 * mm
        for line in PIN_WARNING:
            for part in wrap(line, int(text_width), lambda s: stringWidth(s, name, 9)):
                c.drawString(15 * mm, y, part)
                y -= 5.5 * mm
        y -= 8 * mm
        c.setFont(name, 11)
        c.drawString(15 * mm, y, "持卡人签字：")
        c.line(40 * mm, y - 1, 90 * mm, y - 1)
        c.showPage()
        c.save()
        return buf.getvalue()


def _fc_list() -> list[tuple[str, int]]:
    """TrueType CJK fonts fontconfig knows (file, index), or none if it is not there."""
    exe = shutil.which("fc-list")
    if exe is None:
        return []
    try:
        out = subprocess.run(
            [exe, ":lang=zh:fontformat=TrueType", "%{file}\t%{index}\n"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    found = []
    for line in sorted(out.splitlines()):
        path, _, index = line.partition("\t")
        if path and index.isdigit():
            found.append((path, int(index)))
    return found


@cache
def find_cjk_font() -> tuple[str, int]:
    """A CJK TrueType font reportlab can embed: the known Debian paths first, then what
    fontconfig lists.  Raises ``ReceiptFontMissing`` when there is none."""
    from reportlab.pdfbase.ttfonts import TTFont

    tried: list[str] = []
    for path, index in (*KNOWN_FONTS, *_fc_list()):
        if not Path(path).is_file():
            continue
        try:
            TTFont("probe", path, subfontIndex=index)
        except _FONT_ERRORS as exc:
            tried.append(f"{Path(path).name}: {exc}")
            continue
        return path, index
    raise ReceiptFontMissing(detail="; ".join(tried) or "no CJK font file found")


@cache
def _register(path: str, index: int) -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    name = f"{PDF_FONT}-{len(_REGISTERED)}"
    try:
        pdfmetrics.registerFont(TTFont(name, path, subfontIndex=index))
    except _FONT_ERRORS as exc:
        raise ReceiptFontMissing(detail=f"{path}: {exc}") from None
    _REGISTERED.append(name)
    return name


_REGISTERED: list[str] = []
