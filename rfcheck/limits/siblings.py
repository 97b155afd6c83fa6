"""The shipped tables that stand beside a table, found from the tables' own keys.

- :func:`fcc_counterpart`: the FCC Part 15 table of a CISPR 32 table's class and port, the
  one its "not an FCC basis" note compares it with (:mod:`rfcheck.limits.fcc_basis`);
- :func:`tables_at_distance`: the tables of the same rules, class and port specified at
  another distance, which a refused ``--distance`` should use instead (a table with
  ``distance_rule = "none"`` is not re-expressed: CISPR 32 "Apply only table clause A4.1
  (10 m) or A4.2 (3 m)", docs/references.md §3a).

References
----------
47 CFR 15.31(f)(1); CISPR 32 Tables A.2, A.4; docs/references.md §2g, §3a.
"""

from __future__ import annotations

import math

from ..errors import LimitFileError
from .model import LimitTable
from .sources import load_shipped, shipped_ids

__all__ = ["shipped_tables", "fcc_counterpart", "tables_at_distance", "check_distance"]


def shipped_tables() -> list[LimitTable]:
    """Every shipped limit table, by id."""
    return [load_shipped(i) for i in shipped_ids()]


def _overlaps(a: LimitTable, b: LimitTable) -> bool:
    """Whether the two tables' frequency ranges share more than an end."""
    return a.range_hz[0] < b.range_hz[1] and b.range_hz[0] < a.range_hz[1]


def fcc_counterpart(table: LimitTable) -> LimitTable | None:
    """Return the shipped FCC Part 15 table of ``table``'s class and port (None: none).

    Same port and device class, ``regime = "fcc-part15"``, overlapping ranges
    (``cispr32-b-rad-3m`` -> ``fcc-15.109-b``; ``cispr32-a-mains`` -> ``fcc-15.107-a``). A
    table stating no class has none.
    """
    if table.device_class is None:
        return None
    found = [
        t
        for t in shipped_tables()
        if t.regime == "fcc-part15"
        and t.port == table.port
        and t.device_class == table.device_class
        and _overlaps(t, table)
    ]
    return found[0] if found else None


def tables_at_distance(table: LimitTable, distance_m: float) -> list[str]:
    """Return the ids of the shipped tables judging what ``table`` does, at ``distance_m``.

    Same rules (``regime``), port and class, overlapping ranges, specified at ``distance_m``
    [m] (``cispr32-b-rad-10m`` at 3 m -> ``cispr32-b-rad-3m``).
    """
    return [
        t.id
        for t in shipped_tables()
        if t.id != table.id
        and t.regime == table.regime
        and t.port == table.port
        and t.device_class == table.device_class
        and t.distance_m is not None
        and math.isclose(t.distance_m, distance_m)
        and _overlaps(t, table)
    ]


def check_distance(table: LimitTable, meas_distance_m: float | None) -> None:
    """As :meth:`LimitTable.check_distance`, naming the shipped table for that distance.

    Raises
    ------
    LimitFileError
        The table cannot be used at ``meas_distance_m`` [m]; when it is not re-expressed at
        other distances and a shipped table is specified at that one, the message names it.
    """
    try:
        table.check_distance(meas_distance_m)
    except LimitFileError as err:
        others = [] if meas_distance_m is None else tables_at_distance(table, meas_distance_m)
        if table.distance_rule != "none" or not others:
            raise
        raise LimitFileError(f"{err.message}: {' or '.join(others)}") from None
