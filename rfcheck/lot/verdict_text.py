"""The words of a lot verdict: its qualifiers, its titles, and what it rests on.

The verdict as printed (``PASS (ASSUMED DWELL)``, ``PASS (H over 30-500 MHz only, the
requested range)``), the titles of the unit lists the text report prints under the unit table
(failed, not shown identical, two serials, identity unknown, assumed), who and what keeps an
INCOMPLETE or INCONCLUSIVE lot from a verdict (the text report's verdict line), and the few
sentences of the PDF and HTML banner. The rules behind them are ``docs/lot.md``'s; the
verdict itself is :mod:`rfcheck.lot.judgement`'s.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..frequency import format_mhz
from ..outcome import Verdict
from ..report.assumed_text import qualified_verdict
from ..textsafe import printable
from .results import LotResult, StatRow, UnitResult, failed_by_rule_only
from .statistics import MIN_UNITS_T

__all__ = [
    "ASSUMED_UNITS",
    "BANNER_NAMES",
    "BANNER_ROWS",
    "DIFFERENT_BUILD",
    "NOT_MEASURED_UNITS",
    "TWO_SERIALS",
    "UNKNOWN_IDENTITY",
    "difference_text",
    "failed_title",
    "shown_names",
    "lot_verdict",
    "lot_verdict_lines",
    "unit_verdict",
    "verdict_reasons",
]


def unit_verdict(unit: UnitResult) -> str:
    """Return the unit table's VERDICT: the unit's, with what it takes on trust.

    ``PASS (ASSUMED DWELL)`` (:attr:`~rfcheck.lot.assumptions.UnitAssumptions.assumed`).
    """
    return _with_range(qualified_verdict(unit.verdict.value, unit.assumed), unit.range_only)


def _with_range(verdict: str, range_only: str) -> str:
    """``PASS (H over 30-500 MHz only, the requested range)``: a PASS over part of its range."""
    return f"{verdict} ({range_only})" if range_only else verdict


def lot_verdict(result: LotResult) -> str:
    """Return the lot verdict with what it takes on trust: ``PASS (ASSUMED DWELL)``.

    As a check report's overall verdict
    (:attr:`~rfcheck.lot.assumptions.LotAssumptions.assumed`): the text report's last line and
    the PDF and HTML banner.
    """
    return _with_range(qualified_verdict(result.verdict.value, result.assumed), result.range_only)


#: Undecided 80/80 rows a banner names before it only counts the rest (the notes list them).
BANNER_ROWS = 3


def _undecided_rows(result: LotResult) -> list[StatRow]:
    return [r for r in result.statistics if r.verdict in (Verdict.INCOMPLETE, Verdict.INCONCLUSIVE)]


def _row_text(r: StatRow) -> str:
    return (
        f"{r.port} {r.limit_id} {r.line} at {format_mhz(r.frequency_hz)} {r.verdict.value} "
        f"({r.outcome.note})"
    )


def verdict_reasons(result: LotResult) -> list[str]:
    """Return who and what keeps an INCOMPLETE or INCONCLUSIVE lot from a verdict (else []).

    One item per unit with something missing or undecided (its own lines not measured or
    undecided, a port without a capture, identity not shown or another build), one per unit
    ``[dut.serials]`` declares that has no capture, one per 80/80 row not decided, and the
    too-few-units statement: the text report's verdict line names them, as the banner does.
    """
    if result.verdict not in (Verdict.INCOMPLETE, Verdict.INCONCLUSIVE):
        return []
    items: list[str] = []
    for u in result.units:
        why = list(u.shortfalls)
        if u.missing_ports:
            why.append("no capture of " + ", ".join(u.missing_ports))
        if u.differences:
            why.append(f"not shown identical to the golden unit: {difference_text(u)}")
        if u.other_model:
            why.append("its captures state another DUT model")
        if u.other_firmware:
            why.append("its captures state another DUT firmware")
        if u.serial_conflict:
            why.append("more than one DUT serial stated")
        if u.errors:
            why.append("a capture could not be read or judged")
        if u.identity == "unknown" and u.unit != result.golden and not why:
            why.append("identity cannot be shown (missing data)")
        if why:
            items.append(f"{u.unit}: " + "; ".join(why))
    items += [
        f"{u} ({s}): declared in [dut.serials], not measured (no capture)"
        for u, s in result.not_measured_units
    ]
    rows = _undecided_rows(result)
    items += [f"80/80 {_row_text(r)}" for r in rows[:BANNER_ROWS]]
    if len(rows) > BANNER_ROWS:
        items.append(f"{len(rows) - BANNER_ROWS} more 80/80 rows not decided (notes above)")
    if result.n_in_statistics < MIN_UNITS_T:
        items.append(f"too few units for the 80/80 rule: {result.n_in_statistics}")
    return items


#: The units whose own measurement fails a limit line (each fails the lot).
_FAILED = (
    "Measured over a limit (the unit's own verdict FAIL: the lot FAILs, whatever the 80/80 "
    "statistics say)"
)
#: The same, when a unit fails a line only by the decision rule (measured under the limit).
_FAILED_BY_RULE = (
    "Measured over a limit, or over the decision rule's acceptance limit (the unit's own "
    "verdict FAIL: the lot FAILs, whatever the 80/80 statistics say)"
)


def failed_title(result: LotResult) -> str:
    """Return the title of the failed units: a FAIL by the rule alone is not 'over a limit'."""
    return _FAILED_BY_RULE if failed_by_rule_only(result.units) else _FAILED


#: The units a reading shows differ from the golden unit (each named with what was shown:
#: :func:`shown_names`; a level difference is what it is, not "another build": a faulty unit
#: of the same build reads the same, and a production unit over a limit stays one).
DIFFERENT_BUILD = "Not shown identical to the tested sample (47 CFR 2.906(b), 2.908)"
#: Differences named per unit before the rest are counted.
_DIFFERENCES_NAMED = 1
#: Units not shown identical the banner names with what was shown (beyond: names only).
_SHOWN_IN_BANNER = 3


def difference_text(u: UnitResult, most: int = _DIFFERENCES_NAMED) -> str:
    """Return what the readings show differs from the golden unit, as shown.

    ``L1: a level 12.0 dB above the golden unit's at 1 MHz`` for a level difference; the
    fingerprint's words for the others (``L1: emission at 3 MHz the golden unit does not have
    ...``); past ``most``, ``+N more``. What was shown, never a conclusion about the build
    (47 CFR 2.906(b), 2.908 scope a declaration by identical units: a production unit that
    reads 12 dB higher at one emission is not thereby outside it).
    """
    parts = []
    for d in u.differences[:most]:
        if d.kind == "level" and d.delta_db is not None and d.frequency_hz is not None:
            side = "above" if d.delta_db > 0 else "below"
            parts.append(
                f"{d.port}: a level {abs(d.delta_db):.1f} dB {side} the golden unit's at "
                f"{format_mhz(d.frequency_hz)}"
            )
        else:
            parts.append(f"{d.port}: {d.text}")
    more = len(u.differences) - most
    return "; ".join(parts) + (f"; +{more} more" if more > 0 else "")


def shown_names(units: Sequence[UnitResult]) -> list[str]:
    """Return each unit's name, with what was shown when a reading shows it differs."""
    return [f"{u.unit} ({difference_text(u)})" if u.differences else u.unit for u in units]


#: The units (or the golden unit) whose identity cannot be shown for missing data.
UNKNOWN_IDENTITY = (
    "Identity cannot be shown (missing data, not a difference: a port's capture missing, or not "
    "read or judged, or no reading where the other unit has a strongest emission)"
)

#: The units whose captures state more than one DUT serial (``UnitResult.serial_conflict``).
TWO_SERIALS = (
    "More than one DUT serial stated for the unit, by its captures or [dut.serials] (its data "
    "cannot be attributed to one device; a unit other than the golden unit is left out of "
    "the statistics)"
)


#: The units whose verdict takes a dwell or a scale on trust (``UnitResult.assumptions``).
ASSUMED_UNITS = (
    "Unit verdicts that take a dwell or a scale on trust, not stated in their files (ASSUMED "
    "DWELL, ASSUMED SCALE: each unit's lines above)"
)


#: The units the setup's ``[dut.serials]`` declares that have no capture in the lot.
NOT_MEASURED_UNITS = (
    "Declared in the setup's [dut.serials] but not measured (no capture in the lot: the lot "
    "verdict does not cover them, INCOMPLETE)"
)


#: The units whose own verdict leaves part of a line's range not measured (INCOMPLETE).
_NOT_MEASURED = "Not measured over a line's whole range (the unit's own verdict INCOMPLETE)"
#: The units whose own measurement does not decide a line (INCONCLUSIVE).
_UNDECIDED = "A line not decided by the unit's own measurement (its verdict INCONCLUSIVE)"


def _unknown(units: Sequence[UnitResult]) -> list[str]:
    """Return the units whose identity cannot be shown for missing data (the banner's)."""
    return [
        u.unit for u in units if u.identity == "unknown" and not u.errors and not u.serial_conflict
    ]


#: Units a banner line names before it only counts the rest (the text report lists them all).
BANNER_NAMES = 12


def _names(units: Sequence[str]) -> str:
    shown = ", ".join(printable(u) for u in units[:BANNER_NAMES])
    rest = len(units) - BANNER_NAMES
    return shown if rest <= 0 else f"{shown} and {rest} more ({len(units)} in all)"


def _stated_lines(units: Sequence[UnitResult]) -> list[str]:
    """Return the banner's lines on units whose captures state another model or firmware."""
    out = []
    models = [u.unit for u in units if u.other_model]
    if models:
        out.append(
            "Captures state another DUT model than the lot's (not the tested model; a unit other "
            "than the golden unit is left out of the statistics): " + _names(models)
        )
    firmware = [u.unit for u in units if u.other_firmware]
    if firmware:
        out.append(
            "Captures state another DUT firmware than the golden unit's (not an identical "
            "unit; left out of the statistics): " + _names(firmware)
        )
    return out


def lot_verdict_lines(result: LotResult) -> list[str]:
    """Return what the lot verdict rests on, in a few sentences (the PDF and HTML banner)."""
    out: list[str] = []
    failed = [u for u in result.units if u.verdict is Verdict.FAIL]
    if failed:
        out.append(
            f"{failed_title(result)}: "
            + _names(
                [f"{u.unit} ({'; '.join(f.text for f in u.failures) or 'FAIL'})" for u in failed]
            )
        )
    odd = [u for u in result.units if u.differences]
    if odd:
        # what was shown, for a few units (the unit table and the notes name it for each)
        named = shown_names(odd) if len(odd) <= _SHOWN_IN_BANNER else [u.unit for u in odd]
        out.append(f"{DIFFERENT_BUILD}, left out of the statistics: " + _names(named))
    out += _stated_lines(result.units)
    serials = [u.unit for u in result.units if u.serial_conflict]
    if serials:
        out.append(f"{TWO_SERIALS}: " + _names(serials))
    gaps = _unknown(result.units)
    if gaps:
        out.append(f"{UNKNOWN_IDENTITY}: " + _names(gaps))
    lacking = [f"{u.unit} ({', '.join(u.missing_ports)})" for u in result.units if u.missing_ports]
    if lacking:
        out.append(
            "A port of the lot has no capture (missing data, INCOMPLETE): " + _names(lacking)
        )
    bad = [u.unit for u in result.units if u.errors]
    if bad:
        out.append("A capture could not be read or judged: " + _names(bad))
    if result.not_measured_units:
        absent = [f"{u} ({s})" for u, s in result.not_measured_units]
        out.append(f"{NOT_MEASURED_UNITS}: " + _names(absent))
    for title, kind in (
        (_NOT_MEASURED, "not measured: "),
        (_UNDECIDED, "undecided: "),
    ):
        named = [
            f"{u.unit} ({'; '.join(t.removeprefix(kind) for t in what)})"
            for u in result.units
            if (what := [t for t in u.shortfalls if t.startswith(kind)])
        ]
        if named:
            out.append(f"{title}: " + _names(named))
    rows = _undecided_rows(result)
    if rows:
        out.append(
            "80/80 rule not decided at: "
            + "; ".join(printable(_row_text(r)) for r in rows[:BANNER_ROWS])
            + (f"; and {len(rows) - BANNER_ROWS} more (notes)" if len(rows) > BANNER_ROWS else "")
        )
    counts: dict[str, int] = {}
    for r in result.statistics:
        counts[r.verdict.value] = counts.get(r.verdict.value, 0) + 1
    if counts:
        n = len(result.statistics)
        out.append(
            f"80/80 rule (CISPR TR 16-4-3) at {n} frequenc{'y' if n == 1 else 'ies'} over "
            f"{result.n_in_statistics} units: "
            + ", ".join(f"{c} {v}" for v, c in sorted(counts.items()))
        )
    out += [printable(line) for line in result.assumption_lines(_names)]
    out += [
        f"Units measured at different distances: {printable(d.port)} {printable(d.text())}"
        for d in result.distances
        if d.shifted
    ]
    if result.n_in_statistics < MIN_UNITS_T:
        out.append(
            f"Too few units for the 80/80 rule: {result.n_in_statistics} in the statistics "
            f"(at least {MIN_UNITS_T} needed): not a pass"
        )
    return out
