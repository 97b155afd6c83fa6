"""Reports: PDF, self-contained HTML, margin plots (PNG/SVG), JSON and CSV.

:func:`write_reports` is the one entry point used by ``rfcheck check --report ... --out
DIR`` and by ``rfcheck batch`` (once per capture). Renderers only format a
:class:`~rfcheck.results.RunResult`; they never compute a verdict. Every file is written
atomically, and identical inputs give byte-identical JSON, CSV, HTML, PNG and SVG (and PDF
when ``SOURCE_DATE_EPOCH`` is set). JSON and CSV are the ``check -o json|csv`` documents
(:mod:`rfcheck.report.tabular`; CSV cells that start with ``= + - @`` are neutralised).

File names are deterministic: a run over one capture writes ``<stem>.<ext>`` (``stem`` =
the capture's sanitised file stem); a run over several captures writes
``rfcheck-report.{pdf,html,json,csv}`` plus one ``<stem>.{png,svg}`` per capture.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path

from ..errors import ReportError
from ..results import RunResult
from ..settings import Setup
from ._atomic import write_atomic
from ._common import report_id, sanitise_stem, suspect_window_db, unique_stems

__all__ = [
    "REPORT_FORMATS",
    "write_reports",
    "report_id",
    "sanitise_stem",
    "parse_formats",
]

#: Formats :func:`write_reports` understands, in the order files are written.
REPORT_FORMATS: tuple[str, ...] = ("pdf", "html", "png", "svg", "json", "csv")

#: Base name of the combined report files when a run holds several captures.
MULTI_STEM = "rfcheck-report"


def parse_formats(formats: Sequence[str] | str) -> tuple[str, ...]:
    """Normalise a format list (``"pdf,html"`` or ``["PDF", "html"]``), canonical order.

    Raises
    ------
    ValueError
        For a name not in :data:`REPORT_FORMATS`.
    """
    items = formats.split(",") if isinstance(formats, str) else list(formats)
    wanted = {str(f).strip().lower() for f in items if str(f).strip()}
    unknown = sorted(wanted - set(REPORT_FORMATS))
    if unknown:
        raise ValueError(
            f"unknown report format(s) {', '.join(unknown)}; choose from {', '.join(REPORT_FORMATS)}"
        )
    return tuple(f for f in REPORT_FORMATS if f in wanted)


def write_reports(
    run: RunResult,
    out_dir: Path,
    formats: Sequence[str],
    setup: Setup | None = None,
) -> list[Path]:
    """Render and write the requested reports of one run.

    Parameters
    ----------
    run : RunResult
        One capture (``rfcheck batch``) or several (``rfcheck check a b c``).
    out_dir : Path
        Output folder; created if missing.
    formats : sequence of str
        Any of :data:`REPORT_FORMATS` (case-insensitive, duplicates ignored).
    setup : Setup, optional
        DUT / lab / test information for the PDF and HTML cover and plot titles.

    Returns
    -------
    list of Path
        Files written, in :data:`REPORT_FORMATS` order. Captures with nothing to plot
        (unreadable inputs) get no PNG/SVG.

    Raises
    ------
    ValueError
        Unknown format name.
    ReportError
        A renderer failed (e.g. a plot of a 1e308 dBµV value): the other files are still
        written (listed in ``ReportError.written``); the run's verdict is not affected.

    Notes
    -----
    Every document is rendered in memory first, then each file is written atomically
    (temporary file in ``out_dir`` + rename): a failure leaves no partial file.
    """
    from .html import render_html
    from .pdf import render_pdf
    from .plots import has_plot, plot_png, plot_svg
    from .tabular import render_csv, render_json

    fmts = parse_formats(formats)
    out = Path(out_dir)
    stems = unique_stems(run.captures)
    main = stems[0] if len(run.captures) == 1 else MULTI_STEM
    window = suspect_window_db(run, setup)
    rid = report_id(run)
    files: list[tuple[Path, Callable[[], bytes]]] = []
    for fmt in fmts:
        if fmt == "pdf":
            files.append((out / f"{main}.pdf", lambda: render_pdf(run, setup)))
        elif fmt == "html":
            files.append((out / f"{main}.html", lambda: render_html(run, setup)))
        elif fmt == "json":
            files.append((out / f"{main}.json", lambda: render_json(run).encode("utf-8")))
        elif fmt == "csv":
            files.append((out / f"{main}.csv", lambda: render_csv(run).encode("utf-8")))
        else:
            for i, (stem, cap) in enumerate(zip(stems, run.captures, strict=True), 1):
                if not has_plot(cap):
                    continue
                if fmt == "png":
                    files.append((out / f"{stem}.png", partial(plot_png, cap, setup, window_db=window)))
                else:
                    files.append((out / f"{stem}.svg", partial(
                        plot_svg, cap, setup, salt=f"{rid}-{i}", window_db=window)))
    rendered: list[tuple[Path, bytes]] = []
    failures: list[str] = []
    for path, render in files:
        try:
            rendered.append((path, render()))
        except Exception as err:  # noqa: BLE001 - one renderer failing never stops the others
            failures.append(f"{path.name}: {type(err).__name__}: {err}")
    out.mkdir(parents=True, exist_ok=True)
    written = [write_atomic(path, data) for path, data in rendered]
    if failures:
        error = ReportError("report not written: " + "; ".join(failures))
        error.written = tuple(written)
        raise error
    return written
