"""The main window: sign-in, the screens the role allows, idle lock, live device states.

Who sees what is a table (``SCREENS``), not a chain of ifs.  The inventory's roles are the
users' roles: the teller works at the counter (PIN services and instant issuance), the
supervisor keeps the stock (the auditor sees its counts, reports and ledger), the
technician has the bench.  A technician may work without signing in.  Signing in (argon2,
~0.1 s) runs on a worker of its own, never on the UI thread.  Idle for
``Settings.idle_lock_minutes`` → the session is signed out, every screen is shut down and
dropped (PIN fields, card data and served virtual cards with it) and the sign-in page
returns; only the operator's password opens it again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, QTimer
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from station.config import Settings
from station.errors import StationError
from station.ui import i18n
from station.ui.workers import DeviceState, DeviceWorker, UiContext

if TYPE_CHECKING:  # the stock book (SQLAlchemy, Alembic) loads only when someone signs in
    from station.inventory.models import Role
    from station.ui.settings_dialog import SettingsDialog

# role (station.inventory.models.Role, a StrEnum: its values) -> the screens, in tab order
SCREENS: dict[str, tuple[str, ...]] = {
    "teller": ("clerk", "issuance"),
    "supervisor": ("stock",),
    "auditor": ("stock",),
    "technician": ("bench",),
}
_IDLE_EVENTS = {
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
}


def build_screen(name: str, ctx: UiContext) -> QWidget:
    """The screen ``name`` of ``SCREENS`` (each imported when first shown: the stock book
    and the bench's emulator load only for the roles that use them)."""
    if name == "clerk":
        from station.ui.clerk import build_clerk

        return build_clerk(ctx)
    if name == "bench":
        from station.ui.bench import build_bench

        return build_bench(ctx)
    if name == "stock":
        from station.ui.supervisor import build_supervisor

        return build_supervisor(ctx)
    if name == "issuance":
        from station.ui.teller import build_teller

        return build_teller(ctx)
    raise ValueError(f"no screen named {name!r}")  # SCREENS names only the four above


class SignInPage(QWidget):
    def __init__(self, training: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("signin")
        self.title = QLabel()
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.user = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self.user_label, self.password_label = QLabel(), QLabel()
        self.sign_in = QPushButton()
        self.sign_in.setDefault(True)
        self.technician = QPushButton()
        self.practise = QPushButton()
        self.practise.setVisible(training)
        self.error = QLabel()
        self.error.setProperty("data", True)
        self.error.setStyleSheet("color: #b00020;")
        form = QFormLayout()
        form.addRow(self.user_label, self.user)
        form.addRow(self.password_label, self.password)
        panel = QWidget()  # a compact form in the middle of the window, not a full-width one
        panel.setMaximumWidth(460)
        box = QVBoxLayout(panel)
        box.addWidget(self.title)
        box.addLayout(form)
        row = QHBoxLayout()
        for b in (self.sign_in, self.technician, self.practise):
            row.addWidget(b)
        box.addLayout(row)
        box.addWidget(self.error)
        outer = QGridLayout(self)
        outer.setRowStretch(0, 1)
        outer.setRowStretch(2, 2)
        outer.setColumnStretch(0, 1)
        outer.setColumnStretch(2, 1)
        outer.addWidget(panel, 1, 1)
        self.user.returnPressed.connect(self.password.setFocus)
        self.password.returnPressed.connect(self.sign_in.click)
        self.retranslateUi()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslateUi()
        super().changeEvent(event)

    def retranslateUi(self) -> None:
        self.title.setText(self.tr("Social security card station — sign in"))
        self.user_label.setText(self.tr("Operator ID"))
        self.password_label.setText(self.tr("Password"))
        self.sign_in.setText(self.tr("Sign in"))
        self.technician.setText(self.tr("Technician without sign-in"))
        self.practise.setText(self.tr("Practise PIN services (training)"))


class DeviceLabel(QLabel):
    """One device's state in the status bar, retranslated with the language."""

    def __init__(self, which: str, worker: DeviceWorker) -> None:
        super().__init__()
        self.which = which
        self.worker = worker
        self.setObjectName(f"state-{which}")
        worker.state_changed.connect(self.refresh)
        self.refresh()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.refresh()
        super().changeEvent(event)

    def refresh(self, _state: object = None) -> None:
        names = {
            "card": self.tr("Card reader"),
            "psam": self.tr("PSAM"),
            "printer": self.tr("Card printer"),
        }
        state = self.worker.state
        words = {
            DeviceState.CONNECTING: self.tr("connecting…"),
            DeviceState.READY: self.tr("ready")
            if self.which == "printer"
            else self.tr("no card")
            if self.which == "card"
            else self.tr("no PSAM"),
            DeviceState.CARD_PRESENT: self.tr("card inserted")
            if self.which == "card"
            else self.tr("PSAM present"),
            DeviceState.ABSENT: self.tr("not connected"),
            DeviceState.FAULT: self.tr("fault"),
            DeviceState.SERVICE_DOWN: self.tr("PC/SC service down"),
        }
        text = f"{names[self.which]}: {words[state]}"
        if state is DeviceState.FAULT and self.worker.detail:
            text += f" ({self._fault_words(self.worker.detail)})"
        self.setText(text)
        bad = state in (DeviceState.ABSENT, DeviceState.FAULT, DeviceState.SERVICE_DOWN)
        self.setStyleSheet("color: #b00020;" if bad else "")

    def _fault_words(self, detail: str) -> str:
        """The printer's standing faults (``ActiveFault`` values) in words; any other
        detail (an error's own bilingual message) as it is."""
        words = {
            "cover-open": self.tr("cover open"),
            "jam": self.tr("card jam"),
            "reject-full": self.tr("reject box full"),
            "ribbon-end": self.tr("ribbon used up"),
            "feeder-empty": self.tr("no blank cards in the feeder"),
        }
        parts = detail.split(",")
        if not all(p in words for p in parts):
            return detail
        return " / ".join(words[p] for p in parts)


class MainWindow(QMainWindow):
    """Sign-in → role screens; status bar; idle lock; language and settings menus."""

    def __init__(
        self,
        ctx: UiContext,
        *,
        training: bool = False,
        inventory_factory: Callable[[], Any] | None = None,
    ) -> None:
        super().__init__()
        self.ctx = ctx
        self.training = training
        self._inventory_factory = inventory_factory
        self._inventory: Any = ctx.inventory
        self.db = DeviceWorker("database", self)  # sign-in hashing stays off the UI thread
        self.stack = QStackedWidget()
        self.signin = SignInPage(training)
        self.tabs = QTabWidget()
        self.stack.addWidget(self.signin)
        self.stack.addWidget(self.tabs)
        self.setCentralWidget(self.stack)
        self.tabs.currentChanged.connect(self._focus_screen)
        self.screens: dict[str, QWidget] = {}

        # status bar: the three devices, then who is signed in
        bar = self.statusBar()
        self.device_labels = [
            DeviceLabel("card", ctx.workers.card),
            DeviceLabel("psam", ctx.workers.psam),
            DeviceLabel("printer", ctx.workers.printer),
        ]
        for label in self.device_labels:
            bar.addWidget(label)
        self.who = QLabel()  # the operator's id: data, never translated
        self.who.setProperty("data", True)
        self.role_label = QLabel()  # the role (or "not signed in") in words
        bar.addPermanentWidget(self.who)
        bar.addPermanentWidget(self.role_label)

        # menus
        self.session_menu = self.menuBar().addMenu("")
        self.lock_action = QAction(self)
        self.lock_action.setShortcut("Ctrl+L")
        self.lock_action.triggered.connect(self.lock)
        self.settings_action = QAction(self)
        self.settings_action.triggered.connect(self.open_settings)
        self.session_menu.addAction(self.lock_action)
        self.session_menu.addAction(self.settings_action)
        self.language_menu = self.menuBar().addMenu("")
        group = QActionGroup(self)
        self.language_actions: dict[str, QAction] = {}
        for lang, native in (("zh_CN", "中文"), ("en", "English")):
            act = QAction(native, self, checkable=True)
            act.setData(lang)
            act.triggered.connect(self._language_chosen)
            group.addAction(act)
            self.language_menu.addAction(act)
            self.language_actions[lang] = act
        self.language_actions[i18n.current_language()].setChecked(True)

        # sign-in
        self.signin.sign_in.clicked.connect(self.sign_in)
        self.signin.technician.clicked.connect(self.technician_without_sign_in)
        self.signin.practise.clicked.connect(self.practise)

        # idle lock
        self.idle = QTimer(self)
        self.idle.setSingleShot(True)
        self.set_idle_minutes(ctx.settings.idle_lock_minutes)
        self.idle.timeout.connect(self.lock)
        # the settings as saved by the dialog (reader, printer and database changes take
        # effect at the next start; the dialog shows what was saved, not the running ones)
        self.saved_settings: Settings = ctx.settings
        self.settings_dialog: SettingsDialog | None = None
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        self.retranslateUi()
        self.signin.user.setFocus()

    # -- language -----------------------------------------------------------------------
    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslateUi()
        super().changeEvent(event)

    def retranslateUi(self) -> None:
        title = self.tr("Social security card station")
        if self.training:
            title += " — " + self.tr("TRAINING MODE (virtual card and PSAM)")
        self.setWindowTitle(title)
        self.session_menu.setTitle(self.tr("&Session"))
        self.language_menu.setTitle(self.tr("&Language"))
        self.lock_action.setText(self.tr("Lock (Ctrl+L)"))
        self.settings_action.setText(self.tr("Settings…"))
        names = {
            "clerk": self.tr("PIN services"),
            "issuance": self.tr("Issuance"),
            "stock": self.tr("Stock"),
            "bench": self.tr("Technician bench"),
        }
        for i in range(self.tabs.count()):
            widget = self.tabs.widget(i)
            key = widget.property("screen") if widget is not None else ""
            self.tabs.setTabText(i, names.get(str(key), str(key)))
        self._show_who()

    def _language_chosen(self) -> None:
        act = self.sender()
        if isinstance(act, QAction):
            self.set_language(str(act.data()))

    def set_language(self, language: str) -> None:
        lang = i18n.set_language(language)
        self.language_actions[lang].setChecked(True)

    def role_words(self, role: Role | None) -> str:
        words = {
            "teller": self.tr("Teller"),
            "supervisor": self.tr("Supervisor"),
            "auditor": self.tr("Auditor"),
            "technician": self.tr("Technician"),
        }
        return words.get(str(role), str(role or ""))

    def _show_who(self) -> None:
        if self.stack.currentWidget() is self.signin:
            self.who.clear()
            self.role_label.setText(self.tr("Not signed in"))
        elif self.ctx.operator:
            self.who.setText(self.ctx.operator)
            self.role_label.setText(self.role_words(self.ctx.role))
        else:
            self.who.clear()
            self.role_label.setText(self.tr("Technician (not signed in)"))

    # -- sign-in --------------------------------------------------------------------------
    def _inv(self) -> Any:
        """The stock book (opened on the database worker, once)."""
        if self._inventory is None:
            if self._inventory_factory is not None:
                self._inventory = self._inventory_factory()
            else:
                from station.inventory.service import Inventory

                self._inventory = Inventory(self.ctx.settings.db_url)
        return self._inventory

    def sign_in(self) -> None:
        name = self.signin.user.text().strip()
        password = self.signin.password.text()
        self.signin.password.clear()
        if not name or not password:
            self.signin.error.setText(self.tr("Enter the operator ID and the password"))
            return
        self.signin.sign_in.setEnabled(False)
        self.signin.error.clear()

        def job() -> Any:
            return self._inv().auth.sign_in(name, password)

        self.db.submit("sign in", job, self._signed_in, self._sign_in_failed)

    def _signed_in(self, operator: Any) -> None:
        from station.inventory.models import Role

        self.signin.sign_in.setEnabled(True)
        self.enter(operator.username, Role(operator.role))

    def _sign_in_failed(self, exc: StationError) -> None:
        self.signin.sign_in.setEnabled(True)
        self.signin.error.setText(exc.message)

    def technician_without_sign_in(self) -> None:
        from station.inventory.models import Role

        self.enter(None, Role.TECHNICIAN)

    def practise(self) -> None:
        from station.inventory.models import Role

        self.enter("培训 training", Role.TELLER)

    def enter(self, operator: str | None, role: Role) -> None:
        """Show the screens of ``role`` for ``operator`` (None: a technician alone)."""
        self.ctx.operator, self.ctx.role = operator, role
        if self._inventory is not None:  # the stock screens act on the book signed in to
            self.ctx.inventory = self._inventory
        self.ctx.extras["database"] = self.db  # one database worker for every screen
        self._drop_screens()
        for name in SCREENS.get(str(role), ()):
            widget = build_screen(name, self.ctx)
            widget.setProperty("screen", name)
            self.screens[name] = widget
            self.tabs.addTab(widget, "")
        self.stack.setCurrentWidget(self.tabs)
        self.retranslateUi()
        self._focus_screen(self.tabs.currentIndex())
        self.idle.start()

    def _focus_screen(self, index: int) -> None:
        """The keyboard goes into the screen shown (Ctrl+Tab, sign-in): its top-left field,
        so its shortcuts work at once, never left on the tab bar."""
        page = self.tabs.widget(index)
        if page is None:
            return
        # the top-left button or field; not by walking nextInFocusChain(): a wrapper
        # made for a widget it returns can take a menu of the menu bar with it (seen under
        # Xvfb: the Session menu deleted, the next retranslation raised)
        fields = [
            w
            for w in page.findChildren(QWidget)
            if isinstance(w, QAbstractButton | QComboBox | QLineEdit)
            and not (isinstance(w, QLineEdit) and w.echoMode() != QLineEdit.EchoMode.Normal)
            and w.focusPolicy() & Qt.FocusPolicy.TabFocus
            and w.isVisibleTo(page)
            and w.isEnabled()
        ]  # a button or a plain field (not a PIN field, not an inner tab bar or table)

        def top_left(w: QWidget) -> tuple[int, int]:
            at = w.mapTo(page, QPoint(0, 0))
            return at.y(), at.x()

        if fields:
            min(fields, key=top_left).setFocus(Qt.FocusReason.TabFocusReason)

    def _drop_screens(self) -> None:
        """Shut every screen down (its own workers, the bench's served virtual cards and
        connections), then delete it."""
        while self.tabs.count():
            w = self.tabs.widget(0)
            self.tabs.removeTab(0)
            if w is not None:
                shutdown = getattr(w, "shutdown", None)
                if callable(shutdown):
                    shutdown()
                w.deleteLater()
        self.screens.clear()

    def lock(self) -> None:
        """Sign out and drop every screen (PIN fields and card data with them)."""
        self.idle.stop()
        operator = self.ctx.operator
        if operator and self._inventory is not None:
            inv = self._inventory
            self.db.submit("sign out", lambda: inv.auth.sign_out(operator))
        self.ctx.operator, self.ctx.role = None, None
        self._drop_screens()
        self.stack.setCurrentWidget(self.signin)
        self.signin.user.setText(operator or "")
        self.signin.password.setFocus()
        self._show_who()

    @property
    def locked(self) -> bool:
        return self.stack.currentWidget() is self.signin

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _IDLE_EVENTS and self.idle.isActive():
            self.idle.start()  # restart the idle countdown
        return False

    def set_idle_minutes(self, minutes: float) -> None:
        """Lock after ``minutes`` without a key or mouse event (fractions allowed)."""
        self.idle.setInterval(max(1, round(minutes * 60_000)))

    # -- settings ---------------------------------------------------------------------------
    def open_settings(self) -> None:
        """The settings dialog, window-modal (never a nested event loop); saving writes the
        settings file and applies the idle lock at once."""
        from station.ui.settings_dialog import SettingsDialog

        if self.settings_dialog is not None:
            self.settings_dialog.raise_()
            return
        dialog = SettingsDialog(self.saved_settings, parent=self)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.accepted.connect(self._settings_saved)
        dialog.finished.connect(self._settings_closed)
        self.settings_dialog = dialog
        dialog.open()

    def _settings_saved(self) -> None:
        dialog = self.settings_dialog
        if dialog is None:
            return
        self.saved_settings = dialog.settings
        minutes = dialog.settings.idle_lock_minutes
        self.ctx.settings = replace(self.ctx.settings, idle_lock_minutes=minutes)
        self.set_idle_minutes(minutes)

    def _settings_closed(self, _result: int) -> None:
        dialog, self.settings_dialog = self.settings_dialog, None
        if dialog is not None:
            dialog.deleteLater()

    def closeEvent(self, event: Any) -> None:
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        self.idle.stop()
        self._drop_screens()
        if self.ctx.operator and self._inventory is not None:
            try:
                self._inventory.auth.sign_out(self.ctx.operator)
            except StationError:
                pass
        self.db.stop()
        super().closeEvent(event)
