"""Siglent SSA3000X / SSA3000X Plus / SVA1000X spectrum analyser trace CSV.

Layout: ``Machine Module,SSA3021X,2.1.1.1`` (model, firmware), ``key,value[,Auto|Manual]``
lines (``Y Axis Unit``, ``Number of Points``, ``RBW``, ``VBW``, 8-slot ``Marker ...`` rows),
then per trace ``Trace Name,Trace A``, ``Trace Type,Average``, ``Trace Detector,Pos Peak``,
``Trace Data`` and ``freq,level`` rows. Unused traces follow as header-only stubs
(``Trace Name,Trace B`` / ``Trace Type,Blank``) and are dropped. ``Sweep Time`` is printed
without a unit (``2352000.000000``), so it is kept in ``metadata`` only.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..capture import Capture, Detector, Instrument, TraceMode
from ..errors import CaptureFormatError
from ..units import LevelUnit
from . import Reader
from ._keyvalue import (
    TextLines,
    header_dict,
    header_number,
    level_unit_at,
    read_sections,
    section_traces,
)

__all__ = ["read_siglent", "READER"]

#: Vendor header names -> canonical fields.
HEADER_MAP: dict[str, str] = {
    "Machine Module": "model",
    "Y Axis Unit": "y_unit",
    "X Axis Unit": "x_unit",
    "Number of Points": "n_points",
    "RBW": "rbw_hz",
    "VBW": "vbw_hz",
}

#: Siglent trace types -> TraceMode (``Blank`` traces are dropped).
MODE_MAP: dict[str, TraceMode] = {
    "clearwrite": TraceMode.CLEAR_WRITE,
    "maxhold": TraceMode.MAX_HOLD,
    "minhold": TraceMode.MIN_HOLD,
    "average": TraceMode.AVERAGE,
    "view": TraceMode.VIEW,
}

#: Siglent trace detectors -> Detector.
DETECTOR_MAP: dict[str, Detector] = {
    "pospeak": Detector.PEAK,
    "negpeak": Detector.NEGATIVE_PEAK,
    "sample": Detector.SAMPLE,
    "normal": Detector.NORMAL,
    "average": Detector.AVERAGE,
    "rms": Detector.RMS,
    "quasipeak": Detector.QUASI_PEAK,
    "qpeak": Detector.QUASI_PEAK,
}

_SIGNATURE_RE = re.compile(r"^Machine Module,(SSA|SVA)\w*")


def read_siglent(path: Path) -> Capture:
    """Read a Siglent SSA/SVA trace CSV.

    Parameters
    ----------
    path : Path

    Returns
    -------
    Capture
        One :class:`Trace` per trace section with data: ``freq_hz`` [Hz], ``level`` [``Y
        Axis Unit``], detector (``Pos Peak`` -> peak), mode (``Average`` -> average),
        ``rbw_hz``/``vbw_hz`` [Hz].

    Raises
    ------
    CaptureFormatError
        Missing ``Trace Data``, wrong point count, malformed rows.
    UnitError
        Unknown ``Y Axis Unit``.
    """
    lines = TextLines(path.read_bytes(), path)
    first_line = lines.text(0) if lines.n_lines else ""
    if not _SIGNATURE_RE.match(first_line):
        raise CaptureFormatError(f"first line is not 'Machine Module,SSA...': {first_line!r}", path, 1)
    header, sections = read_sections(lines, 0)
    fields = header_dict(header, HEADER_MAP)
    metadata = {k: ",".join(v) for k, v, _ in header}
    x_unit = fields.get("x_unit")
    if x_unit and x_unit[1] and x_unit[1][0].lower() != "hz":
        raise CaptureFormatError(f"X Axis Unit {x_unit[1][0]!r} is not Hz", path, x_unit[2])
    unit: LevelUnit | None = None
    if "y_unit" in fields and fields["y_unit"][1]:
        unit = level_unit_at(fields["y_unit"][1][0], path, fields["y_unit"][2])
    settings = {c: header_number(fields, c, path) for c in ("rbw_hz", "vbw_hz")}
    traces, warnings = section_traces(
        sections, unit=unit, mode_map=MODE_MAP, detector_map=DETECTOR_MAP,
        settings=settings, path=path,
    )
    for n, sec in enumerate(sections, start=1):
        for key, (vals, _) in sec.entries.items():
            metadata[f"Trace {n} {key}"] = ",".join(vals)
    model = fields.get("model", ("", [], 0))[1]
    instrument = Instrument(
        vendor="Siglent",
        model=model[0] if model else "",
        firmware=model[1] if len(model) > 1 else "",
    )
    return Capture(
        traces=tuple(traces), instrument=instrument, metadata=metadata, warnings=tuple(warnings)
    )


def _sniff(head: bytes, path: Path) -> bool:
    return _SIGNATURE_RE.match(head.decode("latin-1")) is not None


READER = Reader(
    name="siglent",
    title="Siglent SSA3000X/SVA spectrum analyser trace CSV",
    extensions=(".csv",),
    signature="first line 'Machine Module,SSA...' or 'Machine Module,SVA...'",
    sniff=_sniff,
    read=read_siglent,
    priority=100,
)
