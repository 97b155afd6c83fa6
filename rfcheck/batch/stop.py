"""A request to stop a batch: recorded when a signal arrives, honoured between captures.

``rfcheck batch`` handles SIGINT (Ctrl-C) and SIGTERM (:func:`stop_on_signals`) by recording
the request here and then raising ``KeyboardInterrupt``, which stops the capture being
judged at once. That exception can be lost: raised inside a look-up numpy makes and clears,
or inside any code that catches it, it never reaches the batch loop. The loop therefore also
checks the request before each capture (:func:`~rfcheck.batch.pool.run_inline`) and after
each one (:func:`~rfcheck.batch.runner.run_batch`), so the run still stops at the next
capture, writes the summary of what finished and exits 130 or 143 (``docs/batch.md``,
"Interruption").
"""

from __future__ import annotations

import contextlib
import signal
from collections.abc import Iterator
from dataclasses import dataclass, field

__all__ = ["StopRequest", "stop_on_signals"]


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


#: The signals that stop a batch: Ctrl-C, and ``kill``/``timeout``/a cancelled CI job.
_STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


@contextlib.contextmanager
def stop_on_signals(stop: StopRequest) -> Iterator[None]:
    """Handle SIGINT and SIGTERM while the batch runs: workers stopped, the summary written.

    The handler records the signal in ``stop`` and raises ``KeyboardInterrupt``, which stops
    the capture being judged at once. Should that exception be lost on its way (raised inside
    a look-up numpy makes and clears), the batch loop still finds the request between
    captures (:class:`StopRequest`). ``stop.terminated`` says which exit code to use.
    Outside the main thread (no signal handler can be set) nothing changes.
    """

    def handler(signum: int, frame: object) -> None:
        stop.request(signum)
        raise KeyboardInterrupt

    previous = {}
    try:
        for signum in _STOP_SIGNALS:
            previous[signum] = signal.signal(signum, handler)
    except ValueError:  # not the main thread
        yield
        return
    try:
        yield
    finally:
        for signum, old in previous.items():
            signal.signal(signum, old)
