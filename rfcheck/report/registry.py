"""The report-format registry: every format name rfcheck renders, and the one parser for them.

One table, :data:`FORMATS`, maps a format name to a :class:`ReportFormat`: what it is, the
file extension, where it may go (a report file, stdout, or both) and its renderer.
:func:`parse_formats` is the one parser of format names, used by ``check -o``, ``check
--report``, ``batch --report`` and any later command, so every command accepts the same
names, refuses the same typos with the same message, and does so before any work.

Renderers are imported when first called, so reading the registry (``--help``, option
parsing) never imports matplotlib.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING

from ..errors import RfcheckError

if TYPE_CHECKING:
    from ..results import CaptureResult, RunResult
    from ..settings import Setup

__all__ = [
    "Destination",
    "ReportFormat",
    "ReportFormatError",
    "FORMATS",
    "NO_FORMATS",
    "format_names",
    "parse_formats",
    "render_stdout",
    "report_format",
]

#: Renders a whole run as one document. [UTF-8 bytes for text formats]
RunRenderer = Callable[["RunResult", "Setup | None"], bytes]
#: Renders one capture of a run (plots): ``(capture, setup, salt, window_db)``; ``salt``
#: makes SVG element ids unique per file, ``window_db`` is the suspect window. [dB]
CaptureRenderer = Callable[["CaptureResult", "Setup | None", str, float], bytes]

#: What ``--report`` accepts to mean "no report files" (``batch --report none``).
NO_FORMATS = "none"


class ReportFormatError(RfcheckError, ValueError):
    """A format name is unknown, or not available where it was asked for (a usage error)."""


class Destination(Enum):
    """Where a rendered format can go."""

    FILE = "file"  #: a report file (``check --report``, ``batch --report``)
    STDOUT = "stdout"  #: printed by ``check -o``


@dataclass(frozen=True)
class ReportFormat:
    """One format the report layer renders.

    Attributes
    ----------
    name : str
        Lower-case name, as typed after ``--report`` or ``-o``.
    title : str
        One line for help texts and listings.
    extension : str
        File extension without the dot ("" when the format is never a file).
    destinations : frozenset of Destination
        Where it may go.
    render_run : callable, optional
        ``(run, setup) -> bytes``: one document for the whole run.
    render_capture : callable, optional
        ``(capture, setup, salt, window_db) -> bytes``: one file per capture that has
        something to plot (exactly one of the two renderers is set).
    """

    name: str
    title: str
    extension: str
    destinations: frozenset[Destination]
    render_run: RunRenderer | None = None
    render_capture: CaptureRenderer | None = None

    @property
    def per_capture(self) -> bool:
        """One file per capture (plots) rather than one document per run."""
        return self.render_capture is not None


# --------------------------------------------------------------------------- renderers
def _pdf(run: RunResult, setup: Setup | None) -> bytes:
    from .pdf import render_pdf

    return render_pdf(run, setup)


def _html(run: RunResult, setup: Setup | None) -> bytes:
    from .html import render_html

    return render_html(run, setup)


def _json(run: RunResult, setup: Setup | None) -> bytes:
    from .tabular import render_json

    return render_json(run, setup).encode("utf-8")


def _csv(run: RunResult, setup: Setup | None) -> bytes:
    from .tabular import render_csv

    return render_csv(run, setup).encode("utf-8")


def _text(run: RunResult, setup: Setup | None) -> bytes:
    from .text import render_text

    return render_text(run, setup).encode("utf-8")


def _png(capture: CaptureResult, setup: Setup | None, salt: str, window_db: float) -> bytes:
    from .plots import plot_png

    return plot_png(capture, setup, window_db=window_db)


def _svg(capture: CaptureResult, setup: Setup | None, salt: str, window_db: float) -> bytes:
    from .plots import plot_svg

    return plot_svg(capture, setup, salt=salt, window_db=window_db)


_FILE = frozenset({Destination.FILE})
_STDOUT = frozenset({Destination.STDOUT})
_BOTH = _FILE | _STDOUT

#: Every format; report files are written in this order (``text`` is stdout only).
FORMATS: dict[str, ReportFormat] = {
    f.name: f
    for f in (
        ReportFormat("text", "the check text summary", "", _STDOUT, _text),
        ReportFormat("pdf", "PDF report (cover, plots, tables, appendix)", "pdf", _FILE, _pdf),
        ReportFormat("html", "self-contained HTML report, inline PNG plots", "html", _FILE, _html),
        ReportFormat("png", "margin plot per capture, PNG", "png", _FILE, render_capture=_png),
        ReportFormat("svg", "margin plot per capture, SVG", "svg", _FILE, render_capture=_svg),
        ReportFormat("json", "the check JSON document", "json", _BOTH, _json),
        ReportFormat("csv", "one row per capture and limit line", "csv", _BOTH, _csv),
    )
}


def format_names(destination: Destination = Destination.FILE) -> tuple[str, ...]:
    """Return the names of the formats that can go to ``destination``, in registry order."""
    return tuple(n for n, f in FORMATS.items() if destination in f.destinations)


def report_format(name: str) -> ReportFormat:
    """Return the registry entry for ``name`` (case-insensitive).

    Raises
    ------
    ReportFormatError
        ``name`` is not a registered format.
    """
    try:
        return FORMATS[name.strip().lower()]
    except KeyError:
        raise ReportFormatError(f"unknown format {name!r} (known: {', '.join(FORMATS)})") from None


def parse_formats(
    value: str | Sequence[str],
    *,
    destination: Destination = Destination.FILE,
    single: bool = False,
) -> tuple[str, ...]:
    """Parse format names as a user types them: ``"pdf,html"``, ``["PDF", "html"]``.

    Parameters
    ----------
    value : str or sequence of str
        Comma-separated names (or a list of them); case and spaces are ignored, duplicates
        dropped. ``"none"`` (or an empty value) means no format, except with ``single``.
    destination : Destination
        Where the formats will go; a format that cannot go there is refused.
    single : bool
        Exactly one name is expected (``check -o``).

    Returns
    -------
    tuple of str
        The names in registry order (the order files are written), whatever the order
        given.

    Raises
    ------
    ReportFormatError
        An unknown name, a name not available for ``destination``, or not exactly one name
        with ``single``; the message lists the names accepted.
    """
    items = value.split(",") if isinstance(value, str) else list(value)
    wanted = [str(x).strip().lower() for x in items if str(x).strip()]
    allowed = format_names(destination)
    known = ", ".join(allowed) if single else ", ".join(allowed) + f", or '{NO_FORMATS}'"
    if not single and wanted in ([], [NO_FORMATS]):
        return ()
    unknown = [w for w in dict.fromkeys(wanted) if w not in allowed]
    if unknown:
        what = "format" if len(unknown) == 1 else "formats"
        raise ReportFormatError(f"unknown {what} {', '.join(map(repr, unknown))} (known: {known})")
    if single and len(wanted) != 1:
        raise ReportFormatError(f"give exactly one format (known: {known})")
    return tuple(n for n in allowed if n in wanted)


def render_stdout(name: str, run: RunResult, setup: Setup | None = None) -> str:
    """Render the run in a stdout format: what ``check -o NAME`` prints.

    Raises
    ------
    ReportFormatError
        ``name`` is not a stdout format.
    """
    fmt = FORMATS[parse_formats(name, destination=Destination.STDOUT, single=True)[0]]
    if fmt.render_run is None:  # pragma: no cover - every stdout format renders a run
        raise ReportFormatError(f"format {name!r} cannot be printed")
    return fmt.render_run(run, setup).decode("utf-8")
