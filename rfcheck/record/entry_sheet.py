"""The entry cover sheet: one document for the shipment an ``[entry]`` table names.

A dossier run judges each unit on its own record; the entry the units were tested for is one
customs entry, so its cover sheet is one document per run (``OUT/entry.pdf``, ``entry.html``,
``entry.json``): the entry's facts as the setup states them, every tested unit side by side
(serial, unit, model, its record's verdict, its record file, its report id) and the entry's
measurement verdict, the worst of its units' by the one rule that combines verdicts
(:func:`rfcheck.outcome.combine_verdicts`, as ``summary.json`` does). A serial the setup
lists as tested that no unit of the run has counts as INCOMPLETE (not measured), never
dropped; so does a model ``[entry] models`` lists that is not the run's ``[dut] model``
(one run judges one model: that model's units have no record on this sheet).
Each unit's record state (complete, or how many checklist items it lacks) is on its row,
and the banner says ``RECORD INCOMPLETE`` when any unit's record lacks an item, as a unit's
record banner does (:mod:`.banner`). See ``docs/record.md``, "The entry cover sheet".

References
----------
47 CFR 2.1203(c): the importer shows, on request, how the device was determined to comply;
2.1204(a): the import conditions.
"""

from __future__ import annotations

import datetime as _dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .._version import __version__
from ..outcome import Verdict, combine_verdicts
from ..report.assumed_text import ASSUMED_DWELL, ASSUMED_SCALE, resting_on
from ..report_id import plain
from ..textsafe import Lines, json_safe
from .banner import Banner
from .checklist import claim_caveat, entry_declares_compliance
from .findings import entry_model_conflict, import_condition_conflict, responsible_party_outside_us
from .issue import issue_text
from .manifest import Manifest
from .model import EntryInfo, Record
from .rules import authorization_text, party_label, standard_text
from .statements import import_condition_text

__all__ = [
    "ENTRY_RULE",
    "ENTRY_VERDICT_LABEL",
    "NOT_IN_RUN",
    "EntrySheet",
    "model_not_in_run",
    "models_not_judged",
    "EntryUnit",
    "entry_facts",
    "entry_json",
    "entry_json_bytes",
    "entry_standard_text",
    "entry_verdict",
    "tested_model",
]

#: The words before the entry's verdict in its banner (``Entry measurement verdict: FAIL``).
ENTRY_VERDICT_LABEL = "Entry measurement verdict"

#: How the entry's verdict follows from its units', printed under it on every format.
ENTRY_RULE = (
    "The entry's measurement verdict is the worst of its tested units' verdicts "
    "(FAIL > ERROR > INCONCLUSIVE > INCOMPLETE > PASS): a FAIL of any unit fails the entry, "
    "and a unit not measured or not complete keeps it from PASS. A serial listed as tested "
    "with no record in this run counts as INCOMPLETE, and so does a model of the entry that "
    "this run did not judge (one run judges one [dut] model)."
)

#: "Decided by" of a listed serial that no unit of the run has.
NOT_IN_RUN = "not measured: no unit of this run has this serial ([dut.serials])"

#: What the units an entry's verdict rests on take on trust, per label
#: (:attr:`EntrySheet.assumptions`).
_ASSUMED_WHAT = {
    ASSUMED_DWELL: "unit verdicts that take quasi-peak or CISPR-average readings with no stated "
    "dwell as settled",
    ASSUMED_SCALE: "unit verdicts whose levels are computed at the default 1 V scale of a "
    "recording that states none",
}


def model_not_in_run(tested: str | None) -> str:
    """Return the "Decided by" of an ``[entry] models`` model this run did not judge."""
    run = (
        f"every unit of this run is model {tested} ([dut] model)"
        if tested
        else "the setup's [dut] model is not stated, so no unit of this run is shown to be it"
    )
    return (
        f"not judged in this run ({run}; one run judges one model): this model's records, "
        "if any, are separate documents"
    )


def models_not_judged(record: Record) -> tuple[str, ...]:
    """Return the ``[entry] models`` that are not the run's ``[dut] model``, once each.

    Names are compared with case and surrounding spaces ignored; with ``[dut] model`` not
    stated, every listed model is one (the run shows data of no named model).
    """
    e = record.entry
    if e is None or not e.models:
        return ()
    tested = (record.dut.model or "").strip().casefold()
    out: list[str] = []
    for m in e.models:
        key = m.strip().casefold()
        if key != tested and all(key != o.strip().casefold() for o in out):
            out.append(m)
    return tuple(out)


@dataclass(frozen=True)
class EntryUnit:
    """One tested unit of the entry, as its own record judged it.

    ``unit`` is ``None`` for a serial the setup lists as tested that no unit of the run has
    (``verdict`` INCOMPLETE, no record); ``serial`` is ``None`` for a unit of the run whose
    serial the setup does not state. ``note`` says why a row needs a second look (a unit
    the setup's ``tested_serials`` do not list). ``untested_model`` marks the row of an
    ``[entry] models`` model the run did not judge (``model`` names it; INCOMPLETE, no
    serial, no unit). ``record_missing`` is how many checklist items the unit's record
    lacks (0: complete; ``None``: no record in this run).
    """

    serial: str | None
    unit: str | None
    verdict: Verdict
    #: what decides the unit's verdict, briefly ("" for a PASS)
    decided_by: str = ""
    #: the unit's record file, relative to the run's output folder (``rig/dossier.pdf``)
    record: str | None = None
    report_id: str | None = None
    model: str | None = None
    note: str = ""
    #: the decision rule the unit was judged under, with its U_lab per port ("" for simple)
    decision_rule: str = ""
    record_missing: int | None = None
    untested_model: bool = False
    #: what the unit's verdict takes on trust, as labels (``ASSUMED DWELL``;
    #: :func:`~.banner.assumption_labels`)
    assumed: tuple[str, ...] = ()

    @property
    def record_state(self) -> str | None:
        """``complete``, ``incomplete`` (items missing) or ``None`` (no record in this run)."""
        if self.unit is None or self.record_missing is None:
            return None
        return "incomplete" if self.record_missing else "complete"

    @property
    def record_text(self) -> str | None:
        """The row's record state as printed: ``RECORD INCOMPLETE: 3 items missing ...``."""
        if self.record_state is None:
            return None
        if self.record_state == "complete":
            return "record complete"
        n = self.record_missing
        return f"RECORD INCOMPLETE: {n} item{'' if n == 1 else 's'} missing (its page 1 lists them)"


@dataclass(frozen=True)
class EntrySheet:
    """The entry cover sheet of one dossier run (``record.entry`` is never ``None``)."""

    record: Record
    units: tuple[EntryUnit, ...]
    manifest: Manifest
    issued: _dt.datetime
    #: the 47 CFR clauses the units' limit tables implement, each once, as each unit's
    #: record names them on its page 1 (:func:`rfcheck.product.summary.judged_clauses`)
    clauses: tuple[str, ...] = ()
    #: the limits the plan's rules name that the device need not meet, and why
    #: (:attr:`rfcheck.product.plan.TestPlan.not_required`: a battery-powered device's
    #: conducted limits, 47 CFR 15.107(d)), as each unit's page 1 says it
    not_required: tuple[str, ...] = ()

    @property
    def entry(self) -> EntryInfo:
        """The setup's ``[entry]`` table."""
        assert self.record.entry is not None  # built only for a setup with [entry]
        return self.record.entry

    @property
    def verdict(self) -> Verdict:
        """The entry's measurement verdict (:func:`entry_verdict`)."""
        return entry_verdict(self.units)

    @property
    def record_complete(self) -> bool:
        """Whether every unit of the run has a record with every checklist item."""
        return all(u.record_missing == 0 for u in self.units if u.unit is not None)

    @property
    def banner(self) -> Banner:
        """The entry's banner: its verdict, and ``RECORD INCOMPLETE`` as a unit's banner says.

        With what the verdict takes on trust, as a unit's banner says it
        (:attr:`assumed`): ``Entry measurement verdict: PASS (ASSUMED DWELL)``.
        """
        return Banner(self.verdict.value, self.record_complete, self.assumed)

    @property
    def assumed(self) -> tuple[str, ...]:
        """What the entry's verdict takes on trust, as labels (``ASSUMED DWELL``).

        The rule of every combined verdict, a batch's and a lot's
        (:func:`~rfcheck.report.assumed_text.resting_on`): any verdict but FAIL or ERROR
        claims that no unit fails, so a label of any unit qualifies it (an entry INCOMPLETE
        for a listed serial not measured, beside a unit's PASS (ASSUMED DWELL), reads
        ``INCOMPLETE (ASSUMED DWELL)``); a FAIL stands unless every failing unit carries the
        label, and never on a dwell (a reading that has not settled reads low, so an unstated
        dwell cannot make a FAIL).
        """
        labels = dict.fromkeys(x for u in self.units for x in u.assumed)
        return tuple(x for x in labels if resting_on(self.units, self.verdict, x))

    @property
    def assumptions(self) -> tuple[str, ...]:
        """What the entry's verdict takes on trust, one sentence per label ("" for none).

        ``ASSUMED DWELL: the entry's verdict rests on unit verdicts that take quasi-peak or
        CISPR-average readings with no stated dwell as settled: S-1 (rigA)``: the units
        :func:`~rfcheck.report.assumed_text.resting_on` finds, each unit's record naming its
        readings. ``summary.json``'s and ``entry.json``'s ``entry`` ``assumptions``.
        """
        out = []
        for label in self.assumed:
            units = resting_on(self.units, self.verdict, label)
            names = ", ".join(_unit_name(u) for u in units)
            what = _ASSUMED_WHAT.get(label, "unit verdicts that take it on trust")
            out.append(f"{label}: the entry's verdict rests on {what}: {names}")
        return tuple(out)

    @property
    def models_judged(self) -> tuple[str, ...]:
        """The models this sheet's units are (the run's ``[dut] model``; none when unstated)."""
        model = self.record.dut.model
        return (model,) if model else ()

    @property
    def judged_units_verdict(self) -> str | None:
        """The verdict of this run's model's rows alone (serials and units; not other models).

        What a broker combines across a multi-model entry's sheets (``docs/record.md``);
        ``None`` when the sheet has no such row.
        """
        rows = [u for u in self.units if not u.untested_model]
        return entry_verdict(rows).value if rows else None

    @property
    def models_not_judged(self) -> tuple[str, ...]:
        """The ``[entry] models`` this run did not judge (each an INCOMPLETE row)."""
        return tuple(u.model for u in self.units if u.untested_model and u.model)

    @property
    def scope(self) -> str:
        """Say which of the entry's models the sheet covers (its subtitle, its JSON)."""
        judged = ", ".join(self.models_judged) or "a model the setup does not name ([dut] model)"
        others = self.models_not_judged
        if not others:
            return f"covers model {judged}, every model the entry lists"
        return (
            f"covers model {judged} only; the entry's other models ({', '.join(others)}) are not "
            "judged on this sheet (their records are separate documents) and keep it from PASS"
        )

    @property
    def records_lacking(self) -> str:
        """``1 of 2 unit records lack checklist items (...)``; "" when every one is complete."""
        mine = [u for u in self.units if u.unit is not None]
        lacking = [u for u in mine if u.record_missing]
        if not lacking:
            return ""
        return (
            f"{len(lacking)} of {len(mine)} unit record{'' if len(mine) == 1 else 's'} "
            f"lack{'s' if len(lacking) == 1 else ''} checklist items (each record's page 1 "
            "lists what it lacks)"
        )

    @property
    def records_text(self) -> str:
        """The entry-level record line: every unit's record complete, or how many are not."""
        mine = [u for u in self.units if u.unit is not None]
        if not mine:
            return "no unit record in this run"
        if self.record_complete:
            return f"complete: every unit's record ({len(mine)}) has every checklist item"
        return (
            f"RECORD INCOMPLETE: {self.records_lacking}: the evidence 47 CFR 2.938(b) and the "
            "labelling rules ask for is not complete for this entry"
        )

    @property
    def title(self) -> str:
        """``Entry ABC-1234567-8: cover sheet`` (``Entry (number not stated)`` without one)."""
        number = self.entry.entry_number or "(number not stated)"
        return f"Entry {number}: cover sheet"


def _unit_name(u: EntryUnit) -> str:
    """``S-1 (rigA)``: the tested serial and the run's unit, or whichever is known."""
    if u.serial and u.unit and u.serial != u.unit:
        return f"{u.serial} ({u.unit})"
    return u.serial or u.unit or "?"


def entry_verdict(units: Sequence[EntryUnit]) -> Verdict:
    """Return the entry's measurement verdict: the worst of its units' (none: INCOMPLETE).

    The rule that combines units everywhere (:func:`rfcheck.outcome.combine_verdicts`); an
    entry with no tested unit has nothing measured, so it is INCOMPLETE, never PASS.
    """
    return combine_verdicts([u.verdict for u in units]) if units else Verdict.INCOMPLETE


def tested_model(record: Record) -> str | None:
    """``Hashcore HC-3``: the trade name (else manufacturer) and model of ``[dut]``."""
    dut = record.dut
    return " ".join(p for p in (dut.trade_name or dut.manufacturer, dut.model) if p) or None


def shipment_facts(record: Record) -> list[tuple[str, str | None]]:
    """Return the ``[entry]`` rows about the goods: quantity, models (and a warning), serials.

    Shared by the entry cover sheet and each unit record's entry page.
    """
    e = record.entry
    if e is None:
        return []
    model_conflict = entry_model_conflict(record)
    return [
        ("Quantity", None if e.quantity is None else str(e.quantity)),
        ("Models", ", ".join(e.models) if e.models else None),
        *(
            [("Models warning", f"WARNING: {model_conflict.message}")]
            if model_conflict is not None
            else []
        ),
        ("Serial numbers / ranges", ", ".join(e.serials) if e.serials else None),
    ]


def _import_condition(sheet: EntrySheet) -> str | None:
    """Return the condition and its meaning, a contradiction, the entry verdict's caveat."""
    e = sheet.entry
    if e.import_condition is None:
        return None
    lines = [import_condition_text(e.import_condition)]
    conflict = import_condition_conflict(sheet.record)
    if conflict is not None:
        lines.append(f"CONTRADICTS THE AUTHORIZATION: {conflict}")
    caveat = claim_caveat(sheet.verdict.value) if entry_declares_compliance(sheet.record) else None
    lines[-1] += f" (CAVEAT: {caveat})" if caveat else ""
    return Lines(lines)


def _lab(record: Record) -> str | None:
    """Return the lab's name with its accreditation as the setup states it."""
    lab = record.lab
    if not lab.name:
        return None
    acc = lab.accreditation
    return f"{lab.name} (accreditation: {acc.describe() if acc else 'not stated in the setup'})"


def _dates(record: Record) -> str:
    """Return the lab's ``[test]`` dates, or that the setup states none."""
    dates = record.test.dates
    if not dates:
        return "not stated in the setup ([test] dates)"
    return ", ".join(d.isoformat() for d in dates) + " (the lab's [test] dates)"


def entry_standard_text(sheet: EntrySheet) -> str:
    """Return the standard and class, then the 47 CFR clauses the units were judged against.

    ``FCC Part 15B, Class B; judged against 47 CFR 15.107(a), 47 CFR 15.109(a)``: the clauses
    each unit's record lists on its page 1, for a broker who reads this sheet
    alone.
    """
    stated = standard_text(sheet.record)
    if sheet.clauses:
        stated += f"; judged against {', '.join(sheet.clauses)}"
    return "; ".join((stated, *sheet.not_required))  # 15.107 left out: said, never silently


def _party(record: Record) -> str | None:
    """Return the responsible party (a certified device's grantee) and any location warning."""
    party = record.compliance.responsible_party
    if party is None:
        return None
    text = ", ".join(p for p in (party.name, party.address) if p)
    abroad = responsible_party_outside_us(record)
    return Lines([text, f"WARNING: {abroad.message}"]) if abroad is not None else text


def _judged_units_row(sheet: EntrySheet) -> list[tuple[str, str | None]]:
    """Return the row giving this model's units' verdict when other models are left out."""
    mine = sheet.judged_units_verdict
    if not sheet.models_not_judged or not sheet.models_judged or mine is None:
        return []
    return [(f"Verdict of model {sheet.models_judged[0]}'s units (not the entry's)", mine)]


#: The importer row when ``[entry] importer`` is not given (the key is optional).
IMPORTER_NOT_STATED = "not stated in the setup ([entry] importer)"


def entry_facts(sheet: EntrySheet) -> list[tuple[str, str | None]]:
    """Return the sheet's ``(label, value)`` rows; ``None`` where the setup states nothing.

    The ``[entry]`` keys (the importer of record, 2.1203(c)), what the record says of the
    device (the models this sheet judges, tested model, authorization, FCC ID, the
    responsible party as the authorization names it: 2.1077(a)(3) for an SDoC, the grantee
    for certification, 2.909(a)), laboratory, the standard and class and the lab's
    ``[test]`` dates (each unit's record names its limit tables and its captures' days),
    the unit records' state, the entry's verdict, report id and issue time.
    """
    e, r = sheet.entry, sheet.record
    auth = r.compliance.authorization
    not_judged = sheet.models_not_judged
    return [
        ("Entry number", e.entry_number),
        ("Port of entry", e.port_of_entry),
        ("Importer of record (47 CFR 2.1203(c))", e.importer or IMPORTER_NOT_STATED),
        ("Import condition", _import_condition(sheet)),
        *shipment_facts(r),
        (
            "Models judged on this sheet",
            ", ".join(sheet.models_judged) or "not stated in the setup ([dut] model)",
        ),
        *(
            [
                (
                    "Models not judged here",
                    f"{', '.join(not_judged)}: INCOMPLETE on this sheet; their records are "
                    "separate documents",
                )
            ]
            if not_judged
            else []
        ),
        ("Serials tested", ", ".join(e.tested_serials) if e.tested_serials else None),
        ("Tested model", tested_model(r)),
        ("Standard and class", entry_standard_text(sheet)),
        ("Dates of testing", _dates(r)),
        ("Authorization", authorization_text(r) if auth else None),
        ("FCC ID", r.compliance.fcc_id or "–"),
        (party_label(r), _party(r)),
        ("Test laboratory", _lab(r)),
        ("Unit records", sheet.records_text),
        *_judged_units_row(sheet),
        ("Measurement verdict of the entry", sheet.banner.qualified_verdict),
        ("Report id", sheet.manifest.report_id.text),
        ("Issued (UTC)", issue_text(sheet.issued)),
    ]


def entry_json(sheet: EntrySheet) -> dict[str, Any]:
    """Return ``entry.json`` as a JSON-ready mapping (``docs/record.md``).

    ``{"rfcheck_version", "report_id", "issued_utc", "verdict", "verdict_rule", "entry",
    "tested_model", "models_judged", "models_not_judged", "judged_units_verdict",
    "authorization", "fcc_id",
    "responsible_party", "responsible_party_role", "lab", "lab_accreditation",
    "standard_and_class", "judged_against", "test_dates", "banner", "assumptions",
    "records_complete",
    "units": [{"serial", "unit", "model", "verdict", "decided_by", "record", "report_id",
    "record_state", "record_missing", "note"}], "inputs"}``; a unit judged under a decision
    rule other than ``simple`` adds ``"decision_rule"``.
    """
    entry = plain(sheet.entry)
    for key in ("tested_serials_warning", "entry_document"):  # a unit record's, not the setup's
        entry.pop(key, None)
    r = sheet.record
    party = r.compliance.responsible_party
    return {
        "rfcheck_version": __version__,
        "report_id": sheet.manifest.report_id.as_dict(),
        "issued_utc": issue_text(sheet.issued),
        "verdict": sheet.verdict.value,
        "verdict_rule": ENTRY_RULE,
        "entry": entry,
        "tested_model": tested_model(r),
        "models_judged": list(sheet.models_judged),
        "models_not_judged": list(sheet.models_not_judged),
        "judged_units_verdict": sheet.judged_units_verdict,
        "authorization": r.compliance.authorization.value if r.compliance.authorization else None,
        "fcc_id": r.compliance.fcc_id,
        "responsible_party": None if party is None else plain(party),
        "responsible_party_role": party_label(r),
        "lab": r.lab.name,
        "lab_accreditation": None if r.lab.accreditation is None else plain(r.lab.accreditation),
        "standard_and_class": standard_text(r),
        "judged_against": list(sheet.clauses),
        "not_required": list(sheet.not_required),
        "test_dates": [d.isoformat() for d in r.test.dates or ()],
        "banner": sheet.banner.text,
        "assumptions": list(sheet.assumptions),
        "records_complete": sheet.record_complete,
        "units": [
            {
                "serial": u.serial,
                "unit": u.unit,
                "model": u.model,
                "verdict": u.verdict.value,
                "decided_by": u.decided_by or None,
                "record": u.record,
                "report_id": u.report_id,
                "record_state": u.record_state,
                "record_missing": u.record_missing,
                "note": u.note or None,
                **({"decision_rule": u.decision_rule} if u.decision_rule else {}),
            }
            for u in sheet.units
        ],
        "inputs": [
            {"role": role, "path": path, "sha256": sha}
            for role, path, sha in sheet.manifest.listed()
        ],
    }


def entry_json_bytes(sheet: EntrySheet) -> bytes:
    """Return ``entry.json``'s bytes (also attached to ``entry.pdf``)."""
    text = json_safe(json.dumps(entry_json(sheet), indent=2, ensure_ascii=False))
    return text.encode("utf-8") + b"\n"
