"""Margin plots at batch speed: per-column decimation, the re-used figure, the PNG encoder."""

from __future__ import annotations

import dataclasses
import io
import warnings
from pathlib import Path
from typing import Any, cast

import matplotlib as mpl
import numpy as np
import pytest
from matplotlib.legend import Legend
from matplotlib.text import Text
from numpy.typing import NDArray
from PIL import Image

from rfcheck.analysis import run_check
from rfcheck.outcome import Verdict
from rfcheck.plotted import PlotLimit, PlotTrace
from rfcheck.report import plots
from rfcheck.report.decimate import column_extrema
from rfcheck.report.plot_rendering import PLOT_RC, PNG_DPI, figure_png, figure_svg
from rfcheck.report.plots import margin_figure, plot_png, plot_svg
from rfcheck.report.png import encode_png
from rfcheck.results import CaptureResult
from rfcheck.settings import CheckSettings, Setup

SAMPLES = Path(__file__).resolve().parents[2] / "sample_captures"


def _noisy(n: int = 10_000, seed: int = 3) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    rng = np.random.default_rng(seed)
    f = np.geomspace(150e3, 30e6, n)
    y = 35.0 + rng.normal(0.0, 2.0, n)
    for k in rng.integers(0, n, 12):  # narrow emissions: steep flanks between columns
        y[max(0, k - 2) : k + 2] += rng.uniform(8.0, 30.0)
    return f, y


# --------------------------------------------------------------------------- decimation
def test_column_extrema_keeps_first_last_min_and_max_of_every_column() -> None:
    rng = np.random.default_rng(0)
    x = np.sort(rng.uniform(0.0, 300.0, 20_000))
    y = rng.normal(0.0, 1.0, x.size)
    y[[100, 5000, 5001, 12_345]] = np.nan  # gaps split the runs
    keep = column_extrema(x, y)
    assert np.all(np.diff(keep) > 0)  # original order
    assert keep.size < x.size / 3
    assert set(np.flatnonzero(np.isnan(y))) <= set(keep)
    col = np.floor(x).astype(int)
    run = np.cumsum(np.isnan(y))
    for key in set(zip(col[~np.isnan(y)], run[~np.isnan(y)], strict=True)):
        full = np.flatnonzero((col == key[0]) & (run == key[1]) & ~np.isnan(y))
        kept = np.intersect1d(full, keep)
        assert kept[0] == full[0] and kept[-1] == full[-1]
        assert y[kept].min() == y[full].min() and y[kept].max() == y[full].max()


def test_column_extrema_picks_the_first_lowest_and_last_highest_of_tied_samples() -> None:
    rng = np.random.default_rng(4)
    x = np.sort(rng.uniform(0.0, 40.0, 2_000))
    y = rng.integers(0, 4, x.size).astype(float)  # many ties in every column
    y[[7, 900, 901]] = np.nan
    expected: set[int] = set(np.flatnonzero(np.isnan(y)).tolist())
    run = np.cumsum(np.isnan(y))
    col = np.floor(x).astype(int)
    for key in set(zip(col[~np.isnan(y)], run[~np.isnan(y)], strict=True)):
        idx = np.flatnonzero((col == key[0]) & (run == key[1]) & ~np.isnan(y))
        lows, highs = idx[y[idx] == y[idx].min()], idx[y[idx] == y[idx].max()]
        expected |= {int(idx[0]), int(idx[-1]), int(lows[0]), int(highs[-1])}
    assert column_extrema(x, y).tolist() == sorted(expected)


def test_column_extrema_keeps_an_unsorted_or_short_line_whole() -> None:
    assert column_extrema(np.array([3.0, 1.0, 2.0, 5.0, 4.0, 6.0]), np.zeros(6)).size == 6
    assert column_extrema(np.array([0.1, 0.2, 0.3]), np.array([1.0, 2.0, 3.0])).tolist() == [
        0,
        1,
        2,
    ]


def test_margin_plot_draws_fewer_points_than_the_trace_holds() -> None:
    f, y = _noisy(50_000)
    cap = CaptureResult(
        "long.csv",
        None,
        "csv",
        Verdict.PASS,
        plot_traces=(PlotTrace("PK", "peak", f, y, "dBµV"),),
    )
    (line,) = [ln for ln in margin_figure(cap).axes[0].lines if ln.get_label() == "PK (PK)"]
    x = np.asarray(line.get_xdata())
    assert 1000 < x.size <= 4 * 1100  # at most four points per pixel column
    assert np.asarray(line.get_ydata()).max() == y.max()
    assert x[0] == f[0] / 1e6 and x[-1] == f[-1] / 1e6


# --------------------------------------------------------------------------- re-used figure
def _captures() -> list[CaptureResult]:
    conducted = sorted((SAMPLES / "conducted").glob("rig_L1_*keysight.csv"))
    run = run_check(conducted, CheckSettings(limit_ids=("fcc-15.107-b",)))
    f, y = _noisy()
    long_label = CaptureResult(
        "x" * 300 + ".csv",
        None,
        "csv",
        Verdict.FAIL,
        label="a <b>long</b> & $untrusted$ label " * 12,
        plot_traces=(PlotTrace("PK", "peak", f * 33.0, y + 20.0, "dBµV/m"),),  # to 990 MHz
        plot_limits=(
            PlotLimit(
                "fcc-15.109-b",
                "QP",
                "quasi-peak",
                np.array([30e6, 1e9]),
                np.array([40.0, 40.0]),
                "dBµV/m",
            ),
        ),  # fmt: skip
    )
    error = CaptureResult("bad.csv", None, None, Verdict.ERROR)
    return [*run.captures, long_label, error]


def test_reused_figure_draws_every_capture_as_a_new_figure_does() -> None:
    caps = _captures()
    setup = Setup(dut={"model": "HC-3"})
    fresh = [figure_png(margin_figure(c, setup, 6.0)) for c in caps]
    for i in [0, 2, 1, 3, 0, 3, 2, 1]:  # any order: nothing of one capture stays for the next
        assert plot_png(caps[i], setup, window_db=6.0) == fresh[i], i


def test_plot_png_holds_the_pixels_of_matplotlibs_own_full_draw() -> None:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    plots._drop_reused()
    caps = _captures()
    for cap in [*caps, *caps]:  # the second time over cached frames, legends and glyphs
        decoded = np.asarray(Image.open(io.BytesIO(plot_png(cap))).convert("RGB"))
        fig = margin_figure(cap)
        canvas = FigureCanvasAgg(fig)  # matplotlib's own canvas and renderer
        fig.set_dpi(PNG_DPI)
        with mpl.rc_context(cast(Any, PLOT_RC)):  # as the plot is drawn
            cast(Any, canvas).draw()
        expected = np.asarray(cast(Any, canvas).buffer_rgba())[..., :3]
        assert np.array_equal(decoded, expected), cap.path


def test_one_capture_in_several_formats_matches_each_format_alone() -> None:
    cap = _captures()[0]
    alone_svg = figure_svg(margin_figure(cap), "s", False)  # decimated at PNG_DPI
    png_200 = plot_png(cap, dpi=200)  # decimated for 200 dpi
    assert plot_png(cap) == figure_png(margin_figure(cap))
    assert plot_svg(cap, salt="s", text_as_paths=False) == alone_svg
    assert plot_png(cap, dpi=200) == png_200


def test_a_capture_png_is_rendered_once_per_resolution() -> None:
    a, b = _captures()[:2]
    first = plot_png(a)
    assert plot_png(a) is first  # the PDF, the HTML page and the .png file share it
    assert plot_png(a, dpi=200) is not first
    assert plot_png(b) != first
    again = plot_png(a)  # shown anew after another capture: rendered again, the same
    assert again is not first and again == first


def _shifted(cap: CaptureResult, db: float, limit_db: float = 0.0) -> CaptureResult:
    """``cap`` with every trace ``db`` and every limit line ``limit_db`` higher [dB]."""
    return dataclasses.replace(
        cap,
        plot_traces=tuple(
            dataclasses.replace(t, level=np.asarray(t.level) + db) for t in cap.plot_traces
        ),
        plot_limits=tuple(
            dataclasses.replace(pl, level=np.asarray(pl.level) + limit_db) for pl in cap.plot_limits
        ),
    )


def test_captures_sharing_a_frame_are_drawn_over_one_background_as_from_scratch() -> None:
    f, y = _noisy()
    base = _with_legend_data(f, y)
    plots._drop_reused()
    plot_png(base)
    backgrounds = plots._reused().backgrounds
    assert (backgrounds.hits, backgrounds.misses) == (0, 1)
    near = _shifted(base, 0.3)  # same limits after rounding to grid steps: same frame
    assert plot_png(near) == figure_png(margin_figure(near))
    assert (backgrounds.hits, backgrounds.misses) == (1, 1)
    for changed in (
        _shifted(base, 25.0),  # another level range
        _shifted(base, 0.0, limit_db=30.0),  # a limit line higher: another level range
        dataclasses.replace(
            base, plot_traces=(PlotTrace("PK", "peak", f * 10.0, y, "dBµV"),)
        ),  # another frequency axis
    ):
        misses = backgrounds.misses
        assert plot_png(changed) == figure_png(margin_figure(changed))
        assert backgrounds.misses == misses + 1
    assert plot_png(_shifted(base, 0.3, 0.0)) == figure_png(margin_figure(near))
    assert backgrounds.hits == 2  # the first frame kept


def _with_legend_data(f: NDArray[np.float64], y: NDArray[np.float64]) -> CaptureResult:
    return CaptureResult(
        "a.csv",
        None,
        "csv",
        Verdict.PASS,
        plot_traces=(PlotTrace("PK", "peak", f, y, "dBµV"),),
        plot_limits=(
            PlotLimit(
                "l", "QP", "quasi-peak", np.array([150e3, 30e6]), np.array([79.0, 73.0]), "dBµV"
            ),
        ),
    )


def test_legends_are_drawn_once_per_frame_and_put_back_as_a_full_draw_paints_them() -> None:
    f, y = _noisy()
    plots._drop_reused()
    first = _with_legend_data(f, y)
    assert plot_png(first) == figure_png(margin_figure(first))
    cache = plots._reused().backgrounds
    # the two legends and the verdict badge
    assert (cache.overlay_hits, cache.overlay_misses) == (0, 3)
    for db in (0.2, 0.4):  # same frame, same legends, other traces
        other = _shifted(first, db)
        assert plot_png(other) == figure_png(margin_figure(other))
    assert (cache.overlay_hits, cache.overlay_misses) == (6, 3)


def test_the_verdict_badge_is_put_back_over_the_spines() -> None:
    f, y = _noisy()
    plots._drop_reused()
    first = _with_legend_data(f, y)
    plot_png(first)
    mf = plots._reused()
    texts = [ov.artist for ov in mf._overlays() if not isinstance(ov.artist, Legend)]
    assert [cast(Text, t).get_text() for t in texts] == [" PASS "]
    cache = mf.backgrounds
    # PASS: all three put back; FAIL: a new badge, drawn and kept; FAIL again: put back
    for verdict, put_back, drawn in (
        (Verdict.PASS, 3, 0),
        (Verdict.FAIL, 2, 1),
        (Verdict.FAIL, 3, 0),
    ):
        other = dataclasses.replace(_shifted(first, 0.2), verdict=verdict)
        hits, misses = cache.overlay_hits, cache.overlay_misses
        assert plot_png(other) == figure_png(margin_figure(other))
        assert (cache.overlay_hits - hits, cache.overlay_misses - misses) == (put_back, drawn)


@pytest.mark.parametrize("dpi", [100.0, 160.0, 300.0])
def test_a_fixed_text_draws_nothing_outside_its_overlay_box(dpi: float) -> None:
    from rfcheck.report.blit import _pixel_box

    f, y = _noisy()
    plots._drop_reused()
    plot_png(_with_legend_data(f, y))
    mf = plots._reused()
    mf.fig.set_dpi(dpi)
    renderer = cast(Any, mf.fig.canvas).get_renderer()
    overlays = [ov for ov in mf._overlays() if not isinstance(ov.artist, Legend)]
    assert len(overlays) == 1  # the verdict badge
    for ov in overlays:
        renderer.clear()
        blank = np.asarray(renderer.buffer_rgba()).copy()
        ov.artist.draw(renderer)
        rows, cols = np.nonzero((np.asarray(renderer.buffer_rgba()) != blank).any(axis=-1))
        box = _pixel_box(ov.extent(renderer), blank.shape)
        assert rows.size  # it drew
        height = blank.shape[0]
        assert box.x0 <= cols.min() and cols.max() < box.x1
        assert height - box.y1 <= rows.min() and rows.max() < height - box.y0
    plots._drop_reused()


@pytest.mark.parametrize("dpi", [100.0, 160.0, 300.0])
def test_a_legend_draws_nothing_outside_its_overlay_box(dpi: float) -> None:
    from rfcheck.report._legends import legend_extent
    from rfcheck.report.blit import _pixel_box

    f, y = _noisy()
    fig = margin_figure(_with_legend_data(f, y))
    fig.set_dpi(dpi)
    renderer = cast(Any, fig.canvas).get_renderer()
    for legend in (fig.axes[0].get_legend(), fig.axes[1].get_legend()):
        assert legend is not None
        renderer.clear()
        blank = np.asarray(renderer.buffer_rgba()).copy()
        legend.draw(renderer)
        rows, cols = np.nonzero((np.asarray(renderer.buffer_rgba()) != blank).any(axis=-1))
        box = _pixel_box(legend_extent(legend)(renderer), blank.shape)
        assert rows.size  # it drew
        height = blank.shape[0]
        assert box.x0 <= cols.min() and cols.max() < box.x1
        assert height - box.y1 <= rows.min() and rows.max() < height - box.y0


def test_a_legend_listing_the_same_entries_is_kept_from_capture_to_capture() -> None:
    f, y = _noisy()
    plots._drop_reused()
    first = _with_legend_data(f, y)
    plot_png(first)
    mf = plots._reused()
    legends = (mf.ax.get_legend(), mf.axm.get_legend())
    plot_png(_shifted(first, 0.2))
    assert (mf.ax.get_legend(), mf.axm.get_legend()) == legends  # kept, not built again
    renamed = dataclasses.replace(
        first, plot_traces=(PlotTrace("PK2", "peak", f, y, "dBµV"),)
    )  # another label
    assert plot_png(renamed) == figure_png(margin_figure(renamed))
    assert mf.ax.get_legend() is not legends[0]
    error = CaptureResult("bad.csv", None, None, Verdict.ERROR)  # nothing to list
    assert plot_png(error) == figure_png(margin_figure(error))
    assert mf.ax.get_legend() is None and mf.axm.get_legend() is None


def test_a_legend_with_data_under_it_is_drawn_in_its_turn() -> None:
    f, y = _noisy()

    def raised(left_db: float, right_db: float) -> CaptureResult:
        """Margins raised at both ends (the right end under the margin legend)."""
        z = y.copy()
        z[:300] -= left_db
        z[-300:] -= right_db
        return _with_legend_data(f, z)

    plots._drop_reused()
    plot_png(raised(18.0, 18.0))  # the right end under the margin legend: cached so
    mf = plots._reused()
    cache = mf.backgrounds
    n = len(mf._overlays())
    hits, misses, frames = cache.overlay_hits, cache.overlay_misses, cache.misses
    # other pixels under the margin legend: it is drawn in its turn, the others put back
    assert plot_png(raised(18.0, 19.0)) == figure_png(margin_figure(raised(18.0, 19.0)))
    assert (cache.overlay_hits, cache.overlay_misses) == (hits + n - 1, misses)
    # nothing under it: drawn and kept again (the frame's pixels under it), then put back
    assert plot_png(raised(18.0, 0.0)) == figure_png(margin_figure(raised(18.0, 0.0)))
    assert (cache.overlay_hits, cache.overlay_misses) == (hits + 2 * n - 2, misses)
    assert plot_png(raised(18.0, 0.0)) == figure_png(margin_figure(raised(18.0, 0.0)))
    assert (cache.overlay_hits, cache.overlay_misses) == (hits + 3 * n - 2, misses)
    assert cache.misses == frames  # one frame throughout


def test_a_failing_plot_leaves_the_next_one_intact() -> None:
    good = _captures()[0]
    expected = plot_png(good)
    bad = CaptureResult(
        "huge.csv",
        None,
        "csv",
        Verdict.PASS,
        plot_traces=(
            PlotTrace("PK", "peak", np.array([1e6, 2e6, 3e6]), np.array([1e308, -1e308, 1.0]), "")
        ,),
    )  # fmt: skip
    # ±1e308 dB overflows the level axis: math.floor(inf) in its range step. numpy and matplotlib
    # warn of the overflow first (an error under this suite's filterwarnings); let it through.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        with pytest.raises(OverflowError, match="cannot convert float infinity to integer"):
            plot_png(bad)
    assert plot_png(good) == expected


# --------------------------------------------------------------------------- PNG encoder
@pytest.mark.parametrize("opaque", [True, False])
def test_png_encoder_round_trips_through_pillow(opaque: bool) -> None:
    rng = np.random.default_rng(1)
    rgba = rng.integers(0, 256, (37, 53, 4), dtype=np.uint8)
    if opaque:
        rgba[..., 3] = 255
    data = encode_png(rgba, 160, {"Software": "rfcheck test"})
    img = Image.open(io.BytesIO(data))
    assert img.mode == ("RGB" if opaque else "RGBA")
    assert img.info["Software"] == "rfcheck test"
    assert img.info["dpi"] == pytest.approx((160, 160), abs=0.01)
    assert np.array_equal(np.asarray(img), rgba[..., :3] if opaque else rgba)
    assert encode_png(rgba, 160, {"Software": "rfcheck test"}) == data  # reproducible


# --------------------------------------------------------------------------- PDF streams
def test_pdf_report_streams_are_binary_and_reportlab_setting_restored(tmp_path: Path) -> None:
    from reportlab import rl_config

    from rfcheck.report.pdf import render_pdf

    run = run_check(
        [SAMPLES / "conducted" / "rig_L1_peak_keysight.csv"],
        CheckSettings(limit_ids=("fcc-15.107-b",)),
    )
    before = rl_config.useA85
    pdf = render_pdf(run)
    assert rl_config.useA85 == before
    assert b"/Subtype /Image" in pdf
    assert b"ASCII85Decode" not in pdf


# --------------------------------------------------------------------------- dossier plots
@pytest.mark.parametrize("top", [70.0, 125.0])
def test_dossier_plot_margin_fits_its_level_tick_labels_without_layout_search(top: float) -> None:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from rfcheck.report.dossier.plots import FIGSIZE_IN, _left_in

    fig = Figure(figsize=FIGSIZE_IN)
    canvas = FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    ax.set_ylim(top - 60.0, top)
    ax.set_ylabel("Level [dBµV]")
    fig.subplots_adjust(left=_left_in(ax) / FIGSIZE_IN[0])
    tight = fig.get_tightbbox(cast(Any, canvas).get_renderer())  # unannotated in matplotlib
    fig.tight_layout()  # what the layout search finds
    assert ax.get_position().x0 * FIGSIZE_IN[0] == pytest.approx(
        _left_in(ax), abs=0.02
    )  # within 2 px at 120 dpi
    assert tight.x0 >= 0.0  # nothing cut at the left edge


def _limit(freq_mhz: list[float], level: list[float]) -> Any:
    from rfcheck.plotted import PlotLimit

    return PlotLimit(
        "fcc-15.107-b", "QP", "quasi-peak", np.array(freq_mhz) * 1e6, np.array(level), "dBµV"
    )


def test_dossier_limit_line_is_cut_at_the_span_on_its_log_f_slope() -> None:
    from rfcheck.report.dossier.plots import _clip_limit, _Span

    # 15.107(b) QP: 66 -> 56 dBµV over 0.15-0.5 MHz, linear in log f; flat 56 to 5 MHz
    line = _limit([0.15, 0.5, 5.0], [66.0, 56.0, 56.0])
    f_hz, level = _clip_limit(line, _Span(0.3e6, 1e6))
    assert f_hz.tolist() == [0.3e6, 0.5e6, 1e6]
    slope = 10.0 * np.log10(0.3 / 0.15) / np.log10(0.5 / 0.15)
    assert level.tolist() == pytest.approx([66.0 - slope, 56.0, 56.0], abs=0.01)
    assert level[0] == pytest.approx(60.24, abs=0.01)


def test_dossier_limit_line_outside_the_span_is_not_drawn() -> None:
    from rfcheck.report.dossier.plots import _clip_limit, _Span

    f_hz, level = _clip_limit(_limit([1000.0, 40000.0], [54.0, 54.0]), _Span(30e6, 1e9))
    assert f_hz.size == 0 and level.size == 0
    f_hz, _ = _clip_limit(_limit([1000.0, 40000.0], [54.0, 54.0]), _Span(30e6, 6e9))
    assert f_hz.tolist() == [1e9, 6e9]  # up to the span, not to the table's 40 GHz


def test_the_margin_panels_zero_line_and_bands_are_kept_while_the_same() -> None:
    from rfcheck.report.margin_plot import is_kept_artist

    f, y = _noisy()
    plots._drop_reused()
    first = _with_legend_data(f, y)
    plot_png(first)
    mf = plots._reused()

    def kept() -> list[Any]:
        return [a for a in (*mf.axm.lines, *mf.axm.patches, *mf.axm.texts) if is_kept_artist(a)]

    artists = kept()
    assert len(artists) == 3
    near = _shifted(first, 0.2)  # the same window and margin range: kept
    assert plot_png(near) == figure_png(margin_figure(near))
    assert kept() == artists
    # another window: made anew, and drawn as a new figure draws them
    assert plot_png(near, window_db=10.0) == figure_png(margin_figure(near, window_db=10.0))
    assert not set(map(id, kept())) & set(map(id, artists)) and len(kept()) == 3
    low = _shifted(first, 25.0)  # margins 25 dB lower: another bottom of the margin range
    assert plot_png(low) == figure_png(margin_figure(low))
    assert len(kept()) == 3


def test_png_bytes_depend_on_the_pixels_only_in_every_process(tmp_path: Path) -> None:
    """The same pixels give the same PNG bytes in fresh processes (reproducible records).

    ISA-L's level 1 gave another (valid) stream in ~0.3 % of processes; the encoder uses a
    level without a second work buffer (rfcheck.report.png). Four processes, each after
    filling and freeing heap memory, must agree byte for byte with this one.
    """
    import subprocess
    import sys

    rng = np.random.default_rng(3)
    rgba = np.full((300, 400, 4), 255, np.uint8)
    rgba[::7, :, :3] = rng.integers(0, 255, (43, 400, 3), dtype=np.uint8)
    np.save(tmp_path / "px.npy", rgba)
    code = (
        "import os, sys, numpy as np; from rfcheck.report.png import encode_png;"
        "junk = [os.urandom(n) for n in (1 << 17, 1 << 18, 1 << 20)]; del junk;"
        f"sys.stdout.buffer.write(encode_png(np.load(r'{tmp_path / 'px.npy'}'), 100.0))"
    )
    want = encode_png(rgba, 100.0)
    for _ in range(4):
        got = subprocess.run([sys.executable, "-c", code], capture_output=True, check=True).stdout
        assert got == want
