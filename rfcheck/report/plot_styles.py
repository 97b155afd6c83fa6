"""Colours and line styles of the plots, by detector: one table for every figure.

Measured data take mid-saturation hues by detector (:data:`TRACE_COLOURS`); several traces of
one detector take shades of its hue (:func:`trace_colours`). Limit lines are dark and styled by
detector, QP solid, AV dashed, PK dotted (:data:`LIMIT_STYLE`; :data:`LIMIT_LINESTYLE` for the
figures that colour them otherwise: the dossier and lot plots).
"""

from __future__ import annotations

from collections.abc import Sequence

from matplotlib.colors import to_hex, to_rgb

from ..plotted import PlotTrace

__all__ = ["LIMIT_LINESTYLE", "LIMIT_STYLE", "TRACE_COLOURS", "shade", "trace_colours"]

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
