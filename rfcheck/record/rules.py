"""What a unit was judged against, as page 1 of its record names it.

A broker reads the cover alone: it names the standard and class the setup states
(``[test] standard``, the record's device class), always the limit tables the verdict was
decided with and the rule each implements (a shipped table's title names its clause:
"47 CFR 15.109(a)"), how the device is authorized (SDoC or certification, with its
clause) and the responsible party when ``[compliance.responsible_party]`` states one. The
dossier's PDF cover and HTML page print the same rows.

References
----------
47 CFR 2.938(b) (the test record), 2.1077(a)(3) (the responsible party of an SDoC), 2.906
(SDoC), 2.907 (certification), 2.909(a) (a certified device's responsible party: the grantee).
"""

from __future__ import annotations

from collections.abc import Sequence

from ..textsafe import Lines
from .model import AuthorizationPath, Record

__all__ = [
    "STANDARD_LABEL",
    "JUDGED_LABEL",
    "PARTY_LABEL",
    "GRANTEE_LABEL",
    "party_label",
    "RULE_LABEL",
    "AUTHORIZATION_LABEL",
    "VERIFY_LABEL",
    "VERIFY_TEXT",
    "ISSUED_BY_LABEL",
    "issued_by_text",
    "authorization_text",
    "judged_rows",
    "standard_text",
]

STANDARD_LABEL = "Standard and class"
JUDGED_LABEL = "Judged against (limit tables)"
PARTY_LABEL = "Responsible party (47 CFR 2.1077(a)(3))"
#: The party row of a certified device: its grantee is the responsible party (2.909(a)).
GRANTEE_LABEL = "Grantee, the responsible party (47 CFR 2.909(a))"
AUTHORIZATION_LABEL = "Authorization"
#: The cover's row naming a decision rule other than ``simple`` (its lines:
#: :func:`rfcheck.product.decision.rule_cover_lines`).
RULE_LABEL = "Decision rule"
#: Page 1's row saying how to check the record, as the entry sheet says it.
VERIFY_LABEL = "Verify"
VERIFY_TEXT = (
    "rfcheck verify dossier.pdf --inputs <folder the dossier was made from>: checks these "
    "pages, re-hashes every input the Input manifest lists and judges the unit again"
)


#: Page 1's row naming the rfcheck that issued the record (only page 15 once said it;
#: the report id and ``rfcheck verify`` rest on it).
ISSUED_BY_LABEL = "Issued by"


def issued_by_text() -> str:
    """Return the program and version that issue a record: ``rfcheck 0.1.0``."""
    from .._version import __version__

    return f"rfcheck {__version__}"


def standard_text(record: Record) -> str:
    """Return the standard and class the setup states, or what to read instead."""
    cls = record.device_class
    if cls and not cls.lower().startswith("class"):
        cls = f"Class {cls}"
    stated = ", ".join(x for x in (record.test.standard, cls) if x)
    return stated or "not stated in the setup ([test] standard); see the limit tables below"


def party_label(record: Record) -> str:
    """Return the party row's label for the stated authorization.

    A certified device's responsible party is its grantee (47 CFR 2.909(a)); a Supplier's
    Declaration of Conformity's (or a record that states none) is the 2.1077(a)(3) party.
    """
    if record.compliance.authorization is AuthorizationPath.CERTIFICATION:
        return GRANTEE_LABEL
    return PARTY_LABEL


def _party(record: Record) -> str | None:
    rp = record.compliance.responsible_party
    if rp is None or not rp.name:
        return None
    return ", ".join(x for x in (rp.name, rp.address) if x)


def authorization_text(record: Record) -> str:
    """Return how the setup says the device is authorized, with its clause.

    ``Supplier's Declaration of Conformity (47 CFR 2.906)``, or ``certification, FCC ID X
    (47 CFR 2.907)``; not stated: said so, naming the setup key.
    """
    c = record.compliance
    if c.authorization is AuthorizationPath.SDOC:
        return "Supplier's Declaration of Conformity (47 CFR 2.906)"
    if c.authorization is AuthorizationPath.CERTIFICATION:
        fcc_id = f", FCC ID {c.fcc_id}" if c.fcc_id else ", FCC ID not stated"
        return f"certification{fcc_id} (47 CFR 2.907)"
    return "not stated in the setup ([compliance] authorization)"


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
    rows = [(STANDARD_LABEL, standard_text(record))]
    rows.append((JUDGED_LABEL, Lines(limits) if limits else "none (no cell was judged)"))
    rows.append((AUTHORIZATION_LABEL, authorization_text(record)))
    party = _party(record)
    if party is not None:
        rows.append((party_label(record), party))
    return rows
