"""Coverage in words: the ranges a capture's lines were not evaluated over, and the note saying so.

A verdict resting on part of the requested range says which part (``partial coverage: not
evaluated ...``; an INCOMPLETE capture: ``passes where measured: ...; not measured: ...``)
(:mod:`rfcheck.report.range_text` says the range a PASS over a requested range covers).
"""

from __future__ import annotations

from typing import Any

from ..frequency import MAX_RANGES_NAMED
from ..outcome import Verdict
from ..results import CaptureResult
from ._format import fmt_range_mhz

__all__ = [
    "capped_ranges",
    "not_evaluated_text",
    "measured_ranges",
    "coverage_note",
]


def capped_ranges(fmt: Any, ranges: list[tuple[float, float]]) -> str:
    """``fmt`` of the first :data:`~rfcheck.frequency.MAX_RANGES_NAMED` ranges, then the count.

    ``(+N more) [M ranges in JSON/CSV]``: a stepped receiver scan whose RBW is narrower than
    its step leaves a gap between every two readings: thousands of ranges, one 300 kB verdict
    line, if each were named (the JSON and CSV have all).
    """
    if len(ranges) <= MAX_RANGES_NAMED:
        return str(fmt(ranges))
    more = len(ranges) - MAX_RANGES_NAMED
    return f"{fmt(ranges[:MAX_RANGES_NAMED])} (+{more} more) [{len(ranges)} ranges in JSON/CSV]"


def _requested_lines(cap: CaptureResult) -> list[tuple[str, str]]:
    keys = [(p.limit_id, p.line) for p in cap.plot_limits]
    return list(dict.fromkeys([*keys, *((c.limit_id, c.line) for c in cap.checks)]))


def not_evaluated_text(cap: CaptureResult, fmt_ranges: Any = None) -> str:
    """Describe the ranges no trace covered.

    ``0.1500–1.2975, 1.4820–30.000 MHz`` (every requested line misses the same ranges)
    or ``fcc-15.109-b AV, fcc-15.109-b PK 1000.00–40000.00 MHz; ...`` (lines named); "" when
    nothing is missing. ``fmt_ranges`` formats a list of ranges [Hz] (default
    :func:`fmt_range_mhz`).
    """
    fmt = fmt_ranges or fmt_range_mhz
    groups: dict[tuple[tuple[float, float], ...], list[str]] = {}
    for lid, line, ranges in cap.not_evaluated:
        groups.setdefault(tuple(ranges), []).append(f"{lid} {line}")
    if len(groups) == 1 and len(next(iter(groups.values()))) == len(_requested_lines(cap)):
        return capped_ranges(fmt, list(next(iter(groups))))
    return "; ".join(
        f"{', '.join(names)} {capped_ranges(fmt, list(r))}" for r, names in groups.items()
    )


def measured_ranges(cap: CaptureResult) -> list[tuple[float, float]]:
    """Return the union of every line's evaluated ranges, sorted [Hz].

    Each up to its limit's 47 CFR 15.33(b)(1) upper frequency (``required_upper_hz``): a
    reading beyond it counts only when over the limit, so "passes where measured" never
    names that part (its notes say what was measured there).
    """
    from ..verdict.coverage import union  # judged results come from there: loaded already

    ranges = []
    for c in cap.checks:
        top = cap.required_upper_hz.get(c.limit_id, float("inf"))
        ranges += [(a, min(b, top)) for a, b in c.evaluated_hz if min(b, top) > a]
    return union(ranges)


def coverage_note(cap: CaptureResult, fmt_ranges: Any = None) -> str:
    """Return the partial-coverage note of a capture.

    ``partial coverage: not evaluated 0.1500–1.2975, 1.4820–30.000 MHz`` for a capture
    whose verdict rests on part of the requested limit range ("" when coverage is complete
    or the capture could not be analysed: its verdict ERROR says so). An INCOMPLETE capture:
    ``passes where measured: 1.2975–1.4820 MHz; not measured: ...`` (``nothing of the judged
    range measured; not measured: ...`` when no reading lies in it).
    """
    if cap.coverage == "complete" or cap.verdict is Verdict.ERROR:
        return ""
    missing = not_evaluated_text(cap, fmt_ranges)
    if cap.verdict is Verdict.INCOMPLETE:
        fmt = fmt_ranges or fmt_range_mhz
        measured = capped_ranges(fmt, measured_ranges(cap))
        if not measured:  # e.g. a scan wholly beyond the 15.33(b)(1) range (its notes say)
            return f"nothing of the judged range measured; not measured: {missing or 'unknown'}"
        return f"passes where measured: {measured}; not measured: {missing or 'unknown'}"
    return f"partial coverage: not evaluated {missing}" if missing else "partial coverage"
