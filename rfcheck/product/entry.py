"""The entry cover sheet of a dossier run: the setup's ``[entry]`` and every unit it tested.

:func:`entry_sheet` is called once the run has written every unit's record: each serial the
setup's ``[entry] tested_serials`` lists is matched to the unit of the run that has it
(``[dut.serials]``, or ``[dut] serial`` in a one-unit run; case and surrounding spaces
ignored), a listed serial that no unit has is a row of its own, not measured (INCOMPLETE),
and a unit of the run the list does not name is a row too, with a note (its data are of the
same model, so they count). A model ``[entry] models`` lists that is not the run's ``[dut]
model`` is a row of its own too, INCOMPLETE: one run judges one model, so the sheet never
reads PASS for an entry whose other models it did not judge. The sheet's
report id is derived from the entry table and each
unit's verdict and report id (each derived from the unit's inputs), so a re-issue of the
same judgement keeps it; its manifest lists every record file the units wrote with its
SHA-256, for ``rfcheck verify``. See
:mod:`rfcheck.record.entry_sheet` and ``docs/record.md``, "The entry cover sheet".
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..io import file_sha256
from ..outcome import Verdict
from ..record.banner import assumption_labels
from ..record.entry_sheet import (
    NOT_IN_RUN,
    EntrySheet,
    EntryUnit,
    entry_verdict,
    model_not_in_run,
    models_not_judged,
    tested_model,
)
from ..record.manifest import Manifest
from ..record.model import Record
from ..report_id import InputFile, plain, report_id
from ..settings import Setup
from .outputs import RECORD_FILES
from .plan import plan_from_setup
from .summary import unused_captures_text

if TYPE_CHECKING:
    from .summary import UnitSummary

__all__ = ["NO_SERIAL_NOTE", "UNLISTED_NOTE", "entry_sheet", "entry_units"]

#: The note of a unit of the run whose serial ``[entry] tested_serials`` does not list.
UNLISTED_NOTE = (
    "not listed in [entry] tested_serials: tested in this run, so its verdict counts for the "
    "entry; add its serial to the list, or judge it in another run"
)
#: The note of a unit of the run whose serial the setup does not state.
NO_SERIAL_NOTE = (
    "serial not stated in [dut.serials]: it cannot be matched to a tested serial; its verdict "
    "counts for the entry"
)


def _same(a: str, b: str) -> bool:
    return a.strip().casefold() == b.strip().casefold()


def _decided_by(s: UnitSummary) -> str:
    """Return what decides a unit's verdict, as the command's line says it.

    A PASS: only what it takes on trust (:attr:`UnitSummary.assumptions`), else "".
    """
    if s.verdict is Verdict.PASS:
        return "; ".join(s.assumptions)
    parts = [s.deciding] if s.deciding else []
    if s.unreadable:
        parts.append("capture could not be used: " + "; ".join(s.unreadable))
    if s.missing:
        parts.append("not measured: " + "; ".join(s.missing))
    if s.other_device:
        parts.append("another device's capture, not used: " + ", ".join(s.other_device))
    if s.shared:  # one measurement filed under two units: evidence for neither
        parts.append(
            "capture also filed under another unit or port, not used: " + ", ".join(s.shared)
        )
    if s.still_open:  # a FAIL or ERROR unit's INCONCLUSIVE cells
        parts.append(s.still_open)
    # the error rows no cell above names: ``unreadable`` reads "L1 QP, AV from <files>"
    unused = [e.path for e in s.error_rows if not any(e.path in u for u in s.unreadable)]
    if unused:
        parts.append(unused_captures_text(unused))
    elif s.errors and not s.unreadable:
        parts.append(f"{s.errors} capture(s) could not be used")
    if s.decision_rule and parts:  # a verdict judged by a rule: which, with what U_lab
        parts.append(f"decision rule: {s.decision_rule}")
    return "; ".join([*parts, *s.assumptions])


def _row(s: UnitSummary, serial: str | None, model: str | None, note: str = "") -> EntryUnit:
    return EntryUnit(
        serial=serial,
        unit=s.unit,
        verdict=s.verdict,
        decided_by=_decided_by(s),
        decision_rule=s.decision_rule,
        record=f"{s.folder}/{s.record}" if s.record else None,
        report_id=s.report_id or None,
        model=model,
        note=note,
        record_missing=s.record_missing,
        assumed=assumption_labels(s.assumptions),
    )


def entry_units(
    listed: Sequence[str] | None,
    summaries: Sequence[UnitSummary],
    serials: Sequence[str | None],
    model: str | None,
    untested_models: Sequence[str] = (),
    dut_model: str | None = None,
) -> tuple[EntryUnit, ...]:
    """Return the entry's tested units: each listed serial in order, then the run's others.

    Then one INCOMPLETE row for each of ``untested_models``: the ``[entry] models`` this
    run did not judge (:func:`rfcheck.record.entry_sheet.models_not_judged`).

    Parameters
    ----------
    listed : sequence of str or None
        ``[entry] tested_serials`` (None: the setup lists none; every unit of the run is
        then a tested unit, without a note).
    summaries : sequence of UnitSummary
        The run's units, judged and written.
    serials : sequence of str or None
        Each unit's serial (:meth:`rfcheck.settings.Setup.unit_serial`), in the same order.
    model : str or None
        The tested model (``[dut]``), the same for every unit of the run.
    untested_models : sequence of str
        The entry's models that are not the run's.
    dut_model : str or None
        The run's ``[dut] model``, as their rows name it.
    """
    rows: list[EntryUnit] = []
    used: set[int] = set()
    seen: list[str] = []
    for serial in listed or ():
        if any(_same(serial, s) for s in seen):
            continue  # listed twice: one row
        seen.append(serial)
        match = next(
            (i for i, own in enumerate(serials) if own and i not in used and _same(own, serial)),
            None,
        )
        if match is None:
            rows.append(EntryUnit(serial, None, Verdict.INCOMPLETE, NOT_IN_RUN))
        else:
            used.add(match)
            rows.append(_row(summaries[match], serials[match], model))
    for i, (s, own) in enumerate(zip(summaries, serials, strict=True)):
        if i in used:
            continue
        note = NO_SERIAL_NOTE if own is None else (UNLISTED_NOTE if listed else "")
        rows.append(_row(s, own, model, note))
    why = model_not_in_run(dut_model) if untested_models else ""
    rows += [
        EntryUnit(None, None, Verdict.INCOMPLETE, why, model=m, untested_model=True)
        for m in untested_models
    ]
    return tuple(rows)


def _record_inputs(out: Path, summaries: Sequence[UnitSummary]) -> list[InputFile]:
    """Each record file the units wrote (``dossier.json``/``.html``/``.pdf``), hashed."""
    names = set(RECORD_FILES.values())
    files = []
    for s in summaries:
        for name in s.files:
            if name in names:
                path = f"{s.folder}/{name}"
                files.append(InputFile(path, file_sha256(out / path), role="unit-record"))
    return files


def _settings(record: Record, units: Sequence[EntryUnit]) -> dict[str, Any]:
    """Return what the sheet says besides the hashed records: the entry table, the rows."""
    entry = plain(record.entry)
    for key in ("tested_serials_warning", "entry_document"):
        entry.pop(key, None)
    return {
        "entry": entry,
        "units": [
            {
                "serial": u.serial,
                "unit": u.unit,
                "verdict": u.verdict.value,
                "report_id": u.report_id,
                **({"model_not_judged": u.model} if u.untested_model else {}),
            }
            for u in units
        ],
    }


def entry_sheet(
    record: Record,
    setup: Setup,
    summaries: Sequence[UnitSummary],
    out: Path,
    issued: _dt.datetime,
) -> EntrySheet | None:
    """Return the run's entry cover sheet, or ``None`` when the setup has no ``[entry]``.

    Parameters
    ----------
    record : Record
        The setup's record tables (:func:`rfcheck.product.record.record_of`).
    setup : Setup
    summaries : sequence of UnitSummary
        Every unit of the run, in order, after its records were written in ``out``.
    out : Path
        The run's output folder (the units' record files are hashed from it).
    issued : datetime
        The run's issue time (every record's).
    """
    if record.entry is None:
        return None
    n = len(summaries)
    serials = [setup.unit_serial(s.unit, n) for s in summaries]
    units = entry_units(
        record.entry.tested_serials,
        summaries,
        serials,
        tested_model(record),
        models_not_judged(record),
        record.dut.model,
    )
    settings = _settings(record, units)
    manifest = Manifest(  # the records are listed for 'verify'; the id is the entry's result
        inputs=tuple(sorted(_record_inputs(out, summaries), key=lambda f: f.path)),
        settings=settings,
        report_id=report_id((), settings, revision=record.test.revision),
        verdict=entry_verdict(units).value,
    )
    clauses = tuple(dict.fromkeys(c for s in summaries for c in s.clauses))
    return EntrySheet(record, units, manifest, issued, clauses, plan_from_setup(setup).not_required)
