"""Harmonic families (combs): emissions at n x f0.

Declared clocks give families directly: the emissions inside a clock's harmonic windows
(:meth:`Clock.harmonics_near`). Emissions no declared clock explains are searched for combs
with f0 estimated from the data. A set of emissions is a family only when all of these hold
(:class:`FamilyCriteria`, ``docs/explain.md``):

- at least ``min_members`` (4) emissions, one per harmonic order;
- each within ``tol + n sigma`` of ``n * f0``, where ``tol`` is the sweep's frequency
  resolution ``max(RBW / 2, step)`` (a member may sit one step off), f0 is the least-squares
  fit through the origin over the members and ``sigma = tol / sqrt(sum n^2)`` its
  uncertainty; only orders predicted to within ``n sigma <= tol`` count (the comb grows
  outward from where it is known, never extrapolated far);
- missing members allowed, but the members fill at least ``min_coverage`` (half) of the
  orders between the lowest and the highest;
- the windows are narrow beside the spacing: ``2 tol / f0 <= max_window_fraction`` (0.25);
- chance is an unlikely explanation: with the density of the other emissions (the
  non-members, over the whole list or around the comb's span where higher) and the members'
  mean window, the probability that at least as many of the orders hold an emission by chance
  is below ``false_alarm`` (1e-5) divided by the number of f0 candidates tried (binomial tail).

Candidates for f0 are each emission divided by 1..``max_divisor`` (10), and each emission
divided by its order as implied by its spacing to a higher emission (adjacent members, or
one missing in between). The best family (most members, then best coverage,
then highest f0, so a comb is not reported at half its fundamental) is taken, its members
removed, and the search repeated.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .clocks import Clock

__all__ = ["INFERRED", "Family", "FamilyCriteria", "find_families", "clock_families"]

#: ``Family.source`` of a comb whose fundamental no declared clock explains.
INFERRED = "inferred"
#: f0 candidates prefiltered at a time (bounds the memory of the vectorised step).
_BLOCK = 2048


@dataclass(frozen=True)
class Family:
    """A comb of emissions at integer multiples of one fundamental.

    Attributes
    ----------
    f0_hz : float
        Fundamental: the declared clock's nominal, or the least-squares fit. [Hz]
    source : str
        Declared clock name, or :data:`INFERRED`.
    members_hz : tuple of float
        Member emission frequencies, increasing. [Hz]
    harmonics : tuple of int
        Harmonic order of each member.
    """

    f0_hz: float
    source: str
    members_hz: tuple[float, ...]
    harmonics: tuple[int, ...]

    @property
    def coverage(self) -> float:
        """Members / orders between the lowest and highest member (1 = no gap)."""
        if not self.harmonics:
            return 0.0
        return len(self.harmonics) / (max(self.harmonics) - min(self.harmonics) + 1)

    def to_dict(self) -> dict[str, Any]:
        """JSON view: ``{f0_hz, source, members_hz, harmonics}`` (Hz, 0.1 Hz rounding)."""
        return {
            "f0_hz": round(self.f0_hz, 1),
            "source": self.source,
            "members_hz": [round(f, 1) for f in self.members_hz],
            "harmonics": list(self.harmonics),
        }


@dataclass(frozen=True)
class FamilyCriteria:
    """When emissions form a family (see the module docstring)."""

    min_members: int = 4
    min_coverage: float = 0.5
    max_window_fraction: float = 0.25
    max_divisor: int = 10
    false_alarm: float = 1e-5


@dataclass(frozen=True)
class _Fit:
    f0_hz: float
    idx: NDArray[np.intp]  # indices into the peak pool
    n: NDArray[np.int64]
    sigma_hz: float  # uncertainty of f0_hz

    @property
    def key(self) -> tuple[int, float, float]:
        cov = self.n.size / (int(self.n.max()) - int(self.n.min()) + 1)
        return (self.n.size, cov, self.f0_hz)


def _candidates(
    f: NDArray[np.float64], tol: float, crit: FamilyCriteria
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """f0 candidates, each an emission divided by its presumed order k, and that k."""
    k = np.arange(1, crit.max_divisor + 1, dtype=np.float64)
    k1 = np.broadcast_to(k, (f.size, k.size)).ravel()
    a1 = np.repeat(f, k.size)
    i, j = np.triu_indices(f.size, 1)
    d = f[j] - f[i]  # a spacing (or twice one, a member missing in between)
    a2 = np.concatenate([f[i], f[i]])
    k2 = np.maximum(np.rint(np.concatenate([f[i] / d, 2 * f[i] / d])), 1.0)
    anchor, order = np.concatenate([a1, a2]), np.concatenate([k1, k2])
    cand = anchor / order
    ok = cand >= 2 * tol / crit.max_window_fraction
    cand, order = cand[ok], order[ok]
    # one candidate per (order, tol/10 bin): the fit refines it anyway
    _, first = np.unique(
        np.stack([order, np.rint(cand / max(tol / 10, 1e-9))], axis=1), axis=0, return_index=True
    )
    return cand[first], order[first]


def _one_per_order(
    resid: NDArray[np.float64], n: NDArray[np.int64], ok: NDArray[np.bool_]
) -> NDArray[np.intp]:
    idx = np.flatnonzero(ok)
    idx = idx[np.argsort(resid[idx], kind="stable")]
    _, first = np.unique(n[idx], return_index=True)
    return np.sort(idx[first])


def _match(
    f: NDArray[np.float64], f0: float, sigma: float, tol: float
) -> tuple[NDArray[np.intp], NDArray[np.int64]]:
    """Return the emissions that match the orders of a comb, one per order.

    Emissions within ``tol + n sigma`` of ``n f0``, for orders predicted to within ``n sigma <=
    tol`` (one per order).
    """
    n = np.rint(f / f0).astype(np.int64)
    resid = np.abs(f - n * f0)
    ok = (n >= 1) & (n * sigma <= tol) & (resid <= tol + n * sigma)
    return _one_per_order(resid, n, ok), n


def _fit(f: NDArray[np.float64], f0: float, anchor_order: float, tol: float) -> _Fit | None:
    """Grow a comb from a candidate f0.

    Match the orders it predicts well, refit f0 (least squares through the origin), repeat until the
    members stop changing.
    """
    sigma = tol / anchor_order
    members = np.empty(0, dtype=np.intp)
    for _ in range(16):
        new, n = _match(f, f0, sigma, tol)
        if new.size < 2:
            return None
        nn = n[new].astype(np.float64)
        f0 = float(np.sum(nn * f[new]) / np.sum(nn * nn))
        sigma = tol / float(np.sqrt(np.sum(nn * nn)))
        if np.array_equal(new, members):
            break
        members = new
    final, n = _match(f, f0, sigma, tol)
    return _Fit(f0, final, n[final], sigma) if final.size else None


def _chance(
    n: NDArray[np.int64], sigma: float, f0: float, f: NDArray[np.float64], tol: float
) -> float:
    """Probability that noise fills at least as many of the orders ``n_lo..n_hi``."""
    m = n.size
    n_lo, n_hi = int(n.min()), int(n.max())
    # emission density: over all emissions, or of the non-members around the comb if higher
    # there (a cluster of unrelated emissions, e.g. broadcast stations, is not a comb)
    lo, hi = (n_lo - 0.5) * f0, (n_hi + 0.5) * f0
    local = (np.count_nonzero((f >= lo) & (f <= hi)) - m) / (hi - lo)
    overall = (f.size - m) / float(f[-1] - f[0]) if f[-1] > f[0] else 0.0
    window = float(np.mean(2 * (tol + n * sigma)))  # the members' mean window
    q = 1.0 - float(np.exp(-max(local, overall) * window))
    # the emission a candidate was derived from matches by construction: not counted
    return binomial_tail(m - 2, n_hi - n_lo, q)


def binomial_tail(k: int, n: int, p: float) -> float:
    """Return ``P(X > k)`` for ``X ~ Binomial(n, p)`` (``scipy.stats.binom.sf(k, n, p)``).

    The terms are summed in log space (``math.lgamma``), exactly to ~1e-13 relative: the
    chance test compares it with a threshold, and ``scipy.stats`` would cost every check
    ~0.4 s to import.
    """
    if k < 0:
        return 1.0
    if k >= n or p <= 0.0:
        return 0.0
    if p >= 1.0:
        return 1.0
    log_p, log_q = math.log(p), math.log1p(-p)
    head = math.lgamma(n + 1)
    terms = [
        math.exp(head - math.lgamma(i + 1) - math.lgamma(n - i + 1) + i * log_p + (n - i) * log_q)
        for i in range(k + 1, n + 1)
    ]
    return min(1.0, math.fsum(terms))


def _trimmed(fit: _Fit, f: NDArray[np.float64], tol: float) -> tuple[_Fit, float]:
    """Drop end members while that makes the comb less likely to be chance.

    An isolated far member, e.g. noise that happens to sit on a high order, is not part of it.
    """
    p = _chance(fit.n, fit.sigma_hz, fit.f0_hz, f, tol)
    while fit.n.size > 2:
        options = [fit.idx[1:], fit.idx[:-1]]
        best = None
        for idx in options:
            n = np.rint(f[idx] / fit.f0_hz).astype(np.int64)
            q = _chance(n, fit.sigma_hz, fit.f0_hz, f, tol)
            if q < p and (best is None or q < best[1]):
                best = (idx, q, n)
        if best is None:
            break
        idx, p, n = best
        nn = n.astype(np.float64)
        f0 = float(np.sum(nn * f[idx]) / np.sum(nn * nn))
        fit = _Fit(f0, idx, n, tol / float(np.sqrt(np.sum(nn * nn))))
    return fit, p


def _significant(fit: _Fit, p: float, tol: float, n_tried: int, crit: FamilyCriteria) -> bool:
    m = fit.n.size
    slots = int(fit.n.max()) - int(fit.n.min()) + 1
    if m < crit.min_members or m / slots < crit.min_coverage:
        return False
    if 2 * tol / fit.f0_hz > crit.max_window_fraction:
        return False
    return p <= crit.false_alarm / max(n_tried, 1)


def _best_family(f: NDArray[np.float64], tol: float, crit: FamilyCriteria) -> _Fit | None:
    if f.size < crit.min_members:
        return None
    cand, order = _candidates(f, tol, crit)
    if cand.size == 0:
        return None
    # prefilter (vectorised, in blocks): candidates with enough emissions near their harmonics
    keep = np.zeros(cand.size, dtype=bool)
    for a in range(0, cand.size, _BLOCK):
        c, o = cand[a : a + _BLOCK, None], order[a : a + _BLOCK, None]
        n = np.rint(f[None, :] / c)
        near = (n >= 1) & (np.abs(f[None, :] - n * c) <= tol * (1 + n / o))
        keep[a : a + _BLOCK] = near.sum(axis=1) >= crit.min_members
    best: _Fit | None = None
    for c, o in zip(cand[keep], order[keep], strict=True):
        fit = _fit(f, float(c), float(o), tol)
        if fit is None:
            continue
        fit, p = _trimmed(fit, f, tol)
        if not _significant(fit, p, tol, cand.size, crit):
            continue
        if best is None or fit.key > best.key:
            best = fit
    return best


def find_families(
    freq_hz: ArrayLike,
    resolution_hz: float,
    *,
    clocks: Sequence[Clock] = (),
    criteria: FamilyCriteria | None = None,
) -> tuple[Family, ...]:
    """Combs among emissions, f0 estimated from the data.

    Parameters
    ----------
    freq_hz : array_like
        Emission frequencies (e.g. :func:`~rfcheck.explain.peaks.emission_peaks`). [Hz]
    resolution_hz : float
        Frequency resolution of the sweep, ``max(RBW / 2, step)``. [Hz]
    clocks : sequence of Clock
        A family whose f0 falls in a declared clock's fundamental window takes its name
        as ``source``; otherwise ``source`` is :data:`INFERRED`.
    criteria : FamilyCriteria, optional
        Acceptance criteria (module docstring).

    Returns
    -------
    tuple of Family
        Best first; an emission belongs to at most one family.
    """
    crit = criteria or FamilyCriteria()
    tol = float(resolution_hz)
    f = np.unique(np.asarray(freq_hz, dtype=np.float64))
    f = f[np.isfinite(f) & (f > 0)]
    if tol <= 0:
        raise ValueError(f"resolution must be > 0 Hz, got {resolution_hz!r}")
    out: list[Family] = []
    while True:
        fit = _best_family(f, tol, crit)
        if fit is None:
            break
        source = next((c.name for c in clocks if 1 in c.harmonics_near(fit.f0_hz, tol)), INFERRED)
        out.append(
            Family(
                fit.f0_hz, source, tuple(float(x) for x in f[fit.idx]), tuple(int(x) for x in fit.n)
            )
        )
        f = np.delete(f, fit.idx)
    return tuple(out)


def clock_families(
    freq_hz: ArrayLike, resolution_hz: float, clocks: Sequence[Clock], *, min_members: int = 1
) -> tuple[Family, ...]:
    """Return the family of each declared clock: the emissions inside its harmonic windows.

    Parameters
    ----------
    freq_hz : array_like
        Emission frequencies. [Hz]
    resolution_hz : float
        Frequency resolution of the sweep. [Hz]
    clocks : sequence of Clock
    min_members : int
        Clocks with fewer matching emissions give no family.

    Returns
    -------
    tuple of Family
        In clock order; ``f0_hz`` is the declared nominal. An emission may belong to
        several clocks (375 MHz is 3 x 125 MHz and 15 x 25 MHz).
    """
    f = np.unique(np.asarray(freq_hz, dtype=np.float64))
    out = []
    for clock in clocks:
        members: dict[int, float] = {}
        for x in f:
            for n in clock.harmonics_near(float(x), resolution_hz):
                old = members.get(n)
                if old is None or abs(x - n * clock.frequency_hz) < abs(
                    old - n * clock.frequency_hz
                ):
                    members[n] = float(x)
        if len(members) >= min_members:
            ns = sorted(members, key=lambda k: members[k])
            out.append(
                Family(clock.frequency_hz, clock.name, tuple(members[k] for k in ns), tuple(ns))
            )
    return tuple(out)
