"""The margin panel: each curve's legend states its bound after every demotion, and shows.

The legend label of a margin curve says what the curve's readings prove about the line
(docs/verdict.md: the detector table, then the bandwidth, settling and trace-mode rules), and
the panel's range shows every curve it lists and the worst point, clear of the legend.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from matplotlib.axes import Axes
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from rfcheck.analysis import run_check
from rfcheck.outcome import Bound, Verdict
from rfcheck.plotted import PlotLimit, PlotTrace
from rfcheck.report.fonts import VERDICT_COLOURS
from rfcheck.report.plots import margin_figure
from rfcheck.results import CaptureResult, LineCheck
from rfcheck.settings import CheckSettings


def _limit(line: str, detector: str, lo_hz: float, hi_hz: float, level: float) -> PlotLimit:
    return PlotLimit(
        "t", line, detector, np.array([lo_hz, hi_hz]), np.array([level, level]), "dBµV"
    )


def _trace(detector: str, freq_hz: Any, level: float, **kw: Any) -> PlotTrace:
    f = np.asarray(freq_hz, dtype=float)
    return PlotTrace(detector, detector, f, np.full(f.shape, level), "dBµV", **kw)


def _capture(
    traces: tuple[PlotTrace, ...],
    limits: tuple[PlotLimit, ...],
    checks: tuple[LineCheck, ...] = (),
    verdict: Verdict = Verdict.INCONCLUSIVE,
) -> CaptureResult:
    return CaptureResult(
        "c.csv", None, "csv", verdict, checks, plot_traces=traces, plot_limits=limits
    )


def _margin_legend(fig: Figure) -> list[str]:
    """Return the margin panel's legend entries but the suspect window's (listed last)."""
    legend = fig.axes[1].get_legend()
    assert legend is not None
    texts = [t.get_text() for t in legend.get_texts()]
    assert texts[-1].startswith("suspect window ")
    return texts[:-1]


BAND_B = np.linspace(1.3e6, 1.48e6, 41)  # [Hz]


def test_legend_states_the_bound_of_an_unsettled_peak_trace() -> None:
    """A short record's peak bounds no QP or AV line from above and the PK line from below."""
    cap = _capture(
        (
            _trace("peak", BAND_B, 50.0, rbw_hz=9e3, settled=False),
            _trace("quasi-peak", BAND_B, 20.0, rbw_hz=9e3, settled=False),
        ),
        (
            _limit("QP", "quasi-peak", 1.2e6, 1.6e6, 56.0),
            _limit("AV", "cispr-average", 1.2e6, 1.6e6, 46.0),
            _limit("PK", "peak", 1.2e6, 1.6e6, 76.0),
        ),
    )
    assert _margin_legend(margin_figure(cap)) == [
        "QP vs QP limit (lower bound)",
        "PK vs QP limit (no bound)",  # where the QP readings are lower bounds only
        "PK vs AV limit (no bound)",
        "PK vs PK limit (lower bound)",
    ]


def test_a_peak_trace_is_drawn_where_the_lines_own_readings_bound_it_only_from_below() -> None:
    """An unsettled QP trace proves no pass; the settled peak trace does: its curve is drawn.

    As in a receiver export of peak and 1 ms quasi-peak traces: the QP line's margin is the
    peak's (an upper-bound level), and the worst point ringed lies on that curve.
    """
    cap = _capture(
        (
            _trace("peak", BAND_B, 40.0, rbw_hz=9e3),
            _trace("quasi-peak", BAND_B, 30.0, rbw_hz=9e3, settled=False),
        ),
        (_limit("QP", "quasi-peak", 1.2e6, 1.6e6, 56.0),),
    )
    assert _margin_legend(margin_figure(cap)) == [
        "QP vs QP limit (lower bound)",
        "PK vs QP limit (upper bound)",
    ]


def test_legend_keeps_a_settled_measurement_plain_and_a_peak_an_upper_bound() -> None:
    cap = _capture(
        (_trace("peak", BAND_B, 50.0, rbw_hz=9e3),),
        (_limit("QP", "quasi-peak", 1.2e6, 1.6e6, 56.0), _limit("PK", "peak", 1.2e6, 1.6e6, 76.0)),
    )
    assert _margin_legend(margin_figure(cap)) == [
        "PK vs QP limit (upper bound)",
        "PK vs PK limit",
    ]


@pytest.mark.parametrize("mode", ["min-hold", "average"])
def test_legend_states_an_under_reading_trace_mode(mode: str) -> None:
    cap = _capture(
        (_trace("quasi-peak", BAND_B, 20.0, rbw_hz=9e3, mode=mode),),
        (_limit("QP", "quasi-peak", 1.2e6, 1.6e6, 56.0),),
    )
    assert _margin_legend(margin_figure(cap)) == ["QP vs QP limit (lower bound)"]


def test_legend_says_where_the_bound_of_a_curve_changes() -> None:
    """A 9 kHz QP trace reads Band C (120 kHz) narrow: a lower bound above 30 MHz."""
    f = np.linspace(10e6, 100e6, 91)  # 1 MHz steps, one on the 30 MHz band edge
    cap = _capture(
        (_trace("quasi-peak", f, 20.0, rbw_hz=9e3),),
        (_limit("QP", "quasi-peak", 10e6, 100e6, 50.0),),
    )
    assert _margin_legend(margin_figure(cap)) == [
        "QP vs QP limit (measured to 30 MHz, lower bound above)"
    ]


def test_legend_says_the_bounds_vary_along_a_curve_crossing_two_band_edges() -> None:
    f = np.geomspace(0.1e6, 50e6, 200)  # 9 kHz: wide below 150 kHz, narrow above 30 MHz
    cap = _capture(
        (_trace("quasi-peak", f, 20.0, rbw_hz=9e3),),
        (_limit("QP", "quasi-peak", 0.1e6, 50e6, 50.0),),
    )
    assert _margin_legend(margin_figure(cap)) == ["QP vs QP limit (bounds vary; mostly measured)"]


# --------------------------------------------------------------------------- the y range
def _curves(axm: Axes) -> list[Line2D]:
    """Return the margin curves: labelled lines with data (not the legend's markers)."""
    return [
        ln
        for ln in axm.lines
        if not str(ln.get_label()).startswith("_") and np.asarray(ln.get_xdata()).size
    ]


def _worst_ring(axm: Axes) -> Line2D:
    (ring,) = [ln for ln in axm.lines if ln.get_markersize() == 11]
    return ring


def _assert_everything_listed_shows(fig: Figure) -> None:
    """Check every listed curve and the worst point show, the ring clear of the legend."""
    axm = fig.axes[1]
    lo, hi = axm.get_ylim()
    curves = _curves(axm)
    assert curves
    for ln in curves:
        y = np.asarray(ln.get_ydata(), dtype=float)
        y = y[np.isfinite(y)]
        assert lo <= y.min() <= hi, ln.get_label()
        assert np.mean((y >= lo) & (y <= hi)) >= 0.9, ln.get_label()
    fig.canvas.draw()
    legend = axm.get_legend()
    assert legend is not None
    box = legend.get_window_extent()
    ring = _worst_ring(axm)
    xy = np.array(
        [[float(np.asarray(ring.get_xdata())[0]), float(np.asarray(ring.get_ydata())[0])]]
    )
    x, y = axm.transData.transform(xy)[0]
    ring_top = y + ring.get_markersize() * fig.dpi / 72 / 2
    assert ring_top < box.y0 or not box.x0 <= x <= box.x1


def test_margin_panel_shows_curves_with_large_margins_and_the_worst_point() -> None:
    """A quiet PASS (margins 55-60 dB): the curves were above the top of the panel."""
    f = np.geomspace(150e3, 30e6, 400)
    cap = _capture(
        (_trace("quasi-peak", f, 1.0, rbw_hz=9e3), _trace("cispr-average", f, -4.0, rbw_hz=9e3)),
        (
            _limit("QP", "quasi-peak", 150e3, 30e6, 60.0),
            _limit("AV", "cispr-average", 150e3, 30e6, 50.0),
        ),
        (
            LineCheck("t", "QP", "quasi-peak", Verdict.PASS, 59.0, 5e6, Bound.MEASURED),
            LineCheck("t", "AV", "cispr-average", Verdict.PASS, 54.0, 5e6, Bound.MEASURED),
        ),
        Verdict.PASS,
    )
    fig = margin_figure(cap)
    assert _margin_legend(fig) == ["QP vs QP limit", "AV vs AV limit"]
    _assert_everything_listed_shows(fig)


def test_margin_panel_of_a_failing_capture_keeps_its_range_near_the_limit() -> None:
    """The range still starts 10 dB under the limit, and ends where the curves do."""
    f = np.geomspace(150e3, 30e6, 400)
    cap = _capture(
        (_trace("quasi-peak", f, 50.0, rbw_hz=9e3),),
        (_limit("QP", "quasi-peak", 150e3, 30e6, 56.0),),
        (LineCheck("t", "QP", "quasi-peak", Verdict.PASS, 6.0, 5e6, Bound.MEASURED),),
        Verdict.PASS,
    )
    assert margin_figure(cap).axes[1].get_ylim() == (-10.0, 30.0)


@pytest.mark.real
def test_real_receiver_pass_shows_its_qp_curve(real_capture) -> None:  # type: ignore[no-untyped-def]
    path: Path = real_capture("rs_esrp7_receiver_150k-30M_3det.DAT")
    run = run_check([path], CheckSettings(limit_ids=("fcc-15.107-b",)))
    cap = run.captures[0]
    assert cap.verdict is Verdict.PASS
    fig = margin_figure(cap)
    # its QP trace's 1 ms dwell is too short to settle: lower bounds (docs/verdict.md,
    # "Settling"); the QP line's PASS rests on the peak trace, whose curve is drawn (and ringed)
    assert _margin_legend(fig) == [
        "QP vs QP limit (lower bound)",
        "PK vs QP limit (upper bound)",
        "AV vs AV limit",
    ]
    _assert_everything_listed_shows(fig)


def _one_line_figure(verdict: Verdict) -> Figure:
    """Return the margin figure of one QP line whose check (and capture) reads ``verdict``."""
    check = LineCheck("t", "QP", "quasi-peak", verdict, 6.0, 1.4e6, Bound.MEASURED)
    cap = _capture(
        (_trace("quasi-peak", BAND_B, 50.0, rbw_hz=9e3),),
        (_limit("QP", "quasi-peak", 1.2e6, 1.6e6, 56.0),),
        (check,),
        verdict=verdict,
    )
    return margin_figure(cap)


@pytest.mark.parametrize("verdict", [Verdict.PASS, Verdict.FAIL, Verdict.INCONCLUSIVE])
def test_worst_box_border_follows_the_verdict(verdict: Verdict) -> None:
    """The worst-margin box is framed in the verdict badge's colour (never red on a PASS)."""
    fig = _one_line_figure(verdict)
    [box] = [t for t in fig.axes[0].texts if t.get_text().startswith("worst: ")]
    patch = box.get_bbox_patch()
    assert patch is not None
    assert to_hex(patch.get_edgecolor()) == VERDICT_COLOURS[verdict].lower()


@pytest.mark.parametrize("verdict", [Verdict.PASS, Verdict.FAIL, Verdict.INCONCLUSIVE])
def test_worst_point_ring_follows_the_deciding_lines_verdict(verdict: Verdict) -> None:
    """The ring on the worst point is red only on a FAIL, like the worst-margin box."""
    fig = _one_line_figure(verdict)
    rings = [
        ln
        for ax in fig.axes
        for ln in ax.get_lines()
        if ln.get_marker() == "o" and ln.get_markersize() == 11
    ]
    assert rings
    assert {to_hex(ln.get_markeredgecolor()) for ln in rings} == {VERDICT_COLOURS[verdict].lower()}


def test_traces_of_one_detector_are_told_apart_by_shade() -> None:
    """Four peak traces (an analyser's export): four colours, each margin curve its trace's."""
    traces = tuple(
        PlotTrace(f"Trace{i}", "peak", BAND_B, np.full(BAND_B.shape, 40.0 + i), "dBµV", 9e3)
        for i in range(1, 5)
    )
    cap = _capture(traces, (_limit("QP", "quasi-peak", 1.2e6, 1.6e6, 56.0),))
    fig = margin_figure(cap)
    level = {str(ln.get_label()): ln.get_color() for ln in fig.axes[0].lines}
    colours = [level[f"Trace{i} (PK)"] for i in range(1, 5)]
    assert len(set(colours)) == 4
    assert colours[0] == "#2f6db5"  # the first keeps the detector's colour
    curves = [ln.get_color() for ln in fig.axes[1].lines if np.shape(ln.get_xydata())[0] > 2]
    assert curves == colours


def _suspect(f_hz: float, bound: Bound, verdict: Verdict) -> Any:
    from rfcheck.results import Suspect

    return Suspect(
        f_hz, 60.0, "dBµV", 0.0, 60.0, "dBµV", 56.0, -4.0, "peak", bound, verdict, "t", "QP"
    )


def test_margin_legend_names_each_suspect_marker_shape_drawn() -> None:
    """A hollow triangle read without its report said nothing: the legend now names it.

    One grey entry per marker shape drawn (the markers take their verdict's colour), after
    the margin curves; none for a shape not drawn. In the margin panel: in the level panel
    the longer legend covered the worst-point box.
    """
    cap = CaptureResult(
        "c.csv",
        None,
        "csv",
        Verdict.INCONCLUSIVE,
        suspects=(
            _suspect(1.35e6, Bound.UPPER, Verdict.INCONCLUSIVE),
            _suspect(1.40e6, Bound.UPPER, Verdict.FAIL),
            _suspect(1.45e6, Bound.LOWER, Verdict.FAIL),
        ),
        plot_traces=(_trace("peak", BAND_B, 60.0, rbw_hz=9e3),),
        plot_limits=(_limit("QP", "quasi-peak", 1.2e6, 1.6e6, 56.0),),
    )
    fig = margin_figure(cap)
    texts = _margin_legend(fig)
    assert texts[-2:] == ["suspect (upper bound)", "suspect (lower bound)"]
    assert "suspect (measured)" not in texts
    assert not any("suspect" in t for t in texts[:-2])
    level_legend = fig.axes[0].get_legend()
    assert level_legend is not None
    assert not any("suspect" in t.get_text() for t in level_legend.get_texts())
    legend = fig.axes[1].get_legend()
    assert legend is not None
    handles = {
        t.get_text(): h for t, h in zip(legend.get_texts(), legend.legend_handles, strict=True)
    }
    upper = handles["suspect (upper bound)"]
    assert isinstance(upper, Line2D)
    assert upper.get_marker() == "v"
    assert to_hex(upper.get_markeredgecolor()) == "#555555"
    # its colour fixed, not the axes' colour cycle, which a reused figure advances: the
    # legend's cached pixels are keyed by it (a new key per capture cost a legend draw each)
    assert to_hex(upper.get_color()) == "#555555"


def test_the_label_at_a_frequency_shows_its_deciding_reading() -> None:
    """A FAIL's AV point and the QP line's upper bound at one frequency, both -1.00 dB.

    The label showed the QP bound (``≥ -1.0 dB``, the inconclusive colour) by the smallest
    margin alone, so the point deciding the FAIL went unlabelled.
    """
    from matplotlib.text import Annotation

    from rfcheck.results import Suspect

    def s(det: str, bound: Bound, verdict: Verdict) -> Suspect:
        line = "AV" if det == "average" else "QP"
        return Suspect(
            1.39e6, 47, "dBµV", 0.0, 47.0, "dBµV", 46.0, -1.0, det, bound, verdict, "t", line
        )

    cap = CaptureResult(
        "c.csv",
        None,
        "csv",
        Verdict.FAIL,
        suspects=(
            s("peak", Bound.UPPER, Verdict.INCONCLUSIVE),
            s("average", Bound.MEASURED, Verdict.FAIL),
        ),
        plot_traces=(_trace("peak", BAND_B, 47.0, rbw_hz=9e3),),
        plot_limits=(_limit("QP", "quasi-peak", 1.2e6, 1.6e6, 56.0),),
    )
    fig = margin_figure(cap)
    (label,) = [a for a in fig.axes[0].get_children() if isinstance(a, Annotation)]
    assert label.get_text() == "-1.0 dB"
    assert to_hex(label.get_color()) == to_hex(VERDICT_COLOURS[Verdict.FAIL])


def test_a_limit_beyond_the_plotted_span_does_not_stretch_the_level_axis() -> None:
    """A 30-1000 MHz plot's level axis ran to 120 for data reaching ~50.

    Autoscale counted the limit segments drawn beyond the span (a 74 dBµV/m PK line above
    1 GHz); the axis now covers what is drawn inside it, plus the legend's headroom.
    """
    f = np.linspace(30e6, 1e9, 200)
    cap = _capture(
        (
            _trace("peak", f, 30.0),
            _trace("quasi-peak", f, 25.0),
            PlotTrace("ambient PK", "peak", f[:60], np.full(60, 15.0), "dBµV"),
            PlotTrace("ambient QP", "quasi-peak", f[:60], np.full(60, 12.0), "dBµV"),
        ),
        (
            _limit("QP", "quasi-peak", 30e6, 1e9, 46.0),
            _limit("AV", "cispr-average", 1e9, 40e9, 54.0),
            _limit("PK", "peak", 1e9, 40e9, 74.0),
        ),
    )
    level_axis = margin_figure(cap).axes[0]
    assert level_axis.get_xlim()[1] == pytest.approx(1000.0)
    lo, hi = level_axis.get_ylim()
    assert lo <= 12.0 and 46.0 < hi <= 80.0


def test_every_lines_worst_point_is_ringed_where_no_suspect_marks_it() -> None:
    """An I/Q recording's plot ringed the QP worst only; AV's had no marker.

    The deciding line's worst gets the large ring; each other line's worst a smaller one.
    """
    f = np.linspace(1.30e6, 1.48e6, 41)
    checks = (
        LineCheck("t", "QP", "quasi-peak", Verdict.PASS, 10.11, 1.39e6, Bound.MEASURED),
        LineCheck("t", "AV", "cispr-average", Verdict.PASS, 13.12, 1.365e6, Bound.MEASURED),
    )
    cap = _capture(
        (_trace("quasi-peak", f, 45.9), _trace("cispr-average", f, 32.9)),
        (
            _limit("QP", "quasi-peak", 1.2e6, 1.6e6, 56.0),
            _limit("AV", "cispr-average", 1.2e6, 1.6e6, 46.0),
        ),
        checks,
        Verdict.PASS,
    )
    axm = margin_figure(cap).axes[1]
    rings = {}
    for ln in axm.lines:
        x, y = np.atleast_1d(ln.get_xdata()), np.atleast_1d(ln.get_ydata())
        if ln.get_marker() == "o" and x.size == 1 and ln.get_markerfacecolor() == "none":
            rings[(round(float(x[0]), 4), float(y[0]))] = ln.get_markersize()
    assert rings[(1.39, 10.11)] > rings[(1.365, 13.12)] > 0


def test_a_final_list_is_drawn_as_markers_never_joined() -> None:
    """Three finals drawn as a line showed a level between them, over the limit on a PASS.

    A sweep's grid stays a line; a list of finals (not a sweep grid) is markers only, on
    both panels.
    """
    finals = _trace("quasi-peak", [0.16e6, 0.7e6, 12e6], 45.0)
    sweep = _trace("peak", np.linspace(0.15e6, 30e6, 1001), 30.0)
    limit = _limit("QP", "quasi-peak", 0.15e6, 30e6, 56.0)
    fig = margin_figure(_capture((finals, sweep), (limit,)))
    for ax in fig.axes[:2]:
        drawn = [ln for ln in ax.get_lines() if np.size(ln.get_xdata()) == 3]
        assert drawn, "the finals are drawn"
        for ln in drawn:
            assert ln.get_linestyle() == "None" and ln.get_marker() == "o"
    (level_sweep,) = [ln for ln in fig.axes[0].get_lines() if str(ln.get_label()) == "peak (PK)"]
    assert level_sweep.get_linestyle() == "-"


def test_a_plot_of_finals_only_leaves_room_for_its_first_and_last_marker() -> None:
    finals = _trace("quasi-peak", [0.16e6, 0.7e6, 12e6], 45.0)
    limit = _limit("QP", "quasi-peak", 0.15e6, 30e6, 56.0)
    lo, hi = margin_figure(_capture((finals,), (limit,))).axes[0].get_xlim()
    assert lo < 0.16 and hi > 12.0  # MHz: the markers are not cut by the frame
    sweep = _trace("peak", np.linspace(0.16e6, 12e6, 1001), 30.0)
    assert margin_figure(_capture((sweep,), (limit,))).axes[0].get_xlim() == pytest.approx(
        (0.16, 12.0)
    )
