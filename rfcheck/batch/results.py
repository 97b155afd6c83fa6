"""Hold what a batch produces.

One :class:`SummaryRow` per input and the :class:`BatchResult` of the run (rendered by
:mod:`rfcheck.report.summary`); the units' worst cases are :mod:`rfcheck.batch.groups`, what
a combined verdict takes on trust :mod:`rfcheck.batch.assumptions`.

Sign convention, as everywhere: ``margin_db = limit - level`` (positive = below the limit).
The grouping and worst-case rules are stated in ``docs/batch.md``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..outcome import Bound, Verdict, combine_verdicts, exit_code_for
from ..report.assumed_text import ASSUMED_DWELL, ASSUMED_SCALE
from ..report.range_text import requested_range_text
from ..results import CaptureResult, LineCheck, deciding_check

if TYPE_CHECKING:
    from .groups import GroupResult

__all__ = [
    "SummaryRow",
    "BatchResult",
    "row_from_capture",
    "tightest_check",
    "overall_coverage",
    "verdict_counts",
    "not_analysed_count",
    "range_limited_passes",
    "NOT_RUN",
]

#: The error text of an input a batch did not analyse because it was interrupted: its row
#: is INCOMPLETE, coverage ``none`` (:attr:`SummaryRow.not_analysed`).
NOT_RUN = "not analysed: the batch was interrupted (run the same command again to resume)"


def _opt_float(x: Any) -> float | None:
    return None if x is None else float(x)


def _range_json(r: tuple[float, float] | None) -> list[float] | None:
    return None if r is None else [float(r[0]), float(r[1])]


def _range(x: Any) -> tuple[float, float] | None:
    if x is None:
        return None
    ok = isinstance(x, list) and len(x) == 2
    if not ok or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in x):
        raise ValueError(f"a range must be [lo, hi] in Hz, not {x!r}")
    lo, hi = float(x[0]), float(x[1])
    if not (math.isfinite(lo) and math.isfinite(hi)):
        raise ValueError(f"a range must be [lo, hi] in Hz, not {x!r}")
    return lo, hi


def _coverage(x: Any) -> str:
    if x not in ("complete", "partial", "none"):
        raise ValueError(f"coverage must be 'complete', 'partial' or 'none', not {x!r}")
    return str(x)


def _lines(x: Any) -> tuple[str, ...]:
    if not isinstance(x, list) or not all(isinstance(v, str) for v in x):
        raise ValueError(f"assumed_dwell_lines must be a list of lines, not {x!r}")
    return tuple(x)


def _bool(x: Any) -> bool:
    if not isinstance(x, bool):
        raise ValueError(f"assumed_scale must be true or false, not {x!r}")
    return x


#: The values of the ``levels`` column (:attr:`rfcheck.results.CaptureResult.levels_origin`).
_LEVELS = ("", "instrument", "receiver model", "instrument and receiver model")


def _levels(x: Any) -> str:
    if x not in _LEVELS:
        raise ValueError(f"levels must be one of {', '.join(map(repr, _LEVELS))}, not {x!r}")
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
    worst_bound : str
        What the level there is (``measured``, ``upper bound``, ``lower bound``; "" without
        a margin): the margin is then exact, a lower or an upper bound on the true one.
    worst_limit : str
        ``<limit id> <line>`` of that line (named even when it has no margin: an INCOMPLETE
        line that was not measured).
    tightest_margin_db : float or None
        The smallest margin that was measured: over every line of the capture, whatever its
        verdict, the smallest margin whose level is measured or an upper bound (a margin the
        true one is at least), ``limit - level``; None when no line has one. It can differ
        from ``worst_margin_db`` (a deciding line still open, or not measured at all), so
        nothing measured is lost from the row (``docs/batch.md``, "Summary rows"). [dB]
    tightest_frequency_hz : float or None
        Where it occurs. [Hz]
    tightest_bound : str
        ``measured`` or ``upper bound`` ("" without a tightest margin).
    tightest_limit : str
        ``<limit id> <line>`` of that line.
    judged_range_hz : (float, float) or None
        The range judged when a requested range (``--range``, ``range_hz``) left part of the
        lines' required range out; None otherwise. [Hz]
    required_range_hz : (float, float) or None
        The range the limit lines are required over. [Hz]
    levels : str
        Where the judged levels come from, as the ``check`` CSV's ``levels`` column
        (:attr:`rfcheck.results.CaptureResult.levels_origin`): ``instrument``, ``receiver
        model`` or ``instrument and receiver model``; "" when nothing was judged.
    scale : str
        The scale a recording's samples were taken at, as the ``check`` CSV's ``scale``
        column (:attr:`rfcheck.results.CaptureResult.scale`); "" for a swept capture.
    assumed_dwell_lines : tuple of str
        ``<limit id> <line>`` of each line whose verdict takes quasi-peak or CISPR-average
        readings with no stated dwell as settled
        (:attr:`rfcheck.results.CaptureResult.assumed_dwell_basis`; none for FAIL or ERROR).
    assumed_dwell_s : float or None
        The dwell per frequency those readings need to have settled; None when none. [s]
    assumed_scale : bool
        The levels rest on a recording's default 1 V scale, no scale stated
        (:attr:`rfcheck.results.CaptureResult.assumed_scale`; any verdict but ERROR).
    data_sha256 : tuple of str
        SHA-256 of each file the input was read from besides ``path`` (a SigMF recording's
        data file: two recordings sharing one metadata text differ there).
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
    worst_bound: str = ""
    reports: tuple[str, ...] = ()
    coverage: str = "partial"
    error: str = ""
    tightest_margin_db: float | None = None
    tightest_frequency_hz: float | None = None
    tightest_bound: str = ""
    tightest_limit: str = ""
    judged_range_hz: tuple[float, float] | None = None
    required_range_hz: tuple[float, float] | None = None
    levels: str = ""
    scale: str = ""
    assumed_dwell_lines: tuple[str, ...] = ()
    assumed_dwell_s: float | None = None
    assumed_scale: bool = False
    data_sha256: tuple[str, ...] = ()

    @property
    def assumed(self) -> tuple[str, ...]:
        """What the verdict takes on trust, as labels: ``ASSUMED DWELL``, ``ASSUMED SCALE``."""
        return ((ASSUMED_DWELL,) if self.assumed_dwell_lines else ()) + (
            (ASSUMED_SCALE,) if self.assumed_scale else ()
        )

    @property
    def not_analysed(self) -> bool:
        """Whether the input was not analysed: an interrupted batch stopped before it.

        Its verdict is INCOMPLETE, but it is counted apart from the INCOMPLETE verdicts of
        inputs that were analysed (:func:`verdict_counts`, :func:`not_analysed_count`).
        """
        return self.error == NOT_RUN

    @property
    def requested_range(self) -> str:
        """What a PASS over a requested range holds for, as the check report words it.

        ``PASS over 30-1000 MHz only, the requested range; the lines are required over
        30-40000 MHz`` (:func:`rfcheck.report.range_text.requested_range_text`), else "".
        """
        return requested_range_text(self.verdict, self.judged_range_hz, self.required_range_hz)

    def to_json(self) -> dict[str, Any]:
        """JSON-ready dict, keys as :data:`rfcheck.report.summary.SUMMARY_COLUMNS`.

        ``reports`` is a list, the ranges ``[low, high]`` lists or None.
        """
        return {
            "path": self.path,
            "sha256": self.sha256,
            "format": self.format,
            "verdict": self.verdict.value,
            "coverage": self.coverage,
            "worst_margin_db": self.worst_margin_db,
            "worst_frequency_hz": self.worst_frequency_hz,
            "worst_bound": self.worst_bound,
            "worst_limit": self.worst_limit,
            "group": self.group,
            "reports": list(self.reports),
            "error": self.error,
            "tightest_margin_db": self.tightest_margin_db,
            "tightest_frequency_hz": self.tightest_frequency_hz,
            "tightest_bound": self.tightest_bound,
            "tightest_limit": self.tightest_limit,
            "judged_range_hz": _range_json(self.judged_range_hz),
            "required_range_hz": _range_json(self.required_range_hz),
            "requested_range": self.requested_range,
            "levels": self.levels,
            "scale": self.scale,
            "assumed_dwell_lines": list(self.assumed_dwell_lines),
            "assumed_dwell_s": self.assumed_dwell_s,
            "assumed_scale": self.assumed_scale,
            "data_sha256": list(self.data_sha256),
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
            worst_bound=str(doc.get("worst_bound") or ""),
            group=str(doc.get("group", "")),
            reports=tuple(str(r) for r in doc["reports"]),
            error=str(doc["error"]),
            tightest_margin_db=_opt_float(doc.get("tightest_margin_db")),
            tightest_frequency_hz=_opt_float(doc.get("tightest_frequency_hz")),
            tightest_bound=str(doc.get("tightest_bound") or ""),
            tightest_limit=str(doc.get("tightest_limit") or ""),
            judged_range_hz=_range(doc.get("judged_range_hz")),
            required_range_hz=_range(doc.get("required_range_hz")),
            levels=_levels(doc["levels"]),
            scale=str(doc["scale"]),
            assumed_dwell_lines=_lines(doc["assumed_dwell_lines"]),
            assumed_dwell_s=_opt_float(doc["assumed_dwell_s"]),
            assumed_scale=_bool(doc["assumed_scale"]),
            data_sha256=tuple(str(h) for h in doc.get("data_sha256") or ()),
        )


def row_from_capture(
    capture: CaptureResult,
    *,
    path: str,
    sha256: str | None,
    reports: Sequence[str] = (),
    data_sha256: Sequence[str] = (),
) -> SummaryRow:
    """Summarise a :class:`~rfcheck.results.CaptureResult`.

    ``data_sha256``: its data files' SHA-256 (:meth:`rfcheck.results.RunResult.data_sha256`).

    The summary holds its coverage, the margin of the line that determines its verdict
    (:func:`~rfcheck.results.deciding_check`, rounded as in the ``check`` JSON), the
    tightest measured margin (:func:`tightest_check`) and its error messages.
    """
    decider = deciding_check(capture.checks)
    worst = decider.to_json() if decider is not None else None
    tight_check = tightest_check(capture.checks)
    tight = tight_check.to_json() if tight_check is not None else None
    # a table of the user's own is marked in the summary too
    user = {str(lim["id"]) for lim in capture.limits if lim.get("shipped") is False}

    def named(check: dict[str, Any] | None) -> str:
        if check is None:
            return ""
        mark = " (user table)" if check["limit_id"] in user else ""
        return f"{check['limit_id']} {check['line']}{mark}"

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
        worst_limit=named(worst),
        worst_bound=(worst["worst_bound"] or "") if worst else "",
        reports=tuple(reports),
        error="; ".join(messages),
        tightest_margin_db=tight["worst_margin_db"] if tight else None,
        tightest_frequency_hz=tight["worst_frequency_hz"] if tight else None,
        tightest_bound=(tight["worst_bound"] or "") if tight else "",
        tightest_limit=named(tight),
        judged_range_hz=capture.judged_range_hz,
        required_range_hz=capture.required_range_hz,
        levels=capture.levels_origin,
        scale=capture.scale,
        assumed_dwell_lines=tuple(f"{c.limit_id} {c.line}" for c in capture.assumed_dwell_basis),
        assumed_dwell_s=_dwell_need(capture),
        assumed_scale=capture.assumed_scale,
        data_sha256=tuple(data_sha256),
    )


def _dwell_need(capture: CaptureResult) -> float | None:
    """Return the dwell per frequency the verdict assumes, to 1 ms as its JSON, or None [s]."""
    needs = [c.assumed_dwell_s or 0.0 for c in capture.assumed_dwell_basis]
    return round(max(needs), 3) if needs else None


#: Bounds whose margin the true margin is at least: what was measured, for the summary.
_FLOOR_BOUNDS = (Bound.MEASURED, Bound.UPPER)


def tightest_check(checks: Sequence[LineCheck]) -> LineCheck | None:
    """Return the line with the smallest measured margin, whatever its verdict.

    Among the lines whose worst point is measured or an upper-bound level (so the true
    margin is at least the one printed), the one with the smallest finite margin, then the
    lowest frequency; None when no line has one. A lower-bound level's margin (``≤``) only
    bounds the true margin from above and is not a measured margin.
    """
    scored = [
        c
        for c in checks
        if c.worst_bound in _FLOOR_BOUNDS
        and c.worst_margin_db is not None
        and math.isfinite(c.worst_margin_db)
    ]
    if not scored:
        return None
    return min(scored, key=lambda c: (c.worst_margin_db, c.worst_frequency_hz or 0.0))


def overall_coverage(rows: Sequence[SummaryRow]) -> str:
    """``complete`` when every row is, ``none`` when no row was evaluated, else ``partial``."""
    if rows and all(r.coverage == "complete" for r in rows):
        return "complete"
    if rows and all(r.coverage == "none" for r in rows):
        return "none"
    return "partial"


def verdict_counts(rows: Sequence[SummaryRow]) -> dict[str, int]:
    """Count the analysed rows per verdict (every verdict present, 0 when none).

    The rows an interrupted batch did not analyse are counted apart
    (:func:`not_analysed_count`): their INCOMPLETE is no verdict on the input, and counted
    among the analysed INCOMPLETE rows it would pass for one.
    """
    counts = {v.value: 0 for v in Verdict}
    for r in rows:
        counts[r.verdict.value] += not r.not_analysed
    return counts


def not_analysed_count(rows: Sequence[SummaryRow]) -> int:
    """Count the rows an interrupted batch did not analyse (:attr:`SummaryRow.not_analysed`)."""
    return sum(r.not_analysed for r in rows)


def range_limited_passes(rows: Sequence[SummaryRow]) -> int:
    """Count the PASS rows that hold over a requested range only (``docs/batch.md``).

    They are among the PASS of :func:`verdict_counts` and every summary says how many of
    them are (:attr:`SummaryRow.requested_range`): a lab reading "PASS" would take it for
    the lines' whole required range.
    """
    return sum(bool(r.requested_range) for r in rows)


@dataclass(frozen=True)
class BatchResult:
    """The outcome of :func:`~rfcheck.batch.runner.run_batch`.

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
    interrupted : bool
        The run was interrupted (SIGINT, Ctrl-C): the inputs it did not analyse are
        INCOMPLETE rows saying so, and the command line exits with 130.
    not_run : int
        How many inputs the interrupted run did not analyse (not in :attr:`counts`).
    unlisted : int
        How many rows are folders that could not be listed (ERROR rows, no input each).
    stale : tuple of str
        Folders under ``out/captures`` that belong to no input of this run and were left in
        place (paths relative to ``out``; those rfcheck wrote entirely are removed).
    """

    out: Path
    rows: tuple[SummaryRow, ...]
    groups: tuple[GroupResult, ...]
    computed: int
    reused: int
    files: tuple[Path, ...]
    notes: tuple[str, ...] = ()
    interrupted: bool = False
    not_run: int = 0
    stale: tuple[str, ...] = ()
    unlisted: int = 0

    @property
    def total_parts(self) -> str:
        """Say what the rows are, parts that add up to their number.

        ``"6 analysed, 0 up to date, 1 folder not listed"``: the rows analysed in this run,
        those whose up-to-date outputs were reused, the inputs an interrupted run did not
        analyse and the folders that could not be listed (each an ERROR row, no input).
        """
        parts = [f"{self.computed} analysed", f"{self.reused} up to date"]
        if self.not_run:
            parts.append(f"{self.not_run} not analysed")
        if self.unlisted:
            parts.append(f"{self.unlisted} folder{'s' if self.unlisted > 1 else ''} not listed")
        return ", ".join(parts)

    @property
    def verdict(self) -> Verdict:
        """Worst verdict over all inputs (ERROR when there are none)."""
        return combine_verdicts([r.verdict for r in self.rows])

    @property
    def exit_code(self) -> int:
        """Return the exit code, as for ``rfcheck check``.

        0 pass, 1 fail, 3 error (none failed), 4 inconclusive
        (no fail, no error), 5 incomplete (part of what was to be judged was not: a range not
        measured, or an input an interrupted run did not analyse). The command line exits
        with 130 instead when the run was interrupted.
        """
        return exit_code_for(self.verdict)

    @property
    def counts(self) -> dict[str, int]:
        """Number of analysed inputs per verdict (every verdict present, 0 when none).

        The inputs an interrupted run did not analyse are :attr:`not_run`, apart.
        """
        return verdict_counts(self.rows)
