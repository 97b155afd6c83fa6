"""A bank of detectors advanced together over one IF envelope, whole or by channel ranges.

:func:`push_all` advances every detector of a run over an envelope block (same result as
``det.push(e)`` for each). With the compiled backend every detector is a per-channel loop,
so the bank can also be advanced one channel range at a time (:func:`push_rows`, or
:func:`push_lanes` for the envelope lanes last as the IF kernel writes it, from several
threads on disjoint ranges) and the shared sample counters moved on once the whole block is
done (:func:`advance`): the channeliser then hands each chunk of channels to the detectors
while its envelope is still in the cache
(:meth:`~rfcheck.receiver.channeliser.Channeliser.start_envelope_to`). A channel's readings
depend only on its own samples, taken in order, so the split into ranges and threads does
not change any reading. A peak, a quasi-peak and a CISPR-average detector whose meters share
``τ_M`` (every CISPR band) run as one fused kernel
(:func:`rfcheck.receiver._kernels.qp_cav_peak`) that reads the envelope once, lanes last.

The numpy reference detectors advance only over whole blocks (:func:`rows_ready` is False).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from . import _kernels as _k
from .detectors import (
    _GRID,
    CisprAverageDetector,
    PeakDetector,
    QuasiPeakDetector,
    RmsAverageDetector,
)

__all__ = ["AnyDetector", "push_all", "push_rows", "push_lanes", "advance", "rows_ready"]

#: Any of the receiver's detectors.
AnyDetector = PeakDetector | QuasiPeakDetector | CisprAverageDetector | RmsAverageDetector


def rows_ready(detectors: Sequence[AnyDetector]) -> bool:
    """Return True when every detector runs compiled, so channel ranges can advance apart."""
    return all(det._fast if isinstance(det, PeakDetector) else det.meter._fast for det in detectors)


def _fusable(pk: PeakDetector, qp: QuasiPeakDetector, av: CisprAverageDetector) -> bool:
    """Return True when the three can advance in one compiled pass (same meter, same phase)."""
    qm, am = qp.meter, av.meter
    return (
        pk._fast
        and qp._fast
        and am._fast
        and qm.group == am.group
        and qm._pos == am._pos
        and qm.coefficients() == am.coefficients()
    )


def _fused_triple(
    detectors: Sequence[AnyDetector],
) -> tuple[PeakDetector, QuasiPeakDetector, CisprAverageDetector] | None:
    pk = next((d for d in detectors if isinstance(d, PeakDetector)), None)
    qp = next((d for d in detectors if isinstance(d, QuasiPeakDetector)), None)
    av = next((d for d in detectors if isinstance(d, CisprAverageDetector)), None)
    if pk is None or qp is None or av is None or not _fusable(pk, qp, av):
        return None
    return pk, qp, av


def _push_fused(
    pk: PeakDetector,
    qp: QuasiPeakDetector,
    av: CisprAverageDetector,
    lanes: NDArray[np.float32],
    lo: int,
    hi: int,
) -> None:
    """Advance the fused triple over ``lanes``, channels ``lo:hi`` lanes last (as_lanes)."""
    qm, am = qp.meter, av.meter
    q_acc, q_zi, q_max, pos, group = qm.state(lo, hi)
    a_acc, a_zi, a_max, _, _ = am.state(lo, hi)  # same phase and group (_fusable)
    _k.qp_cav_peak(
        lanes,
        qp._v[lo:hi],
        qp._phi,
        _GRID,
        qp._decay,
        q_acc,
        q_zi,
        q_max,
        a_acc,
        a_zi,
        a_max,
        pk._hist[lo:hi],
        pk._best[lo:hi],
        pk._seen,
        pos,
        group,
        *qm.coefficients(),
    )


class _Envelope:
    """One envelope block of channels ``lo:hi`` in the layout each kernel reads, made once.

    The lockstep kernels (:func:`~rfcheck.receiver._kernels.qp_cav_peak`,
    :func:`~rfcheck.receiver._kernels.qp_meter`) read it lanes last, the per-channel ones
    (peak, meters, RMS) by rows; whichever layout is not given is copied on first use
    (one of the two is always given).
    """

    def __init__(
        self, n_ch: int, rows: NDArray[np.floating] | None, lanes: NDArray[np.float32] | None
    ) -> None:
        self.n_ch = n_ch
        self._rows = None if rows is None else _k.as_float32(rows)
        self._lanes = None if lanes is None else np.ascontiguousarray(lanes, np.float32)

    def rows(self) -> NDArray[np.float32]:
        """Return the envelope as (n_ch, n), float32, C-contiguous."""
        if self._rows is None:
            self._rows = _k.rows_of(self.lanes(), self.n_ch)
        return self._rows

    def lanes(self) -> NDArray[np.float32]:
        """Return the envelope lanes last, (ceil(n_ch / 16), n, 16), float32."""
        if self._lanes is None:
            self._lanes = _k.as_lanes(self.rows())
        return self._lanes


def _push_one(det: AnyDetector, env: _Envelope, lo: int, hi: int) -> None:
    if isinstance(det, PeakDetector):
        _k.peak_track(env.rows(), det._hist[lo:hi], det._best[lo:hi], det._seen)
        return
    mt = det.meter
    state = mt.state(lo, hi)
    coef = mt.coefficients()
    if isinstance(det, QuasiPeakDetector):
        _k.qp_meter(env.lanes(), det._v[lo:hi], det._phi, _GRID, det._decay, *state, *coef)
    elif isinstance(det, CisprAverageDetector):
        _k.meter(env.rows(), *state, *coef)
    else:
        _k.rms_meter(env.rows(), det._s[lo:hi], float(-det._a[1]), *state, *coef)


def _push(detectors: Sequence[AnyDetector], env: _Envelope, lo: int, hi: int) -> None:
    triple = _fused_triple(detectors)
    if triple is not None:
        _push_fused(*triple, env.lanes(), lo, hi)
    for det in detectors:
        if triple is None or det not in triple:
            _push_one(det, env, lo, hi)


def push_rows(detectors: Sequence[AnyDetector], e: NDArray[np.floating], lo: int, hi: int) -> None:
    """Advance channels ``lo:hi`` of every detector over ``e`` (their envelope block).

    ``e`` has shape ``(hi - lo, n)`` (IF envelope, peak volts). The sample counters shared
    by all channels do not move: call :func:`advance` once every range has seen the block.
    Disjoint ranges may run in concurrent threads. Only for :func:`rows_ready` detectors.
    """
    _push(detectors, _Envelope(hi - lo, e, None), lo, hi)


def push_lanes(
    detectors: Sequence[AnyDetector], lanes: NDArray[np.float32], lo: int, hi: int
) -> None:
    """Advance channels ``lo:hi`` as :func:`push_rows` does, the envelope given lanes last.

    ``lanes`` has shape ``(ceil((hi - lo) / 16), n, 16)``, channel ``lo + c`` at
    ``lanes[c // 16, :, c % 16]`` (the layout the IF kernel writes): the quasi-peak kernels
    read it as it is, the other detectors from a row-major copy.
    """
    _push(detectors, _Envelope(hi - lo, None, lanes), lo, hi)


def advance(detectors: Sequence[AnyDetector], n: int) -> None:
    """Move the detectors' shared sample counters on by ``n`` after :func:`push_rows`."""
    for det in detectors:
        if isinstance(det, PeakDetector):
            det._seen += n
        else:
            det.meter.advance(n)


def push_all(detectors: Sequence[AnyDetector], e: NDArray[np.floating]) -> None:
    """Advance every detector over ``e`` (IF envelope, peak volts, (n_channels, n)).

    Same result as ``det.push(e)`` for each; compiled detectors advance together, channel
    ranges split over the threads of :func:`~rfcheck.receiver._kernels.split_rows`.
    """
    if not rows_ready(detectors):
        for det in detectors:
            det.push(e)
        return
    e32 = _k.as_float32(e)
    _k.split_rows(e32.shape[0], lambda lo, hi: push_rows(detectors, e32[lo:hi], lo, hi))
    advance(detectors, e32.shape[1])
