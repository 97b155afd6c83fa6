"""Margin labels of the plot's suspects (placed by :mod:`rfcheck.report.label_placement`)."""

from __future__ import annotations

import math
from collections.abc import Sequence

from matplotlib.axes import Axes
from matplotlib.text import Annotation

from ..outcome import Bound, combine_verdicts, round_margin
from ..results import Suspect
from ._common import VERDICT_COLOURS, margin_relation
from .label_placement import label_offset_pt

__all__ = ["LABEL_TOP_N", "label_suspects", "suspect_colour"]

#: Margin labels drawn for at most this many emissions (the smallest margins).
LABEL_TOP_N = 6


def suspect_colour(s: Suspect) -> str:
    """Return the colour of a suspect's marker and label: its verdict's."""
    return VERDICT_COLOURS.get(s.verdict, "#333333")


def label_suspects(ax: Axes, suspects: Sequence[Suspect], fspan_dec: float) -> list[Annotation]:
    """Margin labels for the ``LABEL_TOP_N`` smallest-margin emissions, worst first.

    Suspects at one frequency (e.g. PK and AV readings) share one label (:func:`_shown`),
    centred above the highest marker. Where each finally sits (clear of the others) is
    :func:`place_labels`'s; their leader lines are :func:`draw_leaders`'s. ``fspan_dec``
    (the axis span [decades]) is kept for callers; placement measures the drawn labels.
    """
    del fspan_dec  # placement measures the labels (place_labels)
    groups: dict[float, list[Suspect]] = {}
    for s in suspects:
        key = round(math.log10(s.frequency_hz), 4)
        groups.setdefault(key, []).append(s)
    worst = sorted(groups.values(), key=lambda g: min((s.margin_db, s.frequency_hz) for s in g))
    out: list[Annotation] = []
    for g in worst[:LABEL_TOP_N]:
        s = _shown(g)
        out.append(
            ax.annotate(
                f"{margin_relation(s.bound)}{round_margin(s.margin_db, 1):+.1f} dB",
                (s.frequency_hz / 1e6, max(m.level for m in g)),
                xytext=(0, label_offset_pt(0)),
                textcoords="offset points",
                ha="center",
                va="bottom",
                fontsize=6.5,
                fontweight="bold",
                color=suspect_colour(s),
                bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.85},
                annotation_clip=True,
                zorder=7,
                parse_math=False,
            )
        )
    return out


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
