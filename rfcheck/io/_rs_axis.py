"""The x axis of an R&S ASCII trace: a zero-span (time) export refused, stated ends checked.

A trace states its axis unit (``x-Unit``) in its own block or the file's global header; the
global ``Start``/``Stop`` lines say the span the instrument was set to. Without an
``x-Unit``, ``Start``/``Stop`` in seconds or equal to each other mean a zero-span export (a
time record), refused (:func:`refuse_time_axis`); where they disagree with the trace's
frequencies the reader notes it (:func:`axis_notes`).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from ..errors import CaptureFormatError
from ..frequency import format_hz
from ._common import TIME_SCALE, axis_disagreements
from ._rs_sections import Section, section_number
from ._sections import UNSTATED_X_UNIT

__all__ = ["axis_notes", "refuse_time_axis", "stated", "time_axis"]


def stated(fields: dict[str, tuple[list[str], int]], canon: str) -> bool:
    """Whether field ``canon`` is present with a non-empty first value."""
    raw = fields.get(canon, ([], 0))[0]
    return bool(raw and raw[0])


def refuse_time_axis(glob: Section, name: str, path: Path) -> None:
    """Refuse a trace stating no ``x-Unit`` whose global ``Start``/``Stop`` say zero span.

    A zero-span export's ``Start``/``Stop`` are times (``Start;0.000000;s``), or one
    frequency twice; its rows are a time record, which read as Hz would be a spectrum at
    0-0.1 Hz.

    Raises
    ------
    CaptureFormatError
        Naming the ``Stop`` line (the ``Start`` line when there is no ``Stop``).
    """
    found = _timed_ends(glob.fields, path)
    if found is not None:
        raise CaptureFormatError(
            f"{name}: no x-Unit, and {found[0]}: a zero-span export (a time record, not a "
            "spectrum) is not supported",
            path,
            found[1],
        )


def _timed_ends(fields: dict[str, tuple[list[str], int]], path: Path) -> tuple[str, int] | None:
    """Return why ``Start``/``Stop`` say zero span (in s, or equal) and its line; else None."""
    ends = [fields[k] for k in ("start_hz", "stop_hz") if stated(fields, k)]
    if not ends:
        return None
    line = ends[-1][1]
    units = [raw[1].strip() for raw, _ in ends if len(raw) > 1 and raw[1].strip()]
    timed = [u for u in units if u.lower() in TIME_SCALE]
    if timed:
        return f"Start/Stop are stated in {timed[0]!r}", line
    eff = Section("", fields)
    values = [section_number(eff, k, path) for k in ("start_hz", "stop_hz")]
    if len(ends) == 2 and values[0] is not None and values[0] == values[1]:
        return f"Start = Stop = {format_hz(values[0])}", line
    return None


def time_axis(
    fields: dict[str, tuple[list[str], int]], own: dict[str, tuple[list[str], int]], path: Path
) -> tuple[str, int] | None:
    """Return what says a window's trace has a time axis (zero span), and its line; else None.

    ``fields``: the trace's settings over its window's over the file's; ``own``: those the
    trace and its window state themselves. A time ``x-Unit`` (``s``), a window type naming
    zero span (``Window;2;Zero Span``), or, with no ``x-Unit`` of the window's or the
    trace's own, ``Start``/``Stop`` in seconds or equal to each other.
    """
    x_unit = fields.get("x_unit")
    if x_unit and x_unit[0] and x_unit[0][0].strip().lower() in TIME_SCALE:
        return f"x-Unit {x_unit[0][0].strip()!r}", x_unit[1]
    kind = fields.get("window_type")
    written = " ".join(v.strip() for v in kind[0] if v.strip()) if kind else ""
    if kind and "zerospan" in written.lower().replace(" ", "").replace("-", ""):
        return f"window type {written!r}", kind[1]
    if stated(own, "x_unit"):
        return None
    found = _timed_ends(fields, path)
    return (f"no x-Unit, and {found[0]}", found[1]) if found else None


def axis_notes(
    glob: Section,
    merged: dict[str, tuple[list[str], int]],
    freq_hz: NDArray[np.float64],
    path: Path,
) -> list[str]:
    """Warnings where the global ``Start``/``Stop`` lines disagree with a trace's axis.

    ``merged``: the trace's fields over the global ones; an ``x-Unit`` stated in either (the
    one the trace was read with, Hz) leaves out "the file states no x-axis unit".
    """
    ends = {}
    for which in ("start", "stop"):
        value = section_number(glob, f"{which}_hz", path)
        if value is not None:
            ends[which] = (value, glob.fields[f"{which}_hz"][1])
    notes = axis_disagreements(ends, freq_hz, path)
    if notes and not stated(merged, "x_unit"):
        notes[-1] += f" ({UNSTATED_X_UNIT})"
    return notes
