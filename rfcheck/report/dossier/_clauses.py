"""The clause each cell of a dossier is judged under, as the matrix, the detail and page 1 name it.

A cell's clause is the plan rule's (``dossier.json`` ``cells[].clause``: ``47 CFR 15.35(b):
average and peak (average limit + 20 dB) above 1000 MHz, ...``). A limit table's title names
the clause of its lines (``47 CFR 15.109(a)``), but the AV and PK cells above 1 GHz rest on
15.35(b) (the PK line is the AV line + 20 dB): the record names each cell's clause, so a
broker reading page 1 or the matrix sees the rule a PK verdict rests on.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ...product.cells import Cell
from ...product.dossier import UnitDossier

__all__ = ["cfr_citations", "citation", "clause_lines"]

#: A 47 CFR citation: ``47 CFR 15.35(b)``.
_CFR = re.compile(r"47 CFR \d+\.\d+(?:\([0-9a-z]+\))*")


def citation(clause: str) -> str:
    """Return a clause's citation, the words before its colon (``47 CFR 15.35(b)``; "": none)."""
    return clause.split(":", 1)[0].strip()


def cfr_citations(text: str) -> list[str]:
    """Return each ``47 CFR <part>.<section>(<paragraph>)`` citation ``text`` names, in order."""
    return [m.group(0) for m in _CFR.finditer(text)]


def clause_lines(d: UnitDossier, named: Sequence[str]) -> list[str]:
    """Return page 1's lines for the cells' clauses the limit tables' lines do not name.

    ``named``: the lines already on page 1 (the limit tables with their titles). One line per
    clause, the limits and lines under it first: ``fcc-15.109-b AV, PK: 47 CFR 15.35(b):
    average and peak (average limit + 20 dB) above 1000 MHz, ...``.
    """
    said = {c for line in named for c in cfr_citations(line)}
    by_clause: dict[str, list[Cell]] = {}
    for c in d.cells:
        if c.required.clause:
            by_clause.setdefault(c.required.clause, []).append(c)
    out = []
    for clause, cells in by_clause.items():
        if set(cfr_citations(clause)) <= said:
            continue  # a table's title names it already (15.107(a) of the conducted cells)
        ids = dict.fromkeys(c.required.limit_id for c in cells)
        lines = dict.fromkeys(c.required.line for c in cells)
        out.append(f"{', '.join(ids)} {', '.join(lines)}: {clause}")
    return out
