"""Table models for the supervisor's screens: plain rows under a sort/filter proxy.

Why one generic model: every table here shows rows the stock book already returns as
tuples (reports, blanks, users, outbox records).  ``RowsModel`` holds them unchanged and
sorts numbers as numbers (``SortRole`` keeps the raw value); ``FilterTable`` puts a
``QSortFilterProxyModel`` between the model and the view, so the filter box matches any
column and a click on a header sorts — the view never reorders the data itself.

A column of the book's codes (a blank's state, a ledger action, a location kind …) names a
function of ``supervisor.words`` in ``words``: the cell shows the word in the language now
chosen, and the filter matches that word; ``UserRole`` keeps the code, so sorting groups
by code and ``rows`` stay the book's own values.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

_Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()


class RowsModel(QAbstractTableModel):
    """Rows of plain values; ``headers`` is called again on a language change."""

    def __init__(
        self,
        headers: Callable[[], Sequence[str]],
        parent: Any = None,
        words: dict[int, Callable[[Any], str]] | None = None,
    ) -> None:
        super().__init__(parent)
        self._headers = headers
        self.words: dict[int, Callable[[Any], str]] = dict(words or {})  # column -> word
        self.rows: list[tuple[Any, ...]] = []
        self.checkable = False  # a first column of check boxes (which cards to act on)
        self.checked: set[int] = set()

    def set_rows(self, rows: Sequence[Sequence[Any]]) -> None:
        self.beginResetModel()
        self.rows = [tuple(r) for r in rows]
        self.checked = set()
        self.endResetModel()

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, self.columnCount() - 1)
        if self.words and self.rows:  # the words of the cells, in the language now chosen
            last = self.index(len(self.rows) - 1, self.columnCount() - 1)
            self.dataChanged.emit(self.index(0, 0), last, [Qt.ItemDataRole.DisplayRole])

    def rowCount(self, parent: _Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._headers())

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            heads = self._headers()
            return heads[section] if 0 <= section < len(heads) else None
        return section + 1

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        row = self.rows[index.row()]
        value = row[index.column()] if index.column() < len(row) else ""
        if role == Qt.ItemDataRole.DisplayRole:
            if value is None:
                return ""
            word = self.words.get(index.column())
            return word(value) if word is not None else str(value)
        if role == Qt.ItemDataRole.UserRole:  # the raw value: numbers sort as numbers
            return (
                value if isinstance(value, int | float) else ("" if value is None else str(value))
            )
        if role == Qt.ItemDataRole.CheckStateRole and self.checkable and index.column() == 0:
            on = index.row() in self.checked
            return Qt.CheckState.Checked if on else Qt.CheckState.Unchecked
        return None

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not (self.checkable and index.isValid() and role == Qt.ItemDataRole.CheckStateRole):
            return False
        if Qt.CheckState(value) == Qt.CheckState.Checked:
            self.checked.add(index.row())
        else:
            self.checked.discard(index.row())
        self.dataChanged.emit(index, index, [role])
        return True

    def flags(self, index: _Index) -> Qt.ItemFlag:
        f = super().flags(index)
        if self.checkable and index.column() == 0:
            f |= Qt.ItemFlag.ItemIsUserCheckable
        return f

    def checked_rows(self) -> list[tuple[Any, ...]]:
        return [self.rows[i] for i in sorted(self.checked) if i < len(self.rows)]

    def set_all_checked(self, on: bool) -> None:
        self.checked = set(range(len(self.rows))) if on else set()
        if self.rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1, 0))


class FilterTable(QWidget):
    """A filter box over a sortable table: ``model`` (rows), ``proxy`` (sort/filter),
    ``view`` (the QTableView)."""

    def __init__(
        self,
        headers: Callable[[], Sequence[str]],
        parent: QWidget | None = None,
        words: dict[int, Callable[[Any], str]] | None = None,
    ):
        super().__init__(parent)
        self.model = RowsModel(headers, self, words)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(Qt.ItemDataRole.UserRole)
        self.proxy.setFilterKeyColumn(-1)  # any column
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.filter = QLineEdit()
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self.proxy.setFilterFixedString)
        self.view = QTableView()
        self.view.setModel(self.proxy)
        self.view.setSortingEnabled(True)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.view.horizontalHeader().setStretchLastSection(True)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.filter)
        box.addWidget(self.view)
        self.retranslate()

    def set_rows(self, rows: Sequence[Sequence[Any]]) -> None:
        self.model.set_rows(rows)
        self.view.resizeColumnsToContents()

    def visible_rows(self) -> list[tuple[Any, ...]]:
        """The rows as shown: filtered and in the sorted order."""
        out = []
        for r in range(self.proxy.rowCount()):
            src = self.proxy.mapToSource(self.proxy.index(r, 0))
            out.append(self.model.rows[src.row()])
        return out

    def selected_rows(self) -> list[tuple[Any, ...]]:
        rows = {self.proxy.mapToSource(i).row() for i in self.view.selectionModel().selectedRows()}
        return [self.model.rows[r] for r in sorted(rows)]

    def retranslate(self) -> None:
        self.filter.setPlaceholderText(self.tr("Filter…"))
        self.model.retranslate()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
