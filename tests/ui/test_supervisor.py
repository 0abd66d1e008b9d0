# ruff: noqa: F811  (fixtures imported by name, then requested as parameters)
"""The supervisor's stock screens driven through real widgets (offscreen) over a real stock
book — a SQLite file and a PostgreSQL schema: stock-in → allocate → count with a
discrepancy → resolve → destroy with two signers → reports, the ledger check, sorting and
filtering, the registers and the outbox."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from station.config import Settings
from station.inventory import Inventory, LocationKind, State
from station.inventory.manifest import format_manifest
from station.inventory.samples import sample_cards, sample_manifest
from station.ui import i18n
from station.ui.supervisor import Book, Supervisor
from station.ui.supervisor.controllers.books import ReportKind
from station.ui.workers import DeviceWorker
from tests.inventory.conftest import (  # noqa: F401  (fixtures are found by name)
    FAST_HASHER,
    PASSWORDS,
    Clock,
    Db,
    _private_station_files,
    clock,
    db,
    pg_url,
    setup_book,
)
from tests.ui.test_i18n import raw_codes_shown

WAIT = 15_000  # ms: a generous deadline for one database job on a shared 2-CPU machine


@pytest.fixture
def book_inv(db: Db, clock: Clock) -> Inventory:
    inv = Inventory(db.engine, clock=clock, tz=dt.UTC)
    setup_book(inv)
    inv.auth.sign_out("sup2")  # the witness must sign in inside the dialog, not before
    return inv


@pytest.fixture
def screen(qtbot, book_inv: Inventory, ui_settings: Settings) -> Iterator[Supervisor]:
    worker = DeviceWorker("database")
    sup = Supervisor(Book(book_inv, "sup", worker, ui_settings))
    qtbot.addWidget(sup)
    sup.resize(1200, 800)
    sup.show()
    yield sup
    worker.stop()


def click(qtbot, button: QPushButton) -> None:
    assert button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def type_path(qtbot, edit, path: Path) -> None:
    edit.clear()
    qtbot.keyClicks(edit, str(path))


def _stock_in(qtbot, sup: Supervisor, inv: Inventory, tmp_path: Path) -> None:
    page = sup.stockin
    sup.setCurrentWidget(page)
    # a manifest with a wrong check character on line 3: refused whole, line named
    cards = sample_cards(12, prefix="A1")
    bad = format_manifest(cards).splitlines()
    number = cards[1].card_number
    wrong = number[:-1] + ("0" if number[-1] != "0" else "1")
    bad[2] = bad[2].replace(number, wrong)
    (tmp_path / "bad.csv").write_text("\n".join(bad) + "\n", encoding="utf-8")
    type_path(qtbot, page.path.edit, tmp_path / "bad.csv")
    click(qtbot, page.preview_button)
    qtbot.waitUntil(lambda: page.problems.model.rowCount() > 0, timeout=WAIT)
    assert page.problems.model.rows[0][0] == 3
    assert not page.import_button.isEnabled() and not page.status.ok
    assert inv.blanks() == []  # nothing half-imported
    # the good file: previewed, then imported whole
    (tmp_path / "good.csv").write_text(format_manifest(cards), encoding="utf-8")
    type_path(qtbot, page.path.edit, tmp_path / "good.csv")
    qtbot.keyClick(page.path.edit, Qt.Key.Key_Return)
    qtbot.waitUntil(page.import_button.isEnabled, timeout=WAIT)
    assert page.cards.model.rowCount() == 12 and page.problems.model.rowCount() == 0
    click(qtbot, page.import_button)
    qtbot.waitUntil(lambda: len(inv.blanks(state=State.IN_VAULT)) == 12, timeout=WAIT)
    qtbot.waitUntil(lambda: "12" in page.status.text(), timeout=WAIT)


def _shown(table, column: int) -> list[str]:
    """What a table shows in ``column``, in the order shown."""
    proxy = table.proxy
    return [str(proxy.data(proxy.index(r, column))) for r in range(proxy.rowCount())]


def _states_in_words(qtbot, sup: Supervisor) -> None:
    """The stock table shows states and the vault in words, in the language chosen; the
    filter matches the words, the model keeps the codes and sorts by them."""
    table = sup.allocation.stock
    i18n.set_language("zh_CN")
    assert sorted(_shown(table, 2)) == ["在卡箱", "在金库"], table.model.rows
    assert sorted(_shown(table, 0)) == ["D1", "金库"]
    table.filter.setText("卡箱")  # typed as an input method commits it
    assert [r[2] for r in table.visible_rows()] == [State.IN_DRAWER.value]
    table.filter.clear()
    table.view.sortByColumn(2, Qt.SortOrder.DescendingOrder)
    assert [r[2] for r in table.visible_rows()] == [State.IN_VAULT.value, State.IN_DRAWER.value]
    i18n.set_language("en")
    assert _shown(table, 2) == ["In the vault", "In a drawer"] and "Vault" in _shown(table, 0)
    i18n.set_language("zh_CN")
    assert raw_codes_shown(sup) == []


def _allocate(qtbot, sup: Supervisor, inv: Inventory) -> None:
    page = sup.allocation
    sup.setCurrentWidget(page)
    click(qtbot, page.refresh_button)
    qtbot.waitUntil(lambda: page.location.findText("D1") >= 0, timeout=WAIT)
    qtbot.waitUntil(lambda: page.stock.model.rowCount() == 1, timeout=WAIT)
    page.location.setCurrentText("D1")
    page.bank.setCurrentText("ICBC")
    page.count.clear()
    qtbot.keyClicks(page.count, "5")
    click(qtbot, page.allocate_button)
    qtbot.waitUntil(lambda: len(inv.blanks(location="D1")) == 5, timeout=WAIT)
    qtbot.waitUntil(lambda: page.stock.model.rowCount() == 2, timeout=WAIT)
    _states_in_words(qtbot, sup)


def _teller_spoils_two(inv: Inventory) -> list[str]:
    """The teller's day, outside this screen: two blanks ruined by print faults."""
    assert inv.count("D1", by="t1", counted={"ICBC": 5}).matched  # the morning count
    spoiled = []
    for job in ("job-1", "job-2"):
        b = inv.reserve("D1", "ICBC", job, by="t1")
        inv.spoil(b.card_number, "print_fault", by="t1", job_id=job)
        spoiled.append(b.card_number)
    return spoiled


def _count_and_resolve(qtbot, sup: Supervisor, inv: Inventory) -> str:
    page = sup.counting
    sup.setCurrentWidget(page)
    qtbot.waitUntil(lambda: page.location.findText("D1") >= 0, timeout=WAIT)
    page.location.setCurrentText("D1")
    click(qtbot, page.start_button)
    qtbot.waitUntil(lambda: page.pages.currentIndex() == 1, timeout=WAIT)
    on_shelf = sorted(b.card_number for b in inv.blanks(location="D1", state=State.IN_DRAWER))
    assert len(on_shelf) == 3
    qtbot.keyClicks(page.scan, on_shelf[0])  # scanned: the scanner ends with Enter
    qtbot.keyClick(page.scan, Qt.Key.Key_Return)
    qtbot.keyClicks(page.scan, on_shelf[1].lower() + " " + on_shelf[0])  # typed, repeated
    qtbot.keyClick(page.scan, Qt.Key.Key_Return)
    assert page.seen.count() == 2
    click(qtbot, page.submit_button)
    qtbot.waitUntil(lambda: page.pages.currentIndex() == 2, timeout=WAIT)
    assert page.missing.model.rows == [(on_shelf[2],)]
    assert page.lines.model.rows == [("ICBC", 3, 2, -1)]
    assert "#" in page.banner.text() and "b00020" in page.banner.styleSheet()
    assert page.resolve_button.isEnabled()
    # tick the missing card as lost with the keyboard, write the note, resolve
    page.missing.view.setCurrentIndex(page.missing.proxy.index(0, 0))
    qtbot.keyClick(page.missing.view, Qt.Key.Key_Space)
    assert page.missing.model.checked == {0}
    qtbot.keyClicks(page.note, "card not found after search")
    click(qtbot, page.resolve_button)
    qtbot.waitUntil(lambda: not page.resolve_button.isEnabled(), timeout=WAIT)
    assert inv.blank(on_shelf[2]).state is State.LOST
    assert inv.status().discrepancies == ()
    return on_shelf[2]


def _destroy(qtbot, sup: Supervisor, inv: Inventory, spoiled: list[str]) -> None:
    page = sup.destruction
    sup.setCurrentWidget(page)
    page.ctl.refresh()
    qtbot.waitUntil(lambda: page.table.model.rowCount() == 2, timeout=WAIT)
    assert _shown(page.table, 2) == ["打印故障", "打印故障"]  # the cause in words
    click(qtbot, page.all_button)
    qtbot.keyClicks(page.reason, "shredded")
    # the operator cannot witness their own destruction
    click(qtbot, page.destroy_button)
    assert page.dialog is not None and page.dialog.isVisible()
    qtbot.keyClicks(page.dialog.name, "sup")
    qtbot.keyClick(page.dialog.name, Qt.Key.Key_Return)  # moves to the password
    qtbot.keyClicks(page.dialog.password, PASSWORDS["sup"])
    qtbot.keyClick(page.dialog.password, Qt.Key.Key_Return)
    assert not page.status.ok and page.dialog.password.text() == ""
    # a wrong password of the right person: refused, nothing destroyed
    click(qtbot, page.destroy_button)
    qtbot.keyClicks(page.dialog.name, "sup2")
    qtbot.keyClicks(page.dialog.password, "not-the-password")
    qtbot.keyClick(page.dialog.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not page.status.ok and "sup2" not in page.status.text(), timeout=WAIT)
    qtbot.waitUntil(lambda: not page.ctl.busy, timeout=WAIT)
    assert inv.blanks(state=State.DESTROYED) == []
    # the second signer signs in inside the dialog
    click(qtbot, page.destroy_button)
    qtbot.keyClicks(page.dialog.name, "sup2")
    qtbot.keyClicks(page.dialog.password, PASSWORDS["sup2"])
    qtbot.keyClick(page.dialog.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(inv.blanks(state=State.DESTROYED)) == 2, timeout=WAIT)
    qtbot.waitUntil(lambda: page.table.model.rowCount() == 0, timeout=WAIT)
    assert page.status.ok
    assert not inv.auth.is_signed_in("sup2")  # the witness's session ended with the act
    assert sorted(b.card_number for b in inv.blanks(state=State.DESTROYED)) == sorted(spoiled)


def _show(qtbot, page, kind: ReportKind) -> None:
    page.kind.setCurrentIndex(page.kind.findData(kind))
    qtbot.waitUntil(
        lambda: page.ctl.report is not None and page.ctl.report.kind is kind, timeout=WAIT
    )


def _reports(qtbot, sup: Supervisor, tmp_path: Path) -> None:
    page = sup.reports
    sup.setCurrentWidget(page)
    _show(qtbot, page, ReportKind.DESTROYED)
    assert page.table.model.rowCount() == 2
    assert {r[6] for r in page.table.model.rows} == {"sup2"}  # the witness, in the report
    assert set(_shown(page.table, 1)) == {"销毁"} and set(_shown(page.table, 4)) == {"废卡箱"}
    _show(qtbot, page, ReportKind.SPOILED_BY_CAUSE)
    assert page.table.model.rows == [("print_fault", 2, "100.0%")]
    assert _shown(page.table, 0) == ["打印故障"]
    _show(qtbot, page, ReportKind.WASTE_RATE)
    assert page.table.model.rows == [("ICBC", 0, 2, "100.0%")]
    _show(qtbot, page, ReportKind.BALANCE)
    d1 = [r for r in page.table.model.rows if r[1] == "D1"]
    assert d1 and d1[0][3:12] == (0, 5, 0, 0, 2, 0, 0, 1, 2)  # opening … closing
    assert all(r[12] == "是 yes" for r in page.table.model.rows)
    assert set(_shown(page.table, 12)) == {"是"} and "金库" in _shown(page.table, 1)
    assert raw_codes_shown(sup) == []
    type_path(qtbot, page.out.edit, tmp_path / "out" / "balance.csv")
    click(qtbot, page.csv_button)
    qtbot.waitUntil((tmp_path / "out" / "balance.csv").exists, timeout=WAIT)
    with open(tmp_path / "out" / "balance.csv", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    assert rows[0][0] == "日期 day" and any(r[1] == "D1" and r[11] == "2" for r in rows[1:])
    click(qtbot, page.pdf_button)
    qtbot.waitUntil((tmp_path / "out" / "balance.pdf").exists, timeout=WAIT)
    assert (tmp_path / "out" / "balance.pdf").read_bytes().startswith(b"%PDF")
    assert (tmp_path / "out" / "balance.pdf").stat().st_mode & 0o077 == 0


def test_supervisor_stock_in_allocate_count_resolve_destroy_report(
    qtbot, screen: Supervisor, book_inv: Inventory, tmp_path: Path
) -> None:
    inv = book_inv
    _stock_in(qtbot, screen, inv, tmp_path)
    _allocate(qtbot, screen, inv)
    spoiled = _teller_spoils_two(inv)
    _count_and_resolve(qtbot, screen, inv)
    _destroy(qtbot, screen, inv, spoiled)
    _reports(qtbot, screen, tmp_path)
    rep = inv.verify_ledger()
    assert rep.ok and not rep.mismatches


def test_ledger_check_witnesses_the_head(
    qtbot, screen: Supervisor, book_inv: Inventory, ui_settings: Settings
) -> None:
    book_inv.stock_in(sample_manifest(3, prefix="C3"), by="sup")
    page = screen.ledger
    screen.setCurrentWidget(page)
    click(qtbot, page.verify_button)
    qtbot.waitUntil(lambda: bool(page.status.text()), timeout=WAIT)
    assert page.status.ok, page.status.text()
    _rows, head = book_inv.head()
    assert head in page.head.text()
    witness = ui_settings.witness_path().read_text(encoding="utf-8")
    assert head in witness
    # a second check finds the witnessed head in the chain
    page.status.clear()
    click(qtbot, page.verify_button)
    qtbot.waitUntil(lambda: bool(page.status.text()), timeout=WAIT)
    assert page.status.ok and "1" in page.status.text()


def test_tables_sort_and_filter(qtbot, screen: Supervisor, book_inv: Inventory) -> None:
    book_inv.add_location("D3", LocationKind.DRAWER, owner="t2", by="sup", name="window-3")
    reg = screen.registry
    screen.setCurrentWidget(reg)
    reg.ctl.refresh()
    table = reg.locations.table
    qtbot.waitUntil(lambda: any(r[0] == "D3" for r in table.model.rows), timeout=WAIT)
    codes = [r[0] for r in table.visible_rows()]
    table.view.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    assert [r[0] for r in table.visible_rows()] == sorted(codes, reverse=True)
    qtbot.keyClicks(table.filter, "WINDOW")
    assert [r[0] for r in table.visible_rows()] == ["D3"], (table.filter.text(), table.model.rows)
    table.filter.clear()
    assert len(table.visible_rows()) == len(codes)


def test_registers_add_user_bank_maker_location(
    qtbot, screen: Supervisor, book_inv: Inventory
) -> None:
    reg = screen.registry
    screen.setCurrentWidget(reg)
    qtbot.keyClicks(reg.banks.fields["code"], "BOC")
    qtbot.keyClicks(reg.banks.fields["name"], "Bank of China")
    click(qtbot, reg.banks.add_button)
    qtbot.waitUntil(lambda: ("BOC", "Bank of China") in reg.banks.table.model.rows, timeout=WAIT)
    qtbot.keyClicks(reg.makers.fields["code"], "M09")
    click(qtbot, reg.makers.add_button)
    qtbot.waitUntil(lambda: any(r[0] == "M09" for r in reg.makers.table.model.rows), timeout=WAIT)
    qtbot.keyClicks(reg.users.fields["name"], "t9")
    click(qtbot, reg.users.add_button)
    qtbot.waitUntil(lambda: any(r[0] == "t9" for r in reg.users.table.model.rows), timeout=WAIT)
    assert "t9" in reg.status.text() and reg.status.ok  # the one-time code, shown once
    loc = reg.locations
    qtbot.keyClicks(loc.fields["code"], "D9")
    qtbot.keyClicks(loc.fields["owner"], "t9")
    click(qtbot, loc.add_button)
    qtbot.waitUntil(lambda: any(r[0] == "D9" for r in loc.table.model.rows), timeout=WAIT)
    assert next(x for x in book_inv.locations() if x.code == "D9").owner == "t9"
    # a duplicate is refused in words
    qtbot.keyClicks(loc.fields["code"], "D9")
    click(qtbot, loc.add_button)
    qtbot.waitUntil(lambda: not reg.status.ok, timeout=WAIT)
    assert "D9" in reg.status.text() or "exists" in reg.status.text()


def test_shell_shows_the_stock_screens_to_a_signed_in_supervisor(
    qtbot, app_ctx, tmp_path: Path
) -> None:
    """Through the main window: the supervisor signs in, gets the stock tabs over the book
    they signed in to; locking drops them."""
    from station.inventory import make_engine, migrate
    from station.ui.shell import MainWindow

    engine = make_engine(f"sqlite:///{tmp_path / 'shell.sqlite3'}")
    migrate(engine)
    inv = Inventory(engine, tz=dt.UTC)
    setup_book(inv)
    inv.auth.sign_out("sup")  # the window signs in with the password typed
    window = MainWindow(app_ctx, inventory_factory=lambda: inv)
    qtbot.addWidget(window)
    window.show()
    qtbot.keyClicks(window.signin.user, "sup")
    qtbot.keyClicks(window.signin.password, PASSWORDS["sup"])
    qtbot.keyClick(window.signin.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "stock" in window.screens, timeout=WAIT)
    sup = window.screens["stock"]
    assert isinstance(sup, Supervisor) and sup.book.operator == "sup" and sup.book.inv is inv
    qtbot.waitUntil(lambda: sup.registry.users.table.model.rowCount() == 6, timeout=WAIT)
    window.lock()
    assert window.locked and "stock" not in window.screens
    window.close()  # stops the window's database worker
    engine.dispose()


def test_every_supervisor_text_in_both_languages(
    qtbot, book_inv: Inventory, ui_settings: Settings
) -> None:
    """Each tab's texts, walked in English and in Chinese against the .ts files."""
    from tests.ui.test_i18n import check_screen

    worker = DeviceWorker("database")

    def build() -> Supervisor:
        sup = Supervisor(Book(book_inv, "sup", worker, ui_settings))
        qtbot.waitUntil(lambda: not worker.busy, timeout=WAIT)  # every list loaded
        return sup

    try:
        assert check_screen(qtbot, build) > 60
    finally:
        worker.stop()
