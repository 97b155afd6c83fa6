"""Compiled per-channel recursions of the receiver (numba), with the numpy fallback switch.

The QP charge law is nonlinear, so it cannot be written as a linear filter along time; the
per-sample recursion is compiled with numba and run over channel ranges in parallel threads
(:func:`split_rows`). The meter (two cascaded one-pole stages after a group mean) is fused
into the same pass so that the IF envelope is read once per detector and no per-sample
detector output is stored. When the capacitor voltage is at or above the envelope (the
charge law's ``x`` clips to 1, most samples once a detector has charged) the kernels skip
the division and the table lookup: the result is the same number, computed with fewer
operations. Every kernel is the sample-by-sample transcription of the numpy reference in
:mod:`rfcheck.receiver.detectors` (same operations, same order up to summation order of the
group mean), so both paths give the same readings to well within 0.01 dB
(``tests/receiver/test_receiver_speed_consistency.py``).

The channeliser's kernels are in :mod:`rfcheck.receiver._ifkernels`.

``HAVE_NUMBA`` is False when numba cannot be imported (e.g. a Python numba does not support
yet); :mod:`rfcheck.receiver.detectors` then runs its numpy path.

References
----------
CISPR 16-1-1 §3.4-3.6 (QP detector and meter definitions); S. K. Lam, A. Pitrou, S. Seibert,
"Numba: a LLVM-based Python JIT compiler", LLVM-HPC 2015.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ..errors import ReceiverError

__all__ = [
    "HAVE_NUMBA",
    "N_THREADS",
    "split_rows",
    "start_rows",
    "no_wait",
    "qp_meter",
    "meter",
    "peak_track",
    "qp_cav_peak",
    "rms_meter",
    "compiled",
    "step",
    "use_compiled",
    "as_float32",
    "as_lanes",
    "rows_of",
]

try:  # pragma: no cover - exercised by whichever environment runs the tests
    from numba import njit

    HAVE_NUMBA = True
except ImportError:  # pragma: no cover
    HAVE_NUMBA = False

    def njit(*_a: Any, **_k: Any) -> Any:  # type: ignore[no-redef]
        """Stand-in decorator when numba is missing: the function stays plain Python."""

        def wrap(f: Any) -> Any:
            return f

        return wrap


def compiled(f: Any) -> Any:
    """``njit`` with the on-disk cache when a cache folder is writable, without it otherwise.

    numba caches next to the source (``__pycache__``), else in ``NUMBA_CACHE_DIR`` or the
    user's cache folder; when none is writable (a read-only install run by a user without a
    writable home) ``cache=True`` raises "no locator available". The kernels then compile
    in memory on first use: slower to start, same results.
    """
    try:
        return njit(cache=True, nogil=True, fastmath=False)(f)
    except RuntimeError:  # pragma: no cover - tested in a subprocess (tests/adversarial)
        return njit(cache=False, nogil=True, fastmath=False)(f)


def step(f: Any) -> Any:
    """``njit`` for a step that kernels share (the QP charge, the meter, an FFT stage).

    Not cached on its own: the step is compiled into each :func:`compiled` kernel that
    calls it, where LLVM inlines it (as fast as writing it out in each kernel; numba's own
    ``inline="always"`` made the fused detector kernel ~8 % slower). Plain Python without
    numba.
    """
    return njit(nogil=True)(f)


def use_compiled(backend: str | None) -> bool:
    """Return True for the compiled path; ``None`` picks numba when it is importable.

    Raises
    ------
    ReceiverError
        ``backend`` is not ``"numba"``, ``"numpy"`` or None, or is ``"numba"`` while numba
        is not importable.
    """
    if backend is None:
        return HAVE_NUMBA
    if backend == "numba":
        if not HAVE_NUMBA:
            raise ReceiverError("backend 'numba' requested but numba is not importable")
        return True
    if backend == "numpy":
        return False
    raise ReceiverError(f"backend must be 'numba', 'numpy' or None, got {backend!r}")


def as_float32(e: NDArray[np.floating]) -> NDArray[np.float32]:
    """Return ``e`` as a C-contiguous float32 array (the kernels' envelope layout)."""
    return np.ascontiguousarray(e, dtype=np.float32)


def as_lanes(e: NDArray[np.floating]) -> NDArray[np.float32]:
    """Return ``e`` (n_channels, n) lanes last, float32: shape (ceil(n_channels / 16), n, 16).

    The layout of :func:`qp_cav_peak`'s envelope; padding lanes are 0.
    """
    n_ch, n = e.shape
    n_blk = -(-n_ch // _LANES)
    out = np.zeros((n_blk, n, _LANES), np.float32)
    full = n_ch // _LANES
    if full:
        out[:full] = e[: full * _LANES].reshape(full, _LANES, n).transpose(0, 2, 1)
    if n_blk > full:
        out[full, :, : n_ch - full * _LANES] = e[full * _LANES :].T
    return out


def rows_of(e: NDArray[np.float32], n_ch: int) -> NDArray[np.float32]:
    """Return the first ``n_ch`` channels of lanes-last ``e`` (:func:`as_lanes`) as rows."""
    n_blk, n, lanes = e.shape
    return np.ascontiguousarray(e.transpose(0, 2, 1).reshape(n_blk * lanes, n)[:n_ch])


#: Worker threads for :func:`split_rows` (the CPUs this process may run on, at most 8).
N_THREADS = max(
    1,
    min(
        8,
        len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1),
    ),
)
_POOL: ThreadPoolExecutor | None = None


def split_rows(
    n_rows: int, fn: Callable[[int, int], None], min_rows: int = 64, parts: int | None = None
) -> None:
    """Run ``fn(lo, hi)`` over contiguous row ranges covering ``[0, n_rows)`` in threads.

    The kernels release the GIL (``nogil=True``), as do numpy ufuncs and scipy.fft, so
    channel ranges run concurrently. Coarse tasks (a few per thread) are used instead of
    numba's ``parallel=True``: its OpenMP barrier costs milliseconds per call when the
    cores are shared with other processes.

    Parameters
    ----------
    n_rows : int
        Number of channels.
    fn : callable
        ``fn(lo, hi)`` processes rows ``lo:hi``; it must only write those rows.
    min_rows : int
        Do not split below this many rows per part.
    parts : int, optional
        Number of parts; default :data:`N_THREADS`.
    """
    start_rows(n_rows, fn, min_rows, parts)()


def start_rows(
    n_rows: int, fn: Callable[[int, int], None], min_rows: int = 64, parts: int | None = None
) -> Callable[[], None]:
    """Start :func:`split_rows`'s tasks without waiting; returns the function that waits.

    The tasks queue in the worker pool behind any started earlier, so a caller can prepare
    its next step (read and check input, queue more tasks) while they run. Calling the
    returned function waits for every task and re-raises the first exception. A single
    part runs at once, in the calling thread.
    """
    global _POOL
    n_parts = max(1, min(parts or N_THREADS, n_rows // max(1, min_rows)))
    if n_parts == 1:
        fn(0, n_rows)
        return no_wait
    if _POOL is None:
        _POOL = ThreadPoolExecutor(N_THREADS, thread_name_prefix="rfcheck-rx")
    edges = np.linspace(0, n_rows, n_parts + 1).astype(int)
    futs = [
        _POOL.submit(fn, int(lo), int(hi)) for lo, hi in zip(edges[:-1], edges[1:], strict=True)
    ]

    def wait() -> None:
        for f in futs:
            f.result()

    return wait


def no_wait() -> None:
    """Return at once: the wait of work that is already done (or was never queued)."""


#: Channels the QP kernel advances together (hides the per-sample latency chain).
_LANES = 16


@step
def _qp_step(vc, ei, phi, grid, phi_top, decay):  # type: ignore[no-untyped-def]
    """One sample of the QP charge law: capacitor voltage ``vc`` after envelope sample ``ei``.

    ``max(Φ(vc/ei) · ei, vc · decay)``: the one-step flow map ``phi`` (sampled at
    ``x = k/grid``, linearly interpolated) while the rectifier conducts, the free discharge
    otherwise. When ``vc >= ei`` the ratio clips to 1 (``k = grid``, fraction 0), so ``q``
    is ``phi_top · ei`` without the division or the lookup: the same number, fewer
    operations. Shared by every kernel that runs the QP detector (compiled into each).
    """
    if vc >= ei:
        q = phi_top * ei
    else:
        x = vc / (ei + 1e-300)
        if x > 1.0:
            x = 1.0
        x *= grid
        k = int(x)
        fr = x - k
        lo = phi[k]
        q = (lo + fr * (phi[k + 1] - lo)) * ei
    d = vc * decay
    return q if q > d else d


@step
def _meter_step(s, z0, z1, m, group, b0, a1, a2):  # type: ignore[no-untyped-def]
    """One meter output from a completed group sum ``s``: returns the new ``(z0, z1, max)``.

    The group mean ``s / group`` through ``b0 / (1 + a1 z⁻¹ + a2 z⁻²)`` (direct form II
    transposed, as ``scipy.signal.lfilter``), and the running maximum ``m`` of its output.
    Shared by every kernel that runs a meter (compiled into each).
    """
    y = b0 * (s / group) + z0
    return z1 - a1 * y, -a2 * y, y if y > m else m


@compiled
def qp_meter(e, v, phi, grid, decay, acc, zi, mx, pos, group, b0, a1, a2):  # type: ignore[no-untyped-def]
    """Run the QP charge recursion and its meter over one block, in place.

    Parameters
    ----------
    e : ndarray, shape (ceil(n_channels / _LANES), n, _LANES), float32, C-contiguous
        IF envelope lanes last (:func:`as_lanes`: the ``_LANES`` channels advanced together
        are read with one contiguous load per time step). [V]
    v : ndarray, shape (n_channels,), float64
        Detector (capacitor) voltage; updated. [V]
    phi : ndarray, shape (grid + 2,)
        One-step flow map of the normalised charge ODE sampled at ``x = k/grid``
        (last entry 0, guard for ``x = 1``).
    grid : int
        Table resolution.
    decay : float
        Free discharge factor per sample ``exp(-h/τ_D)``.
    acc : ndarray, shape (n_channels,)
        Partial group sum of the meter input; updated. [V]
    zi : ndarray, shape (n_channels, 2)
        Meter filter state (direct form II transposed, as ``scipy.signal.lfilter``); updated.
    mx : ndarray, shape (n_channels,)
        Maximum meter output so far; updated. [V]
    pos : int
        Samples already in the partial group (same for every channel).
    group : int
        Meter group length ``G``.
    b0, a1, a2 : float
        Meter coefficients ``b = [b0]``, ``a = [1, a1, a2]``.

    Returns
    -------
    int
        New ``pos``.
    """
    n_ch = v.shape[0]
    n = e.shape[1]
    # _LANES channels advance in lockstep: their recursions are independent, so the CPU
    # overlaps their latency chains (division, table lookup) instead of waiting on one
    phi_top = phi[grid]
    vv = np.empty(_LANES)
    ss = np.empty(_LANES)
    za = np.empty(_LANES)
    zb = np.empty(_LANES)
    mm = np.empty(_LANES)
    for c0 in range(0, n_ch, _LANES):
        nl = min(_LANES, n_ch - c0)
        for ln in range(nl):
            vv[ln] = v[c0 + ln]
            ss[ln] = acc[c0 + ln]
            za[ln] = zi[c0 + ln, 0]
            zb[ln] = zi[c0 + ln, 1]
            mm[ln] = mx[c0 + ln]
        p = pos
        for i in range(n):
            for ln in range(nl):
                vc = _qp_step(vv[ln], np.float64(e[c0 // _LANES, i, ln]), phi, grid, phi_top, decay)
                vv[ln] = vc
                ss[ln] += vc
            p += 1
            if p == group:
                for ln in range(nl):
                    za[ln], zb[ln], mm[ln] = _meter_step(
                        ss[ln], za[ln], zb[ln], mm[ln], group, b0, a1, a2
                    )
                    ss[ln] = 0.0
                p = 0
        for ln in range(nl):
            v[c0 + ln] = vv[ln]
            acc[c0 + ln] = ss[ln]
            zi[c0 + ln, 0] = za[ln]
            zi[c0 + ln, 1] = zb[ln]
            mx[c0 + ln] = mm[ln]
    return (pos + n) % group


@compiled
def meter(u, acc, zi, mx, pos, group, b0, a1, a2):  # type: ignore[no-untyped-def]
    """Critically damped meter over one block (group mean then 2-pole IIR), in place.

    Same state and coefficients as :func:`qp_meter`; ``u`` is the meter input,
    shape (n_channels, n). Returns the new ``pos``.
    """
    n_ch, n = u.shape
    for c in range(n_ch):
        s = acc[c]
        z0 = zi[c, 0]
        z1 = zi[c, 1]
        m = mx[c]
        p = pos
        for i in range(n):
            s += np.float64(u[c, i])
            p += 1
            if p == group:
                z0, z1, m = _meter_step(s, z0, z1, m, group, b0, a1, a2)
                s = 0.0
                p = 0
        acc[c] = s
        zi[c, 0] = z0
        zi[c, 1] = z1
        mx[c] = m
    return (pos + n) % group


@compiled
def peak_track(e, hist, best, n_seen):  # type: ignore[no-untyped-def]
    """Track the largest envelope sample that has both neighbours, with its neighbours.

    Parameters
    ----------
    e : ndarray, shape (n_channels, n)
        IF envelope. [V]
    hist : ndarray, shape (n_channels, 2), float64
        The last two samples seen (``[-2], [-1]``); updated.
    best : ndarray, shape (n_channels, 3), float64
        ``(left, max, right)`` of the first largest interior sample so far; updated.
    n_seen : int
        Samples seen before this block.
    """
    n_ch, n = e.shape
    for c in range(n_ch):
        p1 = hist[c, 0]
        p0 = hist[c, 1]
        b = best[c, 1]
        for i in range(n):
            s = np.float64(e[c, i])
            if n_seen + i >= 2 and p0 > b:
                b = p0
                best[c, 0] = p1
                best[c, 1] = p0
                best[c, 2] = s
            p1 = p0
            p0 = s
        hist[c, 0] = p1
        hist[c, 1] = p0


@compiled
def qp_cav_peak(  # type: ignore[no-untyped-def]
    e,
    v,
    phi,
    grid,
    decay,
    qacc,
    qzi,
    qmx,
    cacc,
    czi,
    cmx,
    hist,
    best,
    n_seen,
    pos,
    group,
    b0,
    a1,
    a2,
):
    """Peak tracker, QP detector with its meter and the CISPR-average meter in one pass.

    The fused form of :func:`peak_track`, :func:`qp_meter` and :func:`meter` (same state
    arrays, same operations per channel in the same order), for a QP meter and a
    CISPR-average meter with the same group length and coefficients: the envelope is read
    once instead of three times, ``_LANES`` channels in lockstep, lanes last so that each
    time step of a lane group is one contiguous load (:func:`as_lanes`; rows 8 KiB apart
    would alias in the L1 cache). The peak tracker's history (the two samples before the
    block) is read for the block's first two samples only; after them a sample's
    neighbours are read from ``e``.

    Parameters
    ----------
    e : ndarray, shape (ceil(n_channels / _LANES), n, _LANES), C-contiguous
        IF envelope, channel ``c`` at ``e[c // _LANES, :, c % _LANES]`` (padding lanes are
        not read). [V]
    v, phi, grid, decay, qacc, qzi, qmx
        QP state and tables, as ``v, phi, grid, decay, acc, zi, mx`` of :func:`qp_meter`.
    cacc, czi, cmx
        CISPR-average meter state, as ``acc, zi, mx`` of :func:`meter`.
    hist, best, n_seen
        Peak tracker state, as in :func:`peak_track`.
    pos, group, b0, a1, a2
        Meter phase, group length and coefficients shared by both meters.

    Returns
    -------
    int
        New ``pos``.
    """
    n_ch = v.shape[0]
    n = e.shape[1]
    phi_top = phi[grid]
    vv = np.empty(_LANES)
    ss = np.empty(_LANES)
    za = np.empty(_LANES)
    zb = np.empty(_LANES)
    mm = np.empty(_LANES)
    cs = np.empty(_LANES)
    ca = np.empty(_LANES)
    cb = np.empty(_LANES)
    cm = np.empty(_LANES)
    h1 = np.empty(_LANES)
    h0 = np.empty(_LANES)
    pb = np.empty(_LANES)
    for c0 in range(0, n_ch, _LANES):
        nl = min(_LANES, n_ch - c0)
        for ln in range(nl):
            c = c0 + ln
            vv[ln] = v[c]
            ss[ln] = qacc[c]
            za[ln] = qzi[c, 0]
            zb[ln] = qzi[c, 1]
            mm[ln] = qmx[c]
            cs[ln] = cacc[c]
            ca[ln] = czi[c, 0]
            cb[ln] = czi[c, 1]
            cm[ln] = cmx[c]
            h1[ln] = hist[c, 0]
            h0[ln] = hist[c, 1]
            pb[ln] = best[c, 1]
        p = pos
        blk = c0 // _LANES
        for i in range(n):
            if i < 2:
                # a sample's neighbours before the block come from the tracker's history
                interior = n_seen + i >= 2
                for ln in range(nl):
                    ei = np.float64(e[blk, i, ln])
                    p0 = h0[ln]
                    if interior and p0 > pb[ln]:
                        pb[ln] = p0
                        best[c0 + ln, 0] = h1[ln]
                        best[c0 + ln, 1] = p0
                        best[c0 + ln, 2] = ei
                    h1[ln] = p0
                    h0[ln] = ei
                    cs[ln] += ei
                    vc = _qp_step(vv[ln], ei, phi, grid, phi_top, decay)
                    vv[ln] = vc
                    ss[ln] += vc
            else:
                # from the third sample on (which always has both neighbours) they are
                # read back from the envelope, still in the L1 cache: no history is stored
                # per sample (~11 % of this kernel's time)
                for ln in range(nl):
                    ei = np.float64(e[blk, i, ln])
                    p0 = np.float64(e[blk, i - 1, ln])
                    if p0 > pb[ln]:
                        pb[ln] = p0
                        best[c0 + ln, 0] = np.float64(e[blk, i - 2, ln])
                        best[c0 + ln, 1] = p0
                        best[c0 + ln, 2] = ei
                    cs[ln] += ei
                    vc = _qp_step(vv[ln], ei, phi, grid, phi_top, decay)
                    vv[ln] = vc
                    ss[ln] += vc
            p += 1
            if p == group:
                for ln in range(nl):
                    za[ln], zb[ln], mm[ln] = _meter_step(
                        ss[ln], za[ln], zb[ln], mm[ln], group, b0, a1, a2
                    )
                    ss[ln] = 0.0
                    ca[ln], cb[ln], cm[ln] = _meter_step(
                        cs[ln], ca[ln], cb[ln], cm[ln], group, b0, a1, a2
                    )
                    cs[ln] = 0.0
                p = 0
        if n >= 2:
            for ln in range(nl):
                h1[ln] = np.float64(e[blk, n - 2, ln])
                h0[ln] = np.float64(e[blk, n - 1, ln])
        for ln in range(nl):
            c = c0 + ln
            v[c] = vv[ln]
            qacc[c] = ss[ln]
            qzi[c, 0] = za[ln]
            qzi[c, 1] = zb[ln]
            qmx[c] = mm[ln]
            cacc[c] = cs[ln]
            czi[c, 0] = ca[ln]
            czi[c, 1] = cb[ln]
            cmx[c] = cm[ln]
            hist[c, 0] = h1[ln]
            hist[c, 1] = h0[ln]
    return (pos + n) % group


@compiled
def rms_meter(e, s, a, acc, zi, mx, pos, group, b0, a1, a2):  # type: ignore[no-untyped-def]
    """RMS integrator ``s ← a·s + (1 - a)·e²`` then the meter on ``√s``, in place.

    The integrator is the one-pole filter ``b = [1 - a]``, ``a = [1, -a]`` of
    :class:`rfcheck.receiver.detectors.RmsAverageDetector` (state ``s``, shape
    (n_channels,)); the meter state and coefficients are as in :func:`meter`.
    Returns the new ``pos``.
    """
    n_ch, n = e.shape
    g = 1.0 - a
    for c in range(n_ch):
        sc = s[c]
        acc_c = acc[c]
        z0 = zi[c, 0]
        z1 = zi[c, 1]
        m = mx[c]
        p = pos
        for i in range(n):
            ei = np.float64(e[c, i])
            sc = g * (ei * ei) + a * sc
            acc_c += np.sqrt(sc) if sc > 0.0 else 0.0
            p += 1
            if p == group:
                z0, z1, m = _meter_step(acc_c, z0, z1, m, group, b0, a1, a2)
                acc_c = 0.0
                p = 0
        s[c] = sc
        acc[c] = acc_c
        zi[c, 0] = z0
        zi[c, 1] = z1
        mx[c] = m
    return (pos + n) % group
