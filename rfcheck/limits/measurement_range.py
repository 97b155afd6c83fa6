"""Upper frequency of a radiated measurement range: 47 CFR 15.33(b)(1).

A table whose ``upper_frequency_rule`` is ``fcc-15.33b1`` is required only up to the upper
frequency this rule gives for the device's highest internal frequency. See
``docs/references.md`` (47 CFR 15.33(b)(1)).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from ..frequency import format_hz, format_mhz

__all__ = [
    "HIGHEST_UPPER_FREQUENCY_HZ",
    "LOWEST_RF_HZ",
    "UPPER_FREQUENCY_RULES",
    "boundary_note",
    "stated_highest_problem",
    "unbounded_note",
    "upper_measurement_frequency_hz",
]

#: Values of the optional ``upper_frequency_rule`` key: "fcc-15.33b1" or "none" (default).
UPPER_FREQUENCY_RULES = ("fcc-15.33b1", "none")
#: The highest upper frequency 15.33(b)(1) gives any device ("or 40 GHz, whichever is lower"). [Hz]
HIGHEST_UPPER_FREQUENCY_HZ = 40e9
#: The lowest radio frequency (47 CFR 15.3: radio frequency energy is 9 kHz - 3,000,000 MHz;
#: a digital device uses timing signals above 9,000 pulses per second, 15.3(k)). [Hz]
LOWEST_RF_HZ = 9e3


def upper_measurement_frequency_hz(highest_hz: float) -> float:
    """Upper frequency of the radiated measurement range of an unintentional radiator.

    47 CFR 15.33(b)(1) (docs/references.md): from the highest frequency generated or
    used in the device (or on which it operates or tunes), the spectrum is investigated up to

    ============================  ===========================================================
    highest frequency [MHz]        upper frequency of the measurement range
    ============================  ===========================================================
    below 1.705                    30 MHz
    1.705 - 108                    1000 MHz
    108 - 500                      2000 MHz
    500 - 1000                     5000 MHz
    above 1000                     5th harmonic of the highest frequency or 40 GHz, whichever
                                   is lower
    ============================  ===========================================================

    The table's rows share their end values (108 MHz is in "1.705 - 108" and "108 - 500").
    At a boundary the **more demanding** row applies (the higher upper frequency): exactly
    1.705 MHz -> 1000 MHz, 108 MHz -> 2000 MHz, 500 MHz -> 5000 MHz; exactly 1000 MHz gives
    5000 MHz either way.

    Parameters
    ----------
    highest_hz : float
        Highest frequency generated or used in the device. [Hz]

    Returns
    -------
    float
        Upper frequency of the measurement range. [Hz]

    Raises
    ------
    ValueError
        ``highest_hz`` not a finite number > 0.
    """
    f = float(highest_hz)
    if not (math.isfinite(f) and f > 0):
        raise ValueError(f"highest frequency must be a finite number > 0 Hz, got {highest_hz!r}")
    if f < 1.705e6:
        return 30e6
    if f < 108e6:
        return 1000e6
    if f < 500e6:
        return 2000e6
    if f < 1000e6:
        return 5000e6
    return min(5.0 * f, HIGHEST_UPPER_FREQUENCY_HZ)


def stated_highest_problem(highest_hz: float) -> str:
    """Say why a device's stated highest frequency cannot be right ("" when it can).

    Below 9 kHz a device generates no radio frequency energy, so it is neither an unintentional
    radiator nor a digital device (47 CFR 15.3, docs/references.md §2f): a Part 15 test plan
    with such a value has almost always been written in another unit (700 for 700 MHz), and
    taken as stated it would leave every radiated range unrequired (15.33(b)(1): 30 MHz).

    Parameters
    ----------
    highest_hz : float
        Highest frequency generated or used in the device, as stated. [Hz]
    """
    if highest_hz >= LOWEST_RF_HZ:
        return ""
    return (
        f"highest frequency {format_hz(highest_hz)} is below 9 kHz, where a device generates no "
        "radio frequency energy (47 CFR 15.3)"
    )


#: The highest frequencies [Hz] two rows of the 15.33(b)(1) table share.
_ROW_BOUNDARIES_HZ = (1.705e6, 108e6, 500e6)


def boundary_note(highest_hz: float | None) -> str:
    """Say why a highest frequency on a row boundary of the table gets the higher upper end.

    "" unless ``highest_hz`` is one of the values two rows share (1.705, 108, 500 MHz): the
    rule's text puts it in both, and :func:`upper_measurement_frequency_hz` takes the more
    demanding row; a reader checking the record against the table should see that choice.
    """
    if highest_hz is None or not any(math.isclose(highest_hz, b) for b in _ROW_BOUNDARIES_HZ):
        return ""
    return "a boundary of two rows of the table: the more demanding row (higher upper end) applies"


def unbounded_note(highest_hz: float, table_ids: Sequence[str], cispr32: bool) -> str:
    """Say that the highest frequency stated bounds the range of none of these tables.

    Radiated tables without an ``upper_frequency_rule``: the CISPR 32 ones (``cispr32``
    True; the range CISPR 32 Table 1 gives from the highest internal frequency is
    UNCONFIRMED, docs/references.md §3b, and not implemented) and user tables. Each table's
    whole range stays required, which asks for at least as much as a rule could.

    Parameters
    ----------
    highest_hz : float
        The highest frequency stated (``--highest-frequency``, the setup's). [Hz]
    table_ids : sequence of str
        The tables it does not bound.
    cispr32 : bool
        Whether they are CISPR 32 tables.
    """
    why = (
        "CISPR 32 Table 1 (the measurement range from the highest internal frequency, "
        "UNCONFIRMED) is not implemented"
        if cispr32
        else "no upper_frequency_rule is stated"
    )
    names = " and ".join([", ".join(table_ids[:-1]), table_ids[-1]] if table_ids[1:] else table_ids)
    return (
        f"the highest frequency stated ({format_mhz(highest_hz)}) bounds no range of {names}: "
        f"{why}, so the whole range of {'each table' if table_ids[1:] else 'the table'} "
        "stays required"
    )
