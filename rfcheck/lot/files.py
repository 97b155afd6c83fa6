"""Report files of ``compare`` and ``lot`` (``--report pdf,html,png,svg,json,csv``).

The format names are those of the shared registry (:func:`rfcheck.report.registry.parse_formats`),
so ``compare`` and ``lot`` accept and refuse the same names as ``check`` and ``batch``.

Each file is written atomically (:func:`rfcheck.report.atomic.write_atomic`), so a reader
never sees half a report. The HTML page is self-contained (inline SVG) with every
untrusted text escaped.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from pathlib import Path

from ..report.atomic import write_atomic
from ..report.plots import figure_png, figure_svg
from ..report.registry import parse_formats
from ..textsafe import printable
from .pdf import render_pdf
from .plots import lot_figure, overlay_figure
from .render import (
    render_compare_csv,
    render_compare_json,
    render_compare_text,
    render_lot_csv,
    render_lot_json,
    render_lot_text,
    render_lot_units_csv,
)
from .results import CompareResult, LotResult

__all__ = ["write_compare_reports", "write_lot_reports"]


def _write(folder: Path, name: str, data: bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return write_atomic(folder / name, data)


def _page(title: str, text: str, svgs: Sequence[bytes]) -> bytes:
    figs = "".join(f"<figure>{s.decode('utf-8')}</figure>" for s in svgs)
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(printable(title))}</title><style>body{{font-family:sans-serif;margin:2em}}"
        "pre{font-size:12px;background:#f8f9fa;padding:1em;overflow-x:auto}"
        "figure svg{max-width:100%;height:auto}</style></head><body>"
        f"<h1>{html.escape(printable(title))}</h1>{figs}<pre>{html.escape(text)}</pre></body></html>\n"
    ).encode()


def _emit(
    folder: Path,
    stem: str,
    formats: Sequence[str],
    parts: dict[str, Callable[[], list[tuple[str, bytes]]]],
) -> list[Path]:
    out: list[Path] = []
    for fmt in parse_formats(list(formats)):
        for name, data in parts[fmt]():
            out.append(_write(folder, f"{stem}{name}", data))
    return out


def write_compare_reports(
    result: CompareResult, folder: Path, formats: Sequence[str], names: tuple[str, str] = ("A", "B")
) -> list[Path]:
    """``compare.{png,svg,json,csv,html}`` in ``folder``; returns the paths written."""
    title = f"rfcheck compare: {names[1]} vs {names[0]}"
    return _emit(
        folder,
        "compare",
        formats,
        {
            "png": lambda: [(".png", figure_png(overlay_figure(result, names)))],
            "svg": lambda: [(".svg", figure_svg(overlay_figure(result, names), "compare"))],
            "json": lambda: [(".json", render_compare_json(result).encode("utf-8"))],
            "csv": lambda: [(".csv", render_compare_csv(result).encode("utf-8"))],
            "html": lambda: [
                (
                    ".html",
                    _page(
                        title,
                        render_compare_text(result, names),
                        [figure_svg(overlay_figure(result, names), "compare", text_as_paths=False)],
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
                    ),
                )
            ],
        },
    )


def _port_stem(port: str) -> str:
    return "".join(c if c.isalnum() or c in "-_" else "_" for c in port)[:60] or "port"


def write_lot_reports(result: LotResult, folder: Path, formats: Sequence[str]) -> list[Path]:
    """Write the lot files in ``folder`` and return the paths written.

    ``lot.json``, ``lot_statistics.csv`` + ``lot_units.csv``, ``lot_<port>.png/svg``, ``lot.html``
    in ``folder``; returns the paths written.
    """
    ports = result.ports
    return _emit(
        folder,
        "lot",
        formats,
        {
            "png": lambda: [
                (f"_{_port_stem(p)}.png", figure_png(lot_figure(result, p))) for p in ports
            ],
            "svg": lambda: [
                (f"_{_port_stem(p)}.svg", figure_svg(lot_figure(result, p), p)) for p in ports
            ],
            "json": lambda: [(".json", render_lot_json(result).encode("utf-8"))],
            "csv": lambda: [
                ("_statistics.csv", render_lot_csv(result).encode("utf-8")),
                ("_units.csv", render_lot_units_csv(result).encode("utf-8")),
            ],
            "html": lambda: [
                (
                    ".html",
                    _page(
                        f"rfcheck lot: golden unit {result.golden}",
                        render_lot_text(result),
                        [
                            figure_svg(lot_figure(result, p), f"lot{i}", False)
                            for i, p in enumerate(ports)
                        ],
                    ),
                )
            ],
            "pdf": lambda: [
                (
                    ".pdf",
                    render_pdf(
                        f"rfcheck lot: golden unit {result.golden}",
                        result.command,
                        render_lot_text(result),
                        [lot_figure(result, p) for p in ports],
                    ),
                )
            ],
        },
    )
