"""Languages: Chinese by default, English at run time.

Sources are Qt Linguist ``.ts`` files in this folder (committed); ``scripts/setup.sh``
compiles them to ``.qm`` with ``pyside6-lrelease``.  Installing a translator sends every
widget a ``LanguageChange`` event, and each view's ``retranslateUi`` sets its texts again.
When a ``.qm`` is missing (setup not run) the ``.ts`` is read directly, so a checkout
still shows both languages.
"""

from __future__ import annotations

import logging
import xml.etree.ElementTree as ET
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QTranslator

log = logging.getLogger("station.ui.i18n")

HERE = Path(__file__).resolve().parent
LANGUAGES = ("zh_CN", "en")
MAX_TS = 2_000_000  # bytes; our own files, bounded all the same


def ts_path(language: str) -> Path:
    return HERE / f"station_{language}.ts"


def read_ts(path: Path) -> dict[tuple[str, str], str]:
    """(context, source) -> translation of a ``.ts`` file (unfinished ones included)."""
    data = path.read_bytes()[:MAX_TS]
    root = ET.fromstring(data)  # noqa: S314 - our own committed .ts files
    out: dict[tuple[str, str], str] = {}
    for ctx in root.iter("context"):
        name = ctx.findtext("name") or ""
        for msg in ctx.iter("message"):
            source = msg.findtext("source") or ""
            out[(name, source)] = msg.findtext("translation") or ""
    return out


class TsTranslator(QTranslator):
    """A translator straight from a ``.ts`` (used only when the ``.qm`` is missing)."""

    def __init__(self, table: dict[tuple[str, str], str]) -> None:
        super().__init__()
        self._table = table

    def translate(  # type: ignore[override]
        self, context: str, source: str, disambiguation: str | None = None, n: int = -1
    ) -> str:
        return self._table.get((context, source), "")

    def isEmpty(self) -> bool:
        return not self._table


_current: QTranslator | None = None


def set_language(language: str) -> str:
    """Install ``language`` (``zh_CN`` or ``en``; unknown = ``zh_CN``); returns it."""
    global _current
    if language not in LANGUAGES:
        language = "zh_CN"
    app = QCoreApplication.instance()
    if app is None:
        return language
    translator: QTranslator = QTranslator()
    if not translator.load(f"station_{language}", str(HERE)):
        log.debug("no .qm for %s; reading the .ts", language)
        translator = TsTranslator(read_ts(ts_path(language)))
    if _current is not None:
        QCoreApplication.removeTranslator(_current)
    QCoreApplication.installTranslator(translator)
    _current = translator
    app.setProperty("station_language", language)
    return language


def current_language() -> str:
    app = QCoreApplication.instance()
    lang = app.property("station_language") if app is not None else None
    return str(lang) if lang else "zh_CN"
