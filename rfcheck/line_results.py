"""What ``check`` decided for one limit line over one capture, and the readings it shows.

:class:`LineCheck` is one line's verdict, worst margin, coverage and needs; :class:`Suspect`
one reading shown in the suspect table; :func:`deciding_check` picks the line that
determines a capture's verdict. Data only: nothing here computes a verdict. Re-exported by
:mod:`rfcheck.results`, where the capture and run results are; the JSON keys are in
``docs/check-json.md``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from .json_numbers import json_margin, json_number, json_reading
from .outcome import Bound, Verdict, combine_verdicts

if TYPE_CHECKING:  # rfcheck.explain builds on these results: names for the annotations only
    from .explain.ambient import AmbientFlag
    from .explain.attribution import Candidate

__all__ = ["LineCheck", "Suspect", "deciding_check", "judged_margin_db"]


def deciding_check(checks: tuple[LineCheck, ...] | list[LineCheck]) -> LineCheck | None:
    """Return the line that determines a capture's verdict.

    Among the lines with the worst verdict
    (FAIL > ERROR > INCONCLUSIVE > PASS) the one with the smallest finite margin (then the
    lowest frequency); the first such line when none has a margin. Under a decision rule the
    margin a line is judged by is its effective margin where it has one (the
    line closest to its measured limit was once shown, not the one the rule judges worst). None
    without lines.
    """
    if not checks:
        return None
    worst = combine_verdicts([c.verdict for c in checks])
    lines = [c for c in checks if c.verdict is worst]
    scored = [c for c in lines if c.worst_margin_db is not None and np.isfinite(c.worst_margin_db)]
    if not scored:
        return lines[0]
    return min(scored, key=lambda c: (judged_margin_db(c), c.worst_frequency_hz or 0.0))


def judged_margin_db(check: LineCheck) -> float:
    """Return the margin ``check`` is judged by [dB]: the rule's effective margin, else its own.

    Only for a line with a worst margin.
    """
    if check.effective_margin_db is not None:
        return check.effective_margin_db
    assert check.worst_margin_db is not None
    return check.worst_margin_db


@dataclass(frozen=True)
class LineCheck:
    """The verdict of one limit line (e.g. fcc-15.107-b QP) over one capture.

    Attributes
    ----------
    limit_id, line : str
        Limit table id and line name (``QP``, ``AV``, ``PK``).
    detector : str
        Detector the line is defined for (``quasi-peak``, ``cispr-average``, ``peak``).
    verdict : Verdict
    worst_margin_db : float or None
        Smallest margin over the evaluated frequencies, ``limit - level``. [dB]
    worst_frequency_hz : float or None
        Where it occurs. [Hz]
    worst_bound : Bound or None
        Whether the worst point is a measured value or a bound from another detector.
    needs : str
        For INCONCLUSIVE: what measurement would settle it ("quasi-peak at 1.234 MHz, ...");
        a sentence for the text view, abbreviated after five frequencies.
    evaluated_hz : list of (float, float)
        Frequency ranges this line was evaluated over. [Hz]
    not_evaluated_hz : list of (float, float)
        Ranges the limit covers but no trace does. [Hz]
    needs_hz : tuple of float
        For INCONCLUSIVE: every frequency where a measurement with the line's detector is
        still needed, worst first (complete; ``needs`` abbreviates it). [Hz]
    needs_ranges_hz : tuple of (float, float)
        For INCONCLUSIVE: ranges that need a measurement with the line's detector
        throughout: those with only lower bounds (or no bound), and a swept peak reading's
        bucket wider than one passband (``docs/verdict.md``, "At that frequency"). [Hz]
    needs_record_s : float or None
        For INCONCLUSIVE: the record length a time-domain recording needs at these
        frequencies, when a recording too short to settle is why (``docs/verdict.md``,
        "record length"). [s]
    needs_dwell_s : float or None
        For INCONCLUSIVE: the dwell per frequency an instrument's quasi-peak or CISPR-average
        reading needs, when its too-short stated dwell is why (``docs/verdict.md``,
        "Settling"). [s]
    assumed_dwell_s : float or None
        When the line did not fail: the dwell per frequency its verdict assumes, because an
        instrument's quasi-peak or CISPR-average trace it rests on states none and its
        readings were judged as measurements (``docs/verdict.md``, "Settling"). [s]
    rule_shift_db, effective_margin_db : float or None
        Under a decision rule other than ``simple``, at the worst point: how far the rule
        moves the comparison (cispr16-4-2: U_lab - U_cispr added to the level; guard-band:
        the guard taken off the limit) and the margin the rule judges,
        ``worst_margin_db - rule_shift_db``; None under ``simple``. [dB]
    limit_status : str
        Status tag (P, S, D, UNCONFIRMED; ``docs/references.md``) of the limit values the
        line's verdict rests on: for a line that failed or is undecided the value at the
        worst point; for a line that passed where measured, the least sure tag over the
        evaluated ranges (every value there decides). "" when no value was used.
    """

    limit_id: str
    line: str
    detector: str
    verdict: Verdict
    worst_margin_db: float | None
    worst_frequency_hz: float | None
    worst_bound: Bound | None = None
    needs: str = ""
    evaluated_hz: tuple[tuple[float, float], ...] = ()
    not_evaluated_hz: tuple[tuple[float, float], ...] = ()
    needs_hz: tuple[float, ...] = ()
    needs_ranges_hz: tuple[tuple[float, float], ...] = ()
    limit_status: str = ""
    needs_record_s: float | None = None
    needs_dwell_s: float | None = None
    assumed_dwell_s: float | None = None
    rule_shift_db: float | None = None
    effective_margin_db: float | None = None

    def to_json(self) -> dict[str, Any]:
        """Return this check as a JSON-ready dict."""
        rule = (
            {}
            if self.effective_margin_db is None
            else {
                "rule_shift_db": json_number(self.rule_shift_db),
                "effective_margin_db": json_margin(self.effective_margin_db),
            }
        )
        return rule | {
            "limit_id": self.limit_id,
            "line": self.line,
            "detector": self.detector,
            "verdict": self.verdict.value,
            "worst_margin_db": json_margin(self.worst_margin_db),
            "worst_frequency_hz": json_number(self.worst_frequency_hz, 1),
            "worst_bound": self.worst_bound.value if self.worst_bound else None,
            "needs_hz": [json_number(f, 1) for f in self.needs_hz],
            "needs_ranges_hz": [
                [json_number(a, 1), json_number(b, 1)] for a, b in self.needs_ranges_hz
            ],
            "needs_record_s": json_number(self.needs_record_s, 3),
            "needs_dwell_s": json_number(self.needs_dwell_s, 3),
            "assumed_dwell_s": json_number(self.assumed_dwell_s, 3),
            "limit_status": self.limit_status,
            "evaluated_hz": [[json_number(a, 1), json_number(b, 1)] for a, b in self.evaluated_hz],
            "not_evaluated_hz": [
                [json_number(a, 1), json_number(b, 1)] for a, b in self.not_evaluated_hz
            ],
        }


@dataclass(frozen=True)
class Suspect:
    """One emission worth a line in the report (the columns of an accredited report).

    ``reading`` is the instrument value in its own unit, :attr:`conversion_db` the unit
    conversion to the limit's unit family (+106.99 dB for dBm -> dBµV at 50 Ω, 0 when the
    reading is already in it), ``correction_db`` the summed transducer chain, so
    ``level = reading + conversion_db + correction_db`` in ``unit``; ``margin_db = limit -
    level``.
    ``attribution`` lists the candidate sources, likeliest first (empty: unexplained);
    ``ambient`` is the ambient at this frequency, with an ambient capture only
    (``docs/explain.md``). ``channel``: the channel of a multi-channel recording the
    reading came from (``Channel 2``; empty otherwise, and then left out of the JSON).
    """

    frequency_hz: float
    reading: float
    reading_unit: str
    correction_db: float
    level: float
    unit: str
    limit: float
    margin_db: float
    detector: str
    bound: Bound
    verdict: Verdict
    limit_id: str
    line: str
    attribution: tuple[Candidate, ...] = ()
    ambient: AmbientFlag | None = None
    channel: str = ""

    @property
    def source_text(self) -> str:
        """The likeliest source (``3 × 125 MHz (Ethernet)``).

        ``ambient`` when the row is flagged as ambient, else empty.
        """
        if self.ambient is not None and self.ambient.is_ambient:
            return "ambient"
        return self.attribution[0].label if self.attribution else ""

    @property
    def conversion_db(self) -> float:
        """Unit conversion of the reading into the level's unit family [dB].

        ``level - reading - correction_db``, float noise (below 1e-9 dB) removed.
        """
        return round(self.level - self.reading - self.correction_db, 9) + 0.0

    def to_json(self) -> dict[str, Any]:
        """Return this suspect row as a JSON-ready dict."""
        out = self._json()
        out["attribution"] = [c.to_dict() for c in self.attribution]
        if self.ambient is not None:
            out["ambient_db"] = json_number(self.ambient.ambient_db)
            out["ambient"] = self.ambient.is_ambient
        if self.channel:
            out["channel"] = self.channel
        return out

    def _json(self) -> dict[str, Any]:
        return {
            "frequency_hz": json_number(self.frequency_hz, 1),
            "reading": json_reading(self.reading, self.reading_unit),
            "reading_unit": self.reading_unit,
            "conversion_db": json_number(self.conversion_db),
            "correction_db": json_number(self.correction_db),
            "level": json_number(self.level),
            "unit": self.unit,
            "limit": json_number(self.limit),
            "margin_db": json_margin(self.margin_db),
            "detector": self.detector,
            "bound": self.bound.value,
            "verdict": self.verdict.value,
            "limit_id": self.limit_id,
            "line": self.line,
        }
