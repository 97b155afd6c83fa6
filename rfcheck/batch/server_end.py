"""The workers' fork server ends at once, without tearing its interpreter down.

multiprocessing's fork server (the parent of every pool worker of ``rfcheck batch`` and
``rfcheck dossier``) ends when the command's process does: its ``alive`` pipe closes and it
raises ``SystemExit``. Finalising its interpreter then frees, object by object, everything
its preload imported (matplotlib, reportlab, pandas, numpy: 0.07-0.17 s on the sample rig's
dossier, measured with ``benchmarks/dossier.py``'s command), and all that time it still holds
the command's standard output and error, inherited when it was started. A caller reading
them to their end (a pipeline ``rfcheck dossier ... | tee log``, ``subprocess.run(...,
capture_output=True)``, a CI log) waits for it after the command has exited.

Nothing in the server needs finalising: it writes no file, holds no output buffer of its
own (its standard streams are flushed first) and its workers are forked children that end
with ``os._exit`` anyway; it has no ``multiprocessing.util`` finaliser and no child process
of its own to wait for. Imported as a fork server preload module (listed last, after the
modules the workers need), this module registers an exit handler that flushes the standard
streams and calls :func:`os._exit`: registered last, it runs first, and the interpreter's
teardown is skipped. Imported anywhere else it does nothing (it checks that multiprocessing's
fork server is importing it).
"""

from __future__ import annotations

import atexit
import os
import sys
from types import FrameType

__all__ = ["in_fork_server_preload"]


def in_fork_server_preload() -> bool:
    """Return True when imported by multiprocessing's fork server as a preload module."""
    frame: FrameType | None = sys._getframe(1)
    while frame is not None:
        if (
            frame.f_code.co_name == "main"
            and frame.f_globals.get("__name__") == "multiprocessing.forkserver"
        ):
            return True
        frame = frame.f_back
    return False


def _end_now() -> None:
    """Flush the standard streams and end this process with status 0, skipping teardown."""
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except (OSError, ValueError):  # a closed pipe: nothing left to say there
            pass
    os._exit(0)


if in_fork_server_preload():
    atexit.register(_end_now)  # registered last: the first handler run at exit
