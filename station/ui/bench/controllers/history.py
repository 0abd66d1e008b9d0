"""The APDU console's command history (up/down recall), plain Python.

Why its own class: the rules (no duplicates in a row, a bound, never a secret command)
are logic, tested without a widget; the line edit only asks for the previous/next entry.
"""

from __future__ import annotations


class CommandHistory:
    """Commands typed in this session, oldest first, at most ``limit`` of them.

    The cursor sits one past the newest entry after each ``add``: ``previous`` walks
    back, ``next`` walks forward and gives ``""`` when it passes the newest (an empty
    entry line, as in a shell)."""

    def __init__(self, limit: int = 200) -> None:
        self.limit = limit
        self._items: list[str] = []
        self._cursor = 0

    @property
    def items(self) -> list[str]:
        return list(self._items)

    def add(self, text: str) -> None:
        text = text.strip()
        if text and (not self._items or self._items[-1] != text):
            self._items.append(text)
            del self._items[: -self.limit]
        self._cursor = len(self._items)

    def previous(self) -> str | None:
        """The entry before the cursor, or ``None`` at the oldest."""
        if self._cursor == 0:
            return None
        self._cursor -= 1
        return self._items[self._cursor]

    def next(self) -> str | None:
        """The entry after the cursor; ``""`` past the newest; ``None`` when already there."""
        if self._cursor >= len(self._items):
            return None
        self._cursor += 1
        return self._items[self._cursor] if self._cursor < len(self._items) else ""
