"""Margins and the detector-aware verdict: what each trace proves about each limit line.

Sign convention, everywhere: ``margin_db = limit - level`` (positive = below the limit).
A reading bounds the quantity a line asks for by the detector table, weakened by the
bandwidth, settling and trace-mode rules (:mod:`.bounds`); coverage is counted by interval
arithmetic (:mod:`.coverage`); :mod:`.judge` decides each line and :mod:`.suspects` picks the
report's suspect table. The rules are stated in full in ``docs/verdict.md``.

References
----------
CISPR 16-1-1 (detector definitions and bandwidths); 47 CFR 15.35(a)-(b);
docs/references.md §2c, §4.
"""

from __future__ import annotations

from .bounds import (
    NARROW_RBW_FACTOR,
    WIDE_RBW_FACTOR,
    line_bandwidth_hz,
    line_rbw_bounds_hz,
    relation,
    under_reading_mode,
    unsettled_reason,
)
from .judge import Judged, judge_pool, no_overlap
from .line import LineOutcome, judge_line
from .suspects import PEAK_EXCURSION_DB, select_suspects
from .sweep_dwell import QP_MIN_DWELL_S
from .traces import CorrectedTrace, corrected_traces, traces_to_judge

__all__ = [
    "NARROW_RBW_FACTOR",
    "PEAK_EXCURSION_DB",
    "QP_MIN_DWELL_S",
    "WIDE_RBW_FACTOR",
    "CorrectedTrace",
    "Judged",
    "LineOutcome",
    "corrected_traces",
    "judge_pool",
    "judge_line",
    "line_bandwidth_hz",
    "line_rbw_bounds_hz",
    "no_overlap",
    "relation",
    "select_suspects",
    "traces_to_judge",
    "under_reading_mode",
    "unsettled_reason",
]
