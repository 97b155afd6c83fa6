"""Compiled kernels of the IF filter bank (numba): real spectra, the gather, the envelope stage.

:func:`real_spectrum` turns the FFT of a real segment's samples packed in pairs into its
one-sided spectrum (a complex FFT of half the length: faster than scipy's real FFT).
:func:`gather_weight` picks the bins around each channel centre, weighted by the IF
response, for scipy's inverse FFT. :func:`channel_envelope` does the whole envelope stage in
one pass: the gather, a radix-2 inverse FFT and ``|y|``, with ``LANES_IF`` channels side by
side in the lanes of one vector register, since pocketfft cannot vectorise across many
short transforms. All are used by :class:`rfcheck.receiver.channeliser.Channeliser`, which
falls back to scipy's real FFT, :func:`numpy.take` and scipy's FFT without numba.

References
----------
J. W. Cooley, J. W. Tukey, "An algorithm for the machine calculation of complex Fourier
series", Math. Comp. 19, 1965 (radix-2 FFT); E. O. Brigham, "The Fast Fourier Transform",
Prentice-Hall, 1974, ch. 10 (a real sequence's FFT from a complex FFT of half its length);
M. Borgerding, "Turning overlap-save into a
multiband mixing, downsampling filter bank", IEEE Signal Processing Magazine, 2006.
"""

from __future__ import annotations

import numpy as np

from ._kernels import compiled, step

__all__ = ["LANES_IF", "channel_envelope", "gather_weight", "real_spectrum"]


# The kernels index with unsigned offsets where they can: numba wraps negative signed
# indices (a test and a select per access), which kept LLVM from vectorising the lane loops
# of the envelope stage (the butterflies ran 2.3x slower, the output copy scalar).
_U = np.uint64


@compiled
def gather_weight(spec, base, w, out):  # type: ignore[no-untyped-def]
    """``out[c, j] = spec[(base[c] + rel[j]) mod m] · w[c, j]`` with FFT-order ``rel``.

    ``rel`` is ``0 .. K/2-1, -K/2 .. -1`` (``K = out.shape[1]``), ``m = len(spec)``: the
    bins around each channel centre in the order a length-``K`` inverse FFT expects.
    ``base`` must lie in ``[0, m)`` and ``K <= m``.
    """
    n_ch, k = out.shape
    m = spec.shape[0]
    half = k // 2
    for c in range(n_ch):
        b = base[c]
        if half <= b <= m - half:  # no wrap: two contiguous runs the compiler vectorises
            for j in range(half):
                out[c, j] = spec[b + j] * w[c, j]
            for j in range(half, k):
                out[c, j] = spec[b + j - k] * w[c, j]
            continue
        for j in range(k):
            i = b + j if j < half else b + j - k
            if i < 0:
                i += m
            elif i >= m:
                i -= m
            out[c, j] = spec[i] * w[c, j]


@compiled
def real_spectrum(z, tw, k0, out):  # type: ignore[no-untyped-def]
    """Bins of a real segment's spectrum from the FFT of its samples packed in pairs.

    For real ``x`` of even length ``N`` and ``z`` the length-``N/2`` FFT of
    ``x[0::2] + i x[1::2]``, writes ``out[i] = X[k0 + i]`` (what ``rfft(x)[k0 + i]`` returns)
    with ``X[k] = E[k] + W^k O[k]``, ``E[k] = (Z[k] + Z*[N/2-k]) / 2``, ``O[k] = (Z[k] -
    Z*[N/2-k]) / 2i`` and ``W^k = tw[i] = exp(-2πi k / N)``. scipy's complex FFT of half
    the length and this pass take ~55 % of the time of its real FFT, with the same
    rounding error (single precision).

    Parameters
    ----------
    z : ndarray, shape (N/2,), complex
        FFT of the packed samples.
    tw : ndarray, shape (n,), complex
        ``exp(-2πi (k0 + i) / N)``.
    k0 : int
        First bin written, ``0 <= k0`` and ``k0 + n - 1 <= N/2``.
    out : ndarray, shape (n,), complex
        The bins ``k0 .. k0 + n - 1`` of the one-sided spectrum; written.
    """
    m = z.shape[0]
    um = _U(m)
    n = out.shape[0]
    a = z[0]
    if k0 == 0:
        out[0] = a.real + a.imag
    if k0 + n > m:  # the bin at N/2
        out[m - k0] = a.real - a.imag
    off = _U(k0)
    for k in range(max(k0, 1), min(k0 + n, m)):
        uk = _U(k)
        a = z[uk]
        b = z[um - uk]
        er = 0.5 * (a.real + b.real)
        ei = 0.5 * (a.imag - b.imag)
        orr = 0.5 * (a.imag + b.imag)
        oi = 0.5 * (b.real - a.real)
        w = tw[uk - off]
        out[uk - off] = complex(er + w.real * orr - w.imag * oi, ei + w.real * oi + w.imag * orr)


#: Channels one :func:`channel_envelope` block transforms together (one AVX-512 vector of
#: float32); the channeliser's channel ranges are multiples of it.
LANES_IF = 16


@step
def _butterfly(ur, ui, vr, vi, cr, ci):  # type: ignore[no-untyped-def]
    """One radix-2 butterfly: ``(u + w v, u - w v)`` with ``w = cr + i ci``, as 4 floats."""
    xr = vr * cr - vi * ci
    xi = vr * ci + vi * cr
    return ur + xr, ui + xi, ur - xr, ui - xi


@step
def _gather_first_stage(sp, base, b0, w, w0, brev, re, im):  # type: ignore[no-untyped-def]
    """Weighted gather of one block's bins in bit-reversed order, with the first radix-2 stage.

    Natural-order bins ``j`` and ``j + K/2`` land in the bit-reversed pair ``(p, p + 1)``,
    ``p = brev[j]``, whose first-stage twiddle is 1: the pair's sum and difference are
    stored directly (the same operations as the separate stage, one pass fewer). The IF
    weights ``w`` are real; ``re``, ``im`` are flat (K x lanes); the block's weights
    start at flat offset ``w0``.
    """
    k = brev.shape[0]
    half_k = k // 2
    lanes = _U(LANES_IF)
    for j in range(half_k):
        p = _U(brev[j]) * lanes
        o1 = w0 + _U(j) * lanes
        o2 = w0 + _U(j + half_k) * lanes
        for ln in range(LANES_IF):
            u = _U(ln)
            b = _U(base[b0 + u])
            v1 = sp[b + _U(j)]
            v2 = sp[b + _U(j) - _U(half_k)]
            a = w[o1 + u]
            c = w[o2 + u]
            x1r = v1.real * a
            x1i = v1.imag * a
            x2r = v2.real * c
            x2i = v2.imag * c
            re[p + u] = x1r + x2r
            im[p + u] = x1i + x2i
            re[p + lanes + u] = x1r - x2r
            im[p + lanes + u] = x1i - x2i


@step
def _middle_stages(re, im, twr, twi):  # type: ignore[no-untyped-def]
    """Radix-2 decimation-in-time stages between the first and the last, in place (flat)."""
    k = re.shape[0] // LANES_IF
    lanes = _U(LANES_IF)
    half = 2
    while half < k // 2:
        tw_step = k // (2 * half)
        for start in range(0, k, 2 * half):
            for q in range(half):
                cr = twr[q * tw_step]
                ci = twi[q * tw_step]
                o1 = _U(start + q) * lanes
                o2 = _U(start + q + half) * lanes
                for ln in range(LANES_IF):
                    u = _U(ln)
                    re[o1 + u], im[o1 + u], re[o2 + u], im[o2 + u] = _butterfly(
                        re[o1 + u], im[o1 + u], re[o2 + u], im[o2 + u], cr, ci
                    )
        half *= 2


@step
def _abs_to(r, i, out, d):  # type: ignore[no-untyped-def]
    """Store ``|r + i j|`` at ``out[d]``."""
    out[d] = np.sqrt(r * r + i * i)


@step
def _last_stage_abs(re, im, twr, twi, first, n_keep, out, o):  # type: ignore[no-untyped-def]
    """Run the last radix-2 stage, writing ``|y|`` of outputs ``first .. first+n_keep-1``.

    Output ``t`` goes to ``out[o + (t - first) · lanes ...]`` (flat); the others (the
    overlap) are not stored.
    """
    half_k = re.shape[0] // LANES_IF // 2
    lanes = _U(LANES_IF)
    end = first + n_keep
    for q in range(half_k):
        cr = twr[q]
        ci = twi[q]
        o1 = _U(q) * lanes
        o2 = _U(q + half_k) * lanes
        keep1 = first <= q < end
        keep2 = first <= q + half_k < end
        d1 = o + _U(q - first if keep1 else 0) * lanes
        d2 = o + _U(q + half_k - first if keep2 else 0) * lanes
        if keep1 and keep2:
            for ln in range(LANES_IF):
                u = _U(ln)
                r1, s1, r2, s2 = _butterfly(re[o1 + u], im[o1 + u], re[o2 + u], im[o2 + u], cr, ci)
                _abs_to(r1, s1, out, d1 + u)
                _abs_to(r2, s2, out, d2 + u)
        elif keep1:
            for ln in range(LANES_IF):
                u = _U(ln)
                r1, s1, r2, s2 = _butterfly(re[o1 + u], im[o1 + u], re[o2 + u], im[o2 + u], cr, ci)
                _abs_to(r1, s1, out, d1 + u)
        elif keep2:
            for ln in range(LANES_IF):
                u = _U(ln)
                r1, s1, r2, s2 = _butterfly(re[o1 + u], im[o1 + u], re[o2 + u], im[o2 + u], cr, ci)
                _abs_to(r2, s2, out, d2 + u)


@compiled
def channel_envelope(specs, base, w, brev, twr, twi, first, n_keep, blk0, blk1, out):  # type: ignore[no-untyped-def]
    """IF envelope of channel blocks ``blk0:blk1`` for every segment: gather, inverse FFT, ``|y|``.

    The fused single-precision form of :func:`gather_weight`, a length-``K`` inverse FFT
    and ``abs`` for a real (zero-phase) IF response: the ``LANES_IF`` channels of a block
    are transformed together (bins × lanes layout, so every butterfly is one vector
    operation across the lanes) by an iterative radix-2 decimation-in-time FFT, and only
    the envelope leaves the kernel. The first stage (twiddle 1) is done in the gather and
    the last stage together with ``|y|``, which it writes straight into ``out``, so the
    block's bins make five passes through the L1 cache instead of nine for ``K = 128``.
    The overlap-save delay that makes the IF causal (``V/2`` input samples, ``first``
    outputs) is a circular shift of each inverse FFT's output, so it is applied by
    keeping outputs ``first .. first + n_keep - 1`` instead of multiplying the weights by
    ``exp(-2πi bin · first / K)`` (``|y|`` is the same; the weights stay real: half the
    multiplications of the gather).

    Parameters
    ----------
    specs : ndarray, shape (n_seg, n_bins), complex64
        The window of each segment's spectrum that holds every channel's bins
        (:class:`~rfcheck.receiver.spectrum_window.SpectrumWindow`).
    base : ndarray, shape (n_blocks * LANES_IF,), int64
        Index of each channel's centre bin in the window (at least ``K/2`` from either end).
    w : ndarray, shape (n_blocks, K, LANES_IF), float32, C-contiguous
        Real IF weights per block in FFT order, including the ``1/K`` of the inverse FFT;
        zero for padding lanes.
    brev : ndarray, shape (K,), int64
        Bit-reversal permutation of ``0..K-1`` (``K`` a power of two, at least 4).
    twr, twi : ndarray, shape (K/2,), float32
        ``cos``, ``sin`` of ``2π j / K``.
    first, n_keep : int
        Outputs ``first .. first + n_keep - 1`` of each segment's inverse FFT are kept
        (``first + n_keep <= K``).
    blk0, blk1 : int
        Channel blocks to compute.
    out : ndarray, shape (>= blk1 - blk0, n_seg * n_keep, LANES_IF), float32, C-contiguous
        Envelope, lanes last: channel ``blk * LANES_IF + lane`` at ``out[blk - blk0, :,
        lane]``, the layout :func:`rfcheck.receiver._kernels.qp_cav_peak` reads; padding
        lanes are written too (they read 0).
    """
    n_seg = specs.shape[0]
    k = brev.shape[0]
    lanes = _U(LANES_IF)
    re = np.empty(k * LANES_IF, np.float32)
    im = np.empty(k * LANES_IF, np.float32)
    flat_out = out.reshape(-1)
    out_row = _U(out.shape[1]) * lanes
    flat_w = w.reshape(-1)
    for blk in range(blk0, blk1):
        w0 = _U(blk) * _U(k) * lanes
        for s in range(n_seg):
            _gather_first_stage(specs[s], base, _U(blk * LANES_IF), flat_w, w0, brev, re, im)
            _middle_stages(re, im, twr, twi)
            o = _U(blk - blk0) * out_row + _U(s * n_keep) * lanes
            _last_stage_abs(re, im, twr, twi, first, n_keep, flat_out, o)
