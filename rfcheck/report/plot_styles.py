"""Colours and line styles of the plots, by detector: one table for every figure.

Measured data take mid-saturation hues by detector (:data:`TRACE_COLOURS`); several traces of
one detector take shades of its hue (:func:`trace_colours`). Limit lines are dark and styled by
detector, QP solid, AV dashed, PK dotted (:data:`LIMIT_STYLE`; :data:`LIMIT_LINESTYLE` for the
figures that colour them otherwise: the dossier and lot plots).

A figure overlaying the traces of several captures (a dossier's port plot: a peak scan, an
average scan and an I/Q recording's three detectors on one mains line) gives each trace the
next style of one series rule (:func:`series_style`): the Okabe-Ito colours, which stay
apart for the common colour-vision deficiencies, and past them the same colours dashed.
"""

from __future__ import annotations

from collections.abc import Sequence

from matplotlib.colors import to_hex, to_rgb

from ..plotted import PlotTrace

__all__ = [
    "LIMIT_LINESTYLE",
    "LIMIT_STYLE",
    "SERIES_COLOURS",
    "SERIES_LINESTYLES",
    "TRACE_COLOURS",
    "series_style",
    "shade",
    "trace_colours",
]

#: Trace colour by detector (measured data: mid-saturation hues).
TRACE_COLOURS = {
    "peak": "#2f6db5",
    "quasi-peak": "#2e9a47",
    "cispr-average": "#8a4fbf",
    "average": "#8a4fbf",
    "rms-average": "#c06a12",
    "rms": "#c06a12",
    "log-average": "#b04a7f",  # a lower bound of every line: not the average's purple
}
#: Limit line (colour, line style) by detector: dark; QP solid, AV dashed, PK dotted.
LIMIT_STYLE = {
    "quasi-peak": ("#7a0c0c", "-"),
    "cispr-average": ("#0c2f6b", "--"),
    "average": ("#0c2f6b", "--"),
    "rms-average": ("#4a2a00", "-."),
    "peak": ("#111111", ":"),
}
#: Limit line style by detector, for figures that colour the lines themselves.
LIMIT_LINESTYLE = {detector: style for detector, (_, style) in LIMIT_STYLE.items()}
# Shades of a detector's colour for its second, third... trace: mixed toward black (< 0) or
# white (> 0) by this share, so traces of one detector (four peak traces of an analyser's
# export) are told apart as the legend lists them.
_SHADES = (0.0, -0.45, 0.45, -0.7, 0.7)


def shade(colour: str, k: int) -> str:
    """Return the ``k``-th shade of ``colour`` (``k = 0``: the colour itself) as ``#rrggbb``."""
    share = _SHADES[k % len(_SHADES)]
    toward = 1.0 if share > 0 else 0.0
    r, g, b = (c + abs(share) * (toward - c) for c in to_rgb(colour))
    return to_hex((r, g, b))


def trace_colours(traces: Sequence[PlotTrace]) -> dict[int, str]:
    """Return each trace's colour (by ``id``): its detector's, a shade of it when repeated."""
    seen: dict[str, int] = {}
    out: dict[int, str] = {}
    for tr in traces:
        k = seen.get(tr.detector, 0)
        seen[tr.detector] = k + 1
        out[id(tr)] = shade(TRACE_COLOURS.get(tr.detector, "#6b6b6b"), k)
    return out


#: Colours of overlaid traces, in order: Okabe & Ito's colour-blind-safe set (blue, orange,
#: bluish green, reddish purple, vermillion, sky blue: the two blues far apart), without its yellow
#: (too light on white) and black (the limit lines are dark).
SERIES_COLOURS = ("#0072b2", "#e69f00", "#009e73", "#cc79a7", "#d55e00", "#56b4e9")
#: Line styles of overlaid traces: solid for the first round of colours, then dashed, dotted.
SERIES_LINESTYLES: tuple[str | tuple[float, tuple[float, float]], ...] = (
    "-",
    (0.0, (5.0, 2.0)),
    (0.0, (1.2, 1.2)),
)


def series_style(k: int) -> tuple[str, str | tuple[float, tuple[float, float]]]:
    """Return the ``k``-th overlaid trace's colour and line style (``k`` from 0).

    Each colour of :data:`SERIES_COLOURS` once, solid; then each again dashed, then dotted:
    no two of the first 18 traces of a figure look alike.
    """
    n = len(SERIES_COLOURS)
    return SERIES_COLOURS[k % n], SERIES_LINESTYLES[(k // n) % len(SERIES_LINESTYLES)]
