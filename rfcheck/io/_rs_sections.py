"""The blocks of an R&S ASCII trace export, and what its scan ranges state for every trace.

An export (:mod:`rfcheck.io.rs_ascii`) is a global header, optional scan ranges (receiver
``Scan n:`` blocks, ESU spurious-emission ``Range n:`` blocks) and one or more ``TRACE n:``
blocks. Each block is a :class:`Section` of ``key;value;unit`` fields; the ranges' settings
apply to every trace when all ranges agree (:func:`range_settings`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from ..capture import Detector, Trace
from ..errors import CaptureFormatError
from ..frequency import format_hz
from ._common import name_key
from ._header import scaled_value

__all__ = [
    "DETECTOR_MAP",
    "RANGE_FIELDS",
    "STEP_TOLERANCE",
    "RangeSettings",
    "Section",
    "range_settings",
    "refuse_other_export",
    "section_number",
    "step_notes",
]

#: R&S detector names (letters/digits only, lower case) -> Detector.
DETECTOR_MAP: dict[str, Detector] = {
    "maxpeak": Detector.PEAK,
    "positivepeak": Detector.PEAK,
    "pospeak": Detector.PEAK,
    "peak": Detector.PEAK,
    "minpeak": Detector.NEGATIVE_PEAK,
    "negativepeak": Detector.NEGATIVE_PEAK,
    "autopeak": Detector.NORMAL,
    "average": Detector.AVERAGE,
    "quasipeak": Detector.QUASI_PEAK,
    "cisprav": Detector.CISPR_AVERAGE,
    "cispraverage": Detector.CISPR_AVERAGE,
    "caverage": Detector.CISPR_AVERAGE,
    "rms": Detector.RMS,
    "rmsaverage": Detector.RMS_AVERAGE,
    "crms": Detector.RMS_AVERAGE,
    "cisprrms": Detector.RMS_AVERAGE,
    "sample": Detector.SAMPLE,
}

#: Settings a scan range (receiver ``Scan n:``, ESU spurious-emission ``Range n:``) states
#: for itself; the traces run across every range.
RANGE_FIELDS = ("rbw_hz", "vbw_hz", "sweep_time_s", "dwell_s", "detector")

#: A scan's stated ``Step`` and its data's spacing (the median interval between the points
#: inside its ``Start``/``Stop``) agree within this fraction of the step: the last interval
#: of a range, cut short at its stop, does not move the median.
STEP_TOLERANCE = 0.01


@dataclass
class Section:
    """One block of the export: the global header, a ``Scan n:``/``Range n:`` range or a trace."""

    name: str
    #: canonical field name -> (raw values, 1-based line)
    fields: dict[str, tuple[list[str], int]] = field(default_factory=dict)
    line: int = 0  #: 1-based line of the section header
    first: int = 0  #: 0-based line index of the first data row
    data: NDArray[np.float64] | None = None  #: (rows, values) block
    #: a trace with no ``TRACE n:`` line (single-trace export): the global header is its own
    implicit: bool = False
    #: the ``Window;n;<type>`` block (window 2 or later) a trace belongs to: its own settings,
    #: over the global header's; None for the first window's traces
    window: Section | None = None
    #: a ``Window;n;<type>`` block itself (its settings up to its first trace), not a trace
    is_window: bool = False


#: How a message names a canonical field: the key an R&S export writes for it (the error's
#: line shows the exact one, e.g. ``Res BW`` for ``RBW``), never rfcheck's own field name.
FILE_KEYS: dict[str, str] = {
    "rbw_hz": "RBW",
    "vbw_hz": "VBW",
    "sweep_time_s": "SWT",
    "dwell_s": "Meas Time",
    "start_hz": "Start",
    "stop_hz": "Stop",
    "step_hz": "Step",
}


def section_number(sec: Section, key: str, path: Path) -> float | None:
    """Return the section's ``key`` as a number in SI units; None when absent, AUTO or OFF.

    An error names the file's key (:data:`FILE_KEYS`) and its line.
    """
    if key not in sec.fields:
        return None
    raw, line = sec.fields[key]
    if not raw or not raw[0] or raw[0].upper() in ("AUTO", "OFF", "---"):
        return None
    unit = raw[1] if len(raw) > 1 else ""
    return scaled_value(raw[0], unit, path, line, FILE_KEYS.get(key, key))


@dataclass(frozen=True)
class RangeSettings:
    """What the scan ranges (``Scan n:``/``Range n:``) state for every trace."""

    #: canonical field -> (raw values, line) of the :data:`RANGE_FIELDS` all ranges agree on
    fields: dict[str, tuple[list[str], int]]
    #: the ranges' detectors when they differ (``MAX PEAK``, ``RMS``), else empty
    detectors_differ: tuple[str, ...] = ()
    #: the ranges' RBWs when they differ, ascending, else empty [Hz]
    rbws_differ: tuple[float, ...] = ()
    #: the ranges themselves, in file order
    sections: tuple[Section, ...] = ()


def range_settings(scans: list[Section], path: Path) -> RangeSettings:
    """Return the :data:`RANGE_FIELDS` every scan range stating them agrees on.

    Ranges with different RBWs give a trace no RBW (:mod:`rfcheck.io.rs_ascii` splits it),
    different detectors no detector. Values that are not numbers (``AUTO``) are not compared.
    """
    out: dict[str, tuple[list[str], int]] = {}
    differ: tuple[str, ...] = ()
    rbws: tuple[float, ...] = ()
    for canon in RANGE_FIELDS:
        stating = [s for s in scans if canon in s.fields]
        if canon == "detector":
            texts = {s.fields[canon][0][0] if s.fields[canon][0] else "" for s in stating}
            known: set[object] = {name_key(t) for t in texts if t}
            if len(known) > 1:
                differ = tuple(sorted(t for t in texts if t))
        else:
            values = {v for v in (section_number(s, canon, path) for s in stating) if v is not None}
            if canon == "rbw_hz" and len(values) > 1:
                rbws = tuple(sorted(values))
            known = set(values)
        if len(known) == 1:
            out[canon] = stating[0].fields[canon]
    return RangeSettings(out, differ, rbws, tuple(scans))


def step_notes(scans: list[Section], traces: list[Trace], path: Path) -> list[str]:
    """Say where a scan's stated ``Step`` disagrees with the spacing of its data points.

    A receiver's ``Scan n:`` block states the step it measured at; rows much further apart
    (a decimated or truncated export) or closer together are not what it states. The verdict
    follows the data as they are (their coverage, ``docs/verdict.md``), so this only tells
    the user: one note per scan, from the first trace with at least 3 points in its range.
    The step is informational: a logarithmic one (``Step;1;%`` or ``Step Mode;LOG;``), or one
    whose unit is not a frequency, is not compared (noted), never a reason to refuse the file.
    """
    notes = []
    for sec in scans:
        if "step_hz" not in sec.fields:
            continue
        raw, line = sec.fields["step_hz"]
        written = ";".join(["Step", *raw]).rstrip(";")
        mode = sec.fields.get("step_mode", ([""], 0))[0]
        if (len(raw) > 1 and raw[1].strip() == "%") or (mode and name_key(mode[0]) == "log"):
            notes.append(
                f"{sec.name}: '{written}' (line {line}) is a logarithmic step: the spacing of "
                "its data points is not compared with it"
            )
            continue
        try:
            step = section_number(sec, "step_hz", path)
        except CaptureFormatError as err:
            notes.append(
                f"{sec.name}: '{written}' (line {line}) not read ({err.message}): the spacing "
                "of its data points is not compared with it"
            )
            continue
        if step is None or not step > 0:
            continue
        lo = section_number(sec, "start_hz", path)
        hi = section_number(sec, "stop_hz", path)
        for tr in traces:
            f = tr.freq_hz
            slack = 1e-6 * step
            if lo is not None:
                f = f[f >= lo - slack]
            if hi is not None:
                f = f[f <= hi + slack]
            if f.size < 3:
                continue
            spacing = float(np.median(np.diff(f)))
            if abs(spacing - step) > STEP_TOLERANCE * step:
                line = sec.fields["step_hz"][1]
                notes.append(
                    f"{sec.name} states a step of {format_hz(step)} (line {line}), but its "
                    f"data points are {format_hz(spacing)} apart (median spacing of "
                    f"{f.size} points, {tr.name}): not the scan it states (a decimated or "
                    "truncated export?); the verdict follows the data points as they are"
                )
            break
    return notes


def refuse_other_export(key: str, glob: Section, path: Path, line: int) -> None:
    """Refuse a spurious-emission peak list, or a second export appended to the first.

    - ``PeaksPerRange``: the FSW/FPL/FSV3000 spurious-emission export (R&S FSW User Manual
      §7.7.6, "ASCII Export File Format (Spurious)"): its rows are the peaks found per range
      (range, start, stop, RBW, frequency, level, limit, margin), not a trace.
    - A second ``Type;`` line: ``FORMat:DEXPort:APPend ON`` appends one export after another
      (FSE operating manual); the second header's ``y-Unit`` would land in the first export's
      trace blocks, so the file is not read as one export.
    """
    if key == "PeaksPerRange":
        raise CaptureFormatError(
            "a spurious-emission peak list ('PeaksPerRange'): its rows are the peaks found per "
            "range, not a trace; export the trace instead",
            path,
            line,
        )
    if key == "Type" and "model" in glob.fields:
        first = glob.fields["model"][1]
        raise CaptureFormatError(
            f"a second export starts here (its 'Type' line; the first at line {first}): several "
            "exports appended in one file; save each export to its own file",
            path,
            line,
        )
