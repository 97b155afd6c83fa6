"""The lot verdict beside the 80/80 statistics: units over a limit, another model, one serial.

- a unit whose own measurement is over a limit fails the lot, named with its line and
  frequency in the text, JSON, banner and PDF, even where x̄ + k·S_n passes (and with two
  units, where the statistics cannot be applied);
- a unit whose captures state another DUT model is left out of the statistics and the lot
  reads INCONCLUSIVE;
- two units stating one DUT serial (capture headers or ``[dut.serials]``) are refused, exit 3,
  as the dossier refuses one serial given to two units.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from pypdf import PdfReader

from rfcheck.cli import main

LotWriter = Callable[[Path, Mapping[str, Mapping[float, float]]], Path]

#: AV levels at 1 MHz of ten units [dBµV] (limit 46): u10 is 0.2 dB over it, yet
#: x̄ = 43.27, S_n = 1.970, k(10) = 1.24 -> x̄ + k·S_n = 45.71 ≤ 46: the 80/80 rule passes.
LEVELS = (40.0, 41.0, 42.0, 42.5, 43.0, 43.5, 44.2, 44.8, 45.5, 46.2)


def _units(levels: tuple[float, ...] = LEVELS) -> dict[str, dict[float, float]]:
    return {f"u{i + 1:02d}": {1e6: lev} for i, lev in enumerate(levels)}


def _lot(folder: Path, setup: Path, *more: str, golden: str = "u01") -> Any:
    args = ["lot", str(folder), "--golden", golden, "--setup", str(setup), *more]
    return CliRunner().invoke(main, args, catch_exceptions=False)


def _header(folder: Path, unit: str, line: str) -> None:
    """Put a header line (``# dut_model: NX-8``) at the top of a unit's capture."""
    f = folder / f"{unit}_L1.csv"
    f.write_text(f"# {line}\n" + f.read_text(encoding="ascii"), encoding="ascii")


def test_a_unit_over_the_limit_fails_the_lot_though_the_statistics_pass(
    tmp_path: Path, lot_writer: LotWriter
) -> None:
    """u10 FAIL -0.2 dB, the 80/80 rule PASS at 45.71, and the lot read PASS."""
    folder = tmp_path / "lot"
    setup = lot_writer(folder, _units())
    res = _lot(folder, setup, "-o", "json")
    assert res.exit_code == 1
    doc = json.loads(res.stdout)
    assert doc["verdict"] == "FAIL"
    assert {s["verdict"] for s in doc["statistics"]} == {"PASS"}  # still reported beside it
    av = next(s for s in doc["statistics"] if s["line"] == "AV")
    assert (av["n"], av["k"], av["value"], av["limit"]) == (10, 1.24, 45.71, 46.0)
    u10 = doc["units"][-1]
    assert (u10["unit"], u10["verdict"], u10["identity"]) == ("u10", "FAIL", "yes")
    assert u10["failures"] == [
        {
            "port": "L1",
            "limit_id": "fcc-15.107-b",
            "line": "AV",
            "frequency_hz": 1e6,
            "margin_db": -0.2,
            "bound": "measured",
            "effective_margin_db": None,
            "distance_m": None,
        }
    ]
    assert [u["failures"] for u in doc["units"][:-1]] == [[]] * 9
    assert doc["notes"][0] == (
        "FAIL: a unit's own measurement is over a limit, which the 80/80 statistics do not "
        "clear: u10 (L1 fcc-15.107-b AV at 1 MHz, margin -0.20 dB)"
    )
    text = _lot(folder, setup).stdout
    assert "      - over the limit: L1 fcc-15.107-b AV at 1 MHz, margin -0.20 dB\n" in text
    assert (
        "\nMeasured over a limit (the unit's own verdict FAIL: the lot FAILs, whatever the "
        "80/80 statistics say): u10\n"
    ) in text
    assert text.endswith("Verdict: FAIL (exit 1)\n")


def test_the_banner_and_pdf_name_the_unit_over_the_limit(
    tmp_path: Path, lot_writer: LotWriter
) -> None:
    """The PDF banner said only "80/80 rule ...: 2 PASS" beside a green LOT VERDICT: PASS."""
    folder = tmp_path / "lot"
    setup = lot_writer(folder, _units())
    out = tmp_path / "out"
    assert _lot(folder, setup, "--report", "pdf,html", "--out", str(out)).exit_code == 1
    first = re.sub(r"\s+", " ", PdfReader(out / "lot.pdf").pages[0].extract_text())
    assert "LOT VERDICT: FAIL (exit 1)" in first
    named = (
        "Measured over a limit (the unit's own verdict FAIL: the lot FAILs, whatever the 80/80 "
        "statistics say): u10 (L1 fcc-15.107-b AV at 1 MHz, margin -0.20 dB)"
    )
    assert named in first
    assert "80/80 rule (CISPR TR 16-4-3) at 2 frequencies over 10 units: 2 PASS" in first
    assert named.replace("'", "&#x27;") in (out / "lot.html").read_text(encoding="utf-8")


def test_two_units_one_over_the_limit_is_a_fail_not_incomplete(
    tmp_path: Path, lot_writer: LotWriter
) -> None:
    """Lot "lot2f": INCOMPLETE, exit 5, "nothing failed", while u02 was 1 dB over."""
    folder = tmp_path / "lot"
    setup = lot_writer(folder, _units((40.0, 47.0)))
    res = _lot(folder, setup, "-o", "json")
    assert res.exit_code == 1
    doc = json.loads(res.stdout)
    assert doc["verdict"] == "FAIL"
    assert doc["notes"][0].endswith("u02 (L1 fcc-15.107-b AV at 1 MHz, margin -1.00 dB)")
    assert any(n.startswith("too few units for the 80/80 rule: 2 ") for n in doc["notes"])


def test_a_golden_unit_over_the_limit_fails_the_lot(tmp_path: Path, lot_writer: LotWriter) -> None:
    folder = tmp_path / "lot"
    setup = lot_writer(folder, _units((46.5, 40.0, 41.0)))
    doc = json.loads(_lot(folder, setup, "-o", "json").stdout)
    assert doc["verdict"] == "FAIL"
    assert doc["notes"][0].endswith("u01 (L1 fcc-15.107-b AV at 1 MHz, margin -0.50 dB)")


def test_a_unit_stating_another_model_is_left_out_and_the_lot_inconclusive(
    tmp_path: Path, lot_writer: LotWriter
) -> None:
    """u03 stated NX-9 in a lot of NX-7, was IDENTICAL "yes", counted, and PASS."""
    folder = tmp_path / "lot"
    setup = lot_writer(folder, _units(LEVELS[:5]))
    setup.write_text('[dut]\nmodel = "NX-7"\n\n' + setup.read_text(encoding="ascii"))
    _header(folder, "u03", "dut_model: NX-9")
    res = _lot(folder, setup, "-o", "json")
    assert res.exit_code == 4
    doc = json.loads(res.stdout)
    assert doc["verdict"] == "INCONCLUSIVE"
    u03 = doc["units"][2]
    assert (u03["unit"], u03["identical"], u03["identity"]) == ("u03", False, "no")
    stated = (
        "its captures state another DUT model than the lot's NX-7 ([dut] model): "
        f"{folder / 'u03_L1.csv'} (NX-9)"
    )
    assert u03["other_model"] == stated and stated in u03["flags"]
    assert {s["n"] for s in doc["statistics"]} == {4}  # u03 is not in them
    assert all("u03" not in dict(s).get("note", "") for s in doc["statistics"])
    assert (
        "statistics over the units shown identical to the golden unit; left out (its captures "
        "state another DUT model than the lot's, so it is not the tested model): u03"
    ) in doc["notes"]
    text = _lot(folder, setup).stdout
    assert "\nNot shown identical to the tested sample (47 CFR 2.906(b), 2.908): u03\n" in text
    row = next(r for r in text.splitlines() if r.startswith("   u03 "))
    assert row.split()[2] == "NO"


def test_a_golden_unit_stating_another_model_than_the_setup_is_inconclusive(
    tmp_path: Path, lot_writer: LotWriter
) -> None:
    """The tested unit is not the [dut] model: the reference stays, the lot is undecided."""
    folder = tmp_path / "lot"
    setup = lot_writer(folder, _units(LEVELS[:5]))
    setup.write_text('[dut]\nmodel = "NX-7"\n\n' + setup.read_text(encoding="ascii"))
    _header(folder, "u01", "dut_model: NX-9")
    doc = json.loads(_lot(folder, setup, "-o", "json").stdout)
    assert doc["verdict"] == "INCONCLUSIVE"
    assert doc["units"][0]["identity"] == "yes" and doc["units"][0]["other_model"]
    assert {s["n"] for s in doc["statistics"]} == {5}
    same = _lot(folder, setup, "-o", "json")
    assert same.exit_code == 4


def test_a_model_stated_alike_up_to_case_is_the_lot_model(
    tmp_path: Path, lot_writer: LotWriter
) -> None:
    folder = tmp_path / "lot"
    setup = lot_writer(folder, _units(LEVELS[:5]))
    setup.write_text('[dut]\nmodel = "NX-7"\n\n' + setup.read_text(encoding="ascii"))
    for unit in ("u01", "u02", "u03", "u04", "u05"):
        _header(folder, unit, "DUT Model: nx-7")
    res = _lot(folder, setup, "-o", "json")
    assert res.exit_code == 0
    assert json.loads(res.stdout)["verdict"] == "PASS"


def test_two_units_stating_one_serial_are_refused(tmp_path: Path, lot_writer: LotWriter) -> None:
    """u02 and u04 both ``# dut_serial: S2`` were counted as two units (n = 5)."""
    folder = tmp_path / "lot"
    setup = lot_writer(folder, _units(LEVELS[:5]))
    for unit, serial in (("u01", "S1"), ("u02", "S2"), ("u03", "S3"), ("u04", "s2 ")):
        _header(folder, unit, f"dut_serial: {serial}")
    res = _lot(folder, setup)
    assert res.exit_code == 3
    assert res.stdout == ""
    assert res.stderr == (
        f"rfcheck: error: {folder}: units u02 and u04 state one DUT serial, S2 (u02: "
        f"{folder / 'u02_L1.csv'}; u04: {folder / 'u04_L1.csv'}): one device counted as 2 "
        "units would inflate n and shrink S_n of the 80/80 rule; leave the repeat measurement "
        "out ([batch] exclude) or correct the serial\n"
    )


def test_one_serial_given_to_two_units_in_the_setup_is_refused(
    tmp_path: Path, lot_writer: LotWriter
) -> None:
    folder = tmp_path / "lot"
    setup = lot_writer(folder, _units(LEVELS[:5]))
    _header(folder, "u05", "dut_serial: A-7")
    setup.write_text(
        setup.read_text(encoding="ascii")
        + '\n[dut.serials]\nu01 = "A-1"\nu03 = "A-7"\nu09 = "A-9"\n'  # u09 is not in the lot
    )
    res = _lot(folder, setup)
    assert res.exit_code == 3
    assert res.stderr.startswith(
        f"rfcheck: error: {folder}: units u03 and u05 state one DUT serial, A-7 (u03: "
        f"[dut.serials]; u05: {folder / 'u05_L1.csv'}): "
    )
    assert res.stderr.count("\n") == 1


def test_distinct_serials_are_judged(tmp_path: Path, lot_writer: LotWriter) -> None:
    folder = tmp_path / "lot"
    setup = lot_writer(folder, _units(LEVELS[:5]))
    for i in range(1, 6):
        _header(folder, f"u{i:02d}", f"dut_serial: S{i}")
    assert _lot(folder, setup).exit_code == 0


def test_every_lot_report_names_each_units_serial_or_missing(
    tmp_path: Path, lot_writer: LotWriter
) -> None:
    """The serials were read (to refuse duplicates) but printed nowhere.

    The setup's ``[dut.serials]`` first, else the capture header's ``dut_serial``; MISSING
    when neither states one (text, PDF, HTML, JSON, units CSV).
    """
    folder, out = tmp_path / "lot", tmp_path / "out"
    setup = lot_writer(folder, _units(LEVELS[:5]))
    _header(folder, "u03", "dut_serial: HDR-3")
    setup.write_text(
        setup.read_text(encoding="ascii") + '\n[dut.serials]\nu01 = "SET-1"\nu02 = "SET-2"\n'
    )
    res = _lot(folder, setup, "--report", "pdf,html,json,csv", "--out", str(out))
    assert res.exit_code == 0, res.output
    want = {"u01": "SET-1", "u02": "SET-2", "u03": "HDR-3", "u04": "MISSING", "u05": "MISSING"}
    lines = res.stdout.splitlines()
    head = next(i for i, line in enumerate(lines) if line.strip().startswith("UNIT"))
    assert lines[head].split()[:3] == ["UNIT", "SERIAL", "IDENTICAL"]
    rows = {line.split()[0]: line.split()[1] for line in lines[head + 1 : head + 6]}
    assert rows == want
    doc = json.loads((out / "lot.json").read_text("utf-8"))
    assert {u["unit"]: u["serial"] for u in doc["units"]} == {
        **want,
        "u04": None,
        "u05": None,
    }
    with (out / "lot_units.csv").open(encoding="utf-8", newline="") as f:
        units_csv = list(csv.DictReader(f))
    u03 = units_csv[2]
    assert u03["serial"] == "HDR-3"
    # no effective margin under simple, no assumption, no distances, no requested range
    assert list(units_csv[0])[-8:-1] == [
        "serial",
        "worst_effective_margin_db",
        "assumed_dwell_lines",
        "assumed_dwell_s",
        "assumed_scale_ports",
        "port_distances",
        "requested_range",
    ]
    assert [u03[k] for k in list(u03)[-7:-1]] == [""] * 6
    assert u03["scope"] == doc["scope"]
    html_text = (out / "lot.html").read_text("utf-8")
    pdf_text = "".join(p.extract_text() for p in PdfReader(out / "lot.pdf").pages)
    for unit, serial in want.items():
        assert re.search(rf"{unit}\s+{serial}\s", html_text), unit
        assert re.search(rf"{unit}\s+{serial}\s", pdf_text), unit


def test_a_lot_of_one_unit_says_one_unit(tmp_path: Path, lot_writer: LotWriter) -> None:
    """It said "rfcheck lot: 1 units"."""
    folder = tmp_path / "lot"
    setup = lot_writer(folder, _units(LEVELS[:1]))
    res = _lot(folder, setup)
    assert res.output.startswith("rfcheck lot: 1 unit, golden (tested) unit u01\n")
    setup = lot_writer(folder, _units(LEVELS[:2]))
    assert _lot(folder, setup).output.startswith("rfcheck lot: 2 units, golden")


def test_a_unit_failing_under_a_decision_rule_is_named_with_its_effective_margin(
    tmp_path: Path, lot_writer: LotWriter
) -> None:
    """Under guard-band:0.1 u10 (46.2 dBµV, AV limit 46) FAILs with effective margin -0.30."""
    folder = tmp_path / "lot"
    setup = lot_writer(folder, _units())
    setup.write_text('[check]\ndecision_rule = "guard-band:0.1"\n\n' + setup.read_text())
    res = _lot(folder, setup, "-o", "json")
    assert res.exit_code == 1
    doc = json.loads(res.stdout)
    assert doc["units"][-1]["failures"][0]["effective_margin_db"] == -0.3
    assert doc["notes"][0].endswith(
        "u10 (L1 fcc-15.107-b AV at 1 MHz, margin -0.20 dB (decision rule: effective margin "
        "-0.30 dB))"
    )


def test_a_unit_failing_only_by_the_rule_is_not_called_over_the_limit(
    tmp_path: Path, lot_writer: LotWriter
) -> None:
    """A unit 0.3 dB under the limit read 'over the limit'.

    cispr16-4-2 with U_lab 3.9 dB against U_cispr 3.4 dB (150 kHz-30 MHz) adds 0.50 dB:
    u10's +0.30 dB is an effective -0.20 dB, a FAIL by the rule alone.
    """
    folder = tmp_path / "lot"
    setup = lot_writer(folder, _units((*LEVELS[:9], 45.7)))  # u10: margin +0.30 dB
    rule = '[check]\ndecision_rule = "cispr16-4-2"\n\n[test]\nu_lab_db = 3.9\n\n'
    setup.write_text(rule + setup.read_text())
    res = _lot(folder, setup)
    assert res.exit_code == 1
    assert (
        "      - over the decision rule's acceptance limit (measured under the limit): L1 "
        "fcc-15.107-b AV at 1 MHz, margin +0.30 dB (decision rule: effective margin -0.20 dB)\n"
    ) in res.stdout
    assert "\nMeasured over a limit, or over the decision rule's acceptance limit (" in res.stdout
    assert "over the limit:" not in res.stdout
    doc = json.loads(_lot(folder, setup, "-o", "json").stdout)
    assert doc["notes"][0].startswith(
        "FAIL: a unit's own measurement is over a limit, or the decision rule's acceptance "
        "limit, which the 80/80 statistics do not clear: u10"
    )
    # the rule is named, with its U_lab and the U_cispr warning
    assert doc["notes"][-2:] == [
        "judged under decision rule cispr16-4-2 (U_lab - U_cispr, when positive, is added to "
        "the level before comparing with the limit); U_lab: every port 3.9 dB",
        "decision rule cispr16-4-2: the U_cispr values are UNCONFIRMED (CISPR 16-4-2 table "
        "not verified); verify before relying on the result",
    ]


def test_a_unit_stating_another_serial_than_its_setup_entry_is_left_out(
    tmp_path: Path, lot_writer: LotWriter
) -> None:
    """A header serial unlike the unit's [dut.serials] entry went unflagged."""
    folder = tmp_path / "lot"
    setup = lot_writer(folder, _units(LEVELS[:5]))
    setup.write_text(setup.read_text(encoding="ascii") + '\n[dut.serials]\nu03 = "S3"\n')
    _header(folder, "u03", "dut_serial: S9")
    res = _lot(folder, setup, "-o", "json")
    assert res.exit_code == 4  # INCONCLUSIVE, not the PASS of the statistics
    doc = json.loads(res.stdout)
    assert doc["verdict"] == "INCONCLUSIVE"
    u03 = doc["units"][2]
    assert (u03["unit"], u03["identical"], u03["identity"]) == ("u03", False, "unknown")
    stated = (
        "its captures state another DUT serial than its [dut.serials] entry S3: "
        f"{folder / 'u03_L1.csv'} (S9): its data cannot be attributed to one device"
    )
    assert u03["serial_conflict"] == stated and stated in u03["flags"]
    assert {s["n"] for s in doc["statistics"]} == {4}  # u03 is not in them
    assert (
        "statistics over the units shown identical to the golden unit; left out (more than one "
        "DUT serial stated for it, by its captures or [dut.serials], so its data cannot be "
        "attributed to one device): u03"
    ) in doc["notes"]
    assert all(u["serial_conflict"] is None for u in doc["units"] if u["unit"] != "u03")
    text = _lot(folder, setup).stdout
    assert "\nMore than one DUT serial stated for the unit, by its captures or [dut.serials] " in (
        text
    )
    assert "Identity cannot be shown" not in text  # not missing data


def test_a_unit_whose_captures_state_two_serials_is_left_out(
    tmp_path: Path, lot_writer: LotWriter
) -> None:
    """Two ports of one unit measured on two devices: not one unit's data."""
    folder = tmp_path / "lot"
    setup = lot_writer(folder, _units(LEVELS[:5]))
    for i in range(1, 6):  # a second port, L2, for every unit
        l1 = folder / f"u{i:02d}_L1.csv"
        (folder / f"u{i:02d}_L2.csv").write_bytes(l1.read_bytes())
        _header(folder, f"u{i:02d}", f"dut_serial: S{i}")
    l2 = folder / "u02_L2.csv"
    l2.write_text("# dut_serial: S2-B\n" + l2.read_text(encoding="ascii"), encoding="ascii")
    res = _lot(folder, setup, "-o", "json")
    assert res.exit_code == 4
    doc = json.loads(res.stdout)
    u02 = doc["units"][1]
    assert (u02["unit"], u02["identical"], u02["serial"]) == ("u02", False, "S2 / S2-B")
    assert u02["serial_conflict"] == (
        f"its captures state 2 DUT serials: S2 ({folder / 'u02_L1.csv'}); S2-B ({l2}): its "
        "data cannot be attributed to one device ([dut.serials] names none for it)"
    )
    assert {s["n"] for s in doc["statistics"]} == {4}
    pdf = tmp_path / "rep"
    _lot(folder, setup, "--report", "pdf", "--out", str(pdf))
    text = "".join(p.extract_text() for p in PdfReader(str(pdf / "lot.pdf")).pages)
    assert "More than one DUT serial stated for the unit" in text


def test_a_golden_unit_stating_two_serials_keeps_the_lot_from_pass(
    tmp_path: Path, lot_writer: LotWriter
) -> None:
    folder = tmp_path / "lot"
    setup = lot_writer(folder, _units(LEVELS[:5]))
    setup.write_text(setup.read_text(encoding="ascii") + '\n[dut.serials]\nu01 = "G-1"\n')
    capture = folder / "u01_L1.csv"
    plain = capture.read_text(encoding="ascii")
    _header(folder, "u01", "dut_serial: g-1 ")  # alike up to case and spaces: no conflict
    assert _lot(folder, setup).exit_code == 0
    capture.write_text(plain, encoding="ascii")
    _header(folder, "u01", "dut_serial: G-2")
    res = _lot(folder, setup, "-o", "json")
    assert res.exit_code == 4
    doc = json.loads(res.stdout)
    assert doc["units"][0]["identity"] == "yes" and doc["units"][0]["serial_conflict"]
    assert {s["n"] for s in doc["statistics"]} == {5}  # the reference stays in them


def test_units_whose_readings_bound_nothing_never_pass_the_lot(
    tmp_path: Path, lot_writer: LotWriter
) -> None:
    """Five units 2 dB over the AV line, files stating no RBW: lot PASS, exit 0.

    An RBW not stated bounds nothing below 1 GHz, so every unit's own verdict is INCONCLUSIVE
    and no emission reaches the statistics; the lot must not read PASS from the silence.
    """
    folder = tmp_path / "lot"
    setup = lot_writer(folder, _units((48.0, 48.2, 48.5, 49.0, 49.5)))
    for f in folder.glob("u*_L1.csv"):
        lines = f.read_text(encoding="ascii").splitlines(keepends=True)
        f.write_text("".join(ln for ln in lines if not ln.startswith("# rbw_hz")), "ascii")
    res = _lot(folder, setup, "-o", "json")
    doc = json.loads(res.stdout)
    assert {u["verdict"] for u in doc["units"]} == {"INCONCLUSIVE"}
    assert (res.exit_code, doc["verdict"]) == (4, "INCONCLUSIVE")
    assert any(n.startswith("INCONCLUSIVE: a unit's own measurement") for n in doc["notes"])


def test_a_unit_measured_over_part_of_the_band_keeps_the_lot_from_pass(
    tmp_path: Path, lot_writer: LotWriter
) -> None:
    """u03's capture ends at 2 MHz; it reads INCOMPLETE and the lot read PASS.

    Above 2 MHz it adds no reading to the statistics, so nothing there shows the rule met.
    """
    folder = tmp_path / "lot"
    setup = lot_writer(folder, _units((40.0, 40.5, 41.0, 41.5, 42.0)))
    path = folder / "u03_L1.csv"
    lines = path.read_text(encoding="ascii").splitlines(keepends=True)
    kept = [ln for ln in lines if not ln[0].isdigit() or float(ln.split(",")[0]) <= 2e6]
    path.write_text("".join(kept), encoding="ascii")
    res = _lot(folder, setup, "-o", "json")
    doc = json.loads(res.stdout)
    assert {u["unit"]: u["verdict"] for u in doc["units"]}["u03"] == "INCOMPLETE"
    assert (res.exit_code, doc["verdict"]) == (5, "INCOMPLETE")
    assert any(n.startswith("INCOMPLETE: a unit's own measurement leaves") for n in doc["notes"])


def test_an_empty_statistics_table_says_why(tmp_path: Path, lot_writer: LotWriter) -> None:
    """A bare "Statistics:" header over no rows, with no reason given."""
    folder = tmp_path / "lot"
    setup = lot_writer(folder, _units((20.0, 20.5, 21.0, 21.5, 22.0)))  # 24 dB under AV
    res = _lot(folder, setup)
    assert res.exit_code == 0
    assert "   no rows: no reading of a unit of the statistics comes within the suspect" in (
        res.stdout
    )


def _av_scan(path: Path, peaks: Mapping[float, float]) -> None:
    """Write a 1-26 GHz scan (1 MHz RBW), AV ``peaks`` {MHz: dBµV/m} on a 30 dBµV/m floor.

    The peak trace 5 dB above it (the PK limit, 20 dB over the AV limit, is not near).
    """
    f_mhz = [1000.0 + i for i in range(25001)]
    av = [peaks.get(f, 30.0) for f in f_mhz]
    rows = "".join(f"{f:.3f},{a + 5.0:.2f},{a:.2f}\n" for f, a in zip(f_mhz, av, strict=True))
    head = "# rbw_hz: 1000000\n# dwell_s: 1\n# detector: average\n"
    head += "Frequency (MHz),Peak (dBuV/m),AV (dBuV/m)\n"
    path.write_text(head + rows)


def _rule_lot(tmp_path: Path, at_20g: Mapping[str, float]) -> tuple[Path, Path]:
    """Units at 3 GHz (50.0 dBµV/m) and 20 GHz (as given), judged under cispr16-4-2.

    Highest frequency 5 GHz: required to 25 GHz, AV limit 53.98 dBµV/m; U_lab 9.0 dB. 3 GHz
    has a U_cispr row (5.2 dB: shift 3.80), 20 GHz none (the simple rule). Returns the folder
    and the setup.
    """
    folder = tmp_path / "lot"
    folder.mkdir()
    for unit, level in at_20g.items():
        _av_scan(folder / f"{unit}_V.csv", {3000.0: 50.0, 20000.0: level})
    setup = tmp_path / "lot.toml"
    setup.write_text(
        "[dut]\nhighest_internal_frequency_hz = 5e9\n"
        '[[rule]]\nmatch = "*"\nlimits = ["fcc-15.109-b"]\ndistance_m = 3.0\n'
        'port_regex = "_(?P<port>V)"\n'
        '[check]\ndecision_rule = "cispr16-4-2"\n[test]\nu_lab_db = 9.0\n'
        '[batch]\ngroup_pattern = "^(?P<unit>r[0-9]+)_"\n'
    )
    return folder, setup


def test_under_a_rule_a_units_row_shows_the_point_the_rule_judges_worst(tmp_path: Path) -> None:
    """The unit row showed the smallest measured margin, without the effective one.

    Highest frequency 5 GHz: required to 25 GHz, AV limit 53.98 dBµV/m; U_lab 9.0 dB.
    3 GHz (U_cispr 5.2: shift 3.80): 50.0 reads +3.98, effective +0.18; 20 GHz (no U_cispr
    row: the simple rule) 53.0 reads +0.98. The rule judges 3 GHz worst.
    """
    folder, setup = _rule_lot(tmp_path, dict((("r1", 53.0), ("r2", 52.5))))
    res = _lot(folder, setup, "-o", "json", golden="r1")
    doc = json.loads(res.stdout)
    u1 = doc["units"][0]
    shown = ("worst_frequency_hz", "worst_margin_db", "worst_effective_margin_db")
    assert [u1[k] for k in shown] == [3e9, 3.98, 0.18]  # not 20 GHz, +0.98
    text = _lot(folder, setup, golden="r1").output
    assert "+3.98 dB  3000 MHz (V), effective +0.18 dB\n" in text
    # check's note on the readings the rule cannot judge, in lot and compare
    no_u_cispr = "decision rule cispr16-4-2: no U_cispr for a radiated measurement at 20000 MHz"
    assert any(n.startswith(no_u_cispr) for n in doc["notes"])
    pair = [str(folder / "r1_V.csv"), str(folder / "r2_V.csv"), "--setup", str(setup)]
    res = CliRunner().invoke(main, ["compare", *pair, "-o", "json"], catch_exceptions=False)
    assert any(n.startswith(no_u_cispr) for n in json.loads(res.stdout)["notes"])


def test_under_a_rule_a_point_judged_simply_has_its_own_margin_as_effective(
    tmp_path: Path,
) -> None:
    """r3's worst point (20 GHz, no U_cispr row: judged simply) had no effective margin.

    The JSON and lot_units.csv left it null/blank, so a reader sorting units by it dropped the
    tightest unit. At 20 GHz 53.9 dBµV/m reads +0.08 dB against 53.98: the rule does not shift
    it, so its effective margin is +0.08 (tighter than r1's +0.18 at 3 GHz).
    """
    folder, setup = _rule_lot(tmp_path, dict((("r1", 53.0), ("r2", 52.5), ("r3", 53.9))))
    doc = json.loads(_lot(folder, setup, "-o", "json", golden="r1").stdout)
    r3 = next(u for u in doc["units"] if u["unit"] == "r3")
    shown = ("worst_frequency_hz", "worst_margin_db", "worst_effective_margin_db")
    assert [r3[k] for k in shown] == [2e10, 0.08, 0.08]
    text = _lot(folder, setup, golden="r1").output
    assert "+0.08 dB  20000 MHz (V), effective +0.08 dB\n" in text


def test_a_unit_outside_the_statistics_left_undecided_makes_the_lot_inconclusive(
    tmp_path: Path, lot_writer: LotWriter, csv_writer: Callable[..., Path]
) -> None:
    """A peak-only unit may be 13 dB over the AV line: the lot read INCOMPLETE (exit 5).

    Its identity cannot be shown (no average reading to compare), so it is left out of the
    statistics; its own verdict is INCONCLUSIVE, and like a FAIL that counts in the statistics
    or not: the lot is INCONCLUSIVE (exit 4), naming it.
    """
    folder = tmp_path / "lot"
    units = {f"u{i:02d}": {1e6: 38.0 + 0.5 * i} for i in range(1, 8)}
    setup = lot_writer(folder, units)
    csv_writer(folder / "u08_L1.csv", {"Peak": {1e6: 59.0}})  # 13 dB over the 46 dBµV AV
    res = _lot(folder, setup, "-o", "json")
    doc = json.loads(res.stdout)
    u08 = next(u for u in doc["units"] if u["unit"] == "u08")
    assert u08["verdict"] == "INCONCLUSIVE" and u08["identity"] != "yes"
    assert (doc["verdict"], res.exit_code) == ("INCONCLUSIVE", 4)
    assert any(n.startswith("INCONCLUSIVE: a unit's own") and "u08" in n for n in doc["notes"])


def test_under_a_rule_a_failure_judged_simply_names_its_own_margin_as_effective(
    tmp_path: Path,
) -> None:
    """r3's failure at 20 GHz (no U_cispr row) had ``effective_margin_db`` null.

    54.0 dBµV/m against 53.98 at 20 GHz is -0.02 dB; the rule does not shift it there.
    """
    folder, setup = _rule_lot(tmp_path, dict((("r1", 53.0), ("r2", 52.5), ("r3", 54.0))))
    doc = json.loads(_lot(folder, setup, "-o", "json", golden="r1").stdout)
    r3 = next(u for u in doc["units"] if u["unit"] == "r3")
    (failure,) = r3["failures"]
    assert failure["frequency_hz"] == 2e10
    assert (failure["margin_db"], failure["effective_margin_db"]) == (-0.02, -0.02)


def test_a_unit_stating_another_firmware_than_the_golden_unit_is_left_out(
    tmp_path: Path, lot_writer: LotWriter
) -> None:
    """u03 stated firmware 2.0 beside a golden unit on 1.0: counted, and the lot read PASS."""
    folder = tmp_path / "lot"
    setup = lot_writer(folder, _units(LEVELS[:5]))
    for unit in ("u01", "u02", "u04", "u05"):
        _header(folder, unit, "dut_firmware: 1.0")
    _header(folder, "u03", "DUT Firmware: 2.0")
    res = _lot(folder, setup, "-o", "json")
    assert res.exit_code == 4
    doc = json.loads(res.stdout)
    assert doc["verdict"] == "INCONCLUSIVE"
    u03 = doc["units"][2]
    assert (u03["unit"], u03["identical"], u03["identity"]) == ("u03", False, "no")
    stated = (
        "its captures state another DUT firmware than the lot's 1.0 (the golden unit u01's "
        f"captures): {folder / 'u03_L1.csv'} (2.0)"
    )
    assert u03["other_firmware"] == stated and stated in u03["flags"]
    assert u03["other_model"] is None
    assert {s["n"] for s in doc["statistics"]} == {4}  # u03 is not in them
    assert (
        "statistics over the units shown identical to the golden unit; left out (its captures "
        "state another DUT firmware than the golden unit's, so it is not an identical unit, "
        "47 CFR 2.906(b), 2.908): u03"
    ) in doc["notes"]
    text = _lot(folder, setup).stdout
    assert "u03: its captures state another DUT firmware" in text
    row = next(r for r in text.splitlines() if r.startswith("   u03 "))
    assert row.split()[2] == "NO"


def test_one_firmware_stated_alike_or_not_at_all_leaves_the_lot_as_it_was(
    tmp_path: Path, lot_writer: LotWriter
) -> None:
    """Firmware stated alike up to case (or by some units only) is no difference."""
    folder = tmp_path / "lot"
    setup = lot_writer(folder, _units(LEVELS[:5]))
    plain = json.loads(_lot(folder, setup, "-o", "json").stdout)
    for unit, line in (("u01", "dut_firmware: V1.0a"), ("u02", "dut-firmware: v1.0A")):
        _header(folder, unit, line)  # u03-u05 state none: not compared
    doc = json.loads(_lot(folder, setup, "-o", "json").stdout)
    assert doc["verdict"] == plain["verdict"] == "PASS"
    assert [u["identity"] for u in doc["units"]] == ["yes"] * 5
    assert all(u["other_firmware"] is None for u in doc["units"])
    assert {s["n"] for s in doc["statistics"]} == {5}
    assert not any("firmware" in n for n in doc["notes"])


def test_a_golden_unit_stating_no_firmware_compares_none(
    tmp_path: Path, lot_writer: LotWriter
) -> None:
    """The lot's firmware is the golden unit's: stating none, no unit is compared on it."""
    folder = tmp_path / "lot"
    setup = lot_writer(folder, _units(LEVELS[:5]))
    _header(folder, "u05", "dut_firmware: 2.0")
    doc = json.loads(_lot(folder, setup, "-o", "json").stdout)
    assert doc["verdict"] == "PASS"
    assert all(u["other_firmware"] is None for u in doc["units"])
