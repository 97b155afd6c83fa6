"""PDF emissions report, laid out with reportlab platypus (text, tables, embedded plots).

Structure: cover (overall verdict, what an inconclusive result still needs, capture
summary, DUT, test information, equipment, scope statement), one section per capture
(margin plot, per-line results, suspect table, warnings), the correction chain, the
limit tables with their source clauses, and the provenance appendix (SHA-256 of every
input, rfcheck version, exact command, report id, issue time). Every page carries
the report id and "page X of Y".

With ``SOURCE_DATE_EPOCH`` set the document is built in reportlab's invariant mode and
dated from that variable, so the same inputs give a byte-identical file.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from ..outcome import Verdict
from ..results import CaptureResult, InputFile, LineCheck, RunResult, Suspect
from ..settings import Setup
from ..textsafe import printable, shorten
from . import _common as C
from . import _pdfkit as K
from ._limit_tables import LIMIT_SEGMENT_HEADERS, limit_tables
from .epoch import source_date_epoch
from .fonts import BOLD, INK, ZEBRA, register_fonts
from .pdfimage import png_flowable
from .pdfstreams import binary_streams
from .pdftext import markup_escape
from .plot_rendering import PNG_DPI
from .plots import FIGSIZE_IN, has_plot, plot_png
from .range_text import run_range_qualifier

__all__ = ["render_pdf", "PLOT_DPI"]

#: Resolution of plots embedded in the PDF: the PNG file's, so that one rendering serves
#: both (and the HTML page). [dpi]
PLOT_DPI = PNG_DPI
#: Longest text in one table cell (a narrow column wraps it one letter per line); longer
#: text (a 3,000-character label) is cut there with a note.
CELL_MAX_CHARS = 200


def _cover(
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

    rows: list[list[Any]] = [[Paragraph(h, st["head"]) for h in C.SUMMARY_HEADERS]]
    rows += [
        _cells(C.summary_row(i, c, C.capture_port(c, setup)), st, wrap=(1, 4))
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
    """Return the scope statement and the margin sign note, boxed."""
    stmt = Table(
        [[K.p(C.STATEMENT, st["body"])], [K.p(C.MARGIN_NOTE, st["small"])]],
        colWidths=[width],
        hAlign="LEFT",
    )
    stmt.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 1.0, INK),
                ("BACKGROUND", (0, 0), (-1, -1), ZEBRA),
                ("LEFTPADDING", (0, 0), (-1, -1), 8),
                ("TOPPADDING", (0, 0), (-1, 0), 6),
                ("BOTTOMPADDING", (0, -1), (-1, -1), 6),
            ]
        )
    )
    return stmt


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


def _cells(row: C.Row, st: dict[str, ParagraphStyle], wrap: Sequence[int] = ()) -> list[Any]:
    """Paragraphs of a data row: columns ``wrap`` may wrap, the verdict cell is coloured."""
    return [
        K.vtext(x, st["cell"])
        if isinstance(x, Verdict)
        else K.p(shorten(x, CELL_MAX_CHARS), st["cellwrap" if k in wrap else "cell"])
        for k, x in enumerate(row)
    ]


def _check_rows(checks: Sequence[LineCheck], st: dict[str, ParagraphStyle]) -> list[list[Any]]:
    rows: list[list[Any]] = [[Paragraph(h, st["head"]) for h in C.CHECK_HEADERS]]
    return rows + [_cells(C.check_row(c), st, wrap=(0, 7)) for c in checks]


#: Limit-line table column widths, fractions of the text width: Limit, Line, Detector,
#: Verdict, Worst margin, at [MHz], Basis, Notes. On A4 "at [MHz]" holds a six-digit
#: frequency ("0.501000") whole and Verdict holds INCONCLUSIVE in bold.
CHECK_WIDTHS: tuple[float, ...] = (0.14, 0.05, 0.12, 0.15, 0.1, 0.1, 0.11, 0.23)
#: Equipment table column widths: capture, instrument, capture time. On A4 "Captured" holds
#: an ISO 8601 time with microseconds and zone ("2025-11-12T14:03:27.000000Z") whole.
EQUIPMENT_WIDTHS: tuple[float, ...] = (0.31, 0.41, 0.28)
#: Cell padding a side of the many-column tables [pt] (reportlab's default is 6 pt).
NARROW_PADDING_PT = 2.0
_NARROW_PADDING = (
    ("LEFTPADDING", (0, 0), (-1, -1), NARROW_PADDING_PT),
    ("RIGHTPADDING", (0, 0), (-1, -1), NARROW_PADDING_PT),
)
#: Suspect table column widths, fractions of the text width: Freq., Reading, Conv., Corr.,
#: Level, Limit, Margin, Detector, Limit line, Verdict (, Source). On A4 each holds its
#: widest heading word ("[dBµV/m]" under Reading, Level and Limit), a frequency to 40 GHz,
#: +106.99, "≥ -10.32", "cispr-average", "fcc-15.109-b" and INCONCLUSIVE whole.
SUSPECT_WIDTHS: tuple[float, ...] = (0.09, 0.09, 0.08, 0.07, 0.09, 0.09, 0.08, 0.13, 0.14, 0.14)
#: With the Source column: 2 pt padding a side leaves the Source column "(hash-board" whole.
SUSPECT_WIDTHS_WITH_SOURCE: tuple[float, ...] = (
    *(0.08, 0.088, 0.074, 0.063, 0.088, 0.088, 0.074, 0.11, 0.103, 0.133, 0.099),
)


def _suspect_rows(suspects: Sequence[Suspect], st: dict[str, ParagraphStyle]) -> list[list[Any]]:
    u = suspects[0].unit if suspects else ""
    ru = suspects[0].reading_unit if suspects else ""
    sources = C.suspect_sources(suspects)
    rows: list[list[Any]] = [
        [
            Paragraph(markup_escape(h.replace("Frequency", "Freq.")), st["head"])
            for h in (*C.suspect_headers(ru, u), *(("Source",) if sources else ()))
        ]
    ]
    rows += [_cells(r, st, wrap=(8,)) for r in C.suspect_rows(suspects, ru)]
    for row, src in zip(rows[1:], sources, strict=False):
        row.append(K.p(src, st["cellwrap"]))
    return rows


def _capture_section(
    i: int,
    n: int,
    c: CaptureResult,
    run: RunResult,
    setup: Setup | None,
    width: float,
    st: dict[str, ParagraphStyle],
) -> list[Any]:
    """Return one capture's section: heading, figure, line results, suspects, warnings."""
    out: list[Any] = [PageBreak(), K.p(f"Capture {i} of {n}: {c.path}", st["h1"])]
    out += _capture_heading(c, st)
    out.append(Spacer(1, 2 * mm))
    out += _figure(c, run, setup, width, st)
    if c.checks:
        out += [
            CondPageBreak(40 * mm),
            K.p("Results per limit line", st["h2"]),
            K.table(
                _check_rows(c.checks, st),
                [f * width for f in CHECK_WIDTHS],
            ),
        ]
    suspects = [K.p("Suspect emissions", st["h2"]), *_suspect_table(c, width, st)]
    warnings = _warnings_and_errors(c, st)
    if warnings and isinstance(warnings[0], KeepTogether):
        # a short warnings section goes with the suspects, never alone on a page of its own
        return [*out, CondPageBreak(40 * mm), KeepTogether([*suspects, *warnings])]
    return [*out, CondPageBreak(40 * mm), *suspects, *warnings]


def _capture_heading(c: CaptureResult, st: dict[str, ParagraphStyle]) -> list[Any]:
    """Return the capture's verdict and facts line, its SHA-256 and its verdict summary."""
    cov = C.verdict_qualifiers(c)
    meta = [
        f"Verdict {c.verdict.value}" + (f" ({cov})" if cov else ""),
        f"format {c.format or 'unknown'}",
    ]
    if c.label:
        meta.append(f"port/polarisation {c.label}")
    if c.timestamp:
        meta.append(f"captured {c.timestamp}")
    out: list[Any] = [K.p(" \u00b7 ".join(meta), st["small"])]
    out.append(K.p(f"SHA-256 {c.sha256 or 'not available'}", st["mono"]))
    for line in C.verdict_summary(c):
        out.append(K.p(line, st["small"]))
    return out


def _figure(
    c: CaptureResult,
    run: RunResult,
    setup: Setup | None,
    width: float,
    st: dict[str, ParagraphStyle],
) -> list[Any]:
    """Return the capture's margin plot and its caption (a note when it cannot be drawn)."""
    out: list[Any] = []
    try:
        png = (
            plot_png(c, setup, dpi=PLOT_DPI, window_db=C.suspect_window_db(run, setup))
            if has_plot(c)
            else None
        )
    except Exception as err:  # a figure that fails never hides the verdict
        png = None
        out.append(K.p(f"Figure not drawn: {type(err).__name__}: {err}", st["small"]))
    if png is not None:
        h = width * FIGSIZE_IN[1] / FIGSIZE_IN[0]
        out.append(png_flowable(png, width, h))
        out.append(
            K.p(
                "Figure: corrected level and limit lines (top), margin = limit \u2212 "
                "level (bottom). Markers: \u25cb measured, \u25bd upper bound, \u25b3 lower "
                "bound; ringed: worst point (smaller: another line's worst).",
                st["muted"],
            )
        )
    return out


def _suspect_table(c: CaptureResult, width: float, st: dict[str, ParagraphStyle]) -> list[Any]:
    """Return the suspect table and its formula note, or the sentence saying there is none."""
    if not c.suspects:
        return [K.p("No emission came within the suspect window of a limit line.", st["small"])]
    widths = SUSPECT_WIDTHS_WITH_SOURCE if C.suspect_sources(c.suspects) else SUSPECT_WIDTHS
    return [
        K.table(
            _suspect_rows(c.suspects, st),
            [f * width for f in widths],
            extra=_NARROW_PADDING,  # 10-11 columns: numbers must not break mid-digit
        ),
        K.p(
            C.SUSPECT_FORMULA + " An upper bound (e.g. peak against a quasi-peak line) "
            "that is below the limit proves compliance; one above it does not prove "
            "non-compliance.",
            st["muted"],
        ),
    ]


def _warnings_and_errors(c: CaptureResult, st: dict[str, ParagraphStyle]) -> list[Any]:
    """Return the capture's errors and warnings under their heading (none: nothing)."""
    if not (c.warnings or c.errors):
        return []
    # heading kept with its first items, never orphaned items
    items = [K.p(f"ERROR {e.path}: {e.message}", st["small"]) for e in c.errors]
    items += [K.p(f"\u2022 {w}", st["small"]) for w in c.warnings]
    head = K.p("Warnings and errors", st["h2"])
    if len(items) <= 12:
        return [KeepTogether([head, *items])]
    # too long to keep on one page: flows, but never leaves its heading behind
    return [CondPageBreak(40 * mm), head, *items]


def _chain_and_limits(run: RunResult, width: float, st: dict[str, ParagraphStyle]) -> list[Any]:
    """Return the correction chain section and the limit tables section."""
    out: list[Any] = [
        PageBreak(),
        K.p("Correction chain", st["h1"]),
        K.p(
            "Level = reading + \u03a3 corrections (antenna factor, cable loss, LISN "
            "factor, attenuator; preamplifier gain subtracted).",
            st["small"],
        ),
    ]
    chains: dict[tuple[str, ...], list[str]] = {}
    for c in run.captures:
        chains.setdefault(c.corrections, []).append(c.path)
    for chain, paths in chains.items():
        who = "all captures" if len(paths) == len(run.captures) else ", ".join(paths)
        out.append(K.p(f"Applied to {who}:", st["h2"]))
        if not chain:
            out.append(K.p("No correction applied (readings taken as levels).", st["small"]))
        for k, item in enumerate(chain, 1):
            out.append(K.p(f"{k}. {item}", st["small"]))
    files = [i for i in run.inputs if i.role == "transducer"]
    if files:
        out.append(K.p("Transducer files used", st["h2"]))
        rows: list[list[Any]] = [[Paragraph(h, st["head"]) for h in ("File", "SHA-256")]]
        rows += [[K.p(i.path, st["cellwrap"]), K.p(i.sha256, st["mono"])] for i in files]
        out.append(K.table(rows, [0.44 * width, 0.56 * width]))

    out += [Spacer(1, 4 * mm), K.p("Limit tables", st["h1"])]
    tables = limit_tables(run)
    if not tables:
        out.append(K.p("No limit table was applied.", st["small"]))
    else:
        out.append(K.p(C.STATUS_LEGEND, st["muted"]))
    for lid, desc, segment_rows in tables:
        block = _limit_block(lid, desc, segment_rows, width, st)
        out.append(KeepTogether(block[:3]))
        out += block[3:]
    return out


def _limit_block(
    lid: str,
    desc: dict[str, Any],
    segment_rows: Sequence[Sequence[str]],
    width: float,
    st: dict[str, ParagraphStyle],
) -> list[Any]:
    """Return one limit table: heading, UNCONFIRMED note, source facts, segments, note."""
    _lid, title, info, unconfirmed = C.describe_limit(desc)
    block: list[Any] = [K.p(f"{lid} \u2014 {title}" if title else lid, st["h2"])]
    if unconfirmed:
        block.append(
            Paragraph(
                f'<font name="{BOLD}" color="{C.VERDICT_COLOURS[Verdict.INCONCLUSIVE]}">'
                "UNCONFIRMED: at least one value of this table is not confirmed "
                "from the primary source; verify before relying on it.</font>",
                st["small"],
            )
        )
    if info:
        kv: list[list[Any]] = [[Paragraph(h, st["head"]) for h in ("Item", "Value")]]
        kv += [[K.p(k, st["cell"]), K.p(v, st["cellwrap"])] for k, v in info]
        block.append(K.table(kv, [0.24 * width, 0.76 * width]))
        block.append(Spacer(1, 2 * mm))
    if segment_rows:
        seg: list[list[Any]] = [
            [Paragraph(markup_escape(h), st["head"]) for h in LIMIT_SEGMENT_HEADERS]
        ]
        seg += [[K.p(x, st["cell"]) for x in r] for r in segment_rows]
        block.append(K.table(seg, [f * width for f in (0.1, 0.16, 0.14, 0.14, 0.16, 0.16, 0.14)]))
        block.append(
            K.p(
                "Values at the measurement distance, as applied; where start and "
                "end differ the limit falls linearly with log(frequency). At a "
                "boundary frequency the lower limit applies.",
                st["muted"],
            )
        )
    return block


def _appendix(run: RunResult, rid: str, width: float, st: dict[str, ParagraphStyle]) -> list[Any]:
    out: list[Any] = [
        PageBreak(),
        K.p("Appendix: provenance", st["h1"]),
        K.p(
            "Every file this analysis read, with its SHA-256. The results apply "
            "only to these captures.",
            st["small"],
        ),
        Spacer(1, 2 * mm),
    ]
    rows: list[list[Any]] = [[Paragraph(h, st["head"]) for h in ("Role", "File", "SHA-256")]]
    inputs = list(run.inputs)
    listed = {(i.role, i.path) for i in inputs}
    for c in run.captures:  # captures the pipeline did not list (e.g. unreadable ones)
        if ("capture", c.path) not in listed:
            inputs.insert(0, InputFile("capture", c.path, c.sha256 or "unreadable"))
    for i in inputs:
        rows.append(
            [K.p(i.role, st["cell"]), K.p(i.path, st["cellwrap"]), K.p(i.sha256, st["mono"])]
        )
    out += [K.table(rows, [0.13 * width, 0.31 * width, 0.56 * width]), Spacer(1, 4 * mm)]
    info = [
        ("Report id", rid),
        ("rfcheck version", run.version),
        ("Issued (UTC)", C.issued_text(run)),
        ("Margin sign", C.MARGIN_NOTE),
        ("Decision rule", C.decision_rule_text(run)),
        *(("Warning", w) for w in run.explain_warnings),
    ]
    rows = [[Paragraph("Item", st["head"]), Paragraph("Value", st["head"])]]
    rows += [[K.p(k, st["cell"]), K.p(v, st["cellwrap"])] for k, v in info]
    rows.append([K.p("Command", st["cell"]), K.p(run.command or "not recorded", st["mono"])])
    if run.settings or run.settings_note:
        rows.append([K.p("Settings", st["cell"]), K.p(C.settings_note(run), st["cellwrap"])])
    for k, val in C.settings_rows(run.settings):
        rows.append([K.p(f"Setting: {k}", st["cell"]), K.p(val, st["cellwrap"])])
    out.append(K.table(rows, [0.22 * width, 0.78 * width]))
    if C.capture_settings_differ(run):
        for c in run.captures:
            if not c.settings:
                continue
            rows = [[Paragraph("Effective setting", st["head"]), Paragraph("Value", st["head"])]]
            rows += [
                [K.p(k, st["cell"]), K.p(val, st["cellwrap"])]
                for k, val in C.settings_rows(c.settings)
            ]
            out += [
                Spacer(1, 3 * mm),
                K.p(f"Settings used for {c.path}", st["h2"]),
                K.table(rows, [0.22 * width, 0.78 * width]),
            ]
    return out


def render_pdf(run: RunResult, setup: Setup | None = None) -> bytes:
    """Render the full PDF report.

    Parameters
    ----------
    run : RunResult
        One or more captures with their checks, suspects, plot data and inputs.
    setup : Setup, optional
        DUT / lab / test information from the ``--setup`` file.

    Returns
    -------
    bytes
        The PDF. Byte-identical for identical inputs when ``SOURCE_DATE_EPOCH`` is set.
    """
    register_fonts()
    st = K.styles()
    rid = C.report_id(run)
    reproducible = source_date_epoch() is not None
    buf = io.BytesIO()
    title = f"rfcheck emissions pre-compliance report {rid}"
    doc = SimpleDocTemplate(
        buf,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=20 * mm,
        bottomMargin=19 * mm,
        title=title,
        author="rfcheck",
        subject=C.STATEMENT,
        creator=f"rfcheck {run.version}",
        invariant=1 if reproducible else 0,
    )
    width = doc.width
    story = _cover(run, setup, rid, width, st)
    n = len(run.captures)
    for i, c in enumerate(run.captures, 1):
        story += _capture_section(i, n, c, run, setup, width, st)
    story += _chain_and_limits(run, width, st)
    story += _appendix(run, rid, width, st)
    head = C.running_header(run, setup)
    with binary_streams():
        doc.build(story, canvasmaker=K.canvas_class(rid, printable(head)))  # cut to fit
    return buf.getvalue()
