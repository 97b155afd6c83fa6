"""One unit judged and written: what each dossier worker (or the command itself) runs.

:func:`unit_job` places the unit's captures, judges it (:func:`rfcheck.product.dossier.judge_unit`),
builds its record (:func:`rfcheck.product.record.unit_record`), names every file as the
manifest does, writes its outputs into the unit's staging folder and returns its summary
row; the command's process then moves them into ``OUT/<unit>`` (:mod:`rfcheck.product.publish`).
It is a module-level function so that a worker process can run it.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from ..batch.output import cannot_write
from ..errors import ReportError
from ..settings import Setup
from .assign import Assigned
from .outputs import entry_document
from .publish import Staged, in_final
from .summary import UnitSummary, unit_summary

if TYPE_CHECKING:
    from .dossier import UnitDossier
    from .placement import Placement
    from .record import UnitRecord

__all__ = ["unit_job"]


def unit_job(
    unit: str,
    placement: Placement,
    setup: Setup,
    staged: Staged,
    formats: tuple[str, ...],
    paper: str,
    ready: Mapping[Path, Assigned] | None = None,
    issued: _dt.datetime | None = None,
) -> UnitSummary:
    """Judge one unit and write its files in ``staged.staging``; return its summary row.

    The files belong in ``staged.final`` (``OUT/<unit>``, named in the summary), where the
    caller publishes them (:func:`rfcheck.product.publish.publish`). ``ready``: recordings
    the parent placed and scanned. ``issued``: the run's issue time, the same on every
    unit's record.
    """
    from ..report.dossier import write_unit  # renderers load matplotlib/reportlab lazily
    from .dossier import judge_unit
    from .record import unit_record

    assigned, errors = placement.assign_unit(unit, setup, ready)
    dossier = judge_unit(unit, placement.plan, placement.cells, assigned, errors, setup)
    record = unit_record(
        dossier,
        assigned,
        setup,
        placement.dirs,
        n_units=len(placement.found),
        issued=issued,
        entry_document=entry_document(formats),
    )
    shown, shown_record = _in_manifest_spelling(dossier, record, placement, assigned, setup)
    report_error = ""
    try:
        written = write_unit(shown, staged.staging, formats, setup, shown_record, paper=paper)
    except OSError as err:  # read-only, full: said as such, exit 3
        raise cannot_write(staged.final, in_final(staged, err)) from None
    except ReportError as err:  # the PDF cannot be laid out: the unit's other files stand
        written, report_error = list(err.written), str(err)
    from ..record.checklist import missing_items

    folder = staged.final.name
    return replace(
        unit_summary(dossier, folder, written, len(missing_items(record.checklist))),
        report_id=record.manifest.report_id.text,
        report_error=report_error,
    )


def _in_manifest_spelling(
    dossier: UnitDossier,
    record: UnitRecord,
    placement: Placement,
    assigned: Sequence[Assigned],
    setup: Setup,
) -> tuple[UnitDossier, UnitRecord]:
    """Return the unit and its record with every file named as the manifest names it.

    Relative to the manifest root, whatever the working directory
    (:mod:`rfcheck.product.spelling`): the run's captures (every unit's), a SigMF
    recording's samples, the setup, the transducer tables and the record's photos.
    """
    from ..shared_content import capture_files
    from .record import manifest_root
    from .spelling import respelled, spellings

    paths: list[str | Path] = [
        p for fs in placement.found.values() for f in fs for p in capture_files(f.path)
    ]
    paths += [t for a in assigned for t in a.settings.transducer_paths()]
    paths += [p for _, p in record.record.input_files()]
    paths += [setup.path] if setup.path is not None else []
    names = spellings(paths, manifest_root(placement.dirs, setup))
    shown = replace(
        record,
        findings=respelled(record.findings, names),
        checklist=respelled(record.checklist, names),
        spellings=names,
    )
    return respelled(dossier, names), shown
