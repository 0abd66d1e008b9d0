"""Issue 12 #5: every visible string of every screen exists in Chinese and English.

Each screen is built (with real data where it shows any: the teller's and the supervisor's
screens over a real stock book, the bench with a printer status, every variant of the
failure dialog), then walked in both languages, switched at run time the way the language
menu does it.  The walk reads every text a user can see: labels, buttons, group box and
window titles, tabs, menus and their actions, table headers (``headerData`` of any item
view's model), list items, combo-box items, placeholder texts, tooltips, status tips,
spin-box prefixes and suffixes.  Table cells are the book's rows and are not read, except
the columns a supervisor's table shows as words (``RowsModel.words``: a blank's state, a
ledger action, a location kind …), read as data; and no cell of a supervisor's table may
show one of the book's codes as it is (``raw_codes_shown``).

Each text must be, piece by piece (pieces are split at ": ", " — ", two spaces and line
breaks), a translation from ``station_en.ts`` in English and the translation of the *same*
source from ``station_zh_CN.ts`` in Chinese, or a ``%1`` template of the .ts filled with the
same values in both, or one of the core's bilingual messages (``"中文 (English)"`` or
``("中文", "English")`` in station's own source) shown in the language chosen — so a string
without ``tr()``, missing from a .ts, or not switched at run time fails.

Widgets marked ``data`` hold data (names, numbers, paths, card data, the core's words about
them), sometimes around interface words ("Witness file: <path>").  They are walked with the
same rules, and a piece may also be the same in both languages — unless it is interface
text of the .ts (a translation missing) or a core message (left in the other language when
the language changed).  A text without ``tr()`` inside such a widget looks like data and is
the one thing this cannot tell; each ``data`` mark was read for that.
"""

from __future__ import annotations

import ast
import dataclasses
import datetime as dt
import re
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QAbstractListModel, QEvent, QSortFilterProxyModel, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDoubleSpinBox,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QMainWindow,
    QMenu,
    QPlainTextEdit,
    QSpinBox,
    QTabBar,
    QTableView,
    QTextEdit,
    QTreeView,
    QWidget,
)

from station.config import Settings
from station.issuance.states import WasteCause
from station.ui import i18n

STATION = Path(__file__).resolve().parents[2] / "station"
SPLIT = re.compile(r": |：| — |  +|\n")
CJK = re.compile(r"[\u3400-\u9fff]")
TEMPLATE_ARG = re.compile(r"%(?:n|\d)|\{\d\}")  # Qt's %1 %n, and str.format's {0}
CODE_FIRST = re.compile(r"^(?P<data>[\w.-]*\d[\w.-]*) (?P<text>.+)$", re.S)  # "01 Han"
COUNT_LAST = re.compile(r"^(?P<text>.+) (?P<data>\(\d+\))$", re.S)  # "Teller (3)"


# -- what a user sees ----------------------------------------------------------------------------


def _actions(key: str, actions: list[QAction], out: dict[str, str]) -> None:
    for i, act in enumerate(actions):
        if act.isSeparator() or not act.isVisible():
            continue
        if act.text():
            out[f"{key}:action{i}"] = act.text()
        if act.toolTip() and act.toolTip() != act.text().replace("&", ""):
            out[f"{key}:action{i}:tip"] = act.toolTip()
        menu = act.menu()
        if isinstance(menu, QMenu):
            _actions(f"{key}:action{i}", menu.actions(), out)


def _headers(key: str, view: QAbstractItemView, out: dict[str, str]) -> None:
    model = view.model()
    if model is None:
        return
    header: QHeaderView | None = None
    if isinstance(view, QTableView):
        header = view.horizontalHeader()
    elif isinstance(view, QTreeView):
        header = view.header()
    if header is None or header.isHidden():
        return
    for i in range(model.columnCount()):
        text = model.headerData(i, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole)
        if text not in (None, ""):
            out[f"{key}:col{i}"] = str(text)


def _word_cells(key: str, view: QAbstractItemView, out: dict[str, str]) -> None:
    """The cells of the columns a table shows as words (its model's ``words``)."""
    model = view.model()
    source = model.sourceModel() if isinstance(model, QSortFilterProxyModel) else model
    columns = getattr(source, "words", None)
    if model is None or not columns:
        return
    for r in range(model.rowCount()):
        for c in sorted(columns):
            text = model.data(model.index(r, c), Qt.ItemDataRole.DisplayRole)
            if text not in (None, ""):
                out[f"{key}:row{r}:col{c}"] = str(text)


def raw_codes() -> frozenset[str]:
    """The book's codes a supervisor's table must show as words, never as they are: blank
    states, ledger actions, location kinds, roles, waste causes, registration results and
    flags.  (A location's code — ``VAULT``, ``D1`` — is a code people type, shown as is in
    the register's code column.)"""
    from station.inventory.models import Action, LocationKind, Role, State

    return frozenset(
        {x.value for x in State}
        | {x.value for x in Action}
        | {x.value for x in LocationKind}
        | {x.value for x in Role}
        | {x.value for x in WasteCause}
        | {"completed", "made_up", "failed", "True", "False", "是 yes", "否 NO"}
    )


def raw_codes_shown(root: QWidget) -> list[str]:
    """Every cell of every table under ``root`` that shows one of ``raw_codes()``."""
    raw = raw_codes()
    found = []
    for view in root.findChildren(QAbstractItemView):
        model = view.model()
        if model is None or isinstance(view, QHeaderView):
            continue
        columns = 1 if isinstance(model, QAbstractListModel) else model.columnCount()
        for r in range(model.rowCount()):
            for c in range(columns):
                text = model.data(model.index(r, c), Qt.ItemDataRole.DisplayRole)
                if str(text) in raw:
                    found.append(f"{type(view.parent()).__name__} row {r} col {c}: {text}")
    return found


def texts(root: QWidget) -> tuple[dict[str, str], set[str]]:
    """Visible texts keyed by a stable path (widget order + part), and the keys that belong
    to widgets marked ``data``."""
    out: dict[str, str] = {}
    data: set[str] = set()
    widgets = [root, *root.findChildren(QWidget)]
    for n, w in enumerate(widgets):
        if w.property("pin") or w.property("secret"):
            continue  # a PIN or password field: never read
        key = f"{n}:{type(w).__name__}"
        mine: dict[str, str] = {}
        if w.isWindow() and w.windowTitle():
            mine[key + ":title"] = w.windowTitle()
        if isinstance(w, QLabel | QAbstractButton) and w.text():
            mine[key] = w.text()
        if isinstance(w, QGroupBox) and w.title():
            mine[key + ":box"] = w.title()
        if isinstance(w, QTabBar):
            for i in range(w.count()):
                mine[f"{key}:tab{i}"] = w.tabText(i)
                if w.tabToolTip(i):
                    mine[f"{key}:tab{i}:tip"] = w.tabToolTip(i)
        cells: dict[str, str] = {}
        if isinstance(w, QAbstractItemView):
            _headers(key, w, mine)
            _word_cells(key, w, cells)
        if isinstance(w, QListWidget):
            for i in range(w.count()):
                item = w.item(i)
                if item is not None and item.text():
                    mine[f"{key}:item{i}"] = item.text()
        if isinstance(w, QComboBox):
            for i in range(w.count()):
                if w.itemText(i):
                    mine[f"{key}:item{i}"] = w.itemText(i)
        if isinstance(w, QLineEdit | QTextEdit | QPlainTextEdit) and w.placeholderText():
            mine[key + ":placeholder"] = w.placeholderText()
        if isinstance(w, QSpinBox | QDoubleSpinBox):
            for part in ("prefix", "suffix"):
                if getattr(w, part)():
                    mine[f"{key}:{part}"] = getattr(w, part)()
        if isinstance(w, QAbstractSpinBox) and w.specialValueText():
            mine[key + ":special"] = w.specialValueText()
        for tip in ("toolTip", "statusTip", "whatsThis"):
            if getattr(w, tip)():
                mine[f"{key}:{tip}"] = getattr(w, tip)()
        if isinstance(w, QMainWindow):
            _actions(f"{key}:menu", w.menuBar().actions(), mine)
        _actions(f"{key}:own", [a for a in w.actions() if a.text()], mine)
        out.update(mine)
        out.update(cells)
        data.update(cells)  # a word, or the book's own value beside the words (a drawer's code)
        if w.property("data"):
            data.update(mine)
    return out, data


def native(text: str) -> bool:
    """Language names are shown in their own language on purpose."""
    return text in ("中文", "English")


# -- what the .ts files and the core say -------------------------------------------------------


@dataclasses.dataclass
class Catalog:
    en_sources: dict[str, set[str]]  # an English text (no "&") -> its sources
    zh_of: dict[str, set[str]]  # a source -> its Chinese translations
    templates: list[tuple[re.Pattern[str], str]]  # English with %1 … -> its source
    interface: set[str]  # every English text of the .ts (no "&")
    core: dict[str, set[str]]  # the core's bilingual messages: English -> Chinese
    core_zh: set[str]  # their Chinese halves
    core_patterns: list[tuple[re.Pattern[str], re.Pattern[str]]]  # f-string messages


def _template(text: str) -> re.Pattern[str]:
    parts = TEMPLATE_ARG.split(text)
    names = TEMPLATE_ARG.findall(text)
    rx = re.escape(parts[0])
    seen: set[str] = set()
    for name, part in zip(names, parts[1:], strict=True):
        group = _group(name)
        rx += f"(?P={group})" if group in seen else f"(?P<{group}>.+?)"
        seen.add(group)
        rx += re.escape(part)
    return re.compile(rf"^{rx}$", re.S)


def _group(arg: str) -> str:
    return "n" if arg == "%n" else f"a{arg[1:]}" if arg[0] == "%" else f"b{arg[1:-1]}"


def _fill(template: str, values: dict[str, str]) -> str:
    return TEMPLATE_ARG.sub(lambda m: values[_group(m.group(0))], template)


_BILINGUAL = re.compile(
    r"^(?P<zh>.*[\u3400-\u9fff].*?) \((?P<en>[^()\u3400-\u9fff]*[A-Za-z][^()]*)\)$", re.S
)


def _core_messages() -> tuple[dict[str, set[str]], list[tuple[re.Pattern[str], re.Pattern[str]]]]:
    """The bilingual messages written in station's source (outside the UI's .ts)."""
    core: dict[str, set[str]] = {}
    patterns: list[tuple[re.Pattern[str], re.Pattern[str]]] = []

    def add(zh: str, en: str) -> None:
        core.setdefault(en.strip(), set()).add(zh.strip())

    for path in STATION.rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        if not CJK.search(source):
            continue  # no Chinese, no bilingual message
        tree = ast.parse(source)
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                m = _BILINGUAL.match(node.value)
                if m:
                    add(m["zh"], m["en"])
            elif isinstance(node, ast.Tuple) and len(node.elts) == 2:
                zh, en = node.elts
                if (
                    isinstance(zh, ast.Constant)
                    and isinstance(en, ast.Constant)
                    and isinstance(zh.value, str)
                    and isinstance(en.value, str)
                    and CJK.search(zh.value)
                    and not CJK.search(en.value)
                    and re.search("[A-Za-z]", en.value)
                ):
                    add(zh.value, en.value)
            elif isinstance(node, ast.JoinedStr):  # f"…{value}… (…)": values are data
                text = "".join(
                    p.value if isinstance(p, ast.Constant) and isinstance(p.value, str) else HOLE
                    for p in node.values
                )
                m = _BILINGUAL.match(text)
                if m and HOLE in text:
                    en_rx, zh_rx = (_holes(m[half]) for half in ("en", "zh"))
                    patterns.append((en_rx, zh_rx))
    return core, patterns


HOLE = "\x00"  # where an f-string puts a value


def _holes(text: str) -> re.Pattern[str]:
    return re.compile("^" + "(.+?)".join(re.escape(p) for p in text.split(HOLE)) + "$", re.S)


@cache
def catalog() -> Catalog:
    en_all = i18n.read_ts(i18n.ts_path("en"))
    zh_all = i18n.read_ts(i18n.ts_path("zh_CN"))
    en_sources: dict[str, set[str]] = {}
    zh_of: dict[str, set[str]] = {}
    templates: list[tuple[re.Pattern[str], str]] = []
    for (ctx, src), en in en_all.items():
        plain = en.replace("&", "")
        en_sources.setdefault(plain, set()).add(src)
        zh_of.setdefault(src, set()).add(zh_all[(ctx, src)])
        if TEMPLATE_ARG.search(en):
            templates.append((_template(plain), src))
    core, patterns = _core_messages()
    core_zh = {z for zs in core.values() for z in zs}
    return Catalog(en_sources, zh_of, templates, set(en_sources), core, core_zh, patterns)


def _core_pair(c: Catalog, en: str, zh: str) -> bool:
    """A core message shown in English, and in Chinese either alone or as written (the
    core's "中文 (English)": Chinese first, the English kept for the technician)."""
    if any(zh in (z, f"{z} ({en})") for z in c.core.get(en, ())):
        return True
    for en_rx, zh_rx in c.core_patterns:
        if en_rx.match(en) and (zh_rx.match(zh) or zh_rx.match(zh.removesuffix(f" ({en})"))):
            return True
    return False


def problem(en: str, zh: str, *, data: bool, live: bool = False) -> str | None:
    """Why the English ``en`` and the Chinese ``zh`` of one visible text are not a pair of
    translations (None when they are)."""
    c = catalog()
    if native(en) or en.strip() in ("", "-", "…") or re.fullmatch(r"[\d\s.,:/%+-]+", en):
        return None if en == zh or live else f"number or mark changed: {en!r} / {zh!r}"
    plain = en.replace("&", "")
    sources = c.en_sources.get(plain, set())
    if sources:
        if any(zh in c.zh_of[s] for s in sources):
            return None
        if live and any(zh in t for t in c.zh_of.values()):
            return None  # a live state may change between the two walks: still a translation
    for rx, src in c.templates:
        m = rx.match(plain)
        if m and any(rx_zh.match(zh) for rx_zh in _zh_templates(src, m.groupdict())):
            return None
    if _core_pair(c, en, zh):
        return None
    for affix in (CODE_FIRST, COUNT_LAST):  # a code before the words, a count after them
        me, mz = affix.match(en), affix.match(zh)
        if me and mz and me["data"] == mz["data"]:
            return problem(me["text"], mz["text"], data=data, live=live)
    en_parts, zh_parts = SPLIT.split(en), SPLIT.split(zh)
    if len(en_parts) > 1 and len(en_parts) == len(zh_parts):
        for e, z in zip(en_parts, zh_parts, strict=True):
            why = problem(e, z, data=data, live=live)
            if why:
                return why
        return None
    if data and en == zh and plain not in c.interface:
        if en in c.core or en in c.core_zh:  # the core's words left in the other language
            return f"a core message not switched with the language: {en!r}"
        return None  # data: the same in both languages
    if sources:
        return f"Chinese {zh!r} is not the translation of {sorted(sources)}"
    return f"not in station_en.ts and not a core message: {en!r} (Chinese walk: {zh!r})"


def _zh_templates(source: str, values: dict[str, str]) -> list[re.Pattern[str]]:
    out = []
    for zh in catalog().zh_of[source]:
        out.append(re.compile("^" + re.escape(_fill(zh, values)) + "$"))
    return out


def check_screen(qtbot: Any, build: Callable[[], QWidget]) -> int:
    """Build the screen in English, switch to Chinese, and check every visible text; the
    number of texts checked."""
    i18n.set_language("en")
    widget = build()
    qtbot.addWidget(widget)
    QApplication.processEvents()
    english, data = texts(widget)
    i18n.set_language("zh_CN")
    QApplication.sendPostedEvents(None, QEvent.Type.LanguageChange.value)  # delivered now
    QApplication.processEvents()
    chinese, _ = texts(widget)
    assert english.keys() == chinese.keys(), english.keys() ^ chinese.keys()
    problems = []
    for key, en in english.items():
        why = problem(en, chinese[key], data=key in data, live="DeviceLabel" in key)
        if why:
            problems.append(f"{key}: {why}")
    assert not problems, "\n".join(problems)
    return len(english)


@pytest.fixture(autouse=True)
def chinese_after(qapp: object) -> Iterator[None]:
    yield
    i18n.set_language("zh_CN")


# -- the checker itself ------------------------------------------------------------------------


def test_ts_files_are_complete() -> None:
    en = i18n.read_ts(i18n.ts_path("en"))
    zh = i18n.read_ts(i18n.ts_path("zh_CN"))
    assert en.keys() == zh.keys() and len(en) > 50
    assert all(en.values()) and all(zh.values())
    assert all(CJK.search(t) or t in ("PSAM",) for t in zh.values())
    for (_ctx, src), t in zh.items():  # a template keeps its arguments
        assert sorted(TEMPLATE_ARG.findall(src)) == sorted(TEMPLATE_ARG.findall(t)), src


def test_the_checker_finds_what_is_missing(qtbot: Any) -> None:
    """Every kind of text the walk reads, and each way it can be wrong."""
    from PySide6.QtWidgets import QVBoxLayout

    assert problem("Settings", "设置", data=False) is None
    assert problem("Settings", "Settings", data=False)  # translation missing
    assert problem("Settings", "Settings", data=True)  # … also in a data widget
    assert problem("Not from tr()", "Not from tr()", data=False)
    assert problem("ICBC 3", "ICBC 3", data=True) is None  # data
    assert problem("no card in the reader", "no card in the reader", data=True)  # not switched
    template = "EXPIRED on 2029-01-01"
    assert problem(template, "已于2029-01-01过期", data=False) is None, catalog().templates[:3]
    assert problem(template, "已于2029-01-02过期", data=False)  # not the same value
    assert problem("no card in the reader", "读卡器中没有卡", data=False) is None  # core
    assert problem("no card in the reader", "读卡器错误", data=False)  # not its pair
    assert problem("Card reader: not connected", "读卡器: 未连接", data=False) is None

    def build() -> QWidget:
        w = QWidget()
        box = QVBoxLayout(w)
        combo = QComboBox()
        combo.addItems(["untranslated item"])
        edit = QLineEdit()
        edit.setPlaceholderText("untranslated placeholder")
        label = QLabel()
        label.setToolTip("untranslated tip")
        for x in (combo, edit, label):
            box.addWidget(x)
        return w

    i18n.set_language("en")
    found, _ = texts(build())
    assert sorted(found.values()) == [
        "untranslated item",
        "untranslated placeholder",
        "untranslated tip",
    ]
    with pytest.raises(AssertionError, match="untranslated placeholder"):
        check_screen(qtbot, build)


# -- the screens -------------------------------------------------------------------------------


def test_sign_in_status_bar_and_menus(qtbot: Any, app_ctx: Any) -> None:
    from station.ui.shell import MainWindow

    assert check_screen(qtbot, lambda: MainWindow(app_ctx, training=True)) > 15


def test_settings_dialog(qtbot: Any, app_ctx: Any, tmp_path: Path) -> None:
    from station.ui.settings_dialog import SettingsDialog

    assert check_screen(qtbot, lambda: SettingsDialog(app_ctx.settings, tmp_path / "s.toml")) > 8


def test_clerk_screen(qtbot: Any, app_ctx: Any) -> None:
    from station.ui.clerk.view import ClerkView

    assert check_screen(qtbot, lambda: ClerkView(app_ctx)) > 25


def test_screens_without_a_stock_book(qtbot: Any, app_ctx: Any) -> None:
    """What a teller and a supervisor see when no stock book is open."""
    from station.inventory.models import Role
    from station.ui.shell import MainWindow

    for role in (Role.TELLER, Role.SUPERVISOR):

        def build(role: Role = role) -> QWidget:
            window = MainWindow(app_ctx)
            window.enter("someone", role)
            return window

        assert check_screen(qtbot, build) > 10


@pytest.fixture
def book(tmp_path: Path) -> Iterator[Any]:
    """A stock book with every role, 5 ICBC and 3 CCB blanks counted in t1's drawer D1."""
    from station.inventory import Inventory, make_engine, migrate
    from station.inventory.samples import sample_manifest
    from tests.inventory.conftest import FAST_HASHER, setup_book

    engine = make_engine(f"sqlite:///{tmp_path / 'book.db'}")
    migrate(engine)
    inv = Inventory(engine, password_hasher=FAST_HASHER, tz=dt.UTC)
    setup_book(inv)
    inv.stock_in(sample_manifest(20, bank="ICBC", prefix="A1"), by="sup")
    inv.stock_in(sample_manifest(10, bank="CCB", manufacturer="M02", prefix="B2"), by="sup")
    inv.allocate("D1", 5, bank="ICBC", by="sup")
    inv.allocate("D1", 3, bank="CCB", by="sup")
    inv.count("D1", by="t1", counted={"ICBC": 5, "CCB": 3})
    try:
        yield inv
    finally:
        engine.dispose()


@pytest.fixture
def printer_url() -> Iterator[str]:
    """The printer simulator over TCP, ready with blanks in its feeder."""
    from station.printer.simulator import BareChip, PrinterSimulator, Timing

    sim = PrinterSimulator([(f"t-{i}", BareChip(i)) for i in range(1, 4)], timing=Timing(0))
    try:
        yield sim.serve_tcp("127.0.0.1", 0)
    finally:
        sim.stop()


def _ctx_with(settings: Settings, **kw: Any) -> Any:
    from station.ui.workers import UiContext, Workers

    return UiContext(settings, Workers(settings).start(), **kw)


@pytest.mark.parametrize("role", ["teller", "supervisor", "auditor", "technician"])
def test_role_screens_over_a_real_book(
    qtbot: Any, ui_settings: Settings, book: Any, printer_url: str, role: str
) -> None:
    """The main window as each role sees it after signing in, over a real stock book."""
    from station.inventory.models import Role
    from station.ui.shell import MainWindow

    settings = dataclasses.replace(ui_settings, printer_url=printer_url)
    ctx = _ctx_with(settings)
    users = {"teller": "t1", "supervisor": "sup", "auditor": "aud", "technician": "tech"}
    window: MainWindow | None = None

    def build() -> QWidget:
        nonlocal window
        window = MainWindow(ctx, inventory_factory=lambda: book)
        window._inventory = book  # as after the sign-in job: the book signed in to
        window.enter(users[role], Role(role))
        _settle(qtbot, window)
        return window

    try:
        assert check_screen(qtbot, build) > {"teller": 90, "technician": 90}.get(role, 40)
        assert window is not None
        stock = window.screens.get("stock")
        if role in ("supervisor", "auditor"):
            assert stock is not None
            assert raw_codes_shown(stock) == []  # states, kinds, roles … in words
    finally:
        if window is not None:
            window.close()
        ctx.workers.stop_all()


def _settle(qtbot: Any, window: Any) -> None:
    """Every screen has what it asked its workers for (stock, printer, lists)."""
    db = window.db
    teller = window.screens.get("issuance")
    if teller is not None and hasattr(teller, "readiness"):
        r = teller.readiness
        qtbot.waitUntil(lambda: r._stock is not None and r._printer is not None, timeout=15000)
        qtbot.waitUntil(lambda: teller.form.bank.count() > 0, timeout=15000)
    bench = window.screens.get("bench")
    if bench is not None:
        bench.printer_ctl.refresh()
        qtbot.waitUntil(lambda: bench.printer_ctl.last is not None, timeout=15000)
    qtbot.waitUntil(lambda: not db.busy, timeout=15000)
    for w in window.ctx.workers.card, window.ctx.workers.psam, window.ctx.workers.printer:
        qtbot.waitUntil(lambda w=w: not w.busy, timeout=15000)


def test_bench_screens(qtbot: Any, app_ctx: Any, printer_url: str) -> None:
    """The technician's bench, every tab, with the printer tab showing a status."""
    from station.ui.bench import Bench

    settings = dataclasses.replace(app_ctx.settings, printer_url=printer_url)
    ctx = _ctx_with(settings)
    bench: Bench | None = None

    def build() -> QWidget:
        nonlocal bench
        bench = Bench(ctx)
        bench.printer_ctl.refresh()
        qtbot.waitUntil(lambda: bench is not None and bench.printer_ctl.last is not None)
        return bench

    try:
        assert check_screen(qtbot, build) > 60
    finally:
        if bench is not None:
            bench.shutdown()
        ctx.workers.stop_all()


def _job(state: Any, cause: Any = None) -> Any:
    from station.issuance.application import Reason
    from station.issuance.journal_types import JobInfo

    now = dt.datetime(2030, 3, 10, 9, 0, tzinfo=dt.UTC)
    return JobInfo(
        job_id="J-1",
        application_id="A-1",
        state=state,
        bank="ICBC",
        reason=Reason.FIRST,
        operator="t1",
        station="S1",
        card_number=None,
        card_id_code=None,
        atr_historical=None,
        retry_of=None,
        cause=cause,
        made_up=False,
        created_at=now,
        updated_at=now,
        issued_at=None,
        application_sm3="",
        media_sm3="",
        ssn="",
        name="",
    )


def _failures() -> dict[str, Any]:
    """A failure of each kind the dialog words differently."""
    from station.errors import StationError
    from station.inventory import State
    from station.issuance.outcome import Outcome
    from station.issuance.states import JobState, WasteCause
    from station.printer.errors import Jam
    from station.ui.teller.controller import Failure
    from station.ui.teller.form_logic import build_application
    from tests.issuance.job_rig import applicant

    app = build_application(applicant(3))
    jam = Jam(detail="jam")
    failed = Outcome(_job(JobState.FAILED, WasteCause.JAM), error=jam)
    out: dict[str, Any] = {
        "refused": Failure(None, StationError(), None, app),
        "unknown-place": Failure(failed, jam, None, app),
        "inside": Failure(failed, jam, "contact", app),
        "back-to-drawer": Failure(failed, jam, "none", app, State.IN_DRAWER),
        "spoiled": Failure(failed, jam, "none", app, State.SPOILED),
        "reject-box": Failure(failed, jam, "none", app, None),
        "makeup": Failure(Outcome(_job(JobState.MAKEUP_PENDING)), jam, "none", app),
        "makeup-desk": Failure(
            Outcome(_job(JobState.MAKEUP_PENDING)), jam, "none", app, desk_reader="ACS 00"
        ),
        "makeup-jammed": Failure(
            Outcome(_job(JobState.MAKEUP_PENDING)), jam, "print", app, jammed=True
        ),
    }
    for cause in WasteCause:  # every recorded cause in words
        job = _job(JobState.FAILED, cause)
        out[f"cause-{cause.value}"] = Failure(Outcome(job, error=jam), jam, "none", app)
    return out


def test_failure_dialog_every_kind(qtbot: Any) -> None:
    """The failure dialog for each failure it words differently, and every recorded cause."""
    from station.ui.teller.dialogs import FailureDialog

    failures = _failures()
    assert len(failures) == 9 + len(WasteCause)
    for kind, failure in failures.items():
        assert check_screen(qtbot, lambda f=failure: FailureDialog(f)) > 6, kind


def test_unfinished_jobs_with_a_card_out_of_the_printer(qtbot: Any) -> None:
    """The make-up in the desktop reader offered at sign-in, and without a desktop reader."""
    from station.issuance.states import JobState
    from station.ui.teller.controller import Unfinished
    from station.ui.teller.panels import UnfinishedPanel

    row = Unfinished(_job(JobState.MAKEUP_PENDING), "卡面已打印 (face printed)", "makeup", True)
    for desk in ("ACS ACR39U 00 00", ""):

        def build(desk: str = desk) -> QWidget:
            panel = UnfinishedPanel(desk)
            panel.show_jobs([row])
            return panel

        assert check_screen(qtbot, build) >= 8, desk


def test_witness_dialog(qtbot: Any) -> None:
    from station.ui.supervisor.views.destroy import WitnessDialog

    assert check_screen(qtbot, lambda: WitnessDialog("sup", 3)) > 4
