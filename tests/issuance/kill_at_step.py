"""``station`` in a process that SIGKILLs itself right after one journal step committed.

Test-only and harmless: it wraps ``Journal.advance`` / ``Journal.create`` *in its own
process* so that, the moment the row for ``STEP`` is committed, the process dies with
SIGKILL — no handler, no ``finally``, no flush: what a power cut or the OOM killer does to
the station at exactly that point.  Everything else is the real ``station`` command line.

Usage: ``python -m tests.issuance.kill_at_step STEP station-args…`` (``STEP``: a ``Step``
value, or ``create``).
"""

from __future__ import annotations

import os
import signal
import sys
from typing import Any

from station.cli import main
from station.issuance.journal import Journal


def arm(step: str) -> None:
    """Make this process die right after ``step``'s journal row is committed."""
    advance = Journal.advance
    create = Journal.create

    def advance_then_die(self: Journal, job_id: str, s: Any, **kw: Any) -> Any:
        info = advance(self, job_id, s, **kw)
        # ``then``: further steps committed in the same transaction (Journal.advance)
        if step in {s.value, *(t.step.value for t in kw.get("then", ()))}:
            os.kill(os.getpid(), signal.SIGKILL)
        return info

    def create_then_die(self: Journal, *a: Any, **kw: Any) -> Any:
        info = create(self, *a, **kw)
        if step == "create":
            os.kill(os.getpid(), signal.SIGKILL)
        return info

    Journal.advance = advance_then_die  # type: ignore[method-assign]
    Journal.create = create_then_die  # type: ignore[method-assign]


if __name__ == "__main__":
    arm(sys.argv[1])
    raise SystemExit(main(sys.argv[2:]))
