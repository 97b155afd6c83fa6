"""The recording's samples as the receiver reads them: checks, block reads, level conversion.

Input checks before a run (:func:`check_input`: centre frequency, sample array, scale), a
check of every block as it is read (:func:`check_block`: NaN/Inf and out-of-range samples,
named by index), the conversion of an ENVELOPE series' levels back to the IF envelope
(:func:`envelope_volts`) and the release of a memory-mapped recording's pages once read
(:func:`drop_mapped_pages`), so a recording of any length runs in bounded memory.
"""

from __future__ import annotations

import math
import mmap

import numpy as np
from numpy.typing import NDArray

from ..capture import SampleKind, TimeSeries
from ..errors import ReceiverError
from ..io.iq_centre import CENTRE_ROUTES
from ..units import LevelUnit, dbuv_to_volts, to_dbuv_like

__all__ = [
    "MAX_SAMPLE_MAGNITUDE",
    "check_block",
    "check_center",
    "count_clipped",
    "check_input",
    "drop_mapped_pages",
    "envelope_volts",
]


def envelope_volts(ts: TimeSeries, x: NDArray[np.generic]) -> NDArray[np.float64]:
    """Return the IF envelope (peak volts) of ENVELOPE levels ``x`` in ``ts.unit``.

    The levels are rms-calibrated (a sine's rms value), so the envelope is √2 times the
    level in volts. [V]
    """
    if ts.unit is None:
        raise ReceiverError("ENVELOPE series has no level unit; cannot convert to volts")
    lvl, unit = to_dbuv_like(np.asarray(x, dtype=float), ts.unit)
    if unit is not LevelUnit.DBUV:
        raise ReceiverError(f"ENVELOPE unit {ts.unit.value} is not a voltage level")
    return dbuv_to_volts(lvl) * math.sqrt(2.0)


def drop_mapped_pages(samples: object, start: int, stop: int) -> None:
    """Unmap the pages of a read-only memmap that ``samples[start:stop]`` spans.

    Pages of a file mapping that were read stay in the process's resident set until the
    kernel needs the memory, so a long recording would show an RSS the size of the file.
    ``MADV_DONTNEED`` on a shared read-only mapping only drops them from this process (they
    stay in the page cache; a later read faults them back in), keeping RSS bounded. Anything
    other than a read-only :class:`numpy.memmap` is left alone.
    """
    mm = getattr(samples, "_mmap", None)
    if (
        mm is None
        or getattr(samples, "mode", None) != "r"
        or not hasattr(mmap, "MADV_DONTNEED")
        or not isinstance(samples, np.ndarray)
    ):
        return
    part = samples[start:stop]
    if part.size == 0 or min(part.strides, default=1) < 0:
        return
    try:
        base = np.frombuffer(mm, dtype=np.uint8).ctypes.data
        lo = part.ctypes.data - base
        hi = lo + sum((n - 1) * st for n, st in zip(part.shape, part.strides, strict=True))
        hi += part.itemsize
        lo -= lo % mmap.PAGESIZE
        if 0 <= lo < hi <= len(mm):
            mm.madvise(mmap.MADV_DONTNEED, lo, hi - lo)
    except (OSError, ValueError, BufferError, TypeError):
        return


def unknown_centre_message(why: str = "", routes: str = CENTRE_ROUTES) -> str:
    """Say that the I/Q recording's centre frequency is unknown, why, and how to state it.

    ``why``: the reader's reason (:func:`~rfcheck.io.iq_centre.unknown_centre_reason`;
    default "the file states none"); ``routes``: how a user states the centre.
    """
    return (
        f"the I/Q recording's centre frequency is unknown ({why or 'the file states none'}); "
        f"state it with {routes}"
    )


def check_center(ts: TimeSeries, why: str = "") -> None:
    """ReceiverError for an I/Q or envelope recording whose centre frequency is unknown.

    ``why``: the reader's reason, when known (:func:`unknown_centre_message`).
    """
    if ts.kind is not SampleKind.REAL and not math.isfinite(ts.center_freq_hz):
        raise ReceiverError(unknown_centre_message(why))


def check_input(ts: TimeSeries, block_s: float | None) -> None:
    """ReceiverError for a sample array, scale or block length the receiver cannot use."""
    check_center(ts)
    if block_s is not None and not (math.isfinite(block_s) and block_s > 0):
        raise ReceiverError(f"block_s must be a positive number of seconds, got {block_s!r}")
    samples = ts.samples
    shape = getattr(samples, "shape", None)
    if shape is None or len(shape) != 1:
        raise ReceiverError(f"{ts.kind.name} samples must be a 1-D array, got shape {shape}")
    if ts.kind is SampleKind.ENVELOPE:
        return
    vpu = ts.volts_per_unit
    if not (isinstance(vpu, (int, float, np.number)) and math.isfinite(vpu) and vpu > 0):
        raise ReceiverError(f"volts_per_unit must be a positive finite number, got {vpu!r}")
    dt = np.dtype(samples.dtype)
    if ts.kind is SampleKind.IQ and dt.kind != "c":
        raise ReceiverError(f"IQ samples must be a 1-D complex array (I + jQ), got dtype {dt}")
    if ts.kind is SampleKind.REAL and dt.kind not in "iuf":
        raise ReceiverError(f"REAL samples must be a 1-D real array, got dtype {dt}")


#: Largest sample magnitude the receiver accepts, in the recording's own units, BEFORE
#: ``volts_per_unit`` (the channeliser's single-precision FFTs run on the raw samples and apply
#: the scale at their output): beyond it the single-precision envelope and power arithmetic
#: overflow, and every detector would read NaN. A file stating a tiny scale does not lift it.
#: [unit of the samples]
MAX_SAMPLE_MAGNITUDE = 1e12


def check_block(x: NDArray[np.generic], start: int) -> float:
    """Raise ReceiverError at the first NaN/Inf or out-of-range sample of block ``x``.

    ``start`` is the index of the block's first sample in the recording. Returns the
    block's largest magnitude ``max |x|`` in sample units (0 for an all-zero or empty
    block), found in the same pass as the non-finite check.
    """
    if not x.shape[0]:
        return 0.0
    with np.errstate(all="ignore"):
        if x.dtype.kind in "iuf":  # no |x| temporary; NaN propagates through max and min
            peak = max(float(np.max(x)), -float(np.min(x)))
        else:
            peak = float(np.max(np.abs(x)))
    if not math.isfinite(peak):
        with np.errstate(all="ignore"):  # printing a NaN numpy scalar warns on its cast
            bad = np.flatnonzero(~np.isfinite(x))
            i = start + int(bad[0]) if bad.shape[0] else start
            value = x[bad[0]].item() if bad.shape[0] else peak
        raise ReceiverError(
            f"sample {i} of the recording is not finite ({value}); "
            "the receiver cannot read a record with NaN/Inf samples"
        )
    if peak > MAX_SAMPLE_MAGNITUDE * (1 + 2.0**-20):  # the limit itself, in float32, passes
        i = start + int(np.argmax(np.abs(x)))
        raise ReceiverError(
            f"sample {i} of the recording has magnitude {peak:.7g} in the file's own units "
            f"(before any volts_per_unit), above the {MAX_SAMPLE_MAGNITUDE:.0e} the receiver's "
            "single-precision arithmetic computes with; store the samples at a smaller scale"
        )
    return peak


def count_clipped(x: NDArray[np.generic], full_scale: float | None) -> int:
    """Return how many samples of block ``x`` sit on an integer type's rails.

    A sample is counted when a component (I, Q or the real value) equals ``-full_scale`` or
    ``full_scale - 1`` (:attr:`rfcheck.capture.TimeSeries.full_scale`, in sample units): the
    digitiser could not represent a larger value, so the input may have been clipped.
    ``full_scale`` None (float samples): 0, no full scale to reach.
    """
    if full_scale is None or not x.shape[0]:
        return 0
    lo, hi = -full_scale, full_scale - 1.0
    parts = (x.real, x.imag) if x.dtype.kind == "c" else (x,)
    rails = np.zeros(x.shape, dtype=bool)
    for part in parts:
        rails |= np.less_equal(part, lo) | np.greater_equal(part, hi)
    return int(np.count_nonzero(rails))
