"""Cyclic garbage collection on the UI thread only.

Why: Python runs its cycle collector on whichever thread happens to allocate when a
threshold is crossed.  In the station that is often a device thread (a ``QThread``), the
PC/SC monitor or a virtual card's link.  When the garbage holds a Qt object that Python
owns (a controller without a parent, the device workers of a closed window), its C++
destructor then runs on that thread — but a Qt object must die on the thread it lives
on, and the process ends in a segmentation fault at some later, unrelated moment (seen
in CI: a device thread collected while a test on the UI thread was running).

So while the app runs, automatic collection is off and a timer on the UI thread collects
instead, generation by generation, as the thresholds would have.  Reference counting still
frees everything that is not in a cycle at once; only cycles wait for the next tick.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer, Slot

INTERVAL_MS = 500


class UiThreadCollector(QObject):
    """Switches automatic collection off and collects on the UI thread every tick;
    ``stop()`` collects everything once more and restores what was there before."""

    def __init__(self, parent: QObject | None = None, interval_ms: int = INTERVAL_MS) -> None:
        super().__init__(parent)
        self._was_enabled = gc.isenabled()
        self._stopped = False
        gc.disable()
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.tick)
        self._timer.start()

    @Slot()
    def tick(self) -> int:
        """Collect the oldest generation whose count passed its threshold (if any);
        returns how many unreachable objects were found."""
        counts = gc.get_count()
        thresholds = gc.get_threshold()
        for generation in (2, 1, 0):
            limit = thresholds[generation]
            if limit and counts[generation] > limit:
                return gc.collect(generation)
        return 0

    def stop(self) -> int:
        """A full collection now (on the calling thread, the UI thread), then automatic
        collection back as it was."""
        if self._stopped:
            return 0
        self._stopped = True
        self._timer.stop()
        found = gc.collect()
        if self._was_enabled:
            gc.enable()
        return found


__all__ = ["INTERVAL_MS", "UiThreadCollector"]
