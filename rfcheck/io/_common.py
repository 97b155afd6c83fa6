"""Helpers shared by the readers: decoding, header maps, number parsing, validation.

Readers validate before building: a missing frequency axis, an unknown unit, NaN or
non-monotonic frequencies, empty traces and blank-trace sentinels are reported with the
file, the line and the raw value (:class:`~rfcheck.errors.CaptureFormatError`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from ..errors import CaptureFormatError, UnitError
from ..frequency import FREQ_UNIT_SCALE, format_hz
from ..units import LEVEL_RANGE, LevelScale, LevelUnit
from ._files import nul_at, read_bytes_capped, refuse_blank

#: How a reader's note on a trace with no level unit ends; :func:`unit_advice_given` rewords
#: it once ``--unit`` has stated the unit.
UNIT_ADVICE = "state it with --unit"


def unit_advice_given(note: str, unit: str) -> str:
    """Return ``note`` with :data:`UNIT_ADVICE` replaced by the unit ``--unit`` gave.

    ``"...; state it with --unit"`` -> ``"...; unit dBm given by --unit"``: the note stays true
    once the user has stated the unit.
    """
    return note.replace(UNIT_ADVICE, f"unit {unit} given by --unit")


__all__ = [
    "read_text",
    "check_frequency_axis",
    "check_levels",
    "check_finite_levels",
    "check_level_range",
    "check_unit_agrees",
    "point_line",
    "parse_float",
    "parse_optional_float",
    "drop_sentinel",
    "axis_disagreements",
    "name_key",
    "unit_advice_given",
    "UNIT_ADVICE",
    "FLOAT_RE",
    "FREQ_SCALE",
    "TIME_SCALE",
]

#: Bytes a text reader refuses: NULs are tolerated only where a format is known to pad with them.
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def read_text(path: Path, *, strip_nul: bool = False, encoding: str = "utf-8") -> str:
    """Read a text capture, decoding UTF-8 (BOM tolerated), else ISO-8859-1.

    Parameters
    ----------
    path : Path
    strip_nul : bool
        Remove NUL bytes (Agilent N9340B/ESA pad fields with them).
    encoding : str
        First encoding to try.

    Raises
    ------
    CaptureFormatError
        Empty file, UTF-16 text, or NUL bytes where the format allows none (binary file).
    """
    raw = read_bytes_capped(path)
    refuse_blank(raw, path)
    if raw.startswith(_UTF16_BOMS) or (
        len(raw) > 3 and raw[1:2] == b"\x00" and raw[3:4] == b"\x00"
    ):
        raise CaptureFormatError("file is UTF-16 text; re-save it as UTF-8 or ASCII", path)
    if strip_nul:
        raw = raw.replace(b"\x00", b"")
    elif nul := nul_at(raw):
        raise CaptureFormatError(f"binary data ({nul}) in a text format", path)
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError:
        return raw.decode("latin-1")


#: A plain decimal number (no NaN/inf spellings, which every reader refuses).
FLOAT_RE = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")

#: Multipliers of the frequency and time units exports print (keys lower case).
FREQ_SCALE: dict[str, float] = FREQ_UNIT_SCALE  # one home: rfcheck.frequency
TIME_SCALE: dict[str, float] = {
    "s": 1.0,
    "sec": 1.0,
    "ms": 1e-3,
    "us": 1e-6,
    "µs": 1e-6,
    "ns": 1e-9,
}


def name_key(text: str) -> str:
    """``text`` reduced to its lower-case letters and digits (``CLR/WRITE`` -> ``clrwrite``)."""
    return "".join(ch for ch in text.lower() if ch.isalnum())


def parse_float(
    text: str, path: Path, line: int | None, field: str, *, decimal_comma: bool = False
) -> float:
    """Parse one number from a header/data field, or raise naming file, line and raw value.

    ``decimal_comma`` reads ``,`` as the decimal mark (``150000,000000``).
    """
    t = text.strip()
    if decimal_comma:
        t = t.replace(",", ".")
    if not FLOAT_RE.match(t):
        raise CaptureFormatError(f"{field}: not a number: {text.strip()!r}", path, line)
    return float(t)


def parse_optional_float(text: str | None, path: Path, field: str) -> float | None:
    """Parse a header field's number as :func:`parse_float` does; ``None`` when empty or absent."""
    if text is None or text == "":
        return None
    return parse_float(text, path, None, field)


def check_frequency_axis(
    freq_hz: NDArray[np.float64], path: Path, what: str = "frequency axis"
) -> None:
    """Validate a frequency axis: non-empty, finite, non-negative, strictly increasing."""
    if freq_hz.size == 0:
        raise CaptureFormatError(f"{what} is empty (no data rows)", path)
    bad = ~np.isfinite(freq_hz)
    if bad.any():
        i = int(np.argmax(bad))
        raise CaptureFormatError(
            f"{what}: non-finite frequency {float(freq_hz[i])!r} at point {i + 1}", path
        )
    if freq_hz[0] < 0:
        raise CaptureFormatError(f"{what}: negative frequency {float(freq_hz[0])!r} Hz", path)
    if freq_hz.size > 1:
        d = np.diff(freq_hz)
        if not (d > 0).all():
            i = int(np.argmax(d <= 0)) + 1
            raise CaptureFormatError(
                f"{what} is not strictly increasing at point {i + 1} "
                f"({float(freq_hz[i - 1])!r} Hz then {float(freq_hz[i])!r} Hz)",
                path,
            )


def check_levels(
    level: NDArray[np.float64],
    path: Path,
    what: str = "levels",
    first_line: int | Sequence[int] | None = None,
) -> None:
    """Validate a level array: every value finite and inside :data:`~rfcheck.units.LEVEL_RANGE`.

    A NaN/inf reading, or one outside -10,000..1,000 (dB or V; ``-1e308``), is a broken
    file: refused, naming the point, before any conversion can overflow. ``first_line``, the
    1-based file line of point 1 when the points are consecutive lines (or the line of every
    point), puts the offending point's line in the error (``file:7: ...``).
    """
    check_finite_levels(level, path, what, first_line)
    check_level_range(level, path, what, first_line)


def check_finite_levels(
    level: NDArray[np.float64],
    path: Path,
    what: str = "levels",
    first_line: int | Sequence[int] | None = None,
) -> None:
    """Refuse a NaN or infinite level, naming it; ``first_line`` as for :func:`check_levels`."""
    bad = ~np.isfinite(level)
    if bad.any():
        i = int(np.argmax(bad))
        raise CaptureFormatError(
            f"{what}: non-finite level {float(level[i])!r} at point {i + 1}",
            path,
            point_line(first_line, i),
        )


def check_level_range(
    level: NDArray[np.float64],
    path: Path,
    what: str = "levels",
    first_line: int | Sequence[int] | None = None,
) -> None:
    """Refuse a level outside :data:`rfcheck.units.LEVEL_RANGE` (NaN is left to the caller).

    ``first_line`` as for :func:`check_levels`.
    """
    lo, hi = LEVEL_RANGE
    with np.errstate(invalid="ignore"):
        out = (level < lo) | (level > hi)
    if out.any():
        i = int(np.argmax(out))
        raise CaptureFormatError(
            f"{what}: implausible level {float(level[i]):g} at point {i + 1} "
            f"(outside {lo:g}..{hi:g}; not a measurement)",
            path,
            point_line(first_line, i),
        )


def check_unit_agrees(
    given: LevelUnit | LevelScale,
    own: LevelUnit | LevelScale,
    source: str,
    what: str,
    path: Path,
    line: int | None = None,
) -> None:
    """Refuse a unit stated for a trace (``--unit``, ``# unit:``) that its file's own contradicts.

    Such a unit fills in only a trace whose file states none; beside one the file states it
    is a contradiction, never a conversion (``-50`` read as dBµV under ``# unit: dBm`` passed
    by 106 dB).

    Raises
    ------
    UnitError
        ``given`` is not ``own``: ``--unit dBm contradicts the file's unit dBµV for trace QP``.
    """
    if given != own:
        shown = own.written if isinstance(own, LevelScale) else own.value
        raise UnitError(f"{source} contradicts the file's unit {shown} for {what}", path, line)


def point_line(first_line: int | Sequence[int] | None, i: int) -> int | None:
    """Return the 1-based file line of point ``i`` (0-based): see :func:`check_levels`."""
    if first_line is None:
        return None
    if isinstance(first_line, int):
        return first_line + i
    return first_line[i] if i < len(first_line) else None


def drop_sentinel(level: NDArray[np.float64], sentinel: float, tol: float = 0.01) -> bool:
    """Return True when every value of ``level`` equals the blank-trace ``sentinel`` (±tol)."""
    if not level.size or not abs(float(level[0]) - sentinel) <= tol:  # a used trace: no scan
        return False
    return bool(np.all(np.abs(level - sentinel) <= tol))


def axis_disagreements(
    stated: Mapping[str, tuple[float, int | None]],
    freq_hz: NDArray[np.float64],
    path: Path,
) -> list[str]:
    """Warnings for header start/stop frequencies the data do not bear out; refuse an overrun.

    The one rule of every reader that compares a header's span with its rows
    (docs/formats.md "What every reader shares"):

    - rows that run beyond the header's span by more than one point spacing (the spacing
      of the rows at that end) are refused: the instrument says it swept no such
      frequency, so the x values are not the frequencies the readings were taken at
      (rounded or rescaled), and no reading of the trace can be placed on the limit;
    - any other disagreement beyond 1 Hz + 1 ppm (rows that stop short of the span, or
      overrun it by one spacing at most) is a warning: only the rows count as measured.

    Parameters
    ----------
    stated : mapping
        ``"start"``/``"stop"`` -> (frequency stated by the header [Hz], its 1-based line).
    freq_hz : ndarray
        The data's frequency axis (validated, non-empty). [Hz]
    path : Path
        The file, for the error.

    Returns
    -------
    list of str
        One warning per disagreement beyond 1 Hz + 1 ppm (``header stop frequency
        2150000 Hz (line 4) disagrees with the data, which run to 1150000 Hz``).

    Raises
    ------
    CaptureFormatError
        Rows beyond the header's span by more than one point spacing.
    """
    out = []
    for which, got, verb in (("start", freq_hz[0], "start at"), ("stop", freq_hz[-1], "run to")):
        if which not in stated:
            continue
        value, line = stated[which]
        if abs(value - float(got)) <= 1.0 + 1e-6 * abs(float(got)):
            continue
        overrun = float(value - got) if which == "start" else float(got - value)
        spacing = _end_spacing(freq_hz, which)
        if spacing is not None and overrun > spacing * (1 + 1e-6) + 1.0:
            raise CaptureFormatError(
                f"header {which} frequency {value:.10g} Hz but the rows {verb} "
                f"{float(got):.10g} Hz, {format_hz(overrun)} beyond it (more than one point "
                f"spacing, {format_hz(spacing)}): the readings' frequencies cannot be trusted"
                f"{_rounded(stated, freq_hz)}; re-export the trace",
                path,
                line,
            )
        where = f" (line {line})" if line else ""
        out.append(
            f"header {which} frequency {value:.10g} Hz{where} disagrees with the data, "
            f"which {verb} {float(got):.10g} Hz"
        )
    return out


def _end_spacing(freq_hz: NDArray[np.float64], which: str) -> float | None:
    """Return the rows' point spacing at the ``which`` (start/stop) end [Hz]; None for one row."""
    if freq_hz.size < 2:
        return None
    return float(freq_hz[1] - freq_hz[0]) if which == "start" else float(freq_hz[-1] - freq_hz[-2])


def _rounded(stated: Mapping[str, tuple[float, int | None]], freq_hz: NDArray[np.float64]) -> str:
    """Return why the x values look rounded, or "".

    `` (the rows step 3 MHz where the header's span over 1001 points gives 2.95456 MHz: x
    values rounded?)``; "" when the rows are not evenly spaced, agree with the span, or step
    more than 10 % away from it (not a rounding).
    """
    if "start" not in stated or "stop" not in stated or freq_hz.size < 2:
        return ""
    implied = (stated["stop"][0] - stated["start"][0]) / (freq_hz.size - 1)
    step = float(freq_hz[-1] - freq_hz[0]) / (freq_hz.size - 1)
    even = float(np.ptp(np.diff(freq_hz))) <= 1.0 + 1e-6 * step  # a linear sweep's rows
    # a step within 10 % of the span's: rounded x values, not rows of another kind (time)
    if not even or implied <= 0 or not 1e-6 < abs(step / implied - 1.0) < 0.1:
        return ""
    return (
        f" (the rows step {format_hz(step)} where the header's span over {freq_hz.size} points "
        f"gives {format_hz(implied)}: x values rounded?)"
    )
