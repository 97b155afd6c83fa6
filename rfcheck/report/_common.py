"""Helpers shared by the report renderers: report id, file naming, field tables, formatting.

Nothing here decides a verdict; it only selects and formats what :mod:`rfcheck.results`
holds. Sign convention everywhere: ``margin_db = limit - level`` (positive = below the limit).
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from ..frequency import format_mhz_fixed
from ..results import (
    CaptureResult,
    LineCheck,
    RunResult,
    Suspect,
    Verdict,
    deciding_check,
)
from ..settings import Setup
from ._segments import limit_segments
from .epoch import source_date_epoch

__all__ = [
    "STATEMENT",
    "STATUS_LEGEND",
    "STATUS_KEY",
    "SUSPECT_FORMULA",
    "unconfirmed_note",
    "run_unconfirmed",
    "MARGIN_NOTE",
    "VERDICT_COLOURS",
    "report_id",
    "sanitise_stem",
    "unique_stems",
    "generated_at",
    "fmt_freq_mhz",
    "fmt_margin",
    "fmt_num",
    "fmt_range_mhz",
    "Field",
    "dut_fields",
    "test_fields",
    "equipment_rows",
    "verdict_summary",
    "worst_check",
    "deciding_check",
    "coverage_note",
    "measured_ranges",
    "not_evaluated_text",
    "settings_rows",
    "capture_settings_differ",
    "settings_note",
    "suspect_sources",
    "decision_rule_text",
    "limit_segments",
    "suspect_window_db",
    "plot_title",
    "standard_and_class",
    "describe_limit",
]

#: The scope statement printed on every report (cover page, HTML header).
STATEMENT = (
    "Pre-compliance analysis of the supplied captures by rfcheck; not an accredited test "
    "report; results apply only to the captures listed in the appendix."
)

#: The one sign convention, as printed in reports.
MARGIN_NOTE = "Margin = limit \u2212 level; positive = below the limit, negative = above it."

#: Verdict colours (hex): PASS green, FAIL red, INCONCLUSIVE amber, INCOMPLETE slate blue,
#: ERROR grey.
VERDICT_COLOURS: dict[Verdict, str] = {
    Verdict.PASS: "#1b7a3a",
    Verdict.FAIL: "#b3161b",
    Verdict.INCONCLUSIVE: "#b86e00",
    Verdict.INCOMPLETE: "#5a5a9e",
    Verdict.ERROR: "#5f6368",
}

NOT_STATED = "not stated"

#: Legend of the status tags limit values carry (``docs/references.md``, "Status tags").
STATUS_LEGEND = (
    "Status tags: P = primary (the regulation's own text, or a verbatim quotation of the "
    "standard's table); S = secondary source only (verify before certification use); "
    "D = derived by a stated formula from P or S values; UNCONFIRMED = not found in any "
    "source, shown only so it can be checked. Sources: docs/references.md."
)

#: The status tags in a few words (text view), ``docs/references.md`` for the full legend.
STATUS_KEY = "P primary, S secondary, D derived, UNCONFIRMED unsourced: docs/references.md"

#: The suspect table's arithmetic, as printed under it.
SUSPECT_FORMULA = (
    "Level = reading + conversion + correction, each rounded to 0.01 dB (so a row may "
    "differ by 0.01 dB in the last digit): conversion takes the reading into the level's "
    "unit (+106.99 dB for dBm to dB\u00b5V at 50 \u03a9, 0 when the reading is already in "
    "it), correction is the transducer chain (antenna factor, cable loss, LISN factor, "
    "attenuator, minus preamplifier gain). Margin = limit \u2212 level."
)


def unconfirmed_note(cap: CaptureResult) -> str:
    """Name the UNCONFIRMED limit values a capture's verdict rests on.

    ``deciding limit values UNCONFIRMED: cispr32-a-rad-above-1g AV, PK`` when the
    capture's verdict rests on UNCONFIRMED limit values
    (:attr:`~rfcheck.results.CaptureResult.unconfirmed_basis`), else "".
    """
    basis = cap.unconfirmed_basis
    if not basis:
        return ""
    by_table: dict[str, list[str]] = {}
    for c in basis:
        by_table.setdefault(c.limit_id, []).append(c.line)
    which = "; ".join(f"{lid} {', '.join(lines)}" for lid, lines in by_table.items())
    return f"deciding limit values UNCONFIRMED: {which}"


def run_unconfirmed(run: RunResult) -> bool:
    """Return True when the run's verdict rests on UNCONFIRMED limit values.

    A FAIL only when
    every failing capture's FAIL does, any other verdict when some capture's verdict does.
    """
    if run.verdict is Verdict.FAIL:
        fails = [c for c in run.captures if c.verdict is Verdict.FAIL]
        return all(c.unconfirmed_basis for c in fails)
    return any(c.unconfirmed_basis for c in run.captures)


def report_id(run: RunResult) -> str:
    """Return the printed report id.

    :attr:`RunResult.report_id` (``RFC-`` + 20 upper-case hex
    digits of the SHA-256 of the inputs, the effective settings and the rfcheck version;
    :mod:`rfcheck.report_id`).
    """
    return run.report_id.text


def sanitise_stem(path: str) -> str:
    """File-name stem safe on every OS: ``a/b/EUT L1 (peak).csv`` -> ``EUT_L1_peak``.

    Parameters
    ----------
    path : str
        Capture path as recorded in the result.

    Returns
    -------
    str
        ASCII letters, digits, ``.-_`` only; at most 80 characters; ``capture`` if empty.
    """
    if " + " in path:  # a --combine result: name it after its first member
        path = "combined-" + PurePath(path.split(" + ")[0].replace("\\", "/")).name
    name = PurePath(path.replace("\\", "/")).name
    for suffix in (".tar", ".gz", ".sigmf-meta", ".sigmf-data"):
        name = name.removesuffix(suffix)
    stem = PurePath(name).stem if "." in name else name
    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", stem).strip("._-")
    return stem[:80] or "capture"


def unique_stems(captures: Iterable[CaptureResult]) -> list[str]:
    """One sanitised stem per capture, de-duplicated with ``-2``, ``-3`` in input order."""
    seen: dict[str, int] = {}
    out = []
    for c in captures:
        stem = sanitise_stem(c.path)
        n = seen.get(stem.lower(), 0) + 1
        seen[stem.lower()] = n
        out.append(stem if n == 1 else f"{stem}-{n}")
    return out


def generated_at() -> str | None:
    """Return the generation time for the report: ``SOURCE_DATE_EPOCH`` if set, else ``None``.

    Returns
    -------
    str or None
        ISO 8601 UTC (``2024-05-01T12:00:00Z``). ``None`` when the variable is unset, so
        that renderers which must be byte-identical omit a wall-clock time.

    Raises
    ------
    EnvironmentSettingError
        An invalid ``SOURCE_DATE_EPOCH`` (:func:`rfcheck.report.epoch.source_date_epoch`).
    """
    t = source_date_epoch()
    if t is None:
        return None
    return _dt.datetime.fromtimestamp(t, _dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def now_utc() -> str:
    """Return the current UTC time, ISO 8601 (for the PDF when ``SOURCE_DATE_EPOCH`` is unset)."""
    return _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _finite(x: float | None) -> bool:
    return x is not None and math.isfinite(x)


#: Lab-report frequency text (``0.1500``, ``45.120``, ``1234.56``); see :mod:`rfcheck.frequency`.
fmt_freq_mhz = format_mhz_fixed


def fmt_range_mhz(ranges: Iterable[tuple[float, float]]) -> str:
    """``0.15–0.5, 5–30 MHz``; empty string for no ranges."""
    parts = [f"{fmt_freq_mhz(a)}\u2013{fmt_freq_mhz(b)}" for a, b in ranges]
    return (", ".join(parts) + " MHz") if parts else ""


def _requested_lines(cap: CaptureResult) -> list[tuple[str, str]]:
    keys = [(p.limit_id, p.line) for p in cap.plot_limits]
    return list(dict.fromkeys([*keys, *((c.limit_id, c.line) for c in cap.checks)]))


def not_evaluated_text(cap: CaptureResult, fmt_ranges: Any = None) -> str:
    """Describe the ranges no trace covered.

    ``0.1500–1.2975, 1.4820–30.000 MHz`` (every requested line misses the same ranges)
    or ``fcc-15.109-b AV, fcc-15.109-b PK 1000.00–40000.00 MHz; ...`` (lines named); "" when
    nothing is missing. ``fmt_ranges`` formats a list of ranges [Hz] (default
    :func:`fmt_range_mhz`).
    """
    fmt = fmt_ranges or fmt_range_mhz
    groups: dict[tuple[tuple[float, float], ...], list[str]] = {}
    for lid, line, ranges in cap.not_evaluated:
        groups.setdefault(tuple(ranges), []).append(f"{lid} {line}")
    if len(groups) == 1 and len(next(iter(groups.values()))) == len(_requested_lines(cap)):
        return str(fmt(next(iter(groups))))
    return "; ".join(f"{', '.join(names)} {fmt(list(r))}" for r, names in groups.items())


def measured_ranges(cap: CaptureResult) -> list[tuple[float, float]]:
    """Return the union of every line's evaluated ranges, sorted [Hz]."""
    out: list[tuple[float, float]] = []
    for a, b in sorted(r for c in cap.checks for r in c.evaluated_hz):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def coverage_note(cap: CaptureResult, fmt_ranges: Any = None) -> str:
    """Return the partial-coverage note of a capture.

    ``partial coverage: not evaluated 0.1500–1.2975, 1.4820–30.000 MHz`` for a capture
    whose verdict rests on part of the requested limit range ("" when coverage is complete
    or the capture could not be analysed: its verdict ERROR says so). An INCOMPLETE capture:
    ``passes where measured: 1.2975–1.4820 MHz; not measured: ...``.
    """
    if cap.coverage == "complete" or cap.verdict is Verdict.ERROR:
        return ""
    missing = not_evaluated_text(cap, fmt_ranges)
    if cap.verdict is Verdict.INCOMPLETE:
        fmt = fmt_ranges or fmt_range_mhz
        measured = fmt(measured_ranges(cap)) or "nothing"
        return f"passes where measured: {measured}; not measured: {missing or 'unknown'}"
    return f"partial coverage: not evaluated {missing}" if missing else "partial coverage"


def fmt_margin(margin_db: float | None) -> str:
    """Format a signed margin [dB] with two decimals (``+4.21``, ``-3.20``); en dash if absent."""
    if not _finite(margin_db):
        return "\u2013"
    assert margin_db is not None
    return f"{margin_db:+.2f}"


def fmt_num(x: float | None, nd: int = 2) -> str:
    """Fixed-point number; en dash when absent or not finite."""
    if not _finite(x):
        return "\u2013"
    assert x is not None
    return f"{x:.{nd}f}"


@dataclass(frozen=True)
class Field:
    """One labelled row of an information table; ``stated`` False = placeholder shown."""

    label: str
    value: str
    stated: bool = True


def _get(m: Mapping[str, Any] | None, key: str) -> str | None:
    if not m or key not in m or m[key] is None or str(m[key]).strip() == "":
        return None
    return str(m[key]).strip()


def _row(label: str, value: str | None) -> Field:
    return Field(label, value, True) if value is not None else Field(label, NOT_STATED, False)


def dut_fields(setup: Setup | None) -> list[Field]:
    """Device-under-test rows from the setup file's ``[dut]`` table."""
    dut = setup.dut if setup else {}
    hif = _get(dut, "highest_internal_frequency_hz")
    if hif is not None:
        try:
            hif = f"{fmt_freq_mhz(float(hif))} MHz"
        except ValueError:
            pass
    rows = [
        _row("Manufacturer", _get(dut, "manufacturer")),
        _row("Model", _get(dut, "model")),
        _row("Serial number", _get(dut, "serial")),
        _row("Highest internal frequency", hif),
    ]
    desc = _get(dut, "description")
    if desc:
        rows.insert(2, Field("Description", desc))
    return rows


def _limit_ids(run: RunResult) -> list[str]:
    ids: list[str] = []
    for c in run.captures:
        for lim in c.limits:
            lid = str(lim.get("id", ""))
            if lid and lid not in ids:
                ids.append(lid)
        for chk in c.checks:
            if chk.limit_id not in ids:
                ids.append(chk.limit_id)
    return ids


def _distance(run: RunResult, setup: Setup | None) -> str | None:
    """Return the measurement distance(s) the captures were judged at.

    From each capture's limits (a
    setup ``[[rule]]`` can set it per folder), else the run or setup default.
    """
    found: list[float] = []
    for c in run.captures:
        for lim in c.limits:
            d = lim.get("measurement_distance_m") or (
                lim.get("distance_m") if lim.get("port") == "radiated" else None
            )
            if isinstance(d, int | float) and float(d) not in found:
                found.append(float(d))
    if not found:
        d = run.settings.get("distance_m") if run.settings else None
        if d is None and setup is not None:
            d = setup.check.distance_m
        if isinstance(d, int | float):
            found.append(float(d))
    if not found:
        return None
    return ", ".join(f"{d:g} m" for d in found) + " (radiated)"


def test_fields(run: RunResult, setup: Setup | None) -> list[Field]:
    """Laboratory and test rows (``[lab]``, ``[test]``, distance, limits, ports)."""
    lab = setup.lab if setup else {}
    test = setup.test if setup else {}
    ports = [c.label for c in run.captures if c.label]
    port = _get(test, "port") or (", ".join(dict.fromkeys(ports)) if ports else None)
    rows = [
        _row("Laboratory", _get(lab, "name")),
        _row("Operator", _get(lab, "operator")),
        _row("Test date", _get(test, "date")),
        _row("Test site", _get(lab, "site")),
        _row("Measurement distance", _distance(run, setup)),
        _row("Standard", _get(test, "standard")),
        _row("Class", _get(test, "class")),
        _row("Port / polarisation", port),
        _row("Limit tables", ", ".join(_limit_ids(run)) or None),
    ]
    acc = _get(lab, "accreditation")
    if acc:
        rows.insert(4, Field("Lab accreditation", acc))
    notes = _get(test, "notes")
    if notes:
        rows.append(Field("Notes", notes))
    return rows


_INSTRUMENT_ORDER = ("vendor", "model", "serial", "firmware", "options")


def equipment_rows(run: RunResult) -> list[tuple[str, str, str]]:
    """``(capture file, instrument, capture time)`` per capture, from capture metadata.

    The instrument is described once: by its fields (vendor, model, s/n, fw, options) and
    the ``description`` only where it adds something they do not already say.
    """
    rows = []
    for c in run.captures:
        inst = c.instrument or {}
        parts = []
        for key in _INSTRUMENT_ORDER:
            v = _get(inst, key)
            if v:
                parts.append({"serial": f"s/n {v}", "firmware": f"fw {v}"}.get(key, v))
        head = " ".join(parts)
        for key in sorted(k for k in inst if k not in _INSTRUMENT_ORDER):
            v = _get(inst, key)
            if key == "description" and v and head:  # usually vendor model fw again
                v = "" if v in head else v.replace(head, "", 1).strip(" ,;")
            if v:
                parts.append(v if key == "description" else f"{key}: {v}")
        rows.append((c.path, " ".join(parts) or "not recorded in the file", c.timestamp or ""))
    return rows


def _setting_text(v: Any) -> str:
    if v is None:
        return "\u2013"
    if isinstance(v, list | tuple):
        return ", ".join(_setting_text(x) for x in v) or "none"
    if isinstance(v, Mapping):
        return "; ".join(f"{SETTING_NAMES.get(k, k)}: {_setting_text(x)}" for k, x in v.items())
    return str(v)


def settings_rows(settings: Mapping[str, Any] | None) -> list[tuple[str, str]]:
    """Return the ``(name, value)`` rows of a settings dict.

    ``CaptureResult.settings`` or the run's, sorted by name; a combined result whose members differ
    gives one row per member.
    """
    rows: list[tuple[str, str]] = []
    for k in sorted(settings or {}):
        v = (settings or {})[k]
        if k == "members" and isinstance(v, list):
            rows += [
                (
                    f"member {m.get('path', i)}",
                    _setting_text({a: b for a, b in m.items() if a != "path"}),
                )
                for i, m in enumerate(v, 1)
            ]
        else:
            rows.append((SETTING_NAMES.get(k, k.replace("_", " ")), _setting_text(v)))
    return rows


def settings_note(run: RunResult) -> str:
    """Say what the run-level settings rows are: the common effective settings, or the base."""
    return run.settings_note or (
        "the effective settings every capture was judged with (setup [[rule]]s and "
        "command-line options applied)"
    )


def capture_settings_differ(run: RunResult) -> bool:
    """Return True when some capture's effective settings are not the run-level ones."""
    return any(c.settings and c.settings != run.settings for c in run.captures)


def worst_check(capture: CaptureResult) -> LineCheck | None:
    """Return the single "worst" line quoted anywhere (headline, plot, summaries).

    The line that
    decides the verdict (:func:`~rfcheck.results.deciding_check`: worst verdict first, then
    the smallest margin), None when it has no finite margin.
    """
    w = deciding_check(capture.checks)
    return w if w is not None and _finite(w.worst_margin_db) else None


#: One table row of data: text cells, and the verdict cell as a :class:`Verdict` (each
#: format renders and colours it itself).
Row = tuple["str | Verdict", ...]

SUMMARY_HEADERS = (
    "#", "Capture", "Port", "Verdict", "Coverage", "Margin [dB]", "at [MHz]", "Deciding line",
)  # fmt: skip
CHECK_HEADERS = (
    "Limit", "Line", "Detector", "Verdict", "Worst margin [dB]", "at [MHz]", "Basis", "Notes",
)  # fmt: skip


def summary_row(i: int, capture: CaptureResult) -> Row:
    """Return row ``i`` (1-based) of the summary table (:data:`SUMMARY_HEADERS`).

    The margin of
    the line that determines the verdict (:func:`~rfcheck.results.deciding_check`).
    """
    w = deciding_check(capture.checks)
    return (
        str(i),
        capture.path,
        capture.label or "\u2013",
        capture.verdict,
        capture.coverage,
        fmt_margin(w.worst_margin_db) if w else "\u2013",
        fmt_freq_mhz(w.worst_frequency_hz) if w else "\u2013",
        f"{w.limit_id} {w.line}" if w else "\u2013",
    )


def check_row(k: LineCheck) -> Row:
    """Return the row of one limit line's result (:data:`CHECK_HEADERS`)."""
    notes = []
    if k.needs:
        notes.append(f"needs: {k.needs}")
    if k.not_evaluated_hz:
        notes.append(f"not evaluated: {fmt_range_mhz(k.not_evaluated_hz)}")
    return (
        k.limit_id,
        k.line,
        k.detector,
        k.verdict,
        fmt_margin(k.worst_margin_db),
        fmt_freq_mhz(k.worst_frequency_hz),
        k.worst_bound.value if k.worst_bound else "\u2013",
        "; ".join(notes) or "\u2013",
    )


def suspect_headers(reading_unit: str, unit: str) -> tuple[str, ...]:
    """Column headings of :func:`suspect_rows`."""
    return (
        "Frequency [MHz]",
        f"Reading [{reading_unit}]",
        "Conv. [dB]",
        "Corr. [dB]",
        f"Level [{unit}]",
        f"Limit [{unit}]",
        "Margin [dB]",
        "Detector",
        "Limit line",
        "Verdict",
    )


def suspect_rows(suspects: Iterable[Suspect], reading_unit: str) -> list[Row]:
    """Return the suspect emission rows by frequency (:data:`SUSPECT_HEADERS`).

    Frequency [MHz], reading
    (with its unit when not ``reading_unit``), conversion [dB], correction [dB], level,
    limit, margin [dB], detector (bound), limit line, verdict; reading + conversion +
    correction = level on every row (:data:`SUSPECT_FORMULA`).
    """
    return [
        (
            fmt_freq_mhz(s.frequency_hz),
            fmt_num(s.reading) + ("" if s.reading_unit == reading_unit else f" {s.reading_unit}"),
            f"{s.conversion_db:+.2f}",
            fmt_num(s.correction_db),
            fmt_num(s.level),
            fmt_num(s.limit),
            fmt_margin(s.margin_db),
            f"{s.detector} ({s.bound.value})",
            f"{s.limit_id} {s.line}",
            s.verdict,
        )
        for s in sorted(suspects, key=lambda s: (s.frequency_hz, s.line))
    ]


def suspect_sources(suspects: Iterable[Suspect]) -> list[str]:
    """Return the Source column of :func:`suspect_rows` (same order).

    The likeliest source
    (``3 × 125 MHz (Ethernet)``), ``ambient``, or a dash; empty when no row has one.
    """
    ordered = sorted(suspects, key=lambda s: (s.frequency_hz, s.line))
    texts = [s.source_text for s in ordered]
    return [t or "\u2013" for t in texts] if any(texts) else []


def decision_rule_text(run: RunResult) -> str:
    """Describe the decision rule in force, in words (printed on every report)."""
    from ..explain.decision import parse_decision_rule

    return parse_decision_rule(run.decision_rule).description


def verdict_summary(capture: CaptureResult) -> list[str]:
    """Plain-language lines explaining a capture's verdict (what it rests on / still needs)."""
    lines: list[str] = []
    w = worst_check(capture)
    if capture.verdict is Verdict.ERROR:
        lines += [e.message for e in capture.errors] or ["The capture could not be analysed."]
        return lines
    if w is not None:
        bound = f" ({w.worst_bound.value})" if w.worst_bound else ""
        lines.append(
            f"Worst margin {fmt_margin(w.worst_margin_db)} dB at "
            f"{fmt_freq_mhz(w.worst_frequency_hz)} MHz against {w.limit_id} {w.line}{bound}."
        )
    if capture.verdict is Verdict.INCONCLUSIVE:
        for c in capture.checks:
            if c.verdict is Verdict.INCONCLUSIVE:
                need = c.needs or "a measurement with the line's own detector"
                lines.append(f"{c.limit_id} {c.line}: still needs {need}.")
    unconfirmed = unconfirmed_note(capture)
    if unconfirmed:
        lines.insert(
            min(1, len(lines)),
            f"UNCONFIRMED: the verdict rests on limit values not found in any source "
            f"({unconfirmed.removeprefix('deciding limit values UNCONFIRMED: ')}); verify "
            "them before relying on this result.",
        )
    if capture.verdict is Verdict.INCOMPLETE:
        lines.insert(
            min(1, len(lines)),
            f"INCOMPLETE: {coverage_note(capture)}. PASS would mean the whole judged range.",
        )
    elif capture.coverage != "complete":
        lines.insert(
            min(1, len(lines)),
            "PARTIAL COVERAGE: the verdict applies only to the frequencies evaluated; not "
            f"evaluated (no trace covers them): {not_evaluated_text(capture) or 'unknown'}.",
        )
    return lines


#: Limit-table keys rendered by :func:`describe_limit` itself (the rest get a row each).
_LIMIT_KEYS_SHOWN = {
    "id", "title", "source", "edition", "retrieved", "port", "distance_m",
    "measurement_distance_m", "distance", "distance_note", "status", "unconfirmed", "path",
    "sha256", "lines", "unit", "native_unit", "edge_rule",
}  # fmt: skip


def _limit_text(v: Any) -> str:
    if v is None or isinstance(v, bool):
        return "" if v is None else ("yes" if v else "no")
    if isinstance(v, float):
        return f"{v:g}"
    if isinstance(v, Mapping):
        return ", ".join(f"{a}: {b}" for a, b in v.items())
    if isinstance(v, list | tuple):
        return "; ".join(str(x) for x in v)
    return str(v).strip()


#: Package resource prefix of the shipped limit tables (``limits/`` in the repository).
_SHIPPED_PREFIX = "rfcheck.limit_tables/"


def _limit_file(path: str) -> str:
    """Name a limit table's file for the report.

    A shipped table by its place in the repository (``limits/fcc-15.109-b.toml``), with the
    installed resource it is read from; any other path as recorded.
    """
    if not path.startswith(_SHIPPED_PREFIX):
        return path
    name = path.removeprefix(_SHIPPED_PREFIX)
    return f"limits/{name} (installed as {path})"


def describe_limit(lim: Mapping[str, Any]) -> tuple[str, str, list[tuple[str, str]], bool]:
    """Return ``(id, title, [(label, value), ...], unconfirmed)`` for a limits entry.

    For a ``CaptureResult.limits`` entry: readable rows (Title, Regulation (clause), Text checked
    (the date), Edition and sources (where: the ``docs/references.md`` section), Port, Distance and
    conversion, Status, File + SHA-256, then any other key the loader records), empty values
    left out; ``unconfirmed`` is True when any value mentions it (``unconfirmed = true``, a
    non-empty ``unconfirmed`` list, ``status = "UNCONFIRMED"``).
    """
    t = {k: _limit_text(v) for k, v in lim.items()}
    unconfirmed = any(
        ("unconfirmed" in k.lower() and v is True) or "unconfirmed" in t[k].lower()
        for k, v in lim.items()
    )
    dist = f"{t['distance_m']} m" if t.get("distance_m") else t.get("distance", "")
    if t.get("measurement_distance_m"):
        dist += f"; measured at {t['measurement_distance_m']} m"
    status = t.get("status", "")
    if t.get("unconfirmed") and not isinstance(lim.get("unconfirmed"), bool):
        status = "; ".join(x for x in (status, f"unconfirmed: {t['unconfirmed']}") if x)
    elif lim.get("unconfirmed") is True:
        status = "; ".join(x for x in (status, "unconfirmed") if x)
    rows = [
        ("Title", t.get("title", "")),
        ("Regulation (clause)", t.get("source", "")),
        ("Text checked", t.get("retrieved", "")),
        ("Edition and sources", t.get("edition", "")),
        ("Port", t.get("port", "")),
        ("Distance and conversion", "; ".join(x for x in (dist, t.get("distance_note", "")) if x)),
        ("Status", status),
        (
            "File + SHA-256",
            "  ".join(x for x in (_limit_file(t.get("path", "")), t.get("sha256", "")) if x),
        ),
    ]
    rows += [
        (k.replace("_", " ").capitalize(), t[k]) for k in sorted(t) if k not in _LIMIT_KEYS_SHOWN
    ]
    return str(lim.get("id", "")), t.get("title", ""), [(k, v) for k, v in rows if v], unconfirmed


#: User-facing names of the effective settings (``settings_rows``), as in ``[check]``.
SETTING_NAMES = {
    "fmt": "format", "limit_ids": "limits", "limit_files": "limit files",
    "distance_m": "distance [m]", "antenna_factor": "antenna factor", "cable_loss": "cable loss",
    "lisn": "LISN", "preamp_gain": "preamp gain", "attenuator_db": "attenuator [dB]",
    "unit": "unit", "detector": "detector", "max_suspects": "max suspects",
    "suspect_window_db": "suspect window [dB]", "volts_per_unit": "volts per unit",
    "highest_frequency_hz": "highest frequency [Hz]",
}  # fmt: skip


def suspect_window_db(run: RunResult, setup: Setup | None) -> float:
    """Return the margin [dB] below which peaks are suspects (the plot's shaded window)."""
    v = run.settings.get("suspect_window_db") if run.settings else None
    if v is None and setup is not None:
        v = setup.check.suspect_window_db
    try:
        return float(v) if v is not None else 6.0
    except (TypeError, ValueError):
        return 6.0


def standard_and_class(setup: Setup | None) -> str:
    """``FCC Part 15 Subpart B Class B`` from ``[test] standard`` and ``class``."""
    test = setup.test if setup else {}
    cls = _get(test, "class")
    if cls and not cls.lower().startswith("class"):
        cls = f"Class {cls}"
    return " ".join(x for x in (_get(test, "standard"), cls) if x)


def plot_title(capture: CaptureResult, setup: Setup | None) -> str:
    """``DUT — port/polarisation — standard class`` (parts that are unknown are left out).

    The port is the capture's label, else its file stem (never the setup's ``[test] port``,
    which describes the whole test and stays in the test-information table).
    """
    dut = setup.dut if setup else {}
    name = " ".join(x for x in (_get(dut, "manufacturer"), _get(dut, "model")) if x)
    name = name or sanitise_stem(capture.path)
    port = capture.label or sanitise_stem(capture.path)  # the setup's [test] port may be global
    if port == name:
        port = ""
    std = standard_and_class(setup)
    if not std:
        std = ", ".join(dict.fromkeys(c.limit_id for c in capture.checks))
    return " \u2014 ".join(x for x in (name, port, std) if x)
