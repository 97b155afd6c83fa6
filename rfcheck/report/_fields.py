"""The information tables of a report: device, laboratory and test, equipment, settings.

Rows are read from the setup file (``[dut]``, ``[lab]``, ``[test]``) and the result; an
absent value is shown as a placeholder (:data:`NOT_STATED`), never guessed. Also the plot
title and the suspect window, which come from the same sources.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..limits.fcc_basis import NOT_FCC_BASIS
from ..results import CaptureResult, RunResult
from ..settings import Setup
from ..settings.model import plan_port_names
from ..textfile import resolved
from ._format import fmt_freq_mhz
from ._naming import sanitise_stem

__all__ = [
    "NOT_STATED",
    "CHECK_TITLE",
    "Field",
    "title_lines",
    "capture_port",
    "rule_port",
    "dut_fields",
    "test_fields",
    "equipment_rows",
    "SETTING_NAMES",
    "settings_rows",
    "settings_note",
    "capture_settings_differ",
    "suspect_window_db",
    "standard_and_class",
    "judged_limits",
    "cispr_basis",
    "basis_lines",
    "plan_scope_lines",
    "running_header",
    "plot_title",
]


NOT_STATED = "not stated"
#: The title of every ``check`` / ``batch`` report. The setup's ``[test] report_title`` names
#: the product's test record (``rfcheck dossier``), which one check of some captures is not:
#: it is shown under this title (:func:`title_lines`), never as it.
CHECK_TITLE = "Emissions pre-compliance report"
#: A ``report_title`` ending in what the dossier is ("... test record"): cut off in a check report.
_RECORD_TAIL = re.compile(r"[\s:,;\u2013\u2014-]*\b(?:test\s+)?record\s*$", re.IGNORECASE)


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


def dut_fields(setup: Setup | None, run: RunResult | None = None) -> list[Field]:
    """Device-under-test rows from the setup file's ``[dut]`` table.

    The highest internal frequency is the ``[dut]`` one, else the one the run was judged
    with (``--highest-frequency``, ``[check] highest_frequency_hz``): the 15.33(b)(1) range
    the report states rests on it.
    """
    dut = setup.dut if setup else {}
    hif = _get(dut, "highest_internal_frequency_hz")
    if hif is None and run is not None:
        hif = _get(run.settings, "highest_frequency_hz")
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


def title_lines(setup: Setup | None, run: RunResult | None = None) -> tuple[str, str | None]:
    """Return a check report's title and the setup's ``[test] report_title`` under it, or None.

    The title is always :data:`CHECK_TITLE`. ``report_title`` is the dossier's title: a
    trailing "test record" / "record" is cut off, and a title that still calls itself a
    record is not shown (a check of one scan is no test record). Nor is one naming no CISPR
    basis over a ``run`` judged against CISPR 32 tables only (it would read as an FCC basis;
    :func:`basis_lines` quotes it as the setup's).
    """
    stated = _get(setup.test if setup else None, "report_title")
    if stated is None:
        return CHECK_TITLE, None
    sub = _RECORD_TAIL.sub("", stated).strip()
    if not sub or re.search(r"\brecord\b", sub, re.IGNORECASE):
        return CHECK_TITLE, None
    if run is not None and cispr_basis(judged_limits(run))[1] and not _names_cispr(sub):
        return CHECK_TITLE, None
    return CHECK_TITLE, sub


def _test_dates(test: Mapping[str, Any]) -> str | None:
    """``[test] date``, else ``[test] dates`` (a list, as ``rfcheck dossier`` reads it)."""
    one = _get(test, "date")
    if one is not None:
        return one
    dates = test.get("dates")
    if isinstance(dates, list | tuple):
        return ", ".join(str(d).strip() for d in dates if str(d).strip()) or None
    return _get(test, "dates")


def _device_class(setup: Setup | None) -> str | None:
    """``[dut] class``, else ``[test] class`` (:attr:`Setup.device_class`, as every command)."""
    if setup is None:
        return None
    return _get(setup.dut, "class") or _get(setup.test, "class")


def _accreditation(lab: Mapping[str, Any]) -> str | None:
    """``[lab] accreditation`` as the dossier prints it: "A2LA, 1234.01, FCC Part 15B".

    A ``[lab.accreditation]`` table gives body, certificate, scope and statement, in that
    order (:meth:`rfcheck.record.model.Accreditation.describe`); a string is printed as is.
    """
    acc = lab.get("accreditation") if lab else None
    if isinstance(acc, Mapping):
        keys = ("body", "certificate", "scope", "statement")
        return ", ".join(v for k in keys if (v := _get(acc, k)) is not None) or None
    return _get(lab, "accreditation")


def rule_port(capture: CaptureResult, setup: Setup | None) -> str | None:
    """Return the port the setup's ``[[rule]]`` ``port`` / ``port_regex`` gives a capture.

    As ``rfcheck dossier`` places it (:func:`rfcheck.product.assign.port_of`, the path
    relative to the setup's folder); None without a setup or a rule naming one.
    """
    if (
        setup is None
        or not capture.path
        or not any("port" in r.product or "port_regex" in r.product for r in setup.rules)
    ):
        return None
    from ..product.assign import port_of  # builds on the settings and limits, not on reports

    folder = setup.path.parent if setup.path else None
    p = Path(capture.path)
    rel = p.as_posix()
    for root in (folder, Path.cwd()):
        if root is None:
            continue
        try:
            rel = resolved(p).relative_to(resolved(root)).as_posix()
            break
        except ValueError:
            continue
    try:
        return port_of(rel, setup)[0]
    except re.error:
        return None


def capture_port(capture: CaptureResult, setup: Setup | None) -> str:
    """Return the capture's port: its label, else the setup rules' (:func:`rule_port`), else ""."""
    return capture.label or rule_port(capture, setup) or ""


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
    ports = [p for c in run.captures if (p := capture_port(c, setup))]
    port = _get(test, "port") or (", ".join(dict.fromkeys(ports)) if ports else None)
    rows = [
        _row("Laboratory", _get(lab, "name")),
        _row("Operator", _get(lab, "operator")),
        _row("Test date", _test_dates(test)),
        _row("Test site", _get(lab, "site")),
        _row("Measurement distance", _distance(run, setup)),
        _standard_row(run, _get(test, "standard")),
        _row("Class", _device_class(setup)),
        _row("Port / polarisation", port),
        _row("Limit tables", ", ".join(_limit_ids(run)) or None),
    ]
    acc = _accreditation(lab)
    if acc:
        rows.insert(4, Field("Lab accreditation", acc))
    notes = _get(test, "notes")
    if notes:
        rows.append(Field("Notes", notes))
    return rows


def _standard_row(run: RunResult, stated: str | None) -> Field:
    """Return the setup's ``[test] standard``, else the rules the limits judged.

    A reader of a report without it still learns what the verdict was decided against
    (the shipped tables' titles name their rule: "FCC Part 15 Class B radiated limits @ 3 m
    (47 CFR 15.109(a))"), kept apart from a standard the lab states.
    """
    cispr, only = cispr_basis(judged_limits(run))
    if stated is not None:
        if only and not _names_cispr(stated):
            return Field(
                "Standard",
                f"{stated} (stated in the setup; not the basis judged: every limit table "
                f"judged is {cispr}, not an FCC basis)",
            )
        if cispr and not only:
            return Field("Standard", f"{stated}; also judged against {cispr} (not an FCC basis)")
        return Field("Standard", stated)
    titles = list(
        dict.fromkeys(
            str(lim["title"]) for c in run.captures for lim in c.limits if lim.get("title")
        )
    )
    if not titles:
        return _row("Standard", None)
    return Field(
        "Standard", f"{NOT_STATED} in the setup; judged against: {'; '.join(titles)}", False
    )


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


#: User-facing names of the effective settings (``settings_rows``), as in ``[check]``.
SETTING_NAMES = {
    "fmt": "format", "limit_ids": "limits", "limit_files": "limit files",
    "distance_m": "distance [m]", "antenna_factor": "antenna factor", "cable_loss": "cable loss",
    "lisn": "LISN", "preamp_gain": "preamp gain", "attenuator_db": "attenuator [dB]",
    "unit": "unit", "detector": "detector", "rbw_hz": "RBW of traces stating none [Hz]",
    "max_suspects": "max suspects",
    "suspect_window_db": "suspect window [dB]", "volts_per_unit": "volts per unit",
    "center_frequency_hz": "centre frequency [Hz]",
    "highest_frequency_hz": "highest frequency [Hz]", "range_hz": "judged range [Hz]",
    "u_lab_db": "lab uncertainty U_lab [dB]", "decision_rule": "decision rule",
    "device_class": "device class",
}  # fmt: skip


def _setting_text(v: Any) -> str:
    if v is None:
        return "\u2013"
    if isinstance(v, list | tuple):
        return ", ".join(_setting_text(x) for x in v) or "none"
    if isinstance(v, Mapping):
        return "; ".join(f"{SETTING_NAMES.get(k, k)}: {_setting_text(x)}" for k, x in v.items())
    if isinstance(v, float):
        return f"{v:.15g}"  # 700000000, 3, 0.5: every digit the value holds, no "700000000.0"
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


def suspect_window_db(run: RunResult, setup: Setup | None) -> float:
    """Return the margin [dB] below which peaks are suspects (the plot's shaded window)."""
    v = run.settings.get("suspect_window_db") if run.settings else None
    if v is None and setup is not None:
        v = setup.check.suspect_window_db
    try:
        return float(v) if v is not None else 6.0
    except (TypeError, ValueError):
        return 6.0


def standard_and_class(setup: Setup | None, limits: Iterable[Mapping[str, Any]] = ()) -> str:
    """``FCC Part 15 Subpart B Class B`` from ``[test] standard`` and the class.

    The class is ``[dut] class``, else ``[test] class`` (:func:`_device_class`). ``limits``:
    the tables judged (``CaptureResult.limits`` entries, :func:`judged_limits`). When every
    one is a CISPR 32 table the basis judged is named instead of the stated standard
    ("CISPR 32 Class B (not an FCC basis)"): a CISPR 32 result never reads as an FCC one;
    when some are, both are named.
    """
    test = setup.test if setup else {}
    cls = _device_class(setup)
    if cls and not cls.lower().startswith("class"):
        cls = f"Class {cls}"
    stated = " ".join(x for x in (_get(test, "standard"), cls) if x)
    limits = list(limits)
    cispr, only = cispr_basis(limits)
    if not cispr:
        return stated
    if only:
        return f"{cispr} (not an FCC basis)"
    other = stated or ", ".join(
        dict.fromkeys(str(lim.get("id", "")) for lim in limits if _regime(lim) != _CISPR)
    )
    return f"{other} and {cispr} (CISPR 32: not an FCC basis)"


_CISPR = "cispr32"


def _regime(lim: Mapping[str, Any]) -> str:
    """Return a table's ``regime`` (a result written before it was recorded: from its id)."""
    r = lim.get("regime")
    if isinstance(r, str):
        return r
    return _CISPR if str(lim.get("id", "")).startswith("cispr32") else "none"


def _names_cispr(text: str) -> bool:
    return "cispr" in text.lower()


def judged_limits(run: RunResult | CaptureResult) -> list[dict[str, Any]]:
    """Return the limit tables a run (or one capture) was judged against (``limits``).

    A capture's tables that some line check used; a capture without checks: all it loaded.
    """
    captures = run.captures if isinstance(run, RunResult) else (run,)
    out: list[dict[str, Any]] = []
    for c in captures:
        used = {chk.limit_id for chk in c.checks}
        out += [dict(lim) for lim in c.limits if not used or lim.get("id") in used]
    return out


def cispr_basis(limits: Iterable[Mapping[str, Any]]) -> tuple[str, bool]:
    """Return (``CISPR 32 Class B``, every table is CISPR 32) for the tables judged.

    ``("", False)`` when no CISPR 32 table is among them.
    """
    limits = list(limits)
    cispr = [lim for lim in limits if _regime(lim) == _CISPR]
    if not cispr:
        return "", False
    classes = sorted({str(c) for lim in cispr if (c := lim.get("device_class"))})
    name = "CISPR 32" + (f" Class {' and '.join(classes)}" if classes else "")
    return name, len(cispr) == len(limits)


def plan_scope_lines(setup: Setup | None) -> list[str]:
    """Page 1's statement that a check report is not the product's test record ([] without a plan).

    A setup with a ``[plan]`` describes a product's test record over its ports (``rfcheck
    dossier``); a ``check`` report made with it judges only the captures it was given, and
    its PASS says nothing of a port none of them measured: page 1 says so, naming the plan's
    ports, so that a title naming the device and its rules is not read as its record.
    """
    plan = setup.plan if setup is not None else {}
    if not plan:
        return []
    kinds = [
        f"{', '.join(n)} ({what})"
        for n, what in (
            (plan_port_names(plan, "mains_lines"), "mains lines"),
            (plan_port_names(plan, "polarisations"), "polarisations"),
        )
        if n
    ]
    ports = f" requires the ports {' and '.join(kinds)}" if kinds else " describes the test record"
    return [
        "Not the product's test record.",
        f"The setup's [plan]{ports}; this report judges only the captures listed, and its "
        "verdict says nothing of a port none of them measured. The record over every port of "
        "the plan is rfcheck dossier's.",
    ]


def basis_lines(run: RunResult, setup: Setup | None) -> list[str]:
    """Page 1's statement that a CISPR 32 result is not an FCC result ([] without one).

    The basis judged; where every table judged is CISPR 32, the setup's ``[test] standard``
    or ``report_title`` naming another basis (the contradiction); then each table's "not an
    FCC basis" note (where the CISPR limits are more lenient and where stricter than the
    FCC table of the class).
    """
    limits = judged_limits(run)
    cispr, only = cispr_basis(limits)
    if not cispr:
        return []
    if only:
        out = [
            f"Basis judged: {cispr}. Every limit table judged is a CISPR 32 table: this is "
            "not a 47 CFR Part 15 (FCC) result."
        ]
        test = setup.test if setup else {}
        said = [
            f'{key} = "{v}"'
            for key in ("standard", "report_title")
            if (v := _get(test, key)) is not None and not _names_cispr(v)
        ]
        if said:
            out.append(
                f"The setup states [test] {' and '.join(said)}: that is not the basis judged "
                f"here ({cispr}). Judge against the FCC table too for an FCC result."
            )
    else:
        ids = {
            c: ", ".join(dict.fromkeys(str(lim.get("id")) for lim in limits if _regime(lim) == c))
            for c in (_CISPR,)
        }[_CISPR]
        others = ", ".join(
            dict.fromkeys(str(lim.get("id")) for lim in limits if _regime(lim) != _CISPR)
        )
        out = [
            f"Judged against FCC and CISPR 32 tables: the {ids} results are {cispr} results, "
            f"not an FCC basis; only the {others} results bear on 47 CFR Part 15."
        ]
    notes = [w for c in run.captures for w in c.warnings if NOT_FCC_BASIS in w]
    return out + list(dict.fromkeys(notes))


def running_header(run: RunResult, setup: Setup | None) -> str:
    """Return the PDF's running header: the DUT, port and standard (:func:`plot_title`).

    With a CISPR 32 table judged, the basis comes first, so that cutting the header to the
    page's width never cuts it off.
    """
    n = len(run.captures)
    head = plot_title(run.captures[0], setup) if n == 1 else "rfcheck emissions report"
    cispr, _only = cispr_basis(judged_limits(run))
    if not cispr:
        return head
    std = standard_and_class(setup, judged_limits(run))
    if n == 1:
        head = plot_title(run.captures[0], setup, with_standard=False)
    return f"{std} \u2014 {head}"


def plot_title(
    capture: CaptureResult,
    setup: Setup | None,
    name_chars: int | None = None,
    with_standard: bool = True,
) -> str:
    """``DUT — port/polarisation — standard class`` (parts that are unknown are left out).

    The port is the capture's label, else its file stem (never the setup's ``[test] port``,
    which describes the whole test and stays in the test-information table). Characters the
    plot's font has no glyph for are written as escapes (:func:`~.pdftext.font_safe`).
    ``name_chars``: the DUT part (escapes counted as written) is cut to that many characters
    and ends in an ellipsis, never inside an escape; the port and standard stay whole.
    """
    dut = setup.dut if setup else {}
    name = " ".join(x for x in (_get(dut, "manufacturer"), _get(dut, "model")) if x)
    name = name or sanitise_stem(capture.path)
    port = capture.label or sanitise_stem(capture.path)  # the setup's [test] port may be global
    if port == name:
        port = ""
    std = standard_and_class(setup, judged_limits(capture)) if with_standard else ""
    if not std and with_standard:
        std = ", ".join(dict.fromkeys(c.limit_id for c in capture.checks))
    title = " \u2014 ".join(x for x in (name, port, std) if x)
    if not title.isascii():
        # the plot and the PDF page header draw it in DejaVu Sans, which has no CJK or emoji
        from .pdftext import font_safe

        name, port, std = font_safe(name), font_safe(port), font_safe(std)
    if name_chars is not None and len(name) > name_chars:
        name = _cut_escaped(name, name_chars) + "\u2026"
    return " \u2014 ".join(x for x in (name, port, std) if x)


#: A character written as an escape (:func:`~.pdftext.font_safe`): never cut inside.
_ESCAPE = re.compile(r"\\u[0-9a-fA-F]{4}|\\U[0-9a-fA-F]{8}")


def _cut_escaped(text: str, n: int) -> str:
    """Return the first ``n`` characters of ``text``, fewer rather than half an escape."""
    n = max(n, 0)
    for m in _ESCAPE.finditer(text, max(0, n - 10), n + 10):
        if m.start() < n < m.end():
            n = m.start()
    return text[:n].rstrip()
