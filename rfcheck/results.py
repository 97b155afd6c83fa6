"""Results are data: what ``check`` decided.

For renderers (text/JSON/CSV/HTML/PDF/plots)
and the batch summary to format. Nothing here computes a verdict.

Sign convention, everywhere: ``margin_db = limit - level`` (positive = below the limit).
The verdict vocabulary (``Verdict``, ``Bound``, ``combine_verdicts``,
``exit_code_for``, ``MARGIN_SIGN``) lives in :mod:`rfcheck.outcome`, the plotted traces and
limit lines (``PlotTrace``, ``PlotLimit``) in :mod:`rfcheck.plotted`; both are re-exported
here.

The JSON these results write (``rfcheck check -o json``) is described key by key in
``docs/check-json.md``; README "JSON output" shows an example.
"""

from __future__ import annotations

import datetime as _dt
import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from . import report_id as _rid
from .json_numbers import json_number
from .line_results import LineCheck, Suspect, deciding_check, judged_margin_db
from .outcome import MARGIN_SIGN, Bound, Verdict, combine_verdicts, exit_code_for
from .plotted import PlotLimit, PlotTrace
from .verdict.decision import parse_decision_rule

if TYPE_CHECKING:  # rfcheck.explain builds on these results: names for the annotations only
    from .explain.ambient import AmbientFlag, AmbientOutcome
    from .explain.families import Family

__all__ = [
    "Verdict",
    "Bound",
    "LineCheck",
    "Suspect",
    "ErrorRecord",
    "PlotTrace",
    "PlotLimit",
    "InputFile",
    "CaptureResult",
    "RunResult",
    "combine_verdicts",
    "deciding_check",
    "judged_margin_db",
    "exit_code_for",
    "MARGIN_SIGN",
]


@dataclass(frozen=True)
class ErrorRecord:
    """An input that could not be read or analysed."""

    path: str
    message: str
    #: a usage error (the capture covers none of a requested limit's range): exit code 2
    usage: bool = False

    def to_json(self) -> dict[str, Any]:
        """Return this error as a JSON-ready dict."""
        return {"path": self.path, "message": self.message}


@dataclass(frozen=True)
class InputFile:
    """A file an analysis depended on, for the provenance appendix."""

    role: str  #: capture | limit | transducer | setup
    path: str
    sha256: str

    def to_json(self) -> dict[str, Any]:
        """Return this input as a JSON-ready dict."""
        return {"role": self.role, "path": self.path, "sha256": self.sha256}


@dataclass(frozen=True, eq=False)
class CaptureResult:
    """Everything ``check`` concluded about one capture, plus what the renderers draw."""

    path: str
    sha256: str | None
    format: str | None
    verdict: Verdict
    checks: tuple[LineCheck, ...] = ()
    suspects: tuple[Suspect, ...] = ()
    errors: tuple[ErrorRecord, ...] = ()
    warnings: tuple[str, ...] = ()
    instrument: dict[str, str] = field(default_factory=dict)
    timestamp: str | None = None
    corrections: tuple[str, ...] = ()  #: human descriptions of each transducer applied
    limits: tuple[dict[str, Any], ...] = ()  #: id, title, source, distance conversion note
    plot_traces: tuple[PlotTrace, ...] = ()
    plot_limits: tuple[PlotLimit, ...] = ()
    label: str = ""  #: port / polarisation / line label for plot titles
    settings: dict[str, Any] = field(default_factory=dict)  #: effective settings (JSON-ready)
    #: limit id -> upper end of the range a measurement must cover, 47 CFR 15.33(b)(1) [Hz]
    required_upper_hz: dict[str, float] = field(default_factory=dict)
    #: harmonic families (declared clocks' and found in the data), ``docs/explain.md``
    families: tuple[Family, ...] = ()
    #: the ambient capture (DUT off) the rows were compared with, and the verdict rule's outcome
    ambient_path: str | None = None
    ambient_outcome: AmbientOutcome | None = None
    #: ranges where the ambient itself is within the threshold of a limit [Hz]
    ambient_near_limit_hz: tuple[tuple[float, float], ...] = ()
    #: the ambient's corrected traces, drawn greyed on the plots
    ambient_traces: tuple[PlotTrace, ...] = ()
    #: every emission (trace peak) within the threshold of the ambient: not the DUT's
    ambient_emissions: tuple[AmbientFlag, ...] = ()
    #: the scale a recording's samples were taken at (:func:`rfcheck.io.iq_scale.scale_cell`;
    #: "" for a file whose readings carry their own unit)
    scale: str = ""

    @property
    def not_evaluated(self) -> tuple[tuple[str, str, tuple[tuple[float, float], ...]], ...]:
        """Return ``(limit_id, line, ranges_hz)`` of every judged line with unmeasured ranges.

        The ranges are a line's ``not_evaluated_hz``: within its judged range (the limit's
        range, bounded by 47 CFR 15.33(b)(1) where the table has that rule and by the
        requested ``range_hz``); a line no trace reaches is an INCOMPLETE check with its whole
        judged range, and a line outside the judged range is not listed. [Hz]
        """
        return tuple(
            (c.limit_id, c.line, tuple(c.not_evaluated_hz))
            for c in self.checks
            if c.not_evaluated_hz
        )

    @property
    def coverage(self) -> str:
        """How much of the requested limits the verdict rests on.

        ``"complete"`` when every requested line was evaluated over its whole range,
        ``"none"`` for a capture that could not be read or analysed (verdict ERROR), else
        ``"partial"``.
        """
        if self.verdict is Verdict.ERROR:
            return "none"
        if not self.checks or self.not_evaluated:
            return "partial"
        return "complete"

    @property
    def required_range_hz(self) -> tuple[float, float] | None:
        """Return the range the requested limit lines must be measured over [Hz].

        The span of every requested line, its upper end bounded by 47 CFR 15.33(b)(1) where
        :attr:`required_upper_hz` states it; None without limit lines.
        """
        spans = [
            (
                float(p.freq_hz[0]),
                min(float(p.freq_hz[-1]), self.required_upper_hz.get(p.limit_id, math.inf)),
            )
            for p in self.plot_limits
            if len(p.freq_hz)
        ]
        if not spans:
            return None
        return min(a for a, _ in spans), max(b for _, b in spans)

    @property
    def levels_origin(self) -> str:
        """Where the judged levels come from (the CSV's ``levels`` column, the PDF's summary).

        ``instrument`` (an analyser's or receiver's readings), ``receiver model`` (rfcheck's
        CISPR 16-1-1 receiver computed them from an I/Q recording), ``instrument and
        receiver model`` (a ``--combine`` pool of both); empty when nothing was judged.
        """
        origins = {bool(t.computed_from) for t in self.plot_traces}
        if origins == {True}:
            return "receiver model"
        if origins == {False}:
            return "instrument"
        return "instrument and receiver model" if origins else ""

    @property
    def judged_range_hz(self) -> tuple[float, float] | None:
        """Return the range the verdict covers when a requested range narrows it [Hz].

        The requested ``range_hz`` (``--range``, setup ``range_hz``) within
        :attr:`required_range_hz`, when it leaves part of that out; None when the verdict
        covers the whole required range (no range requested, or one that spans it).
        """
        requested = self.settings.get("range_hz")
        required = self.required_range_hz
        if not requested or required is None:
            return None
        lo, hi = max(required[0], float(requested[0])), min(required[1], float(requested[1]))
        if lo <= required[0] + _RANGE_EPS_HZ and hi >= required[1] - _RANGE_EPS_HZ:
            return None
        return lo, hi

    @property
    def unconfirmed_basis(self) -> tuple[LineCheck, ...]:
        """The lines whose UNCONFIRMED limit values the verdict rests on.

        See :attr:`LineCheck.limit_status`: a FAIL rests on them only when every failing line
        does (one confirmed failure decides); any other verdict claims that no line fails,
        so it rests on every line judged against an UNCONFIRMED value. Empty for ERROR.
        """
        unconfirmed = tuple(c for c in self.checks if c.limit_status == "UNCONFIRMED")
        if self.verdict is Verdict.ERROR:
            return ()
        if self.verdict is Verdict.FAIL:
            fails = [c for c in self.checks if c.verdict is Verdict.FAIL]
            return tuple(fails) if all(c in unconfirmed for c in fails) else ()
        return unconfirmed

    @property
    def assumed_scale(self) -> bool:
        """Whether the levels rest on the default scale of a recording that states none.

        Its samples were taken as volts (1 V per full scale, raw count or sample value:
        :func:`rfcheck.io.iq_scale.scale_cell`); every level, hence any verdict but ERROR,
        rests on that assumption.
        """
        from .io.iq_scale import rests_on_default_scale  # `import rfcheck` loads no reader

        return self.verdict is not Verdict.ERROR and rests_on_default_scale(self.scale)

    @property
    def assumed_dwell_basis(self) -> tuple[LineCheck, ...]:
        """The lines whose verdict assumes a dwell the instrument's file does not state.

        See :attr:`LineCheck.assumed_dwell_s`: quasi-peak or CISPR-average readings with no
        stated dwell per frequency are judged as measurements. A FAIL never rests on them
        (a reading that has not settled reads low); any other verdict claims that no line
        fails, so it rests on every such line. Empty for ERROR and FAIL.
        """
        if self.verdict in (Verdict.ERROR, Verdict.FAIL):
            return ()
        return tuple(c for c in self.checks if c.assumed_dwell_s is not None)

    def to_json(self) -> dict[str, Any]:
        """Return this capture's result as a JSON-ready dict."""
        return {
            "path": self.path,
            "sha256": self.sha256,
            "format": self.format,
            "verdict": self.verdict.value,
            "unconfirmed_limit_lines": [f"{c.limit_id} {c.line}" for c in self.unconfirmed_basis],
            "assumed_scale": self.assumed_scale,
            "assumed_dwell_lines": [f"{c.limit_id} {c.line}" for c in self.assumed_dwell_basis],
            "coverage": self.coverage,
            "judged_range_hz": _range_json(self.judged_range_hz),
            "required_range_hz": _range_json(self.required_range_hz),
            "not_evaluated": [
                {
                    "limit_id": lid,
                    "line": line,
                    "ranges_hz": [[json_number(a, 1), json_number(b, 1)] for a, b in ranges],
                }
                for lid, line, ranges in self.not_evaluated
            ],
            "checks": [c.to_json() for c in self.checks],
            "suspects": [s.to_json() for s in self.suspects],
            "errors": [e.to_json() for e in self.errors],
            "warnings": list(self.warnings),
            "instrument": dict(self.instrument),
            "timestamp": self.timestamp,
            "corrections": list(self.corrections),
            "limits": [dict(x) for x in self.limits],
            "settings": dict(self.settings),
            "families": [f.to_dict() for f in self.families],
            **({"scale": self.scale} if self.scale else {}),
            **self._ambient_json(),
        }

    def _ambient_json(self) -> dict[str, Any]:
        if self.ambient_path is None:
            return {}
        return {
            "ambient": {
                "path": self.ambient_path,
                "outcome": self.ambient_outcome.to_dict() if self.ambient_outcome else None,
                "near_limit_hz": [
                    [json_number(a, 1), json_number(b, 1)] for a, b in self.ambient_near_limit_hz
                ],
                "emissions": [
                    {
                        "frequency_hz": json_number(e.frequency_hz, 1),
                        "level": json_number(e.level),
                        "ambient_db": json_number(e.ambient_db),
                    }
                    for e in self.ambient_emissions
                ],
            }
        }


#: A requested range within this of the required range's end spans it (frequency rounding). [Hz]
_RANGE_EPS_HZ = 0.5


def _range_json(r: tuple[float, float] | None) -> list[float | None] | None:
    return None if r is None else [json_number(r[0], 1), json_number(r[1], 1)]


def _rule_json(text: str) -> dict[str, Any]:
    """``{rule, text, guard_db?}`` of a decision rule (``docs/explain.md``)."""
    return parse_decision_rule(text).to_dict()


@dataclass(frozen=True, eq=False)
class RunResult:
    """One ``check`` invocation over one or more captures."""

    version: str
    captures: tuple[CaptureResult, ...]
    inputs: tuple[InputFile, ...] = ()
    command: str = ""
    settings: dict[str, Any] = field(default_factory=dict)
    #: Set when the captures' effective settings differ: ``settings`` are then the base ones.
    settings_note: str = ""
    #: The decision rule in force (``simple``, ``cispr16-4-2``, ``guard-band:DB``).
    decision_rule: str = "simple"
    #: 47 CFR 15.33(b)(1) range warnings and decision-rule notes (``docs/explain.md``).
    explain_warnings: tuple[str, ...] = ()
    #: When the reports of this run were issued (UTC; :func:`rfcheck.report.epoch.issue_time`,
    #: stamped once per run so every format carries the same time); None: not issued.
    issued: _dt.datetime | None = None

    @property
    def verdict(self) -> Verdict:
        """The worst verdict over the run's captures (:func:`~rfcheck.outcome.combine_verdicts`)."""
        return combine_verdicts([c.verdict for c in self.captures])

    @property
    def exit_code(self) -> int:
        """The process exit code for the run's verdict (:func:`~rfcheck.outcome.exit_code_for`)."""
        return exit_code_for(self.verdict)

    @property
    def report_id(self) -> _rid.ReportId:
        """The id of this result (:func:`rfcheck.report_id.report_id`).

        SHA-256 of every input (role, path as given, SHA-256; a capture that could not be hashed
        by its path), the effective settings (the run's and each capture's) and the rfcheck
        version. Two results share it only when all of these are equal.
        """
        files = [_rid.InputFile(path=i.path, sha256=i.sha256, role=i.role) for i in self.inputs]
        listed = {(i.role, i.path) for i in self.inputs}
        files += [
            _rid.InputFile(path=c.path, sha256=c.sha256 or "", role="capture")
            for c in self.captures
            if ("capture", c.path) not in listed
        ]
        settings = {"run": self.settings, "captures": [c.settings for c in self.captures]}
        return _rid.report_id(files, settings, version=self.version)

    def data_sha256(self) -> dict[str, tuple[str, ...]]:
        """Return the SHA-256 of each capture's data files, by the capture's path.

        The files a capture was read from besides the one named (a SigMF recording's
        ``.sigmf-data``): the run's inputs list them, role ``capture-data``, right after
        their capture (:func:`rfcheck.analysis.input_files`). Two recordings sharing one
        metadata text (same rate, centre and scale) are told apart by these.
        """
        out: dict[str, list[str]] = {}
        owner = None
        for f in self.inputs:
            if f.role == "capture":
                owner = f.path
            elif f.role == "capture-data" and owner is not None:
                out.setdefault(owner, []).append(f.sha256)
            else:
                owner = None
        return {k: tuple(v) for k, v in out.items()}

    def to_json(self) -> dict[str, Any]:
        """Return the run as a JSON-ready dict."""
        from .report.epoch import issue_text  # the report package builds on this module

        data = self.data_sha256()
        return {
            "rfcheck_version": self.version,
            "margin_sign": MARGIN_SIGN,
            "verdict": self.verdict.value,
            "captures": [
                {**c.to_json(), "data_sha256": list(data.get(c.path, ()))} for c in self.captures
            ],
            "report_id": self.report_id.as_dict(),
            "issued_utc": None if self.issued is None else issue_text(self.issued),
            "inputs": [i.to_json() for i in self.inputs],
            "command": self.command,
            "settings": self.settings,
            "settings_note": self.settings_note,
            "decision_rule": _rule_json(self.decision_rule),
            "families": [
                {"path": c.path, **f.to_dict()} for c in self.captures for f in c.families
            ],
            "warnings": list(self.explain_warnings),
        }
