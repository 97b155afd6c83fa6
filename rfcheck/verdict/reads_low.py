"""Instrument settings a file states that let a trace read low: its readings lower bounds at most.

Two kinds (``docs/verdict.md``, "Trace mode"): a setting the reader names in
:attr:`rfcheck.capture.Trace.reads_low` (a gated sweep), and a peak trace whose stated VBW
is narrow against its RBW (:func:`video_filter_reason`), read here from the trace's own
``vbw_hz`` and ``rbw_hz``. :func:`rfcheck.verdict.bounds.demote` weakens such a trace's
bounds as it does a trace-average trace's, with these reasons as its notes.

References
----------
docs/references.md §4f (the VBW factor: rfcheck's own allowance, UNCONFIRMED).
"""

from __future__ import annotations

from typing import Protocol

from ..capture import Detector
from ..frequency import format_hz

__all__ = ["NARROW_VBW_FACTOR", "reads_low_reasons", "video_filter_reason"]

#: A peak trace whose stated VBW is below this × its RBW (the -6 dB width rfcheck keeps) was
#: video-filtered: no upper bound from it. Analysers couple the VBW to the RBW's -3 dB width
#: at 1:1 by default, which is 0.7-0.76 × the -6 dB width (kept); the next ratio down on the
#: 1-3-10 steps, 0.3, is 0.2-0.23 × (demoted). rfcheck's own allowance, not a value of any
#: standard (UNCONFIRMED, docs/references.md §4f).
NARROW_VBW_FACTOR = 0.5


class _Settings(Protocol):
    """What the rules read of a trace (:class:`~rfcheck.capture.Trace` or a corrected one)."""

    @property
    def detector(self) -> Detector: ...

    @property
    def rbw_hz(self) -> float | None: ...

    @property
    def vbw_hz(self) -> float | None: ...

    @property
    def reads_low(self) -> str: ...


def video_filter_reason(
    detector: Detector, rbw_hz: float | None, vbw_hz: float | None
) -> str | None:
    """Why a peak trace's VBW lets it read low, or None.

    A video filter narrower than the RBW smooths the detected envelope before the peak
    detector, so an impulsive or bursty emission reads below its peak (and may read below
    its quasi-peak or average): the trace bounds no other detector's line from above. Only a
    peak trace: the quasi-peak, average and rms detectors bypass the video filter (the
    Keysight X-series VBW/RBW auto-coupling rules, docs/references.md §4f). None when the
    VBW or RBW is not stated. [Hz]
    """
    if detector is not Detector.PEAK or rbw_hz is None or vbw_hz is None or rbw_hz <= 0:
        return None
    if vbw_hz >= NARROW_VBW_FACTOR * rbw_hz:
        return None
    return (
        f"VBW {format_hz(vbw_hz)} is below {NARROW_VBW_FACTOR:g} × its RBW {format_hz(rbw_hz)} "
        "(a video-filtered peak trace: an impulsive or intermittent emission reads below its "
        "peak, and may read below its quasi-peak or average)"
    )


def reads_low_reasons(t: _Settings) -> list[str]:
    """Return why the file's settings let ``t`` read low: its stated setting, then its VBW."""
    reasons = [t.reads_low] if t.reads_low else []
    vbw = video_filter_reason(t.detector, t.rbw_hz, t.vbw_hz)
    return reasons + ([vbw] if vbw else [])
