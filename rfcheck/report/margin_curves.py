"""The margin curves of a capture: the evidence that decides each limit line, and what it proves.

For each limit line, ``margin = limit - level`` of every trace with the line's detector, and of
the peak trace(s) over the frequencies no such trace covers (:func:`margin_curves`). Each curve
knows what its readings prove about the line after every demotion
(:meth:`MarginCurve.bound_tag`: the detector table, then the bandwidth, settling and
trace-mode rules of :func:`rfcheck.verdict.bounds.reading_bounds`, ``docs/verdict.md``), so the
plot's legend says it as the verdict judged it. Data only; :mod:`rfcheck.report.margin_plot`
draws them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from ..capture import Detector
from ..frequency import format_mhz
from ..outcome import Bound
from ..plotted import PlotLimit, PlotTrace
from ..results import CaptureResult
from ..verdict.bounds import CODE_MEASURED, CODE_UPPER, BoundCode, reading_bounds

__all__ = ["MarginCurve", "limit_at", "margin_curves"]


def _family(detector: str) -> str:
    return "average" if detector in ("average", "cispr-average") else detector


def limit_at(pl: PlotLimit, freq_hz: NDArray[np.float64]) -> NDArray[np.float64]:
    """Return the limit level at ``freq_hz`` (log-f between plotted breakpoints).

    NaN outside the line's range. Drawing aid only; the verdict comes from the results.
    """
    lf = np.asarray(pl.freq_hz, dtype=float)
    ly = np.asarray(pl.level, dtype=float)
    out = np.full(freq_hz.shape, np.nan)
    if lf.size == 0:
        return out
    inside = (freq_hz >= lf[0]) & (freq_hz <= lf[-1])
    out[inside] = np.interp(np.log10(freq_hz[inside]), np.log10(lf), ly)
    return out


@dataclass(frozen=True, eq=False)
class MarginCurve:
    """The margin of one trace against one limit line, full resolution (NaN in gaps).

    Attributes
    ----------
    limit : PlotLimit
    trace : PlotTrace
    freq_hz : ndarray
        Increasing frequencies. [Hz]
    margin_db : ndarray
        ``limit - level`` at each; NaN marks a gap (no line drawn across it). [dB]
    """

    limit: PlotLimit
    trace: PlotTrace
    freq_hz: NDArray[np.float64]
    margin_db: NDArray[np.float64]

    def bounds(self) -> NDArray[np.int8] | None:
        """Return the bound each drawn point gives on the line's quantity.

        After every demotion (:func:`rfcheck.verdict.bounds.reading_bounds`), as the verdict
        judged the trace: one :class:`~rfcheck.verdict.bounds.BoundCode` per finite margin;
        None when the detectors are unrelated.
        """
        try:
            line_detector = Detector(self.limit.detector)
        except ValueError:
            return None
        lf = np.asarray(self.limit.freq_hz, dtype=float)
        return reading_bounds(
            self.trace.detector,
            line_detector,
            self.freq_hz[np.isfinite(self.margin_db)],
            (float(lf[0]), float(lf[-1])),
            rbw_hz=self.trace.rbw_hz,
            settled=self.trace.settled,
            mode=self.trace.mode,
            rbw_floor_above_hz=self.limit.rbw_floor_above_hz,
        )

    def bound_tag(self) -> str:
        """Return what the curve's readings prove, as its legend label ends.

        ``""`` when every point is a measurement, else `` (upper bound)``, `` (lower bound)``
        or `` (no bound)``; a curve whose bound changes once along it says where
        (`` (measured to 30 MHz, lower bound above)``), one whose bound changes more often
        `` (bounds vary; mostly measured)``.
        """
        bounds = self.bounds()
        if bounds is None or bounds.size == 0:
            return f" ({Bound.NONE.value})"
        change = np.flatnonzero(bounds[1:] != bounds[:-1]) + 1

        def word(code: np.int8) -> str:
            return BoundCode(int(code)).bound.value

        if change.size == 0:
            return "" if bounds[0] == CODE_MEASURED else f" ({word(bounds[0])})"
        if change.size == 1:
            f = self.freq_hz[np.isfinite(self.margin_db)]
            i = int(change[0])
            return f" ({word(bounds[0])} to {format_mhz(float(f[i - 1]))}, {word(bounds[i])} above)"
        kinds, counts = np.unique(bounds, return_counts=True)  # codes sort as the words do
        return f" (bounds vary; mostly {word(kinds[int(np.argmax(counts))])})"


def _margin_curve(
    pl: PlotLimit, tr: PlotTrace, skip: Sequence[tuple[float, float]]
) -> MarginCurve | None:
    """Return ``limit - level`` of ``tr`` against ``pl`` outside the ``skip`` spans [Hz]."""
    f = np.asarray(tr.freq_hz, dtype=float)
    m = limit_at(pl, f) - np.asarray(tr.level, dtype=float)
    ok = np.isfinite(f) & (f > 0) & np.isfinite(m)
    for a, b in skip:
        ok &= (f < a) | (f > b)
    if np.count_nonzero(ok) < 2:  # a lone point (a line starting at the trace's end)
        return None
    fm, mm = f[ok], m[ok]
    for a, b in skip:  # a NaN in each skipped span: no line drawn across it
        i = int(np.searchsorted(fm, a))
        if 0 < i < fm.shape[0]:
            fm, mm = np.insert(fm, i, 0.5 * (a + b)), np.insert(mm, i, np.nan)
    return MarginCurve(pl, tr, fm, mm)


def _deciding_spans(curve: MarginCurve) -> list[tuple[float, float]]:
    """Return the spans where ``curve``'s readings bound the level from above [Hz].

    Its runs of measured or upper-bound readings (:meth:`MarginCurve.bounds`): only those can
    show a line passes. Where its readings are lower bounds or no bound (an unsettled
    quasi-peak, a reading without a stated bandwidth) a peak trace decides the line instead.
    """
    bounds = curve.bounds()
    if bounds is None:
        return []
    f = curve.freq_hz[np.isfinite(curve.margin_db)]
    above = np.isin(bounds, [CODE_MEASURED, CODE_UPPER])
    edges = np.flatnonzero(np.diff(np.r_[0, above.astype(np.int8), 0]))
    return [(float(f[a]), float(f[b - 1])) for a, b in zip(edges[::2], edges[1::2], strict=True)]


def margin_curves(capture: CaptureResult) -> list[MarginCurve]:
    """Return, for each limit line, the evidence that decides it as margin curves.

    Every trace with the line's detector, and the peak trace(s) over the frequencies where no
    such trace bounds the level from above (a QP line judged from a peak prescan outside the
    span of a final QP measurement, or where the QP readings are lower bounds only: an
    unsettled quasi-peak, :func:`_deciding_spans`).
    """
    curves: list[MarginCurve | None] = []
    for pl in capture.plot_limits:
        same = [t for t in capture.plot_traces if _family(t.detector) == _family(pl.detector)]
        own = [_margin_curve(pl, tr, []) for tr in same]
        curves += own
        if _family(pl.detector) == _family("peak"):
            continue
        spans = sorted(s for c in own if c is not None for s in _deciding_spans(c))
        peaks = (t for t in capture.plot_traces if t.detector == "peak")
        curves += [_margin_curve(pl, tr, spans) for tr in peaks]
    return [c for c in curves if c is not None]
