"""The batch summary: one :class:`SummaryRow` per input, :class:`GroupResult` per unit, and
their renderers (``summary.csv``, ``summary_groups.csv``, ``summary.json``, ``index.html``).

Sign convention, as everywhere: ``margin_db = limit - level`` (positive = below the limit).
Every file is written atomically and is byte-identical for identical rows (no timestamps).
CSV text cells that a spreadsheet would run as a formula (starting with ``= + - @``, tab or
carriage return) get a leading apostrophe; numeric cells are left as numbers.
"""

from __future__ import annotations

import csv
import html
import io
import json
import os
import re
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import quote

from ._version import __version__
from .results import (
    MARGIN_SIGN,
    CaptureResult,
    Verdict,
    combine_verdicts,
    deciding_check,
    exit_code_for,
)
from .textsafe import printable

__all__ = [
    "SummaryRow",
    "GroupResult",
    "row_from_capture",
    "compile_group_pattern",
    "group_key",
    "group_rows",
    "write_summary",
    "csv_cell",
    "atomic_write",
    "SUMMARY_COLUMNS",
    "GROUP_COLUMNS",
]

#: Columns of ``summary.csv``.
SUMMARY_COLUMNS = (
    "path",
    "sha256",
    "format",
    "verdict",
    "coverage",
    "worst_margin_db",
    "worst_frequency_hz",
    "worst_limit",
    "group",
    "reports",
    "error",
)
#: Columns of ``summary_groups.csv``.
GROUP_COLUMNS = (
    "group",
    "verdict",
    "coverage",
    "members",
    "worst_margin_db",
    "worst_frequency_hz",
    "worst_limit",
    "worst_path",
    "paths",
)


def _opt_float(x: Any) -> float | None:
    return None if x is None else float(x)


def _coverage(x: Any) -> str:
    if x not in ("complete", "partial", "none"):
        raise ValueError(f"coverage must be 'complete', 'partial' or 'none', not {x!r}")
    return str(x)


@dataclass(frozen=True)
class SummaryRow:
    """One input's line in the summary.

    Attributes
    ----------
    path : str
        The input as displayed (root as given joined with its relative path).
    sha256 : str or None
        SHA-256 of the input bytes (None if unreadable).
    format : str or None
        Reader that read it.
    verdict : Verdict
    coverage : str
        ``complete`` (every requested limit line evaluated over its whole range),
        ``partial`` (some range or line not evaluated) or ``none`` (the input could not be
        read or analysed: verdict ERROR, nothing evaluated): the verdict applies only to
        what was evaluated.
    worst_margin_db : float or None
        Margin of the line that determines the verdict (the lines with the worst verdict,
        FAIL > INCONCLUSIVE > PASS, then the smallest margin among them),
        ``limit - level``. [dB]
    worst_frequency_hz : float or None
        Where it occurs. [Hz]
    worst_limit : str
        ``<limit id> <line>`` of that line.
    group : str
        The unit it belongs to ("" without a group pattern).
    reports : tuple of str
        Its report files, relative to the output folder (POSIX).
    error : str
        Why it could not be read or analysed ("; "-joined).
    """

    path: str
    sha256: str | None
    format: str | None
    verdict: Verdict
    worst_margin_db: float | None = None
    worst_frequency_hz: float | None = None
    worst_limit: str = ""
    group: str = ""
    reports: tuple[str, ...] = ()
    coverage: str = "partial"
    error: str = ""

    def to_json(self) -> dict[str, Any]:
        """JSON-ready dict, keys as :data:`SUMMARY_COLUMNS` (``reports`` a list)."""
        return {
            "path": self.path,
            "sha256": self.sha256,
            "format": self.format,
            "verdict": self.verdict.value,
            "coverage": self.coverage,
            "worst_margin_db": self.worst_margin_db,
            "worst_frequency_hz": self.worst_frequency_hz,
            "worst_limit": self.worst_limit,
            "group": self.group,
            "reports": list(self.reports),
            "error": self.error,
        }

    @classmethod
    def from_json(cls, doc: dict[str, Any]) -> SummaryRow:
        """Inverse of :meth:`to_json` (raises KeyError/ValueError/TypeError when malformed)."""
        return cls(
            path=str(doc["path"]),
            sha256=None if doc["sha256"] is None else str(doc["sha256"]),
            format=None if doc["format"] is None else str(doc["format"]),
            verdict=Verdict(doc["verdict"]),
            coverage=_coverage(doc["coverage"]),
            worst_margin_db=_opt_float(doc["worst_margin_db"]),
            worst_frequency_hz=_opt_float(doc["worst_frequency_hz"]),
            worst_limit=str(doc["worst_limit"]),
            group=str(doc.get("group", "")),
            reports=tuple(str(r) for r in doc["reports"]),
            error=str(doc["error"]),
        )


def row_from_capture(
    capture: CaptureResult, *, path: str, sha256: str | None, reports: Sequence[str] = ()
) -> SummaryRow:
    """Summarise a :class:`~rfcheck.results.CaptureResult`: its coverage, the margin of the
    line that determines its verdict (:func:`~rfcheck.results.deciding_check`, rounded as
    in the ``check`` JSON) and its error messages."""
    decider = deciding_check(capture.checks)
    worst = decider.to_json() if decider is not None else None
    messages = []
    for err in capture.errors:
        same = err.path in ("", path, capture.path) or err.message.startswith(err.path)
        messages.append(err.message if same else f"{err.path}: {err.message}")
    return SummaryRow(
        path=path,
        sha256=sha256 if sha256 is not None else capture.sha256,
        format=capture.format,
        verdict=capture.verdict,
        coverage=capture.coverage,
        worst_margin_db=worst["worst_margin_db"] if worst else None,
        worst_frequency_hz=worst["worst_frequency_hz"] if worst else None,
        worst_limit=f"{worst['limit_id']} {worst['line']}" if worst else "",
        reports=tuple(reports),
        error="; ".join(messages),
    )


def _all_complete(rows: Sequence[SummaryRow]) -> str:
    """``complete`` when every row is, ``none`` when no row was evaluated, else ``partial``."""
    if rows and all(r.coverage == "complete" for r in rows):
        return "complete"
    if rows and all(r.coverage == "none" for r in rows):
        return "none"
    return "partial"


def deciding_row(rows: Sequence[SummaryRow]) -> SummaryRow | None:
    """The member that decides a group's verdict: among the rows with the worst verdict
    (FAIL > ERROR > INCONCLUSIVE > PASS) the one with the smallest worst margin (then the
    lowest frequency, then summary order); the first such row when none has a margin."""
    if not rows:
        return None
    worst = combine_verdicts([r.verdict for r in rows])
    same = [r for r in rows if r.verdict is worst]
    scored = [r for r in same if r.worst_margin_db is not None]
    if not scored:
        return same[0]
    return min(scored, key=lambda r: (r.worst_margin_db, r.worst_frequency_hz or 0.0))


# --------------------------------------------------------------------------- grouping
@dataclass(frozen=True)
class GroupResult:
    """The worst case over the captures of one unit.

    Attributes
    ----------
    name : str
        The ``unit`` text the group pattern found (or the path of an ungrouped input).
    verdict : Verdict
        Worst member verdict: FAIL > ERROR > INCONCLUSIVE > PASS.
    coverage : str
        ``complete`` when every member's coverage is, ``none`` when no member's was
        evaluated, else ``partial``.
    members : tuple of str
        Member paths, in summary order.
    worst_margin_db : float or None
        Worst margin of the member that decides the verdict (:func:`deciding_row`: the
        members with the worst verdict, then the smallest margin). [dB]
    worst_frequency_hz : float or None
        Where it occurs. [Hz]
    worst_limit, worst_path : str
        Limit line and member of that margin (``worst_path`` is the deciding member even
        when it has no margin, e.g. an ERROR).
    """

    name: str
    verdict: Verdict
    members: tuple[str, ...]
    worst_margin_db: float | None = None
    worst_frequency_hz: float | None = None
    worst_limit: str = ""
    worst_path: str = ""
    coverage: str = "partial"

    def to_json(self) -> dict[str, Any]:
        """JSON-ready dict (``paths`` lists the members)."""
        return {
            "group": self.name,
            "verdict": self.verdict.value,
            "coverage": self.coverage,
            "members": len(self.members),
            "worst_margin_db": self.worst_margin_db,
            "worst_frequency_hz": self.worst_frequency_hz,
            "worst_limit": self.worst_limit,
            "worst_path": self.worst_path,
            "paths": list(self.members),
        }


def compile_group_pattern(pattern: str | None) -> re.Pattern[str] | None:
    """Compile a group pattern, checking it has the named group ``unit``.

    Raises
    ------
    ValueError
        Not a valid regular expression, or no ``(?P<unit>...)`` group.
    """
    if pattern is None:
        return None
    try:
        rx = re.compile(pattern)
    except re.error as err:
        raise ValueError(f"group pattern {pattern!r} is not a valid regex: {err}") from None
    if "unit" not in rx.groupindex:
        raise ValueError(f"group pattern {pattern!r} needs a named group (?P<unit>...)")
    return rx


def group_key(rel: str, pattern: re.Pattern[str]) -> str | None:
    """The ``unit`` the pattern finds in a relative path's file name (or in the whole
    relative path when the pattern contains ``/``); None when it does not match."""
    subject = rel if "/" in pattern.pattern else rel.rsplit("/", 1)[-1]
    m = pattern.search(subject)
    if m is None or not m.group("unit"):
        return None
    return m.group("unit")


def group_rows(
    rows: Sequence[SummaryRow], rels: Sequence[str], pattern: re.Pattern[str] | None
) -> tuple[list[SummaryRow], list[GroupResult]]:
    """Assign each row its group and compute the worst case per group.

    Returns the rows with ``group`` filled in and the groups in order of first member
    (both unchanged/empty when ``pattern`` is None).
    """
    if pattern is None:
        return list(rows), []
    out_rows: list[SummaryRow] = []
    members: dict[str, list[SummaryRow]] = {}
    for row, rel in zip(rows, rels, strict=True):
        name = group_key(rel, pattern) or row.path
        row = replace(row, group=name)
        out_rows.append(row)
        members.setdefault(name, []).append(row)
    groups = []
    for name, rs in members.items():
        worst = deciding_row(rs)
        groups.append(
            GroupResult(
                name=name,
                verdict=combine_verdicts([r.verdict for r in rs]),
                coverage=_all_complete(rs),
                members=tuple(r.path for r in rs),
                worst_margin_db=worst.worst_margin_db if worst else None,
                worst_frequency_hz=worst.worst_frequency_hz if worst else None,
                worst_limit=worst.worst_limit if worst else "",
                worst_path=worst.path if worst else "",
            )
        )
    return out_rows, groups


# --------------------------------------------------------------------------- writers
def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temporary file in the same folder and a rename, so
    the file is either the old one or complete (no fsync: outputs can be recomputed)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o644)  # mkstemp's 0600 is for the temporary name only
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def csv_cell(value: Any) -> str | float | int:
    """A CSV cell: numbers as numbers, None as empty, text neutralised against formula
    injection (a leading ``= + - @ \\t \\r`` gets an apostrophe)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float):
        return value
    text = str(value)
    return printable("'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text)


def _csv(columns: Sequence[str], records: Sequence[dict[str, Any]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(columns)
    for rec in records:
        writer.writerow(
            [csv_cell(";".join(rec[c]) if isinstance(rec[c], list) else rec[c]) for c in columns]
        )
    return buf.getvalue()


def _counts(rows: Sequence[SummaryRow]) -> dict[str, int]:
    counts = {v.value: 0 for v in Verdict}
    for r in rows:
        counts[r.verdict.value] += 1
    return counts


def _fmt(x: float | None, unit: str) -> str:
    if x is None:
        return ""
    if unit == "Hz":
        for scale, suffix in ((1e9, "GHz"), (1e6, "MHz"), (1e3, "kHz")):
            if abs(x) >= scale:
                return f"{x / scale:.6g} {suffix}"
        return f"{x:.6g} Hz"
    return f"{x:.2f} {unit}"


_CSS = """body{font-family:system-ui,sans-serif;margin:1.5em;color:#222}
table{border-collapse:collapse;margin:1em 0;font-size:90%}
th,td{border:1px solid #ccc;padding:.25em .5em;text-align:left;vertical-align:top}
th{background:#f0f0f0}td.num{text-align:right;font-variant-numeric:tabular-nums}
.PASS{color:#176117;font-weight:bold}.FAIL{color:#b00;font-weight:bold}
.INCONCLUSIVE{color:#a65f00;font-weight:bold}.ERROR{color:#6a1b9a;font-weight:bold}
code{font-size:85%}"""


def _html(rows: Sequence[SummaryRow], groups: Sequence[GroupResult], pattern: str | None) -> str:
    def e(text: str) -> str:
        return printable(html.escape(text))

    verdict = combine_verdicts([r.verdict for r in rows]).value
    counts = ", ".join(f"{n} {v}" for v, n in _counts(rows).items())
    partial = sum(r.coverage == "partial" for r in rows)
    none = sum(r.coverage == "none" for r in rows)
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        "<title>rfcheck batch summary</title>",
        f"<style>{_CSS}</style></head><body>",
        "<h1>rfcheck batch summary</h1>",
        f'<p>Verdict: <span class="{verdict}">{verdict}</span> &mdash; {len(rows)} inputs: '
        f"{e(counts)}; coverage: {len(rows) - partial - none} complete, {partial} partial, "
        f"{none} none (a verdict applies only to the frequency ranges evaluated). "
        "Margin = limit &minus; level (positive = below the limit). "
        f"rfcheck {e(__version__)}.</p>",
        '<p>Also as <a href="summary.csv">summary.csv</a>, <a href="summary.json">'
        'summary.json</a>, <a href="summary_groups.csv">summary_groups.csv</a>.</p>',
    ]
    if groups:
        out.append(f"<h2>Units</h2><p>Grouped by <code>{e(pattern or '')}</code>.</p>")
        out.append(
            "<table><tr><th>Unit</th><th>Verdict</th><th>Coverage</th><th>Captures</th>"
            "<th>Worst margin</th>"
            "<th>At</th><th>Limit</th><th>Worst capture</th></tr>"
        )
        for g in groups:
            v = g.verdict.value
            out.append(
                f'<tr><td>{e(g.name)}</td><td class="{v}">{v}</td><td>{e(g.coverage)}</td>'
                f'<td class="num">{len(g.members)}</td>'
                f'<td class="num">{_fmt(g.worst_margin_db, "dB")}</td>'
                f'<td class="num">{_fmt(g.worst_frequency_hz, "Hz")}</td>'
                f"<td>{e(g.worst_limit)}</td><td>{e(g.worst_path)}</td></tr>"
            )
        out.append("</table>")
    out.append(
        "<h2>Captures</h2><table><tr><th>Path</th><th>Verdict</th><th>Coverage</th>"
        "<th>Worst margin</th>"
        "<th>At</th><th>Limit</th>"
        + ("<th>Unit</th>" if groups else "")
        + "<th>Format</th><th>SHA-256</th><th>Reports / error</th></tr>"
    )
    for r in rows:
        v = r.verdict.value
        links = " ".join(
            f'<a href="{e(quote(p))}">{e(p.rsplit("/", 1)[-1])}</a>' for p in r.reports
        )
        detail = links + (f"<br>{e(r.error)}" if r.error and links else e(r.error))
        sha = f'<code title="{e(r.sha256)}">{e(r.sha256[:12])}</code>' if r.sha256 else ""
        out.append(
            f'<tr><td>{e(r.path)}</td><td class="{v}">{v}</td><td>{e(r.coverage)}</td>'
            f'<td class="num">{_fmt(r.worst_margin_db, "dB")}</td>'
            f'<td class="num">{_fmt(r.worst_frequency_hz, "Hz")}</td>'
            f"<td>{e(r.worst_limit)}</td>"
            + (f"<td>{e(r.group)}</td>" if groups else "")
            + f"<td>{e(r.format or '')}</td><td>{sha}</td><td>{detail}</td></tr>"
        )
    out.append("</table></body></html>\n")
    return "\n".join(out)


def write_summary(
    out: Path,
    rows: Sequence[SummaryRow],
    groups: Sequence[GroupResult],
    *,
    pattern: str | None = None,
) -> list[Path]:
    """Write ``summary.csv``, ``summary_groups.csv``, ``summary.json`` and ``index.html``.

    Returns the paths written, in that order.
    """
    out.mkdir(parents=True, exist_ok=True)
    row_docs = [r.to_json() for r in rows]
    group_docs = [g.to_json() for g in groups]
    doc = {
        "rfcheck_version": __version__,
        "margin_sign": MARGIN_SIGN,
        "verdict": combine_verdicts([r.verdict for r in rows]).value,
        "coverage": _all_complete(rows),
        "counts": _counts(rows),
        "group_pattern": pattern,
        "rows": row_docs,
        "groups": group_docs,
    }
    texts = {
        "summary.csv": _csv(SUMMARY_COLUMNS, row_docs),
        "summary_groups.csv": _csv(GROUP_COLUMNS, group_docs),
        "summary.json": json.dumps(doc, indent=2, ensure_ascii=False, allow_nan=False) + "\n",
        "index.html": _html(rows, groups, pattern),
    }
    written = []
    for name, text in texts.items():
        atomic_write(out / name, text.encode("utf-8"))
        written.append(out / name)
    return written


@dataclass(frozen=True)
class BatchResult:
    """The outcome of :func:`run_batch`.

    Attributes
    ----------
    out : Path
        Output folder.
    rows : tuple of SummaryRow
        One per input, in discovery order.
    groups : tuple of GroupResult
        Worst case per unit (empty without a group pattern).
    computed, reused : int
        Inputs analysed in this run, and inputs whose up-to-date outputs were reused.
    files : tuple of Path
        The summary files written.
    notes : tuple of str
        What the run noted besides the rows (skipped hidden entries and output folders, a
        fallback to in-process execution), in order; also passed to ``note``.
    """

    out: Path
    rows: tuple[SummaryRow, ...]
    groups: tuple[GroupResult, ...]
    computed: int
    reused: int
    files: tuple[Path, ...]
    notes: tuple[str, ...] = ()

    @property
    def verdict(self) -> Verdict:
        """Worst verdict over all inputs (ERROR when there are none)."""
        return combine_verdicts([r.verdict for r in self.rows])

    @property
    def exit_code(self) -> int:
        """As for ``rfcheck check``: 0 pass, 1 fail, 3 error (none failed), 4 inconclusive."""
        return exit_code_for(self.verdict)

    @property
    def counts(self) -> dict[str, int]:
        """Number of inputs per verdict (every verdict present, 0 when none)."""
        out = {v.value: 0 for v in Verdict}
        for r in self.rows:
            out[r.verdict.value] += 1
        return out
