"""rfcheck: analyse RF emissions captures against FCC Part 15 / CISPR 32 limits.

Data flows loader -> :class:`Capture` -> corrections -> detectors/verdict -> renderers.
"""

from ._version import __version__
from .capture import (
    Capture,
    Detector,
    Instrument,
    Provenance,
    SampleKind,
    TimeSeries,
    Trace,
    TraceMode,
)
from .errors import (
    AnalysisError,
    CaptureFormatError,
    CorrectionError,
    LimitFileError,
    ReceiverError,
    RfcheckError,
    SetupFileError,
    UnitError,
)
from .io import load_capture
from .units import LevelUnit

__all__ = [
    "__version__",
    "Capture",
    "Detector",
    "Instrument",
    "Provenance",
    "SampleKind",
    "TimeSeries",
    "Trace",
    "TraceMode",
    "LevelUnit",
    "load_capture",
    "RfcheckError",
    "CaptureFormatError",
    "UnitError",
    "LimitFileError",
    "CorrectionError",
    "ReceiverError",
    "SetupFileError",
    "AnalysisError",
]
