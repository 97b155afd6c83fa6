"""Keysight X-series / MXE trace CSV (N9038A MXE, N90x0A/B MXA/EXA/PXA/CXA).

Layout (as written by the instrument's Save > Data > Trace): line 1 ``Trace`` (one trace)
or ``AllTrace`` (every trace), line 2 the measurement mode (``Swept SA``, ``EMI Receiver``),
line 3 ``<firmware>,<model>``, line 4 the option list, then ``key,value`` lines (``Number
of Points``, ``RBW``, ``VBW``, ``Sweep Time``, ``Trace Type``, ``Detector``, ``X Axis Units``,
``Y Axis Units``...; per-trace keys hold one value per trace in ``AllTrace`` files), a
``DATA`` line and ``freq,level[,level...]`` rows. Unused traces are filled with
``-893.01029995664`` and are dropped. A zero-span export (``X Axis Units,s``, or equal
``Start Frequency`` and ``Stop Frequency`` with or without ``X Axis Units``) is refused: its
rows are a time record. A file stating no ``X Axis Units`` is read in Hz, and a header
Start/Stop the data contradict is noted saying so.

``RBW Filter``/``RBW Filter BW`` say at which level the ``RBW`` is stated: the trace's
``rbw_hz`` is its -6 dB bandwidth (``io/_rbw_definition.py``). ``Average Type`` (log-power,
power or voltage) says what an ``Average`` detector trace is
(``io/_average_type.py``): a log-power average is :attr:`Detector.LOG_AVERAGE`, a lower
bound only (``docs/verdict.md``, "Detector ordering"). A trace whose ``Trace Math`` is not
``Off`` (Log Diff, Power Diff, Log Offset...), and every trace of a file stating
``Normalize,On``, is computed from other traces, not measured: dropped with a note
(``io/_trace_math.py``); a file left with none is refused. ``Sweep Type`` decides whether a
stated ``Dwell Time``/``Meas Time`` is a stepped scan's dwell per frequency: ``Swept`` or
``FFT`` is a sweep, whose dwell is not read as one (:func:`_dwell_s`).
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from ..capture import (
    Capture,
    Detector,
    Instrument,
    Trace,
    parse_detector,
    stated_trace_mode,
)
from ..errors import CaptureFormatError
from ._applied import GAIN_ADVICE, OFFSET_ADVICE, level_offset_notes
from ._average_type import on_average_scale
from ._blocks import check_freq_hz, read_rows, unused_after
from ._common import axis_disagreements, drop_sentinel, name_key, parse_float
from ._header import HeaderEntry, map_name, read_header
from ._level_scale import StatedUnit, convert_levels, level_unit_of
from ._lines import TextLines
from ._rbw_definition import declined_rbw_note, gaussian_6db_hz
from ._registry import Reader
from ._sections import UNSTATED_X_UNIT, hz_axis_unit, refuse_zero_span
from ._trace_math import computed_note, is_off, no_trace_left

__all__ = ["read_keysight_xseries", "READER"]

#: Vendor header names -> canonical fields.
HEADER_MAP: dict[str, str] = {
    "Number of Points": "n_points",
    "Start Frequency": "start_hz",
    "Stop Frequency": "stop_hz",
    "RBW": "rbw_hz",
    "RBW Filter": "rbw_filter",
    "RBW Filter BW": "rbw_filter_bw",
    "VBW": "vbw_hz",
    "Sweep Time": "sweep_time_s",
    "Dwell Time": "dwell_s",
    "Meas Time": "dwell_s",
    "Sweep Type": "sweep_type",
    "Trace Type": "trace_mode",
    "Average Type": "average_type",
    "Detector": "detector",
    "Trace Name": "trace_name",
    "X Axis Units": "x_unit",
    "Y Axis Units": "y_unit",
    "Trace Math": "trace_math",
    "Normalize": "normalize",
}


#: X-series detector names the generic alias table does not know.
DETECTOR_MAP: dict[str, Detector] = {
    "emiaverage": Detector.CISPR_AVERAGE,
    "emiavg": Detector.CISPR_AVERAGE,
    "rmsaverage": Detector.RMS_AVERAGE,
    "negpeak": Detector.NEGATIVE_PEAK,
}

#: Level the instrument writes into every point of an unused trace. [dB]
BLANK_SENTINEL = -893.01029995664


def _per_trace(values: list[str], k: int) -> str:
    if not values:
        return ""
    return values[k] if k < len(values) else values[-1] if len(values) == 1 else ""


def read_keysight_xseries(path: Path) -> Capture:
    """Read a Keysight X-series (MXE/MXA/EXA/PXA/CXA) ``Trace``/``AllTrace`` CSV.

    Parameters
    ----------
    path : Path

    Returns
    -------
    Capture
        One :class:`Trace` per used trace column: ``freq_hz`` [Hz], ``level`` [``Y Axis
        Units``], detector, mode, ``rbw_hz``/``vbw_hz`` [Hz], ``sweep_time_s`` [s].

    Raises
    ------
    CaptureFormatError
        Missing ``DATA`` line, wrong point count, malformed rows, non-Hz x axis, a zero-span
        export (equal ``Start Frequency`` and ``Stop Frequency``, with or without ``X Axis
        Units``).
    UnitError
        Unknown ``Y Axis Units``.
    """
    with TextLines.open(path) as lines:
        return _read(path, lines)


#: Line 3's ``<firmware>,<model>``: ``A.25.08,N9038A``, ``A.33.03,N9048B``, ``A.14.16,N9020A``.
_FIRMWARE_MODEL = re.compile(r"[^,\s]+\s*,\s*[A-Z]{1,2}\d{4,5}[A-Z]{0,2}")
#: A model number alone (``N9038A``), where line 3 states no firmware.
_MODEL = re.compile(r"[A-Z]{1,2}\d{4,5}[A-Z]{0,2}")


def _is_firmware_model(text: str) -> bool:
    """Whether a header line is the ``<firmware>,<model>`` line (``A.25.08,N9038A``)."""
    return _FIRMWARE_MODEL.fullmatch(text.strip().rstrip(",").strip()) is not None


def _read(path: Path, lines: TextLines) -> Capture:
    if not lines.has_line(4):
        raise CaptureFormatError("too short for an X-series trace CSV", path)
    warnings: list[str] = []
    # line 2 is the measurement mode; a file without it has the firmware and model there
    mode_line = lines.text(1).strip()
    no_mode = _is_firmware_model(mode_line)
    fw_at = 1 if no_mode else 2
    fw_line = lines.text(fw_at)
    if no_mode:
        warnings.append(
            f"line 2 is the firmware and model line ({mode_line!r}), not the measurement "
            "mode (Swept SA, EMI Receiver): the mode is not stated"
        )
    has_fw = _is_firmware_model(fw_line)
    fw_model = [f.strip() for f in fw_line.split(",")] if has_fw else ["", ""]
    bare = _MODEL.fullmatch(fw_line.strip().rstrip(",").strip())
    if bare:  # the model alone: read, the firmware not stated
        has_fw, fw_model = True, ["", bare.group(0)]
        warnings.append(
            f"line {fw_at + 1} states the model {bare.group(0)!r} without a firmware "
            "revision: the firmware is not stated"
        )
    elif not has_fw:
        warnings.append(
            f"line {fw_at + 1} is not the '<firmware>,<model>' line (such as "
            "'A.25.08,N9038A'): the instrument's model and firmware are not stated"
        )
    # then the option list ('526 CR3 DP2 EMC ...,01'); an instrument that writes none goes
    # straight to the settings, whose first key must not be taken for options
    opt_at = fw_at + 1 if has_fw else fw_at
    fourth = lines.text(opt_at).split(",")[0].strip()
    has_options = fourth not in HEADER_MAP and fourth not in ("Segment", "DATA")
    options = fourth if has_options else ""
    entries, data_at = read_header(
        lines, opt_at + has_options, sep=",", stop_keys=frozenset({"DATA"}), marker="DATA"
    )
    if not lines.has_line(data_at):
        raise CaptureFormatError("no 'DATA' line: the file holds no trace data", path)
    metadata = {
        "File Type": lines.text(0).strip(),
        "Mode": "" if no_mode else mode_line,
        "Options": options,
    }
    fields: dict[str, HeaderEntry] = {}
    for key, vals, line in entries:
        metadata[key] = ",".join(vals)
        if key in HEADER_MAP:
            fields[HEADER_MAP[key]] = (key, vals, line)
    fields["measurement_mode"] = ("Mode", [metadata["Mode"]], 2)  # line 2: Swept SA, EMI Receiver
    unit = hz_axis_unit(fields, path, " (zero-span traces are not supported)")
    refuse_zero_span(entries, path)  # with or without 'X Axis Units': a time record
    first = data_at + 1
    data, data_warnings = _read_data(lines, first, fields)
    warnings += data_warnings
    warnings += _applied_offsets(metadata)
    traces, computed = _traces(data, fields, unit, warnings, path, first + 1)
    if not traces and computed is not None:
        raise no_trace_left(computed[0], path, fields[computed[1]][2])
    if not traces:
        raise CaptureFormatError(
            "every trace in the file is unused (blank sentinel)", path, first + 1
        )
    instrument = Instrument(
        vendor="Keysight",
        model=fw_model[1],
        firmware=fw_model[0],
        options=options,
    )
    return Capture(
        traces=tuple(traces), instrument=instrument, metadata=metadata, warnings=tuple(warnings)
    )


#: Header gains/offsets the instrument has already applied to the trace data, and the
#: transducer option that would apply them a second time.
_APPLIED: dict[str, str] = {"External Gain": GAIN_ADVICE, "Ref Level Offset": OFFSET_ADVICE}


def _applied_offsets(metadata: dict[str, str]) -> list[str]:
    """Warn of a non-zero ``External Gain`` / ``Ref Level Offset``: the trace already holds it.

    The X-series corrects its trace data by both (the reading is referred to the point the
    offset describes), so the same gain or loss given again as a transducer counts twice.
    """
    first = {key: metadata[key].split(",")[0] for key in _APPLIED if key in metadata}
    return level_offset_notes(first, _APPLIED)


def _number(fields: dict[str, HeaderEntry], canon: str, path: Path) -> float | None:
    if canon not in fields or not fields[canon][1]:
        return None
    key, vals, line = fields[canon]
    return parse_float(vals[0], path, line, key, decimal_comma=True)


def _first(fields: dict[str, HeaderEntry], canon: str) -> str:
    """Return the first value of header field ``canon``; "" when absent."""
    vals = fields.get(canon, ("", [], 0))[1]
    return vals[0] if vals else ""


#: ``RBW Filter`` types whose bandwidths their EMC standard defines at -6 dB (CISPR 16-1-1,
#: MIL-STD-461): the X-Series reference, "RBW Filter BW": with an EMC standard set "the
#: Filter BW is chosen as appropriate for the filter and the standard".
_EMC_FILTERS = frozenset({"emi", "cispr", "mil"})

#: ``RBW Filter BW`` values that state no -3/-6 dB width -> what they state.
_OTHER_WIDTHS = {"noise": "a noise bandwidth", "impulse": "an impulse bandwidth"}


def _rbw_6db_hz(fields: dict[str, HeaderEntry], path: Path, warnings: list[str]) -> float | None:
    """Return the RBW at -6 dB, from ``RBW`` and how ``RBW Filter``/``RBW Filter BW`` state it.

    A Gaussian filter stated at -6 dB (or with no ``RBW Filter BW``) is taken as read, one
    stated at -3 dB is converted (:func:`~rfcheck.io._rbw_definition.gaussian_6db_hz`), an
    EMC-standard filter is taken as read; a noise or impulse bandwidth, a Flattop or unknown
    filter type or an unknown ``RBW Filter BW`` give None, noted: the X-series reference
    fixes the -3/-6 dB ratio only for its Gaussian filters. [Hz]
    """
    rbw_hz = _number(fields, "rbw_hz", path)
    if rbw_hz is None:
        return None
    shape, width = _first(fields, "rbw_filter"), _first(fields, "rbw_filter_bw")
    if name_key(shape) in _EMC_FILTERS:
        return rbw_hz
    if shape and name_key(shape) != "gaussian":
        warnings.append(
            declined_rbw_note(rbw_hz, f"'RBW Filter,{shape}'", "stated for a non-Gaussian filter")
        )
        return None
    if not width or name_key(width) == "6db":
        return rbw_hz
    if name_key(width) == "3db":
        return gaussian_6db_hz(rbw_hz, f"'RBW Filter BW,{width}'", warnings)
    why = _OTHER_WIDTHS.get(name_key(width), "stated at an unrecognised level")
    warnings.append(declined_rbw_note(rbw_hz, f"'RBW Filter BW,{width}'", why))
    return None


def _read_data(
    lines: TextLines, first: int, fields: dict[str, HeaderEntry]
) -> tuple[NDArray[np.float64], list[str]]:
    """Return the ``DATA`` block, checked against the header, and warnings on the rest.

    Raises
    ------
    CaptureFormatError
        Malformed rows, a wrong point count, or data rows after the block.
    """
    path = lines.path
    n_points = _number(fields, "n_points", path)
    declared = (
        f"'Number of Points,{n_points:g}' at line {fields['n_points'][2]}" if n_points else "DATA"
    )
    data, after = read_rows(
        lines, first, int(n_points) if n_points else None, declared, sep=",", what="DATA"
    )
    if data.shape[1] < 2:
        raise CaptureFormatError(
            f"DATA rows hold no level column: {lines.text(first)!r}", path, first + 1
        )
    check_freq_hz(lines, first, data[:, 0], "DATA")
    warnings = []
    if after is not None:
        _refuse_frames(lines, after)
    rest = unused_after(lines, after, ",", "DATA") if after is not None else None
    if rest:
        warnings.append(rest)
    stated = {
        which: (value, fields[canon][2])
        for which, canon in (("start", "start_hz"), ("stop", "stop_hz"))
        if (value := _number(fields, canon, path)) is not None
    }
    disagreements = axis_disagreements(stated, data[:, 0], path)
    if disagreements and "x_unit" not in fields:
        disagreements[-1] += f" ({UNSTATED_X_UNIT})"
    warnings.extend(disagreements)
    return data, warnings


def _traces(
    data: NDArray[np.float64],
    fields: dict[str, HeaderEntry],
    unit: StatedUnit,
    warnings: list[str],
    path: Path,
    first_line: int,
) -> tuple[list[Trace], tuple[str, str] | None]:
    """One :class:`Trace` per used level column, and what made a trace computed, if any.

    Blank-sentinel columns are dropped, noted; so are computed traces (a ``Trace Math`` other
    than ``Off``, or ``Normalize,On``): the second value is then the last such setting as
    the file writes it and its canonical field (``("'Trace Math,Log Diff'", "trace_math")``).
    A ``unit`` converted on reading (``W``, ``dBpW``) converts every kept column, noted;
    ``first_line`` is the 1-based line of the first data row.
    """
    modes = fields.get("trace_mode", ("", [], 0))[1]
    maths = fields.get("trace_math", ("", [], 0))[1]
    normalize = _first(fields, "normalize")
    computed: tuple[str, str] | None = None
    detectors = fields.get("detector", ("", [], 0))[1]
    names = fields.get("trace_name", ("", [], 0))[1]
    average_type = _first(fields, "average_type")
    rbw_hz = _rbw_6db_hz(fields, path, warnings)
    dwell_s = _dwell_s(fields, path, warnings)
    traces: list[Trace] = []
    for k in range(data.shape[1] - 1):
        name = _per_trace(names, k) or f"Trace{k + 1}"
        level = data[:, k + 1]
        if drop_sentinel(level, BLANK_SENTINEL):
            warnings.append(f"{name}: unused trace (every point {BLANK_SENTINEL}) dropped")
            continue
        setting = _computed_by(_per_trace(maths, k), normalize)
        if setting is not None:
            computed = setting
            warnings.append(computed_note(name, setting[0], fields[setting[1]][2]))
            continue
        det_text = _per_trace(detectors, k)
        detector = (
            map_name(det_text, DETECTOR_MAP, None) or parse_detector(det_text) or Detector.UNKNOWN
        )
        if det_text and detector is Detector.UNKNOWN:
            warnings.append(f"{name}: unrecognised detector {det_text!r}")
        detector = on_average_scale(
            detector, det_text, average_type, name, warnings, cispr_scaled=True
        )
        mode, reads_low = stated_trace_mode(_per_trace(modes, k))
        traces.append(
            Trace(
                freq_hz=data[:, 0],
                level=convert_levels(level, unit, path, name, warnings, first_line),
                unit=level_unit_of(unit),
                detector=detector,
                name=name,
                mode=mode,
                reads_low=reads_low,
                rbw_hz=rbw_hz,
                vbw_hz=_number(fields, "vbw_hz", path),
                sweep_time_s=_number(fields, "sweep_time_s", path),
                dwell_s=dwell_s,
            )
        )
    return traces, computed


#: ``Sweep Type`` values that state a sweep: the X-series "Sweep Type refers to whether or
#: not the instrument is in Swept or FFT analysis" (its Spectrum Analyzer Mode reference,
#: "Sweep Config").
_SWEEPS = {"swept": "a sweep", "fft": "an FFT sweep"}
#: Line 2's measurement modes (letters and digits, lower case) in which ``Sweep Type`` decides
#: over a stated dwell: the analyser modes. In any other (``EMI Receiver``, a spelling not
#: known, none) a stated dwell keeps the trace stepped (:func:`_dwell_s`).
_SWEPT_MODES = frozenset({"sweptsa", "spectrumanalyzer", "sa"})


def _dwell_s(fields: dict[str, HeaderEntry], path: Path, warnings: list[str]) -> float | None:
    """Return the dwell per frequency of a stepped scan [s], or None for a sweep.

    ``Sweep Type`` decides: ``Swept`` or ``FFT`` is a sweep, which covers its span
    continuously, so a ``Dwell Time``/``Meas Time`` the file also states is not a dwell per
    frequency (a stated dwell makes the verdict read the trace as stepped, its points only:
    ``docs/verdict.md``, "Coverage"), noted. ``Stepped`` (or no ``Sweep Type``, or one not
    recognised) keeps the stated dwell; a ``Stepped`` scan stating none dwells
    ``Sweep Time`` / ``Number of Points`` per point, noted (no more than that: the time
    includes the retuning). Outside the analyser modes (line 2 ``Swept SA``; in ``EMI
    Receiver``, a mode not known, or none) a stated dwell is kept whatever ``Sweep Type``
    says, noted: the instrument keeps each mode's settings, a receiver's scan table steps,
    and no manual page or real file shows such a mode writing a sweep type that applies to
    its dwell, so the reading that claims less (its points only) is taken.
    """
    dwell = _number(fields, "dwell_s", path)
    if "sweep_type" not in fields:
        return dwell
    _, values, type_line = fields["sweep_type"]
    written = values[0] if values else ""
    kind = name_key(written)
    mode = name_key(_first(fields, "measurement_mode"))
    swept_mode = mode in _SWEPT_MODES
    if kind in _SWEEPS and not swept_mode and dwell is not None:
        key, _, line = fields["dwell_s"]
        stated = _first(fields, "measurement_mode").strip()
        where = f"in {stated} mode" if stated else "with no measurement mode on line 2"
        warnings.append(
            f"'Sweep Type,{written}' (line {type_line}) {where} beside "
            f"'{key},{dwell:g}' (line {line}): read as a stepped scan, its points only (a "
            "receiver's scan table steps; that this mode's sweep type applies to its dwell is "
            "not confirmed), so its gaps are not taken as measured"
        )
        return dwell
    if kind in _SWEEPS:
        if dwell is not None:
            key, _, line = fields["dwell_s"]
            warnings.append(
                f"'Sweep Type,{written}' (line {type_line}): {_SWEEPS[kind]}, not a "
                f"stepped scan: it covers its span continuously, and '{key},{dwell:g}' "
                f"(line {line}) is not read as a dwell per frequency"
            )
        return None
    if kind.startswith("step") and dwell is None:
        sweep_s = _number(fields, "sweep_time_s", path)
        points = _number(fields, "n_points", path)
        if sweep_s is not None and sweep_s > 0 and points:
            dwell = sweep_s / points
            warnings.append(
                f"'Sweep Type,{written}' (line {type_line}) states no 'Dwell Time': a dwell "
                f"of {dwell:.3g} s per frequency (Sweep Time / Number of Points) is assumed, "
                "at most what the scan spent at each step"
            )
    return dwell


def _computed_by(math: str, normalize: str) -> tuple[str, str] | None:
    """Return the setting that makes a trace computed, as written, and its field; else None."""
    if not is_off(math):
        return f"'Trace Math,{math}'", "trace_math"
    if not is_off(normalize):
        return f"'Normalize,{normalize}'", "normalize"
    return None


def _refuse_frames(lines: TextLines, i: int) -> None:
    """Refuse a spectrogram: ``DATA1,<time>`` (then ``DATA2``...) after the first frame."""
    while lines.has_line(i) and lines.is_blank(i):
        i += 1
    if lines.has_line(i) and re.match(r"^DATA\d+\s*(,|$)", lines.text(i).strip()):
        raise CaptureFormatError(
            f"a spectrogram export ({lines.text(i).strip().split(',')[0]!r} starts a second "
            "frame): its frames are not read; export the trace of one sweep instead",
            lines.path,
            i + 1,
        )


def _sniff(head: bytes, path: Path) -> bool:
    # a spreadsheet's re-save pads each line with empty fields: 'Trace,', 'DATA,'
    text = [t.strip().rstrip(",").rstrip() for t in head.decode("latin-1").splitlines()]
    if len(text) < 5 or text[0] not in ("Trace", "AllTrace"):
        return False
    return any(t.startswith("Y Axis Units,") or t == "DATA" for t in text[4:])


READER = Reader(
    name="keysight-xseries",
    title="Keysight X-series / MXE EMI receiver trace CSV",
    extensions=(".csv",),
    signature="first line 'Trace' or 'AllTrace', then a 'Y Axis Units,' or 'DATA' line",
    sniff=_sniff,
    read=read_keysight_xseries,
    priority=100,
)
