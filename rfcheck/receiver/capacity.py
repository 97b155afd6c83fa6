"""How much one receiver run may be asked to compute: at most :data:`MAX_FREQUENCIES`.

Each measured frequency is one channel of the receiver's filter bank, and the bank holds a
block of IF samples per channel: ``--step 1`` over Band B (150 kHz .. 30 MHz) asks for about
30 million channels, tens of GiB. The count is checked before anything is allocated. The
limit is rfcheck's own, not a figure from CISPR 16-1-1: the default scan (two frequencies per
RBW, :func:`~rfcheck.receiver.default_frequencies`) of the widest band, C/D
(30 MHz .. 1 GHz at 60 kHz), visits about 16,200 frequencies; the limit leaves six times
that.
"""

from __future__ import annotations

from ..errors import ReceiverError

__all__ = ["MAX_FREQUENCIES", "check_frequency_count"]

#: Most frequencies one receiver run measures.
MAX_FREQUENCIES = 100_000


def check_frequency_count(count: int | float, what: str = "") -> None:
    """Raise :class:`ReceiverError` when ``count`` frequencies exceed :data:`MAX_FREQUENCIES`.

    Parameters
    ----------
    count : int or float
        Frequencies asked for (a float from a span / step estimate may be huge or inf).
    what : str
        How they were asked for, e.g. ``"--step 1 Hz from 150 kHz to 30 MHz"``.
    """
    if not count <= MAX_FREQUENCIES:  # also catches NaN
        shown = f"{count:,.0f}" if count < 1e15 else f"{count:.3g}"
        by = f" ({what})" if what else ""
        raise ReceiverError(
            f"{shown} frequencies asked for{by}; a receiver run measures at most "
            f"{MAX_FREQUENCIES:,}: use a larger step or a narrower range"
        )
