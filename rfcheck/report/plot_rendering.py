"""How every rfcheck figure is drawn and saved: one plot lock, the plot style, reproducible bytes.

The plot's fonts are matplotlib's process-wide rc parameters, set while drawing
(:func:`plot_style`): a figure is built and rendered holding the process's plot lock
(:func:`drawing`, :data:`PLOT_LOCK`), so threads drawing at once (a Dask worker's threads)
take turns, each draws with its own style, and none leaves its style behind for a later
figure of the process. Text is drawn as written (no mathtext: :data:`LITERAL_TEXT_RC`).
Figures are saved with deterministic metadata (:func:`figure_png`, :func:`figure_svg`), so
the same figure gives byte-identical PNG and SVG files. Used by the margin plots
(:mod:`rfcheck.report.plots`), the dossier's port plots and ``compare``/``lot``'s plots.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, cast

import matplotlib as mpl
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from .._version import __version__
from .png import encode_png

__all__ = [
    "LITERAL_TEXT_RC",
    "PLOT_LOCK",
    "PLOT_RC",
    "PNG_DPI",
    "SOFTWARE",
    "drawing",
    "figure_png",
    "figure_svg",
    "plot_style",
]


#: Resolution of the stand-alone PNG, and the pixel columns vector output is decimated to. [dpi]
PNG_DPI = 160


SOFTWARE = f"rfcheck {__version__}"


#: Text drawn as written: no mathtext. The labels rfcheck writes need none (units, µ, ², the
#: arrows are Unicode) and many carry untrusted text (file names, trace labels, unit and port
#: names): a ``$`` there is not markup (``$x^2$`` drew x², and a malformed ``$\frac$``
#: stopped the run). In force while a figure is built or rendered (:func:`drawing`).
LITERAL_TEXT_RC: dict[str, Any] = {"text.parse_math": False, "axes.formatter.use_mathtext": False}


PLOT_RC: dict[str, Any] = {
    **LITERAL_TEXT_RC,
    "font.family": "DejaVu Sans",
    "font.size": 8.0,
    "axes.titlesize": 9.5,
    "axes.labelsize": 8.5,
    "legend.fontsize": 7.0,
    "xtick.labelsize": 7.5,
    "ytick.labelsize": 7.5,
    "axes.linewidth": 0.8,
    "path.simplify": True,
    "svg.fonttype": "path",
    # glyphs rasterised as drawn, not fitted to the pixel grid: at 160 dpi the text reads the
    # same and renders in about half the time (a 62-character line: 3.7 ms against 6.7 ms)
    "text.hinting": "no_hinting",
}


#: The process's plot lock (re-entrant): held while a figure is built or rendered.
PLOT_LOCK = threading.RLock()


@contextmanager
def drawing() -> Iterator[None]:
    """Hold the process's plot lock, text drawn as written (:data:`LITERAL_TEXT_RC`).

    matplotlib reads its rc parameters, which are the process's, when an artist is made and
    when it is drawn, and :func:`plot_style` changes some of them while it draws. A figure built
    or rendered while another thread draws would take that thread's values, and two threads
    in :func:`plot_style` at once restore each other's values: the plot style would stay in
    ``rcParams`` and change every later figure of the process. Wrap the building and the
    rendering of a figure made outside this module in it (:func:`figure_png` holds it); a
    figure builder holds it too (re-entrant), so that its texts are literal whatever style
    its caller set (a style reset inside the lock: the dossier's matplotlib default).
    """
    with plot_style(LITERAL_TEXT_RC):
        yield


@contextmanager
def plot_style(rc: dict[str, Any] = PLOT_RC) -> Iterator[None]:
    """Set the plot's rc parameters ``rc`` while drawing, then put the old values back.

    What :func:`matplotlib.rc_context` does for these keys alone: it copies and restores all
    of ``rcParams`` (about 300 validated entries), ~0.3 ms a call, four calls per plot. Holds
    the plot lock (:func:`drawing`): the values put back are the ones this thread found.
    """
    params = cast(dict[str, Any], mpl.rcParams)  # typed by key in matplotlib's stubs
    with PLOT_LOCK:
        old = {k: params[k] for k in rc}
        try:
            params.update(rc)
            yield
        finally:
            params.update(old)


def figure_png(fig: Figure, dpi: float = PNG_DPI) -> bytes:
    """PNG bytes with only a ``Software`` metadata entry (no timestamp: reproducible).

    The figure is rendered once by Agg (on its own canvas, which becomes an Agg canvas) and
    encoded by :func:`rfcheck.report.png.encode_png`: RGB when opaque (always, with the white
    figure background). Holds the plot lock (:func:`drawing`) while it renders; a figure
    built elsewhere is built holding it too, so that no other thread's style is in force.
    """
    with PLOT_LOCK:
        canvas = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
        old = fig.dpi
        fig.set_dpi(dpi)
        try:
            with plot_style():
                cast(Any, canvas).draw()  # unannotated in matplotlib
            rgba = np.asarray(cast(Any, canvas).buffer_rgba())
            return encode_png(rgba, dpi, {"Software": SOFTWARE})
        finally:
            fig.set_dpi(old)


def figure_svg(fig: Figure, salt: str, text_as_paths: bool = True) -> bytes:
    """SVG bytes, reproducible: fixed ``svg.hashsalt`` and no date/creator metadata.

    Parameters
    ----------
    fig : Figure
    salt : str
        Seed for element ids; use a different one per figure inlined in one HTML page.
    text_as_paths : bool
        True: glyphs as paths (portable file); False: ``<text>`` elements (selectable,
        smaller, for inline HTML).
    """
    buf = io.BytesIO()
    rc = dict(
        PLOT_RC, **{"svg.hashsalt": salt, "svg.fonttype": "path" if text_as_paths else "none"}
    )
    with plot_style(rc):
        fig.savefig(
            buf,
            format="svg",
            metadata={"Date": None, "Creator": None, "Format": None, "Type": None},
        )
    return buf.getvalue()
