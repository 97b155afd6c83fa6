"""Siglent SSA3000X / SSA3000X Plus / SVA1000X spectrum analyser trace CSV.

Layout: ``Machine Module,SSA3021X,2.1.1.1`` (model, firmware), ``key,value[,Auto|Manual]``
lines (``Y Axis Unit``, ``Number of Points``, ``RBW``, ``VBW``, 8-slot ``Marker ...`` rows),
then per trace ``Trace Name,Trace A``, ``Trace Type,Average``, ``Trace Detector,Pos Peak``,
``Trace Data`` and ``freq,level`` rows. Unused traces follow as header-only stubs
(``Trace Name,Trace B`` / ``Trace Type,Blank``, with or without a final ``Trace Data``
line) and are dropped. ``Sweep Time`` is printed
without a unit (``2352000.000000``), so it is kept in ``metadata`` only. A zero-span export
(``Start Frequency`` = ``Stop Frequency``) and trace sections written side by side
(``Trace Name,Trace A,Trace Name,Trace B``) are refused (:mod:`._sections`). The real
SSA3021X exports (firmware 2.1.1.1) state no reference-level offset or external gain, so
none is noted. ``Trace Math`` other than ``OFF`` is refused: one of the traces is then
computed from the others, and the file does not say which (``io/_trace_math.py``).
"""

from __future__ import annotations

import re
from pathlib import Path

from ..capture import Capture, Detector, Instrument
from ..errors import CaptureFormatError
from ._files import read_bytes_capped
from ._lines import TextLines
from ._registry import Reader
from ._sections import read_section_export
from ._trace_math import refuse_file_math

__all__ = ["read_siglent", "READER"]

#: Vendor header names -> canonical fields.
HEADER_MAP: dict[str, str] = {
    "Machine Module": "model",
    "Y Axis Unit": "y_unit",
    "X Axis Unit": "x_unit",
    "Number of Points": "n_points",
    "RBW": "rbw_hz",
    "VBW": "vbw_hz",
    "Average Type": "average_type",
    "Trace Math": "trace_math",
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
        Missing ``Trace Data``, wrong point count, malformed rows, ``Trace Math`` on.
    UnitError
        Unknown ``Y Axis Unit``.
    """
    lines = TextLines(read_bytes_capped(path), path)
    first_line = lines.text(0) if lines.n_lines else ""
    if not _SIGNATURE_RE.match(first_line):
        raise CaptureFormatError(
            f"first line is not 'Machine Module,SSA...': {first_line!r}", path, 1
        )
    export = read_section_export(lines, header_map=HEADER_MAP, detector_map=DETECTOR_MAP)
    refuse_file_math(export.fields, path)
    instrument = Instrument(
        vendor="Siglent", model=export.value("model", 0), firmware=export.value("model", 1)
    )
    return Capture(
        traces=tuple(export.traces),
        instrument=instrument,
        metadata=export.metadata,
        warnings=tuple(export.warnings),
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
