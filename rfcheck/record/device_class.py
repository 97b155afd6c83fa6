"""The device class the record states, against the class whose limits were judged.

The dossier judges the limits of one class (``[dut] class``, else ``[test] class``: 15.107(a)
and 15.109(a) for Class A, (b) for Class B). A record whose report title or standard text
(``FCC Part 15 Class B test record``), or whose ``[test] class`` or ``[compliance] class``,
states the other class says more than was judged: :func:`class_findings` gives one finding
per such statement. A record declaring Class B (the class that chooses the 15.105(b) manual
statement) when only the Class A limits were judged is also a gap of the 15.105 item: the
Class A limits are the looser, so the data do not show Class B compliance. The reverse
(Class A declared, Class B judged) is a finding only: the Class B limits are the stricter.

References
----------
47 CFR 15.107(a)/(b), 15.109(a)/(b) (limits per class); 15.105(a)/(b) (the manual statement
of each class); 2.938(b) (the record shows the data of compliance).
"""

from __future__ import annotations

import re

from .findings import Finding, FindingKind
from .model import Record

__all__ = ["stated_classes", "class_findings"]

_CLASS_IN_TEXT = re.compile(r"\bclass[\s_-]*([AB])\b", re.IGNORECASE)


def stated_classes(record: Record) -> list[tuple[str, str]]:
    """Return ``(where, class)`` for every class the record states, in a stable order.

    The ``[test] report_title`` and ``standard`` texts (``Class B`` anywhere in them, case
    ignored), ``[test] class`` and ``[compliance] class``. ``[dut] class`` is the plan's.
    """
    out: list[tuple[str, str]] = []
    for key, text in (
        ("report_title", record.test.report_title),
        ("standard", record.test.standard),
    ):
        for found in dict.fromkeys(m.upper() for m in _CLASS_IN_TEXT.findall(text or "")):
            out.append((f"[test] {key} {text!r}", found))
    for where, value in (
        ("[test] class", record.test.device_class),
        ("[compliance] class", record.compliance.device_class),
    ):
        if value:
            out.append((where, value.upper()))
    return out


def class_findings(record: Record, judged: str, limits: str) -> tuple[Finding, ...]:
    """Return a finding for each statement of a class other than ``judged``.

    Parameters
    ----------
    record : Record
        The declared record.
    judged : str
        The class whose limits were judged (``A`` or ``B``).
    limits : str
        The limit tables judged, as the finding names them (``fcc-15.107-a, fcc-15.109-a``).
    """
    declared = (record.device_class or "").upper()
    out = []
    for where, stated in stated_classes(record):
        if stated == judged.upper():
            continue
        gap = ""
        if stated == "B" and declared == "B" and where.endswith(" class"):
            gap = f"Class B data ({where} B; only the Class {judged.upper()} limits were judged)"
        out.append(
            Finding(
                FindingKind.CLASS_NOT_JUDGED,
                where,
                f"{where} states Class {stated}, but the limits judged are Class "
                f"{judged.upper()} ({limits}): the record shows Class {judged.upper()} data only",
                gap=gap,
            )
        )
    return tuple(out)
