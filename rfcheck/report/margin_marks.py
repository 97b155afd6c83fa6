"""The marks of a margin plot: suspects on both panels, their legend, and the worst point.

Each suspect is marked in its verdict's colour, its shape saying what its level is (circle
measured, downward triangle an upper bound, upward triangle a lower bound); the margin
panel's legend names each shape drawn (:func:`suspect_legend`). Each judged line's worst
point is ringed on both panels (the line deciding the verdict: the large ring), and
:func:`draw_worst` returns the worst-margin box's text. Drawn by
:func:`rfcheck.report.margin_plot.draw_margin_plot`.
"""

from __future__ import annotations

from collections.abc import Sequence

from matplotlib.axes import Axes

from ..outcome import Bound
from ..results import CaptureResult, LineCheck, Suspect, deciding_check
from ._common import VERDICT_COLOURS, fmt_margin, worst_measured_check
from ._format import fmt_point_mhz
from ._labels import suspect_colour
from .worst_points import suspect_at, worst_points

__all__ = ["draw_suspects", "draw_worst", "suspect_legend"]

#: Suspect marker by what its level is.
_BOUND_MARKER = {Bound.MEASURED: "o", Bound.UPPER: "v", Bound.LOWER: "^"}


#: The margin panel's legend entry of each suspect marker shape (the colour is the suspect's
#: verdict), worded as the margin curves' entries word their bound: a plot read without its
#: report says what a hollow triangle is.
_BOUND_LEGEND = {
    Bound.MEASURED: "suspect (measured)",
    Bound.UPPER: "suspect (upper bound)",
    Bound.LOWER: "suspect (lower bound)",
}


def suspect_legend(axm: Axes, suspects: Sequence[Suspect]) -> None:
    """List each suspect marker shape drawn in the margin panel's legend, once, in grey.

    The markers take their verdict's colour; the entries say what each shape is
    (:data:`_BOUND_LEGEND`). In the margin panel: no worst-point box shares its top.
    """
    for bound in (Bound.MEASURED, Bound.UPPER, Bound.LOWER):
        if any(s.bound is bound for s in suspects):
            axm.plot(
                [],
                [],
                ls="none",
                marker=_BOUND_MARKER[bound],
                ms=4.0,
                color="#555555",  # fixed: not the axes' colour cycle, which a reused figure
                mfc="none",  # advances (the legend's cached pixels are keyed by it)
                mec="#555555",
                mew=1.0,
                label=_BOUND_LEGEND[bound],
            )


def draw_suspects(ax: Axes, axm: Axes, suspects: Sequence[Suspect]) -> None:
    """Mark the suspects on both panels (one artist per marker shape and colour)."""
    groups: dict[tuple[str, str], list[Suspect]] = {}
    for s in suspects:
        groups.setdefault((_BOUND_MARKER.get(s.bound, "o"), suspect_colour(s)), []).append(s)
    for (marker, colour), grp in groups.items():
        fx = [s.frequency_hz / 1e6 for s in grp]
        for a, ys, ms, mew in (
            (ax, [s.level for s in grp], 4.5, 1.1),
            (axm, [s.margin_db for s in grp], 4.0, 1.0),
        ):
            a.plot(
                fx, ys, ls="none", marker=marker, ms=ms, mfc="none", mec=colour, mew=mew, zorder=5
            )


def _worst_text(wc: LineCheck | None, worst: Suspect | None, what: str = "worst") -> str:
    """Return the worst-margin box's text: the deciding line's worst point.

    Its margin with what its bound makes of it (``worst: ≤ +31.17 dB``: a lower-bound level);
    ``what`` names it (``worst measured`` for a line that does not decide the verdict).
    """
    if wc is not None and wc.worst_frequency_hz and wc.worst_margin_db is not None:
        basis = f", {wc.worst_bound.value}" if wc.worst_bound else ""
        return (
            f"{what}: {fmt_margin(wc.worst_margin_db, wc.worst_bound)} dB at "
            f"{fmt_point_mhz(wc.worst_frequency_hz)}"
            f" MHz ({wc.limit_id} {wc.line}{basis})"
        )
    if worst is not None:
        return (
            f"worst: {fmt_margin(worst.margin_db, worst.bound)} dB at "
            f"{fmt_point_mhz(worst.frequency_hz)} MHz "
            f"({worst.limit_id} {worst.line}, {worst.bound.value})"
        )
    return "no margin evaluated"


def draw_worst(ax: Axes, axm: Axes, capture: CaptureResult) -> str:
    """Ring each judged line's worst point on both panels; return the worst-margin box's text.

    The worst point of the line deciding the verdict (worst verdict first, then the smallest
    margin), as in the report's headline, gets the large ring, in that line's verdict colour
    (red only for a FAIL); every other line's worst point a smaller ring in its own verdict
    colour (:func:`~rfcheck.report.worst_points.worst_points`: the report's table gives every
    line's worst margin, an I/Q recording's AV line at +13.12 dB beside the QP line's
    +10.11 dB, with no suspect at either). A point's level is its suspect's, else the limit
    less its margin. When the deciding line has no margin (not measured, or no reading
    bounds it), the smallest margin of the lines measured is shown instead, as "worst
    measured" (:func:`~rfcheck.report._common.worst_measured_check`).
    """
    wc = deciding_check(capture.checks)
    what = "worst"
    measured = worst_measured_check(capture)
    if measured is not None:
        wc, what = measured, "worst measured"
    rings: list[tuple[float, float | None, float, str, bool]] = [
        (p.freq_hz, p.level, p.margin_db, VERDICT_COLOURS.get(p.check.verdict, "#333333"),
         p.check is wc)
        for p in worst_points(capture)
    ]  # fmt: skip
    worst = None
    if wc is None:  # no line judged: the smallest margin of the suspects
        worst = min(capture.suspects, key=lambda s: (s.margin_db, s.frequency_hz), default=None)
        if worst is not None:
            colour = VERDICT_COLOURS.get(capture.verdict, "#333333")
            rings.append((worst.frequency_hz, worst.level, worst.margin_db, colour, True))
    else:
        worst = suspect_at(capture.suspects, wc)
    for f_hz, level, margin_db, colour, big in rings:
        for a, y in ((ax, level), (axm, margin_db)):
            if y is None:
                continue
            a.plot(
                f_hz / 1e6,
                y,
                ls="none",
                marker="o",
                ms=11 if big else 8,
                mfc="none",
                mec=colour,
                mew=1.6 if big else 1.2,
                zorder=6,
            )
    return _worst_text(wc, worst, what)
