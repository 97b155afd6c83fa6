"""Measurements beyond the range the plan requires (47 CFR 15.33(b)(1)).

The highest internal frequency sets the upper frequency of the radiated measurement; the
plan's cells end there. A capture of a port measured above it (a 1-2 GHz scan when the range
ends at 1 GHz) is still judged against the port's limits, for exceedances only: a reading
over the limit there (a measurement or a lower bound) is a fact and fails the unit, listed
in the final table as beyond the required range; a pass there adds nothing and costs
nothing (a note says what was measured). So is a failure of a capture that also fills a cell
when it lies outside every cell (the part of a 1-6 GHz scan above a 5 GHz upper frequency).
See ``docs/dossier.md``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..frequency import format_mhz, format_mhz_range
from ..outcome import Bound, Verdict, round_margin
from ..results import CaptureResult, Suspect
from .plan import RequiredCell

__all__ = ["BeyondFinding", "beyond_findings", "beyond_note"]


@dataclass(frozen=True)
class BeyondFinding:
    """A reading over a limit outside every required cell of its port (it fails the unit).

    Attributes
    ----------
    port, limit_id, line : str
    frequency_hz : float
        Where. [Hz]
    margin_db : float
        ``limit - level``, negative. [dB]
    bound : Bound
        A measurement, or a lower bound over the limit.
    distance_m : float or None
        The measurement distance it was judged at (None: conducted). [m]
    """

    port: str
    limit_id: str
    line: str
    frequency_hz: float
    margin_db: float
    bound: Bound
    distance_m: float | None = None

    def to_json(self) -> dict[str, Any]:
        """Return the finding as a JSON-ready mapping."""
        return {
            "port": self.port,
            "limit_id": self.limit_id,
            "line": self.line,
            "frequency_hz": round(self.frequency_hz, 1),
            "margin_db": round_margin(self.margin_db),
            "bound": self.bound.value,
            "distance_m": self.distance_m,
        }


def _in_a_cell(s: Suspect, cells: Sequence[RequiredCell]) -> bool:
    return any(
        (c.limit_id, c.line) == (s.limit_id, s.line) and c.start_hz <= s.frequency_hz <= c.stop_hz
        for c in cells
    )


def beyond_findings(
    port: str,
    pooled: CaptureResult | None,
    cells: Sequence[RequiredCell],
    distance_m: float | None = None,
) -> tuple[BeyondFinding, ...]:
    """Return the readings of ``pooled`` over a limit outside every cell of the port.

    Each failing emission once (the pool's FAIL suspects: one per settle group), worst first;
    ``distance_m``: the distance the pool was judged at [m] (None: conducted).
    """
    if pooled is None or pooled.verdict is Verdict.ERROR:
        return ()
    found = [
        BeyondFinding(port, s.limit_id, s.line, s.frequency_hz, s.margin_db, s.bound, distance_m)
        for s in pooled.suspects
        if s.verdict is Verdict.FAIL
        and s.bound in (Bound.MEASURED, Bound.LOWER)
        and not _in_a_cell(s, cells)
    ]
    return tuple(sorted(found, key=lambda b: (b.margin_db, b.frequency_hz)))


def beyond_note(
    port: str,
    span_hz: tuple[float, float],
    paths: Sequence[str],
    upper_hz: float | None,
    failed: bool,
) -> str:
    """Say what a port measured beyond the required range, and what it did to the verdict."""
    lo, hi = span_hz
    shown = format_mhz(lo) if hi <= lo or not np.isfinite(hi) else format_mhz_range(lo, hi)
    upto = "" if upper_hz is None else f" (required up to {format_mhz(upper_hz)})"
    what = (
        "a reading over the limit there fails the unit all the same (see the final table)"
        if failed
        else "judged there only for readings over the limit: none, so it adds nothing"
    )
    return (
        f"{port}: measured beyond the required range: {shown} ({', '.join(paths)}), not "
        f"required by 47 CFR 15.33(b)(1){upto}; {what}"
    )
