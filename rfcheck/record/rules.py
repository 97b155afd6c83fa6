"""What a unit was judged against, as page 1 of its record names it (audit23 #1).

A broker reads the cover alone: it names the standard and class the setup states
(``[test] standard``, the record's device class), always the limit tables the verdict was
decided with and the rule each implements (a shipped table's title names its clause:
"47 CFR 15.109(a)"), and the responsible party when ``[compliance.responsible_party]``
states one. The dossier's PDF cover and HTML page print the same rows.

References
----------
47 CFR 2.938(b) (the test record), 2.1077(a)(3) (the responsible party).
"""

from __future__ import annotations

from collections.abc import Sequence

from ..textsafe import Lines
from .model import Record

__all__ = ["STANDARD_LABEL", "JUDGED_LABEL", "PARTY_LABEL", "judged_rows"]

STANDARD_LABEL = "Standard and class"
JUDGED_LABEL = "Judged against (limit tables)"
PARTY_LABEL = "Responsible party (47 CFR 2.1077(a)(3))"


def _standard(record: Record) -> str:
    cls = record.device_class
    if cls and not cls.lower().startswith("class"):
        cls = f"Class {cls}"
    stated = ", ".join(x for x in (record.test.standard, cls) if x)
    return stated or "not stated in the setup ([test] standard); see the limit tables below"


def _party(record: Record) -> str | None:
    rp = record.compliance.responsible_party
    if rp is None or not rp.name:
        return None
    return ", ".join(x for x in (rp.name, rp.address) if x)


def judged_rows(record: Record, limits: Sequence[str]) -> list[tuple[str, str]]:
    """Return the cover's (label, text) rows naming the rules the unit was judged against.

    Parameters
    ----------
    record : Record
        The unit's record (``[test] standard``, the device class, the responsible party).
    limits : sequence of str
        Each limit table the verdict was decided with, described with its rule
        (``fcc-15.109-b: FCC Part 15 Class B radiated limits @ 3 m (47 CFR 15.109(a))``).
    """
    rows = [(STANDARD_LABEL, _standard(record))]
    rows.append((JUDGED_LABEL, Lines(limits) if limits else "none (no cell was judged)"))
    party = _party(record)
    if party is not None:
        rows.append((PARTY_LABEL, party))
    return rows
