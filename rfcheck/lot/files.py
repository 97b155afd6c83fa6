"""Report files of ``compare`` and ``lot`` (``--report pdf,html,png,svg,json,csv``).

The format names are those of the shared registry (:func:`rfcheck.report.registry.parse_formats`),
so ``compare`` and ``lot`` accept and refuse the same names as ``check`` and ``batch``.

Each file is written atomically (:func:`rfcheck.report.atomic.write_atomic`), so a reader
never sees half a report. The HTML page is self-contained (inline SVG) with every
untrusted text escaped. The lot's PDF and HTML open with the report id and the verdict banner
and end with the provenance table (every input with its SHA-256); the ``compare`` PDF and
HTML carry the same report id and table.
"""

from __future__ import annotations

import datetime as _dt
import html
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from .._version import __version__
from ..report.atomic import write_atomic
from ..report.epoch import issue_text, issue_time
from ..report.page import page
from ..report.pdftext import font_safe
from ..report.plot_rendering import drawing, figure_png, figure_svg
from ..report.registry import parse_formats
from ..textsafe import printable
from .compare_render import render_compare_csv, render_compare_json, render_compare_text
from .compare_result import CompareResult
from .overlay_plot import overlay_figure
from .pdf import Banner, Provenance, render_pdf
from .plots import lot_figure
from .render import render_lot_csv, render_lot_json, render_lot_text, render_lot_units_csv
from .results import LotResult
from .scope import lot_scope_lines
from .verdict_text import lot_verdict, lot_verdict_lines

__all__ = ["write_compare_reports", "write_lot_reports", "lot_title"]


def _write(folder: Path, name: str, data: bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return write_atomic(folder / name, data)


def _esc(text: str) -> str:
    return html.escape(printable(text))


def _page(title: str, text: str, svgs: Sequence[bytes], head: str = "", tail: str = "") -> bytes:
    """Return a self-contained page: title, ``head`` (HTML), plots, text, ``tail`` (HTML).

    The one page skeleton and style sheet of every rfcheck HTML page
    (:func:`rfcheck.report.page.page`: its CSP, fonts and tables, and on paper the text
    wraps instead of being cut at the page edge).
    """
    figs = "".join(f"<figure>{s.decode('utf-8')}</figure>" for s in svgs)
    body = [f"<h1>{_esc(title)}</h1>", head, figs, f"<pre>{html.escape(text)}</pre>", tail]
    return page(title, body, version=__version__)


def _lot_banner(result: LotResult) -> Banner:
    return Banner(
        result.verdict,
        f"LOT VERDICT: {lot_verdict(result)} (exit {result.exit_code})",
        lot_verdict_lines(result),
    )


def _lot_provenance(result: LotResult) -> Provenance:
    return Provenance(result.report_id.text, __version__, result.inputs, result.unhashed)


def _compare_provenance(result: CompareResult) -> Provenance:
    return Provenance(result.report_id.text, __version__, result.inputs, result.unhashed)


def _html_banner(b: Banner) -> str:
    """Return the verdict banner, in the check report's colours (``.verdict.FAIL``...)."""
    lines = "".join(f"<p>{_esc(x)}</p>" for x in b.lines)
    return (
        f'<div class="verdict {b.verdict.value}">'
        f'<div class="big">{_esc(b.heading)}</div>{lines}</div>'
    )


def _html_scope(lines: Sequence[str]) -> str:
    """Return the lot's scope lines (:func:`~rfcheck.lot.scope.lot_scope_lines`), boxed."""
    if not lines:
        return ""
    return '<div class="statement">' + "<br>".join(_esc(x) for x in lines) + "</div>"


def _html_provenance(prov: Provenance, command: str) -> str:
    rows = [("capture", p, "unreadable") for p in prov.unhashed]
    rows += [(i.role, i.path, i.sha256) for i in prov.inputs]
    body = "".join(
        f"<tr><td>{_esc(r)}</td><td>{_esc(p)}</td><td><code>{_esc(h)}</code></td></tr>"
        for r, p, h in rows
    )
    return (
        "<h2>Provenance</h2><p>Every file this result was computed from, with its SHA-256. The "
        "report id is the SHA-256 of these files, the effective settings and the rfcheck "
        "version.</p><table><tr><th>Role</th><th>File</th><th>SHA-256</th></tr>"
        f"{body}</table><table><tr><th>Item</th><th>Value</th></tr>"
        f"<tr><td>Report id</td><td>{_esc(prov.report_id)}</td></tr>"
        f"<tr><td>rfcheck version</td><td>{_esc(prov.version)}</td></tr>"
        f"<tr><td>Command</td><td><code>{_esc(command or 'not recorded')}</code></td></tr>"
        "</table>"
    )


#: The formats that draw figures (:func:`rfcheck.report.plot_rendering.drawing`: matplotlib's rc
#: parameters are the process's, so a figure is built while no other thread draws).
_DRAWN = frozenset({"png", "svg", "html", "pdf"})


def _emit(
    folder: Path,
    stem: str,
    formats: Sequence[str],
    parts: dict[str, Callable[[], list[tuple[str, bytes]]]],
) -> list[Path]:
    out: list[Path] = []
    for fmt in parse_formats(list(formats)):
        if fmt in _DRAWN:  # its figures are built and rendered holding the plot lock
            with drawing():
                files = parts[fmt]()
        else:
            files = parts[fmt]()
        for name, data in files:
            out.append(_write(folder, f"{stem}{name}", data))
    return out


def _html_issued(issued: _dt.datetime) -> str:
    """Return the HTML line of the report's issue time (UTC)."""
    return f"<p>Issued (UTC) {issue_text(issued)}</p>"


def write_compare_reports(
    result: CompareResult,
    folder: Path,
    formats: Sequence[str],
    names: tuple[str, str] = ("A", "B"),
    issued: _dt.datetime | None = None,
) -> list[Path]:
    """``compare.{pdf,png,svg,json,csv,html}`` in ``folder``; returns the paths written.

    The PDF and HTML carry the report id under the title and end with the provenance table
    (every input with its SHA-256), as the ``lot`` reports do; the PDF, HTML and JSON carry
    the issue time ``issued`` (default: :func:`~rfcheck.report.epoch.issue_time`).
    """
    title = f"rfcheck compare: {names[1]} vs {names[0]}"
    prov = _compare_provenance(result)
    issued = issue_time() if issued is None else issued
    return _emit(
        folder,
        "compare",
        formats,
        {
            "png": lambda: [(".png", figure_png(overlay_figure(result, names)))],
            "svg": lambda: [(".svg", figure_svg(overlay_figure(result, names), "compare"))],
            "json": lambda: [(".json", render_compare_json(result, issued).encode("utf-8"))],
            "csv": lambda: [(".csv", render_compare_csv(result).encode("utf-8"))],
            "html": lambda: [
                (
                    ".html",
                    _page(
                        title,
                        render_compare_text(result, names),
                        [figure_svg(overlay_figure(result, names), "compare", text_as_paths=False)],
                        head=f"<p>Report {_esc(prov.report_id)}</p>" + _html_issued(issued),
                        tail=_html_provenance(prov, result.command),
                    ),
                )
            ],
            "pdf": lambda: [
                (
                    ".pdf",
                    render_pdf(
                        title,
                        result.command,
                        render_compare_text(result, names),
                        [overlay_figure(result, names)],
                        provenance=prov,
                        issued=issued,
                    ),
                )
            ],
        },
    )


def _port_stem(port: str) -> str:
    return "".join(c if c.isalnum() or c in "-_" else "_" for c in port)[:60] or "port"


def lot_title(golden: str, dut: Mapping[str, Any] | None = None) -> str:
    """Title of the lot PDF and HTML: the product the lot is of, when the setup names it.

    ``rfcheck lot: ACME Widget-3 \u2014 golden unit u1`` from the setup's ``[dut]``
    ``manufacturer`` and ``model`` (as the ``check`` report's cover and the dossier name the
    device); ``rfcheck lot: golden unit u1`` when neither is stated. Untrusted text: the
    renderers escape it.
    """
    parts = (str(dut.get(k) or "").strip() for k in ("manufacturer", "model")) if dut else ()
    product = " ".join(p for p in parts if p)
    unit = f"golden unit {golden}"
    return f"rfcheck lot: {product} \u2014 {unit}" if product else f"rfcheck lot: {unit}"


def write_lot_reports(
    result: LotResult,
    folder: Path,
    formats: Sequence[str],
    dut: Mapping[str, Any] | None = None,
    issued: _dt.datetime | None = None,
    plan: Mapping[str, Any] | None = None,
) -> list[Path]:
    """Write the lot files in ``folder`` and return the paths written.

    ``lot.json``, ``lot_statistics.csv`` + ``lot_units.csv``, ``lot_<port>.png/svg``, ``lot.html``
    in ``folder``; returns the paths written. ``dut`` is the setup's ``[dut]`` table: the PDF
    and HTML titles name its manufacturer and model (:func:`lot_title`). The PDF, HTML and
    JSON carry the issue time ``issued`` (default: :func:`~rfcheck.report.epoch.issue_time`).
    Page 1 of the PDF and HTML states the lot's scope (the ports measured; ``plan``, the
    setup's ``[plan]``: those of the plan not measured), the golden unit's name and serial
    and, with a CISPR 32 table judged, that the result is not an FCC basis
    (:func:`~rfcheck.lot.scope.lot_scope_lines`).
    """
    ports = result.ports
    scope = lot_scope_lines(result, plan)
    title = lot_title(result.golden, dut)
    banner, prov = _lot_banner(result), _lot_provenance(result)
    issued = issue_time() if issued is None else issued
    return _emit(
        folder,
        "lot",
        formats,
        {
            "png": lambda: [
                (f"_{_port_stem(p)}.png", figure_png(lot_figure(result, p))) for p in ports
            ],
            "svg": lambda: [
                (f"_{_port_stem(p)}.svg", figure_svg(lot_figure(result, p), printable(p)))
                for p in ports
            ],
            "json": lambda: [(".json", render_lot_json(result, issued).encode("utf-8"))],
            "csv": lambda: [
                ("_statistics.csv", render_lot_csv(result).encode("utf-8")),
                ("_units.csv", render_lot_units_csv(result).encode("utf-8")),
            ],
            "html": lambda: [
                (
                    ".html",
                    _page(
                        title,
                        render_lot_text(result),
                        [
                            figure_svg(lot_figure(result, p), f"lot{i}", False)
                            for i, p in enumerate(ports)
                        ],
                        head=f"<p>Report {_esc(prov.report_id)}</p>"
                        + _html_issued(issued)
                        + _html_banner(banner)
                        + _html_scope(scope),
                        tail=_html_provenance(prov, result.command),
                    ),
                )
            ],
            "pdf": lambda: [
                (
                    ".pdf",
                    render_pdf(
                        title,
                        result.command,
                        render_lot_text(result, font_safe),
                        [lot_figure(result, p) for p in ports],
                        banner=banner,
                        provenance=prov,
                        issued=issued,
                        preface=scope,
                    ),
                )
            ],
        },
    )
