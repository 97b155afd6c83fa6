"""Reports: PDF, self-contained HTML, margin plots (PNG/SVG), JSON and CSV.

:func:`write_reports` is the one entry point used by ``rfcheck check --report ... --out
DIR`` and by ``rfcheck batch`` (once per capture). Renderers only format a
:class:`~rfcheck.results.RunResult`; they never compute a verdict. Every file is written
atomically. The PDF, HTML and JSON carry the run's issue time (``RunResult.issued``, stamped
once by :func:`write_reports`; ``SOURCE_DATE_EPOCH`` when set, :mod:`rfcheck.report.epoch`):
identical inputs issued at the same time give byte-identical JSON, CSV, HTML, PNG and SVG
(and PDF when ``SOURCE_DATE_EPOCH`` is set). JSON and CSV are the ``check -o json|csv`` documents
(:mod:`rfcheck.report.tabular`; CSV cells that start with ``= + - @`` are neutralised by
:func:`csv_cell`). The format names and their renderers are one registry
(:mod:`rfcheck.report.registry`), parsed by :func:`parse_formats` for every command.

File names are deterministic: a run over one capture writes ``<stem>.<ext>`` (``stem`` =
the capture's sanitised file stem); a run over several captures writes
``rfcheck-report.{pdf,html,json,csv}`` plus one ``<stem>.{png,svg}`` per capture. ``check
--report csv`` (``suspects_csv=True``) also writes ``<main stem>-suspects.csv`` beside
``<main stem>.csv``: one row per suspect (:func:`rfcheck.report.tabular.suspects_csv`;
header only when there is none).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

from ..errors import EnvironmentSettingError, ReportError
from ..results import RunResult
from ..settings import Setup
from ._common import report_id, sanitise_stem, suspect_window_db, unique_stems
from .atomic import write_atomic
from .csv_cells import csv_cell
from .epoch import issue_time
from .registry import (
    FORMATS,
    Destination,
    ReportFormat,
    ReportFormatError,
    format_names,
    parse_formats,
    render_stdout,
    report_format,
)

__all__ = [
    "FORMATS",
    "REPORT_FORMATS",
    "Destination",
    "ReportFormat",
    "ReportFormatError",
    "csv_cell",
    "format_names",
    "parse_formats",
    "plots_not_written",
    "render_stdout",
    "report_format",
    "report_id",
    "sanitise_stem",
    "stamp_issued",
    "write_atomic",
    "write_reports",
    "ReportFile",
    "report_files",
]

#: Formats :func:`write_reports` writes as files, in the order files are written.
REPORT_FORMATS: tuple[str, ...] = format_names(Destination.FILE)

#: Base name of the combined report files when a run holds several captures.
MULTI_STEM = "rfcheck-report"
#: The suspects CSV written with ``csv``: ``<main stem>-suspects.csv``.
SUSPECTS_SUFFIX = "-suspects.csv"


def _suspects(run: RunResult) -> bytes:
    from .tabular import suspects_csv

    return suspects_csv(run).encode("utf-8")


def write_reports(
    run: RunResult,
    out_dir: Path,
    formats: Sequence[str],
    setup: Setup | None = None,
    *,
    suspects_csv: bool = False,
) -> list[Path]:
    """Render and write the requested reports of one run.

    Parameters
    ----------
    run : RunResult
        One capture (``rfcheck batch``) or several (``rfcheck check a b c``).
    out_dir : Path
        Output folder; created if missing.
    formats : sequence of str
        Any of :data:`REPORT_FORMATS` (case-insensitive, duplicates ignored; parsed by
        :func:`parse_formats`).
    setup : Setup, optional
        DUT / lab / test information for the PDF and HTML cover and plot titles.
    suspects_csv : bool
        With ``csv``, also write ``<main stem>-suspects.csv`` (``rfcheck check``; a batch's
        per-capture folders keep their files).

    Returns
    -------
    list of Path
        Files written, in :data:`REPORT_FORMATS` order. Captures with nothing to plot
        (inputs that could not be read or analysed) get no PNG/SVG; :func:`plots_not_written`
        says which and why.

    Raises
    ------
    ReportFormatError
        Unknown format name (a ``ValueError``).
    ReportError
        A renderer failed (e.g. a plot of a 1e308 dBµV value): the other files are still
        written (listed in ``ReportError.written``); the run's verdict is not affected.

    Notes
    -----
    Every document is rendered in memory first, then each file is written atomically
    (temporary file in ``out_dir`` + rename): a failure leaves no partial file.
    """
    run = stamp_issued(run)
    out = Path(out_dir)
    planned = report_files(run, formats, suspects_csv=suspects_csv)
    plots = any(f.capture is not None for f in planned)  # their id and window, once
    shared = (report_id(run), suspect_window_db(run, setup)) if plots else ("", 0.0)
    files = [(out / f.name, _renderer(f, run, setup, *shared)) for f in planned]
    rendered: list[tuple[Path, bytes]] = []
    failures: list[str] = []
    for path, render in files:
        try:
            rendered.append((path, render()))
        except Exception as err:  # one renderer failing never stops the others
            failures.append(f"{path.name}: {type(err).__name__}: {err}")
    out.mkdir(parents=True, exist_ok=True)
    written = [write_atomic(path, data) for path, data in rendered]
    if failures:
        error = ReportError("report not written: " + "; ".join(failures))
        error.written = tuple(written)
        raise error
    return written


def stamp_issued(run: RunResult) -> RunResult:
    """Return ``run`` with its issue time (:func:`~.epoch.issue_time`), unless it has one.

    An invalid ``SOURCE_DATE_EPOCH`` leaves it unstamped: each renderer that dates its
    document then fails with that error, and the others are still written.
    """
    if run.issued is not None:
        return run
    try:
        return replace(run, issued=issue_time())
    except EnvironmentSettingError:
        return run


def plots_not_written(run: RunResult, formats: Sequence[str]) -> list[str]:
    """Return one line per capture whose requested plot file is not written, saying why.

    A capture that could not be read or analysed has nothing to plot (no corrected trace, no
    limit line), so :func:`write_reports` writes no ``<stem>.png``/``<stem>.svg`` for it:
    ``"cap.png not written: cap.csv could not be read or analysed, so there is no margin plot
    (<its first error>)"``. Empty when no plot format is requested or every capture has one.
    """
    from ..textsafe import printable
    from .plots import has_plot

    exts = [FORMATS[n].extension for n in parse_formats(formats) if FORMATS[n].render_capture]
    if not exts:
        return []
    out = []
    for stem, cap in zip(unique_stems(run.captures), run.captures, strict=True):
        if has_plot(cap):
            continue
        files = " and ".join(f"{stem}.{ext}" for ext in exts)
        why = f" ({cap.errors[0].message})" if cap.errors else ""
        out.append(
            f"{printable(files)} not written: {printable(cap.path)} could not be read or analysed, "
            f"so there is no margin plot{printable(why)}"
        )
    return out


@dataclass(frozen=True)
class ReportFile:
    """One file :func:`write_reports` writes: its name, format and what it reports on.

    ``capture``: the index of the one capture a per-capture plot shows; None for the run's
    documents (``<stem>.pdf``, ``rfcheck-report.json`` for several captures). ``suspects``:
    the suspects CSV written beside the run's CSV.
    """

    name: str
    fmt: ReportFormat
    capture: int | None = None
    suspects: bool = False


def report_files(
    run: RunResult, formats: Sequence[str], *, suspects_csv: bool = False
) -> list[ReportFile]:
    """Return the files :func:`write_reports` writes for ``run``, in order.

    The run's documents are named by the capture's stem, or :data:`MULTI_STEM` for several;
    a plot is ``<stem>.<ext>`` for every capture with something to plot. ``check``'s record
    of each file's inputs (:mod:`rfcheck.cli._check_out`) names them from here too.
    """
    from .plots import has_plot

    stems = unique_stems(run.captures)
    main = stems[0] if len(run.captures) == 1 else MULTI_STEM
    files: list[ReportFile] = []
    for name in parse_formats(formats):
        fmt = FORMATS[name]
        if fmt.render_run is not None:
            files.append(ReportFile(f"{main}.{fmt.extension}", fmt))
            if fmt.name == "csv" and suspects_csv:
                files.append(ReportFile(f"{main}{SUSPECTS_SUFFIX}", fmt, suspects=True))
        elif fmt.render_capture is not None:
            files += [
                ReportFile(f"{stem}.{fmt.extension}", fmt, i)
                for i, (stem, cap) in enumerate(zip(stems, run.captures, strict=True))
                if has_plot(cap)
            ]
    return files


def _renderer(
    f: ReportFile, run: RunResult, setup: Setup | None, rid: str, window_db: float
) -> Callable[[], bytes]:
    """Return what renders ``f``: the run's document, the suspects CSV or a capture's plot.

    ``rid``, ``window_db``: the run's report id and suspect window, which a plot shows.
    """
    if f.suspects:
        return partial(_suspects, run)
    if f.capture is None:
        assert f.fmt.render_run is not None
        return partial(f.fmt.render_run, run, setup)
    assert f.fmt.render_capture is not None
    own = f"{rid}-{f.capture + 1}"
    return partial(f.fmt.render_capture, run.captures[f.capture], setup, own, window_db)
