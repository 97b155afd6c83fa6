"""Page 1 of the check's PDF report: title, overall verdict, capture summary, DUT, equipment.

The verdict box carries the overall result in its colour with every qualifier it rests on
(UNCONFIRMED LIMIT VALUES, ASSUMED DWELL, ASSUMED SCALE) and each capture's verdict summary;
a result on a CISPR basis states that it is no FCC result in a box of its own
(:func:`rfcheck.report._fields.basis_lines`). The rest of the report is :mod:`.pdf`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, Spacer, Table, TableStyle

from ..outcome import Verdict
from ..results import RunResult
from ..settings import Setup
from . import _common as C
from . import _pdfkit as K
from .range_text import run_range_qualifier

__all__ = ["cover", "EQUIPMENT_WIDTHS"]

#: Equipment table column widths: capture, instrument, capture time. On A4 "Captured" holds
#: an ISO 8601 time with microseconds and zone ("2025-11-12T14:03:27.000000Z") whole.
EQUIPMENT_WIDTHS: tuple[float, ...] = (0.31, 0.41, 0.28)


def cover(
    run: RunResult, setup: Setup | None, rid: str, width: float, st: dict[str, ParagraphStyle]
) -> list[Any]:
    """Return the cover: title, overall verdict, capture summary, DUT, test, equipment, scope."""
    title, stated_title = C.title_lines(setup, run)
    dut = " ".join(f.value for f in C.dut_fields(setup)[:2] if f.stated) or "DUT not stated"
    std = C.standard_and_class(setup, C.judged_limits(run))
    out: list[Any] = [
        K.p(title, st["title"]),
        *([K.p(stated_title, st["subtitle"])] if stated_title else []),
        K.p(" \u2014 ".join(x for x in (dut, std) if x), st["subtitle"]),
        K.p(f"Report {rid}", st["muted"]),
        Spacer(1, 5 * mm),
    ]
    out += [_verdict_box(run, width, st), Spacer(1, 4 * mm)]
    if basis := C.basis_lines(run, setup):  # a CISPR 32 result is no FCC result: on page 1
        out += [_basis_box(basis, width, st), Spacer(1, 4 * mm)]
    if scope := C.plan_scope_lines(setup):  # a report of some captures is no product record
        out += [_basis_box(scope, width, st), Spacer(1, 4 * mm)]

    rows: list[list[Any]] = [[Paragraph(h, st["head"]) for h in C.SUMMARY_HEADERS]]
    rows += [
        K.row_cells(C.summary_row(i, c, C.capture_port(c, setup)), st, wrap=(1, 4))
        for i, c in enumerate(run.captures, 1)
    ]
    fr = [0.04, 0.28, 0.08, 0.14, 0.09, 0.09, 0.1, 0.18]
    out += [K.table(rows, [f * width for f in fr]), Spacer(1, 4 * mm)]
    out += [_dut_and_test(run, setup, width, st), Spacer(1, 4 * mm)]
    out += [_equipment_table(run, width, st), Spacer(1, 5 * mm)]
    out.append(KeepTogether([_statement(width, st)]))
    return out


def _basis_box(lines: Sequence[str], width: float, st: dict[str, ParagraphStyle]) -> Table:
    """Return the "not an FCC basis" statement, boxed (:func:`~._fields.basis_lines`)."""
    rows = [[K.p(lines[0], st["body"])], *[[K.p(x, st["small"])] for x in lines[1:]]]
    return K.boxed(rows, width)


def _verdict_box(run: RunResult, width: float, st: dict[str, ParagraphStyle]) -> Table:
    """Return the overall result in its verdict colour, with each capture's verdict summary."""
    v = run.verdict
    qualifier = run_range_qualifier(v, run.captures)  # several captures, some range-limited
    notes: list[Paragraph] = []
    for c in run.captures:
        prefix = f"{c.path}: " if len(run.captures) > 1 else ""
        for line in C.verdict_summary(c, every_need=False)[:6]:
            notes.append(K.p(prefix + line, st["vnote"]))
    partial = [c for c in run.captures if c.coverage == "partial"]
    if partial and v is not Verdict.ERROR and len(run.captures) > 1:  # one: its line says it
        which = f" ({len(partial)} of {len(run.captures)} captures)"
        notes.insert(
            0,
            K.p(
                f"PARTIAL COVERAGE{which}: this result applies only to the frequency ranges "
                "evaluated; the ranges listed as not evaluated were not judged.",
                st["vnote"],
            ),
        )
    box = Table(
        [
            [K.p(f"OVERALL RESULT: {v.value}{_banner_qualifiers(run)}", st["verdict"])],
            *([[K.p(f"PASS {qualifier}", st["vnote"])]] if qualifier else []),
            *[[n] for n in notes],
        ],
        colWidths=[width],
        hAlign="LEFT",
    )
    box.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, -1), K.vcolour(v)),
                ("TOPPADDING", (0, 0), (-1, 0), 8),
                ("BOTTOMPADDING", (0, 0), (-1, 0), 8),
                ("BOTTOMPADDING", (0, -1), (-1, -1), 8),
                ("LEFTPADDING", (0, 0), (-1, -1), 10),
                ("RIGHTPADDING", (0, 0), (-1, -1), 10),
            ]
        )
    )
    return box


def _dut_and_test(
    run: RunResult, setup: Setup | None, width: float, st: dict[str, ParagraphStyle]
) -> Table:
    """Return the device-under-test and test-information tables side by side."""
    half = (width - 4 * mm) / 2
    pair = Table(
        [
            [
                K.kv_table("Device under test", C.dut_fields(setup, run), half, st),
                K.kv_table("Test information", C.test_fields(run, setup), half, st),
            ]
        ],
        colWidths=[half + 4 * mm, half],
        hAlign="LEFT",
    )
    pair.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (0, 0), 4 * mm),
                ("RIGHTPADDING", (1, 0), (1, 0), 0),
            ]
        )
    )
    return pair


def _equipment_table(run: RunResult, width: float, st: dict[str, ParagraphStyle]) -> Table:
    """Return each capture's measuring equipment and capture time, as its file states them."""
    eq: list[list[Any]] = [
        [
            Paragraph(h, st["head"])
            for h in ("Capture", "Measuring equipment (from the capture file)", "Captured")
        ]
    ]
    for path, inst, ts in C.equipment_rows(run):
        eq.append(
            [K.p(path, st["cellwrap"]), K.p(inst, st["cellwrap"]), K.p(ts or "\u2013", st["cell"])]
        )
    return K.table(eq, [f * width for f in EQUIPMENT_WIDTHS])


def _statement(width: float, st: dict[str, ParagraphStyle]) -> Table:
    """Return the scope statement and the margin sign note, boxed and shaded."""
    return K.boxed(
        [[K.p(C.STATEMENT, st["body"])], [K.p(C.MARGIN_NOTE, st["small"])]], width, shaded=True
    )


def _banner_qualifiers(run: RunResult) -> str:
    """Return the overall verdict's qualifiers: UNCONFIRMED limit values, an assumed dwell.

    `` (UNCONFIRMED LIMIT VALUES)`` when the overall verdict rests on them, `` (ASSUMED
    DWELL)`` when it takes a dwell an instrument file does not state, `` (ASSUMED SCALE)``
    when its levels rest on a recording's default scale; else "".
    """
    return (
        (" (UNCONFIRMED LIMIT VALUES)" if C.run_unconfirmed(run) else "")
        + (" (ASSUMED DWELL)" if C.run_assumed_dwell(run) else "")
        + (" (ASSUMED SCALE)" if C.run_assumed_scale(run) else "")
    )
