"""Divide a batch into chunks of inputs, and decide when a worker pool pays for itself.

A worker runs a *chunk* of inputs per task (:func:`plan_chunks`), so the cost of a task
(sending the jobs, returning the rows) is paid once per chunk, not once per input. By
default a local process pool starts only when the inputs are enough work to repay the
pool's start-up (:func:`pool_pays`). Both rules are stated in ``docs/batch.md`` ("Workers").
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

__all__ = [
    "CHUNK_MAX_INPUTS",
    "CHUNK_MAX_BYTES",
    "CHUNKS_PER_WORKER",
    "POOL_MIN_WORK_S",
    "WORK_PER_BYTE_S",
    "WORK_PER_INPUT_S",
    "estimated_work_s",
    "input_bytes",
    "plan_chunks",
    "pool_pays",
]

#: At most this many inputs per chunk: a chunk of 10k-point captures is well under a second
#: of work, so progress, Ctrl-C and the end of the run stay prompt.
CHUNK_MAX_INPUTS = 16
#: A chunk's inputs total at most this many bytes (a larger input is a chunk of its own:
#: time-domain recordings take seconds each). [B]
CHUNK_MAX_BYTES = 4 * 2**20
#: At least this many chunks per worker when there are enough inputs, so the workers finish
#: together (the last chunk is a small part of each worker's share).
CHUNKS_PER_WORKER = 8
#: Estimated work per input besides its bytes: reading, the reports, the resume state. [s]
WORK_PER_INPUT_S = 0.008
#: Estimated work per byte of input: a 10k-point CSV capture (150 kB) is about 19 ms more.
#: [s/B]
WORK_PER_BYTE_S = 1 / 8e6
#: The default ``jobs`` starts a pool only for at least this much estimated work: the pool's
#: start-up (a fork server importing the analysis, about a second, which the first input
#: would otherwise pay in this process) and the last chunk then cost less than the second
#: worker saves. [s]
POOL_MIN_WORK_S = 2.0


def input_bytes(path: Path) -> int:
    """Return the size of an input: its file and the files it is read from (SigMF data).

    In bytes; 0 for a file that cannot be read (reading it reports the error). [B]
    """
    from ..io import companion_files  # deferred: the readers' registry

    total = 0
    for p in (path, *companion_files(path)):
        try:
            total += p.stat().st_size
        except OSError:
            pass
    return total


def estimated_work_s(n_inputs: int, total_bytes: int) -> float:
    """Return the estimated time to judge the inputs in one process, imports aside.

    :data:`WORK_PER_INPUT_S` per input plus :data:`WORK_PER_BYTE_S` per byte. [s]

    Parameters
    ----------
    n_inputs : int
        Inputs to judge.
    total_bytes : int
        Their total size, :func:`input_bytes` summed. [B]
    """
    return n_inputs * WORK_PER_INPUT_S + total_bytes * WORK_PER_BYTE_S


def pool_pays(n_inputs: int, total_bytes: int) -> bool:
    """Return whether a batch is worth a local process pool when ``jobs`` is not given.

    At least two inputs and at least :data:`POOL_MIN_WORK_S` of :func:`estimated_work_s`
    (e.g. 100 captures of 10,000 points, or 250 inputs of any size). Below that, the batch
    runs in this process.

    Parameters
    ----------
    n_inputs : int
        Inputs to judge.
    total_bytes : int
        Their total size, :func:`input_bytes` summed. [B]
    """
    return n_inputs >= 2 and estimated_work_s(n_inputs, total_bytes) >= POOL_MIN_WORK_S


def plan_chunks(sizes_bytes: Sequence[int], workers: int) -> list[range]:
    """Split the inputs, in order, into consecutive chunks for ``workers`` workers.

    A chunk holds at most :data:`CHUNK_MAX_INPUTS` inputs totalling at most
    :data:`CHUNK_MAX_BYTES` (a larger input is a chunk of its own); there are at least
    :data:`CHUNKS_PER_WORKER` chunks per worker when there are enough inputs (a small batch
    gets one input per chunk).

    Parameters
    ----------
    sizes_bytes : sequence of int
        The size of each input (:func:`input_bytes`). [B]
    workers : int
        Workers sharing the chunks (>= 1).

    Returns
    -------
    list of range
        Indices into ``sizes_bytes`` of each chunk; together every index once, in order.
    """
    n = len(sizes_bytes)
    if n == 0:
        return []
    per_chunk = max(1, min(CHUNK_MAX_INPUTS, math.ceil(n / (max(1, workers) * CHUNKS_PER_WORKER))))
    chunks: list[range] = []
    start, total = 0, 0
    for i, size in enumerate(sizes_bytes):
        size = max(0, size)
        if i > start and (i - start >= per_chunk or total + size > CHUNK_MAX_BYTES):
            chunks.append(range(start, i))
            start, total = i, 0
        total += size
    chunks.append(range(start, n))
    return chunks
