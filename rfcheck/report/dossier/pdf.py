"""``dossier.pdf``: the test record of one unit as a customs file (issues 10 and 11).

The record layer (:func:`rfcheck.record.write_record_pdf`) lays the document out in the
order issue 11 sets: cover, 2.938(b) checklist, then the measurement sections of this
module (:data:`SECTIONS`: plan, completeness matrix, final tables, per-port plots, per-cell
detail, error rows), then test and lab, equipment with calibration status, support
equipment and cables, setup photos, the 2.1077 block, the entry cover sheet, findings,
limit provenance (:func:`provenance_section`) with the status legend, the input manifest
and the signature blocks. ``dossier.json``, ``summary.csv`` and ``manifest.json`` are
attached. US Letter by default, A4 on request.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    KeepTogether,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from ...product.dossier import UnitDossier, receiver_note
from ...product.final_table import LINE_KEYS, ROWS_CHOSEN, FinalRow, TableValue
from ...product.final_table import TITLE as FINAL_TABLE_TITLE
from ...product.repeat_captures import repeat_notes
from ...settings import Setup
from ...textsafe import Lines, field_lines
from ...units import reading_text
from .. import _common as C
from .. import _pdfkit as K
from ..detector_names import detector_abbr
from ..fonts import BOLD, FONT, MONO, register_fonts
from ..margin_text import level_relation
from ..pdfimage import png_flowable, read_png
from ..pdftext import markup_escape, paragraph
from ._distance import cell_distance_text, row_distance, several_distances
from ._rows import (
    BEYOND_REQUIRED,
    FINAL_ROUNDING_NOTE,
    MATRIX_HEADERS,
    ROW_COLOURS,
    device_rows,
    empty_final_table_text,
    fmt_mhz,
    fmt_ranges,
    judged_limits,
    matrix_rows,
    row_frequencies,
    unreadable_text,
    verdict_reasons,
)

if TYPE_CHECKING:
    from ...product.record import UnitRecord

__all__ = ["PdfContext", "Section", "SECTIONS", "provenance_section", "render_dossier_pdf"]

#: Text width on either paper (Letter 216 mm, A4 210 mm, 18 mm margins). [pt]
_TEXT_WIDTH_PT = 172 * mm

#: Completeness matrix column widths, fractions of the text width (:data:`MATRIX_HEADERS`):
#: each holds its widest heading word and "fcc-15.107-b", INCONCLUSIVE, "≥ -10.32" and a
#: 6-digit frequency (0.194775) whole.
MATRIX_WIDTHS = (0.05, 0.14, 0.05, 0.1, 0.125, 0.08, 0.085, 0.12, 0.13, 0.12)

#: Matrix colours per cell state: the reports' one palette (MISSING and INCOMPLETE share one),
#: and a PASS on what was read (:data:`~._rows.PASS_ON_WHAT_WAS_READ`) its own.
_COLOURS = ROW_COLOURS


@dataclass(frozen=True)
class PdfContext:
    """What every section may draw from."""

    dossier: UnitDossier
    setup: Setup | None
    width: float  #: text width of the page [pt]
    styles: dict[str, ParagraphStyle]
    plots: Sequence[tuple[str, bytes]]  #: (title, PNG bytes)
    serial: str | None = None  #: this unit's serial number (None: not stated)


Section = Callable[[PdfContext], list[Any]]

#: Not-measured ranges a cell's detail names (a scan whose step is wider than its RBW can
#: leave thousands of gaps; dossier.json lists them all).
MAX_DETAIL_RANGES = 60


def _para(text: str, style: ParagraphStyle) -> Paragraph:
    r"""Paragraph of data text: escaped; breaks between the lines of a :class:`Lines` only.

    A line feed inside a field (a capture's file name) is shown as ``\n``.
    """
    return paragraph("<br/>".join(markup_escape(x) for x in field_lines(text)), style)


def _h(text: str, ctx: PdfContext) -> Paragraph:
    return Paragraph(markup_escape(text), ctx.styles["h2"])


def _plan(ctx: PdfContext) -> list[Any]:
    d, st = ctx.dossier, ctx.styles
    dut = ctx.setup.dut if ctx.setup else {}
    fields = [C.Field(k, v, True) for k, v in device_rows(d, dut, ctx.serial)]
    return [
        Paragraph(markup_escape(f"Measurements: {d.unit} ({d.verdict.value})"), st["title"]),
        Spacer(1, 3 * mm),
        K.kv_table("Device and plan", fields, ctx.width, st),
        Spacer(1, 3 * mm),
    ]


def _matrix(ctx: PdfContext) -> list[Any]:
    st = ctx.styles
    rows: list[list[Any]] = [[K.p(h, st["th"]) for h in MATRIX_HEADERS]]
    extra = []
    # paths as the manifest names them, relative to its root: not shortened
    several = several_distances(ctx.dossier)
    for i, r in enumerate(matrix_rows(ctx.dossier.cells, several=several, clauses=True), 1):
        rows.append([_para(c, st["cellwrap"]) for c in r.cells])
        extra.append(("BACKGROUND", (4, i), (4, i), colors.HexColor(_COLOURS[r.verdict])))
        extra.append(("TEXTCOLOR", (4, i), (4, i), colors.white))
        rows[-1][4] = Paragraph(
            f'<font color="#ffffff">{markup_escape(r.cells[4])}</font>', st["cell"]
        )
    widths = [f * ctx.width for f in MATRIX_WIDTHS]
    out: list[Any] = [_h("Completeness matrix", ctx), K.table(rows, widths, extra=extra)]
    return [*out, Spacer(1, 3 * mm)]


def _value_text(
    s: TableValue | None, line: str | None = None, at_mhz: str = "", key: str = ""
) -> str:
    """One value of the final table: what was read, the level it gives, limit and margin.

    ``PK reading 54.34 dBµV`` / ``+ Conv. +0.00 dB + Corr. +0.67 dB`` / ``= QP ≤ 55.01 dBµV``
    / ``limit 63.83, margin ≥ +8.82 dB`` / ``upper bound (PK reading)`` / ``capture [1]``:
    the detector read is named, and a level bounded by another detector's reading is marked
    ``≤``/``≥`` like its margin (``rfcheck.report.margin_text``). ``at_mhz`` (the frequency
    of the reading, :func:`row_frequencies`, given when it is not the row's) names where it
    was read, on a line of its own before the rest: ``at 1000.5 MHz``. ``key``: the short
    name of the capture it was read from (:func:`_capture_keys`, listed under the table).
    """
    if s is None:
        return ""
    read = detector_abbr(s.detector)
    level = f"{level_relation(s.bound)}{s.level:.2f} {s.unit}"
    if line is not None:
        level = f"{line} {level}"
    if s.reading is not None and s.correction_db is not None and s.conversion_db is not None:
        level = (
            f"{read} reading {reading_text(s.reading, s.reading_unit)} {s.reading_unit}\n"
            f"+ Conv. {s.conversion_db:+.2f} dB + Corr. {s.correction_db:+.2f} dB\n= {level}"
        )
    else:
        level = f"{read} read: {level}"
    margin = C.fmt_margin(s.margin_db, s.bound)
    basis = s.basis
    if line is not None and read != line and level_relation(s.bound):
        basis += f" ({read} reading)"
    where = f"at {at_mhz} MHz\n" if at_mhz else ""
    capture = f"\ncapture {key}" if key else ""
    # numbers, units and rfcheck's words only: its line feeds are its own
    text = f"{where}{level}\nlimit {s.limit:.2f}, margin {margin} dB\n{basis}{capture}"
    return Lines(text.split("\n"))


def _final_table(
    rows: Sequence[FinalRow], ctx: PdfContext, keys: Mapping[str, str] | None = None
) -> Table:
    """Return a port's final table: a column per limit line with a value in some row.

    A line no row has a value for (PK on a conducted port) gets no empty column; the
    columns left share its width, so a value's terms do not wrap. Each value ends with the
    short name (``keys``) of the capture it was read from, listed under the table.
    """
    st = ctx.styles
    keys = keys or {}
    lines = [ln for ln in LINE_KEYS if any(r.values.get(ln) is not None for r in rows)]
    lines = lines or list(LINE_KEYS)
    head = [
        "Freq. [MHz]",
        *(
            f"{ln}: detector reading + Conv. + Corr. = level; limit, margin; bound; "
            "capture (at [MHz] when read off the row's frequency)"
            for ln in lines
        ),
    ]
    data: list[list[Any]] = [[K.p(h, st["th"]) for h in head]]
    several = several_distances(ctx.dossier)
    for r in rows:
        row_mhz, at_mhz = row_frequencies(r)
        # a reading taken off the row's frequency says where (QP 1000.0, AV 1000.5 MHz)
        off = {ln: at for ln, at in at_mhz.items() if at != row_mhz}
        # a unit measured at two distances: each radiated row says its own (at 3 m)
        named = [f"at {m}" for m in [row_distance(r, several)] if m]
        named += [f"({BEYOND_REQUIRED.split(',')[0]})"] * r.beyond_required
        data.append(
            [
                _para(Lines([row_mhz, *named]), st["cellwrap"])
                if named
                else K.p(row_mhz, st["cell"]),
                *(
                    _para(
                        _value_text(r.values.get(ln), ln, off.get(ln, ""), _key(r, ln, keys)),
                        st["cellwrap"],
                    )
                    for ln in lines
                ),
            ]
        )
    w = ctx.width
    return K.table(data, [0.1 * w, *(0.9 * w / len(lines) for _ in lines)])


def _capture_keys(rows: Sequence[FinalRow]) -> dict[str, str]:
    """Return a short name per capture the rows' values were read from: ``[1]``, ``[2]`` ...

    In the order the values name them (row by row, QP, AV, PK); the PDF's final table ends
    each value with it and lists them under the table (:func:`_capture_keys_text`), so a
    long path does not widen the table on Letter or A4.
    """
    keys: dict[str, str] = {}
    for r in rows:
        for line in LINE_KEYS:
            v = r.values.get(line)
            if v is not None and v.capture and v.capture not in keys:
                keys[v.capture] = f"[{len(keys) + 1}]"
    return keys


def _capture_keys_text(keys: Mapping[str, str]) -> str:
    """Return the keys of the table above: ``Captures: [1] conducted/a.csv; [2] ...``."""
    return "Captures: " + "; ".join(f"{k} {path}" for path, k in keys.items())


def _key(r: FinalRow, line: str, keys: Mapping[str, str]) -> str:
    v = r.values.get(line)
    return "" if v is None else keys.get(v.capture, "")


def _finals(ctx: PdfContext) -> list[Any]:
    out: list[Any] = []
    for i, port in enumerate(ctx.dossier.plan.ports):
        rows = ctx.dossier.rows_of(port)
        keys = _capture_keys(rows)
        body = (
            _final_table(rows, ctx, keys)
            if rows
            else K.p(empty_final_table_text(ctx.dossier, port), ctx.styles["muted"])
        )
        head = [_h(FINAL_TABLE_TITLE, ctx)] if i == 0 else []
        if i == 0 and ctx.dossier.final_rows:
            head.append(_para(FINAL_ROUNDING_NOTE, ctx.styles["cellwrap"]))
        if i == 0:
            head.append(_para(ROWS_CHOSEN, ctx.styles["cellwrap"]))
        texts = [_capture_keys_text(keys)] if keys else []
        texts += [f"Note: {n}." for n in repeat_notes(rows)]
        several = several_distances(ctx.dossier)
        texts += [f"Note: {n.text(several)}." for n in ctx.dossier.no_emission_of(port)]
        texts += _computed_notes(ctx, port)
        notes = [_para(text, ctx.styles["cellwrap"]) for text in texts]
        out.append(
            KeepTogether([*head, Paragraph(markup_escape(port), ctx.styles["h3"]), body, *notes])
        )
    return out


def _computed_notes(ctx: PdfContext, port: str) -> list[str]:
    """Say under a port's final table which of its captures the receiver model computed."""
    d = ctx.dossier
    paths = [p for r in d.ports if r.port == port for p in r.captures if p in d.computed]
    return [f"Note: {receiver_note(p)}. A value drawn from it is computed." for p in paths]


def _plots(ctx: PdfContext) -> list[Any]:
    out: list[Any] = []
    for i, (title, png) in enumerate(ctx.plots):
        size = read_png(png)  # the PNG's own aspect (a legend's rows make it taller)
        img = png_flowable(png, ctx.width, ctx.width * size.height_px / size.width_px)
        img.hAlign = "CENTER"  # where reportlab's Image puts it
        head = [_h("Margin plots", ctx)] if i == 0 else []  # never alone at a page foot
        out.append(KeepTogether([*head, K.p(title, ctx.styles["muted"]), img]))
    return out


def _errors(ctx: PdfContext) -> list[Any]:
    d, st = ctx.dossier, ctx.styles
    if not d.errors:
        return []
    rows: list[list[Any]] = [[K.p("File", st["th"]), K.p("Problem", st["th"])]]
    rows += [[K.p(e.path, st["cellwrap"]), K.p(e.message, st["cellwrap"])] for e in d.errors]
    return [_h("Errors", ctx), K.table(rows, [0.4 * ctx.width, 0.6 * ctx.width])]


def _cell_detail(ctx: PdfContext) -> list[Any]:
    """Build the per-cell detail.

    Each required cell, the clause it is judged under, its state, worst point, what would
    settle it, the captures behind it and every range not measured.
    """
    st = ctx.styles
    out: list[Any] = []
    for i, c in enumerate(ctx.dossier.cells):
        r = c.required
        head = (
            f"{r.port} · {r.limit_id} {r.line} · "
            f"{fmt_mhz(r.start_hz)}-{fmt_mhz(r.stop_hz)} MHz: {c.state.value}"
        )
        lines = [f"clause: {r.clause}"] if r.clause else []
        if c.worst_margin_db is not None:
            lines.append(
                f"worst margin {C.fmt_margin(c.worst_margin_db, c.worst_bound)} dB at "
                f"{fmt_mhz(c.worst_frequency_hz)} MHz"
                + (f" ({c.worst_basis})" if c.worst_bound is not None else "")
            )
        if c.needs:
            lines.append(f"needs: {c.needs}")
        if at := cell_distance_text(c, several_distances(ctx.dossier)):
            lines.append(at)
        none = "none judged" if c.unreadable else "none"
        lines.append("captures: " + (", ".join(c.captures) or none))
        lines += [receiver_note(p) for p in c.captures if p in ctx.dossier.computed]
        if c.unreadable:
            lines.append(unreadable_text(c))
        if c.missing_hz:
            shown = fmt_ranges(c.missing_hz, limit=MAX_DETAIL_RANGES)  # dossier.json: all
            lines.append(f"not measured [MHz]: {shown}")
        title = [_h("Per-cell detail", ctx)] if i == 0 else []
        out.append(
            KeepTogether(
                [
                    *title,
                    Paragraph(markup_escape(head), st["h3"]),
                    _para(Lines(lines), st["cellwrap"]),
                ]
            )
        )
    return out


def _notes(ctx: PdfContext) -> list[Any]:
    """Build the notes of the judgement (rule notes, dwell and bandwidth warnings), per port."""
    d, st = ctx.dossier, ctx.styles
    if not d.warnings:
        return []
    return [_h("Notes", ctx), *(_para(w, st["cellwrap"]) for w in d.warnings)]


#: The measurement sections, in order (the record layer puts them after the checklist).
SECTIONS: list[Section] = [_plan, _matrix, _finals, _plots, _cell_detail, _errors, _notes]


#: The limit files' status tags (``rfcheck.limits.model.STATUSES``) in the legend's words.
_STATUS_WORDS = {"P": "primary", "S": "secondary", "D": "derived", "UNCONFIRMED": "UNCONFIRMED"}


def provenance_section(ctx: PdfContext) -> list[Any]:
    """Build the limit provenance section.

    Per limit table of the plan: its clause, edition, where it was checked (retrieved) and
    its status (the legend follows, from the record layer).
    """
    from ...errors import RfcheckError
    from ...limits import load_shipped

    st = ctx.styles
    rows: list[list[Any]] = [
        [K.p(h, st["th"]) for h in ("Limit table", "Clause", "Edition", "Where checked", "Status")]
    ]
    for lid in dict.fromkeys(c.required.limit_id for c in ctx.dossier.cells):
        try:
            t = load_shipped(lid)
        except RfcheckError:
            rows.append([K.p(lid, st["cell"]), *(K.p("not found", st["cell"]) for _ in range(4))])
            continue
        status = _STATUS_WORDS.get(t.status, t.status)
        rows.append(
            [_para(v, st["cellwrap"]) for v in (t.id, t.source, t.edition, t.retrieved, status)]
        )
    w = ctx.width
    return [
        _h("Limit provenance", ctx),
        K.table(rows, [0.16 * w, 0.3 * w, 0.16 * w, 0.26 * w, 0.12 * w]),
    ]


def _embedded_font(flowables: list[Any]) -> list[Any]:
    """Give every table the embedded font.

    A table's default cell font is reportlab's unembedded Helvetica, which would appear in
    the PDF even for an empty cell.
    """
    for f in flowables:
        if isinstance(f, Table):
            f.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), FONT)]))
            for row in f._cellvalues:
                _embedded_font([c for c in row if not isinstance(c, str)])
        elif isinstance(f, KeepTogether):
            _embedded_font(list(f._content))
    return flowables


def _styles() -> dict[str, ParagraphStyle]:
    st = dict(K.styles())
    base = st["body"]
    st.setdefault(
        "title", ParagraphStyle("dtitle", parent=base, fontName=BOLD, fontSize=14, leading=18)
    )
    st.setdefault(
        "h2",
        ParagraphStyle(
            "dh2",
            parent=base,
            fontName=BOLD,
            fontSize=11.5,
            leading=15,
            spaceBefore=8,
            spaceAfter=4,
        ),
    )
    st.setdefault(
        "h3",
        ParagraphStyle(
            "dh3",
            parent=base,
            fontName=BOLD,
            fontSize=9.5,
            leading=12,
            spaceBefore=4,
            spaceAfter=2,
        ),
    )
    st.setdefault(
        "th",
        ParagraphStyle(
            "dth", parent=base, fontName=BOLD, fontSize=7.2, leading=8.8, textColor=colors.white
        ),
    )
    st.setdefault(
        "mono",
        ParagraphStyle(
            "dmono", parent=base, fontName=MONO, fontSize=6.2, leading=7.6, wordWrap="CJK"
        ),
    )
    return st


def render_dossier_pdf(
    d: UnitDossier,
    setup: Setup | None,
    plots: Sequence[tuple[str, bytes]] = (),
    record: UnitRecord | None = None,
    *,
    paper: str = "letter",
    attachments: Mapping[str, bytes] | None = None,
) -> bytes:
    """Render the PDF of one unit.

    Parameters
    ----------
    d : UnitDossier
    setup : Setup or None
    plots : sequence of (str, bytes)
        Margin plots (title, PNG).
    record : UnitRecord, optional
        The customs record (:func:`rfcheck.product.record.unit_record`); without it the
        record sections print every item as missing and no manifest is attached.
    paper : str
        ``letter`` (default) or ``a4``.
    attachments : mapping of str to bytes, optional
        Files to embed besides the manifest (``dossier.json``, ``summary.csv``).
    """
    from ...product.decision import rule_cover_lines
    from ...product.record import data_shown
    from ...record.attachments import Attachment
    from ...record.banner import assumption_labels
    from ...record.model import Record
    from ...record.pdf_sections import CoverFacts
    from ...record.story import write_record_pdf

    register_fonts()
    serial = record.record.dut.serial if record is not None else None
    ctx = PdfContext(d, setup, _TEXT_WIDTH_PT, _styles(), plots, serial)

    def part(sections: Sequence[Section]) -> Callable[[Any], list[Any]]:
        return lambda _index: _embedded_font([f for section in sections for f in section(ctx)])

    rec = record.record if record is not None else Record()
    manifest = record.manifest if record is not None else None
    facts = CoverFacts(
        verdict=d.verdict.value,
        report_id=None if manifest is None else manifest.report_id.text,
        unit=d.unit,
        title=rec.test.report_title or f"rfcheck test record: {d.unit}",
        reasons=tuple(verdict_reasons(d)),
        issued=None if record is None else record.issued,
        limits=tuple(judged_limits(d)),
        capture_days=None if record is None else record.capture_days,
        undated_captures=0 if record is None else record.undated_captures,
        decision_rule=rule_cover_lines(d.rules),
        assumed=assumption_labels(d.assumptions),
    )
    return write_record_pdf(
        None,
        rec,
        facts,
        findings=() if record is None else record.findings,
        manifest=manifest,
        measurements=part(SECTIONS),
        provenance=part([provenance_section]),
        attachments=[Attachment(k, v) for k, v in (attachments or {}).items()],
        paper=paper,
        data=data_shown(d),
        checklist=None if record is None else record.checklist,
    )
