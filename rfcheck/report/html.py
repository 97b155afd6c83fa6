"""Self-contained HTML emissions report: one file, inline PNG plots, no network access.

Same content as the PDF (cover with verdict, DUT / test / equipment, per-capture plots
and tables, correction chain, limit tables, provenance appendix). Each plot is the capture's
PNG (the one the ``.png`` file and the PDF hold: rendered once) as a ``data:`` URI. Every
string read from a file or the setup (DUT model, instrument name, paths, messages) is
escaped; the page
skeleton, its Content-Security-Policy (no scripts, no remote resources) and its print-friendly
CSS (A4, repeated table headers) are :mod:`rfcheck.report.page`'s. Byte-identical
output for identical inputs issued at the same time (``RunResult.issued``).
"""

from __future__ import annotations

import base64
from collections.abc import Sequence

from ..outcome import Verdict
from ..results import CaptureResult, RunResult
from ..settings import Setup
from . import _common as C
from ._limit_tables import LIMIT_SEGMENT_HEADERS, limit_tables
from .page import esc as _e
from .page import page
from .page import table as _table
from .plot_rendering import PNG_DPI
from .plots import has_plot, plot_png
from .range_text import run_range_qualifier

__all__ = ["render_html"]


def _figure(c: CaptureResult, setup: Setup | None, run: RunResult) -> bytes | str:
    """Return the capture's PNG plot, or why it could not be drawn (the report still renders)."""
    try:
        return plot_png(c, setup, dpi=PNG_DPI, window_db=C.suspect_window_db(run, setup))
    except Exception as err:  # a figure that fails never hides the verdict
        return f"Figure not drawn: {type(err).__name__}: {err}"


def _v(v: Verdict) -> str:
    return f'<span class="v-{v.value}">{v.value}</span>'


def _cells(row: C.Row) -> list[str]:
    """Escaped cells of a data row; the verdict cell coloured."""
    return [_v(x) if isinstance(x, Verdict) else _e(x) for x in row]


def _kv(title: str, fields: Sequence[C.Field]) -> str:
    rows = [
        (_e(f.label), _e(f.value) if f.stated else f'<span class="notstated">{_e(f.value)}</span>')
        for f in fields
    ]
    return f"<div><h3>{_e(title)}</h3>" + _table(("Item", "Value"), rows, "kv") + "</div>"


def _inline_png(png: bytes, label: str) -> str:
    """Return an ``<img>`` holding ``png`` as a ``data:`` URI, with its size in pixels."""
    width, height = (int.from_bytes(png[k : k + 4], "big") for k in (16, 20))  # IHDR
    uri = "data:image/png;base64," + base64.b64encode(png).decode("ascii")
    return f'<img src="{uri}" width="{width}" height="{height}" alt="{_e(label)}">'


def _cover(run: RunResult, setup: Setup | None, rid: str) -> list[str]:
    title, stated_title = C.title_lines(setup, run)
    dut = " ".join(f.value for f in C.dut_fields(setup)[:2] if f.stated) or "DUT not stated"
    std = C.standard_and_class(setup, C.judged_limits(run))
    sub = " \u2014 ".join(x for x in (dut, std) if x)
    v = run.verdict
    stated = f'<div class="sub">{_e(stated_title)}</div>' if stated_title else ""
    out = [
        f'<header><h1>{_e(title)}</h1>{stated}<div class="sub">{_e(sub)}</div>',
        f'<div class="muted">Report {_e(rid)}</div></header>',
        f'<div class="verdict {v.value}"><div class="big">OVERALL RESULT: {v.value}'
        + (" (UNCONFIRMED LIMIT VALUES)" if C.run_unconfirmed(run) else "")
        + (" (ASSUMED DWELL)" if C.run_assumed_dwell(run) else "")
        + (" (ASSUMED SCALE)" if C.run_assumed_scale(run) else "")
        + "</div>",
    ]
    if qualifier := run_range_qualifier(v, run.captures):  # several captures, some limited
        out.append(f"<p><strong>PASS {_e(qualifier)}</strong></p>")
    partial = [c for c in run.captures if c.coverage == "partial"]
    if partial and v is not Verdict.ERROR and len(run.captures) > 1:  # one: its line says it
        which = f" ({len(partial)} of {len(run.captures)} captures)"
        out.append(
            f"<p><strong>PARTIAL COVERAGE{which}:</strong> this result applies only to the "
            "frequency ranges evaluated; the ranges listed as not evaluated were not judged.</p>"
        )
    for c in run.captures:
        prefix = f"{c.path}: " if len(run.captures) > 1 else ""
        out += [f"<p>{_e(prefix + line)}</p>" for line in C.verdict_summary(c, every_need=False)]
    out.append("</div>")
    for lines in (C.basis_lines(run, setup), C.plan_scope_lines(setup)):
        if lines:  # a CISPR 32 result is no FCC result; some captures are no product record
            out.append(
                f'<div class="statement basis"><strong>{_e(lines[0])}</strong>'
                + "".join(f"<br>{_e(x)}" for x in lines[1:])
                + "</div>"
            )
    out.append(
        f'<div class="statement"><strong>{_e(C.STATEMENT)}</strong><br>'
        f'<span class="muted">{_e(C.MARGIN_NOTE)}</span></div>'
    )
    rows = []
    for i, c in enumerate(run.captures, 1):
        cells = _cells(C.summary_row(i, c, C.capture_port(c, setup)))
        cells[1] = f'<a href="#capture-{i}">{_e(c.path)}</a>'
        rows.append(cells)
    out.append("<h2>Summary</h2>")
    out.append(
        _table(
            C.SUMMARY_HEADERS,
            rows,
            num=(5, 6),
        )
    )
    out.append(
        '<div class="grid2">'
        + _kv("Device under test", C.dut_fields(setup, run))
        + _kv("Test information", C.test_fields(run, setup))
        + "</div>"
    )
    out.append("<h3>Measuring equipment (from the capture files)</h3>")
    out.append(
        _table(
            ("Capture", "Instrument", "Captured"),
            [(_e(p), _e(i), _e(t or "\u2013")) for p, i, t in C.equipment_rows(run)],
        )
    )
    return out


def _capture(i: int, n: int, c: CaptureResult, run: RunResult, setup: Setup | None) -> list[str]:
    out = [
        f'<section class="capture" id="capture-{i}">',
        f"<h2>Capture {i} of {n}: {_e(c.path)}</h2>",
    ]
    cov = C.verdict_qualifiers(c)
    meta = [
        f"Verdict {_v(c.verdict)}" + (f" ({_e(cov)})" if cov else ""),
        f"format {_e(c.format or 'unknown')}",
    ]
    if c.label:
        meta.append(f"port/polarisation {_e(c.label)}")
    if c.timestamp:
        meta.append(f"captured {_e(c.timestamp)}")
    out.append("<p>" + " \u00b7 ".join(meta) + "</p>")
    out.append(f'<p class="mono">SHA-256 {_e(c.sha256 or "not available")}</p>')
    out += [f"<p>{_e(line)}</p>" for line in C.verdict_summary(c)]
    png = _figure(c, setup, run) if has_plot(c) else None
    if isinstance(png, str):
        out.append(f"<p>{_e(png)}</p>")
    elif png is not None:
        out.append(
            "<figure>"
            + _inline_png(png, C.plot_title(c, setup))
            + "<figcaption>Corrected level and limit lines (top); margin = limit \u2212 "
            "level (bottom). Markers: \u25cb measured, \u25bd upper bound, \u25b3 lower "
            "bound; ringed: worst point (smaller: another line's worst).</figcaption></figure>"
        )
    if c.checks:
        out.append("<h3>Results per limit line</h3>")
        out.append(_table(C.CHECK_HEADERS, [_cells(C.check_row(k)) for k in c.checks], num=(4, 5)))
    out.append("<h3>Suspect emissions</h3>")
    if c.suspects:
        u, ru = c.suspects[0].unit, c.suspects[0].reading_unit
        sources = C.suspect_sources(c.suspects)
        rows = [_cells(r) for r in C.suspect_rows(c.suspects, ru)]
        if sources:
            rows = [[*r, _e(src)] for r, src in zip(rows, sources, strict=True)]
        headers = (*C.suspect_headers(ru, u), *(("Source",) if sources else ()))
        out.append(_table(headers, rows, num=(0, 1, 2, 3, 4, 5, 6)))
        out.append(
            f'<p class="muted">{_e(C.SUSPECT_FORMULA)} '
            "An upper bound below the limit proves compliance; one above it does not "
            "prove non-compliance.</p>"
        )
    else:
        out.append("<p>No emission came within the suspect window of a limit line.</p>")
    if c.errors or c.warnings:
        out.append("<h3>Warnings and errors</h3><ul>")
        out += [f'<li class="warn">ERROR {_e(e.path)}: {_e(e.message)}</li>' for e in c.errors]
        out += [f"<li>{_e(w)}</li>" for w in c.warnings]
        out.append("</ul>")
    out.append("</section>")
    return out


def _chain_and_limits(run: RunResult) -> list[str]:
    out = [
        '<section class="chain"><h2>Correction chain</h2>',
        "<p>Level = reading + \u03a3 corrections (antenna factor, cable loss, LISN factor, "
        "attenuator; preamplifier gain subtracted).</p>",
    ]
    chains: dict[tuple[str, ...], list[str]] = {}
    for c in run.captures:
        chains.setdefault(c.corrections, []).append(c.path)
    for chain, paths in chains.items():
        who = "all captures" if len(paths) == len(run.captures) else ", ".join(paths)
        out.append(f"<h3>Applied to {_e(who)}</h3>")
        if chain:
            out.append("<ol>" + "".join(f"<li>{_e(x)}</li>" for x in chain) + "</ol>")
        else:
            out.append("<p>No correction applied (readings taken as levels).</p>")
    files = [i for i in run.inputs if i.role == "transducer"]
    if files:
        out.append("<h3>Transducer files used</h3>")
        out.append(
            _table(
                ("File", "SHA-256"),
                [(_e(i.path), f'<span class="mono">{_e(i.sha256)}</span>') for i in files],
            )
        )
    out.append("<h2>Limit tables</h2>")
    tables = limit_tables(run)
    if not tables:
        out.append("<p>No limit table was applied.</p>")
    else:
        out.append(f'<p class="muted">{_e(C.STATUS_LEGEND)}</p>')
    for lid, desc, segment_rows in tables:
        _lid, title, info, unconfirmed = C.describe_limit(desc)
        dash = f" \u2014 {_e(title)}" if title else ""
        out.append(f"<h3>{_e(lid)}{dash}</h3>")
        if unconfirmed:
            out.append(
                '<p class="warn">UNCONFIRMED: at least one value of this table is not '
                "confirmed from the primary source; verify before relying on it.</p>"
            )
        if info:
            out.append(_table(("Item", "Value"), [(_e(k), _e(v)) for k, v in info], "kv"))
        if segment_rows:
            rows = [tuple(_e(x) for x in r) for r in segment_rows]
            out.append(_table(LIMIT_SEGMENT_HEADERS, rows, num=(2, 3, 4, 5)))
    out.append(
        '<p class="muted">Values at the measurement distance, as applied; where start '
        "and end differ the limit falls linearly with log(frequency). At a boundary "
        "frequency the lower limit applies.</p></section>"
    )
    return out


def _appendix(run: RunResult, rid: str) -> list[str]:
    out = [
        '<section class="appendix"><h2>Appendix: provenance</h2>',
        "<p>Every file this analysis read, with its SHA-256. The results apply only to "
        "these captures.</p>",
    ]
    inputs = [(i.role, i.path, i.sha256) for i in run.inputs]
    listed = {(r, p) for r, p, _ in inputs}
    for c in run.captures:
        if ("capture", c.path) not in listed:
            inputs.insert(0, ("capture", c.path, c.sha256 or "unreadable"))
    out.append(
        _table(
            ("Role", "File", "SHA-256"),
            [(_e(r), _e(p), f'<span class="mono">{_e(h)}</span>') for r, p, h in inputs],
        )
    )
    rows = [("Report id", _e(rid)), ("rfcheck version", _e(run.version))]
    rows.append(("Issued (UTC)", _e(C.issued_text(run))))
    rows += [
        ("Margin sign", _e(C.MARGIN_NOTE)),
        ("Decision rule", _e(C.decision_rule_text(run))),
        *(("Warning", _e(w)) for w in run.explain_warnings),
        ("Command", f'<span class="mono">{_e(run.command or "not recorded")}</span>'),
    ]
    if run.settings or run.settings_note:
        rows.append(("Settings", _e(C.settings_note(run))))
    rows += [(_e(f"Setting: {k}"), _e(val)) for k, val in C.settings_rows(run.settings)]
    out.append(_table(("Item", "Value"), rows, "kv"))
    if C.capture_settings_differ(run):
        for c in run.captures:
            if c.settings:
                out.append(f"<h3>Settings used for {_e(c.path)}</h3>")
                out.append(
                    _table(
                        ("Effective setting", "Value"),
                        [(_e(k), _e(val)) for k, val in C.settings_rows(c.settings)],
                        "kv",
                    )
                )
    out.append("</section>")
    return out


def render_html(run: RunResult, setup: Setup | None = None) -> bytes:
    """Render the self-contained HTML report.

    Parameters
    ----------
    run : RunResult
    setup : Setup, optional
        DUT / lab / test information.

    Returns
    -------
    bytes
        UTF-8 HTML5 document with inline PNG plots and no external references.
    """
    rid = C.report_id(run)
    title = f"{C.title_lines(setup)[0]} {rid}"
    parts: list[str] = []
    parts += _cover(run, setup, rid)
    for i, c in enumerate(run.captures, 1):
        parts += _capture(i, len(run.captures), c, run, setup)
    parts += _chain_and_limits(run)
    parts += _appendix(run, rid)
    parts.append(
        f"<footer>Report {_e(rid)} \u00b7 rfcheck {_e(run.version)} \u00b7 "
        f"{_e(C.STATEMENT)}</footer>"
    )
    return page(title, parts, version=run.version)
