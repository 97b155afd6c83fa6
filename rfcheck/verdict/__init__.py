"""Margins and the detector-aware verdict: what each trace proves about each limit line.

Sign convention, everywhere: ``margin_db = limit - level`` (positive = below the limit).
A reading bounds the quantity a line asks for by the detector table, weakened by the
bandwidth, settling and trace-mode rules (:mod:`.bounds`); coverage is counted by interval
arithmetic (:mod:`.coverage`); :mod:`.judge` decides each line and :mod:`.suspects` picks the
report's suspect table. :mod:`.decision` holds the stated decision rules (``simple``,
``cispr16-4-2``, ``guard-band:DB``) and :mod:`.rule` applies one to a judged line. The rules
are stated in full in ``docs/verdict.md``.

References
----------
CISPR 16-1-1 (detector definitions and bandwidths); 47 CFR 15.35(a)-(b);
docs/references.md §2c, §4.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .decision import (
    SIMPLE,
    Decision,
    DecisionRule,
    RuleKind,
    UCispr,
    apply_rule,
    parse_decision_rule,
    u_cispr_for,
    u_cispr_table,
)

if TYPE_CHECKING:
    from .bounds import (
        NARROW_RBW_FACTOR,
        WIDE_RBW_FACTOR,
        line_bandwidth_hz,
        line_rbw_bounds_hz,
        relation,
        under_reading_mode,
    )
    from .judge import Judged, judge_pool, no_overlap
    from .line import LineOutcome, judge_line
    from .settling_needs import unsettled_reason
    from .suspects import PEAK_EXCURSION_DB, select_suspects
    from .sweep_dwell import QP_MIN_DWELL_S
    from .traces import CorrectedTrace, corrected_traces, traces_to_judge

#: The judging code loads on first use: reading a setup's decision rule (settings, results,
#: a dossier's parent process) must not load it.
_LAZY = {
    **dict.fromkeys(
        (
            "NARROW_RBW_FACTOR",
            "WIDE_RBW_FACTOR",
            "line_bandwidth_hz",
            "line_rbw_bounds_hz",
            "relation",
            "under_reading_mode",
        ),
        "bounds",
    ),
    **dict.fromkeys(("Judged", "judge_pool", "no_overlap"), "judge"),
    **dict.fromkeys(("LineOutcome", "judge_line"), "line"),
    **dict.fromkeys(("PEAK_EXCURSION_DB", "select_suspects"), "suspects"),
    "QP_MIN_DWELL_S": "sweep_dwell",
    "unsettled_reason": "settling_needs",
    **dict.fromkeys(("CorrectedTrace", "corrected_traces", "traces_to_judge"), "traces"),
}

__all__ = [
    "NARROW_RBW_FACTOR",
    "PEAK_EXCURSION_DB",
    "QP_MIN_DWELL_S",
    "SIMPLE",
    "WIDE_RBW_FACTOR",
    "CorrectedTrace",
    "Decision",
    "DecisionRule",
    "RuleKind",
    "UCispr",
    "apply_rule",
    "Judged",
    "LineOutcome",
    "corrected_traces",
    "judge_pool",
    "judge_line",
    "line_bandwidth_hz",
    "line_rbw_bounds_hz",
    "no_overlap",
    "parse_decision_rule",
    "relation",
    "select_suspects",
    "traces_to_judge",
    "u_cispr_for",
    "u_cispr_table",
    "under_reading_mode",
    "unsettled_reason",
]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(f"{__name__}.{_LAZY[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
