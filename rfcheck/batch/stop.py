"""A request to stop a batch: recorded when a signal arrives, honoured between captures.

``rfcheck batch`` handles SIGINT (Ctrl-C) and SIGTERM by recording the request here and then
raising ``KeyboardInterrupt``, which stops the capture being judged at once. That exception
can be lost: raised inside a look-up numpy makes and clears, or inside any code that catches
it, it never reaches the batch loop. The loop therefore also checks the request before each
capture (:func:`~rfcheck.batch.pool.run_inline`) and after each one
(:func:`~rfcheck.batch.runner.run_batch`), so the run still stops at the next capture, writes
the summary of what finished and exits 130 or 143 (``docs/batch.md``, "Interruption").
"""

from __future__ import annotations

import signal
from dataclasses import dataclass, field

__all__ = ["StopRequest"]


@dataclass
class StopRequest:
    """The signals that asked the batch to stop (none yet: carry on).

    A signal handler calls :meth:`request`; the batch loop reads :attr:`requested` between
    captures.
    """

    signals: list[int] = field(default_factory=list)

    def request(self, signum: int) -> None:
        """Record that signal ``signum`` asked the batch to stop."""
        self.signals.append(signum)

    @property
    def requested(self) -> bool:
        """Whether a stop was asked for."""
        return bool(self.signals)

    @property
    def terminated(self) -> bool:
        """Whether SIGTERM was among the signals (exit 143 rather than Ctrl-C's 130)."""
        return signal.SIGTERM in self.signals
