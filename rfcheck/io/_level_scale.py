"""Level units converted as read (W, dBpW, mV, A ...): one conversion and note for every reader.

A file may state its levels in a unit rfcheck converts on reading rather than keeps
(:class:`~rfcheck.units.LevelScale`: a power to dBm, a voltage in mV or µV to V, a current to
dBµA). Every reader parses its unit with :func:`~rfcheck.units.parse_scaled_level_unit`,
builds its traces in :func:`level_unit_of` the stated unit, and passes each level array
through :func:`convert_levels`, which refuses what cannot be converted naming the line and
leaves the note every reader gives in the same words. Nothing downstream sees the file's
unit: a trace in W is judged and reported in dBm.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from ..errors import CaptureFormatError
from ..units import LevelScale, LevelUnit
from ._common import check_finite_levels, check_level_range, point_line

__all__ = [
    "StatedUnit",
    "CURRENT_WORDS",
    "level_unit_of",
    "unit_text",
    "convert_levels",
    "conversion_note",
]

#: A level unit as a file states it: kept (:class:`LevelUnit`), converted on reading
#: (:class:`LevelScale`), or not stated (None).
StatedUnit = LevelUnit | LevelScale | None

#: Current units (lower case, ``u`` for µ) read only from a bracketed unit (``Level (A)``): as
#: the last word of a name (``trace_a``, ``Trace A``) they name a trace.
CURRENT_WORDS = frozenset({"a", "amp", "amps", "ma", "ua"})


def level_unit_of(stated: StatedUnit) -> LevelUnit | None:
    """Return the unit a trace in ``stated`` has once read: a scale's target unit."""
    return stated.unit if isinstance(stated, LevelScale) else stated


def unit_text(stated: LevelUnit | LevelScale) -> str:
    """Return a stated unit as text for a message: a scale as the file spells it (``Watts``)."""
    return stated.as_written if isinstance(stated, LevelScale) else stated.value


def conversion_note(what: str, scale: LevelScale) -> str:
    """Return the note on ``what``'s levels converted from ``scale``'s unit, as the file spells it.

    ``"column 'Peak': levels in mW converted to dBm (dBm = 10·log10(P / 1 mW))"``.
    """
    return f"{what}: levels in {scale.as_written} converted to {scale.unit.value} ({scale.rule})"


def convert_levels(
    level: NDArray[np.float64],
    stated: StatedUnit,
    path: Path,
    what: str,
    notes: list[str],
    first_line: int | Sequence[int] | None = None,
) -> NDArray[np.float64]:
    """Return ``level`` [``stated``] in :func:`level_unit_of` ``stated``, noted in ``notes``.

    A unit rfcheck keeps (or none) returns ``level`` itself. Else the levels are checked
    finite, converted, then checked inside :data:`~rfcheck.units.LEVEL_RANGE` in the unit
    they became (5000 µV is 5 mV, not an implausible 5000), and :func:`conversion_note` is
    appended to ``notes``.

    Parameters
    ----------
    level : ndarray
        The levels as the file writes them. [``stated``]
    stated : LevelUnit, LevelScale or None
        The unit the file states for them.
    what : str
        The trace or column, for the note and the messages (``"column 'Peak'"``).
    notes : list of str
        The reader's notes, appended to.
    first_line : int or sequence of int, optional
        The 1-based file line of point 1 when the points are consecutive lines, or the line
        of every point: the refusal names the offending point's line.

    Raises
    ------
    CaptureFormatError
        A non-finite level; a linear power or current that is not positive (it has no dB
        value: a dB reading with the wrong unit, or a power written with too few decimals,
        ``0.00`` W); a converted level outside the range.
    """
    if not isinstance(stated, LevelScale):
        return level
    check_finite_levels(level, path, what, first_line)
    i = stated.unconvertible(level)
    if i is not None:
        value = float(level[i])
        why = (
            "written with too few decimals?" if value == 0 else "a dB reading with the wrong unit?"
        )
        raise CaptureFormatError(
            f"{what} is in {stated.as_written}, a magnitude, but reads {value:g}: not positive, "
            f"so it has no {stated.unit.value} value ({why})",
            path,
            point_line(first_line, i),
        )
    converted = stated.convert(level)
    check_level_range(converted, path, what, first_line)
    notes.append(conversion_note(what, stated))
    return converted
