"""Dense traces filled as the band their line covers (rfcheck.report.band)."""

from __future__ import annotations

import io
from typing import Any

import numpy as np
import pytest
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.path import Path
from numpy.typing import NDArray

from rfcheck.report.band import SUBCOLUMNS, BandLine, band_path

DPI = 160.0


def _noisy(n: int = 10_000, seed: int = 3) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Return a conducted sweep: noise, narrow emissions and a steep flank, log-spaced in MHz."""
    rng = np.random.default_rng(seed)
    f = np.geomspace(0.15, 30.0, n)
    y = 35.0 + 3.0 * rng.standard_normal(n)
    for f0, a in ((0.45, 25.0), (0.9, 18.0), (4.7, 30.0)):
        y += a * np.exp(-(((f - f0) / (0.002 * f0)) ** 2))
    y[f > 12.0] += 8.0  # a step
    return f, y


def _range(
    x: NDArray[np.float64], y: NDArray[np.float64], a: float, b: float
) -> tuple[float, float]:
    """Lowest and highest value of the polyline over ``[a, b]`` (brute force)."""
    inside = y[(x >= a) & (x <= b)]
    ends = np.interp([a, b], x, y)
    vals = np.r_[inside, ends]
    return float(vals.min()), float(vals.max())


def _outline_steps(
    path: Path,
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """Split a band outline into the x of its steps and its top and bottom per step."""
    v = np.asarray(path.vertices)[:-1]
    half = v.shape[0] // 2
    upper, lower = v[:half], v[half:][::-1]
    assert np.array_equal(upper[:, 0], lower[:, 0])
    return upper[::2, 0], upper[::2, 1], lower[::2, 1]


def test_the_band_is_a_round_pen_swept_over_the_lines_range_in_each_stretch() -> None:
    """Each quarter pixel: the line's range in each stretch within reach, widened by the pen."""
    rng = np.random.default_rng(7)
    x = np.sort(rng.uniform(10.0, 60.0, 600))
    y = 200.0 + 40.0 * rng.standard_normal(x.size)
    width = 1.5
    outline = band_path(x, y, width)
    assert outline is not None
    starts, top, bottom = _outline_steps(outline)
    w, half = 1.0 / SUBCOLUMNS, width / 2
    reach = int(np.floor(half / w))
    first = np.floor(x[0] / w) - reach
    assert starts.size == np.floor(x[-1] / w) + reach - first + 1
    for k in range(starts.size):
        want_top, want_bottom = -np.inf, np.inf
        for m in range(-reach, reach + 1):
            a = (first + k + m) * w  # the stretch [a, a + w) m stretches away
            if a + w <= x[0] or a > x[-1]:
                continue
            lo, hi = _range(x, y, max(a, x[0]), min(a + w, x[-1]))
            pen = np.sqrt(half**2 - (m * w) ** 2)
            want_top, want_bottom = max(want_top, hi + pen), min(want_bottom, lo - pen)
        assert top[k] == pytest.approx(want_top, abs=1e-9)
        assert bottom[k] == pytest.approx(want_bottom, abs=1e-9)
    vertices = np.asarray(outline.vertices)  # half a width beyond the first and last vertex
    assert vertices[:, 0].min() == pytest.approx(x[0] - half)
    assert vertices[:, 0].max() == pytest.approx(x[-1] + half)


def test_a_sloped_line_is_half_a_width_thick_across_itself() -> None:
    """A straight line of slope s: ``w/2 * sqrt(1 + s^2)`` above and below it, as a stroke."""
    x = np.linspace(0.0, 200.0, 2001)
    for slope in (0.0, 0.5, 2.0):
        outline = band_path(x, 100.0 + slope * x, 1.6)
        assert outline is not None
        starts, top, bottom = _outline_steps(outline)
        mid = (starts > 20.0) & (starts < 180.0)
        centre = 100.0 + slope * (starts[mid] + 0.5 / SUBCOLUMNS)
        # the pen's reach across a slope, plus the stretch's own rise to its edge; the pen
        # steps by a quarter pixel (up to 0.011 pixel lost at slope 2)
        expect = 0.8 * np.sqrt(1.0 + slope**2) + slope * 0.5 / SUBCOLUMNS
        assert np.allclose(top[mid] - centre, expect, atol=0.02)
        assert np.allclose(centre - bottom[mid], expect, atol=0.02)


def test_a_column_without_samples_gets_the_segment_crossing_it() -> None:
    """A steep segment over empty columns: each stretch spans the line's values across it."""
    x = np.array([0.2, 0.4, 8.6, 8.8])
    y = np.array([0.0, 1.0, 81.0, 80.0])
    outline = band_path(x, y, 0.0)
    assert outline is not None
    starts, top, bottom = _outline_steps(outline)
    k = int(np.flatnonzero(starts >= 4.0)[0])  # the stretch [4, 4.25)
    slope = 80.0 / 8.2
    assert bottom[k] == pytest.approx(1.0 + (4.0 - 0.4) * slope)
    assert top[k] == pytest.approx(1.0 + (4.25 - 0.4) * slope)


def test_a_gap_splits_the_band_and_a_clip_box_bounds_it() -> None:
    x = np.linspace(0.0, 2000.0, 8001)
    y = 100.0 + 10.0 * np.sin(x)
    y[4000:4010] = np.nan
    outline = band_path(x, y, 1.5)
    assert outline is not None
    codes = np.asarray(outline.codes)
    verts = np.asarray(outline.vertices)
    assert np.count_nonzero(codes == Path.MOVETO) == 2  # two runs, one outline each
    second = int(np.flatnonzero(codes == Path.MOVETO)[1])
    assert verts[:second, 0].max() == pytest.approx(x[3999] + 0.75)
    assert verts[second:, 0].min() == pytest.approx(x[4010] - 0.75)
    y[2000] = 1e9  # far above the canvas
    clipped = band_path(x[:3000], y[:3000], 1.5, clip=(500.0, 50.0, 700.0, 150.0))
    assert clipped is not None
    cv = np.asarray(clipped.vertices)
    margin = 1.5 + 2.0
    assert cv[:, 0].min() >= 500.0 - margin - 0.75 - 1e-9
    assert cv[:, 0].max() <= 700.0 + margin + 0.75 + 1e-9
    assert np.abs(cv[:, 1]).max() < 1e4
    assert band_path(x[:100], y[:100], 1.5, clip=(500.0, 50.0, 700.0, 150.0)) is None


def test_one_run_is_its_outline_as_make_compound_path_gives_it() -> None:
    """One run's band is returned as is: the vertices and codes make_compound_path gives."""
    x = np.linspace(0.0, 500.0, 5000)
    y = np.random.default_rng(1).normal(300.0, 20.0, x.size)
    outline = band_path(x, y, 1.5, clip=(0.0, 0.0, 600.0, 600.0))
    assert outline is not None
    compound = Path.make_compound_path(outline)
    assert np.array_equal(outline.vertices, compound.vertices)
    assert np.array_equal(np.asarray(outline.codes), np.asarray(compound.codes))
    assert outline.should_simplify == compound.should_simplify


def _axes(fig: Figure) -> Axes:
    ax = fig.add_axes((0.08, 0.1, 0.9, 0.85))
    ax.set_xscale("log")
    ax.set_xlim(0.15, 30.0)
    ax.set_ylim(20.0, 80.0)
    ax.set_axis_off()
    return ax


def _render(line: Line2D) -> NDArray[np.uint8]:
    """RGBA pixels of ``line`` alone on a transparent 7.5 x 3 in canvas at 160 dpi."""
    fig = Figure(figsize=(7.5, 3.0), dpi=DPI)
    canvas: Any = FigureCanvasAgg(fig)  # draw, buffer_rgba, get_renderer: unannotated
    fig.patch.set_visible(False)
    _axes(fig).add_line(line)
    canvas.draw()
    return np.asarray(canvas.buffer_rgba()).copy()


def test_every_sample_of_the_full_trace_is_inked_by_its_band() -> None:
    """The plot shows every sample: its pixel is inked (more than half covered) by the band."""
    f, y = _noisy()
    img = _render(BandLine(f, y, lw=0.7, color="k"))
    fig = Figure(figsize=(7.5, 3.0), dpi=DPI)
    FigureCanvasAgg(fig)
    ax = _axes(fig)
    xy = ax.transData.transform(np.column_stack([f, y]))
    xy = xy[xy[:, 0] < ax.bbox.x1]  # the last sample lies on the axes' edge, clipped
    cols = np.floor(xy[:, 0]).astype(int)
    rows = np.floor(img.shape[0] - xy[:, 1]).astype(int)
    assert np.all(img[rows, cols, 3] > 127)


def _ink(img: NDArray[np.uint8]) -> NDArray[np.bool_]:
    return img[..., 3] > 127


def test_the_band_inks_the_columns_a_stroke_of_the_full_trace_inks() -> None:
    """Against Agg's stroke of all 10,000 points: per column the same lowest and highest ink.

    A stroke's antialiased edges are sloped where the band steps by a quarter pixel, so the
    pixels are not bit for bit the same; measured on this trace: the highest and the lowest
    inked pixel of 92 % and 90 % of the columns within one pixel of the stroke's, and 3 % of
    the inked pixels more than a quarter of full scale apart (the M4 decimated stroke the band
    replaces: 93 %, 94 % and 2 %).
    """
    f, y = _noisy()
    full = _render(Line2D(f, y, lw=0.7, color="k"))
    band = _render(BandLine(f, y, lw=0.7, color="k"))
    a, b = _ink(full), _ink(band)
    cols = np.flatnonzero(a.any(axis=0) & b.any(axis=0))
    assert cols.size > 1000
    assert np.array_equal(np.flatnonzero(a.any(axis=0)), np.flatnonzero(b.any(axis=0)))
    top = np.array([np.argmax(a[:, c]) - np.argmax(b[:, c]) for c in cols])
    low = np.array([np.argmax(a[::-1, c]) - np.argmax(b[::-1, c]) for c in cols])
    assert np.mean(np.abs(top) <= 1) > 0.95
    assert np.mean(np.abs(low) <= 1) > 0.95
    differ = np.abs(full[..., 3].astype(int) - band[..., 3].astype(int)) > 64
    assert differ.sum() < 0.05 * (a | b).sum()


def test_a_smooth_sloped_trace_is_as_thick_as_its_stroke() -> None:
    """A dense smooth curve with steep slopes: the same pixels as the stroke, but for edges."""
    f = np.geomspace(0.15, 30.0, 10_000)
    y = 50.0 + 25.0 * np.sin(3.0 * np.log(f))
    full = _render(Line2D(f, y, lw=0.7, color="k"))
    band = _render(BandLine(f, y, lw=0.7, color="k"))
    a, b = _ink(full), _ink(band)
    differ = np.abs(full[..., 3].astype(int) - band[..., 3].astype(int)) > 64
    assert differ.sum() < 0.03 * (a | b).sum()  # measured 1 %; a square pen gave 64 %
    assert 1.0 <= band[..., 3].sum() / full[..., 3].sum() < 1.15  # measured 1.12


@pytest.mark.parametrize(
    "style",
    [{"ls": "--"}, {"marker": "o", "ms": 2}, {"drawstyle": "steps-post"}],
    ids=["dashed", "markers", "steps"],
)
def test_a_line_a_band_cannot_draw_is_stroked_as_matplotlib_strokes_it(
    style: dict[str, Any],
) -> None:
    f, y = _noisy(3000)
    assert np.array_equal(
        _render(BandLine(f, y, lw=0.7, color="k", **style)),
        _render(Line2D(f, y, lw=0.7, color="k", **style)),
    )


def test_a_sparse_line_is_stroked() -> None:
    """Under two samples per pixel column a stroke is cheaper and slopes are drawn as slopes."""
    f, y = _noisy(1500)  # ~1,100 columns
    assert np.array_equal(
        _render(BandLine(f, y, lw=0.7, color="k")), _render(Line2D(f, y, lw=0.7, color="k"))
    )
    fig = Figure(figsize=(7.5, 3.0), dpi=DPI)
    canvas: Any = FigureCanvasAgg(fig)  # draw, buffer_rgba, get_renderer: unannotated
    line = BandLine(f, y, lw=0.7)
    _axes(fig).add_line(line)
    assert line.band(canvas.get_renderer()) is None


def test_vector_output_strokes_the_line() -> None:
    f, y = _noisy()
    fig = Figure(figsize=(7.5, 3.0), dpi=DPI)
    line = BandLine(f, y, lw=0.7, color="k")
    _axes(fig).add_line(line)
    buf = io.StringIO()
    fig.savefig(buf, format="svg")
    assert buf.getvalue().count("<path") >= 1
    assert 'style="fill: none' in buf.getvalue()  # a stroked polyline, not a filled band


def test_the_band_uses_its_full_data_when_the_line_is_given_decimated_data() -> None:
    f, y = _noisy()
    before = _render(BandLine(f, y, lw=0.7, color="k"))
    line2 = BandLine(f, y, lw=0.7, color="k")
    line2.set_data(f[::50], y[::50])
    assert np.array_equal(_render(line2), before)


def test_stroke_data_is_asked_for_only_when_the_line_is_stroked() -> None:
    """A filled band never computes its stroke data; a stroked line is drawn with it."""
    f, y = _noisy()
    asked: list[str] = []

    def thinned(tag: str) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        asked.append(tag)
        return f[::7], y[::7]

    filled = BandLine(f, y, lw=0.7, color="k")
    filled.stroke_data = lambda: thinned("filled")
    assert np.array_equal(_render(filled), _render(BandLine(f, y, lw=0.7, color="k")))
    dashed = BandLine(f, y, lw=0.7, color="k", ls="--")
    dashed.stroke_data = lambda: thinned("dashed")
    expected = _render(Line2D(f[::7], y[::7], lw=0.7, color="k", ls="--"))
    assert np.array_equal(_render(dashed), expected)
    assert asked == ["dashed"]
    assert dashed.stroke_data is None  # used once: the line now holds that data
