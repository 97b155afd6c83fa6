"""Tests of ``rfcheck compare``.

``rfcheck compare``: emissions paired within the stated tolerance, deltas with bounds kept,
emissions present on one side only, before/after wording, JSON keys and exit code.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from rfcheck.cli import main
from rfcheck.lot.matching import DeltaBound, delta_bound
from rfcheck.outcome import Bound

CsvWriter = Callable[..., Path]
RADIATED = (30e6, 400e6, 60e3, 120e3)
#: 47 CFR 15.109(b) at 3 m: 150 µV/m (88-216 MHz) = 43.52 dBµV/m; 200 µV/m (216-960 MHz) = 46.02.
LIMIT_102M = 43.52
LIMIT_300M = 46.02


def _run(*args: str) -> Any:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def _pair(tmp_path: Path, csv_writer: CsvWriter, *, a_peak_only: bool = False) -> tuple[Path, Path]:
    before = {102e6: 40.0, 204e6: 35.0}  # on the 60 kHz grid from 30 MHz
    after = {102.06e6: 36.0, 204e6: 35.5, 300e6: 38.0}  # 102 MHz moved one step; 300 MHz new
    cols_a = {"Peak": {f: v + 2.0 for f, v in before.items()}}
    if not a_peak_only:
        cols_a["QP"] = before
    a = csv_writer(tmp_path / "a.csv", cols_a, grid=RADIATED, unit="dBuV/m")
    b = csv_writer(
        tmp_path / "b.csv",
        {"Peak": {f: v + 2.0 for f, v in after.items()}, "QP": after},
        grid=RADIATED,
        unit="dBuV/m",
    )
    return a, b


def _compare_json(a: Path, b: Path) -> dict[str, Any]:
    res = _run(
        "compare", str(a), str(b), "--limit", "fcc-15.109-b", "--distance", "3", "-o", "json"
    )
    assert res.exit_code == 0
    doc: dict[str, Any] = json.loads(res.output)
    return doc


def test_pairs_and_deltas_on_a_hand_built_pair(tmp_path: Path, csv_writer: CsvWriter) -> None:
    doc = _compare_json(*_pair(tmp_path, csv_writer))
    assert doc["tolerance_hz"] == 120000.0  # max(RBW 120 kHz, 2 × 60 kHz step)
    rows = [
        (
            p["frequency_hz_a"],
            p["frequency_hz_b"],
            p["detector"],
            p["level_a"],
            p["level_b"],
            p["delta_db"],
            p["bound"],
        )
        for p in doc["pairs"]
    ]
    assert rows == [
        (102e6, 102.06e6, "quasi-peak", 40.0, 36.0, -4.0, "measured"),
        (204e6, 204e6, "quasi-peak", 35.0, 35.5, 0.5, "measured"),
    ]
    assert doc["pairs"][0]["margin_db_b"] == pytest.approx(LIMIT_102M - 36.0, abs=0.01)
    assert doc["only_in_a"] == []
    [only] = doc["only_in_b"]
    assert only["frequency_hz"] == 300e6
    assert only["worst_margin_db"] == pytest.approx(LIMIT_300M - 38.0, abs=0.01)
    assert {"path", "verdict", "worst_margin_db"} <= set(doc["a"])
    assert doc["a"]["worst_margin_db"] == pytest.approx(LIMIT_102M - 40.0, abs=0.01)


def test_peak_against_quasi_peak_is_a_bound_not_a_measured_difference(
    tmp_path: Path, csv_writer: CsvWriter
) -> None:
    doc = _compare_json(*_pair(tmp_path, csv_writer, a_peak_only=True))
    first = doc["pairs"][0]
    # A's QP is bounded from above by its peak (42.0): 36.0 - 42.0 = -6.0 is a LOWER bound of ΔQP
    assert (first["detector_a"], first["bound_a"], first["level_a"]) == (
        "peak",
        "upper bound",
        42.0,
    )
    assert (first["delta_db"], first["bound"]) == (-6.0, "lower bound")


def _before_after(a: Path, b: Path) -> Any:
    """``rfcheck compare A B`` at 3 m against fcc-15.109-b, the sides named before, after."""
    return _run(
        "compare", str(a), str(b), "--limit", "fcc-15.109-b", "--distance", "3",
        "--names", "before,after",
    )  # fmt: skip


def test_before_after_wording(tmp_path: Path, csv_writer: CsvWriter) -> None:
    a, b = _pair(tmp_path, csv_writer)
    res = _before_after(a, b)
    assert res.exit_code == 0
    lines = res.output.splitlines()
    assert "   after: -4.00 dB at 102.06 MHz, now +7.52 dB under the QP limit" in lines
    assert "   after only: emission at 300 MHz, +8.02 dB under the QP limit" in lines
    assert (
        "Pairing tolerance: 120 kHz (the larger of each capture's RBW and two frequency steps)"
        in lines
    )


def test_levels_print_to_0_01_db_beside_their_margins(
    tmp_path: Path, csv_writer: CsvWriter
) -> None:
    """The text "46.5 dBuV/m ... margin -0.49" read as 46.02 - 46.5 = -0.48 (JSON: 46.51)."""
    a = csv_writer(tmp_path / "a.csv", {"QP": {102e6: 30.0}}, grid=RADIATED, unit="dBuV/m")
    b = csv_writer(
        tmp_path / "b.csv", {"QP": {102e6: 27.996, 300e6: 46.51}}, grid=RADIATED, unit="dBuV/m"
    )
    lines = _before_after(a, b).output.splitlines()
    only = next(ln for ln in lines if ln.strip().startswith("300 MHz"))
    assert "  46.51 dB\u00b5V/m" in only and "margin -0.49 dB" in only, only
    paired = next(ln for ln in lines if ln.strip().startswith("102"))
    assert "30.00   28.00   -2.00  measured" in paired, paired


def test_an_emission_on_one_side_over_the_limit_is_said_over_it(
    tmp_path: Path, csv_writer: CsvWriter
) -> None:
    """It read "≤ -56.6 dB under the PK limit" for a level 56.6 dB over it."""
    a = csv_writer(tmp_path / "a.csv", {"QP": {102e6: 30.0}}, grid=RADIATED, unit="dBuV/m")
    b = csv_writer(
        tmp_path / "b.csv", {"QP": {102e6: 30.0, 300e6: 52.0}}, grid=RADIATED, unit="dBuV/m"
    )
    res = _before_after(a, b)
    lines = res.output.splitlines()
    assert "   after only: emission at 300 MHz, 5.98 dB over the QP limit" in lines, res.output
    assert not any("dB under" in ln and "-" in ln.split("dB under")[0][-8:] for ln in lines)


def test_a_level_at_the_limit_within_float_noise_is_not_said_over_it() -> None:
    """A margin 5e-10 dB under zero (the judgement's tolerance) read "-0.0 dB over"."""
    from rfcheck.lot.compare_render import _against
    from rfcheck.outcome import Bound

    assert _against(-5e-10, "QP", Bound.MEASURED) == "+0.00 dB under the QP limit"
    assert _against(-2e-9, "QP", Bound.MEASURED).endswith("dB over the QP limit")


def test_compare_csv_lists_every_row(tmp_path: Path, csv_writer: CsvWriter) -> None:
    a, b = _pair(tmp_path, csv_writer)
    res = _run("compare", str(a), str(b), "--limit", "fcc-15.109-b", "--distance", "3", "-o", "csv")
    rows = res.output.splitlines()
    assert rows[0].startswith("kind,frequency_hz_a,frequency_hz_b")
    assert [r.split(",")[0] for r in rows[1:]] == ["pair", "pair", "only_in_b"]
    head, rid, distance = rows[1].rsplit(",", 2)
    assert head == (
        "pair,102000000.0,102060000.0,fcc-15.109-b,QP,quasi-peak,quasi-peak,"
        "quasi-peak,40.0,36.0,-4.0,measured,43.52,3.52,7.52,dBµV/m,measured,measured"
    )  # then the report id and the distance the levels and limit are at
    assert (rid.startswith("RFC-"), distance) == (True, "3.0")


def _pair_b_peak_only(tmp_path: Path, csv_writer: CsvWriter) -> tuple[Path, Path]:
    """Write A with QP and peak, B with its peak trace only (every B reading an upper bound)."""
    a, _ = _pair(tmp_path, csv_writer)
    after = {102.06e6: 36.0, 204e6: 35.5, 300e6: 38.0}
    b = csv_writer(
        tmp_path / "b_peak.csv",
        {"Peak": {f: v + 2.0 for f, v in after.items()}},
        grid=RADIATED,
        unit="dBuV/m",
    )
    return a, b


def test_margins_from_upper_bound_levels_print_as_at_least(
    tmp_path: Path, csv_writer: CsvWriter
) -> None:
    """B read with peak only: its QP margins are lower bounds (``≥``), never bare numbers."""
    a, b = _pair_b_peak_only(tmp_path, csv_writer)
    args = ["compare", str(a), str(b), "--limit", "fcc-15.109-b", "--distance", "3"]
    res = _run(*args, "--names", "before,after")
    assert res.exit_code == 0
    lines = res.output.splitlines()
    # B's worst: peak 38.0 at 102.06 MHz against the 43.52 QP line
    worst_b = "worst margin \u2265 +5.52 dB at 102.06 MHz (fcc-15.109-b QP)"
    assert f"   verdict INCOMPLETE, {worst_b}" in lines
    assert "   verdict INCOMPLETE, worst margin +3.52 dB at 102 MHz (fcc-15.109-b QP)" in lines
    assert (
        "   after: at most -2.00 dB at 102.06 MHz, now \u2265 +5.52 dB under the QP limit "
        "(QP vs PK: an upper bound)"
    ) in lines
    only_b = "emission at 300 MHz, \u2265 +6.02 dB under the QP limit (upper bound)"
    assert f"   after only: {only_b}" in lines
    row = next(x for x in lines if x.startswith("         102 MHz    102.06 MHz"))
    assert row.endswith("upper bound  \u2265 +5.52")
    only = next(x for x in lines if x.startswith("         300 MHz"))
    assert only.endswith("upper bound margin \u2265 +6.02 dB")
    doc = _compare_json(a, b)
    assert (doc["a"]["worst_bound"], doc["b"]["worst_bound"]) == ("measured", "upper bound")
    assert doc["only_in_b"][0]["worst_bound"] == "upper bound"
    rows = _run(*args, "-o", "csv").output.splitlines()
    assert rows[0].endswith(",unit,bound_a,bound_b,report_id,distance_m")
    assert rows[1].rsplit(",", 2)[0].endswith(",5.52,dBµV/m,measured,upper bound")
    assert rows[3].rsplit(",", 2)[0].endswith(",6.02,dBµV/m,,upper bound")


def test_compare_text_prints_margins_to_a_hundredth_as_check_does() -> None:
    """A 0.042 dB excess reads 0.04 dB over (as ``check``), never 0.1 dB (2.5 times more)."""
    from rfcheck.lot._text import _margin
    from rfcheck.lot.compare_render import _under

    assert _under(-0.042, "QP", Bound.MEASURED) == "now 0.04 dB over the QP limit"
    assert _margin(-0.042, Bound.MEASURED) == "-0.04"
    assert _margin(0.042, Bound.MEASURED) == "+0.04"
    assert _margin(7.658, Bound.UPPER) == "\u2265 +7.66"


def test_a_margin_over_the_limit_from_an_upper_bound_is_at_most_that_much_over() -> None:
    from rfcheck.lot.compare_render import _under

    assert _under(-2.04, "QP", Bound.UPPER) == "now \u2264 2.04 dB over the QP limit"
    assert _under(-2.04, "QP", Bound.LOWER) == "now \u2265 2.04 dB over the QP limit"
    assert _under(-2.04, "QP", Bound.MEASURED) == "now 2.04 dB over the QP limit"
    assert _under(1.0, "AV", Bound.LOWER) == "now \u2264 +1.00 dB under the AV limit"


def test_compare_needs_a_limit(tmp_path: Path, csv_writer: CsvWriter) -> None:
    a, b = _pair(tmp_path, csv_writer)
    res = _run("compare", str(a), str(b))
    assert res.exit_code == 2
    assert f"no limit given for {a}: use --limit ID or a setup file" in res.output


def test_compare_unreadable_capture(tmp_path: Path, csv_writer: CsvWriter) -> None:
    a, _ = _pair(tmp_path, csv_writer)
    bad = tmp_path / "bad.csv"
    bad.write_text("nothing here\n", encoding="ascii")
    res = _run("compare", str(a), str(bad), "--limit", "fcc-15.109-b")
    assert res.exit_code == 3
    assert res.output.startswith("rfcheck: error: ") and "bad.csv" in res.output
    assert len(res.output.strip().splitlines()) == 1


def test_compare_report_files(tmp_path: Path, csv_writer: CsvWriter) -> None:
    a, b = _pair(tmp_path, csv_writer)
    out = tmp_path / "out"
    res = _run(
        "compare",
        str(a),
        str(b),
        "--limit",
        "fcc-15.109-b",
        "--distance",
        "3",
        "--report",
        "png,svg,html",
        "--out",
        str(out),
    )
    assert res.exit_code == 0
    assert sorted(p.name for p in out.iterdir()) == ["compare.html", "compare.png", "compare.svg"]
    assert "<svg" in (out / "compare.html").read_text(encoding="utf-8")


def test_sides_not_named_read_a_and_b_not_a_a(tmp_path: Path, csv_writer: CsvWriter) -> None:
    """Without --names the text said "A (A): ..." and "Only in A (A): 0"."""
    a, b = _pair(tmp_path, csv_writer)
    args = ["compare", str(a), str(b), "--limit", "fcc-15.109-b", "--distance", "3"]
    lines = _run(*args).output.splitlines()
    assert lines[1] == f"A: {a}" and lines[3] == f"B: {b}"
    assert "Only in A: 0" in lines and "Only in B: 1" in lines
    assert not [x for x in lines if "(A)" in x or "(B)" in x]
    named = _run(*args, "--names", "before,after").output.splitlines()
    assert named[1] == f"A (before): {a}" and "Only in B (after): 1" in named


def test_compare_json_carries_the_issue_time_of_the_pdf_and_html(
    tmp_path: Path, csv_writer: CsvWriter, monkeypatch: pytest.MonkeyPatch
) -> None:
    """compare.json had no issue date; the PDF and HTML had 'Issued (UTC)'."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1763629200")  # 2025-11-20T09:00:00Z
    a, b = _pair(tmp_path, csv_writer)
    out = tmp_path / "out"
    args = ["compare", str(a), str(b), "--limit", "fcc-15.109-b", "--distance", "3"]
    res = _run(*args, "--report", "json,html", "--out", str(out), "-o", "json")
    assert res.exit_code == 0
    assert json.loads(res.stdout)["issued_utc"] == "2025-11-20T09:00:00Z"
    assert json.loads((out / "compare.json").read_text("utf-8"))["issued_utc"] == (
        "2025-11-20T09:00:00Z"
    )
    page = (out / "compare.html").read_text("utf-8")
    assert "Issued (UTC) 2025-11-20T09:00:00Z" in page
    from rfcheck.report.page import CSS

    assert f"<style>{CSS}</style>" in page  # the check report's style sheet


def test_a_dollar_in_a_file_name_or_a_side_name_is_drawn_as_written(
    tmp_path: Path, csv_writer: CsvWriter
) -> None:
    r"""A capture named ``b_$\frac$.csv`` compared as ``after $\frac$``: the name is plain text.

    matplotlib parsed the side's name in the legend, title and axis label as math markup: the
    malformed ``$\frac$`` stopped the run with an internal error (exit 3, no report).
    """
    from rfcheck.lot.compare import run_compare
    from rfcheck.lot.overlay_plot import overlay_figure
    from rfcheck.settings import CheckSettings

    a, b = _pair(tmp_path, csv_writer)
    b = b.rename(b.with_name(r"b_$\frac$.csv"))
    names = ("before", r"after $\frac$")
    out = tmp_path / "out"
    res = _run(
        "compare",
        str(a),
        str(b),
        *("--limit", "fcc-15.109-b", "--distance", "3", "--names", ",".join(names)),
        *("--report", "png,pdf", "--out", str(out)),
    )
    assert res.exit_code == 0, res.output
    assert sorted(p.name for p in out.iterdir()) == ["compare.pdf", "compare.png"]
    s = CheckSettings(limit_ids=("fcc-15.109-b",), distance_m=3.0)
    fig = overlay_figure(run_compare([a], [b], s, s), names)
    ax, axd = fig.axes
    legend = ax.get_legend()
    assert legend is not None
    texts = [*legend.get_texts(), ax.title, axd.yaxis.label]
    shown = [t for t in texts if names[1] in t.get_text()]
    # drawn as the text it holds: the artist's text is the raw label, mathtext off
    assert [(t.get_text(), t.get_parse_math()) for t in shown] == [
        (r"after $\frac$ PK", False),
        (r"after $\frac$ QP", False),
        (r"only in after $\frac$", False),
        (
            r"after $\frac$ vs before: 2 paired readings, 0 only in before, "
            r"1 only in after $\frac$",
            False,
        ),
        (r"after $\frac$ − before [dB]", False),
    ]


def test_unknown_report_format(tmp_path: Path, csv_writer: CsvWriter) -> None:
    a, b = _pair(tmp_path, csv_writer)
    res = _run("compare", str(a), str(b), "--limit", "fcc-15.109-b", "--report", "docx")
    assert res.exit_code == 2
    # the shared registry's message, as 'check --report' and 'batch --report' print it
    assert (
        "Error: Invalid value for '--report': unknown format 'docx' "
        "(known: pdf, html, png, svg, json, csv, or 'none')"
    ) in res.output.splitlines()


def test_report_none_writes_no_file(tmp_path: Path, csv_writer: CsvWriter) -> None:
    a, b = _pair(tmp_path, csv_writer)
    out = tmp_path / "out"
    res = _run(
        "compare", str(a), str(b), "--limit", "fcc-15.109-b", "--report", "none", "--out", str(out)
    )
    assert res.exit_code == 0
    assert not out.exists()


@pytest.mark.parametrize(
    ("a", "b", "want"),
    [
        (Bound.MEASURED, Bound.MEASURED, DeltaBound.MEASURED),
        (Bound.MEASURED, Bound.UPPER, DeltaBound.UPPER),
        (Bound.LOWER, Bound.MEASURED, DeltaBound.UPPER),
        (Bound.UPPER, Bound.MEASURED, DeltaBound.LOWER),
        (Bound.MEASURED, Bound.LOWER, DeltaBound.LOWER),
        (Bound.UPPER, Bound.UPPER, DeltaBound.NONE),
        (Bound.LOWER, Bound.LOWER, DeltaBound.NONE),
    ],
)
def test_delta_bound_table(a: Bound, b: Bound, want: DeltaBound) -> None:
    assert delta_bound(a, b) is want


def test_an_emission_below_the_window_on_one_side_still_pairs(
    tmp_path: Path, csv_writer: CsvWriter
) -> None:
    # 204 MHz: A 35.0 (8.5 dB under), B 30.0 (13.5 dB under, outside a 10 dB window)
    a = csv_writer(tmp_path / "a.csv", {"QP": {204e6: 35.0}}, grid=RADIATED, unit="dBuV/m")
    b = csv_writer(tmp_path / "b.csv", {"QP": {204e6: 30.0}}, grid=RADIATED, unit="dBuV/m")
    res = _run(
        "compare",
        str(a),
        str(b),
        "--limit",
        "fcc-15.109-b",
        "--distance",
        "3",
        "--window",
        "10",
        "-o",
        "json",
    )
    doc = json.loads(res.output)
    assert doc["only_in_a"] == [] and doc["only_in_b"] == []
    assert [(p["frequency_hz_a"], p["delta_db"]) for p in doc["pairs"]] == [(204e6, -5.0)]


#: A narrow final-measurement grid around 102 MHz, on the 60 kHz grid from 30 MHz. [Hz]
FINAL_102M = (101.04e6, 102.96e6, 60e3, 120e3)


def _pooled_sides(tmp_path: Path, csv_writer: CsvWriter) -> tuple[list[Path], list[Path]]:
    """Each side: a peak prescan over 30-400 MHz plus a QP final measurement around 102 MHz."""
    sides: list[list[Path]] = []
    for name, qp in (("a", 40.0), ("b", 36.0)):
        prescan = csv_writer(
            tmp_path / f"{name}_scan.csv",
            {"Peak": {102e6: qp + 2.0}},
            grid=RADIATED,
            unit="dBuV/m",
        )
        final = csv_writer(
            tmp_path / f"{name}_qp.csv", {"QP": {102e6: qp}}, grid=FINAL_102M, unit="dBuV/m"
        )
        sides.append([prescan, final])
    return sides[0], sides[1]


def _pooled_json(a: list[Path], b: list[Path]) -> dict[str, Any]:
    args = [w for p in a for w in ("-a", str(p))] + [w for p in b for w in ("-b", str(p))]
    res = _run("compare", *args, "--limit", "fcc-15.109-b", "--distance", "3", "-o", "json")
    assert res.exit_code == 0, res.output
    doc: dict[str, Any] = json.loads(res.output)
    return doc


def test_pooled_sides_a_qp_final_settles_the_peak_prescan(
    tmp_path: Path, csv_writer: CsvWriter
) -> None:
    a, b = _pooled_sides(tmp_path, csv_writer)
    doc = _pooled_json(a, b)
    [pair] = doc["pairs"]
    # the QP files settle both peaks (42.0 and 38.0): 36.0 - 40.0 is a measured ΔQP
    assert (pair["detector_a"], pair["bound_a"], pair["level_a"]) == (
        "quasi-peak",
        "measured",
        40.0,
    )
    assert (pair["detector_b"], pair["bound_b"], pair["level_b"]) == (
        "quasi-peak",
        "measured",
        36.0,
    )
    assert (pair["frequency_hz_a"], pair["delta_db"], pair["bound"]) == (102e6, -4.0, "measured")
    assert pair["margin_db_b"] == pytest.approx(LIMIT_102M - 36.0, abs=0.01)
    assert doc["a"]["path"] == f"{a[0]} + {a[1]}"
    assert doc["a"]["worst_margin_db"] == pytest.approx(LIMIT_102M - 40.0, abs=0.01)
    assert doc["only_in_a"] == [] and doc["only_in_b"] == []


def test_prescans_alone_give_no_measured_delta(tmp_path: Path, csv_writer: CsvWriter) -> None:
    a, b = _pooled_sides(tmp_path, csv_writer)
    [pair] = _pooled_json(a[:1], b[:1])["pairs"]
    # peak against peak for a QP line: both are upper bounds, the difference is no bound at all
    assert (pair["bound_a"], pair["bound_b"], pair["bound"]) == (
        "upper bound",
        "upper bound",
        "none",
    )


def test_pooled_side_with_an_unreadable_member(tmp_path: Path, csv_writer: CsvWriter) -> None:
    a, b = _pooled_sides(tmp_path, csv_writer)
    bad = tmp_path / "bad.csv"
    bad.write_text("nothing here\n", encoding="ascii")
    args = ["-a", str(a[0]), "-a", str(bad), "-b", str(b[0]), "-b", str(b[1])]
    res = _run("compare", *args, "--limit", "fcc-15.109-b", "--distance", "3")
    assert res.exit_code == 3
    assert res.output == (
        f"rfcheck: error: {bad}: unrecognised capture format (first line 'nothing here'); "
        "name it with --format (see 'rfcheck formats')\n"
    )


#: A side's captures stating one distance and none: ``check --combine`` and ``compare`` alike.
CANNOT_POOL = (
    "Error: cannot combine {0} (fcc-15.109-b at 3 m) with {1} (fcc-15.109-b): combined files "
    "must be judged against the same limits and distance (one port / polarisation)"
)


@pytest.mark.parametrize("command", ["check", "compare"])
def test_captures_at_distances_that_cannot_be_pooled_are_a_usage_error_in_check_and_compare(
    tmp_path: Path, csv_writer: CsvWriter, command: str
) -> None:
    """A prescan a rule places at the table's 3 m and a final measurement stating no distance.

    The two cannot be judged as one measurement (a distance stated for one and not for the
    other), and both commands refuse them before reading them: exit 2 (usage), as the
    README's exit codes give for ``check --combine``, with the same line. ``compare``
    exited 3 (an input error) for them.
    """
    a, b = _pooled_sides(tmp_path, csv_writer)
    setup = tmp_path / "setup.toml"
    setup.write_text(
        '[check]\nlimits = ["fcc-15.109-b"]\n\n[[rule]]\nmatch = "a_scan.csv"\ndistance_m = 3\n',
        encoding="ascii",
    )
    if command == "check":
        args = ["check", "--combine", str(a[0]), str(a[1])]
    else:
        args = ["compare", "-a", str(a[0]), "-a", str(a[1]), "-b", str(b[0])]
    res = _run(*args, "--setup", str(setup))
    assert res.exit_code == 2
    assert res.stdout == ""
    assert CANNOT_POOL.format(a[0], a[1]) in res.stderr.splitlines()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["x.csv"],
            "Error: give two captures A B (got 1), or pooled sets with -a FILE ... -b FILE ...",
        ),
        (
            ["-a", "x.csv"],
            "Error: give two captures A B, or pooled sets with -a FILE ... -b FILE ...",
        ),
        (
            ["x.csv", "y.csv", "-a", "z.csv"],
            "Error: give the captures either as A B or with -a/-b, not both",
        ),
    ],
)
def test_compare_needs_two_sides(args: list[str], message: str) -> None:
    res = _run("compare", *args, "--limit", "fcc-15.109-b")
    assert res.exit_code == 2
    assert message in res.output.splitlines()


def test_compare_pdf_is_a_styled_report(tmp_path: Path, csv_writer: CsvWriter) -> None:
    from pypdf import PdfReader

    a, b = _pair(tmp_path, csv_writer)
    out = tmp_path / "out"
    args = ["compare", str(a), str(b), "--limit", "fcc-15.109-b", "--distance", "3"]
    res = _run(*args, "--names", "before,after", "--report", "pdf", "--out", str(out))
    assert res.exit_code == 0
    data = (out / "compare.pdf").read_bytes()
    reader = PdfReader(out / "compare.pdf")
    assert (
        reader.metadata is not None and reader.metadata.title == "rfcheck compare: after vs before"
    )
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "rfcheck pre-compliance analysis \u2014 not an accredited test report" in text
    assert "page 1" in text
    assert "after: -4.00 dB at 102.06 MHz, now +7.52 dB under the QP limit" in text
    # the report faces (DejaVu, embedded as subsets), as in the check and dossier PDFs
    fonts = set(re.findall(rb"/BaseFont /[A-Z]{6}\+(DejaVuSans\w*)", data))
    assert fonts == {b"DejaVuSans", b"DejaVuSansMono"}


def _sha(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_compare_json_lists_both_captures_with_their_sha256_and_a_report_id(
    tmp_path: Path, csv_writer: CsvWriter
) -> None:
    from rfcheck.report_id import InputFile, report_id

    a, b = _pair(tmp_path, csv_writer)
    doc = _compare_json(a, b)
    captures = [(i["path"], i["sha256"]) for i in doc["inputs"] if i["role"] == "capture"]
    assert captures == [(str(a), _sha(a)), (str(b), _sha(b))]
    limits = [i["path"] for i in doc["inputs"] if i["role"] == "limit"]
    assert limits == ["rfcheck.limit_tables/fcc-15.109-b.toml"]
    assert doc["settings"]["compare"] == {"a": [str(a)], "b": [str(b)], "window_db": 20.0}
    files = [InputFile(path=i["path"], sha256=i["sha256"], role=i["role"]) for i in doc["inputs"]]
    again = report_id(files, doc["settings"], version=doc["rfcheck_version"])
    assert doc["report_id"] == again.as_dict()
    assert re.fullmatch("RFC-[0-9A-F]{20}", doc["report_id"]["id"])
    # one byte more in B: another id
    b.write_text(b.read_text(encoding="ascii") + "\n", encoding="ascii")
    assert _compare_json(a, b)["report_id"]["id"] != doc["report_id"]["id"]
    # the sides swapped: another comparison, another id
    assert _compare_json(b, a)["report_id"]["id"] != _compare_json(a, b)["report_id"]["id"]


def test_compare_csv_carries_the_report_id_on_every_row(
    tmp_path: Path, csv_writer: CsvWriter
) -> None:
    a, b = _pair(tmp_path, csv_writer)
    rid = _compare_json(a, b)["report_id"]["id"]
    res = _run("compare", str(a), str(b), "--limit", "fcc-15.109-b", "--distance", "3", "-o", "csv")
    rows = res.output.splitlines()
    assert rows[0].endswith(",bound_a,bound_b,report_id,distance_m")
    assert len(rows) == 4 and all(r.endswith(f",{rid},3.0") for r in rows[1:])


def test_compare_pdf_and_html_carry_the_report_id_and_the_provenance(
    tmp_path: Path, csv_writer: CsvWriter
) -> None:
    from pypdf import PdfReader

    a, b = _pair(tmp_path, csv_writer)
    setup = tmp_path / "s<b>.toml"
    setup.write_text('[check]\nlimits = ["fcc-15.109-b"]\ndistance_m = 3\n', encoding="ascii")
    out = tmp_path / "out"
    args = ["compare", str(a), str(b), "--setup", str(setup)]
    res = _run(*args, "--report", "pdf,html,json", "--out", str(out))
    assert res.exit_code == 0
    doc = json.loads((out / "compare.json").read_text(encoding="utf-8"))
    assert {"role": "setup", "path": str(setup), "sha256": _sha(setup)} in doc["inputs"]
    rid = doc["report_id"]["id"]
    page = (out / "compare.html").read_text(encoding="utf-8")
    assert f"<p>Report {rid}</p>" in page
    assert "<h2>Provenance</h2>" in page
    for i in doc["inputs"]:
        assert f"<code>{i['sha256']}</code>" in page
    assert "<b>" not in page and "s&lt;b&gt;.toml" in page
    reader = PdfReader(out / "compare.pdf")
    assert f"Report {rid}" in reader.pages[0].extract_text()
    flat = re.sub(r"\s+", "", "".join(p.extract_text() for p in reader.pages))
    for i in doc["inputs"]:
        assert i["sha256"] in flat


def test_compare_reports_record_the_command_with_the_options_that_decide_it(
    tmp_path: Path, csv_writer: CsvWriter
) -> None:
    """The JSON and the PDF header hold the command as typed, its --limit and --names included."""
    import shlex

    from pypdf import PdfReader

    a, b = _pair(tmp_path, csv_writer)
    out = tmp_path / "out"
    args = [
        "compare", str(a), str(b), "--limit", "fcc-15.109-b", "--distance", "3",
        "--names", "before,after", "--window", "10", "--report", "pdf,json", "--out", str(out),
    ]  # fmt: skip
    res = _run(*args)
    assert res.exit_code == 0
    typed = shlex.join(["rfcheck", *args])
    doc = json.loads((out / "compare.json").read_text(encoding="utf-8"))
    assert doc["command"] == typed
    first_page = re.sub(r"\s+", "", PdfReader(out / "compare.pdf").pages[0].extract_text())
    assert re.sub(r"\s+", "", typed) in first_page


def test_compare_json_names_its_sides(tmp_path: Path, csv_writer: CsvWriter) -> None:
    """compare.json and -o json carry the --names of both sides (default A and B)."""
    a, b = _pair(tmp_path, csv_writer)
    base = ["compare", str(a), str(b), "--limit", "fcc-15.109-b", "--distance", "3"]
    res = _run(*base, "-o", "json", "--names", "before,after <b>")
    assert res.exit_code == 0
    assert json.loads(res.output)["names"] == {"a": "before", "b": "after <b>"}
    res = _run(*base, "-o", "json")
    assert json.loads(res.output)["names"] == {"a": "A", "b": "B"}


def test_close_emissions_of_one_capture_stay_separate_rows(
    tmp_path: Path, csv_writer: CsvWriter
) -> None:
    """Two emissions 20 kHz apart, and two exactly one tolerance (10 kHz) apart, stay two rows.

    9 kHz RBW, 5 kHz steps: the tolerance is 10 kHz. Peaks of one capture are merged only
    within half of it (the same emission seen by several detectors), so each emission pairs
    with its own counterpart, closest first.
    """
    freqs = (1.00e6, 1.02e6, 5.00e6, 5.01e6)

    def columns(levels: tuple[float, ...]) -> dict[str, dict[float, float]]:
        av = dict(zip(freqs, levels, strict=True))
        return {"QP": {f: v + 3.0 for f, v in av.items()}, "CAVG": av}

    a = csv_writer(tmp_path / "a.csv", columns((42.0, 42.0, 42.0, 42.0)))
    # within 1 dB of each other, lines 10 kHz apart are still resolved under a 9 kHz RBW
    b = csv_writer(tmp_path / "b.csv", columns((43.0, 41.0, 42.5, 41.5)))
    res = _run("compare", str(a), str(b), "--limit", "fcc-15.107-b", "-o", "json")
    assert res.exit_code == 0
    doc = json.loads(res.output)
    assert doc["tolerance_hz"] == 10000.0
    rows = [
        (p["frequency_hz_a"], p["frequency_hz_b"], p["delta_db"])
        for p in doc["pairs"]
        if p["line"] == "AV"
    ]
    assert rows == [
        (1.00e6, 1.00e6, 1.0),
        (1.02e6, 1.02e6, -1.0),
        (5.00e6, 5.00e6, 0.5),
        (5.01e6, 5.01e6, -0.5),
    ]
    assert doc["only_in_a"] == doc["only_in_b"] == []


def _delta_labels(a: list[Path], b: list[Path]) -> list[str]:
    from rfcheck.lot.compare import run_compare
    from rfcheck.lot.overlay_plot import overlay_figure
    from rfcheck.settings import CheckSettings

    s = CheckSettings(limit_ids=("fcc-15.109-b",), distance_m=3.0)
    fig = overlay_figure(run_compare(a, b, s, s))
    return sorted(t.get_text() for t in fig.axes[0].texts)


def _overlay_tick_labels(a: Path, b: Path, limit_id: str) -> list[list[str]]:
    from rfcheck.lot.compare import run_compare
    from rfcheck.lot.overlay_plot import overlay_figure
    from rfcheck.settings import CheckSettings

    s = CheckSettings(limit_ids=(limit_id,), distance_m=3.0)
    fig = overlay_figure(run_compare([a], [b], s, s))
    return [ax.xaxis.get_major_formatter().format_ticks(list(ax.get_xticks())) for ax in fig.axes]


def test_overlay_frequency_axis_has_the_margin_plot_ticks(
    tmp_path: Path, csv_writer: CsvWriter
) -> None:
    """Round band ends labelled in plain MHz (0.15 on a conducted pair; no ``10^0``)."""
    a, b = _pair(tmp_path, csv_writer)  # 30-400.02 MHz: 400.02 is no round end
    radiated = ["30", "50", "100", "200", "300"]
    assert _overlay_tick_labels(a, b, "fcc-15.109-b") == [radiated, radiated]
    lines = {1e6: 40.0, 10e6: 38.0}
    a = csv_writer(tmp_path / "ca.csv", {"QP": lines, "CAVG": lines})
    b = csv_writer(tmp_path / "cb.csv", {"QP": lines, "CAVG": lines})
    conducted = ["0.15", "0.5", "1", "5", "10", "30"]
    assert _overlay_tick_labels(a, b, "fcc-15.107-b") == [conducted, conducted]


def test_overlay_of_one_frequency_labels_its_decades_in_plain_mhz(tmp_path: Path) -> None:
    """Captures of one frequency leave no span: matplotlib's log ticks, read as plain numbers.

    The plots draw text as written (no mathtext), so matplotlib's own ``$10^{0}$`` labels
    would show their markup.
    """
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    for p in (a, b):
        p.write_text("# rbw_hz: 9000\nFrequency (MHz),QP (dBuV)\n1.0,40\n", encoding="ascii")
    for labels in _overlay_tick_labels(a, b, "fcc-15.107-b"):
        assert "1" in labels and "10" in labels
        assert not [lb for lb in labels if "$" in lb]


def test_overlay_labels_a_bounded_delta_as_a_bound_and_no_bound_not_at_all(
    tmp_path: Path, csv_writer: CsvWriter
) -> None:
    a, b = _pair(tmp_path, csv_writer)
    assert _delta_labels([a], [b]) == ["-4.0 dB"]  # measured: QP against QP (204 MHz: +0.5)
    a, b = _pair_b_peak_only(tmp_path, csv_writer)
    # B's peak bounds its QP from above: the change is at most what is shown
    assert _delta_labels([a], [b]) == ["\u2264 +2.5 dB", "\u2264 -2.0 dB"]
    pa, pb = _pooled_sides(tmp_path, csv_writer)
    # peak against peak for a QP line, 4 dB lower: no bound on the QP change, no label
    assert _delta_labels(pa[:1], pb[:1]) == []


def test_overlay_tells_a_sides_traces_apart_by_shade(tmp_path: Path, csv_writer: CsvWriter) -> None:
    """B's QP and AV traces were drawn the same blue: each of a side's traces has a shade."""
    from rfcheck.lot.compare import run_compare
    from rfcheck.lot.overlay_plot import overlay_figure
    from rfcheck.settings import CheckSettings

    lines = {1e6: 40.0, 10e6: 38.0}
    a = csv_writer(tmp_path / "ca.csv", {"QP": lines, "CAVG": lines})
    b = csv_writer(tmp_path / "cb.csv", {"QP": lines, "CAVG": lines})
    s = CheckSettings(limit_ids=("fcc-15.107-b",))
    ax = overlay_figure(run_compare([a], [b], s, s)).axes[0]
    colours = {str(ln.get_label()): ln.get_color() for ln in ax.lines}
    traces = [colours[k] for k in ("A QP", "A AV", "B QP", "B AV")]
    assert len(set(traces)) == 4, colours
    assert (colours["A QP"], colours["B QP"]) == ("#9aa0a6", "#1a73e8")  # each side's colour


def test_overlay_delta_labels_of_close_emissions_do_not_overlap(
    tmp_path: Path, csv_writer: CsvWriter
) -> None:
    """Emissions 2 % apart, each with a QP and an AV delta: labels on none other, nor leaders."""
    from matplotlib.text import Annotation

    from rfcheck.lot.compare import run_compare
    from rfcheck.lot.overlay_plot import overlay_figure
    from rfcheck.report.label_placement import LABEL_GAP_PT, leader_box
    from rfcheck.report.plot_rendering import figure_png
    from rfcheck.settings import CheckSettings

    before = {1.00e6: 42.0, 1.02e6: 42.0, 1.04e6: 42.0}
    after = {1.00e6: 45.0, 1.02e6: 39.5, 1.04e6: 44.0}
    a = csv_writer(
        tmp_path / "a.csv", {"QP": {f: v + 3 for f, v in before.items()}, "CAVG": before}
    )
    b = csv_writer(tmp_path / "b.csv", {"QP": {f: v + 3 for f, v in after.items()}, "CAVG": after})
    s = CheckSettings(limit_ids=("fcc-15.107-b",))
    fig = overlay_figure(run_compare([a], [b], s, s))
    figure_png(fig)  # drawn as saved
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    ax = fig.axes[0]
    boxes = {
        t.get_text() + f"@{t.xy[1]:.1f}": t.get_window_extent(renderer)
        for t in ax.get_children()
        if isinstance(t, Annotation)
    }
    # four of the six: the others have no place clear of the labels, the markers and each
    # pair's change whose leader crosses no other label (the delta panel still shows them)
    shown = sorted(k.split("@")[0] for k in boxes)
    assert len(shown) == 4
    expected = ["+3.0 dB", "+3.0 dB", "-2.5 dB", "-2.5 dB", "+2.0 dB", "+2.0 dB"]
    assert not Counter(shown) - Counter(expected)
    anns = [t for t in ax.get_children() if isinstance(t, Annotation)]
    for ann in anns:
        leader = leader_box(ann, renderer)
        others = [o.get_window_extent(renderer) for o in anns if o is not ann]
        assert leader is None or not any(leader.overlaps(o) for o in others), ann.get_text()
    half = LABEL_GAP_PT / 2 * fig.dpi / 72
    clashes = [
        (p, q)
        for (p, bp), (q, bq) in itertools.combinations(boxes.items(), 2)
        if bp.padded(half).overlaps(bq.padded(half))
    ]
    assert clashes == []
    legend = ax.get_legend()
    assert legend is not None
    assert not any(b.overlaps(legend.get_window_extent(renderer)) for b in boxes.values())


def test_overlay_title_counts_in_words() -> None:
    """One pair read "1 paired readings"."""
    from rfcheck.lot.overlay_plot import _count

    assert _count(1, "paired reading") == "1 paired reading"
    assert _count(0, "paired reading") == "0 paired readings"
    assert _count(2, "paired reading") == "2 paired readings"


def test_overlay_legend_lists_only_the_limit_lines_drawn_in_range(
    tmp_path: Path, csv_writer: CsvWriter
) -> None:
    """A 30-400 MHz pair judged against 47 CFR 15.109(b): its AV and PK lines start at 1 GHz.

    They were listed in the legend (and stretched the level axis to 74 dBµV/m) though never
    seen; the QP line, drawn from 30 MHz, is listed.
    """
    from rfcheck.lot.compare import run_compare
    from rfcheck.lot.overlay_plot import overlay_figure
    from rfcheck.settings import CheckSettings

    a, b = _pair(tmp_path, csv_writer)
    s = CheckSettings(limit_ids=("fcc-15.109-b",), distance_m=3.0)
    result = run_compare([a], [b], s, s)
    assert [pl.line for pl in result.b.limit_lines] == ["QP", "AV", "PK"]
    ax = overlay_figure(result).axes[0]
    legend = ax.get_legend()
    assert legend is not None
    listed = [str(t.get_text()) for t in legend.get_texts()]
    assert [t for t in listed if t.startswith("fcc-")] == ["fcc-15.109-b QP"]
    drawn = [str(ln.get_label()) for ln in ax.lines if str(ln.get_label()).startswith("fcc-")]
    assert drawn == ["fcc-15.109-b QP"]
    assert ax.get_ylim()[1] < 60.0  # the 74 dBµV/m PK line no longer sets the top


def test_a_limit_line_only_touching_the_plotted_range_is_not_drawn() -> None:
    import numpy as np

    from rfcheck.lot.overlay_plot import _drawn_limits
    from rfcheck.plotted import PlotLimit

    def line(name: str, lo_hz: float, hi_hz: float) -> PlotLimit:
        f = np.array([lo_hz, hi_hz])
        return PlotLimit("x", name, "quasi-peak", f, np.array([40.0, 40.0]), "dBµV")

    lines = (line("in", 1e6, 5e6), line("at", 30e6, 1e9), line("across", 1e5, 1e9))
    assert [pl.line for pl in _drawn_limits(lines, (150e3, 30e6))] == ["in", "across"]
    assert [pl.line for pl in _drawn_limits(lines, None)] == ["in", "at", "across"]


def test_overlay_figure_escapes_untrusted_names(
    tmp_path: Path, csv_writer: Callable[..., Path]
) -> None:
    """A side's name with U+202E / U+200B reversed the title and axis label."""
    from rfcheck.lot.compare import run_compare
    from rfcheck.lot.overlay_plot import overlay_figure
    from rfcheck.settings import CheckSettings

    a, b = _pair(tmp_path, csv_writer)
    s = CheckSettings(limit_ids=("fcc-15.109-b",), distance_m=3.0)
    fig = overlay_figure(run_compare([a], [b], s, s), ("bef\u200bore", "af\u202eter"))
    ax, axd = fig.axes
    legend = ax.get_legend()
    assert legend is not None
    texts = [t.get_text() for t in (*legend.get_texts(), ax.title, axd.yaxis.label)]
    assert not any("\u202e" in t or "\u200b" in t for t in texts)
    assert any("af\\u202eter vs bef\\u200bore" in t for t in texts)
    assert "af\\u202eter − bef\\u200bore [dB]" in texts


def test_the_difference_panel_legend_names_the_pair_deltas(
    tmp_path: Path, csv_writer: CsvWriter
) -> None:
    """The large dots (each pair's delta; x for a bound) were not in the legend."""
    from rfcheck.lot.compare import run_compare
    from rfcheck.lot.overlay_plot import overlay_figure
    from rfcheck.settings import CheckSettings

    s = CheckSettings(limit_ids=("fcc-15.109-b",), distance_m=3.0)
    a, b = _pair(tmp_path, csv_writer)
    legend = overlay_figure(run_compare([a], [b], s, s)).axes[1].get_legend()
    assert legend is not None
    assert "pair delta" in [t.get_text() for t in legend.get_texts()]
    a, b = _pair(tmp_path, csv_writer, a_peak_only=True)  # A's peak bounds B's QP: a bound
    legend = overlay_figure(run_compare([a], [b], s, s)).axes[1].get_legend()
    assert legend is not None
    assert "pair delta (a bound)" in [t.get_text() for t in legend.get_texts()]


def test_a_side_whose_readings_bound_nothing_says_so(tmp_path: Path) -> None:
    """QP files stating no RBW, 4 dB over the line: "0 line readings", no word why."""
    paths = []
    for name, level in (("a", 60.0), ("b", 59.0)):
        p = tmp_path / f"{name}.csv"
        p.write_text(
            f"# detector: quasi-peak\nFrequency (MHz),QP (dBuV)\n0.4,40\n0.5,{level}\n0.6,40\n",
            encoding="ascii",
        )
        paths.append(str(p))
    res = _run("compare", *paths, "--limit", "fcc-15.107-b")
    assert res.exit_code == 0
    assert res.stdout.count("no emission listed: its readings bound no level") == 2
    for name, level in zip(paths, (40.0, 40.0), strict=True):  # 1 kHz RBW, under the line:
        Path(name).write_text(  # lower bounds, which the note must not deny
            "# rbw_hz: 1000\n# detector: quasi-peak\nFrequency (MHz),QP (dBuV)\n"
            f"0.4,{level}\n0.5,{level}\n0.6,{level}\n",
            encoding="ascii",
        )
    res = _run("compare", *paths, "--limit", "fcc-15.107-b")
    assert "worst margin ≤" in res.stdout and "no emission listed" not in res.stdout


def test_compare_matches_the_setups_rules_as_check_does(
    tmp_path: Path, csv_writer: CsvWriter, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A capture outside the setup's folder is matched relative to the working directory.

    ``check`` reads a ``[[rule]]`` glob against the path relative to the setup's folder, else
    to the working directory; ``compare`` matched it only inside the setup's folder, so the
    same capture given by its absolute path got another rule (here: none, so no limit).
    """
    caps = tmp_path / "caps" / "u1"
    caps.mkdir(parents=True)
    a, b = _pair(caps, csv_writer)
    setups = tmp_path / "setups"
    setups.mkdir()
    setup = setups / "s.toml"
    setup.write_text(
        '[[rule]]\nmatch = "caps/**"\nlimits = ["fcc-15.109-b"]\ndistance_m = 3\n',
        encoding="ascii",
    )
    monkeypatch.chdir(tmp_path)
    check = _run("check", str(a.resolve()), "--setup", str(setup), "-o", "json")
    assert [lim["id"] for lim in json.loads(check.stdout)["captures"][0]["limits"]] == [
        "fcc-15.109-b"
    ]
    res = _run("compare", str(a.resolve()), str(b.resolve()), "--setup", str(setup), "-o", "json")
    assert res.exit_code == 0, res.output
    assert "fcc-15.109-b" in json.dumps(json.loads(res.output))


def test_compare_names_the_decision_rule_and_each_sides_effective_margin(
    tmp_path: Path, csv_writer: CsvWriter
) -> None:
    """A side read 'FAIL, worst margin +...' with no rule named.

    U_lab 11.0 dB against U_cispr 6.3 dB (30-1000 MHz) adds 4.70 dB to every reading: each
    side's effective margin is its worst margin less 4.70 dB.
    """
    a, b = _pair(tmp_path, csv_writer)
    setup = tmp_path / "setup.toml"
    setup.write_text('[check]\ndecision_rule = "cispr16-4-2"\n[test]\nu_lab_db = 11.0\n')
    args = ["compare", str(a), str(b), "--limit", "fcc-15.109-b", "--distance", "3"]
    res = _run(*args, "--setup", str(setup))
    assert "judged under decision rule cispr16-4-2 (U_lab - U_cispr" in res.output
    assert "U_cispr values are UNCONFIRMED" in res.output
    doc = json.loads(_run(*args, "--setup", str(setup), "-o", "json").output)
    side = doc["b"]
    effective = side["worst_effective_margin_db"]
    assert effective == round(side["worst_margin_db"] - 4.7, 2)
    assert f"decision rule: effective margin {effective:+.2f} dB" in res.output
    # under simple: neither the note nor the key
    plain = json.loads(_run(*args, "-o", "json").output)
    assert "worst_effective_margin_db" not in plain["b"]
    assert not any("decision rule" in n for n in plain["notes"])


def test_one_content_on_both_sides_is_said_one_measurement(
    tmp_path: Path, csv_writer: CsvWriter
) -> None:
    """Byte-identical captures A and B compared: a note on stderr and in every report.

    The same SHA-256 on both sides is one measurement filed twice (``lot`` and ``dossier``
    say so too): the comparison shows no change because it is one measurement.
    """
    a, b = _pair(tmp_path, csv_writer)
    copy = tmp_path / "copy.csv"
    copy.write_bytes(a.read_bytes())
    out = tmp_path / "out"
    args = ["compare", str(a), str(copy), "--limit", "fcc-15.109-b", "--distance", "3"]
    res = CliRunner().invoke(
        main, [*args, "--names", "before,after", "--report", "json,html", "--out", str(out)]
    )
    assert res.exit_code == 0, res.output
    sha = hashlib.sha256(a.read_bytes()).hexdigest()
    note = (
        f"before ({a.as_posix()}) and after ({copy.as_posix()}) are one content (SHA-256 {sha}): "
        "one measurement on both sides, not two, so the comparison can show no change from it; "
        "compare two measurements"
    )
    assert f"rfcheck: note: {note}" in res.stderr.splitlines()
    assert f"Note: {note}" in res.stdout.splitlines()
    assert note in json.loads((out / "compare.json").read_text("utf-8"))["notes"]
    assert "one measurement on both sides" in (out / "compare.html").read_text("utf-8")
    # two measurements: no such note
    other = CliRunner().invoke(main, ["compare", str(a), str(b), *args[3:]])
    assert other.exit_code == 0 and "one content" not in other.output + other.stderr
