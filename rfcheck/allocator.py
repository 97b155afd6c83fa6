"""How an rfcheck process's C allocator keeps freed memory (glibc only).

Rendering a report allocates and frees the same few large buffers for every capture: the
PNG rows and their filtered copy (3.6 MB each for a 1200 x 992 plot), transformed paths,
parsed tables. glibc's ``malloc`` serves blocks above its mmap threshold (128 KiB, raised
on the fly up to the largest block freed so far) with fresh pages from the kernel, and
returns free memory at the top of its heap once it exceeds the trim threshold (twice that):
each capture then pays its buffers again as page faults. Measured on a plot of 10,000
points: ~2,000 minor page faults and 55.7 ms per plot before, ~85 and 47.5 ms with
:func:`keep_freed_memory` (same pixels; ``benchmarks/plots.py``, docs/plots.md).

:func:`keep_freed_memory` sets fixed thresholds with ``mallopt``: ``M_MMAP_THRESHOLD``
32 MiB (above a 200 dpi plot's 14 MB buffers; larger blocks still come from and go back to
the kernel) and ``M_TRIM_THRESHOLD`` 64 MiB (a process keeps up to that much freed heap
for re-use instead of handing it back). The
command line calls it at start and in each worker process it starts; a library user
calls it, or not, in their own process (rfcheck never does on import). It does nothing
on other C libraries, or when the user already tuned glibc through the environment
(``MALLOC_MMAP_THRESHOLD_``, ``MALLOC_TRIM_THRESHOLD_``, ``GLIBC_TUNABLES``).

:func:`freeze_imported` is the collector's side of the same start: a worker process begins
with its modules imported, ~200,000 objects that live as long as it does, and every full
(generation 2) collection of the cyclic garbage collector would traverse them again. Moved to
the permanent generation (``gc.freeze``) they are not traversed; the objects the work
creates are collected as before. The sample rig's two unit records, written in one process
after the workers' imports: 1.28 s CPU before, 1.13 s frozen (``benchmarks/dossier.py``).

References
----------
mallopt(3), Linux man-pages: ``M_MMAP_THRESHOLD``, ``M_TRIM_THRESHOLD`` and the dynamic
mmap threshold that setting either turns off. Python documentation, ``gc.freeze``.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = [
    "MMAP_THRESHOLD_BYTES",
    "TRIM_THRESHOLD_BYTES",
    "freeze_imported",
    "imports_uncollected",
    "keep_freed_memory",
]

#: Blocks at or above this size still come from (and go back to) the kernel. [byte]
MMAP_THRESHOLD_BYTES = 32 << 20
#: Free memory kept at the top of the heap before any is returned to the kernel. [byte]
TRIM_THRESHOLD_BYTES = 64 << 20

_M_TRIM_THRESHOLD = -1  # mallopt parameter numbers, <malloc.h>
_M_MMAP_THRESHOLD = -3
_USER_TUNING = ("MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_", "GLIBC_TUNABLES")
_applied = False


def _is_glibc() -> bool:
    try:
        return (os.confstr("CS_GNU_LIBC_VERSION") or "").startswith("glibc")
    except (AttributeError, ValueError, OSError):  # no confstr, or no such name here
        return False


def keep_freed_memory() -> bool:
    """Let this process keep freed memory for re-use (glibc); return True if now in effect.

    Idempotent; returns False, changing nothing, on another C library, when the environment
    already tunes glibc's allocator, or when ``mallopt`` refuses a value.
    """
    global _applied
    if _applied:
        return True
    if not _is_glibc() or any(k in os.environ for k in _USER_TUNING):
        return False
    import ctypes

    try:
        libc = ctypes.CDLL(None)  # the running program's symbols: glibc's mallopt
        mallopt = libc.mallopt
    except (OSError, AttributeError):  # pragma: no cover - glibc always exports it
        return False
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    mallopt.restype = ctypes.c_int
    _applied = bool(
        mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES)
        and mallopt(_M_TRIM_THRESHOLD, TRIM_THRESHOLD_BYTES)
    )
    return _applied


def freeze_imported() -> int:
    """Exempt every object alive now from the cyclic collector's passes; return their count.

    For a worker process once its imports are done (and its shared tables loaded): those
    objects live as long as the process, and a frozen object is never traversed or freed by
    the collector again (``gc.freeze``). Call it before the work, not during: garbage in a
    reference cycle at that moment would be kept.
    """
    gc.freeze()
    return gc.get_freeze_count()


@contextmanager
def imports_uncollected() -> Iterator[None]:
    """Run a block that imports modules with the cyclic collector paused, then freeze them.

    Importing numba, scipy and the renderers makes hundreds of thousands of objects that
    live as long as the process; while they are made, the collector's full passes traverse
    all of them again each time their number has grown by a quarter (the sample dossier's
    process: two full passes, 0.15-0.4 s, under load). Paused for the block, then frozen
    (:func:`freeze_imported`), they are never traversed. For blocks that make long-lived
    objects and little garbage (imports, loading tables, scanning one short recording):
    garbage in a reference cycle made by the block is kept.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        freeze_imported()
        if enabled:
            gc.enable()
