"""Frequency-axis ticks of the margin plots (log axis in MHz).

Decade-style labelled ticks (0.15, 0.5, 1, 5, 30 MHz, ...) when the span holds at least two;
on a narrow span (e.g. 1.30-1.48 MHz) nicely rounded linear ticks labelled with as many
decimals as their step needs, so the axis always carries numbers. On an axis of a decade or
more, both ends are labelled when they are round numbers (30 and 1000 MHz: a lab reads the
band edge), an end a hair from a round number (a sweep stopping at 999.5 MHz) is widened to it.
"""

from __future__ import annotations

import math
import weakref
from collections.abc import Callable, Hashable, Sequence

import matplotlib as mpl
import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.markers import TICKDOWN, TICKUP
from matplotlib.ticker import (
    FixedLocator,
    FuncFormatter,
    MaxNLocator,
    NullFormatter,
    NullLocator,
)

__all__ = ["freq_ticks", "is_minor_tick_artist", "linear_ticks"]

# The minor-tick artists of each axes and what they draw: a re-used figure keeps them while
# the next capture's ticks are the same (plots._MarginFigure leaves them in place).
_MINOR: weakref.WeakKeyDictionary[Artist, Hashable] = weakref.WeakKeyDictionary()

_MAJOR_MHZ = (0.009, 0.015, 0.05, 0.15, 0.5, 1, 5, 10, 30, 100, 300, 1000, 3000, 6000, 18000)
_MINOR_LABELLED_MHZ = (0.1, 0.2, 0.3, 2, 3, 20, 50, 200, 500, 2000)

#: An axis end at most this far short of a round frequency is widened to it. [fraction]
_SNAP_REL = 0.002
#: Nearest a tick may sit to a labelled end, as a share of the (log) axis width.
_END_GAP = 0.04


def _is_round(freq_mhz: float) -> bool:
    """Return True for a frequency of at most two significant digits (30, 1000, 0.15, 230)."""
    if not freq_mhz > 0 or not math.isfinite(freq_mhz):
        return False
    m = freq_mhz / 10.0 ** math.floor(math.log10(freq_mhz)) * 10.0
    return abs(m - round(m)) < 1e-6 * m


def _widened(fmin_mhz: float, fmax_mhz: float) -> tuple[float, float]:
    """Return the axis ends, each moved outwards onto a round frequency within :data:`_SNAP_REL`."""

    def snap(v: float, outwards: Callable[[float], float]) -> float:
        step = 10.0 ** (math.floor(math.log10(v)) - 1)  # two significant digits
        r = round(outwards(v / step) * step, 12)
        return r if abs(r - v) <= _SNAP_REL * r else v

    return snap(fmin_mhz, math.floor), snap(fmax_mhz, math.ceil)


def _with_round_ends(major: list[float], fmin_mhz: float, fmax_mhz: float) -> list[float]:
    """Return ``major`` with each round axis end labelled; ticks crowding an end are dropped."""
    span = math.log10(fmax_mhz / fmin_mhz)
    out = list(major)
    for end in (fmin_mhz, fmax_mhz):
        if not _is_round(end) or any(abs(math.log10(t / end)) < 1e-9 for t in out):
            continue
        out = [t for t in out if abs(math.log10(t / end)) >= _END_GAP * span]
        out.append(end)
    return sorted(out)


def linear_ticks(fmin_mhz: float, fmax_mhz: float, nbins: int = 5) -> tuple[list[float], int]:
    """Return nicely rounded linear ticks [MHz] and the decimals that label them exactly.

    Steps 1, 2, 2.5, 5 x 10^n, inside ``[fmin, fmax]``.
    """
    loc = MaxNLocator(nbins=nbins, steps=[1, 2, 2.5, 5, 10])
    vals = [float(v) for v in loc.tick_values(fmin_mhz, fmax_mhz)]
    ticks = [v for v in vals if fmin_mhz * (1 - 1e-9) <= v <= fmax_mhz * (1 + 1e-9) and v > 0]
    if len(vals) < 2:
        return ticks, 3
    step = min(b - a for a, b in zip(vals, vals[1:], strict=False))
    nd = max(0, -math.floor(math.log10(step) + 1e-9))
    while nd < 12 and abs(round(step * 10**nd) - step * 10**nd) > 1e-6 * 10**nd * step:
        nd += 1
    return [round(t, nd) for t in ticks], nd


def is_minor_tick_artist(artist: Artist) -> bool:
    """Return True for an artist :func:`freq_ticks` drew (it replaces or keeps them itself)."""
    return artist in _MINOR


def _kept_minor(ax: Axes, key: Hashable) -> bool:
    """Keep ``ax``'s minor-tick artists if they draw ``key``; else remove them. Return kept."""
    old = [a for a in (*ax.collections, *ax.lines) if a in _MINOR]
    if old and all(_MINOR[a] == key for a in old):
        return True
    for a in old:
        a.remove()
    return False


def freq_ticks(axes: Sequence[Axes], fmin_mhz: float, fmax_mhz: float) -> list[float]:
    """Draw labelled major ticks on the (shared) log frequency axis.

    The minor ticks and grid lines at 2..9 x 10^n are drawn as one collection and two marker lines
    per axes rather than as ~40 ``Tick`` objects (five artists each), which saves ~15 % of a figure.
    Fewer than two decade-style ticks in range: linear ticks (:func:`linear_ticks`). Minor
    artists already on an axes that draw the same ticks are kept. On an axis of a decade or
    more, an end just short of a round frequency widens the axes' x range to it, and round
    ends are labelled (:func:`_with_round_ends`).

    Returns
    -------
    list of float
        The labelled major ticks, every one inside the axis range. [MHz]
    """
    decades = fmin_mhz > 0 and math.log10(fmax_mhz / fmin_mhz) >= 1.0
    if decades:
        lo, hi = _widened(fmin_mhz, fmax_mhz)
        if (lo, hi) != (fmin_mhz, fmax_mhz):
            axes[0].set_xlim(lo, hi)  # shared by every axes of the pair
            fmin_mhz, fmax_mhz = lo, hi
    major = [t for t in _MAJOR_MHZ if fmin_mhz * 0.999 <= t <= fmax_mhz * 1.001]
    if len(major) < 4:
        major = sorted(
            major + [t for t in _MINOR_LABELLED_MHZ if fmin_mhz * 0.999 <= t <= fmax_mhz * 1.001]
        )
    if decades:
        major = _with_round_ends(major, fmin_mhz, fmax_mhz)
    fmt = FuncFormatter(lambda v, _pos: f"{v:g}")
    if len(major) < 2:  # narrow span: nicely rounded linear ticks, as many digits as needed
        lin, nd = linear_ticks(fmin_mhz, fmax_mhz)
        if len(lin) >= 2:
            major = lin
            fmt = FuncFormatter(lambda v, _pos: f"{v:.{nd}f}")
    ax0 = axes[0]
    ax0.xaxis.set_major_locator(FixedLocator(major))
    ax0.xaxis.set_major_formatter(fmt)
    ax0.xaxis.set_minor_locator(NullLocator())  # shared by every axes of the pair
    ax0.xaxis.set_minor_formatter(NullFormatter())
    lo, hi = math.floor(math.log10(fmin_mhz)), math.ceil(math.log10(fmax_mhz))
    logs_major = np.log10(major) if major else np.empty(0)
    minor = [
        x
        for d in range(lo, hi + 1)
        for k in range(2, 10)
        if fmin_mhz <= (x := k * 10.0**d) <= fmax_mhz
        and not np.any(np.abs(logs_major - math.log10(x)) < 1e-5)
    ]
    size = float(mpl.rcParams["xtick.minor.size"])
    width = float(mpl.rcParams["xtick.minor.width"])
    colour = mpl.rcParams["xtick.color"]
    key = (tuple(minor), size, width, colour)
    for a in axes:
        if _kept_minor(a, key if minor else None) or not minor:
            continue
        tr = a.get_xaxis_transform()  # x in data, y in axes fraction
        grid = a.add_collection(
            LineCollection(
                [((x, 0.0), (x, 1.0)) for x in minor],
                colors="#e4e4e4",
                linewidths=0.4,
                transform=tr,
                zorder=0.5,
            ),
            autolim=False,
        )
        _MINOR[grid] = key
        for y, marker in ((0.0, TICKUP), (1.0, TICKDOWN)):  # ticks pointing inwards
            (ticks,) = a.plot(
                minor,
                [y] * len(minor),
                ls="none",
                marker=marker,
                ms=size,
                mew=width,
                color=colour,
                transform=tr,
                clip_on=False,
                zorder=0.5,
                scalex=False,
                scaley=False,
            )
            _MINOR[ticks] = key
    return major
