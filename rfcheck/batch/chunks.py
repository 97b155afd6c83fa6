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
    "POOL_MIN_INPUTS",
    "POOL_MIN_BYTES",
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
#: The default ``jobs`` starts a pool only for at least this many inputs ...
POOL_MIN_INPUTS = 100
#: ... or inputs totalling at least this many bytes (input files and their companions). [B]
POOL_MIN_BYTES = 64 * 2**20


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


def pool_pays(n_inputs: int, total_bytes: int) -> bool:
    """Return whether a batch is worth a local process pool when ``jobs`` is not given.

    At least :data:`POOL_MIN_INPUTS` inputs, or inputs totalling at least
    :data:`POOL_MIN_BYTES`, and at least two inputs. Below that, starting the workers (a
    fresh interpreter importing the analysis and report code, about a second) costs more than
    a second core saves, so the batch runs in this process.

    Parameters
    ----------
    n_inputs : int
        Inputs to judge.
    total_bytes : int
        Their total size, :func:`input_bytes` summed. [B]
    """
    return n_inputs >= 2 and (n_inputs >= POOL_MIN_INPUTS or total_bytes >= POOL_MIN_BYTES)


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
