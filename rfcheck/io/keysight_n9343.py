"""Keysight N9343C / N9344C / N9935-class handheld analyser trace CSV.

Layout: an optional SCPI definite-length block prefix glued to line 1 (``#517905Machine
Module,N9343C,CN06050901``: ``#``, one digit n, then n digits of byte count), then
``Machine Module,<model>,<serial>``, ``MCU/DSP/FPGA Version`` lines, a ``hh:mm:ss
mm.dd.yyyy`` line, about 50 ``key,value[,AUTO|MAN]`` lines (``Y Axis Unit``, ``Number of
Points``, ``RBW``, ``VBW``, ``Sweep Time(s)``...), ``Trace Name``/``Trace Type``/``Trace
Detector`` lines (one value per trace, trailing comma), ``Trace Data`` and
``+1.000000000e+06,-8.4e+01,`` rows. ``Trace Math`` other than ``Off`` is refused (a trace is
then computed from the others, and the file does not say which); ``Gate Sweep,ON`` makes
every trace's readings lower bounds at most (``Trace.reads_low``; ``io/_trace_math.py``).
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from ..capture import Capture, Detector, Instrument, joined_reasons
from ..errors import CaptureFormatError
from ._applied import (
    OFFSET_ADVICE,
    corrections_note,
    frequency_offset_notes,
    level_offset_notes,
)
from ._files import read_bytes_capped
from ._lines import TextLines
from ._registry import Reader
from ._sections import read_section_export
from ._trace_math import gated_reason, refuse_file_math, stated_on

__all__ = ["read_keysight_n9343", "READER"]

#: Vendor header names -> canonical fields.
HEADER_MAP: dict[str, str] = {
    "Machine Module": "model",
    "MCU Version": "firmware",
    "Y Axis Unit": "y_unit",
    "X Axis Units": "x_unit",
    "Number of Points": "n_points",
    "RBW": "rbw_hz",
    "VBW": "vbw_hz",
    "Average Type": "average_type",
    "Trace Math": "trace_math",
    "Gate Sweep": "gate_sweep",
    "Sweep Time(s)": "sweep_time_s",
}


#: Trace detectors -> Detector.
DETECTOR_MAP: dict[str, Detector] = {
    "pospeak": Detector.PEAK,
    "positivepeak": Detector.PEAK,
    "peak": Detector.PEAK,
    "negpeak": Detector.NEGATIVE_PEAK,
    "negativepeak": Detector.NEGATIVE_PEAK,
    "sample": Detector.SAMPLE,
    "normal": Detector.NORMAL,
    "average": Detector.AVERAGE,
    "rms": Detector.RMS,
    "quasipeak": Detector.QUASI_PEAK,
}

_PREFIX_RE = re.compile(rb"^#([1-9])")
_SIGNATURE_RE = re.compile(r"^Machine Module,(N93\d\d[A-Z]?|N99\d\d[A-Z]?)\b")
_STAMP_RE = re.compile(r"^\d{1,2}:\d{2}:\d{2} \d{1,2}\.\d{1,2}\.\d{4}$")


def _strip_block_prefix(raw: bytes) -> bytes:
    """Remove a leading SCPI definite-length block header ``#<n><n digits>``.

    A UTF-8 byte-order mark before it (the file re-saved by an editor) goes with it.
    """
    if raw.startswith(b"\xef\xbb\xbf") and _PREFIX_RE.match(raw[3:]):
        raw = raw[3:]
    m = _PREFIX_RE.match(raw)
    if m is None:
        return raw
    n = int(m.group(1))
    digits = raw[2 : 2 + n]
    return raw[2 + n :] if len(digits) == n and digits.isdigit() else raw


def read_keysight_n9343(path: Path) -> Capture:
    """Read a Keysight N9343C/N9344C handheld analyser trace CSV.

    Parameters
    ----------
    path : Path

    Returns
    -------
    Capture
        One :class:`Trace` per level column: ``freq_hz`` [Hz], ``level`` [``Y Axis Unit``],
        detector (``Pos Peak`` -> peak), mode (``Max Hold`` -> max-hold), ``rbw_hz``/``vbw_hz``
        [Hz], ``sweep_time_s`` [s]; timestamp from the ``hh:mm:ss mm.dd.yyyy`` line.

    Raises
    ------
    CaptureFormatError
        Missing ``Trace Data``, wrong point count, malformed rows, ``Trace Math`` on.
    UnitError
        Unknown ``Y Axis Unit``.
    """
    raw = read_bytes_capped(path)
    body = _strip_block_prefix(raw)
    lines = TextLines(body, path, direct=body is raw)
    first_line = lines.text(0) if lines.n_lines else ""
    if not first_line.startswith("Machine Module,"):
        raise CaptureFormatError(f"first line is not 'Machine Module,...': {first_line!r}", path, 1)
    export = read_section_export(
        lines,
        header_map=HEADER_MAP,
        detector_map=DETECTOR_MAP,
        stamp_re=_STAMP_RE,
        stamp_formats=("%H:%M:%S %m.%d.%Y",),
    )
    refuse_file_math(export.fields, path)
    traces = export.traces
    gate = stated_on(export.fields, "gate_sweep")
    if gate is not None:  # only what fell in the gate window reached the traces
        traces = [
            dataclasses.replace(t, reads_low=joined_reasons(gated_reason(*gate), t.reads_low))
            for t in traces
        ]
    instrument = Instrument(
        vendor="Keysight",
        model=export.value("model", 0),
        serial=export.value("model", 1),
        firmware=export.value("firmware", 0),
    )
    return Capture(
        traces=tuple(traces),
        instrument=instrument,
        timestamp=export.timestamp,
        metadata=export.metadata,
        warnings=(*export.warnings, *_applied_settings(export.metadata)),
    )


#: Level offsets the instrument has already applied to the trace data -> the options that
#: would apply them a second time.
_APPLIED_LEVEL: dict[str, str] = {"Ref Level Offset": OFFSET_ADVICE}
_CORRECTION_RE = re.compile(r"^Correction\d+$")


def _applied_settings(metadata: dict[str, str]) -> list[str]:
    """Return notes for the settings the N9343C has already applied to what it exported.

    A non-zero ``Ref Level Offset`` is in every level, a non-zero ``Frequency Offset`` in
    every frequency, and ``Apply Corrections,ON`` means the instrument's correction tables
    (``Correction1..4,On``) are in the levels.
    """
    first = {key: value.split(",")[0] for key, value in metadata.items()}
    notes = level_offset_notes(first, _APPLIED_LEVEL)
    notes += frequency_offset_notes(first, ("Frequency Offset",))
    tables = [
        key for key, value in first.items() if _CORRECTION_RE.match(key) and value.upper() == "ON"
    ]
    note = corrections_note("Apply Corrections", first.get("Apply Corrections", ""), tables)
    return notes + ([note] if note else [])


def _sniff(head: bytes, path: Path) -> bool:
    text = _strip_block_prefix(head).decode("latin-1")
    return _SIGNATURE_RE.match(text) is not None


READER = Reader(
    name="keysight-n9343",
    title="Keysight N9343C/N9344C handheld analyser trace CSV",
    extensions=(".csv",),
    signature="'Machine Module,N934xx' (after an optional '#<n><len>' block prefix)",
    sniff=_sniff,
    read=read_keysight_n9343,
    priority=100,
)
