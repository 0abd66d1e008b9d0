"""The business receipt (业务受理回执) handed back with the card after every PIN service.

A receipt names the service, the card and the holder (SSN masked, see ``audit.mask_ssn``),
the result, and warns the holder how to treat the PIN.  It never carries a PIN: the type has
no field for one, so the text and the PDF cannot contain one by construction.

The PDF uses reportlab's built-in CID font ``STSong-Light`` (Adobe's Song typeface, known to
every PDF viewer), so no font file is needed on the counter PC.
"""

from __future__ import annotations

import datetime as _dt
import io
from dataclasses import dataclass

from station.card.audit import Operation, mask_ssn

RECEIPT_TITLE = "社会保障卡业务受理回执"

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


@dataclass(frozen=True)
class Receipt:
    """One service's receipt.  ``masked_ssn`` is masked on construction whatever is
    passed, so the full number cannot reach paper."""

    station: str
    operator: str
    time: _dt.datetime
    operation: Operation
    card_number: str
    masked_ssn: str
    name: str
    success: bool
    result_text: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "masked_ssn", mask_ssn(self.masked_ssn))

    @property
    def result_line(self) -> str:
        base = "办理成功" if self.success else "办理失败"
        return f"{base}：{self.result_text}" if self.result_text else base

    def lines(self) -> list[tuple[str, str]]:
        """(label, value) pairs in print order."""
        return [
            ("受理网点", self.station),
            ("经办人", self.operator),
            ("办理时间", self.time.strftime("%Y-%m-%d %H:%M:%S")),
            ("业务类型", self.operation.zh),
            ("社保卡号", self.card_number),
            ("社会保障号码", self.masked_ssn),
            ("姓名", self.name),
            ("办理结果", self.result_line),
        ]

    def text(self) -> str:
        """The receipt as plain text (for a slip printer, the screen and the log of the
        printed document)."""
        out = [RECEIPT_TITLE, "=" * 24]
        out += [f"{label}：{value}" for label, value in self.lines()]
        out += ["-" * 24, *PIN_WARNING, "", "持卡人签字：______________"]
        return "\n".join(out) + "\n"

    def pdf(self) -> bytes:
        """The receipt as a one-page A5 PDF (compressed streams, deterministic output)."""
        from reportlab.lib.pagesizes import A5
        from reportlab.lib.units import mm
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.cidfonts import UnicodeCIDFont
        from reportlab.pdfgen import canvas

        font = "STSong-Light"
        if font not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(UnicodeCIDFont(font))
        buf = io.BytesIO()
        c = canvas.Canvas(buf, pagesize=A5, invariant=True, pageCompression=1)
        c.setTitle(RECEIPT_TITLE)
        width, height = A5
        y = height - 20 * mm
        c.setFont(font, 16)
        c.drawCentredString(width / 2, y, RECEIPT_TITLE)
        y -= 12 * mm
        c.setFont(font, 11)
        for label, value in self.lines():
            c.drawString(15 * mm, y, f"{label}：")
            c.drawString(45 * mm, y, value)
            y -= 7.5 * mm
        y -= 3 * mm
        c.line(15 * mm, y + 4 * mm, width - 15 * mm, y + 4 * mm)
        c.setFont(font, 9)
        for line in PIN_WARNING:
            for part in _wrap(line, 30):
                c.drawString(15 * mm, y, part)
                y -= 5.5 * mm
        y -= 8 * mm
        c.setFont(font, 11)
        c.drawString(15 * mm, y, "持卡人签字：")
        c.line(40 * mm, y - 1, 90 * mm, y - 1)
        c.showPage()
        c.save()
        return buf.getvalue()


def _wrap(text: str, width: int) -> list[str]:
    """Split a Chinese sentence into lines of at most ``width`` characters."""
    return [text[i : i + width] for i in range(0, len(text), width)] or [""]
