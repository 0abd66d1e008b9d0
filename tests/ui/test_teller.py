"""Issue 13 #1, the teller's instant issuance, with real widgets over real pcscd + vpcd and
the printer simulator over TCP: a full issuance typed into the empty form with keys only,
the rare-character helper's glyph on the face, a printer fault mid-print -> failure dialog
-> retry on a new blank, make-up or reject, the event loop never blocked, and the teller's
keys counted (the make-up after a killed station: test_teller_killed.py).

Keys go where the focus is (``QApplication.focusWidget()``), as a keyboard's do; a test
never focuses, clicks or sets a widget itself on the path it claims is keyboard-only."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageChops, ImageDraw
from PySide6.QtCore import QBuffer, QIODevice, Qt
from PySide6.QtGui import QImage, QInputMethodEvent
from PySide6.QtWidgets import QApplication, QFileDialog, QInputDialog, QWidget

from station.inventory import State
from station.issuance.states import JobState, WasteCause
from station.printer.sim_mechanics import Where
from station.printer.simulator import Fault, Remedy
from station.profiles import load_card_profile
from station.ui.teller.form_logic import glyph_from_file
from tests.issuance.job_rig import applicant
from tests.ui.clerk_rig import Watchdog
from tests.ui.teller_rig import (
    WAIT_MS,
    Counter,
    InputCounter,
    Teller,
    focused,
    make_counter,
    teller_fixture,
)

pytestmark = pytest.mark.pcsc
S = JobState
CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def counter(vpcd_slots: Any, tmp_path: Path) -> Iterator[Counter]:
    c = make_counter(tmp_path, vpcd_slots, {"ICBC": 3, "CCB": 1})
    try:
        yield c
    finally:
        c.close()


@pytest.fixture
def teller(qtbot: Any, ui_settings: Any, counter: Counter) -> Iterator[Teller]:
    yield from teller_fixture(qtbot, ui_settings, counter)


def _key(t: Teller, key: Qt.Key, mod: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    """One key pressed, where the focus is."""
    t.qtbot.keyClick(focused(), key, mod)


def _type(t: Teller, text: str) -> None:
    t.qtbot.keyClicks(focused(), text)


def _commit(text: str) -> None:
    """Chinese text as an input method commits it (pinyin typed into the IME, then the
    characters chosen): one ``QInputMethodEvent`` to the focused field.  QTest cannot type
    non-ASCII keys (its key table aborts on them), and no IME runs offscreen."""
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(focused(), event)


def _enter_to(t: Teller, widget: QWidget) -> None:
    """Enter: the focus moves on to ``widget`` (the next field)."""
    _key(t, Qt.Key.Key_Return)
    assert focused() is widget, focused()


def _wait_dialog(t: Teller, kind: type[QWidget]) -> QWidget:
    """A dialog of ``kind`` shown and holding the focus (as the teller waits to see it)."""

    def up() -> bool:
        d, w = QApplication.activeModalWidget(), QApplication.focusWidget()
        return isinstance(d, kind) and w is not None and w.window() is d

    t.qtbot.waitUntil(up, timeout=WAIT_MS)
    return QApplication.activeModalWidget()


def _choose_file(t: Teller, path: Path) -> None:
    """In the file dialog now open: the path typed, Enter."""
    dialog = _wait_dialog(t, QFileDialog)
    _type(t, str(path))
    _key(t, Qt.Key.Key_Return)
    t.qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT_MS)


def _wait_issue_ready(t: Teller) -> None:
    t.qtbot.waitUntil(lambda: t.screen.issue_button.isEnabled(), timeout=WAIT_MS)


def _press_issue(t: Teller) -> None:
    _key(t, Qt.Key.Key_Return, CTRL)


def _failure_dialog(t: Teller) -> Any:
    """Issue on a printer with a fault armed: the failure dialog, the job it reports."""
    _press_issue(t)
    t.qtbot.waitUntil(lambda: t.screen.dialog is not None, timeout=WAIT_MS)
    return t.screen.dialog


def _pil(image: QImage) -> Image.Image:
    buf = QBuffer()
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buf, "PNG")
    return Image.open(io.BytesIO(bytes(buf.data()))).convert("RGB")


def test_full_issuance_typed_into_the_form(teller: Teller, tmp_path: Path) -> None:
    """Keyboard-first: from the empty form to a handed-over card, keys only."""
    s, bot, f = teller.screen, teller.qtbot, teller.screen.form
    values = applicant(11)
    photo = tmp_path / "portrait.jpg"
    photo.write_bytes(values["photo"])
    with InputCounter() as inputs:
        bot.waitUntil(lambda: f.ssn.hasFocus(), timeout=WAIT_MS)  # the new form waits here
        _key(teller, Qt.Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)
        assert focused() is f.app_id
        _key(teller, Qt.Key.Key_A, CTRL)  # over the walk-in number the form proposed
        _type(teller, values["application_id"])
        _enter_to(teller, f.ssn)
        wrong = "0" if values["ssn"][-1] != "0" else "1"
        _type(teller, values["ssn"][:-1] + wrong)
        assert "校验" in f.problems["ssn"].text()  # the check character, while typing
        _key(teller, Qt.Key.Key_Backspace)
        _type(teller, values["ssn"][-1])
        assert f.problems["ssn"].text() == ""
        assert f.birth_date.text() == values["birth_date"]  # filled from the ID
        assert f.sex.currentData() == "1" and f.birthplace.text() == values["birthplace"]
        _enter_to(teller, f.name)
        _commit(values["name"])
        assert f.problems["photo"].isVisible()  # an adult needs a photo
        for field in (f.sex, f.birth_date, f.ethnicity, f.birthplace, f.bank):
            _enter_to(teller, field)  # the rare-character button is not a stop
        assert f.bank.currentData() == "CCB"  # the first bank of the drawer ...
        _type(teller, "I")  # ... but the hopper holds ICBC first
        assert f.bank.currentData() == "ICBC"
        _enter_to(teller, f.reason)
        _enter_to(teller, f.choose_photo)
        _key(teller, Qt.Key.Key_Return)  # Enter on the button opens the file dialog
        _choose_file(teller, photo)
        bot.waitUntil(lambda: f.photo is not None, timeout=WAIT_MS)
        _wait_issue_ready(teller)
        bot.waitUntil(lambda: s.face.shown is not None or bool(s.face.note.text()), timeout=WAIT_MS)
        assert s.face.shown is not None, s.face.note.text()  # the live face preview
        with bot.waitSignal(s.ctl.issued, timeout=WAIT_MS) as sig:
            _press_issue(teller)
            bot.waitUntil(lambda: s.dialog is not None or s.last is not None, timeout=WAIT_MS)
            assert s.dialog is None, (s.progress.seen, s.dialog.what.text())
        out = sig.args[0]
        assert out.ok and out.job.state is S.COMPLETED
        assert "card_number" not in s.progress.seen and "done" in s.progress.seen
        assert s.progress.seen[0] == "check" and "print" in s.progress.seen
        assert out.job.card_number in s.receipt.preview.toPlainText()
        assert values["ssn"] not in s.receipt.preview.toPlainText()  # masked
        inv = teller.ctx.inventory
        assert inv.blank(out.job.card_number).state is State.ISSUED
        assert inv.blank(out.job.card_number).bank == "ICBC"
        bot.waitUntil(lambda: s.day.values[0].text() == "1", timeout=WAIT_MS)
        _key(teller, Qt.Key.Key_P, CTRL)
    assert s.handed_over and teller.receipts[0].stat().st_size > 1000
    assert f.ssn.text() == "" and f.app_id.text() != values["application_id"]
    assert inputs.mouse == 0 and len(inputs.keys) > 40, inputs.keys


def test_rare_character_helper_puts_the_glyph_on_the_face(teller: Teller, tmp_path: Path) -> None:
    s, bot, f = teller.screen, teller.qtbot, teller.screen.form
    f.fill(applicant(16, name="刘"))
    _wait_issue_ready(teller)
    bot.waitUntil(lambda: s.face.shown is not None, timeout=WAIT_MS)
    plain = s.face.shown
    glyph = _glyph(tmp_path / "yan.png")
    _enter_to(teller, f.name)
    _key(teller, Qt.Key.Key_End)
    _key(teller, Qt.Key.Key_G, CTRL)  # the rare-character helper
    _wait_dialog(teller, QInputDialog)
    _type(teller, "yan")
    _key(teller, Qt.Key.Key_Return)
    _choose_file(teller, glyph)  # then its glyph image
    assert f.name.text() == "刘[YAN]" and f.glyphs == {"YAN": glyph_from_file(glyph)}
    assert f.problems["name"].text() == ""
    _wait_issue_ready(teller)
    assert s.app is not None and s.app.glyphs == f.glyphs  # what Issue hands to the job
    bot.waitUntil(lambda: s.face.shown is not plain, timeout=WAIT_MS)
    before, after = _pil(plain), _pil(s.face.shown)
    drawn = ImageChops.difference(before, after).getbbox()
    assert drawn is not None  # the preview changed ...
    name = load_card_profile(teller.ctx.settings.blank_profile).face.name.box().px()
    left, top, right, bottom = (v + 20 for v in name)  # the preview's card sits 20 px in
    assert left < drawn[0] and drawn[2] < right, (drawn, name)  # ... on the name line
    assert top - 5 <= drawn[1] and drawn[3] <= bottom + 5, (drawn, name)
    with bot.waitSignal(s.ctl.issued, timeout=WAIT_MS) as sig:
        _press_issue(teller)
    face = sig.args[0].face
    assert face is not None
    printed = Image.open(face).convert("RGB")
    assert printed.crop(drawn).tobytes() == after.crop(drawn).tobytes()  # printed as shown


def _glyph(path: Path) -> Path:
    """A rare character's glyph scan: a boxed cross (drawn, no font has it)."""
    img = Image.new("L", (240, 240), 255)
    d = ImageDraw.Draw(img)
    d.rectangle((30, 20, 210, 220), outline=0, width=16)
    d.line((30, 120, 210, 120), fill=0, width=14)
    d.line((120, 20, 120, 220), fill=0, width=14)
    img.save(path)
    return path


def test_printer_fault_mid_print_then_retry_on_a_new_blank(teller: Teller) -> None:
    s, bot, sim = teller.screen, teller.qtbot, teller.counter.sim
    values = applicant(12)
    s.form.fill(values)
    _wait_issue_ready(teller)
    sim.inject(Fault.RIBBON_END, 2)  # the ribbon ends during the 2nd panel
    _press_issue(teller)
    bot.waitUntil(lambda: s.dialog is not None, timeout=WAIT_MS)
    d = s.dialog
    assert d is not None
    failed = d.failure.outcome.job
    assert failed.state is S.FAILED and failed.cause is WasteCause.PRINT_FAULT
    assert "色带" in d.what.text() and "打印故障" in d.what.text()  # what, and the cause
    assert "废卡" in d.where.text() or "作废" in d.where.text()  # where: spoiled, reject box
    assert d.retry.isVisible() and d.retry.isDefault()
    assert teller.ctx.inventory.blank(failed.card_number).state is State.SPOILED
    sim.remedy(Remedy.LOAD_RIBBON)  # the teller changes the ribbon
    with bot.waitSignal(s.ctl.issued, timeout=WAIT_MS) as sig:
        bot.keyClick(d, Qt.Key.Key_Return)  # Enter: retry on a new blank
    retry = sig.args[0].job
    assert retry.state is S.COMPLETED and retry.retry_of == failed.job_id
    assert retry.card_number != failed.card_number
    bot.waitUntil(lambda: s.day.values[3].text() == "1", timeout=WAIT_MS)  # one spoiled


def test_event_loop_never_blocked_during_an_issuance(teller: Teller) -> None:
    s, bot = teller.screen, teller.qtbot
    s.form.fill(applicant(14))
    _wait_issue_ready(teller)
    dog = Watchdog()
    dog.start()
    with bot.waitSignal(s.ctl.issued, timeout=WAIT_MS):
        _press_issue(teller)
    largest = dog.stop()
    print(f"\nlargest event-loop gap during an issuance: {largest} ms ({dog.ticks} ticks)")
    assert dog.ticks > 20 and largest < 100


def test_failure_dialog_reject_records_the_cause_and_stops(teller: Teller) -> None:
    s, bot, sim = teller.screen, teller.qtbot, teller.counter.sim
    values = applicant(17)
    s.form.fill(values)
    _wait_issue_ready(teller)
    sim.inject(Fault.RIBBON_END, 2)  # the ribbon ends during the 2nd panel
    d = _failure_dialog(teller)
    assert d.reject_button.isVisible() and not d.makeup.isVisible()
    _key(teller, Qt.Key.Key_Tab)  # from Retry (the default) to Reject
    assert focused() is d.reject_button
    _key(teller, Qt.Key.Key_Return)
    bot.waitUntil(lambda: s.dialog is None, timeout=WAIT_MS)
    (job,) = s.ctl.journal.jobs(application_id=values["application_id"])  # no retry
    assert job.state is S.FAILED and job.cause is WasteCause.PRINT_FAULT  # cause recorded
    assert teller.ctx.inventory.blank(job.card_number).state is State.SPOILED
    card = next(c for c in sim.cards if c.name == job.card_number)
    assert card.where is Where.REJECT  # in the reject box, as the dialog said
    assert not (s.ctl.kept_dir / f"{values['application_id']}.json").exists()
    assert s.form.ssn.text() == "" and s.form.app_id.text() != values["application_id"]
    bot.waitUntil(lambda: s.day.values[2].text() == "1", timeout=WAIT_MS)  # one failed
    assert s.day.values[3].text() == "1" and s.day.values[0].text() == "0"


def test_failure_dialog_makeup_finishes_without_printing_again(teller: Teller) -> None:
    s, bot, sim = teller.screen, teller.qtbot, teller.counter.sim
    values = applicant(18)
    s.form.fill(values)
    _wait_issue_ready(teller)
    _open_cover_at_eject(teller)  # the face is printed, the eject refused
    d = _failure_dialog(teller)
    failed = d.failure.outcome.job
    assert failed.state is S.MAKEUP_PENDING and failed.cause is None, d.what.text()
    assert d.makeup.isVisible() and d.makeup.isDefault() and focused() is d.makeup
    assert not d.retry.isVisible() and not d.reject_button.isVisible()
    assert "盖" in d.what.text() and "打印机内" in d.where.text()  # cover open, card inside
    assert "请勿取出" in d.where.text()  # make-up reads it in the printer: leave it there
    printed = sim.state().printed
    _key(teller, Qt.Key.Key_Return)  # make-up, the cover still open: refused, and said so
    bot.waitUntil(lambda: s.dialog not in (None, d), timeout=WAIT_MS)
    d = s.dialog
    assert d.failure.outcome.job.state is S.MAKEUP_PENDING and d.makeup.isDefault()
    assert "打印机内" in d.where.text() and "盖" in d.what.text()  # still owed, still inside
    sim.remedy(Remedy.CLOSE_COVER)
    with bot.waitSignal(s.ctl.issued, timeout=WAIT_MS) as sig:
        _key(teller, Qt.Key.Key_Return)  # Enter: make-up
    job = sig.args[0].job
    assert job.job_id == failed.job_id and job.state is S.COMPLETED and job.made_up
    assert teller.ctx.inventory.blank(job.card_number).state is State.ISSUED
    assert sim.state().printed == printed and sim.state().bezel  # never printed twice, out
    assert "补登" in s.receipt.preview.toPlainText()
    bot.waitUntil(lambda: s.day.values[1].text() == "1", timeout=WAIT_MS)  # one made up


def _open_cover_at_eject(t: Teller) -> None:
    """Someone opens the printer's cover just as the printed card is to be ejected: the
    app's own printer connection, its ``eject`` preceded by the cover opening."""
    device = t.ctx.workers.printer_device()
    eject = device.eject

    def opened_first() -> None:
        device.eject = eject  # once
        t.counter.sim.inject(Fault.COVER_OPEN)
        eject()

    device.eject = opened_first


def test_happy_path_actions_from_a_filled_form(teller: Teller, capsys: Any) -> None:
    """Count what the teller does from a filled form to a handed-over card: every key
    and mouse button the application receives, counted by an event filter on it."""
    s, bot = teller.screen, teller.qtbot
    s.form.fill(applicant(15))
    _wait_issue_ready(teller)
    with InputCounter() as inputs:
        with bot.waitSignal(s.ctl.issued, timeout=WAIT_MS):
            _press_issue(teller)
        assert QApplication.activeModalWidget() is None  # nothing to answer on the way
        _key(teller, Qt.Key.Key_P, CTRL)
    assert s.handed_over and teller.receipts and teller.receipts[-1].exists()
    with capsys.disabled():
        print(
            f"\nteller actions from a filled form: {len(inputs.keys)} "
            f"({', '.join(inputs.keys)}), mouse {inputs.mouse}"
        )
    assert inputs.keys == ["Ctrl+Return issue", "Ctrl+P receipt"] and inputs.mouse == 0
