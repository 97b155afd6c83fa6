"""The range a verdict covers, in words, when a requested range narrows it.

``rfcheck check --range`` (or the setup's ``range_hz``) judges part of what the limit lines
require; a PASS there says nothing of the rest, so every verdict line that prints it (``check``
text, ``compare``) adds ``over 30-1000 MHz only, the requested range; the lines are required
over 30-40000 MHz`` (``docs/verdict.md``, "Requested range").
"""

from __future__ import annotations

from ..frequency import format_mhz_range
from ..outcome import Verdict
from ..results import CaptureResult

__all__ = ["judged_range_note"]


def judged_range_note(cap: CaptureResult) -> str:
    """Return the range a PASS covers when a requested range narrows it ("" otherwise).

    ``over 30-1000 MHz only, the requested range; the lines are required over 30-40000 MHz``
    (:attr:`~rfcheck.results.CaptureResult.judged_range_hz`). Only a PASS gets it: it is
    the verdict that would otherwise claim the whole range.
    """
    judged, required = cap.judged_range_hz, cap.required_range_hz
    if cap.verdict is not Verdict.PASS or judged is None or required is None:
        return ""
    return (
        f"over {format_mhz_range(*judged)} only, the requested range; "
        f"the lines are required over {format_mhz_range(*required)}"
    )
