"""PDF emissions report, laid out with reportlab platypus (text, tables, embedded plots).

Structure: the cover (:mod:`.pdf_cover`: overall verdict, what an inconclusive result still
needs, capture summary, DUT, test information, equipment, scope statement), one section per
capture (this module: margin plot, per-line results, suspect table, warnings), then
(:mod:`.pdf_back_matter`) the correction chain, the limit tables with their source clauses,
and the provenance appendix (SHA-256 of every input, rfcheck version, exact command, report
id, issue time). Every page carries the report id and "page X of Y".

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
)

from ..results import CaptureResult, LineCheck, RunResult, Suspect
from ..settings import Setup
from ..textsafe import printable
from . import _common as C
from . import _pdfkit as K
from .epoch import source_date_epoch
from .fonts import register_fonts
from .pdf_back_matter import appendix, chain_and_limits
from .pdf_cover import cover
from .pdfimage import png_flowable
from .pdfstreams import binary_streams
from .pdftext import markup_escape
from .plot_rendering import PNG_DPI
from .plots import FIGSIZE_IN, has_plot, plot_png

__all__ = ["render_pdf", "PLOT_DPI"]

#: Resolution of plots embedded in the PDF: the PNG file's, so that one rendering serves
#: both (and the HTML page). [dpi]
PLOT_DPI = PNG_DPI


def _check_rows(checks: Sequence[LineCheck], st: dict[str, ParagraphStyle]) -> list[list[Any]]:
    rows: list[list[Any]] = [[Paragraph(h, st["head"]) for h in C.CHECK_HEADERS]]
    return rows + [K.row_cells(C.check_row(c), st, wrap=(0, 7)) for c in checks]


#: Limit-line table column widths, fractions of the text width: Limit, Line, Detector,
#: Verdict, Worst margin, at [MHz], Basis, Notes. On A4 "at [MHz]" holds a six-digit
#: frequency ("0.501000") whole and Verdict holds INCONCLUSIVE in bold.
CHECK_WIDTHS: tuple[float, ...] = (0.14, 0.05, 0.12, 0.15, 0.1, 0.1, 0.11, 0.23)
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
    rows += [K.row_cells(r, st, wrap=(8,)) for r in C.suspect_rows(suspects, ru)]
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
    story = cover(run, setup, rid, width, st)
    n = len(run.captures)
    for i, c in enumerate(run.captures, 1):
        story += _capture_section(i, n, c, run, setup, width, st)
    story += chain_and_limits(run, width, st)
    story += appendix(run, rid, width, st)
    head = C.running_header(run, setup)
    with binary_streams():
        doc.build(story, canvasmaker=K.canvas_class(rid, printable(head)))  # cut to fit
    return buf.getvalue()
