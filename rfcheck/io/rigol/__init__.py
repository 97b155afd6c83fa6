"""Rigol spectrum analyser CSV trace exports: DSA800/DSA700/DSA1000 (swept) and RSA3000/RSA5000.

Two layouts are read.

**Value/unit pairs** -- what a DSA800 writes with Storage > Save > Trace (CSV), as in files
the instrument saved: a ``Trace1,`` line naming the trace, a ``Freq,,Amp,,`` column header
(each name followed by an empty unit column), then one row per point with every value
followed by its unit, fixed-width padded with leading spaces and ending in a comma::

    Trace1,
    Freq,,Amp,,
       500000000,Hz,   -52.45, dBm,

The frequency unit cell may be Hz, kHz, MHz or GHz; the level unit cell is the level unit
(dBm, dBmV, dBuV or V; the instrument's W is read in dBm with a note, as every reader
converts it: :mod:`.._level_scale`), which must be the same on every row of a trace. Rows without
unit cells (``500000000,-52.45``, under a ``Freq,Amp`` header) are in Hz and take the level
unit from a ``Unit`` header line; a trace may not mix both forms. A file may hold
several ``TraceN,`` blocks (one trace each, the instrument's trace number kept in the name,
``Trace 2``) and may be preceded by ``key,value`` header lines (below). No Rigol manual we
could consult prints this layout, so the reader accepts only what the saved files show and
refuses anything else with the line and raw value.

**Header + numeric table** -- RSA3000/RSA5000 and DSA exports written with their settings:

* an optional ``*IDN?``-style first line, ``RIGOL TECHNOLOGIES,DSA815,DSA8A1234,00.01.19``;
* header lines ``key,value[,unit]``, padded with spaces (``Start Frequency,   9.000000e+03,
  Hz``); the unit cell of a frequency (Hz/kHz/MHz/GHz) or sweep time (s/ms/us/ns) scales its
  value, and any other unit there is an error naming the key. Recognised keys
  (case-insensitive) are listed in :data:`.header.FIELDS`. Per-trace values are either a
  comma list (``Trace Mode, Clear Write, Max Hold``) or keyed ``Trace1 Mode``;
* an optional ``Trace Data`` line and an optional column-header row -- ``Frequency,Amplitude``,
  ``Num,Freq(Hz),Amp(dBm)`` (index column dropped) or ``Frequency(Hz),Trace1(dBm),
  Trace2(dBm)`` (several traces);
* data rows of numbers, optionally ending in a **unit column** (``9.000000e+03, -80.12, dBm``).

The level unit comes from the column header, else the unit column, else the ``Unit`` /
``Amplitude Unit`` header line; conflicting statements are an error and no statement leaves
``unit=None``. Number rows with neither header lines nor a column header above them are
refused: nothing states their frequency unit. A header ``Points`` count the data contradict
is an error; header Start/Stop frequencies the data contradict are a warning (instruments
round them).
A plain ``Average`` detector is read on the scale an ``Average Type`` line states (log
power, power or voltage) and is unknown without one (``io/_average_type.py``); ``Video
Avg`` / ``Log Avg`` name the log scale themselves (log-average, a lower bound only).

The header is read by :mod:`.header`, the two layouts by :mod:`.pairs` and :mod:`.table`.
"""

from __future__ import annotations

import re
from pathlib import Path

from ...capture import Capture
from ...errors import CaptureFormatError
from .._common import read_text
from .._registry import Reader
from .header import is_number
from .pairs import PAIRED_HEADER_RE, TRACE_LINE_RE, is_paired_row, read_paired
from .table import read_table_layout

__all__ = ["read_rigol", "READER"]


_IDENT_RE = re.compile(
    r"^\s*(rigol\b.*(dsa|rsa)\d{3,4}"
    r"|(model|device|instrument|product model)\s*[,;:]\s*(rigol\s+)?(dsa|rsa)\d{3,4})",
    re.I,
)


def _sniff(head: bytes, path: Path) -> bool:
    lines = [ln for ln in head.decode("latin-1").splitlines()[:40] if ln.strip()]
    for k, line in enumerate(lines):
        if not line.lstrip().startswith("#") and _IDENT_RE.match(line):
            return True
        if (
            TRACE_LINE_RE.match(line)
            and k + 1 < len(lines)
            and PAIRED_HEADER_RE.match(lines[k + 1])
        ):
            return True
    return False


def read_rigol(path: Path) -> Capture:
    """Read a Rigol DSA800/DSA700/DSA1000/RSA3000/RSA5000 CSV trace export.

    Parameters
    ----------
    path : Path

    Returns
    -------
    Capture
        One trace per level column or ``TraceN,`` block: frequency [Hz], level [unit],
        detector, trace mode, RBW/VBW [Hz], sweep time [s]; traces whose mode is ``Blank``
        are dropped.

    Raises
    ------
    CaptureFormatError
        No data rows, unknown or conflicting units, point count different from the header
        (truncated file), mismatched column counts, non-numeric values, NaN/non-monotonic
        frequencies.
    """
    text = read_text(path)
    lines = text.splitlines()
    start = next(
        (i for i, ln in enumerate(lines) if ln.strip() and is_number(ln.split(",", 1)[0])), None
    )
    if start is None:
        raise CaptureFormatError("no data rows (file truncated?)", path)
    first_block = next((i for i, ln in enumerate(lines[:start]) if TRACE_LINE_RE.match(ln)), None)
    if first_block is not None or is_paired_row(lines[start]):
        return read_paired(path, lines, start if first_block is None else first_block)
    return read_table_layout(path, lines, start, last_row_ended=text.endswith(("\n", "\r")))


READER = Reader(
    name="rigol",
    title="Rigol DSA800/DSA700/DSA1000/RSA3000/RSA5000 CSV trace export",
    extensions=(".csv",),
    signature=(
        "'Trace1,' then 'Freq,,Amp,,' lines, a 'RIGOL...,DSA815,...' first line, "
        "or a 'Model, DSA8xx/RSA5xxx' header line"
    ),
    sniff=_sniff,
    read=read_rigol,
    priority=110,
)
