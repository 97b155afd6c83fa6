"""What a reader must be able to tell apart on the plots, checked on their geometry.

Margin labels once piled up on each other, on markers and on limit lines; a line's
worst point went unlabelled; a long legend squeezed the data; the suspect window's label lay
over the margin curve; the dossier's traces were shades of one blue; the compare deltas had
no unit and sat on the change they label.
"""

from __future__ import annotations

import dataclasses
import itertools
from pathlib import Path
from typing import Any, cast

import numpy as np
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from matplotlib.lines import Line2D
from matplotlib.text import Annotation
from matplotlib.transforms import Bbox

from rfcheck.analysis import run_check
from rfcheck.report.label_placement import LABEL_GAP_PT, line_paths, marker_boxes
from rfcheck.report.plot_rendering import figure_png
from rfcheck.report.plot_styles import series_style
from rfcheck.report.plots import margin_figure
from rfcheck.results import CaptureResult
from rfcheck.settings import CheckSettings, load_setup

SAMPLES = Path(__file__).resolve().parents[2] / "sample_captures"
T = SAMPLES / "transducers"


def _conducted(name: str) -> CaptureResult:
    settings = CheckSettings(
        limit_ids=("fcc-15.107-b",), lisn=T / "lisn_factor.csv", cable_loss=(0.2,)
    )
    (cap,) = run_check([SAMPLES / "conducted" / name], settings).captures
    return cap


def _radiated() -> CaptureResult:
    scan = SAMPLES / "radiated" / "rig_3m_V_30M-1G_rs.DAT"
    settings = CheckSettings(
        limit_ids=("fcc-15.109-b",),
        distance_m=3.0,
        highest_frequency_hz=700e6,
        antenna_factor=T / "antenna_factor_bilog_30M-1G.csv",
        cable_loss=(T / "cable_loss.csv",),
    )
    (cap,) = run_check([scan], settings).captures
    return cap


def _drawn(fig: Figure) -> Any:
    figure_png(fig)
    return cast(Any, fig.canvas).get_renderer()


def _labels(fig: Figure) -> list[Annotation]:
    return [a for a in fig.axes[0].get_children() if isinstance(a, Annotation)]


def _limit_lines(fig: Figure) -> list[Line2D]:
    return [ln for ln in fig.axes[0].lines if str(ln.get_label()).endswith(" limit")]


def _assert_labels_clear(fig: Figure) -> list[str]:
    """Check no two labels, no label and marker, no label and limit line meet; return texts."""
    renderer = _drawn(fig)
    gap = LABEL_GAP_PT / 2 * fig.dpi / 72
    boxes = {a.get_text(): a.get_window_extent(renderer) for a in _labels(fig)}
    for (a, ba), (b, bb) in itertools.combinations(boxes.items(), 2):
        assert not ba.padded(gap).overlaps(bb.padded(gap)), (a, b)
    markers = marker_boxes(fig.axes[0], renderer)
    paths = line_paths(_limit_lines(fig))
    assert markers.size and paths
    for text, box in boxes.items():
        for x0, y0, x1, y1 in markers:
            assert not box.overlaps(Bbox.from_extents(x0, y0, x1, y1)), (text, (x0, y0))
        assert not any(p.intersects_bbox(box, filled=False) for p in paths), text
    return list(boxes)


def test_peak_scan_labels_every_lines_worst_point_clear_of_markers_and_limit_lines() -> None:
    """C/peak: the labels piled up at 1.39 MHz, ≥ -9.8 dB on the QP line, no QP worst label."""
    fig = margin_figure(_conducted("rig_L1_peak_keysight.csv"))
    texts = _assert_labels_clear(fig)
    worst = [t for t in texts if "QP ≥ -7.1 dB" in t]
    assert worst and "AV ≥ -17.1 dB" in worst[0]  # one point, both lines' worst margins


def test_a_failing_scans_labels_keep_off_its_limit_line() -> None:
    """C/fail: "+2.8 dB" was drawn over the 40 dBµV/m limit line."""
    texts = _assert_labels_clear(margin_figure(_radiated()))
    assert {"-3.2 dB", "+2.8 dB"} <= set(texts)


def test_iq_plot_marks_and_labels_the_worst_point_of_each_line_on_the_level_panel() -> None:
    """The I/Q recording: no suspect; the AV worst (+13.12 dB, 1.365 MHz) had no marker."""
    cap = _conducted("rig_L1_burst.sigmf-meta")
    fig = margin_figure(cap)
    ax = fig.axes[0]
    rings = [ln for ln in ax.lines if ln.get_marker() == "o" and ln.get_markersize() >= 8]
    ringed = sorted(round(float(np.asarray(r.get_xdata())[0]), 4) for r in rings)
    assert ringed == [1.365, 1.39]
    texts = _assert_labels_clear(fig)
    assert sorted(texts) == ["AV +13.1 dB", "QP +10.1 dB"]


def test_a_long_level_legend_sits_above_the_panel_not_over_the_data() -> None:
    """C/setup (an ambient capture: five entries): the data filled the bottom 40 %."""
    cap = _radiated()
    ambient = tuple(dataclasses.replace(t, level=t.level - 15.0) for t in cap.plot_traces)
    fig = margin_figure(dataclasses.replace(cap, ambient_traces=ambient))
    renderer = _drawn(fig)
    ax = fig.axes[0]
    legend = ax.get_legend()
    assert legend is not None and len(legend.get_texts()) == 5
    assert legend.get_window_extent(renderer).y0 >= ax.get_window_extent(renderer).y1
    lo, hi = ax.get_ylim()
    top = max(float(np.nanmax(np.asarray(ln.get_ydata(), dtype=float))) for ln in ax.lines[:2])
    assert (top - lo) / (hi - lo) >= 0.65
    title = cast(Any, ax)._left_title  # the plot's title (loc="left"), above the legend
    assert title.get_text()
    assert title.get_window_extent(renderer).y0 >= legend.get_window_extent(renderer).y1 - 1.0


def test_the_suspect_window_is_named_in_the_legend_not_over_the_curves() -> None:
    fig = margin_figure(_radiated())
    axm = fig.axes[1]
    assert not [t for t in axm.texts if "suspect window" in t.get_text()]
    legend = axm.get_legend()
    assert isinstance(legend, Legend)
    assert "suspect window 6 dB" in [t.get_text() for t in legend.get_texts()]


def test_series_styles_stay_apart() -> None:
    styles = [series_style(k) for k in range(18)]
    assert len(set(map(str, styles))) == 18
    assert len({c for c, _ in styles[:6]}) == 6


def test_dossier_port_plot_draws_each_trace_in_its_own_style() -> None:
    """D/rig/plot_L1.png: five traces in near-identical dark blues."""
    from rfcheck.product.dossier import judge_unit
    from rfcheck.product.run import place_captures
    from rfcheck.report.dossier.plots import port_group_figure

    setup = load_setup(SAMPLES / "dossier-setup.toml")
    placement = place_captures([SAMPLES], setup)
    unit = next(u for u in placement.found if u == "rig")
    assigned, errors = placement.assign_unit(unit, setup)
    d = judge_unit(unit, placement.plan, placement.cells, assigned, errors, setup)
    fig = port_group_figure(d, "L1", ("L1",))
    traces = [ln for ln in fig.axes[0].lines if str(ln.get_label()).startswith("L1 ")]
    assert len(traces) == 5
    looks = {(to_hex(str(ln.get_color())), str(ln.get_linestyle())) for ln in traces}
    assert len(looks) == 5
    assert len({c for c, _ in looks}) == 5  # five colours: no line style needed yet


def test_compare_delta_labels_carry_their_unit_and_keep_off_the_change() -> None:
    """CMP/compare.png: "-7.8" had no unit and sat on A's reading at that frequency."""
    from rfcheck.lot.compare import run_compare
    from rfcheck.lot.overlay_plot import overlay_figure

    ba = SAMPLES / "before_after"
    setup = load_setup(ba / "setup.toml")
    a, b = ba / "rig_3m_V_before.csv", ba / "rig_3m_V_after.csv"
    result = run_compare(
        [a], [b], setup.settings_for(a.name), setup.settings_for(b.name), setup=setup
    )
    fig = overlay_figure(result)
    renderer = _drawn(fig)
    ax = fig.axes[0]
    anns = [x for x in ax.get_children() if isinstance(x, Annotation)]
    assert anns and all(x.get_text().endswith(" dB") for x in anns)
    changes = line_paths(
        [
            Line2D(
                [p.frequency_hz_a / 1e6, p.frequency_hz_b / 1e6],
                [p.a.level, p.b.level],
                transform=ax.transData,
            )
            for p in result.matched.pairs
        ]
    )
    for x in anns:
        box = x.get_window_extent(renderer)
        assert not any(c.intersects_bbox(box, filled=False) for c in changes), x.get_text()
