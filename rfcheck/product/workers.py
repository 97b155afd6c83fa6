"""The dossier's worker processes: their fork server, started early, and their set-up.

Each unit is judged in a worker forked from a server that imported what every unit needs
once (:data:`WORKER_PRELOAD`). The command starts the server as soon as it knows the run will
judge two units or more in a pool (:func:`start_workers_early`), so the server's imports
overlap the parent's placement and record checks; :func:`rfcheck.product.run.run_dossier`'s
pool meets it running (``docs/dossier.md``, "Speed").
"""

from __future__ import annotations

import multiprocessing
import signal
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..allocator import freeze_imported, keep_freed_memory
from ..batch.pool import SERVER_END
from ..errors import RfcheckError
from ..settings import Setup

__all__ = ["WORKER_PRELOAD", "start_server", "start_worker", "start_workers_early"]

#: What every unit's worker runs: the fork server imports it once (~0.7 s of loaders, verdict,
#: matplotlib and reportlab; :mod:`rfcheck.product.worker_modules`), and each worker starts
#: from that copy instead of importing it again. The parent scans the first units'
#: recordings meanwhile (:func:`rfcheck.product.run._scanned_here`). The server ends without
#: tearing its interpreter down (:mod:`rfcheck.batch.server_end`).
WORKER_PRELOAD = ["rfcheck.product.worker_modules", SERVER_END]


def start_worker(dossier_pid: int) -> None:
    """Set up a pool worker: freed memory kept, preloaded objects frozen, ended with the command.

    The fork server's imports (:data:`WORKER_PRELOAD`) are never traversed by the garbage
    collector again (:func:`rfcheck.allocator.freeze_imported`).
    """
    from ..batch.worker import exit_when_gone

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the command's: it stops the pool
    keep_freed_memory()  # as this process does (rfcheck.allocator)
    freeze_imported()
    exit_when_gone(dossier_pid)


def start_workers_early(
    dirs: Sequence[str | Path], setup: Setup, skip: Sequence[Path], jobs: int
) -> bool:
    """Start the workers' fork server now when the run will judge its units in a pool.

    That is when ``jobs > 1`` and the captures under ``dirs`` (discovered as
    :func:`~rfcheck.product.placement.place_captures` does, ``skip`` left out) are of at
    least two units; otherwise nothing is started (one unit, or ``--jobs 1``, is judged in
    this process). The server then imports :data:`WORKER_PRELOAD` (~0.8 s CPU) while this
    process places the captures and reads the record; the pool of
    :func:`~rfcheck.product.run.run_dossier` meets it running. Return whether it was started
    (a failure to start is the pool's to report).

    The command calls it once the setup is read (:func:`rfcheck.settings.load_setup`), before
    its record and plan tables are checked. A run refused after this (a fault in those
    tables, a unit folder on an input folder) leaves a server nobody uses; it ends with this
    process.
    """
    from .assign import discover_captures

    if jobs < 2:
        return False
    try:
        units = {f.unit for f in discover_captures(dirs, setup, skip).found}
    except (RfcheckError, OSError):  # said by place_captures, in the command's order
        return False
    if len(units) < 2:
        return False
    start_server()
    return True


def start_server() -> Any:
    """Start the fork server now (it imports the preload meanwhile); return its context.

    forkserver, not fork: the parent may hold threads (the receiver's) and locks. With this
    process's import path (:func:`rfcheck.batch.pool.ensure_forkserver`); a server running
    already is kept. The pool meets any failure to start.
    """
    from ..batch.pool import ensure_forkserver

    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(WORKER_PRELOAD)
    try:
        ensure_forkserver()
    except OSError:  # the pool reports it when it starts a worker
        pass
    return ctx
