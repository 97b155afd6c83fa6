"""Helpers shared by the readers: decoding, header maps, number parsing, validation.

Readers validate before building: a missing frequency axis, an unknown unit, NaN or
non-monotonic frequencies, empty traces and blank-trace sentinels are reported with the
file, the line and the raw value (:class:`~rfcheck.errors.CaptureFormatError`).
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from ..errors import CaptureFormatError
from ..frequency import FREQ_UNIT_SCALE

__all__ = [
    "read_text",
    "check_frequency_axis",
    "check_levels",
    "parse_float",
    "drop_sentinel",
    "name_key",
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
    raw = path.read_bytes()
    if not raw.strip():
        raise CaptureFormatError("file is empty", path)
    if raw.startswith(_UTF16_BOMS) or (len(raw) > 3 and raw[1:2] == b"\x00" and raw[3:4] == b"\x00"):
        raise CaptureFormatError("file is UTF-16 text; re-save it as UTF-8 or ASCII", path)
    if strip_nul:
        raw = raw.replace(b"\x00", b"")
    elif b"\x00" in raw:
        offset = raw.index(b"\x00")
        raise CaptureFormatError(f"binary data (NUL byte at offset {offset}) in a text format", path)
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError:
        return raw.decode("latin-1")


#: A plain decimal number (no NaN/inf spellings, which every reader refuses).
FLOAT_RE = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")

#: Multipliers of the frequency and time units exports print (keys lower case).
FREQ_SCALE: dict[str, float] = FREQ_UNIT_SCALE
TIME_SCALE: dict[str, float] = {"s": 1.0, "sec": 1.0, "ms": 1e-3, "us": 1e-6, "µs": 1e-6, "ns": 1e-9}


def name_key(text: str) -> str:
    """``text`` reduced to its lower-case letters and digits (``CLR/WRITE`` -> ``clrwrite``)."""
    return "".join(ch for ch in text.lower() if ch.isalnum())


def parse_float(text: str, path: Path, line: int | None, field: str, *, decimal_comma: bool = False) -> float:
    """Parse one number from a header/data field, or raise naming file, line and raw value.

    ``decimal_comma`` reads ``,`` as the decimal mark (``150000,000000``).
    """
    t = text.strip()
    if decimal_comma:
        t = t.replace(",", ".")
    if not FLOAT_RE.match(t):
        raise CaptureFormatError(f"{field}: not a number: {text.strip()!r}", path, line)
    return float(t)


def check_frequency_axis(freq_hz: NDArray[np.float64], path: Path, what: str = "frequency axis") -> None:
    """Validate a frequency axis: non-empty, finite, non-negative, strictly increasing."""
    if freq_hz.size == 0:
        raise CaptureFormatError(f"{what} is empty (no data rows)", path)
    bad = ~np.isfinite(freq_hz)
    if bad.any():
        i = int(np.argmax(bad))
        raise CaptureFormatError(f"{what}: non-finite frequency {freq_hz[i]!r} at point {i + 1}", path)
    if freq_hz[0] < 0:
        raise CaptureFormatError(f"{what}: negative frequency {freq_hz[0]!r} Hz", path)
    if freq_hz.size > 1:
        d = np.diff(freq_hz)
        if not (d > 0).all():
            i = int(np.argmax(d <= 0)) + 1
            raise CaptureFormatError(
                f"{what} is not strictly increasing at point {i + 1} "
                f"({freq_hz[i - 1]!r} Hz then {freq_hz[i]!r} Hz)",
                path,
            )


def check_levels(level: NDArray[np.float64], path: Path, what: str = "levels") -> None:
    """Validate a level array: every value finite (a NaN/inf reading is a broken file)."""
    bad = ~np.isfinite(level)
    if bad.any():
        i = int(np.argmax(bad))
        raise CaptureFormatError(f"{what}: non-finite level {level[i]!r} at point {i + 1}", path)


def drop_sentinel(level: NDArray[np.float64], sentinel: float, tol: float = 0.01) -> bool:
    """True when every value of ``level`` equals the blank-trace ``sentinel`` (±tol)."""
    if not level.size or not abs(float(level[0]) - sentinel) <= tol:  # a used trace: no scan
        return False
    return bool(np.all(np.abs(level - sentinel) <= tol))


# --- appended for the rigol/tektronix/tinysa/signalhound/generic_csv readers -------------------

_PD_FIELDS_RE = re.compile(r"Expected (\d+) fields in line (\d+), saw (\d+)")


def read_table(
    source: Path | str,
    path: Path,
    *,
    first_line: int = 1,
    skiprows: int = 0,
    delimiter: str = ",",
    ncols: int | None = None,
    what: str = "data",
) -> NDArray[np.float64]:
    """Parse a block of delimited numbers into a 2-D float array in one pandas call.

    Parameters
    ----------
    source : Path or str
        The file itself (read from line ``skiprows + 1`` on) or the data block as text.
    path : Path
        File named in errors.
    first_line : int
        1-based line number in ``path`` of the first line of ``source`` (text sources).
    skiprows : int
        Lines of ``source`` to skip before the data (file sources).
    delimiter : str
        Field separator. Fields may be padded with spaces; one trailing delimiter is allowed.
    ncols : int, optional
        Required number of columns.
    what : str
        Name of the block for messages.

    Returns
    -------
    ndarray
        Shape ``(rows, columns)``; trailing blank lines are dropped.

    Raises
    ------
    CaptureFormatError
        A row with a different field count, a non-numeric or empty field, a blank line inside
        the block, or no rows at all; the message names the line and the raw value.
    """
    import io

    import pandas as pd

    def _src() -> object:
        return io.StringIO(source) if isinstance(source, str) else source

    offset = first_line - 1 if isinstance(source, str) else 0
    kw: dict[str, object] = {
        "sep": delimiter,
        "header": None,
        "skiprows": skiprows,
        "skip_blank_lines": False,
        "skipinitialspace": True,
        "engine": "c",
        "comment": None,
    }
    if not isinstance(source, str):
        kw["encoding"] = "latin-1"  # numbers only; never a UnicodeDecodeError
    try:
        frame = pd.read_csv(_src(), dtype=np.float64, **kw)  # type: ignore[call-overload]
    except pd.errors.EmptyDataError:
        raise CaptureFormatError(f"{what}: no data rows (file truncated?)", path) from None
    except pd.errors.ParserError as err:
        m = _PD_FIELDS_RE.search(str(err))
        if m:
            exp, line, saw = (int(g) for g in m.groups())
            raise CaptureFormatError(
                f"{what}: row has {saw} fields, expected {exp} (mismatched column count)",
                path,
                line + offset,
            ) from None
        raise CaptureFormatError(f"{what}: unparsable rows ({err})", path) from None
    except (ValueError, OverflowError):
        frame = None
    if frame is not None:
        arr = frame.to_numpy(dtype=np.float64)
        # one trailing delimiter on every row -> an all-empty last column
        while arr.shape[1] > 1 and np.isnan(arr[:, -1]).all():
            arr = arr[:, :-1]
        # trailing blank lines
        blank = np.isnan(arr).all(axis=1)
        n = arr.shape[0]
        while n and blank[n - 1]:
            n -= 1
        arr = arr[:n]
        if n == 0:
            raise CaptureFormatError(f"{what}: no data rows (file truncated?)", path)
        if np.isfinite(arr).all():  # else (NaN, 'inf'): the error path names the value
            if ncols is not None and arr.shape[1] != ncols:
                raise CaptureFormatError(
                    f"{what}: {arr.shape[1]} columns, expected {ncols}", path, skiprows + offset + 1
                )
            return arr
    # Error path only: re-read as text to name the offending line and raw value.
    raw = pd.read_csv(_src(), dtype=str, keep_default_na=False, **kw)  # type: ignore[call-overload]
    cells = raw.to_numpy(dtype=object)
    width = cells.shape[1]
    while width > 1 and all(str(c).strip() == "" for c in cells[:, width - 1]):
        width -= 1
    last = cells.shape[0]
    while last and all(str(c).strip() == "" for c in cells[last - 1, :width]):
        last -= 1
    for i in range(last):
        for j in range(width):
            text = str(cells[i, j]).strip()
            if not FLOAT_RE.match(text):
                line = skiprows + offset + i + 1
                if all(str(c).strip() == "" for c in cells[i, :width]):
                    raise CaptureFormatError(f"{what}: blank line inside the data", path, line)
                if text == "":
                    raise CaptureFormatError(
                        f"{what}: missing value in column {j + 1} (mismatched column count?)",
                        path,
                        line,
                    )
                raise CaptureFormatError(
                    f"{what}: not a number in column {j + 1}: {text!r}", path, line
                )
    raise CaptureFormatError(f"{what}: unparsable numbers", path)  # pragma: no cover


_TIMESTAMP_FORMATS = (
    "%m/%d/%Y %I:%M:%S %p",
    "%m/%d/%Y %H:%M:%S",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
    "%Y/%m/%d %H:%M:%S",
    "%Y-%m-%d-%H%M%S",
    "%d.%m.%Y %H:%M:%S",
    "%Y-%m-%d",
    "%Y/%m/%d",
)


def iso_timestamp(text: str) -> str | None:
    """Return ``text`` as ISO 8601 (``2023-10-20T15:21:12``) if it is a known date format, else None."""
    from datetime import datetime

    t = " ".join(text.split())
    if not t:
        return None
    try:
        return datetime.fromisoformat(t).isoformat()
    except ValueError:
        pass
    for fmt in _TIMESTAMP_FORMATS:
        try:
            return datetime.strptime(t, fmt).isoformat()
        except ValueError:
            continue
    return None
