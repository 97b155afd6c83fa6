"""The ``rfcheck compare`` analysis: two captures of one port, their emissions paired.

Each capture is corrected with its own settings and the emissions are paired by
:mod:`rfcheck.lot.matching`. The verdict of each side is the ``check`` verdict, reported and not
re-decided.
"""

from __future__ import annotations

from pathlib import Path

from ..io import load_capture
from ..settings import CheckSettings
from .emissions import DEFAULT_WINDOW_DB, EmissionList, emission_list
from .matching import match, match_tolerance_hz
from .results import CompareResult

__all__ = ["load_emissions", "run_compare"]


def load_emissions(
    path: str | Path,
    settings: CheckSettings,
    *,
    label: str = "",
    window_db: float = DEFAULT_WINDOW_DB,
) -> EmissionList:
    """Load one capture and list its emissions (errors as :func:`rfcheck.io.load_capture`)."""
    capture = load_capture(Path(path), settings.fmt, unit=settings.unit, detector=settings.detector)
    return emission_list(capture, settings, label=label, window_db=window_db)


def run_compare(
    path_a: str | Path,
    path_b: str | Path,
    settings_a: CheckSettings,
    settings_b: CheckSettings,
    *,
    window_db: float = DEFAULT_WINDOW_DB,
    command: str = "",
) -> CompareResult:
    """Compare two captures.

    Parameters
    ----------
    path_a, path_b : path
        Before / after (or unit / reference).
    settings_a, settings_b : CheckSettings
        Each capture's own settings (its transducers); both should name the same limits.
    window_db : float
        Emissions further below every line than this are not listed. [dB]

    Raises
    ------
    RfcheckError
        A capture cannot be read or judged.
    """
    a = load_emissions(path_a, settings_a, window_db=window_db)
    b = load_emissions(path_b, settings_b, window_db=window_db)
    matched = match(
        a.peaks, b.peaks, match_tolerance_hz(a, b), listed_a=a.emissions, listed_b=b.emissions
    )
    return CompareResult(a, b, matched, command)
