"""``rfcheck`` with one unit that never finishes: the child process of the interruption tests.

Run as ``python -c "import _blocking_unit; _blocking_unit.main()" dossier ...`` with this
folder on ``PYTHONPATH`` (the pool's fork server and workers import it from there too):

- ``BLOCK_UNIT=<unit>``: that unit is judged and its plots, JSON and HTML written, then its
  PDF renderer creates the file ``BLOCKED=<path>`` and waits until the process is stopped;
  every other unit is judged and written as usual. A test waits for that file, so it signals
  the command while that unit is being written, however slow the machine.
- ``BLOCK_PRELOAD=1``: the pool's fork server, importing its preload, waits until the
  command has placed the captures and is starting its pool (the server starts before that,
  :func:`rfcheck.product.run.start_workers_early`), then creates ``BLOCKED`` and waits
  there until the command's process is gone (at most a minute).
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import rfcheck.product.run as dossier_run
import rfcheck.product.workers as dossier_workers
from rfcheck.product.unit_job import unit_job as judged_unit_job

run_pool = dossier_run._run_pool


def _wait_forever(*args: Any, **kwargs: Any) -> bytes:
    Path(os.environ["BLOCKED"]).touch()
    while True:
        time.sleep(0.1)


def unit_job(unit: str, *args: Any, **kwargs: Any) -> Any:
    """Judge and write ``unit`` as the dossier does; never return for ``BLOCK_UNIT``."""
    if unit == os.environ.get("BLOCK_UNIT"):
        import rfcheck.report.dossier.pdf as pdf

        pdf.render_dossier_pdf = _wait_forever
    return judged_unit_job(unit, *args, **kwargs)


def _run_pool_said(*args: Any, **kwargs: Any) -> Any:
    """Start the pool as the dossier does, having said so (``BLOCKED.pool``) for the preload."""
    Path(os.environ["BLOCKED"] + ".pool").touch()
    return run_pool(*args, **kwargs)


def main() -> None:
    """Run the ``rfcheck`` command line with the hooks the environment asks for."""
    dossier_run.unit_job = unit_job  # type: ignore[attr-defined]
    if os.environ.get("BLOCK_PRELOAD"):
        dossier_workers.WORKER_PRELOAD.insert(0, "_blocking_preload")
        dossier_run._run_pool = _run_pool_said
    from rfcheck.cli import main as cli

    cli()
