"""Signal Hound Spike CSV trace exports (BB60, SM200/SM435, SA44/SA124 analysers).

Layout handled (no real file was available; built from the Spike user manual's description
of its trace export and hand-made fixtures):

* optional preamble lines before the table: free text or ``key,value`` pairs such as
  ``Signal Hound Spike,3.9.2``, ``Device,BB60C``, ``Serial,12345678``, ``RBW,10 kHz`` or
  ``RBW (Hz),10000`` (a bare ``RBW,120`` states no unit and is not used, noted), ``VBW ...``,
  ``Detector,Average``, ``Date,2024-03-01 10:22:33``;
* a column-header row: ``Frequency (MHz)`` (also Hz/kHz/GHz) followed by one or more level
  columns with the unit in brackets -- ``Amplitude (dBm)``, or Spike's min/max sweep pair
  ``Min (dBm),Max (dBm)`` / ``Amplitude Min (dBm),Amplitude Max (dBm)``, optionally per trace
  (``Trace 1 Max (dBm)``);
* data rows ``freq,level[,level...]``.

Detector: Spike has two video detectors, Min/Max and Average (the BB/SM API's
``bbConfigureAcquisition``: ``BB_MIN_AND_MAX``, ``BB_AVERAGE``). Under Min/Max (or no
``Detector`` line) the ``Max`` column is the peak detector (:attr:`Detector.PEAK`), ``Min``
the negative peak, a single ``Amplitude`` column unknown. A stated ``Detector`` otherwise wins
over the column names, noted: with Average selected "the min and max trace arrays ... will
contain the same averaged data" (bb_api manual), so neither is a peak reading. An Average is
averaged on the scale of Spike's video units (``bbConfigureProcUnits``: ``BB_LOG``,
``BB_VOLTAGE``, ``BB_POWER``): a ``Video Units`` line (``Log`` / ``Voltage`` / ``Power``)
makes it a log-average, an average or an RMS reading, and without one it is unknown
(``io/_average_type.py``; docs/verdict.md, "Detector ordering").

Detection: a preamble naming Signal Hound / Spike / a Signal Hound model, or a header row
``Frequency (<unit>)`` with both a ``Min`` and a ``Max`` column.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from ..capture import Capture, Detector, Instrument, Trace, TraceMode, parse_detector
from ..errors import CaptureFormatError, UnitError
from ..units import LevelScale, LevelUnit, parse_scaled_level_unit
from ._average_type import on_average_scale
from ._common import (
    FREQ_SCALE,
    TIME_SCALE,
    check_frequency_axis,
    check_levels,
    name_key,
    read_text,
)
from ._header import iso_timestamp
from ._level_scale import convert_levels, level_unit_of
from ._registry import Reader
from ._table import read_table

__all__ = ["read_signalhound", "READER"]

_MODELS = re.compile(
    rb"signal\s*hound|\bspike\b|\b(bb60[a-d]?|sm200[a-c]?|sm435[a-c]?|sa44b?|sa124[ab]?)\b", re.I
)
_HEADER_RE = re.compile(r"^\s*freq(?:uency)?\s*\(\s*(hz|khz|mhz|ghz)\s*\)\s*$", re.I)
_COLUMN_RE = re.compile(r"^(.*?)\s*\(\s*([^)]*)\s*\)\s*$")
_BW_RE = re.compile(r"^\s*([0-9.eE+-]+)\s*(hz|khz|mhz|ghz)?\s*$", re.I)

#: ``RBW (kHz)``, ``VBW (Hz)``, ``Sweep Time (ms)``: a setting whose unit its key states.
_KEYED_UNIT_RE = re.compile(r"^\s*(rbw|vbw|sweep\s*time)\s*\(([^)]*)\)\s*$", re.I)
_KEYED = {"rbw": "rbw", "vbw": "vbw", "sweeptime": "sweep_time"}

#: Preamble keys -> canonical fields.
_FIELDS: dict[str, str] = {
    "device": "model",
    "model": "model",
    "device type": "model",
    "serial": "serial",
    "serial number": "serial",
    "firmware": "firmware",
    "firmware version": "firmware",
    "signal hound spike": "software",
    "spike": "software",
    "software version": "software",
    "rbw": "rbw",
    "vbw": "vbw",
    "sweep time": "sweep_time",
    "detector": "detector",
    "date": "date",
    "time": "time",
    "timestamp": "date",
}


#: Preamble keys (lower case) naming the scale Spike's video processing averages on.
_UNITS_KEYS = ("video units", "video processing units", "processing units")

#: ``Detector`` values (letters only, lower case) naming Spike's Min/Max video detector.
_MIN_MAX = frozenset({"minmax", "minandmax"})


def _find_header(lines: list[str]) -> int | None:
    for i, line in enumerate(lines):
        first = line.split(",", 1)[0]
        if _HEADER_RE.match(first):
            return i
    return None


def _sniff(head: bytes, path: Path) -> bool:
    text = head.decode("latin-1")
    lines = text.splitlines()
    hi = _find_header(lines[:60])
    if hi is None:
        return False
    if _MODELS.search("\n".join(lines[:hi]).encode("latin-1")):
        return True
    cols = [c.strip().lower() for c in lines[hi].split(",")[1:]]
    return any("min" in c for c in cols) and any("max" in c for c in cols)


def _column(
    name: str, path: Path, line: int
) -> tuple[str, LevelUnit | LevelScale, Detector | None]:
    m = _COLUMN_RE.match(name.strip())
    if not m:
        raise CaptureFormatError(
            f"level column {name.strip()!r} states no unit in brackets", path, line
        )
    label, unit_text = m.group(1).strip(), m.group(2)
    try:
        unit = parse_scaled_level_unit(unit_text)
    except UnitError:
        raise CaptureFormatError(
            f"column {name.strip()!r}: unknown level unit {unit_text!r}", path, line
        ) from None
    words = label.lower().split()
    det: Detector | None = None
    if "max" in words:
        det = Detector.PEAK
    elif "min" in words:
        det = Detector.NEGATIVE_PEAK
    return label or "Amplitude", unit, det


def read_signalhound(path: Path) -> Capture:
    """Read a Signal Hound Spike trace CSV.

    Parameters
    ----------
    path : Path

    Returns
    -------
    Capture
        One trace per level column; frequency [Hz]; ``Max`` -> peak, ``Min`` -> negative peak.

    Raises
    ------
    CaptureFormatError
        No ``Frequency (<unit>)`` header row, a level column without a known unit,
        mismatched column counts, non-numeric values, NaN/non-monotonic frequencies.
    """
    text = read_text(path)
    lines = text.splitlines()
    hi = _find_header(lines)
    if hi is None:
        raise CaptureFormatError("no 'Frequency (MHz)' column-header row", path)
    meta, fields = _preamble(lines[:hi])
    names = [n for n in lines[hi].split(",")]
    if names and not names[-1].strip():
        names.pop()
    m = _HEADER_RE.match(names[0])
    scale = FREQ_SCALE[m.group(1).lower()] if m else 1.0
    if len(names) < 2:
        raise CaptureFormatError("header row names no level column", path, hi + 1)
    columns = [_column(n, path, hi + 1) for n in names[1:]]
    data = read_table(
        "\n".join(lines[hi + 1 :]),
        path,
        first_line=hi + 2,
        ncols=len(names),
        what="trace data",
        last_row_ended=text.endswith(("\n", "\r")),
    )
    freq = data[:, 0] * scale
    check_frequency_axis(freq, path)
    warnings: list[str] = []
    rbw, vbw, sweep = _settings(fields, path, warnings)
    units = _video_units(meta)
    traces = []
    for j, (label, stated, by_name) in enumerate(columns, 1):
        what = f"column {label!r}"
        level = convert_levels(
            np.ascontiguousarray(data[:, j]), stated, path, what, warnings, hi + 2
        )
        check_levels(level, path, what)
        det = _trace_detector(label, by_name, fields.get("detector", ""), units, warnings)
        traces.append(
            Trace(
                freq_hz=freq,
                level=level,
                unit=level_unit_of(stated),
                detector=det,
                name=label,
                mode=TraceMode.UNKNOWN,
                rbw_hz=rbw,
                vbw_hz=vbw,
                sweep_time_s=sweep,
            )
        )
    date = " ".join(x for x in (fields.get("date", ""), fields.get("time", "")) if x)
    return Capture(
        traces=tuple(traces),
        instrument=Instrument(
            vendor="Signal Hound",
            model=fields.get("model", ""),
            serial=fields.get("serial", ""),
            firmware=fields.get("firmware", ""),
            options=f"Spike {fields['software']}" if "software" in fields else "Spike",
        ),
        timestamp=(iso_timestamp(date) or date) if date else None,
        metadata=meta,
        warnings=tuple(warnings),
    )


def _video_units(meta: dict[str, str]) -> tuple[str, str]:
    """Return the preamble's video-units line as (key as written, value); ("", "") if none."""
    for key, value in meta.items():
        if " ".join(key.lower().split()) in _UNITS_KEYS:
            return key, value
    return "", ""


def _trace_detector(
    label: str,
    by_name: Detector | None,
    stated: str,
    units: tuple[str, str],
    warnings: list[str],
) -> Detector:
    """Return a level column's detector from the preamble's ``Detector`` and its own name.

    Parameters
    ----------
    label : str
        The column's name without its unit (``Max``), for the notes.
    by_name : Detector or None
        What the column's name says (``Max``: peak, ``Min``: negative peak), None: nothing.
    stated : str
        The preamble's ``Detector`` value; "" when the file states none.
    units : tuple of str
        The preamble's video-units line (key, value); ("", "") when absent.
    warnings : list of str
        The capture's notes, appended to.

    Returns
    -------
    Detector
        Min/Max or no ``Detector`` line: the column name's detector (unknown for a single
        ``Amplitude`` column). Any other stated detector wins over the column name (noted):
        an Average on the video units' scale (:func:`~rfcheck.io._average_type.on_average_scale`,
        unknown without a ``Video Units`` line); unknown when it is not recognised, or when a
        stated peak and a column's negative peak (or the reverse) contradict each other.

    References
    ----------
    Signal Hound BB60 API manual, ``bbConfigureAcquisition``: "If averaging is chosen the
    min and max trace arrays returned from bbFetchTrace will contain the same averaged data";
    ``bbConfigureProcUnits``: ``BB_LOG``, ``BB_VOLTAGE``, ``BB_POWER`` video processing.
    """
    if not stated or name_key(stated) in _MIN_MAX:
        return by_name or Detector.UNKNOWN
    field = f"'Detector,{stated}'"
    det = parse_detector(stated)
    if det is None:
        warnings.append(
            f"column {label!r}: unrecognised {field}; the detector is not known, state it "
            "with --detector"
        )
        return Detector.UNKNOWN
    peaks = {Detector.PEAK, Detector.NEGATIVE_PEAK}
    if by_name is not None and by_name is not det and {det, by_name} <= peaks:
        warnings.append(
            f"column {label!r}: its name says {by_name.value} but the file states {field}; "
            "the detector is not known, state it with --detector"
        )
        return Detector.UNKNOWN
    if by_name is not None and by_name is not det:
        warnings.append(
            f"column {label!r}: read with the stated {field}, not as {by_name.value} from its "
            "name (with an averaging detector Spike writes the same averaged values into its "
            "Min and Max columns)"
        )
    key, value = units
    name = f"column {label!r}"
    return on_average_scale(det, stated, value, name, warnings, field=key or "Video Units")


def _preamble(lines: list[str]) -> tuple[dict[str, str], dict[str, str]]:
    """Metadata (every ``key,value`` line) and canonical fields of the lines above the header."""
    meta: dict[str, str] = {}
    fields: dict[str, str] = {}
    for line in lines:
        parts = [p.strip() for p in line.split(",")]
        if len(parts) >= 2 and parts[0]:
            meta[parts[0]] = ",".join(p for p in parts[1:] if p)
            canon, value = _FIELDS.get(parts[0].lower()), parts[1]
            keyed = _KEYED_UNIT_RE.match(parts[0])
            if keyed:  # 'RBW (kHz),120': the unit in the key, read as '120 kHz'
                canon = _KEYED[keyed.group(1).lower().replace(" ", "")]
                value = f"{parts[1]} {keyed.group(2).strip()}"
            if canon and canon not in fields:
                fields[canon] = value
    return meta, fields


def _settings(
    fields: dict[str, str], path: Path, warnings: list[str]
) -> tuple[float | None, float | None, float | None]:
    """RBW [Hz], VBW [Hz] and sweep time [s] stated by the preamble (None when absent)."""
    rbw = _stated(
        fields, "rbw", "RBW", _BW_RE, FREQ_SCALE, ("10 kHz", "Hz", "10000"), path, warnings
    )
    vbw = _stated(
        fields, "vbw", "VBW", _BW_RE, FREQ_SCALE, ("10 kHz", "Hz", "10000"), path, warnings
    )
    sweep = _stated(
        fields,
        "sweep_time",
        "Sweep Time",
        _TIME_RE,
        TIME_SCALE,
        ("5 ms", "s", "0.005"),
        path,
        warnings,
    )
    return rbw, vbw, sweep


_TIME_RE = re.compile(r"^\s*([0-9.eE+-]+)\s*(s|sec|ms|us|µs|ns)?\s*$", re.I)


def _stated(
    fields: dict[str, str],
    field: str,
    label: str,
    pattern: re.Pattern[str],
    scale: dict[str, float],
    examples: tuple[str, str, str],
    path: Path,
    warnings: list[str],
) -> float | None:
    """Return a preamble number in SI units; None when absent, unreadable or unit-less.

    ``RBW (kHz),10`` states its unit in the key (read as ``10 kHz``), ``RBW,10 kHz`` or
    ``Sweep Time,5 ms`` in the value; a bare ``RBW,120`` or ``Sweep Time,5`` states
    none, and the unit is not guessed (a sweep time read in s for ms passes a quasi-peak
    trace as settled): None, noted. ``examples``: (a value with its unit, the key's unit,
    a value in it), for the note.
    """
    in_value, key_unit, key_value = examples
    text = fields.get(field)
    if text is None:
        return None
    m = pattern.match(text)
    if not m:
        warnings.append(f"{label} {text!r} is not a number with a unit; not used")
        return None
    try:
        value = float(m.group(1))
    except ValueError:
        raise CaptureFormatError(f"{label}: not a number: {text!r}", path) from None
    if m.group(2) is None:
        warnings.append(
            f"{label} {text!r} stated without a unit; not used (a unit is stated in the value, "
            f"'{label},{in_value}', or in the key, '{label} ({key_unit}),{key_value}')"
        )
        return None
    return value * scale[m.group(2).lower()]


READER = Reader(
    name="signalhound",
    title="Signal Hound Spike trace CSV",
    extensions=(".csv",),
    signature=(
        "'Frequency (MHz),...' header after a Signal Hound/Spike preamble, "
        "or with Min and Max columns"
    ),
    sniff=_sniff,
    read=read_signalhound,
    priority=300,
)
