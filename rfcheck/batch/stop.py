"""Stopping ``rfcheck batch`` and ``rfcheck dossier`` on a signal: recorded, then honoured.

Both commands handle SIGINT (Ctrl-C) and SIGTERM (:func:`stop_on_signals`) by recording the
request in a :class:`StopRequest` and then raising ``KeyboardInterrupt``, which stops the
work in hand at once. That exception can be lost: raised inside a look-up numpy makes and
clears, or inside any code that catches it, it never reaches the command's loop. The loops
therefore also check the request between their steps (before and after each capture of a
batch, :func:`~rfcheck.batch.pool.run_inline` and :func:`~rfcheck.batch.runner.run_batch`;
after each unit of a dossier, :func:`~rfcheck.product.run.run_dossier`), so the run still
stops at the next step, writes the summary of what finished and exits 130 or 143
(``docs/batch.md`` and ``docs/dossier.md``, "Interruption").

A step that must finish once begun (a record moved into place, the summary written) runs
under :func:`signals_deferred`; the process pool is stopped, its fork server with it, by
:func:`stop_pool`; a fork server is started ignoring Ctrl-C (:func:`children_ignore_ctrl_c`),
so that a Ctrl-C while it imports prints no traceback of its own.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from types import FrameType
from typing import Any

__all__ = [
    "StopRequest",
    "children_ignore_ctrl_c",
    "signals_deferred",
    "stop_on_signals",
    "stop_pool",
]


@dataclass
class StopRequest:
    """The signals that asked the run to stop (none yet: carry on).

    A signal handler calls :meth:`request`; the run's loop reads :attr:`requested` between
    its steps.
    """

    signals: list[int] = field(default_factory=list)

    def request(self, signum: int) -> None:
        """Record that signal ``signum`` asked the run to stop."""
        self.signals.append(signum)

    @property
    def requested(self) -> bool:
        """Whether a stop was asked for."""
        return bool(self.signals)

    @property
    def terminated(self) -> bool:
        """Whether SIGTERM was among the signals (exit 143 rather than Ctrl-C's 130)."""
        return signal.SIGTERM in self.signals


#: The signals that stop a run: Ctrl-C, and ``kill``/``timeout``/a cancelled CI job.
_STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


@contextlib.contextmanager
def _handling(handler: Callable[[int, FrameType | None], None]) -> Iterator[bool]:
    """Handle the stop signals with ``handler`` inside the block; yield whether it could.

    Outside the main thread no signal handler can be set: nothing changes (False). A SIGINT
    ignored when the block begins stays ignored (a shell starts background jobs so, and a
    program keeps that: ``kill -INT`` does not stop a background run; SIGTERM does).
    """
    previous = {}
    try:
        for signum in _STOP_SIGNALS:
            if signum == signal.SIGINT and signal.getsignal(signum) == signal.SIG_IGN:
                continue
            previous[signum] = signal.signal(signum, handler)
    except ValueError:  # not the main thread
        yield False
        return
    try:
        yield True
    finally:
        for signum, old in previous.items():
            signal.signal(signum, old)


@contextlib.contextmanager
def stop_on_signals(stop: StopRequest) -> Iterator[None]:
    """Handle SIGINT and SIGTERM while the run goes on: workers stopped, the summary written.

    The handler records the signal in ``stop`` and raises ``KeyboardInterrupt``, which stops
    the work in hand at once. Should that exception be lost on its way (raised inside a
    look-up numpy makes and clears), the run's loop still finds the request between its
    steps (:class:`StopRequest`). ``stop.terminated`` says which exit code to use. Outside
    the main thread (no signal handler can be set) nothing changes.
    """

    def handler(signum: int, frame: FrameType | None) -> None:
        stop.request(signum)
        raise KeyboardInterrupt

    previous = sys.unraisablehook

    def unraisable(args: Any) -> None:
        # the handler's KeyboardInterrupt raised where Python cannot pass it on (a ctypes
        # callback of numba's compiler, a __del__) is printed as "Exception ignored ...";
        # the stop is recorded already and the run ends with its one line, so it is not
        if issubclass(args.exc_type, KeyboardInterrupt) and stop.requested:
            return
        previous(args)

    sys.unraisablehook = unraisable
    try:
        with _handling(handler):
            yield
    finally:
        sys.unraisablehook = previous


@contextlib.contextmanager
def signals_deferred(stop: StopRequest) -> Iterator[None]:
    """Run a step that must finish once begun: a stop signal meanwhile is only recorded.

    Inside the block SIGINT and SIGTERM raise nothing; they are recorded in ``stop``, which
    the caller reads when the step is done (a unit's record moved into place whole, a
    stopped run's clean-up and summary). The handlers of before are back after the block.
    Outside the main thread nothing changes.
    """

    def record(signum: int, frame: FrameType | None) -> None:
        stop.request(signum)

    with _handling(record):
        yield


@contextlib.contextmanager
def children_ignore_ctrl_c() -> Iterator[None]:
    """Start, inside the block, processes that ignore Ctrl-C from their first instruction.

    A terminal sends Ctrl-C to every process of the command, the fork server included,
    which imports its preload (a second or more) before it sets Ctrl-C aside itself: it
    printed a ``KeyboardInterrupt`` traceback of its own. A signal ignored at ``exec`` stays
    ignored, so the server is started with SIGINT ignored, and its workers ignore it too
    (the command's process stops them). In this process a Ctrl-C arriving meanwhile is
    blocked, not lost: it is handled when the block ends. Where signals cannot be blocked,
    or outside the main thread, nothing changes.
    """
    if not hasattr(signal, "pthread_sigmask"):  # pragma: no cover - not POSIX
        yield
        return
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    except ValueError:  # not the main thread
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)


def stop_pool(pool: ProcessPoolExecutor) -> None:
    """Stop a process pool at once: cancel its queued tasks, end its workers and fork server.

    What a worker had finished and returned stays; the work of the others is lost (a batch
    input left no resume state, a dossier unit's staging folder is removed by the caller).
    The fork server is ended too (:func:`_end_fork_server`); a later pool starts another.
    """
    terminate = getattr(pool, "terminate_workers", None)  # Python >= 3.14
    if terminate is not None:
        terminate()
    else:
        # Before 3.14 there is no public way: the worker processes, taken before shutdown()
        # forgets them.
        processes = list((getattr(pool, "_processes", None) or {}).values())
        pool.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            process.terminate()
        for process in processes:
            process.join(5)
    _end_fork_server()


def _end_fork_server() -> None:
    """End multiprocessing's fork server, if it runs; the next pool starts it again.

    Stopped while the server still imported its preload, the pool had asked it for a
    worker: the server, once done, forked that worker after the command had ended, and the
    worker printed a traceback (the pool's queues it was to use were gone). Ended now, it
    forks nothing. There is no public way to reach the server: its process id is read from
    the module's own record, and nothing is done without it (another start method).
    """
    from multiprocessing import forkserver

    pid = getattr(getattr(forkserver, "_forkserver", None), "_forkserver_pid", None)
    if not isinstance(pid, int):
        return
    try:
        os.kill(pid, signal.SIGTERM)
    except OSError:  # gone already
        pass
