"""Fold the explanation into the check results (``rfcheck check``; issue 14).

``check`` judges the captures (the decision rule is applied there, in
:mod:`rfcheck.verdict.rule`), then :func:`annotate_run` adds what ``explain`` concludes:

- each suspect row gets its candidate sources (``Suspect.attribution``) and, with an
  ambient capture, the ambient at its frequency (``Suspect.ambient``);
- each capture gets its harmonic families, and with an ambient the ambient rule's outcome:
  a FAIL whose failing rows are all flagged becomes INCONCLUSIVE (ambient-limited), with
  the frequencies in a warning. The ambient never changes a level or a margin;
- the run gets the 47 CFR 15.33(b)(1) warnings and the decision rule's notes.

See ``docs/explain.md``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence

import numpy as np

from ..outcome import Verdict
from ..results import CaptureResult, RunResult
from ..verdict.decision import UNCONFIRMED_U_CISPR_NOTE, RuleKind
from .ambient import DEFAULT_AMBIENT_THRESHOLD_DB, AmbientFlag, flag_emissions
from .attribution import hz_text
from .clocks import Clock
from .families import Family
from .pipeline import capture_peaks, explain_capture
from .range_check import check_highest_frequency
from .results import CaptureExplanation

__all__ = ["annotate_run", "UNCONFIRMED_U_CISPR_NOTE"]


def ambient_emissions(
    cap: CaptureResult, ambient: CaptureResult, resolution_hz: float, threshold_db: float
) -> tuple[AmbientFlag, ...]:
    """Return every emission of a capture within ``threshold_db`` of the ambient.

    The emissions are its traces' peaks (:func:`capture_peaks`), by frequency: not the DUT's,
    whether or not each is a suspect row. Each trace is compared with the ambient's traces
    of the same detector and unit; a frequency keeps its highest flagged reading. Only
    emissions where the ambient has a signal of its own (a peak of the ambient capture
    within the resolution) are kept: a weak DUT line on the noise floor is not "ambient".
    [Hz], [dBµV or dBµV/m]
    """
    if resolution_hz <= 0:
        return ()
    peaks = capture_peaks(cap, resolution_hz)
    best: dict[float, AmbientFlag] = {}
    for t in cap.plot_traces:
        f_t, l_t = np.asarray(t.freq_hz, dtype=float), np.asarray(t.level, dtype=float)
        inside = peaks[(peaks >= f_t.min()) & (peaks <= f_t.max())] if f_t.size else peaks[:0]
        idx = np.clip(np.searchsorted(f_t, inside), 0, max(f_t.size - 1, 0))
        on_grid = np.isclose(f_t[idx], inside, rtol=0, atol=1e-3) if f_t.size else idx.astype(bool)
        freqs, levels = inside[on_grid], l_t[idx[on_grid]]
        for a in ambient.plot_traces:
            if a.detector != t.detector or a.unit != t.unit:
                continue
            for flag in flag_emissions(
                list(freqs), list(levels), a.freq_hz, a.level, resolution_hz, threshold_db
            ):
                old = best.get(flag.frequency_hz)
                if flag.is_ambient and (old is None or flag.level > old.level):
                    best[flag.frequency_hz] = flag
    signals = capture_peaks(ambient, resolution_hz)  # the ambient's own signals, not its floor
    return tuple(
        best[f]
        for f in sorted(best)
        if signals.size and float(np.min(np.abs(signals - f))) <= resolution_hz
    )


def _ambient_warnings(
    ex: CaptureExplanation, emissions: tuple[AmbientFlag, ...], threshold_db: float
) -> list[str]:
    outcome = ex.ambient_outcome
    notes: list[str] = []
    if emissions:
        notes.append(
            f"ambient: {len(emissions)} emission(s) within {threshold_db:g} dB of the ambient "
            "capture, not the DUT's: "
            + ", ".join(hz_text(round(e.frequency_hz, -3)) for e in emissions)
        )
    if outcome is None:
        return notes
    if outcome.ambient_limited:
        freqs = ", ".join(hz_text(f) for f in outcome.frequencies_hz)
        notes.append(
            f"ambient-limited: every failing emission ({freqs}) is within {threshold_db:g} dB "
            "of the ambient capture: INCONCLUSIVE, not FAIL (measure with less ambient)"
        )
    if outcome.note:
        notes.append(outcome.note)
    if ex.ambient_near_limit_hz:
        spans = ", ".join(f"{hz_text(a)}-{hz_text(b)}" for a, b in ex.ambient_near_limit_hz[:5])
        more = (
            f" (+{len(ex.ambient_near_limit_hz) - 5} more)"
            if len(ex.ambient_near_limit_hz) > 5
            else ""
        )
        notes.append(
            f"the ambient is within {threshold_db:g} dB of a limit at {spans}{more}: a DUT "
            "emission there could hide under it (ANSI C63.4 ambient clause)"
        )
    return notes


def _annotated(
    cap: CaptureResult, ex: CaptureExplanation, ambient: CaptureResult | None, threshold_db: float
) -> CaptureResult:
    suspects = tuple(
        dataclasses.replace(s, attribution=row.attribution, ambient=row.ambient)
        for s, row in zip(cap.suspects, ex.rows, strict=True)
    )
    changes: dict[str, object] = {"suspects": suspects, "families": ex.families}
    if ambient is not None:
        outcome = ex.ambient_outcome
        emissions = ambient_emissions(cap, ambient, ex.resolution_hz, threshold_db)
        changes.update(
            ambient_path=ambient.path,
            ambient_outcome=outcome,
            ambient_near_limit_hz=ex.ambient_near_limit_hz,
            ambient_traces=ambient.plot_traces,
            ambient_emissions=emissions,
            warnings=(*cap.warnings, *_ambient_warnings(ex, emissions, threshold_db)),
        )
        if outcome is not None and outcome.ambient_limited:
            changes["verdict"] = outcome.verdict
    return dataclasses.replace(cap, **changes)  # type: ignore[arg-type]


def annotate_run(
    run: RunResult,
    clocks: Sequence[Clock] = (),
    *,
    highest_hz: float | None = None,
    rbw_hz: Mapping[str, float | None] | None = None,
    ambient_for: Callable[[CaptureResult], CaptureResult | None] | None = None,
    threshold_db: float = DEFAULT_AMBIENT_THRESHOLD_DB,
) -> RunResult:
    """Fold attribution, families, the ambient and the 15.33(b)(1) check into a run.

    Parameters
    ----------
    run : RunResult
        From :func:`rfcheck.analysis.run_check` (judged under ``run.decision_rule``).
    clocks : sequence of Clock
        Declared sources (``Setup.clocks``).
    highest_hz : float, optional
        Declared highest internal frequency (47 CFR 15.33(b)(1)). [Hz]
    rbw_hz : mapping path -> float, optional
        RBW of each capture, when known. [Hz]
    ambient_for : callable, optional
        The judged ambient capture for a capture (None: no ambient for it).
    threshold_db : float
        Ambient flag threshold. [dB]

    Returns
    -------
    RunResult
        Levels, margins and checks unchanged; a capture's verdict changes only from FAIL to
        INCONCLUSIVE (ambient-limited).
    """
    caps = []
    families: list[Family] = []
    for cap in run.captures:
        if cap.verdict is Verdict.ERROR:
            caps.append(cap)
            continue
        amb = ambient_for(cap) if ambient_for else None
        ex = explain_capture(
            cap, clocks, rbw_hz=(rbw_hz or {}).get(cap.path), ambient=amb, threshold_db=threshold_db
        )
        families += ex.families
        caps.append(_annotated(cap, ex, amb, threshold_db))
    warnings = [w.message for w in check_highest_frequency(highest_hz, clocks, families)]
    rules = {str(c.settings.get("decision_rule", run.decision_rule)) for c in caps} | {
        run.decision_rule
    }
    if any(r == RuleKind.CISPR16_4_2.value for r in rules):
        warnings.append(UNCONFIRMED_U_CISPR_NOTE)
    return dataclasses.replace(run, captures=tuple(caps), explain_warnings=tuple(warnings))
