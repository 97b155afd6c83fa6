"""rfcheck: analyse RF emissions captures against FCC Part 15 / CISPR 32 limits.

Data flows loader -> :class:`Capture` -> corrections -> detectors/verdict -> renderers:

- :func:`load_capture` (``rfcheck.io``): one reader per instrument format;
- :func:`run_check` / :func:`analyse_file` (``rfcheck.analysis``): transducer chain, limit
  lines, detector-aware verdict, results as data (:class:`RunResult`, :class:`CaptureResult`);
- :func:`measure` (``rfcheck.receiver``): the CISPR 16-1-1 receiver model for recordings;
- :func:`write_reports` (``rfcheck.report``): PDF/HTML/PNG/SVG/JSON/CSV;
- :func:`run_batch` (``rfcheck.batch``): whole folders, local processes or Dask.

The heavier entry points are imported on first use, so ``import rfcheck`` stays quick.
"""

from __future__ import annotations

import importlib
from typing import Any

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
from .outcome import Verdict
from .results import CaptureResult, RunResult
from .settings import CheckSettings, Setup, load_setup
from .units import LevelUnit

_LAZY = {
    "load_capture": "rfcheck.io",
    "run_check": "rfcheck.analysis",
    "analyse_file": "rfcheck.analysis",
    "analyse_capture": "rfcheck.analysis",
    "measure": "rfcheck.receiver",
    "scan_traces": "rfcheck.receiver",
    "write_reports": "rfcheck.report",
    "run_batch": "rfcheck.batch",
    "run_compare": "rfcheck.lot",
    "run_lot": "rfcheck.lot",
    "load_shipped": "rfcheck.limits",
    "load_limit_file": "rfcheck.limits",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'rfcheck' has no attribute {name!r}")


def __dir__() -> list[str]:
    """Return the module's names and the lazy entry points, unimported (for ``help``)."""
    return sorted({*globals(), *_LAZY})


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
    "CheckSettings",
    "Setup",
    "load_setup",
    "RunResult",
    "CaptureResult",
    "Verdict",
    *_LAZY,
    "RfcheckError",
    "CaptureFormatError",
    "UnitError",
    "LimitFileError",
    "CorrectionError",
    "ReceiverError",
    "SetupFileError",
    "AnalysisError",
]
