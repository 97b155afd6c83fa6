"""Text, JSON and CSV renderings of :class:`LotResult` (``compare``'s: :mod:`.compare_render`).

The unit and statistics tables and their columns; the words of the verdict (its titles, its
reasons, the banner) are :mod:`rfcheck.lot.verdict_text`'s.

Renderers only format: every number comes from the results. Untrusted text (file paths,
unit names from file names) goes through :func:`rfcheck.textsafe.printable` in text,
formula-like CSV cells neutralised (:func:`rfcheck.report.csv_cells.csv_text`).
"""

from __future__ import annotations

import datetime as _dt
import json
from collections.abc import Callable, Sequence

from ..frequency import format_hz, format_mhz
from ..outcome import Verdict
from ..textsafe import display_width, json_safe, pad, printable
from ._text import _csv, _f, _issued_json, _margin, _n
from .emissions import DistancePart
from .fingerprint import CLOCK_TOLERANCE
from .ranges import statistics_range_line
from .results import PORTS_FROM_RULES, LotResult, StatRow, UnitResult
from .statistics import CONFIDENCE, K_TABLE, PROPORTION, Method, min_units_binomial
from .verdict_text import (
    ASSUMED_UNITS,
    DIFFERENT_BUILD,
    NOT_MEASURED_UNITS,
    TWO_SERIALS,
    UNKNOWN_IDENTITY,
    failed_title,
    lot_verdict,
    shown_names,
    unit_verdict,
    verdict_reasons,
)

__all__ = [
    "render_lot_text",
    "render_lot_json",
    "render_lot_csv",
    "render_lot_units_csv",
    "several_distances_text",
    "LOT_UNIT_COLUMNS",
    "LOT_STAT_COLUMNS",
]

LOT_UNIT_COLUMNS = (
    "unit",
    "identical",
    "verdict",
    "worst_margin_db",
    "worst_frequency_hz",
    "worst_port",
    "flags",
    "worst_bound",
    "report_id",
    "ports",
    "identity",
    "serial",
    "worst_effective_margin_db",
    "assumed_dwell_lines",
    "assumed_dwell_s",
    "assumed_scale_ports",
    "port_distances",
    "requested_range",
    "scope",
)
LOT_STAT_COLUMNS = (
    "port",
    "limit_id",
    "line",
    "frequency_hz",
    "method",
    "n",
    "k",
    "mean",
    "s_n",
    "value",
    "limit",
    "margin_db",
    "verdict",
    "over_limit",
    "allowed_over",
    "unit",
    "note",
    "report_id",
    "distance_m",
    "distance_note",
    "scope",
)


def _stat_table(rows: Sequence[StatRow]) -> list[str]:
    """Return the statistics table, one header per level unit (``MEAN`` etc. carry it)."""
    out: list[str] = []
    # PORT and LINE as wide as their widest entry (a port named from a file name can be long)
    wp = max([6, *(display_width(printable(r.port)) + 2 for r in rows)])
    wl = max([17, *(len(r.limit_id + " " + r.line) + 2 for r in rows)])
    for unit in dict.fromkeys(r.unit for r in rows):
        u = f"[{printable(unit)}]"
        out.append(
            f"   {'PORT':<{wp}}{'LINE':<{wl}}{'FREQ':>13}{'METHOD':>15}{'N':>3}{'K':>7}"
            f"{'MEAN':>9}{'S_N':>7}{'X+kS':>9}{'LIMIT':>9}{'MARGIN':>8}  VERDICT"
        )
        out.append(f"   {'':<{wp + wl + 38}}{u:>9}{'[dB]':>7}{u:>9}{u:>9}{'[dB]':>8}")
        for r in (r for r in rows if r.unit == unit):
            o = r.outcome
            k = _n(o.k, 2 if K_TABLE.get(o.n) == o.k else 3)  # the table's two decimals
            out.append(
                f"   {pad(printable(r.port), wp)}{r.limit_id + ' ' + r.line:<{wl}}"
                f"{_f(r.frequency_hz):>13}{o.method.value:>15}{o.n:>3}{k:>7}"
                f"{_n(o.mean, 2):>9}{_n(o.s_n, 2):>7}{_n(o.value, 2):>9}{o.limit:>9.2f}"
                f"{_margin(o.margin_db, None):>8}  "
                f"{o.verdict.value}"
            )
    out += _distance_lines(rows)
    if any(r.outcome.method is Method.BINOMIAL for r in rows):  # another value there: say which
        out.append(
            "   X+kS of a binomial row: its (c+1)-th highest unit level, c the units the "
            "binomial method allows over the limit (PASS when it is at or under the limit)"
        )
    return out


def _table_order(rows: Sequence[StatRow]) -> list[StatRow]:
    """Return the rows in the statistics table's order: by level unit, then as given."""
    return [r for unit in dict.fromkeys(r.unit for r in rows) for r in rows if r.unit == unit]


def _not_pass_text(r: StatRow) -> str:
    """Return a row's line under the table: the row, its verdict and why.

    ``H fcc-15.109-b QP at 700.02 MHz: FAIL: X+kS = 50.00 + 2.04 x 0.00 = 50.00 dBµV/m, over
    the limit 46.02 dBµV/m (<how the row was judged>)``; a binomial FAIL names the count
    over the limit and the allowance; an undecided row, what it lacks (its note).
    """
    o = r.outcome
    head = f"{r.port} {r.limit_id} {r.line} at {format_mhz(r.frequency_hz)}: {o.verdict.value}"
    unit = f" {r.unit}" if r.unit else ""
    if o.verdict is Verdict.FAIL and o.method is Method.NONCENTRAL_T and o.value is not None:
        k = _n(o.k, 2 if K_TABLE.get(o.n) == o.k else 3)
        why = (
            f"X+kS = {_n(o.mean, 2)} + {k} x {_n(o.s_n, 2)} = {o.value:.2f}{unit}, over the "
            f"limit {o.limit:.2f}{unit}"
        )
        return f"{head}: {why} ({o.note})"
    if o.verdict is Verdict.FAIL and o.method is Method.BINOMIAL and o.value is not None:
        why = (
            f"{o.over} of {o.n} units over the limit {o.limit:.2f}{unit}, {o.allowed} allowed "
            f"(X+kS: the unit level number {(o.allowed or 0) + 1} from the top, "
            f"{o.value:.2f}{unit})"
        )
        return f"{head}: {why} ({o.note})"
    return f"{head}: {o.note}"


def _distance_lines(rows: Sequence[StatRow]) -> list[str]:
    """Return, per port and radiated limit, the distance of the rows' levels and LIMIT.

    ``V  fcc-15.109-b: levels and limit at 3 m, the limit's specified distance (...); u01
    measured at 10 m, +10.46 dB by 47 CFR 15.31(f)(1)`` (:class:`~.distance.LevelDistance`).
    """
    seen = {(r.port, r.limit_id): r.distance for r in rows if r.distance is not None}
    return [
        f"   {printable(port)} {printable(d.text())}"
        for (port, _), d in seen.items()
        if d is not None
    ]


#: The longest unit name the unit table prints whole; a longer one is cut with an ellipsis,
#: and named in full in the list under the table (and in the JSON and CSV): a 160-character
#: name widened the column so that every row of the PDF broke in two.
UNIT_NAME_MAX = 32


def _table_name(unit: str, drawable: Callable[[str], str] = str) -> str:
    r"""Return a unit's name as the unit table prints it: printable, cut at :data:`UNIT_NAME_MAX`.

    ``drawable``: how the document writes a character its face cannot draw (the PDF:
    ``\u30e6``), applied before the cut so that the columns stay aligned.
    """
    name = drawable(printable(unit))
    return name if len(name) <= UNIT_NAME_MAX else name[: UNIT_NAME_MAX - 1] + "\u2026"


def _unit_width(result: LotResult, drawable: Callable[[str], str] = str) -> int:
    """Return the UNIT column's width: 12, or the longest unit name (as printed) plus 2.

    The column widens like the statistics table's PORT and LINE, so a long name (a unit named
    from a file name) never runs into the next column; past :data:`UNIT_NAME_MAX` characters
    the name is cut (:func:`_table_name`).
    """
    return max([12, *(display_width(_table_name(u.unit, drawable)) + 2 for u in result.units)])


def _full_names(result: LotResult, drawable: Callable[[str], str] = str) -> list[str]:
    """Return the lines naming in full each unit whose name the unit table cut ([] for none)."""
    cut = [u.unit for u in result.units if len(drawable(printable(u.unit))) > UNIT_NAME_MAX]
    if not cut:
        return []
    return ["", "Unit names cut in the table above, in full:"] + [
        f"   {_table_name(n, drawable)} = {printable(n)}" for n in cut
    ]


#: The IDENTICAL column of a unit that is not the golden unit (``UnitResult.identity``).
_IDENTITY = {"yes": "yes", "no": "NO", "unknown": "unknown"}
#: The SERIAL column of a unit whose serial neither the setup nor its captures state.
SERIAL_MISSING = "MISSING"


def _serial(unit: UnitResult) -> str:
    """Return the unit's DUT serial as printed (:data:`SERIAL_MISSING` when none is known)."""
    return printable(unit.serial) if unit.serial else SERIAL_MISSING


def _serial_width(result: LotResult) -> int:
    """Return the SERIAL column's width: 10, or the longest serial (as printed) plus 2."""
    return max([10, *(display_width(_serial(u)) + 2 for u in result.units)])


def _port_lines(result: LotResult, drawable: Callable[[str], str] = str) -> list[str]:
    """Return, when the setup's rules name the ports, each unit's ports with their captures.

    A port of several captures is judged as one measurement (``check --combine``), per
    measurement distance: each capture of a port measured at several distances is named
    with its distance (``H: u1_H_30M-1G.csv (10 m) + u1_H_1G-6G.csv (3 m)``).
    """
    if result.ports_from != PORTS_FROM_RULES:
        return []
    out = [
        "",
        "Ports (the setup's [[rule]] port / port_regex, as the dossier places captures; "
        "a port of several captures judged as one measurement):",
    ]
    wu = _unit_width(result, drawable)
    for u in result.units:
        for port in u.ports:
            out.append(
                f"   {pad(_table_name(u.unit, drawable), wu)}{printable(port)}: "
                + printable(u.ports_text(port))
            )
    return out


def _tolerance_text(result: LotResult) -> str:
    """Each port's pairing tolerance, or why there is none (no port's captures were judged)."""
    if not result.tolerance_hz:
        return "- (no port's captures could be read and judged)"
    return (
        ", ".join(f"{printable(p)} {format_hz(t)}" for p, t in result.tolerance_hz.items())
        + f" (+{CLOCK_TOLERANCE * 1e6:.0f} ppm of f between units)"
    )


def render_lot_text(result: LotResult, drawable: Callable[[str], str] = str) -> str:
    r"""Return the ``lot`` text report: units, statistics, verdict.

    ``drawable`` writes each character the document's face cannot draw as an escape (the
    PDF passes :func:`rfcheck.report.pdftext.font_safe`: CJK as ``\u30e6``, never a box);
    the unit table's columns are laid out on the names so written.
    """
    n_units = len(result.units)
    out = [
        f"rfcheck lot: {n_units} unit{'' if n_units == 1 else 's'}, golden (tested) unit "
        f"{printable(result.golden)}",
        "margin = limit - level; tolerance " + _tolerance_text(result),
    ]
    if several := several_distances_text(result):
        out.append(several)
    out.append("")
    wu, ws = _unit_width(result, drawable), _serial_width(result)
    wv = max([14, *(len(unit_verdict(u)) + 2 for u in result.units)])
    out.append(
        f"   {'UNIT':<{wu}}{'SERIAL':<{ws}}{'IDENTICAL':<11}{'VERDICT':<{wv}}"
        f"{'WORST MARGIN':>13}  AT"
    )
    for u in result.units:
        ident = "golden" if u.unit == result.golden else _IDENTITY[u.identity]
        at = _at_text(u)
        if u.worst_effective_margin_db is not None:  # judged under a decision rule
            at += f", effective {_margin(u.worst_effective_margin_db, u.worst_bound)} dB"
        out.append(
            f"   {pad(_table_name(u.unit, drawable), wu)}{pad(_serial(u), ws)}{ident:<11}"
            f"{unit_verdict(u):<{wv}}"
            f"{_margin(u.worst_margin_db, u.worst_bound):>10} dB  {at}"
        )
        for flag in u.flags:
            out.append(f"      - {printable(flag)}")
    out += _full_names(result, drawable)
    out += _port_lines(result, drawable)
    other = [u for u in result.units if u.unit != result.golden]
    for title, names in (
        (failed_title(result), [u.unit for u in result.units if u.verdict is Verdict.FAIL]),
        (DIFFERENT_BUILD, shown_names([u for u in other if u.identity == "no"])),
        (TWO_SERIALS, [u.unit for u in result.units if u.serial_conflict]),
        (
            UNKNOWN_IDENTITY,
            [u.unit for u in other if u.identity == "unknown" and not u.serial_conflict],
        ),
        (ASSUMED_UNITS, [u.unit for u in result.units if u.assumed]),
    ):
        if names:
            out.append("")
            out.append(f"{title}: " + ", ".join(printable(n) for n in names))
    if result.not_measured_units:
        out += ["", f"{NOT_MEASURED_UNITS}: {printable(result.not_measured_text)}"]
    out.append("")
    out.append(
        f"Statistics: CISPR TR 16-4-3 80/80 rule ({PROPORTION:.0%} of production "
        f"compliant with {CONFIDENCE:.0%} confidence)"
    )
    ranged = statistics_range_line(u.captures for u in result.units)
    if ranged:
        out.append(f"   {printable(ranged)}")
    if result.statistics:
        out += _stat_table(result.statistics)
    else:  # no header over no rows
        out.append(
            "   no rows: no reading of a unit of the statistics comes within the suspect window "
            "of a limit line, nor does the 80/80 figure X+kS (each unit's own verdict is in the "
            "table above)"
        )
    methods: dict[str, int] = {}
    for r in result.statistics:
        methods[r.outcome.method.value] = methods.get(r.outcome.method.value, 0) + 1
    if methods:
        out.append(
            "   method: "
            + ", ".join(
                f"{m} at {c} frequenc{'y' if c == 1 else 'ies'}" for m, c in methods.items()
            )
            + " (the t method where a Shapiro-Wilk test, 5 % family-wise, does not reject "
            f"normality; otherwise the binomial method, which needs at least {min_units_binomial()}"
            f" units; this lot has {result.n_in_statistics} in the statistics)"
        )
    notes = [
        _not_pass_text(r) for r in _table_order(result.statistics) if r.verdict.value != "PASS"
    ]
    if notes:
        out.append("   where not PASS (in table order):")
        out += [f"   - {printable(n)}" for n in notes]
    if result.notes:
        out.append("")
        out += [f"Note: {printable(n)}" for n in result.notes]
    out.append("")
    reasons = verdict_reasons(result)
    out.append(
        f"Verdict: {lot_verdict(result)} (exit {result.exit_code})"
        + (f": {printable(' | '.join(reasons))}" if reasons else "")
    )
    return "\n".join(out) + "\n"


def _at_text(u: UnitResult) -> str:
    """Return the AT column: ``300 MHz (H)``; at several distances ``300 MHz (H at 10 m)``."""
    if not u.worst_port:
        return "-"
    at = "" if u.worst_distance_m is None else f" at {u.worst_distance_m:g} m"
    return f"{_f(u.worst_frequency_hz)} ({printable(u.worst_port)}{at})"


def render_lot_json(result: LotResult, issued: _dt.datetime | None = None) -> str:
    """Return the ``lot`` result as JSON text; ``issued_utc`` is ``issued`` (the PDF's date)."""
    doc = _issued_json(result.to_json(), issued)
    return json_safe(json.dumps(doc, indent=2, ensure_ascii=False)) + "\n"


def render_lot_csv(result: LotResult) -> str:
    """Return the statistics table (one row per port, line and frequency).

    ``report_id`` is the lot's id (``lot.json``'s ``report_id.id``) on every row, and so is
    ``scope`` (``lot.json``'s: the ports measured and not,
    :func:`~rfcheck.lot.scope.ports_scope_text`), so that a row read alone does not speak
    for a port the lot did not measure.
    """
    rid = result.report_id.text
    scope = result.scope
    return _csv(
        ({**s.to_json(), "report_id": rid, "scope": scope} for s in result.statistics),
        LOT_STAT_COLUMNS,
    )


def render_lot_units_csv(result: LotResult) -> str:
    """Return the unit table (flags joined by ``; ``); the lot's report id and scope on each row."""
    rid = result.report_id.text
    rows = [
        {
            **u.to_json(),
            "report_id": rid,
            "ports": _ports_cell(u.ports),
            "port_distances": _distances_cell(u),
            "scope": result.scope,
        }
        for u in result.units
    ]
    return _csv(rows, LOT_UNIT_COLUMNS)


def _distances_cell(u: UnitResult) -> str:
    """``H: 10 m (30-1000 MHz) + 3 m (1000-6000 MHz); V: ...``: ports measured at several."""
    return "; ".join(
        f"{p}: " + " + ".join(d.text() for d in parts)
        for p in u.ports
        if (parts := u.port_distances(p))
    )


def several_distances_text(result: LotResult) -> str:
    """Name the ports the units were measured on at several distances ("": none).

    ``Measured at several distances (each judged at its own, 47 CFR 15.31(f)(1)): H, V at
    10 m (30-1000 MHz) and 3 m (1000-6000 MHz)``; each distance with the span its captures
    hold over every unit, the ports alike named together.
    """
    by_port: dict[str, dict[float, tuple[float, float] | None]] = {}
    for u in result.units:
        for port in u.ports:
            for d in u.port_distances(port):
                spans = by_port.setdefault(port, {})
                old, new = spans.get(d.distance_m), d.span_hz
                spans[d.distance_m] = (
                    new
                    if old is None
                    else old
                    if new is None
                    else (min(old[0], new[0]), max(old[1], new[1]))
                )
    texts: dict[str, list[str]] = {}
    for port, spans in by_port.items():
        text = " and ".join(
            DistancePart(d, (), span).text()
            for d, span in sorted(spans.items(), key=lambda x: (x[1] or (0.0, 0.0))[0])
        )
        texts.setdefault(text, []).append(port)
    if not texts:
        return ""
    return "Measured at several distances (each judged at its own, 47 CFR 15.31(f)(1)): " + (
        "; ".join(f"{', '.join(printable(p) for p in ports)} at {t}" for t, ports in texts.items())
    )


def _ports_cell(ports: dict[str, tuple[str, ...]]) -> str:
    """``<port>: <capture> + <capture>; <port>: ...`` (a unit's ports and their captures)."""
    return "; ".join(f"{p}: {' + '.join(m)}" for p, m in ports.items())
