"""Tests of the ``lot`` plot's trace selection (:mod:`rfcheck.lot.plots`).

Each panel draws, for every unit, the trace that measures the panel's limit line by the rule the
80/80 statistics read the units with (:func:`rfcheck.lot.readings.measures`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from rfcheck.lot import run_lot
from rfcheck.lot.plots import lot_figure
from rfcheck.lot.readings import measures
from rfcheck.lot.results import LotResult
from rfcheck.settings import load_setup

from .conftest import RADIATED

SETUP = """\
[[rule]]
match = "*"
limits = ["fcc-15.107-b"]

[batch]
group_pattern = "^(?P<unit>u[0-9]+)_"
"""

#: AV levels of three units at 1 MHz [dBµV]; QP = AV + 8 dB. [dBµV]
AV_1M = (40.0, 41.0, 42.0)


@pytest.mark.parametrize(
    ("trace", "line", "expected"),
    [
        ("average", "cispr-average", True),
        ("cispr-average", "cispr-average", True),
        ("quasi-peak", "cispr-average", False),
        ("peak", "quasi-peak", False),
        ("quasi-peak", "quasi-peak", True),
        ("no-such-detector", "quasi-peak", False),
    ],
)
def test_measures_follows_the_detector_table(trace: str, line: str, expected: bool) -> None:
    assert measures(trace, line) is expected


def test_av_panel_draws_each_units_video_average_trace(
    tmp_path: Path, csv_writer: Callable[..., Path]
) -> None:
    """The AV panel draws the ``AV (linear) (dBuV)`` columns the AV statistics read.

    A generic CSV's ``AV (linear) (dBuV)`` column is detector ``average``, which measures the
    ``cispr-average`` line of 15.107(b): the statistics use it, so the AV panel draws it (it
    showed the limit and the 80/80 marks only).
    """
    for i, av in enumerate(AV_1M, 1):
        csv_writer(tmp_path / f"u{i}_L1.csv", {"QP": {1e6: av + 8.0}, "AV (linear)": {1e6: av}})
    (tmp_path / "setup.toml").write_text(SETUP, encoding="ascii")
    result = run_lot(tmp_path, "u1", load_setup(tmp_path / "setup.toml"))
    av_rows = [r for r in result.statistics if r.line == "AV"]
    assert [(r.frequency_hz, r.outcome.n) for r in av_rows] == [(1e6, 3)]
    fig = lot_figure(result, "L1")
    panels = {ax.get_title(): ax for ax in fig.axes}
    for title in ("L1: fcc-15.107-b QP, 3 units", "L1: fcc-15.107-b AV, 3 units"):
        ax = panels[title]
        traces = [ln for ln in ax.lines if not str(ln.get_label()).startswith(("fcc-", "80/80"))]
        traces = [ln for ln in traces if np.shape(ln.get_xydata())[0] > 100]  # not the marks
        assert len(traces) == 3, title  # one trace per unit
        golden = [ln for ln in ax.lines if ln.get_label() == "u1 (golden)"]
        assert len(golden) == 1, title


def test_a_unit_missing_a_port_is_labelled_identity_not_shown(
    tmp_path: Path, csv_writer: Callable[..., Path]
) -> None:
    """u3 has no L2 capture: its L1 trace is 'identity not shown', not 'not identical'."""
    for i, av in enumerate(AV_1M, 1):
        csv_writer(tmp_path / f"u{i}_L1.csv", {"QP": {1e6: av + 8.0}, "AV (linear)": {1e6: av}})
        if i < 3:
            l2 = {"QP": {1e6: av + 8.0}, "AV (linear)": {1e6: av}}
            csv_writer(tmp_path / f"u{i}_L2.csv", l2, floor=-21.0)  # not the L1 file's bytes
    (tmp_path / "setup.toml").write_text(SETUP, encoding="ascii")
    result = run_lot(tmp_path, "u1", load_setup(tmp_path / "setup.toml"))
    assert {u.unit: u.identity for u in result.units}["u3"] == "unknown"
    labels = {str(ln.get_label()) for ax in lot_figure(result, "L1").axes for ln in ax.lines}
    assert "u3 (identity not shown)" in labels
    assert not any(label.endswith("(not identical)") for label in labels)
    # a port panel counts the units measured on that port, not the lot
    titles = [ax.get_title() for ax in lot_figure(result, "L2").axes]
    assert titles and all(t.endswith(", 2 of 3 units") for t in titles), titles
    assert all(ax.get_title().endswith(", 3 units") for ax in lot_figure(result, "L1").axes)


def test_a_trace_is_banded_from_its_full_data_and_stroked_decimated_in_svg() -> None:
    """The PNG's band reads all 20,000 points; an SVG strokes the envelope, not all of them."""
    from matplotlib.figure import Figure

    from rfcheck.lot.plot_parts import draw_band
    from rfcheck.plotted import PlotTrace
    from rfcheck.report.band import BandLine
    from rfcheck.report.decimate import MAX_BINS

    f = np.geomspace(150e3, 30e6, 20_000)
    level = 40.0 + np.random.default_rng(1).standard_normal(f.size)
    ax = Figure().add_subplot()
    ax.set_xscale("log")
    draw_band(ax, PlotTrace("t", "quasi-peak", f, level, "dBµV"))
    (line,) = ax.lines
    assert isinstance(line, BandLine)
    assert line.full_x.size == 20_000
    assert np.shape(line.get_xydata())[0] <= 2 * MAX_BINS


RADIATED_SETUP = """\
[dut]
highest_internal_frequency_hz = {highest:g}

[[rule]]
match = "*"
limits = ["fcc-15.109-b"]
distance_m = 3

[batch]
group_pattern = "^(?P<unit>u[0-9]+)_"
"""


@pytest.mark.parametrize(
    ("highest_hz", "titles"),
    [
        (25e6, ["V: fcc-15.109-b QP, 3 units, levels at 3 m"]),  # to 1 GHz: no AV, PK panel
        (
            500e6,  # 15.33(b)(1): to 5 GHz, so AV and PK are required (and not measured)
            [f"V: fcc-15.109-b {line}, 3 units, levels at 3 m" for line in ("QP", "AV", "PK")],
        ),
    ],
)
def test_a_line_no_unit_is_judged_against_gets_no_panel(
    tmp_path: Path, csv_writer: Callable[..., Path], highest_hz: float, titles: list[str]
) -> None:
    """A 30 MHz-1 GHz lot drew empty AV and PK (above 1 GHz) panels."""
    for i, qp in enumerate((30.0, 31.0, 32.0), 1):
        csv_writer(tmp_path / f"u{i}_V.csv", {"QP": {300e6: qp}}, grid=RADIATED, unit="dBuV/m")
    setup = tmp_path / "setup.toml"
    setup.write_text(RADIATED_SETUP.format(highest=highest_hz), encoding="ascii")
    result = run_lot(tmp_path, "u1", load_setup(setup))
    assert [ax.get_title() for ax in lot_figure(result, "V").axes] == titles


def _identical_lot(folder: Path, n: int, csv_writer: Callable[..., Path]) -> LotResult:
    for i in range(1, n + 1):
        av = 40.0 + 0.1 * i
        csv_writer(folder / f"u{i}_L1.csv", {"QP": {1e6: av + 8.0}, "AV (linear)": {1e6: av}})
    (folder / "setup.toml").write_text(SETUP, encoding="ascii")
    return run_lot(folder, "u1", load_setup(folder / "setup.toml"))


def test_identical_units_have_a_legend_entry_and_are_drawn_over_the_golden_trace(
    tmp_path: Path, csv_writer: Callable[..., Path]
) -> None:
    """The title said 4 units, the legend only "u1 (golden)".

    The identical units were grey, unlabelled and under the golden trace (invisible where
    they coincide). Now one legend entry names them (counted beyond 3), and they are drawn
    over the golden unit's wider trace, thin and translucent.
    """
    result = _identical_lot(tmp_path, 4, csv_writer)  # u2-u4 named
    fig = lot_figure(result, "L1")
    for ax in fig.axes:
        legend = ax.get_legend()
        assert legend is not None
        texts = [t.get_text() for t in legend.get_texts()]
        assert texts[:2] == ["u1 (golden)", "identical units (3): u2, u3, u4"], texts
        golden = next(ln for ln in ax.lines if ln.get_label() == "u1 (golden)")
        units = [
            ln
            for ln in ax.lines
            if np.shape(ln.get_xydata())[0] > 100
            and ln is not golden
            and not str(ln.get_label()).startswith("fcc-")
        ]
        assert len(units) == 3
        assert all(ln.get_zorder() > golden.get_zorder() for ln in units)
        assert all(ln.get_linewidth() < golden.get_linewidth() for ln in units)


def test_twelve_identical_units_are_one_counted_legend_entry(
    tmp_path: Path, csv_writer: Callable[..., Path]
) -> None:
    result = _identical_lot(tmp_path, 13, csv_writer)
    ax = lot_figure(result, "L1").axes[0]
    legend = ax.get_legend()
    assert legend is not None
    texts = [t.get_text() for t in legend.get_texts()]
    assert [t for t in texts if t.startswith("identical units")] == ["identical units (12)"]
    assert len(texts) <= 4  # golden, identical units, limit, 80/80 value
