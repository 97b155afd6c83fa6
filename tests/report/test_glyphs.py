"""Texts drawn from kept layouts and glyph bitmaps: the pixels matplotlib's renderer draws."""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.figure import Figure

from rfcheck.analysis import run_check
from rfcheck.report.glyphs import SUPPORTED, GlyphRenderer
from rfcheck.report.plots import figure_png, margin_figure
from rfcheck.settings import CheckSettings

SAMPLES = Path(__file__).resolve().parents[2] / "sample_captures"


def _pixels(fig: Figure, renderer: Any) -> np.ndarray:
    renderer.clear()
    fig.draw(renderer)
    return np.asarray(renderer.buffer_rgba()).copy()


def _stock(w: int, h: int, dpi: float) -> Any:
    """Return matplotlib's own Agg renderer (unannotated)."""
    return cast(Any, RendererAgg)(w, h, dpi)


def _texts_figure(seed: int) -> Figure:
    """Texts at random sub-pixel places, sizes, weights and angles; some strings repeated."""
    rng = np.random.default_rng(seed)
    fig = Figure(figsize=(4.0, 3.0), dpi=160)
    words = ["≥ -13.1 dB", "PASS", "worst: ≤ +2.04 dB at 0.2135 MHz", "Peak (PK)", "Wq µV/m ffi"]
    for _ in range(40):
        fig.text(
            rng.uniform(0.0, 0.9),
            rng.uniform(0.0, 0.95),
            words[int(rng.integers(len(words)))],
            fontsize=float(rng.choice([6.5, 7.0, 9.5])),
            fontweight=str(rng.choice(["normal", "bold"])),
            rotation=float(rng.choice([0.0, 0.0, 90.0, 30.0])),
            antialiased=bool(rng.integers(0, 4)),  # now and then without antialiasing
        )
    return fig


@pytest.mark.skipif(not SUPPORTED, reason="matplotlib draws text another way: drawn as it does")
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_kept_glyphs_give_the_pixels_matplotlib_draws(seed: int) -> None:
    fig = _texts_figure(seed)
    w, h = (int(v) for v in fig.bbox.size)
    stock = _pixels(fig, _stock(w, h, fig.dpi))
    kept = GlyphRenderer(w, h, fig.dpi)
    assert np.array_equal(_pixels(fig, kept), stock)  # glyphs rendered and kept
    assert np.array_equal(_pixels(fig, kept), stock)  # drawn again from the kept ones
    moved = _texts_figure(seed)
    for t in moved.texts:  # by whole and by fractions of pixels
        x, y = t.get_position()
        t.set_position((x + 3.0 / w, y + 0.37 / h))
    assert np.array_equal(_pixels(moved, kept), _pixels(moved, _stock(w, h, fig.dpi)))


def test_margin_plot_with_kept_glyphs_is_matplotlibs_own_image() -> None:
    run = run_check(
        sorted((SAMPLES / "conducted").glob("rig_L1_*keysight.csv")),
        CheckSettings(limit_ids=("fcc-15.107-b",)),
    )
    for cap in run.captures:
        fig = margin_figure(cap)
        ours = figure_png(fig)  # the plot's canvas: kept glyphs
        FigureCanvasAgg(fig)  # matplotlib's own canvas and renderer
        assert type(cast(Any, fig.canvas).get_renderer()) is RendererAgg
        assert figure_png(fig) == ours
