"""Margin labels of a margin plot (placed by :mod:`rfcheck.report.label_placement`).

Every judged line's worst point is labelled, the deciding line's first
(:func:`~rfcheck.report.worst_points.worst_points`), then the other suspects with the
smallest margins, :data:`LABEL_TOP_N` labels in all. When the labels are of several lines
each names its line (``QP ≥ -7.1 dB``): the worst points of a peak trace against the QP and
the AV line lie at one frequency, and share one label, a line each.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from matplotlib.axes import Axes
from matplotlib.text import Annotation

from ..outcome import Bound, Verdict, combine_verdicts, round_margin
from ..results import CaptureResult, Suspect
from ._common import VERDICT_COLOURS, margin_relation
from .label_placement import label_offset_pt
from .worst_points import worst_points

__all__ = ["LABEL_TOP_N", "margin_labels", "suspect_colour"]

#: Margin labels drawn for at most this many points (every line's worst point always).
LABEL_TOP_N = 6


def suspect_colour(s: Suspect) -> str:
    """Return the colour of a suspect's marker and label: its verdict's."""
    return VERDICT_COLOURS.get(s.verdict, "#333333")


@dataclass(frozen=True)
class _Label:
    """What one margin label says and where its point is."""

    freq_hz: float
    level: float
    margin_db: float
    bound: Bound | None
    line: str
    verdict: Verdict

    def text(self, named: bool) -> str:
        """Return ``≥ -7.1 dB``, ``QP ≥ -7.1 dB`` when ``named``."""
        margin = f"{margin_relation(self.bound)}{round_margin(self.margin_db, 1):+.1f} dB"
        return f"{self.line} {margin}" if named else margin


def _same_point(a: _Label, freq_hz: float, line: str) -> bool:
    return a.line == line and abs(a.freq_hz - freq_hz) <= 1e-6 * max(abs(freq_hz), 1.0)


def margin_labels(ax: Axes, capture: CaptureResult) -> tuple[list[Annotation], int]:
    """Add the margin labels to ``ax``; return them in placing order and how many must stay.

    The first ones are the judged lines' worst points (the deciding line's first); then the
    suspects, one label per frequency (:func:`_shown`), smallest margin first, up to
    :data:`LABEL_TOP_N` labels. Where each finally sits is :func:`place_labels`'s; their
    leader lines are :func:`draw_leaders`'s.
    """
    worsts = [
        _Label(p.freq_hz, p.level, p.margin_db, p.bound, p.check.line, p.check.verdict)
        for p in worst_points(capture)
        if p.level is not None and math.isfinite(p.level)
    ]
    groups: dict[float, list[Suspect]] = {}
    for s in capture.suspects:
        groups.setdefault(round(math.log10(s.frequency_hz), 4), []).append(s)
    others: list[_Label] = []
    for g in sorted(groups.values(), key=lambda g: min((s.margin_db, s.frequency_hz) for s in g)):
        s = _shown(g)
        if any(_same_point(w, s.frequency_hz, s.line) for w in worsts):
            continue
        level = max(m.level for m in g)
        others.append(_Label(s.frequency_hz, level, s.margin_db, s.bound, s.line, s.verdict))
    others = others[: max(LABEL_TOP_N - len(worsts), 0)]
    named = len({lb.line for lb in (*worsts, *others)}) > 1
    # the worst points of several lines at one point (a peak trace against QP and AV): one
    # label, a line each, in the worst verdict's colour
    at_point: dict[tuple[float, float], list[_Label]] = {}
    for w in worsts:
        at_point.setdefault((round(math.log10(w.freq_hz), 6), round(w.level, 3)), []).append(w)
    out = [
        _annotate(ax, g[0], "\n".join(w.text(named) for w in g), [w.verdict for w in g])
        for g in at_point.values()
    ]
    required = len(out)
    out += [_annotate(ax, lb, lb.text(named), [lb.verdict]) for lb in others]
    return out, required


def _annotate(ax: Axes, lb: _Label, text: str, verdicts: list[Verdict]) -> Annotation:
    """Add a margin label of ``text`` at ``lb``'s point, in the worst of ``verdicts``' colour."""
    return ax.annotate(
        text,
        (lb.freq_hz / 1e6, lb.level),
        xytext=(0, label_offset_pt(0)),
        textcoords="offset points",
        ha="center",
        va="bottom",
        fontsize=6.5,
        fontweight="bold",
        color=VERDICT_COLOURS.get(combine_verdicts(verdicts), "#333333"),
        bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.85},
        annotation_clip=False,  # placed inside the axes (place_labels), its point too
        zorder=7,
        parse_math=False,
    )


def _shown(group: Sequence[Suspect]) -> Suspect:
    """Return the suspect whose margin a frequency's label shows.

    Of the suspects with the worst verdict there (a FAIL before an INCONCLUSIVE bound), the
    smallest margin, a measured level before a bound at equal margins: the reading that
    decides, in its verdict's colour. The smallest margin alone labelled a FAIL's deciding
    AV point with the QP line's ``≥ -1.0 dB`` upper bound, in the inconclusive colour.
    """
    worst = combine_verdicts([s.verdict for s in group])
    deciding = [s for s in group if s.verdict is worst]
    return min(deciding, key=lambda s: (s.margin_db, s.bound is not Bound.MEASURED))
