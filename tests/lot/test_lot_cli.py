"""Tests of ``rfcheck lot``.

``rfcheck lot``: the statistics fail where x̄ + k·S_n crosses the limit and only there; the odd unit
is flagged with the frequency that differs; exit codes 0/1/2/4/5.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from rfcheck.cli import main

LotWriter = Callable[[Path, Mapping[str, Mapping[float, float]]], Path]

#: AV levels of five identical units [dBµV]: a 100 kHz comb plus lines at 1, 2 and 3 MHz.
#: At 2 MHz: x̄ = 44, S_n = √2.5 = 1.5811, k(5) = 1.5139 -> 46.39 > 46 (AV limit): FAIL,
#: though no unit is over the limit. At 1 MHz: 37 + 1.5139·0.7906 = 38.20: PASS.
AT_1M = (36.0, 37.0, 38.0, 36.5, 37.5)
AT_2M = (42.0, 44.0, 46.0, 43.0, 45.0)
AT_3M = (30.0, 30.5, 31.0, 31.5, 32.0)


def _comb(f0: float, base: float) -> dict[float, float]:
    return {n * f0: base - 2.0 * n for n in range(2, 9)}


def _units(n: int = 5, odd: str | None = None) -> dict[str, dict[float, float]]:
    out = {}
    for i in range(n):
        name = f"u{i + 1}"
        levels = _comb(115e3 if name == odd else 100e3, 46.0)
        levels.update({1e6: AT_1M[i % 5], 2e6: AT_2M[i % 5], 3e6: AT_3M[i % 5]})
        out[name] = levels
    return out


def _run(*args: str) -> Any:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def _lot_json(folder: Path, setup: Path, golden: str = "u1") -> tuple[int, dict[str, Any]]:
    res = _run("lot", str(folder), "--golden", golden, "--setup", str(setup), "-o", "json")
    return res.exit_code, json.loads(res.stdout)


def test_lot_fails_at_the_one_frequency_and_only_there(
    tmp_path: Path, lot_writer: LotWriter
) -> None:
    setup = lot_writer(tmp_path, _units())
    code, doc = _lot_json(tmp_path, setup)
    assert code == 1
    assert doc["verdict"] == "FAIL"
    failing = [s for s in doc["statistics"] if s["verdict"] != "PASS"]
    assert [(s["frequency_hz"], s["line"]) for s in failing] == [(2e6, "AV")]
    row = failing[0]
    assert (row["method"], row["n"], row["k"]) == ("non-central t", 5, 1.52)  # the published table
    assert (row["mean"], row["s_n"], row["limit"]) == (44.0, 1.58, 46.0)
    assert row["value"] == pytest.approx(46.40, abs=0.01)  # 44 + 1.52 × 1.581
    assert row["margin_db"] == pytest.approx(-0.40, abs=0.01)
    assert row["over_limit"] == 0
    at_1m = next(s for s in doc["statistics"] if s["frequency_hz"] == 1e6 and s["line"] == "AV")
    assert at_1m["verdict"] == "PASS" and at_1m["value"] == pytest.approx(38.20, abs=0.01)
    assert all(u["identical"] for u in doc["units"])


def test_two_close_emissions_of_one_capture_are_two_statistic_rows(
    tmp_path: Path, lot_writer: LotWriter
) -> None:
    """Lines at 1.000 and 1.010 MHz (one 10 kHz tolerance apart) in every unit: two rows.

    The frequencies of all units were merged within the tolerance, so each unit's second
    line joined its first: the 1.010 MHz row was missing. A row takes one emission per unit.
    """
    at_1000 = (40.0, 40.3, 40.6, 40.9, 41.2)
    at_1010 = (40.5, 40.3, 40.1, 39.9, 39.7)
    units = {f"u{i + 1}": {1.000e6: at_1000[i], 1.010e6: at_1010[i], 2e6: 38.0} for i in range(5)}
    setup = lot_writer(tmp_path, units)
    code, doc = _lot_json(tmp_path, setup)
    assert code == 0
    rows = [(s["frequency_hz"], s["line"], s["n"]) for s in doc["statistics"]]
    assert rows == [(1.000e6, "AV", 5), (1.010e6, "AV", 5), (2e6, "AV", 5)]
    means = [s["mean"] for s in doc["statistics"][:2]]
    assert means == [pytest.approx(40.6, abs=0.02), pytest.approx(40.1, abs=0.02)]


def test_lot_json_keys(tmp_path: Path, lot_writer: LotWriter) -> None:
    setup = lot_writer(tmp_path, _units())
    _, doc = _lot_json(tmp_path, setup)
    assert {"golden", "units", "statistics", "verdict"} <= set(doc)
    assert doc["golden"] == "u1"
    assert {"unit", "identical", "flags", "worst_margin_db"} <= set(doc["units"][0])
    assert {
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
    } <= set(doc["statistics"][0])
    assert doc["statistics"][0]["port"] == "L1"


def test_odd_unit_flagged_with_the_frequency_that_differs(
    tmp_path: Path, lot_writer: LotWriter
) -> None:
    units = _units(odd="u4")
    for u in units.values():  # a lot that passes the statistics
        u[2e6] -= 3.0
    setup = lot_writer(tmp_path, units)
    code, doc = _lot_json(tmp_path, setup)
    assert code == 4
    assert doc["verdict"] == "INCONCLUSIVE"
    odd = next(u for u in doc["units"] if u["unit"] == "u4")
    assert odd["identical"] is False
    assert any("harmonic family at 0.115 MHz" in f for f in odd["flags"])
    assert any("golden harmonic family at 0.1 MHz" in f for f in odd["flags"])
    assert [u["unit"] for u in doc["units"] if not u["identical"]] == ["u4"]
    assert any(
        "left out (a reading shows a difference from the golden unit, so not shown identical; "
        "still a unit of this lot, its own verdict counts): u4 (L1: " in n
        for n in doc["notes"]
    )
    assert {s["n"] for s in doc["statistics"]} == {4}
    assert all(s["verdict"] == "PASS" for s in doc["statistics"])


def test_text_names_the_unit_not_shown_identical(tmp_path: Path, lot_writer: LotWriter) -> None:
    setup = lot_writer(tmp_path, _units(odd="u4"))
    res = _run("lot", str(tmp_path), "--golden", "u1", "--setup", str(setup))
    assert "Not shown identical to the tested sample (47 CFR 2.906(b), 2.908): u4" in res.output
    assert "k for the n used: n = 4: k = 1.69 (published table)" in res.output


def test_statistics_table_headers_carry_the_level_unit(
    tmp_path: Path, lot_writer: LotWriter
) -> None:
    setup = lot_writer(tmp_path, _units())
    lines = _run("lot", str(tmp_path), "--golden", "u1", "--setup", str(setup)).output.splitlines()
    head = next(i for i, ln in enumerate(lines) if ln.startswith("   PORT  LINE"))
    assert lines[head].split() == [
        "PORT", "LINE", "FREQ", "METHOD", "N", "K", "MEAN", "S_N", "X+kS", "LIMIT", "MARGIN",
        "VERDICT",
    ]  # fmt: skip
    assert lines[head + 1].split() == ["[dBµV]", "[dB]", "[dBµV]", "[dBµV]", "[dB]"]
    # each unit sits under its column's right edge
    for name, unit in (("MEAN", "[dBµV]"), ("S_N", "[dB]"), ("LIMIT", "[dBµV]")):
        right = lines[head].index(name) + len(name)
        assert lines[head + 1][right - len(unit) : right] == unit
    row = next(ln for ln in lines if " 2 MHz" in ln and " AV " in ln)
    mean = lines[head].index("MEAN") + len("MEAN")  # right-aligned under its header, 0.01 dB
    assert row[mean - 5 : mean] == "44.00"


def test_statistics_table_widens_for_a_long_port_name(
    tmp_path: Path, lot_writer: LotWriter
) -> None:
    """A port named from a long file name does not run into the LINE column."""
    setup = lot_writer(tmp_path, _units())
    for f in tmp_path.glob("u*_L1.csv"):
        f.rename(f.with_name(f.stem + "_prescan_hv.csv"))
    lines = _run("lot", str(tmp_path), "--golden", "u1", "--setup", str(setup)).output.splitlines()
    head = next(ln for ln in lines if ln.startswith("   PORT"))
    row = next(ln for ln in lines if " 2 MHz" in ln and " AV " in ln)
    assert row.startswith("   L1_prescan_hv  fcc-15.107-b AV")
    assert head.index("LINE") == row.index("fcc-15.107-b")
    assert row[head.index("MEAN") - 1 : head.index("MEAN") + 4] == "44.00"


def test_unit_table_widens_for_a_long_unit_name(tmp_path: Path, lot_writer: LotWriter) -> None:
    """A unit named from a long file name does not run into the SERIAL column."""
    long = "\u00fc2<script>alert(1)<\\script>"
    units = _units()
    units[long] = units.pop("u2")
    setup = lot_writer(tmp_path, units)
    setup.write_text(
        setup.read_text(encoding="ascii").replace("u[0-9]+", "[^_]+"), encoding="ascii"
    )
    lines = _run("lot", str(tmp_path), "--golden", "u1", "--setup", str(setup)).output.splitlines()
    head = next(ln for ln in lines if ln.startswith("   UNIT"))
    row = next(ln for ln in lines if ln.startswith(f"   {long}"))
    assert row.startswith(f"   {long}  MISSING   yes        ")
    assert head.index("SERIAL") == row.index("MISSING")
    assert head.index("IDENTICAL") == row.index("yes")
    assert head.index("VERDICT") == row.index("PASS")


def test_method_line_does_not_read_as_units_tested(tmp_path: Path, lot_writer: LotWriter) -> None:
    setup = lot_writer(tmp_path, _units(odd="u4"))
    res = _run("lot", str(tmp_path), "--golden", "u1", "--setup", str(setup))
    assert (
        "   method: non-central t at 5 frequencies (the t method where a Shapiro-Wilk test, "
        "5 % family-wise, does not reject normality; otherwise the binomial method, which needs "
        "at least 7 units; this lot has 4 in the statistics)"
    ) in res.output.splitlines()
    assert "from 7 units" not in res.output


def test_too_few_units(tmp_path: Path, lot_writer: LotWriter) -> None:
    setup = lot_writer(tmp_path, _units(n=2))
    code, doc = _lot_json(tmp_path, setup)
    assert code == 5
    assert doc["verdict"] == "INCOMPLETE"
    assert (
        "too few units for the 80/80 rule: 2 shown identical to the golden unit (at least "
        "3 needed; the binomial method needs 7): not a pass"
    ) in doc["notes"]
    # no k where the t method is not applied: not in the notes, the JSON or the table
    assert not any(n.startswith("k for the n used") for n in doc["notes"])
    assert {s["method"] for s in doc["statistics"]} == {"none"}
    assert {s["k"] for s in doc["statistics"]} == {None}
    res = _run("lot", str(tmp_path), "--golden", "u1", "--setup", str(setup))
    assert "k =" not in res.output and "(computed)" not in res.output
    row = next(r for r in res.output.splitlines() if r.startswith("   L1 ") and " 2 MHz " in r)
    assert row.split()[5:8] == ["none", "2", "-"], row  # METHOD, N, K


def test_unknown_golden_unit_is_a_usage_error(tmp_path: Path, lot_writer: LotWriter) -> None:
    setup = lot_writer(tmp_path, _units(n=3))
    res = _run("lot", str(tmp_path), "--golden", "u9", "--setup", str(setup))
    assert res.exit_code == 2
    assert f"golden unit 'u9' not found in {tmp_path} (units: u1, u2, u3)" in res.output


def test_setup_without_group_pattern(tmp_path: Path, lot_writer: LotWriter) -> None:
    lot_writer(tmp_path, _units(n=3))
    setup = tmp_path / "plain.toml"
    setup.write_text('[check]\nlimits = ["fcc-15.107-b"]\n', encoding="ascii")
    res = _run("lot", str(tmp_path), "--golden", "u1", "--setup", str(setup))
    assert res.exit_code == 3
    assert "the setup has no [batch] group_pattern" in res.output


def test_two_captures_naming_one_port_of_a_unit_are_an_error(
    tmp_path: Path, lot_writer: LotWriter
) -> None:
    setup = lot_writer(tmp_path, _units(n=3))
    (tmp_path / "rerun").mkdir()
    (tmp_path / "rerun" / "u2_L1.csv").write_bytes((tmp_path / "u2_L1.csv").read_bytes())
    res = _run("lot", str(tmp_path), "--golden", "u1", "--setup", str(setup))
    assert res.exit_code == 3  # as for a setup that cannot tell the units apart
    assert (
        "unit 'u2': rerun/u2_L1.csv and u2_L1.csv both name port 'L1'" in res.output
        or "unit 'u2': u2_L1.csv and rerun/u2_L1.csv both name port 'L1'" in res.output
    ), res.output


def test_unreadable_unit_capture(tmp_path: Path, lot_writer: LotWriter) -> None:
    setup = lot_writer(tmp_path, _units(n=3))
    (tmp_path / "u3_L1.csv").write_text("garbage\n", encoding="ascii")
    code, doc = _lot_json(tmp_path, setup)
    assert code == 3
    bad = next(u for u in doc["units"] if u["unit"] == "u3")
    assert bad["verdict"] == "ERROR" and bad["identical"] is False
    assert any("u3_L1.csv" in f for f in bad["flags"])
    # left out as unreadable, not called different (it was never compared)
    assert not any("a reading shows a difference" in n for n in doc["notes"])
    unread = "left out (a capture could not be read or judged, so not compared): u3"
    assert any(n.endswith(unread) for n in doc["notes"])


def test_unreadable_unit_capture_is_named_with_its_line(
    tmp_path: Path, lot_writer: LotWriter
) -> None:
    setup = lot_writer(tmp_path, _units(n=3))
    good = (tmp_path / "u3_L1.csv").read_text(encoding="ascii").splitlines()
    (tmp_path / "u3_L1.csv").write_text("\n".join(good[:10]) + "\n150.0,1\n", encoding="ascii")
    code, doc = _lot_json(tmp_path, setup)
    assert code == 3
    bad = next(u for u in doc["units"] if u["unit"] == "u3")
    assert bad["flags"] == [
        f"{tmp_path / 'u3_L1.csv'}:11: data: missing value in column 3 (mismatched column count?)"
    ]


def _passing_lot_of_two_ports(folder: Path, lot_writer: LotWriter, without_l2: str) -> Path:
    """Write five identical units passing the 80/80 rule on L1 and L2; one lacks L2.

    Each L2 capture holds its L1 levels as its own file (another dwell line: one content
    under two ports is refused).
    """
    units = _units()
    for u in units.values():
        u[2e6] -= 3.0
    setup = lot_writer(folder, units)
    for name in units:
        if name != without_l2:
            text = (folder / f"{name}_L1.csv").read_text(encoding="ascii")
            (folder / f"{name}_L2.csv").write_text(text.replace("# dwell_s: 1", "# dwell_s: 2"))
    return setup


def test_a_unit_without_a_port_is_incomplete_not_another_build(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, lot_writer: LotWriter
) -> None:
    setup = _passing_lot_of_two_ports(tmp_path, lot_writer, without_l2="u5")
    code, doc = _lot_json(tmp_path, setup)
    assert (code, doc["verdict"]) == (5, "INCOMPLETE")
    u5 = next(u for u in doc["units"] if u["unit"] == "u5")
    assert (u5["verdict"], u5["identical"], u5["identity"]) == ("INCOMPLETE", False, "unknown")
    assert u5["missing_ports"] == ["L2"] and u5["differences"] == []
    assert u5["flags"] == [
        "L2: no capture of this port (the golden unit has one), so identity cannot be shown"
    ]
    assert not any("a reading shows a difference" in n for n in doc["notes"])
    assert "INCOMPLETE: a port of the lot has no capture (missing data): u5 (L2)" in doc["notes"]
    assert all(s["n"] == 4 and s["verdict"] == "PASS" for s in doc["statistics"])
    res = _run("lot", str(tmp_path), "--golden", "u1", "--setup", str(setup))
    assert "   u5          MISSING   unknown    INCOMPLETE " in res.output
    assert "Not shown identical to the tested sample" not in res.output
    assert (
        "Identity cannot be shown (missing data, not a difference: a port's capture missing, "
        "or not read or judged, or no reading where the other unit has a strongest "
        "emission): u5\n"
    ) in res.output
    # the verdict line names the unit and what is missing
    assert res.output.endswith("Verdict: INCOMPLETE (exit 5): u5: no capture of L2\n")
    out = tmp_path_factory.mktemp("reports")  # never inside the lot's DIR
    args = ["lot", str(tmp_path), "--golden", "u1", "--setup", str(setup), "--report", "csv"]
    assert _run(*args, "--out", str(out)).exit_code == 5
    rows = list(csv.DictReader(io.StringIO((out / "lot_units.csv").read_text(encoding="utf-8"))))
    assert [(r["unit"], r["identical"], r["identity"]) for r in rows] == [
        ("u1", "true", "yes"),
        ("u2", "true", "yes"),
        ("u3", "true", "yes"),
        ("u4", "true", "yes"),
        ("u5", "false", "unknown"),
    ]


def test_a_golden_unit_without_a_port_is_incomplete_and_shows_no_unit_different(
    tmp_path: Path, lot_writer: LotWriter
) -> None:
    setup = _passing_lot_of_two_ports(tmp_path, lot_writer, without_l2="u1")
    code, doc = _lot_json(tmp_path, setup)
    assert (code, doc["verdict"]) == (5, "INCOMPLETE")
    golden, *others = doc["units"]
    assert (golden["unit"], golden["verdict"], golden["missing_ports"]) == (
        "u1",
        "INCOMPLETE",
        ["L2"],
    )
    assert golden["flags"] == ["L2: no capture of this port (other units of the lot have one)"]
    for u in others:
        assert (u["verdict"], u["identity"], u["differences"]) == ("PASS", "unknown", [])
        assert u["flags"] == [
            "L2: the golden unit has no capture of this port, so identity cannot be shown"
        ]
    res = _run("lot", str(tmp_path), "--golden", "u1", "--setup", str(setup))
    assert "   u1          MISSING   golden     INCOMPLETE " in res.output
    assert "Not shown identical to the tested sample" not in res.output
    assert "a reading shows a difference" not in res.output
    verdict_line = res.output.splitlines()[-1]
    assert verdict_line.startswith("Verdict: INCOMPLETE (exit 5): u1: no capture of L2 | ")
    from rfcheck.lot import run_lot
    from rfcheck.lot.verdict_text import lot_verdict_lines
    from rfcheck.settings import load_setup

    banner = lot_verdict_lines(run_lot(tmp_path, "u1", load_setup(setup)))
    assert "A port of the lot has no capture (missing data, INCOMPLETE): u1 (L2)" in banner
    assert not any(line.startswith("Not shown identical") for line in banner)


def test_lot_passes_and_writes_reports(tmp_path: Path, lot_writer: LotWriter) -> None:
    units = _units()
    for u in units.values():
        u[2e6] -= 3.0
    lot = tmp_path / "lot"
    setup = lot_writer(lot, units)
    out = tmp_path / "out"
    res = _run(
        "lot",
        str(lot),
        "--golden",
        "u1",
        "--setup",
        str(setup),
        "--report",
        "png,json,csv,html",
        "--out",
        str(out),
    )
    assert res.exit_code == 0
    assert "Verdict: PASS (exit 0)" in res.output
    names = sorted(p.name for p in out.iterdir())
    assert names == ["lot.html", "lot.json", "lot_L1.png", "lot_statistics.csv", "lot_units.csv"]
    assert (out / "lot_L1.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert (out / "lot_statistics.csv").read_text().splitlines()[0].startswith("port,limit_id,line")


def test_lot_pdf_report_is_reproducible(
    tmp_path: Path, lot_writer: LotWriter, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same lot issued at the same time (SOURCE_DATE_EPOCH) gives the same PDF bytes."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1763629200")
    lot = tmp_path / "lot"
    setup = lot_writer(lot, _units(n=3))
    pdfs = []
    out = tmp_path / "out"  # the same command twice (the PDF records the command as typed)
    for _ in range(2):
        res = _run(
            "lot",
            str(lot),
            "--golden",
            "u1",
            "--setup",
            str(setup),
            "--report",
            "pdf",
            "--out",
            str(out),
        )
        assert res.exit_code == 1  # 2 MHz: 44 + 2.04 × 2 = 48.08 > 46 dBµV
        pdfs.append((out / "lot.pdf").read_bytes())
    assert pdfs[0][:5] == b"%PDF-" and pdfs[0] == pdfs[1]


def test_lot_unknown_report_format_exits_2_before_any_work(
    tmp_path: Path, lot_writer: LotWriter
) -> None:
    lot = tmp_path / "lot"
    setup = lot_writer(lot, _units(n=3))
    out = tmp_path / "out"
    args = ["lot", str(lot), "--golden", "u1", "--setup", str(setup)]
    res = _run(*args, "--report", "png,DOCX,txt", "--out", str(out))
    assert res.exit_code == 2
    # the shared registry's message, as 'check --report' and 'batch --report' print it
    assert (
        "Error: Invalid value for '--report': unknown formats 'docx', 'txt' "
        "(known: pdf, html, png, svg, json, csv, or 'none')"
    ) in res.output.splitlines()
    assert not out.exists()


@pytest.mark.parametrize("command", ["lot", "compare"])
def test_help(command: str) -> None:
    res = _run(command, "--help")
    assert res.exit_code == 0
    assert res.output.startswith(f"Usage: main {command} ") or f"{command} [OPTIONS]" in res.output


def test_a_folder_that_cannot_be_listed_refuses_the_lot(
    lot_writer: LotWriter, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The lot's units are never counted over a folder the walk could not list (exit 3)."""
    import os

    folder = tmp_path / "lot"
    setup = lot_writer(folder, {f"u0{i}": {1.0: 36.0} for i in range(1, 6)})
    hidden = folder / "more"
    hidden.mkdir()
    real = os.scandir

    def scandir(path: Any = ".") -> Any:
        if Path(path).resolve() == hidden.resolve():
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    res = CliRunner().invoke(main, ["lot", str(folder), "--golden", "u01", "--setup", str(setup)])
    assert res.exit_code == 3, res.output
    assert res.stderr == (
        f"rfcheck: error: {hidden.as_posix()}: cannot list folder: Permission denied "
        "(no file in it was judged)\n"
    )


@pytest.mark.parametrize("report", [("--report", "csv"), ()])
@pytest.mark.parametrize("inside", ["", "u1"])
def test_a_report_folder_inside_the_lot_is_refused_exit_2(
    tmp_path: Path, lot_writer: LotWriter, inside: str, report: tuple[str, ...]
) -> None:
    """Its files would sit among the captures (a unit's folder reads them as its captures).

    A given --out is refused without --report too, as the docs say.
    """
    folder = tmp_path / "lot"
    setup = lot_writer(folder, _units())
    out = folder / inside if inside else folder
    args = ["lot", str(folder), "--golden", "u1", "--setup", str(setup), *report]
    res = CliRunner().invoke(main, [*args, "--out", str(out)])
    assert res.exit_code == 2, res.output
    assert res.stderr == (
        f"rfcheck: error: --out {out.as_posix()} is inside the input folder {folder.as_posix()}: "
        "choose an output folder outside every DIR\n"
    )
    assert not (out / "lot_units.csv").exists()
    res = CliRunner().invoke(main, [*args, "--out", str(tmp_path / "reports")])
    assert res.exit_code == 1, res.output  # the statistics of _units() fail at 1 MHz
    assert (tmp_path / "reports" / "lot_units.csv").is_file() is bool(report)


def test_a_report_folder_that_cannot_be_written_is_one_line_exit_3(
    tmp_path: Path, lot_writer: LotWriter
) -> None:
    folder = tmp_path / "lot"
    setup = lot_writer(folder, _units())
    args = ["lot", str(folder), "--golden", "u1", "--setup", str(setup), "--report", "json"]
    res = CliRunner().invoke(main, [*args, "--out", "/dev/null/reports"])
    assert res.exit_code == 3, res.output
    assert res.stderr == "rfcheck: error: cannot write /dev/null/reports: Not a directory\n"


def test_captures_in_no_unit_and_empty_folders_are_named_not_dropped(
    tmp_path: Path, lot_writer: LotWriter
) -> None:
    """A lot once said '5 units' and nothing of a folder it did not use."""
    folder = tmp_path / "lot"
    setup = lot_writer(folder, {f"u{i}": {1e6: 36.0 + i} for i in range(1, 6)})
    (folder / "x9_L1.csv").write_bytes((folder / "u1_L1.csv").read_bytes())
    (folder / "u15").mkdir()
    res = CliRunner().invoke(main, ["lot", str(folder), "--golden", "u1", "--setup", str(setup)])
    notes = [
        "1 capture in no unit ([batch] group_pattern '^(?P<unit>u[0-9]+)_' finds none in it), "
        "not used: x9_L1.csv",
        "1 folder with no capture, no unit: u15/",
    ]
    assert res.stderr == "".join(f"rfcheck: note: {n}\n" for n in notes)
    for n in notes:
        assert f"Note: {n}\n" in res.stdout
    doc = json.loads(
        CliRunner()
        .invoke(main, ["lot", str(folder), "--golden", "u1", "--setup", str(setup), "-o", "json"])
        .stdout
    )
    assert doc["notes"][:2] == notes


def test_ports_that_all_hold_their_unit_name_get_a_hint(
    tmp_path: Path, lot_writer: LotWriter
) -> None:
    """One folder per unit and no port rule: u01_L1, u02_L1... share no port (321 lines)."""
    flat = tmp_path / "flat"
    lot_writer(flat, {f"u{i}": {1e6: 36.0 + i} for i in range(1, 6)})
    folder = tmp_path / "lot"
    for f in sorted(flat.glob("u*_L1.csv")):
        unit = f.name.split("_")[0]
        (folder / unit).mkdir(parents=True)
        (folder / unit / f.name).write_bytes(f.read_bytes())
    setup = tmp_path / "setup.toml"
    setup.write_text(
        (flat / "setup.toml").read_text().replace('"^(?P<unit>u[0-9]+)_"', '"^(?P<unit>u[0-9]+)/"'),
        encoding="utf-8",
    )
    res = CliRunner().invoke(main, ["lot", str(folder), "--golden", "u1", "--setup", str(setup)])
    hint = (
        "no port is shared by two units: a port is named from the file name without the unit "
        "text, and the file names still hold it ('u1_L1'): name the ports with a [[rule]] "
        'port_regex (e.g. port_regex = "_(?P<port>L1|N)[.]csv$")'
    )
    assert res.stderr == f"rfcheck: note: {hint}\n"
    assert f"Note: {hint}\n" in res.stdout
    # one capture whose name lacks its unit's name (an ambient) does not hide the hint
    ambient = (folder / "u3" / "u3_L1.csv").read_bytes() + b"# the site with the unit off\n"
    (folder / "u3" / "ambient.csv").write_bytes(ambient)
    res = CliRunner().invoke(main, ["lot", str(folder), "--golden", "u1", "--setup", str(setup)])
    assert f"rfcheck: note: {hint}\n" in res.stderr
    (folder / "u3" / "ambient.csv").unlink()
    # named by a rule, the ports are shared: no hint
    setup.write_text(
        setup.read_text() + '\n[[rule]]\nmatch = "*"\nport_regex = "_(?P<port>L1)[.]csv$"\n'
    )
    res = CliRunner().invoke(main, ["lot", str(folder), "--golden", "u1", "--setup", str(setup)])
    assert res.stderr == ""


def test_a_unit_whose_captures_state_another_model_is_named(
    tmp_path: Path, lot_writer: LotWriter
) -> None:
    """A capture header ``# dut_model: NX-8`` in a lot of NX-7 once passed unremarked."""
    folder = tmp_path / "lot"
    setup = lot_writer(folder, _units())
    for unit, model in (("u1", "NX-7"), ("u3", "NX-8")):
        f = folder / f"{unit}_L1.csv"
        f.write_text(f"# dut_model: {model}\n" + f.read_text(encoding="ascii"), encoding="ascii")
    args = ["lot", str(folder), "--golden", "u1", "--setup", str(setup)]
    note = (
        "u3: its captures state another DUT model than the lot's NX-7 (the golden unit u1's "
        f"captures): {folder / 'u3_L1.csv'} (NX-8)"
    )
    res = CliRunner().invoke(main, args)
    assert res.stderr == f"rfcheck: note: {note}\n"
    assert f"Note: {note}\n" in res.stdout
    setup.write_text('[dut]\nmodel = "nx-8"\n\n' + setup.read_text(encoding="ascii"))
    res = CliRunner().invoke(main, args)  # [dut] model names the lot's model (case ignored)
    assert res.stderr == (
        "rfcheck: note: u1: its captures state another DUT model than the lot's nx-8 ([dut] "
        f"model): {folder / 'u1_L1.csv'} (NX-7)\n"
    )


def test_lot_json_records_the_command_as_typed(tmp_path: Path, lot_writer: LotWriter) -> None:
    """It recorded only DIR, --golden and --setup: --window and -o were lost (a17b's note)."""
    import shlex

    setup = lot_writer(tmp_path, _units())
    args = ["lot", str(tmp_path), "--golden", "u1", "--setup", str(setup), "--window", "3"]
    res = _run(*args, "-o", "json")
    assert json.loads(res.output)["command"] == shlex.join(["rfcheck", *args, "-o", "json"])
