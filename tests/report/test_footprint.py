"""Footprints: every pixel an artist changes lies where its footprint says it may."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

import numpy as np
import pytest
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.transforms import Bbox

from rfcheck.report.footprint import Footprint, footprint

_DPI = 160.0


def _changed_pixels(fig: Figure, artist: Artist) -> tuple[np.ndarray, Any]:
    """Draw ``artist`` alone on a blank canvas; return the pixels it changed and the renderer."""
    canvas = FigureCanvasAgg(fig)
    fig.set_dpi(_DPI)
    renderer = cast(Any, canvas).get_renderer()
    renderer.clear()
    blank = np.asarray(renderer.buffer_rgba()).copy()
    artist.draw(renderer)
    now = np.asarray(renderer.buffer_rgba())
    rows, cols = np.nonzero((now != blank).any(axis=-1))
    return np.column_stack([cols, renderer.height - 1 - rows]), renderer  # display x, y


def _covers(fp: Footprint, pixels: np.ndarray) -> bool:
    return all(fp.touches(Bbox.from_extents(x, y, x + 1, y + 1)) for x, y in pixels)


def _axes() -> tuple[Figure, Axes]:
    fig = Figure(figsize=(4.0, 3.0))
    ax = fig.add_subplot()
    ax.set_xlim(0.0, 10.0)
    ax.set_ylim(0.0, 10.0)
    return fig, ax


_ARTISTS: dict[str, Callable[[Axes], Artist]] = {
    "noisy line": lambda ax: ax.plot(
        np.linspace(-1.0, 11.0, 800), 5.0 + np.random.default_rng(0).normal(0.0, 2.0, 800), lw=0.7
    )[0],
    "dashed thick line": lambda ax: ax.plot([1.0, 9.0, 2.0], [1.0, 8.0, 9.5], ls="--", lw=3.0)[0],
    "line with a gap": lambda ax: ax.plot([1.0, 2.0, np.nan, 8.0, 9.0], [1.0, 9.0, 5.0, 1.0, 9.0])[
        0
    ],
    "triangle markers": lambda ax: ax.plot(
        [2.0, 5.0, 8.0], [2.0, 5.0, 8.0], ls="none", marker="v", ms=11, mew=1.6, mfc="none"
    )[0],
    "text in a round box": lambda ax: ax.text(
        5.0, 5.0, "≥ -13.1 dB", fontsize=6.5, bbox={"boxstyle": "round,pad=0.3", "lw": 0.8}
    ),
    "turned text in a square box": lambda ax: ax.text(
        5.0, 5.0, "suspect window", rotation=30, bbox={"boxstyle": "square,pad=0.25"}
    ),
    "text in a sawtooth box": lambda ax: ax.text(
        5.0, 5.0, "FAIL", bbox={"boxstyle": "sawtooth,pad=0.5"}
    ),
    "annotation": lambda ax: ax.annotate(
        "+2.0 dB", (5.0, 5.0), xytext=(0, 7), textcoords="offset points", fontweight="bold"
    ),
    "spine": lambda ax: ax.spines["top"],
    "band": lambda ax: ax.axhspan(2.0, 3.0, alpha=0.2, lw=2.0),
    "legend": lambda ax: (ax.plot([1, 2], [1, 2], label="PK vs QP limit")[0], ax.legend())[1],
}


@pytest.mark.parametrize("name", sorted(_ARTISTS))
def test_every_pixel_an_artist_changes_is_inside_its_footprint(name: str) -> None:
    fig, ax = _axes()
    artist = _ARTISTS[name](ax)
    pixels, renderer = _changed_pixels(fig, artist)
    assert pixels.size  # it drew something
    assert _covers(footprint(artist, renderer), pixels)


def test_a_line_passing_beside_a_rectangle_does_not_touch_it() -> None:
    fig, ax = _axes()
    (line,) = ax.plot([0.0, 10.0], [0.0, 10.0], lw=1.0)  # the diagonal
    _, renderer = _changed_pixels(fig, line)
    fp = footprint(line, renderer)
    top_left = ax.transData.transform([(1.0, 8.0), (3.0, 9.5)])
    assert not fp.touches(Bbox(top_left))  # inside the line's bounding box, clear of it
    across = ax.transData.transform([(4.0, 5.0), (6.0, 5.5)])
    assert fp.touches(Bbox(across))


def test_a_clipped_line_does_not_reach_outside_its_axes() -> None:
    fig, ax = _axes()
    (line,) = ax.plot([0.0, 10.0], [10.8, 10.8])  # above the axes, clipped
    _, renderer = _changed_pixels(fig, line)
    above = Bbox.from_extents(0.0, ax.bbox.y1 + 5.0, renderer.width, renderer.height)
    assert not footprint(line, renderer).touches(above)
    line.set_clip_on(False)
    assert footprint(line, renderer).touches(above)


def test_an_invisible_artist_touches_nothing_and_an_unmeasured_one_everything() -> None:
    fig, ax = _axes()
    (line,) = ax.plot([0.0, 10.0], [0.0, 10.0])
    line.set_visible(False)
    _, renderer = _changed_pixels(fig, line)
    assert not footprint(line, renderer).touches(ax.bbox)

    class Opaque(Artist):
        def get_window_extent(self, renderer: Any = None) -> Bbox:
            raise NotImplementedError

    assert footprint(Opaque(), renderer).touches(Bbox.from_extents(0, 0, 1, 1))
