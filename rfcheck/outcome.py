"""The words a check's outcome is told in: :class:`Verdict`, :class:`Bound`, the margin sign.

How verdicts combine (the worst decides: FAIL > ERROR > INCONCLUSIVE > INCOMPLETE > PASS,
:func:`combine_verdicts`) and the process exit code each one gives (:func:`exit_code_for`).
The result records that carry them are in :mod:`rfcheck.results`; the rules that decide them
in :mod:`rfcheck.verdict` and ``docs/verdict.md``.

Sign convention, everywhere: ``margin_db = limit - level`` (positive = below the limit).
A margin is rounded for output by :func:`round_margin`, which never loses its sign.
"""

from __future__ import annotations

import math
from enum import StrEnum

from .errors import (
    EXIT_FAIL,
    EXIT_INCOMPLETE,
    EXIT_INCONCLUSIVE,
    EXIT_INPUT_ERROR,
    EXIT_PASS,
)

__all__ = [
    "MARGIN_SIGN",
    "MARGIN_DECIMALS",
    "MARGIN_EPS_DB",
    "Bound",
    "Verdict",
    "combine_verdicts",
    "exit_code_for",
    "round_margin",
]

#: The one sign convention: margin = limit - level, positive = below (inside) the limit.
MARGIN_SIGN = "limit_minus_level"
#: Decimals a margin is given with in every output (0.01 dB).
MARGIN_DECIMALS = 2
#: Numerical tolerance of "at or below the limit": a margin above ``-MARGIN_EPS_DB`` is not
#: over it (float noise of the corrections' sums, not a measurement margin). [dB]
MARGIN_EPS_DB = 1e-9


def round_margin(margin_db: float, decimals: int = MARGIN_DECIMALS) -> float:
    """Round a margin for output without changing its side of the limit.

    To the nearest ``10**-decimals`` dB, except that a negative margin (a level above the
    limit) never rounds to zero: ``-0.004`` gives ``-0.01``, never ``0.00`` or ``-0.00``; a
    margin of zero or more never gives a negative number (``-0.0`` gives ``0.0``), nor one
    above ``-MARGIN_EPS_DB``, which the judgement counts as at the limit. A reader
    testing ``margin_db < 0`` on the output reads the sign the judgement used
    (``docs/verdict.md``, "Rounded margins"). NaN and infinities are returned unchanged.

    Parameters
    ----------
    margin_db : float
        ``limit - level``. [dB]
    decimals : int
        Decimals kept.

    Returns
    -------
    float
        The rounded margin. [dB]
    """
    value = float(margin_db)
    if not math.isfinite(value):
        return value
    rounded = round(value, decimals) + 0.0  # + 0.0: -0.0 becomes 0.0
    if value < -MARGIN_EPS_DB and rounded >= 0:
        return -(10.0**-decimals)
    return max(rounded, 0.0) if value >= -MARGIN_EPS_DB else rounded


class Verdict(StrEnum):
    """Outcome of a check.

    PASS: the whole judged range was measured and is below every limit. FAIL: a measured
    value (or a lower bound) exceeds a limit. INCONCLUSIVE: measured, but the bounds do not
    decide. INCOMPLETE: nothing failed or is undecided where measured, but part of the judged
    range was not measured (see ``docs/verdict.md``). ERROR: the input could not be read or
    analysed.
    """

    PASS = "PASS"
    FAIL = "FAIL"
    INCONCLUSIVE = "INCONCLUSIVE"
    INCOMPLETE = "INCOMPLETE"
    ERROR = "ERROR"


class Bound(StrEnum):
    """How a trace's reading relates to the quantity a limit line asks for."""

    MEASURED = "measured"  #: the trace's detector is the limit line's detector
    UPPER = "upper bound"  #: reading >= the quantity (e.g. peak for a QP line)
    LOWER = "lower bound"  #: reading <= the quantity (e.g. average for a QP line)
    #: no bound (dropped by the bandwidth, settling or trace-mode rule); still coverage
    NONE = "no bound"


#: Precedence FAIL > ERROR > INCONCLUSIVE > INCOMPLETE > PASS (the worst decides).
_SEVERITY = {
    Verdict.PASS: 0,
    Verdict.INCOMPLETE: 1,
    Verdict.INCONCLUSIVE: 2,
    Verdict.ERROR: 3,
    Verdict.FAIL: 4,
}


def combine_verdicts(verdicts: list[Verdict] | tuple[Verdict, ...]) -> Verdict:
    """Return the worst of several verdicts.

    FAIL > ERROR > INCONCLUSIVE > INCOMPLETE > PASS (empty -> ERROR).
    """
    if not verdicts:
        return Verdict.ERROR
    return max(verdicts, key=lambda v: _SEVERITY[v])


def exit_code_for(verdict: Verdict) -> int:
    """CLI exit code: 0 pass, 1 fail, 3 error (none failed), 4 inconclusive, 5 incomplete."""
    return {
        Verdict.INCOMPLETE: EXIT_INCOMPLETE,
        Verdict.PASS: EXIT_PASS,
        Verdict.FAIL: EXIT_FAIL,
        Verdict.ERROR: EXIT_INPUT_ERROR,
        Verdict.INCONCLUSIVE: EXIT_INCONCLUSIVE,
    }[verdict]
