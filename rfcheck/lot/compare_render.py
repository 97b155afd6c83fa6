"""Text, JSON and CSV renderings of :class:`~rfcheck.lot.compare_result.CompareResult`.

Renderers only format: every number comes from the result. Untrusted text (file paths,
unit names from file names) goes through :func:`rfcheck.textsafe.printable` in text,
formula-like CSV cells neutralised (:func:`rfcheck.report.csv_cells.csv_text`). The lot's
renderers are :mod:`rfcheck.lot.render`.
"""

from __future__ import annotations

import datetime as _dt
import json
from collections.abc import Iterable
from typing import Any

from ..frequency import format_hz
from ..outcome import MARGIN_EPS_DB, Bound, Verdict, round_margin
from ..report.detector_names import detector_abbr
from ..report.margin_text import margin_relation
from ..report.range_text import judged_range_note
from ..textsafe import json_safe, printable
from ._text import _csv, _db, _f, _issued_json, _margin
from .compare_result import CompareResult, reading_frequency_hz
from .emissions import Emission
from .matching import DeltaBound, Pair

__all__ = [
    "COMPARE_COLUMNS",
    "change_notes",
    "render_compare_csv",
    "render_compare_json",
    "render_compare_text",
]

COMPARE_COLUMNS = (
    "kind",
    "frequency_hz_a",
    "frequency_hz_b",
    "limit_id",
    "line",
    "detector",
    "detector_a",
    "detector_b",
    "level_a",
    "level_b",
    "delta_db",
    "bound",
    "limit",
    "margin_db_a",
    "margin_db_b",
    "unit",
    "bound_a",
    "bound_b",
    "report_id",
    "distance_m",
)


#: How a bound on a margin reads as a bound on the excess over the limit (its negative).
_OVER = {"\u2264 ": "\u2265 ", "\u2265 ": "\u2264 ", "": ""}


def _a(noun: str) -> str:
    """Return ``noun`` with its indefinite article (``an upper bound``, ``a lower bound``)."""
    return f"{'an' if noun[:1] in 'aeiou' else 'a'} {noun}"


def _against(margin: float, line: str, bound: Bound) -> str:
    """Return ``+4.61 dB under the QP limit`` (``≥ +4.61`` from an upper-bound level).

    A level over the limit is said so: ``≥ 56.62 dB over the PK limit`` (a lower-bound level:
    at least that much over), never a negative number "under" it. Margins to 0.01 dB, as
    ``check`` prints them.
    """
    if margin >= -MARGIN_EPS_DB:  # at the limit within the judgement's tolerance: under it
        return f"{_margin(margin, bound)} dB under the {line} limit"
    over = _OVER[margin_relation(bound)]
    return f"{over}{-round_margin(margin):.2f} dB over the {line} limit"


def _under(margin: float, line: str, bound: Bound) -> str:
    """Return ``now +4.61 dB under the QP limit`` (:func:`_against`, after a change)."""
    return f"now {_against(margin, line, bound)}"


def change_notes(
    result: CompareResult, names: tuple[str, str] = ("A", "B"), min_change_db: float = 1.0
) -> list[str]:
    """Before/after sentences for a change note, largest measured change first.

    ``"after: -7.80 dB at 375 MHz, now +4.61 dB under the QP limit"`` (levels, deltas and
    margins to 0.01 dB, as ``check`` prints them); a bounded change says
    so (``at most``/``at least``); an emission seen on one side only is named as such.
    """
    out: list[tuple[float, str]] = []
    b = names[1]
    for p in result.matched.pairs:
        if abs(p.delta_db) < min_change_db or p.bound is DeltaBound.NONE:
            continue
        how = {
            DeltaBound.MEASURED: "",
            DeltaBound.UPPER: "at most ",
            DeltaBound.LOWER: "at least ",
        }[p.bound]
        pair = f"{detector_abbr(p.a.detector)} vs {detector_abbr(p.b.detector)}"
        out.append(
            (
                -abs(p.delta_db),
                f"{b}: {how}{_db(p.delta_db, nd=2)} dB at "
                f"{_f(p.frequency_hz_b)}, {_under(p.b.margin_db, p.line, p.b.bound)}"
                + ("" if p.bound is DeltaBound.MEASURED else f" ({pair}: {_a(p.bound.value)})"),
            )
        )
    for side, items in ((names[1], result.matched.only_in_b), (names[0], result.matched.only_in_a)):
        for e in items:
            w = e.worst
            if w is None:
                continue
            out.append(
                (
                    0.0,
                    f"{side} only: emission at {_f(e.frequency_hz)}, "
                    f"{_against(w.margin_db, w.line, w.bound)}"
                    + ("" if w.bound.value == "measured" else f" ({w.bound.value})"),
                )
            )
    return [s for _, s in sorted(out, key=lambda x: x[0])]


def _tagged(tag: str, name: str) -> str:
    """Return ``A (before)``; just ``A`` when the side is not named otherwise (no ``A (A)``)."""
    return tag if name == tag else f"{tag} ({name})"


def _side(tag: str, name: str, el: Any) -> str:
    scope = judged_range_note(el.result)
    text = (
        f"{_tagged(tag, name)}: {printable(el.path)}\n   verdict {el.verdict.value}"
        + (f" ({scope})" if scope else "")
        + ", worst margin "
        f"{_margin(el.worst_margin_db, el.worst_bound)} dB at {_f(el.worst_frequency_hz)} "
        f"({el.worst_limit})"
    )
    effective = el.worst_effective_margin_db
    if effective is not None:  # judged under a decision rule
        text += f", decision rule: effective margin {_margin(effective, el.worst_bound)} dB"
    if el.verdict is Verdict.INCONCLUSIVE and not el.emissions and el.worst_margin_db is None:
        text += (
            "\n   no emission listed: its readings bound no level ('rfcheck check' on it says "
            "why, e.g. an RBW the file does not state: the setup's rbw_hz states it)"
        )
    return text


def _pair_row(p: Pair) -> str:
    return (
        f"   {_f(p.frequency_hz_a):>13} {_f(p.frequency_hz_b):>13}  {p.line:<4}"
        f"{detector_abbr(p.a.detector):>4}/{detector_abbr(p.b.detector):<4}{p.a.level:>8.2f}{p.b.level:>8.2f}"
        f"{_db(p.delta_db, nd=2):>8}  {p.bound.value:<12}{_margin(p.b.margin_db, p.b.bound):>8}"
    )


def _only_rows(items: Iterable[Emission]) -> list[str]:
    """One row per reading of an unpaired emission, at the frequency it was taken at."""
    rows = []
    for e in items:
        for r in e.readings:
            at = reading_frequency_hz(e.frequency_hz, r)
            rows.append(
                f"   {_f(at):>13}  {r.line:<4}{detector_abbr(r.detector):>4}"
                f"{r.level:>8.2f} {r.unit:<8}{r.bound.value:<12}"
                f"margin {_margin(r.margin_db, r.bound)} dB"
            )
    return rows


def render_compare_text(result: CompareResult, names: tuple[str, str] = ("A", "B")) -> str:
    """Return the ``compare`` text report (delta = B - A)."""
    names = (printable(names[0]), printable(names[1]))
    m = result.matched
    out = [
        f"rfcheck compare: {names[0]} -> {names[1]} (delta = {names[1]} - {names[0]}; "
        "margin = limit - level)",
        _side("A", names[0], result.a),
        _side("B", names[1], result.b),
        f"Pairing tolerance: {format_hz(m.tolerance_hz)} (the larger of each capture's RBW and two "
        "frequency steps)",
        *(f"Levels: {printable(n)}" for n in result.distance_notes()),
        *(f"Note: {printable(n)}" for n in result.notes),
        "",
    ]
    notes = change_notes(result, names)
    if notes:
        out.append("Changes:")
        out += [f"   {n}" for n in notes]
        out.append("")
    out.append(f"Paired emissions ({len(m.pairs)} line readings):")
    out.append(
        f"   {'FREQ A':>13} {'FREQ B':>13}  {'LINE':<4}{'DET A/B':>9}{'LEVEL A':>8}"
        f"{'LEVEL B':>8}{'DELTA':>8}  {'BOUND':<12}{'MARGIN B':>8}"
    )
    out += [_pair_row(p) for p in m.pairs]
    for tag, items in (
        (f"Only in {_tagged('A', names[0])}", m.only_in_a),
        (f"Only in {_tagged('B', names[1])}", m.only_in_b),
    ):
        out.append("")
        out.append(f"{tag}: {len(items)}")
        out += _only_rows(items)
    out.append("")
    out.append("Each side's verdict is its own 'rfcheck check' verdict (not re-decided here).")
    out.append("A delta with a bound other than 'measured' is not a measured difference.")
    return "\n".join(out) + "\n"


def render_compare_json(result: CompareResult, issued: _dt.datetime | None = None) -> str:
    """Return the ``compare`` result as JSON text; ``issued_utc`` is ``issued`` (the PDF's date)."""
    doc = _issued_json(result.to_json(), issued)
    return json_safe(json.dumps(doc, indent=2, ensure_ascii=False)) + "\n"


def render_compare_csv(result: CompareResult) -> str:
    """One row per paired line reading, then one per reading of an unpaired emission.

    ``bound`` is the delta's (:class:`DeltaBound`; an unpaired row: its reading's);
    ``bound_a``/``bound_b`` are the readings' bounds, what ``margin_db_a``/``margin_db_b``
    rest on (an upper-bound level: the true margin is at least the one given).
    ``report_id`` is the comparison's id on every row, as in ``check``'s CSV; ``distance_m``
    the distance a radiated row's levels and limit are at (empty: conducted).
    """
    rows: list[dict[str, Any]] = [{"kind": "pair", **p.to_json()} for p in result.matched.pairs]
    for kind, items, col in (
        ("only_in_a", result.matched.only_in_a, "a"),
        ("only_in_b", result.matched.only_in_b, "b"),
    ):
        for e in items:
            for r in e.readings:
                rows.append(
                    {
                        "kind": kind,
                        f"frequency_hz_{col}": round(reading_frequency_hz(e.frequency_hz, r), 1),
                        "limit_id": r.limit_id,
                        "line": r.line,
                        "detector": r.line_detector,
                        f"detector_{col}": r.detector,
                        f"level_{col}": round(r.level, 2),
                        "bound": r.bound.value,
                        "limit": round(r.limit, 2),
                        f"margin_db_{col}": round_margin(r.margin_db),
                        "unit": r.unit,
                        f"bound_{col}": r.bound.value,
                    }
                )
    rid = result.report_id.text
    at = {d.limit_id: d.distance_m for d in result.distances}  # radiated: levels' distance
    return _csv(
        ({**r, "report_id": rid, "distance_m": at.get(r["limit_id"])} for r in rows),
        COMPARE_COLUMNS,
    )


# --------------------------------------------------------------------------- lot
