"""The report's limit-table section as data.

Each applied table with its segment rows (HTML and PDF render the same rows).
"""

from __future__ import annotations

from typing import Any

from ..results import PlotLimit, RunResult
from ._common import fmt_freq_mhz, fmt_num
from ._segments import limit_segments

__all__ = ["LIMIT_SEGMENT_HEADERS", "limit_tables"]

LIMIT_SEGMENT_HEADERS = (
    "Line", "Detector", "From [MHz]", "To [MHz]", "Limit at start", "Limit at end", "Unit",
)  # fmt: skip


def limit_tables(run: RunResult) -> list[tuple[str, dict[str, Any], list[tuple[str, ...]]]]:
    """Return every limit table the run applied, in first-use order.

    Its id, its description (from
    the captures' ``limits``) and its segment rows (:data:`LIMIT_SEGMENT_HEADERS`), rebuilt
    from the plotted limit lines at the measurement distance.
    """
    seen: dict[str, dict[str, Any]] = {}
    plotted: dict[tuple[str, str], PlotLimit] = {}
    for c in run.captures:
        for lim in c.limits:
            seen.setdefault(str(lim.get("id", "")), dict(lim))
        for pl in c.plot_limits:
            plotted.setdefault((pl.limit_id, pl.line), pl)
    out: list[tuple[str, dict[str, Any], list[tuple[str, ...]]]] = []
    for lid in dict.fromkeys([*seen, *(k[0] for k in plotted)]):
        rows: list[tuple[str, ...]] = [
            (
                pl.line, pl.detector, fmt_freq_mhz(f0), fmt_freq_mhz(f1),
                fmt_num(y0), fmt_num(y1), pl.unit,
            )
            for (pid, _line), pl in plotted.items()
            if pid == lid
            for f0, f1, y0, y1 in limit_segments(pl)
        ]  # fmt: skip
        out.append((lid, seen.get(lid, {"id": lid}), rows))
    return out
