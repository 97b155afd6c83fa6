"""The CISPR 80/80 rule over the units of a lot.

80 % of production compliant with 80 % confidence (CISPR TR 16-4-3; applied by CISPR 32 / CISPR 11
to series production).

Two methods, per port, limit line and emission frequency (``docs/lot.md`` states the rules):

- **Non-central t** (normal levels): compliant when ``x̄ + k·S_n ≤ L``, with
  ``k`` the published table's value for n = 3 ... 12 (:data:`K_TABLE`), the value a lab
  and an assessor read from the standard; beyond the table
  ``k = t'(0.8; n−1, δ = z_0.8·√n) / √n`` from :func:`scipy.stats.nct` (:func:`k_computed`).
- **Binomial** (any distribution, e.g. a bimodal production): compliant when at most ``c``
  of the ``n`` units exceed the limit, ``c`` from the CISPR table of sample sizes
  (:data:`BINOMIAL_TABLE`: 7 units allow 0, 14 allow 1, 20 allow 2, 26 allow 3, 32 allow 4)
  and beyond it the largest count with ``P(X ≤ c | n, p = 0.2) ≤ 0.2``
  (:func:`binomial_allowance`).

Which applies: the t method when a Shapiro-Wilk test does not reject normality (5 % over
the frequencies of a line, Bonferroni; with few units the test has little power: said in
the note); otherwise the binomial
method, if the lot is large enough for it; otherwise neither (INCONCLUSIVE, said why).

Only measured values enter: a bound (a peak reading for a quasi-peak line) does not bound
``x̄ + k·S_n`` (``S_n`` is not monotonic in the values), so a frequency where any unit has
only a bound is INCONCLUSIVE with a note naming what is needed.

References
----------
CISPR TR 16-4-3, statistical considerations in the determination of EMC compliance of
mass-produced products (80 %/80 % rule); docs/references.md §11d (k values, binomial method).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
from scipy import stats

from ..outcome import Bound, Verdict

__all__ = [
    "PROPORTION",
    "CONFIDENCE",
    "MIN_UNITS_T",
    "NORMALITY_ALPHA",
    "Method",
    "StatOutcome",
    "K_TABLE",
    "k_factor",
    "k_computed",
    "k_text",
    "BINOMIAL_TABLE",
    "binomial_allowance",
    "min_units_binomial",
    "spread_reach",
    "evaluate",
]

#: Proportion of production that must comply (CISPR TR 16-4-3).
PROPORTION = 0.8
#: Confidence with which it must be shown (CISPR TR 16-4-3).
CONFIDENCE = 0.8
#: Smallest lot the non-central t method is applied to (the published k table starts at n = 3;
#: docs/references.md §11d).
MIN_UNITS_T = 3
#: k of the non-central t method at 80 %/80 % as the published table of the rule prints it
#: (two decimals, n = 3 ... 12; docs/references.md §11d [S]). The table is what a lab and an
#: assessor apply, so rfcheck uses it where it has a value: its entries are the quantile of
#: :func:`k_computed` to two decimals, between 0.004 below it (n = 8: 1.30 for 1.304) and 0.024
#: above it (n = 3: 2.04 for 2.016); ``tests/lot/test_statistics.py`` pins the spread.
K_TABLE: dict[int, float] = {
    3: 2.04,
    4: 1.69,
    5: 1.52,
    6: 1.42,
    7: 1.35,
    8: 1.30,
    9: 1.27,
    10: 1.24,
    11: 1.21,
    12: 1.20,
}
#: Significance level of the Shapiro-Wilk normality test that chooses the method.
NORMALITY_ALPHA = 0.05


class Method(StrEnum):
    """Which 80/80 method decided a frequency."""

    NONCENTRAL_T = "non-central t"
    BINOMIAL = "binomial"
    NONE = "none"


def k_computed(n: int, proportion: float = PROPORTION, confidence: float = CONFIDENCE) -> float:
    """Return ``t'(confidence; n−1, z_proportion·√n) / √n``, the quantile behind ``k``.

    Parameters
    ----------
    n : int
        Number of units (at least 2).
    proportion, confidence : float
        Production share to cover and the confidence.

    Returns
    -------
    float
        The one-sided tolerance factor of the normal distribution: n = 3 gives 2.016,
        n = 12 gives 1.192, n = 13 gives 1.174.

    References
    ----------
    CISPR TR 16-4-3 (non-central t method); docs/references.md §11d.
    """
    if n < 2:
        raise ValueError(f"k needs at least 2 units, got {n}")
    delta = float(stats.norm.ppf(proportion)) * math.sqrt(n)
    return float(stats.nct.ppf(confidence, n - 1, delta)) / math.sqrt(n)


def k_factor(n: int, proportion: float = PROPORTION, confidence: float = CONFIDENCE) -> float:
    """Return the factor k of ``x̄ + k·S_n ≤ L`` for ``n`` units.

    The published table's value (:data:`K_TABLE`) at 80 %/80 % for n = 3 ... 12; otherwise
    (more units, fewer, or another proportion or confidence) :func:`k_computed`.

    References
    ----------
    CISPR TR 16-4-3 (non-central t method); docs/references.md §11d.
    """
    if proportion == PROPORTION and confidence == CONFIDENCE and n in K_TABLE:
        return K_TABLE[n]
    return k_computed(n, proportion, confidence)


def k_text(n: int, k: float) -> str:
    """Return ``k`` as the report prints it: two decimals from the table, else three."""
    if K_TABLE.get(n) == k:
        return f"{k:.2f} (published table)"
    return f"{k:.3f} (computed)"


#: The binomial method's table of sample sizes ``n`` and units ``c`` allowed over the limit,
#: as the CISPR product standards print it (CISPR 11, CISPR 14-1, CISPR 32 series production;
#: docs/references.md §11d): at least 7 units [S: a GOST text following CISPR 14-1]; the
#: sizes are the smallest n with ``P(X ≤ c | n, 0.2)`` equal to 0.2 to two decimals
#: (0.210, 0.198, 0.206, 0.207, 0.204) [D]; the table itself is UNCONFIRMED (not retrieved).
BINOMIAL_TABLE: tuple[tuple[int, int], ...] = ((7, 0), (14, 1), (20, 2), (26, 3), (32, 4))


def binomial_allowance(
    n: int, proportion: float = PROPORTION, confidence: float = CONFIDENCE
) -> int | None:
    """Units of ``n`` allowed over the limit by the binomial method (None: none can be allowed).

    At 80/80 and up to 32 units, the CISPR table (:data:`BINOMIAL_TABLE`): the ``c`` of the
    largest tabled size not above ``n`` (7-13 units → 0, 14-19 → 1, 20-25 → 2, 26-31 → 3,
    32 → 4), the numbers a lab and an assessor read from the standard. Beyond the table, or
    at another proportion or confidence: the largest ``c`` with ``P(X ≤ c) ≤ 1 − confidence``
    for ``X ~ Binomial(n, 1 − proportion)`` (a production with 20 % over the limit passes
    with at most 20 % probability).
    """
    default = proportion == PROPORTION and confidence == CONFIDENCE
    if default and n <= BINOMIAL_TABLE[-1][0]:
        tabled = [c for size, c in BINOMIAL_TABLE if size <= n]
        return tabled[-1] if tabled else None
    p_bad = 1.0 - proportion
    c = -1
    while c + 1 < n and stats.binom.cdf(c + 1, n, p_bad) <= 1.0 - confidence + 1e-12:
        c += 1
    return c if c >= 0 else None


def min_units_binomial(proportion: float = PROPORTION, confidence: float = CONFIDENCE) -> int:
    """Smallest lot the binomial method can judge (c = 0 allowed).

    7 units at 80/80 (the first size of :data:`BINOMIAL_TABLE`); otherwise computed.
    """
    if proportion == PROPORTION and confidence == CONFIDENCE:
        return BINOMIAL_TABLE[0][0]
    return math.ceil(math.log(1.0 - confidence) / math.log(proportion))


def _corner_reach(n: int) -> float:
    """``max(0, max over j of k·√(j(n−j)/(n(n−1))) − j/n)`` for ``n`` levels (j = 1 … n − 1)."""
    k = k_factor(n)
    return max([0.0] + [k * math.sqrt(j * (n - j) / (n * (n - 1))) - j / n for j in range(1, n)])


def spread_reach(n: int) -> float:
    """Return ``c``: the most ``x̄ + k·S_n`` can exceed the highest level, per dB of range.

    For levels in ``[m, M]`` (range ``R = M − m``), ``x̄ + k·S_n ≤ M + c·R``. The statistic
    is convex in the levels (``S_n`` is a norm of the deviations, ``x̄`` linear), so over the
    box its largest value is at a corner: ``j`` levels at ``m``, the others at ``M``, giving
    ``M − R·j/n + k·R·√(j(n−j)/(n(n−1)))``; ``c`` is the largest of these over ``j`` (0 when
    none is positive): 0.844 for 3 units (k = 2.04, j = 1), 0.413 for 6, 0.300 for 12. A row
    may read fewer units than the lot has, so the largest over 3 … ``n`` units is returned
    (0 below :data:`MIN_UNITS_T`: no statistics).

    Parameters
    ----------
    n : int
        Units in the statistics.

    Returns
    -------
    float
        ``c``. [1]
    """
    return max([0.0] + [_corner_reach(m) for m in range(MIN_UNITS_T, n + 1)])


@dataclass(frozen=True)
class StatOutcome:
    """The 80/80 result at one frequency of one limit line.

    Attributes
    ----------
    method : Method
    n : int
        Units with a measured value. [1]
    k : float or None
        Non-central t factor for ``n``, where the t method is applied (None otherwise: a k
        that is not used is not reported). [1]
    mean, s_n : float or None
        Mean and sample standard deviation (ddof 1) of the levels. [dB(unit)]
    value : float or None
        ``mean + k·s_n`` (t method) or the (c+1)-th highest level (binomial). [dB(unit)]
    limit : float
        The limit. [dB(unit)]
    margin_db : float or None
        ``limit − value``. [dB]
    over : int
        Units *measured* over the limit: a measured level, or a lower bound, over it (a lower
        bound over the limit proves the unit is over). An upper bound over the limit proves
        nothing and is not counted. [1]
    allowed : int or None
        Binomial allowance ``c`` for ``n``, on a row the binomial method judged; None on
        any other row (the t method does not use it). [1]
    verdict : Verdict
    note : str
        Why this method, the normality test, what a too-small lot lacks.
    """

    method: Method
    n: int
    k: float | None
    mean: float | None
    s_n: float | None
    value: float | None
    limit: float
    margin_db: float | None
    over: int
    allowed: int | None
    verdict: Verdict
    note: str

    @classmethod
    def undecided(
        cls,
        n: int,
        mean: float | None,
        s_n: float | None,
        limit: float,
        over: int,
        verdict: Verdict,
        note: str,
    ) -> StatOutcome:
        """Return the outcome when no 80/80 method applies (no k, value, margin or allowance)."""
        return cls(Method.NONE, n, None, mean, s_n, None, limit, None, over, None, verdict, note)


def _normality(levels: np.ndarray, alpha: float) -> tuple[bool, str]:
    """Return (normal assumption kept, note) from a Shapiro-Wilk test at level ``alpha``."""
    if float(np.ptp(levels)) == 0.0:
        return True, "all levels equal: normality not testable, t method used (S_n = 0)"
    p = float(stats.shapiro(levels).pvalue)
    if p >= alpha:
        return True, (
            f"normal assumption not rejected (Shapiro-Wilk p = {p:.2g} ≥ {alpha:.2g}, "
            f"n = {levels.size}; few units give the test little power)"
        )
    return False, f"normal assumption rejected (Shapiro-Wilk p = {p:.2g} < {alpha:.2g})"


def _binomial(levels: np.ndarray, limit: float, head: str) -> StatOutcome:
    n = levels.size
    over = int(np.sum(levels > limit))
    c = binomial_allowance(n)
    mean, s_n = float(levels.mean()), float(levels.std(ddof=1))
    if c is None:
        return StatOutcome.undecided(
            n,
            mean,
            s_n,
            limit,
            over,
            Verdict.INCONCLUSIVE,
            f"{head}; the binomial method needs at least {min_units_binomial()} units (has {n}): "
            "neither method applies",
        )
    value = float(np.sort(levels)[::-1][c])  # the (c+1)-th highest: over the limit -> FAIL
    verdict = Verdict.PASS if over <= c else Verdict.FAIL
    return StatOutcome(
        Method.BINOMIAL,
        n,
        None,  # k is not used by the binomial method
        mean,
        s_n,
        value,
        limit,
        limit - value,
        over,
        c,
        verdict,
        f"{head}; binomial method: {over} of {n} over the limit, {c} allowed",
    )


def evaluate(
    levels: Sequence[float],
    limit: float,
    *,
    all_measured: bool = True,
    needs: str = "",
    alpha: float = NORMALITY_ALPHA,
    not_measured: str = "",
    bounds: Sequence[Bound] | None = None,
    unsettled: str = "",
) -> StatOutcome:
    """Apply the 80/80 rule to the levels of one frequency.

    Parameters
    ----------
    levels : sequence of float
        One measured level per unit. [dB(unit)]
    limit : float
        The limit at that frequency. [dB(unit)]
    all_measured : bool
        False when some unit has only a bound there: the result is INCONCLUSIVE.
    needs : str
        What would settle a bound (e.g. "quasi-peak at 375 MHz on unit07").
    alpha : float
        Significance level of the normality test; a caller testing m frequencies passes
        ``NORMALITY_ALPHA / m`` (Bonferroni: 5 % family-wise, so that normal data are not
        sent to the binomial method by chance at one frequency in twenty).
    not_measured : str
        The units of the statistics with no value at all there (no reading: outside their
        scan or in a gap of it), e.g. ``not measured at 2 MHz: u4 (no reading: in a gap of
        its scan)``. Not a bound: missing data. The rule takes a measured level of every unit
        of the statistics, so it is not applied over the others: INCOMPLETE (INCONCLUSIVE
        when some unit also has only a bound).
    bounds : sequence of Bound, optional
        What each of ``levels`` is (default: all measured). Only a measured level or a lower
        bound over the limit counts in ``over`` (an upper bound over it proves nothing).
    unsettled : str
        Units whose reading there may not be their emission's level (e.g. a filter skirt of
        a stronger emission just outside the pairing tolerance), said why: INCONCLUSIVE, no
        value taken from them.

    Returns
    -------
    StatOutcome
        INCONCLUSIVE (method NONE) for bounds, or when normality is rejected and the lot is
        too small for the binomial method; INCOMPLETE (method NONE) for a unit not measured
        there, or fewer than :data:`MIN_UNITS_T` units.
    """
    x = np.asarray(levels, dtype=float)
    n = x.size
    mean = float(x.mean()) if n else None
    s_n = float(x.std(ddof=1)) if n >= 2 else None
    kinds = np.array(
        [b is not Bound.UPPER for b in bounds] if bounds is not None else [True] * n, dtype=bool
    )
    over = int(np.sum((x > limit) & kinds))  # measured over it: an upper bound proves nothing
    if not all_measured or unsettled:  # no mean or S_n: a bound is not a level
        why = []
        if not all_measured:
            why.append("bounds only at this frequency (not measured values): " + (needs or "?"))
        if unsettled:
            why.append(f"a unit's emission not read here: {unsettled}")
        if not_measured:
            why.append(not_measured)
        return StatOutcome.undecided(
            n, None, None, limit, over, Verdict.INCONCLUSIVE, "; ".join(why)
        )
    if not_measured:
        return StatOutcome.undecided(
            n,
            mean,
            s_n,
            limit,
            over,
            Verdict.INCOMPLETE,
            f"{not_measured}; the 80/80 rule takes a measured level of every unit in the "
            "statistics, so it is not applied over the others here (missing data)",
        )
    if n < MIN_UNITS_T:
        return StatOutcome.undecided(
            n,
            mean,
            s_n,
            limit,
            over,
            Verdict.INCOMPLETE,
            f"too few units: {n} (the 80/80 rule needs at least {MIN_UNITS_T})",
        )
    normal, head = _normality(x, alpha)
    if not normal:
        return _binomial(x, limit, head)
    k, mean, s_n = k_factor(n), float(x.mean()), float(x.std(ddof=1))
    value = mean + k * s_n
    verdict = Verdict.PASS if value <= limit else Verdict.FAIL
    return StatOutcome(
        Method.NONCENTRAL_T,
        n,
        k,
        mean,
        s_n,
        value,
        limit,
        limit - value,
        over,
        None,  # the binomial allowance is not part of the t method
        verdict,
        f"{head}; non-central t method, k = {k_text(n, k)}",
    )
