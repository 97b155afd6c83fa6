"""The record PDF end to end: sections in the order issue 11 sets, manifest attached.

The dossier supplies its measurement sections (completeness matrix, final tables, plots,
per-cell detail, limit provenance) as callables; the record supplies the rest:

cover · checklist · [measurements] · test and lab · equipment · support equipment and cables
· setup photos · 2.1077 block · entry cover sheet · findings · [limit provenance] + status
legend · input manifest · signatures.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from pathlib import Path

from reportlab.platypus import Flowable, PageBreak

from .attachments import Attachment
from .checklist import ChecklistItem, DataShown, Section, build_checklist
from .document import PageIndex, Paper, SectionMark, build_pdf
from .findings import Finding
from .issue import issue_time
from .manifest import Manifest
from .model import Record
from .pdf_declarations import (
    compliance_section,
    entry_section,
    findings_section,
    manifest_section,
    provenance_legend,
    signature_section,
)
from .pdf_sections import (
    CoverFacts,
    checklist_section,
    cover_section,
    equipment_section,
    photo_section,
    support_section,
    test_lab_section,
)

__all__ = ["Part", "record_story", "write_record_pdf"]

#: A dossier-supplied part: ``part(index) -> flowables``.
Part = Callable[[PageIndex], list[Flowable]]


def record_story(
    record: Record,
    facts: CoverFacts,
    index: PageIndex,
    *,
    findings: Sequence[Finding] = (),
    manifest: Manifest | None = None,
    measurements: Part | None = None,
    provenance: Part | None = None,
    data: DataShown | None = None,
    checklist: Sequence[ChecklistItem] | None = None,
) -> list[Flowable]:
    """All flowables of a record PDF, in the documented order.

    ``measurements`` (the dossier's matrix, tables, plots, per-cell detail) and
    ``provenance`` (its limit-provenance table) are called with ``index``; when
    ``measurements`` is ``None`` the checklist reports the measurement data as missing.
    ``data`` says what the measurement data show (the checklist's data item and the cover's
    record line); without it, the cover's verdict with no detail. ``checklist``: the record's
    checklist as the dossier built it (its JSON and HTML print the same one); without it,
    built here from ``record``, ``data`` and the ``findings``' gaps.
    """
    if data is None and facts.verdict:
        data = DataShown(facts.verdict.upper())
    if checklist is None:
        checklist = build_checklist(
            record, has_measurements=measurements is not None, data=data, findings=findings
        )
    checklist = tuple(checklist)
    story: list[Flowable] = [
        *cover_section(record, facts, checklist, findings, index),
        PageBreak(),
        *checklist_section(checklist, index),
        PageBreak(),
    ]
    if measurements is not None:
        story += [SectionMark(Section.MEASUREMENTS, index), *measurements(index), PageBreak()]
    story += [
        *test_lab_section(record, index),
        *equipment_section(record, index, findings),
        *support_section(record, index),
        PageBreak(),
        *photo_section(record, index),
        PageBreak(),
        *compliance_section(record, index, data.verdict if data else None),
    ]
    entry = entry_section(record, facts, index)
    if entry:
        story += [PageBreak(), *entry]
    story += [PageBreak(), *findings_section(findings, index)]
    if provenance is not None:
        story += provenance(index)
    story += provenance_legend(index)
    if manifest is not None:
        story += manifest_section(manifest, index)
    story += signature_section(record, index)
    return story


def write_record_pdf(
    out: str | Path | None,
    record: Record,
    facts: CoverFacts,
    *,
    findings: Sequence[Finding] = (),
    manifest: Manifest | None = None,
    measurements: Part | None = None,
    provenance: Part | None = None,
    attachments: Iterable[Attachment] = (),
    paper: Paper | str = Paper.LETTER,
    data: DataShown | None = None,
    checklist: Sequence[ChecklistItem] | None = None,
) -> bytes:
    """Write the record PDF.

    The manifest (when given) is attached as ``manifest.json`` besides ``attachments`` (the dossier
    JSON and summary CSV), with the digest of the finished pages (:func:`~.pages.seal`).
    ``data``: what the measurement data show, ``checklist`` the record's checklist
    (:func:`record_story`).
    The cover prints ``facts.issued`` (default: :func:`~.issue.issue_time`, now or
    ``SOURCE_DATE_EPOCH``), which is also the PDF's creation date.
    """
    if facts.issued is None:
        facts = replace(facts, issued=issue_time())
    return build_pdf(
        out,
        lambda index: record_story(
            record,
            facts,
            index,
            findings=findings,
            manifest=manifest,
            measurements=measurements,
            provenance=provenance,
            data=data,
            checklist=checklist,
        ),
        paper=paper,
        title=facts.title or record.test.report_title or "rfcheck test record",
        report_id=facts.report_id,
        attachments=attachments,
        manifest=manifest,
        issued=facts.issued,
    )
