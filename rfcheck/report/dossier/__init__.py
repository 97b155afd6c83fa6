"""Renderers of the product test record (``rfcheck dossier``): JSON, HTML, PDF, plots.

:func:`write_unit` writes ``OUT/<unit>/dossier.json``, ``dossier.html``, ``dossier.pdf``
and ``plot_<port group>.png`` (one per mains line, one for the radiated polarisations
overlaid); :func:`write_summary` writes ``OUT/summary.json``. Every file is written
atomically. The PDF carries ``dossier.json``, ``summary.csv`` (:func:`summary_csv`) and
the input manifest as attachments (issue 11).
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ..._version import __version__
from ...errors import ReportError
from ...outcome import MARGIN_SIGN
from ...product.decision import EFFECTIVE_PREFIX
from ...product.dossier import UnitDossier
from ...product.outputs import RECORD_FILES
from ...settings import Setup
from ...textsafe import json_safe
from ..atomic import write_atomic
from ..csv_cells import csv_cell, csv_number
from ._distance import several_distances
from ._rows import FINAL_HEADERS, MATRIX_HEADERS, final_rows, matrix_rows, port_groups

if TYPE_CHECKING:
    from ...product.record import UnitRecord

__all__ = ["write_unit", "write_summary", "dossier_json", "summary_csv"]

#: Names of the files the dossier PDF carries as attachments (besides ``manifest.json``).
JSON_ATTACHMENT = RECORD_FILES["json"]
CSV_ATTACHMENT = "summary.csv"


def dossier_json(d: UnitDossier, record: UnitRecord | None = None) -> bytes:
    """Return the ``dossier.json`` of one unit.

    The issue-10 contract: ``units`` holds this unit; with the record: ``report_id``,
    ``record``, ``checklist``, ``record_incomplete``, ``findings`` (issue 11,
    ``docs/dossier.md``), and the unit's ``inputs`` are the record manifest's
    (:meth:`rfcheck.record.manifest.Manifest.listed`: paths relative to the manifest root,
    the photos and a recording's data file included, the shipped tables named as such), the
    one list the PDF manifest and the HTML print.
    """
    doc: dict[str, object] = {
        "rfcheck_version": __version__,
        "margin_sign": MARGIN_SIGN,
        "verdict": d.verdict.value,
    }
    if record is not None:
        from ...record.export import record_dict

        doc.update(
            record_dict(
                record.record,
                record.checklist,
                record.findings,
                record.manifest.report_id,
                record.issued,
            )
        )
        if record.spellings:  # the photos as the manifest names them
            from ...product.spelling import respelled

            doc["record"] = respelled(doc["record"], record.spellings)
    unit = d.to_json()
    if record is not None and record.spellings:  # paths kept as Path objects
        from ...product.spelling import respelled

        unit = respelled(unit, record.spellings)
    if record is not None:  # the record's inputs: the list its PDF manifest and HTML print
        unit["inputs"] = [
            {"role": role, "path": path, "sha256": sha}
            for role, path, sha in record.manifest.listed()
        ]
    doc["units"] = [unit]
    return json_safe(json.dumps(doc, indent=2, ensure_ascii=False)).encode("utf-8") + b"\n"


def summary_csv(d: UnitDossier) -> bytes:
    """Return the completeness matrix, then the final measurement table, as one CSV.

    Cells are neutralised against spreadsheet formulas.
    """
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    several = several_distances(d)  # each radiated row then names its distance
    w.writerow(["table", *MATRIX_HEADERS])
    w.writerows(
        _csv_row("matrix", MATRIX_HEADERS, r.cells) for r in matrix_rows(d.cells, several=several)
    )
    w.writerow(["table", *_csv_final_headers()])
    w.writerows(
        _csv_row("final", FINAL_HEADERS, r.cells) for r in final_rows(d.final_rows, several)
    )
    return buf.getvalue().encode("utf-8")


#: The final table's columns the CSV splits into a number and its unit (``46.00 dBµV``):
#: ``QP Reading`` then ``QP Reading unit``, so a spreadsheet computes reading + conversion +
#: correction = level from the columns.
_WITH_UNIT = ("Reading", "Level")


def _csv_final_headers() -> list[str]:
    """Return the CSV's final-table header: each reading and level followed by its unit."""
    out: list[str] = []
    for head in FINAL_HEADERS:
        out.append(head)
        if head.endswith(_WITH_UNIT):
            out.append(f"{head} unit")
    return out


def _number_and_unit(text: str) -> tuple[float | str, str]:
    """Split ``≤ 46.74 dBµV`` into 46.74 and ``dBµV`` (a bound in the line's Bound column).

    A text that does not read as a number and a unit is returned whole, its unit empty.
    """
    number, _, unit = text.strip().rpartition(" ")
    try:
        value = float(number.removeprefix("\u2264 ").removeprefix("\u2265 "))
    except ValueError:
        return text, ""
    return (value, unit) if math.isfinite(value) else (text, "")


#: Columns of the dossier tables that hold a bare number (their bound is in Basis / Bound).
_NUMERIC_HEADERS = ("Margin [dB]", "at [MHz]", "Freq. [MHz]", "Conv. [dB]", "Corr. [dB]", "Limit")


def _effective_into_basis(headers: Sequence[str], cells: Sequence[str]) -> Sequence[str]:
    """Move a decision rule's effective margin from the margin cell to the basis (CSV only).

    The matrix's margin cell holds the measured margin and, under a rule, ``eff. -0.42``
    below it; the CSV's margin column stays a bare number (the measured margin) and the
    basis, which already names the rule and its shift, ends with ``effective margin -0.42
    dB``.
    """
    if "Margin [dB]" not in headers or "Basis" not in headers:
        return cells
    i, b = headers.index("Margin [dB]"), headers.index("Basis")
    measured, _, effective = cells[i].partition("\n")
    if not effective.startswith(EFFECTIVE_PREFIX):
        return cells
    out = list(cells)
    out[i] = measured
    out[b] = f"{cells[b]}, effective margin {effective.removeprefix(EFFECTIVE_PREFIX)} dB"
    return out


def _csv_row(table: str, headers: Sequence[str], cells: Sequence[str]) -> list[object]:
    """One CSV row: numbers as numbers (no ``+``, no ``≤``/``≥``), lists ``; ``-joined.

    The Captures cell (one capture per line in the HTML and PDF) is joined with ``; ``.
    """
    cells = _effective_into_basis(headers, cells)
    out: list[object] = [table]
    for head, cell in zip(headers, cells, strict=True):
        if head.endswith(_WITH_UNIT) and table == "final":
            value, unit = _number_and_unit(cell)
            out += [csv_cell(value), csv_cell(unit)]
        elif head.endswith(_NUMERIC_HEADERS):
            out.append(csv_cell(csv_number(cell)))
        else:
            out.append(csv_cell(cell.replace("\n", "; ")))
    return out


def write_unit(
    d: UnitDossier,
    folder: Path,
    formats: Sequence[str],
    setup: Setup | None,
    record: UnitRecord | None = None,
    *,
    paper: str = "letter",
) -> list[Path]:
    """Write the requested formats of one unit into ``folder`` (created).

    ``record`` (the customs record) adds its keys to the JSON and its sections to the PDF.

    Raises
    ------
    ReportError
        The PDF cannot be laid out (:func:`rfcheck.record.document.build_pdf`): the other
        formats are written (``ReportError.written``), the PDF last.
    """
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    plots: list[tuple[str, str]] = []
    pngs: list[tuple[str, bytes]] = []
    if "plots" in formats or "pdf" in formats:
        from .plots import port_group_png

        for name, ports in port_groups(d):
            title = f"{name} ({', '.join(ports)} overlaid)" if len(ports) > 1 else name
            png = port_group_png(d, title, ports)
            pngs.append((title, png))
            if "plots" in formats:
                fname = f"plot_{name}.png"
                written.append(write_atomic(folder / fname, png))
                plots.append((title, fname))
    json_bytes = dossier_json(d, record)
    serial = record.record.dut.serial if record is not None else None
    if "json" in formats:
        written.append(write_atomic(folder / RECORD_FILES["json"], json_bytes))
    if "html" in formats:
        from .html import render_dossier_html

        written.append(
            write_atomic(
                folder / RECORD_FILES["html"],
                render_dossier_html(
                    d,
                    setup.dut if setup else {},
                    plots,
                    serial,
                    record,
                    pdf_written="pdf" in formats,
                ),
            )
        )
    if "pdf" in formats:
        from .pdf import render_dossier_pdf

        try:
            pdf = render_dossier_pdf(
                d,
                setup,
                pngs,
                record,
                paper=paper,
                attachments={JSON_ATTACHMENT: json_bytes, CSV_ATTACHMENT: summary_csv(d)},
            )
        except ReportError as err:  # cannot be laid out: the files before it stay written
            error = ReportError(f"{RECORD_FILES['pdf']} not written: {err}")
            error.written = tuple(written)
            raise error from err
        written.append(write_atomic(folder / RECORD_FILES["pdf"], pdf))
    return written


def write_summary(path: Path, data: bytes) -> Path:
    """Write ``OUT/summary.json`` atomically."""
    return write_atomic(path, data)
