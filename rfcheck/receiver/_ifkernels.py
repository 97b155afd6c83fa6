"""Compiled kernels of the IF filter bank (numba): the weighted gather and the envelope stage.

:func:`gather_weight` picks the bins around each channel centre, weighted by the IF
response, for scipy's inverse FFT. :func:`channel_envelope` does the whole envelope stage in
one pass: the gather, a radix-2 inverse FFT and ``|y|``, with ``LANES_IF`` channels side by
side in the lanes of one vector register, since pocketfft cannot vectorise across many
short transforms. Both are used by :class:`rfcheck.receiver.channeliser.Channeliser`, which
falls back to :func:`numpy.take` and scipy's FFT without numba.

References
----------
J. W. Cooley, J. W. Tukey, "An algorithm for the machine calculation of complex Fourier
series", Math. Comp. 19, 1965 (radix-2 FFT); M. Borgerding, "Turning overlap-save into a
multiband mixing, downsampling filter bank", IEEE Signal Processing Magazine, 2006.
"""

from __future__ import annotations

import numpy as np

from ._kernels import compiled, step

__all__ = ["LANES_IF", "channel_envelope", "gather_weight"]


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


#: Channels one :func:`channel_envelope` block transforms together (one AVX-512 vector of
#: float32); the channeliser's channel ranges are multiples of it.
LANES_IF = 16


@step
def _gather_first_stage(sp, base, b0, wre, wim, blk, brev, re, im):  # type: ignore[no-untyped-def]
    """Weighted gather of one block's bins in bit-reversed order, with the first radix-2 stage.

    Natural-order bins ``j`` and ``j + K/2`` land in the bit-reversed pair ``(p, p + 1)``,
    ``p = brev[j]``, whose first-stage twiddle is 1: the pair's sum and difference are
    stored directly (the same operations as the separate stage, one pass fewer).
    """
    k = brev.shape[0]
    half_k = k // 2
    for j in range(half_k):
        p = brev[j]
        j2 = j + half_k
        for ln in range(LANES_IF):
            b = base[b0 + ln]
            v1 = sp[b + j]
            v2 = sp[b + j - half_k]
            ar = wre[blk, j, ln]
            ai = wim[blk, j, ln]
            cr = wre[blk, j2, ln]
            ci = wim[blk, j2, ln]
            x1r = v1.real * ar - v1.imag * ai
            x1i = v1.real * ai + v1.imag * ar
            x2r = v2.real * cr - v2.imag * ci
            x2i = v2.real * ci + v2.imag * cr
            re[p, ln] = x1r + x2r
            im[p, ln] = x1i + x2i
            re[p + 1, ln] = x1r - x2r
            im[p + 1, ln] = x1i - x2i


@step
def _middle_stages(re, im, twr, twi):  # type: ignore[no-untyped-def]
    """Radix-2 decimation-in-time stages between the first and the last, in place."""
    k = re.shape[0]
    half = 2
    while half < k // 2:
        step = k // (2 * half)
        for start in range(0, k, 2 * half):
            for q in range(half):
                cr = twr[q * step]
                ci = twi[q * step]
                i1 = start + q
                i2 = i1 + half
                for ln in range(LANES_IF):
                    xr = re[i2, ln] * cr - im[i2, ln] * ci
                    xi = re[i2, ln] * ci + im[i2, ln] * cr
                    ur = re[i1, ln]
                    ui = im[i1, ln]
                    re[i2, ln] = ur - xr
                    im[i2, ln] = ui - xi
                    re[i1, ln] = ur + xr
                    im[i1, ln] = ui + xi
        half *= 2


@step
def _last_stage_abs(re, im, twr, twi, env):  # type: ignore[no-untyped-def]
    """Run the last radix-2 stage, storing only ``|y|`` of its outputs in ``env`` (K, lanes)."""
    half_k = re.shape[0] // 2
    for q in range(half_k):
        cr = twr[q]
        ci = twi[q]
        i2 = q + half_k
        for ln in range(LANES_IF):
            xr = re[i2, ln] * cr - im[i2, ln] * ci
            xi = re[i2, ln] * ci + im[i2, ln] * cr
            ur = re[q, ln]
            ui = im[q, ln]
            r1 = ur + xr
            s1 = ui + xi
            r2 = ur - xr
            s2 = ui - xi
            env[q, ln] = np.sqrt(r1 * r1 + s1 * s1)
            env[i2, ln] = np.sqrt(r2 * r2 + s2 * s2)


@compiled
def channel_envelope(specs, base, wre, wim, brev, twr, twi, skip, blk0, blk1, out):  # type: ignore[no-untyped-def]
    """IF envelope of channel blocks ``blk0:blk1`` for every segment: gather, inverse FFT, ``|y|``.

    The fused single-precision form of :func:`gather_weight`, a length-``K`` inverse FFT
    and ``abs``: the ``LANES_IF`` channels of a block are transformed together (bins × lanes
    layout, so every butterfly is one vector operation across the lanes) by an iterative
    radix-2 decimation-in-time FFT, and only the envelope leaves the kernel. The first
    stage (twiddle 1) is done in the gather and the last stage together with ``|y|``, so
    the block's bins make five passes through the L1 cache instead of nine for ``K = 128``
    (same operations, same results).

    Parameters
    ----------
    specs : ndarray, shape (n_seg, n_bins + K), complex64
        Segment spectra, each padded with ``K/2`` bins on both sides (the spectrum's last
        and first ``K/2`` bins, so indices wrap like ``mod n_bins`` without a test).
    base : ndarray, shape (n_blocks * LANES_IF,), int64
        Padded index of each channel's centre bin (``centre mod n_bins + K/2``).
    wre, wim : ndarray, shape (n_blocks, K, LANES_IF), float32
        IF weights per block in FFT order, including the ``1/K`` of the inverse FFT; zero
        for padding lanes.
    brev : ndarray, shape (K,), int64
        Bit-reversal permutation of ``0..K-1`` (``K`` a power of two, at least 4).
    twr, twi : ndarray, shape (K/2,), float32
        ``cos``, ``sin`` of ``2π j / K``.
    skip : int
        Leading outputs of each segment that belong to the overlap (discarded).
    blk0, blk1 : int
        Channel blocks to compute.
    out : ndarray, shape (>= blk1 - blk0, n_seg * (K - skip), LANES_IF), float32
        Envelope, lanes last: channel ``blk * LANES_IF + lane`` at ``out[blk - blk0, :,
        lane]``, the layout :func:`rfcheck.receiver._kernels.qp_cav_peak` reads; padding
        lanes are written too (they read 0).
    """
    n_seg = specs.shape[0]
    k = brev.shape[0]
    n_keep = k - skip
    re = np.empty((k, LANES_IF), np.float32)
    im = np.empty((k, LANES_IF), np.float32)
    env = np.empty((k, LANES_IF), np.float32)
    for blk in range(blk0, blk1):
        for s in range(n_seg):
            _gather_first_stage(specs[s], base, blk * LANES_IF, wre, wim, blk, brev, re, im)
            _middle_stages(re, im, twr, twi)
            _last_stage_abs(re, im, twr, twi, env)
            col = s * n_keep - skip
            for t in range(skip, k):
                for ln in range(LANES_IF):
                    out[blk - blk0, col + t, ln] = env[t, ln]
