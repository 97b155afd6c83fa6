"""A margin as every report prints it: signed, with what its level's bound makes of it.

``margin = limit - level``. The margin of a lower-bound level is an upper bound on the true
margin (``≤ +36.70``: the true level may be higher); that of an upper-bound level a lower
bound (``≥ -7.13``). The ``check`` reports, the dossier, ``compare``/``lot`` and the product
record print margins through these two functions (``docs/verdict.md``, "Worst margin").
"""

from __future__ import annotations

import math

from ..outcome import Bound, round_margin

__all__ = ["margin_relation", "fmt_margin", "fmt_rule_margin", "level_relation"]


def margin_relation(bound: Bound | str | None) -> str:
    """Return how the true margin relates to a margin computed from a ``bound`` level.

    ``"≤ "`` for a lower-bound level (the true level may be higher, so the true margin
    ``limit - level`` may be smaller), ``"≥ "`` for an upper-bound level, ``""`` for a
    measurement, a dropped bound (``Bound.NONE``, which its bound column names) or none.
    """
    if bound is None:
        return ""
    try:
        b = Bound(bound)
    except ValueError:
        return ""
    return {Bound.LOWER: "\u2264 ", Bound.UPPER: "\u2265 "}.get(b, "")


def fmt_margin(margin_db: float | None, bound: Bound | str | None = None) -> str:
    """Format a signed margin [dB] with two decimals (``+4.21``, ``-3.20``); en dash if absent.

    With the ``bound`` of its level, prefixed by :func:`margin_relation` (``≤ +36.70`` for
    a lower-bound level, ``≥ -7.13`` for an upper-bound one). Rounded by
    :func:`~rfcheck.outcome.round_margin`: a negative margin never prints as ``+0.00`` or
    ``-0.00`` (``-0.01``).
    """
    if margin_db is None or not math.isfinite(margin_db):
        return "\u2013"
    return f"{margin_relation(bound)}{round_margin(margin_db):+.2f}"


def fmt_rule_margin(
    shift_db: float | None, effective_db: float | None, bound: Bound | str | None = None
) -> str:
    """Return a decision rule's shift and effective margin, as printed beside the margin.

    ``"rule shift +4.10 dB, effective margin -0.68 dB"`` (the effective margin carries the
    level's bound like :func:`fmt_margin`); ``""`` under the simple rule (no shift).
    """
    if shift_db is None or effective_db is None:
        return ""
    return f"rule shift {shift_db:+.2f} dB, effective margin {fmt_margin(effective_db, bound)} dB"


def level_relation(bound: Bound | str | None) -> str:
    """Return how the true level relates to a ``bound`` level: the mirror of the margin's.

    ``"≤ "`` for an upper-bound level (a peak reading bounding the quasi-peak from above),
    ``"≥ "`` for a lower-bound level, ``""`` for a measurement or none.
    """
    return {"\u2264 ": "\u2265 ", "\u2265 ": "\u2264 "}.get(margin_relation(bound), "")
