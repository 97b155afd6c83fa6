"""Explain the emissions: which source makes them, whether the chamber does, how to decide.

Issue 14, off by default and on when the setup declares what it needs; the full
specification, criteria and clause citations are in ``docs/explain.md``.

- :mod:`.clocks`: the setup's ``[[dut.clock]]`` sources.
- :mod:`.peaks`: emissions in a trace, and a sweep's frequency resolution.
- :mod:`.families`: harmonic families (combs) n x f0, f0 declared or estimated.
- :mod:`.attribution`: each emission's candidate sources (``3 × 125 MHz (Ethernet)``).
- :mod:`.range_check`: 47 CFR 15.33(b)(1) consistency of the declared highest frequency.
- :mod:`.ambient`: ambient captures (ANSI C63.4's ambient clause); never subtracted.
- the decision rules (``simple``, ``cispr16-4-2``, ``guard-band:DB``) are a verdict concept and
  live in :mod:`rfcheck.verdict.decision`; their names are re-exported here.
- :mod:`.pipeline`: all of it over the results of the check pipeline.

The names below are imported from their modules when first used: reading a setup's
``[[dut.clock]]`` (:mod:`.clocks`, every command) loads neither the pipeline nor scipy.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..verdict.decision import (
        Decision,
        DecisionRule,
        RuleKind,
        UCispr,
        apply_rule,
        parse_decision_rule,
        u_cispr_for,
        u_cispr_table,
    )
    from .ambient import (
        DEFAULT_AMBIENT_THRESHOLD_DB,
        AmbientFlag,
        AmbientOutcome,
        ambient_level_at,
        ambient_limited_verdict,
        ambient_near_limit_ranges,
        flag_emissions,
    )
    from .attribution import Attribution, Candidate, attribute, attribute_one, hz_text
    from .clocks import Clock, SpreadMode, parse_clocks
    from .families import INFERRED, Family, FamilyCriteria, clock_families, find_families
    from .peaks import emission_peaks, frequency_resolution_hz
    from .pipeline import explain_capture, explain_run
    from .range_check import RangeWarning, check_highest_frequency
    from .results import CaptureExplanation, Explanation, RowExplanation

#: Each public name's module (``..verdict.decision``: the decision rules, a verdict concept).
_LAZY: dict[str, str] = {
    **dict.fromkeys(
        (
            "Decision",
            "DecisionRule",
            "RuleKind",
            "UCispr",
            "apply_rule",
            "parse_decision_rule",
            "u_cispr_for",
            "u_cispr_table",
        ),
        "..verdict.decision",
    ),
    **dict.fromkeys(
        (
            "DEFAULT_AMBIENT_THRESHOLD_DB",
            "AmbientFlag",
            "AmbientOutcome",
            "ambient_level_at",
            "ambient_limited_verdict",
            "ambient_near_limit_ranges",
            "flag_emissions",
        ),
        ".ambient",
    ),
    **dict.fromkeys(
        ("Attribution", "Candidate", "attribute", "attribute_one", "hz_text"), ".attribution"
    ),
    **dict.fromkeys(("Clock", "SpreadMode", "parse_clocks"), ".clocks"),
    **dict.fromkeys(
        ("INFERRED", "Family", "FamilyCriteria", "clock_families", "find_families"), ".families"
    ),
    **dict.fromkeys(("emission_peaks", "frequency_resolution_hz"), ".peaks"),
    **dict.fromkeys(("explain_capture", "explain_run"), ".pipeline"),
    **dict.fromkeys(("RangeWarning", "check_highest_frequency"), ".range_check"),
    **dict.fromkeys(("CaptureExplanation", "Explanation", "RowExplanation"), ".results"),
}

__all__ = [
    "Clock",
    "SpreadMode",
    "parse_clocks",
    "emission_peaks",
    "frequency_resolution_hz",
    "INFERRED",
    "Family",
    "FamilyCriteria",
    "find_families",
    "clock_families",
    "Candidate",
    "Attribution",
    "attribute",
    "attribute_one",
    "hz_text",
    "RangeWarning",
    "check_highest_frequency",
    "DEFAULT_AMBIENT_THRESHOLD_DB",
    "AmbientFlag",
    "AmbientOutcome",
    "ambient_level_at",
    "flag_emissions",
    "ambient_limited_verdict",
    "ambient_near_limit_ranges",
    "RuleKind",
    "DecisionRule",
    "Decision",
    "UCispr",
    "parse_decision_rule",
    "apply_rule",
    "u_cispr_table",
    "u_cispr_for",
    "RowExplanation",
    "CaptureExplanation",
    "Explanation",
    "explain_capture",
    "explain_run",
]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
