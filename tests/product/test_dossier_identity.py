"""A capture whose own header states another device is no evidence for the unit it is filed under.

The dossier compares a capture's ``dut_model`` and ``dut_serial`` header lines (the fields
``rfcheck lot`` reads) with the unit: ``[dut] model`` and the unit's serial. A capture of
another model or serial once filled the unit's cells and gave a green PASS with "complete:
every item present". It is now set aside: the cells it would fill read MISSING
for this unit, the record names it on page 1 and never reads complete.
"""

from __future__ import annotations

import json
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
from click.testing import CliRunner, Result
from pypdf import PdfReader

from rfcheck.capture import Capture
from rfcheck.cli import main
from rfcheck.dut_identity import DutIdentity, other_device, stated_dut


def _state(path: Path, **fields: str) -> None:
    """Put ``# dut_model: ...`` (and the like) at the top of a capture's header."""
    head = "".join(f"# {k}: {v}\n" for k, v in fields.items())
    path.write_text(head + path.read_text(encoding="utf-8"), encoding="utf-8")


def _run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def _rig(rig: ModuleType, tmp: Path, **fields: str) -> tuple[Path, Path]:
    """Write the rig, its L1 captures stating ``fields``; return (captures folder, setup)."""
    root = rig.write_rig(tmp / "in")
    for name in ("unit_L1_prescan.csv", "unit_L1_final.csv"):
        if fields:
            _state(root / "conducted" / name, **fields)
    return root, rig.write_complete_setup(tmp / "setup.toml")


def _dossier(root: Path, setup: Path, out: Path) -> tuple[Result, dict[str, Any], str]:
    """Run the dossier; return its result, the unit's JSON and page 1 (spaces removed)."""
    res = _run("dossier", str(root), "--setup", str(setup), "--out", str(out), "--jobs", "1")
    doc: dict[str, Any] = json.loads((out / "unit" / "dossier.json").read_text("utf-8"))
    page1 = PdfReader(str(out / "unit" / "dossier.pdf")).pages[0].extract_text()
    return res, doc, "".join(page1.split())


def _flat(text: str) -> str:
    return "".join(text.split())


def test_the_complete_rig_passes_with_a_complete_record(rig: ModuleType, tmp_path: Path) -> None:
    """The baseline: the same rig whose captures state this unit (or nothing) is complete."""
    root, setup = _rig(rig, tmp_path, dut_model=" test RIG ", dut_serial="s-1")
    res, doc, page1 = _dossier(root, setup, tmp_path / "out")
    assert res.exit_code == 0, res.output
    assert doc["record_incomplete"] is None
    assert doc["units"][0]["other_device"] == []
    assert _flat("complete: every item present") in page1


def test_a_capture_of_another_model_and_serial_is_not_evidence_for_the_unit(
    rig: ModuleType, tmp_path: Path
) -> None:
    root, setup = _rig(rig, tmp_path, dut_model="HC-9", dut_serial="OTHER-999")
    res, doc, page1 = _dossier(root, setup, tmp_path / "out")
    assert res.exit_code == 5, res.output  # INCOMPLETE, never the PASS it once read
    given = (str(root / "conducted" / f"unit_L1_{k}.csv") for k in ("final", "prescan"))
    assert res.stdout.splitlines()[0] == (
        "unit: INCOMPLETE (missing: L1 QP 0.15-30 MHz; L1 AV 0.15-30 MHz) "
        f"(another device's, not used: {', '.join(given)})"
    )
    # the record names them as its manifest does
    final, prescan = (f"in/conducted/unit_L1_{k}.csv" for k in ("final", "prescan"))
    unit = doc["units"][0]
    l1 = [c for c in unit["cells"] if c["port"] == "L1"]
    assert [(c["verdict"], c["captures"], c["other_device"]) for c in l1] == [
        ("MISSING", [], [final, prescan]),
        ("MISSING", [], [final, prescan]),
    ]
    assert all(c["verdict"] == "PASS" for c in unit["cells"] if c["port"] != "L1")
    assert unit["other_device"][1] == {
        "path": prescan,
        "port": "L1",
        "stated": {"model": "HC-9", "serial": "OTHER-999", "firmware": None},
        "unit": {"model": "Test rig", "serial": "S-1", "firmware": None},
        "conflict": None,
    }
    finding = next(f for f in doc["findings"] if f["subject"] == final)
    assert finding["kind"] == "capture-of-another-device"
    assert finding["message"].startswith(
        f"{final}: its header states the device tested is model HC-9, serial OTHER-999, but "
        "this unit is model Test rig, serial S-1"
    )
    b5 = next(i for i in doc["checklist"] if i["clause"] == "2.938(b)(5)")
    assert b5["status"] == "missing"
    gap = f"{final} states another device (model HC-9, serial OTHER-999), not this unit"
    assert any(m.startswith(gap) for m in b5["missing"])
    # page 1: the banner, the record line and the file with what it states and what the unit is
    assert _flat("INCOMPLETE · RECORD INCOMPLETE") in page1
    assert _flat(f"record incomplete: {final} states another device (model HC-9, serial ") in page1
    assert _flat("not this unit (model Test rig, serial S-1)") in page1
    assert _flat("complete: every item present") not in page1
    said = "L1 QP 0.15-30 MHz (fcc-15.107-b): not measured for this unit 0.15-30 MHz"
    assert _flat(said) in page1


def test_a_capture_of_another_serial_alone_is_set_aside(rig: ModuleType, tmp_path: Path) -> None:
    root, setup = _rig(rig, tmp_path, **{"DUT Serial": "S-2"})  # key case and spaces ignored
    res, doc, _ = _dossier(root, setup, tmp_path / "out")
    assert res.exit_code == 5, res.output
    stated = [o["stated"] for o in doc["units"][0]["other_device"]]
    assert stated == [{"model": None, "serial": "S-2", "firmware": None}] * 2


def test_another_devices_capture_beside_the_units_own_leaves_the_cells_measured(
    rig: ModuleType, tmp_path: Path
) -> None:
    """The unit's own captures fill its cells; the other device's still keeps the record open."""
    root, setup = _rig(rig, tmp_path)
    other = root / "conducted" / "unit_L1_other.csv"
    other.write_bytes((root / "conducted" / "unit_L1_final.csv").read_bytes())
    _state(other, dut_model="HC-9")
    res, doc, page1 = _dossier(root, setup, tmp_path / "out")
    assert res.exit_code == 0, res.output  # every cell measured by this unit's captures
    l1 = [c for c in doc["units"][0]["cells"] if c["port"] == "L1"]
    shown = "in/conducted/unit_L1_other.csv"  # as the manifest names it
    assert all(c["verdict"] == "PASS" and shown not in c["captures"] for c in l1)
    assert all(c["other_device"] == [shown] for c in l1)
    assert _flat("PASS (measurements) · RECORD INCOMPLETE") in page1
    assert _flat(f"record incomplete: {shown} states another device (model HC-9)") in page1


def test_the_dry_run_says_the_cell_is_missing_for_this_unit(
    rig: ModuleType, tmp_path: Path
) -> None:
    root, setup = _rig(rig, tmp_path, dut_model="HC-9")
    res = _run("dossier", str(root), "--setup", str(setup), "--dry-run")
    assert res.exit_code == 5, res.output
    lines = res.stdout.splitlines()
    assert lines[1] == "unit: 6 capture(s) (2 of another device, set aside)"
    assert lines[2] == (
        "  L1   fcc-15.107-b QP 0.15-30 MHz: MISSING for this unit (another device's, set "
        "aside: conducted/unit_L1_final.csv, conducted/unit_L1_prescan.csv)"
    )
    assert lines[-1].startswith(
        f"  another device: {root / 'conducted' / 'unit_L1_prescan.csv'}: its header states "
        "model HC-9; unit unit is model Test rig, serial S-1"
    )


def _unserialled(rig: ModuleType, tmp: Path) -> tuple[Path, Path]:
    """Write the rig and a setup naming no serial for it; return (captures folder, setup)."""
    root = rig.write_rig(tmp / "in")
    record = rig.COMPLETE_RECORD.replace('[dut.serials]\nunit = "S-1"\n', "")
    return root, rig.write_complete_setup(tmp / "setup.toml", record)


def test_a_unit_whose_captures_state_two_serials_is_not_passed(
    rig: ModuleType, tmp_path: Path
) -> None:
    """The setup names no serial, the L1 captures state S-1 and S-2.

    The record cannot attribute them to one device: both are set aside, as captures of
    another device are, so L1 reads not measured (INCOMPLETE), never the PASS it read.
    """
    root, setup = _unserialled(rig, tmp_path)
    final, prescan = (root / "conducted" / f"unit_L1_{k}.csv" for k in ("final", "prescan"))
    _state(final, dut_serial="S-1")
    _state(prescan, dut_serial="S-2")
    res, doc, page1 = _dossier(root, setup, tmp_path / "out")
    assert res.exit_code == 5, res.output  # was 0: "unit: PASS"
    assert res.stdout.splitlines()[0] == (
        "unit: INCOMPLETE (missing: L1 QP 0.15-30 MHz; L1 AV 0.15-30 MHz) "
        f"(another device's, not used: {final}, {prescan})"
    )
    conflict = "2 serials: S-1 (conducted/unit_L1_final.csv); S-2 (conducted/unit_L1_prescan.csv)"
    unit = doc["units"][0]
    shown_final, shown_prescan = (p.relative_to(tmp_path).as_posix() for p in (final, prescan))
    assert unit["other_device"][0] == {
        "path": shown_final,
        "port": "L1",
        "stated": {"model": None, "serial": "S-1", "firmware": None},
        "unit": {"model": "Test rig", "serial": None, "firmware": None},
        "conflict": conflict,
    }
    l1 = [c for c in unit["cells"] if c["port"] == "L1"]
    assert [c["verdict"] for c in l1] == ["MISSING", "MISSING"]
    finding = next(f for f in doc["findings"] if f["subject"] == shown_prescan)
    assert finding["kind"] == "capture-of-another-device"
    assert finding["message"].startswith(
        f"{shown_prescan}: its header states serial S-2, but this unit's captures state "
        f"{conflict}, and the setup names none as this unit's"
    )
    b5 = next(i for i in doc["checklist"] if i["clause"] == "2.938(b)(5)")
    gap = f"{shown_prescan} states serial S-2, one of the 2 serials this unit's captures state"
    assert b5["status"] == "missing" and any(m.startswith(gap) for m in b5["missing"])
    assert _flat("INCOMPLETE · RECORD INCOMPLETE") in page1
    assert _flat(gap) in page1
    dry = _run("dossier", str(root), "--setup", str(setup), "--dry-run")
    assert dry.exit_code == 5
    assert dry.stdout.splitlines()[1] == "unit: 6 capture(s) (2 of another device, set aside)"
    assert f"  another device: {final}: its header states serial S-1; the captures of unit " in (
        dry.stdout
    )


def test_one_serial_stated_by_some_captures_is_no_conflict(rig: ModuleType, tmp_path: Path) -> None:
    """Captures stating one serial (up to case), beside captures stating none: all used."""
    root, setup = _unserialled(rig, tmp_path)
    _state(root / "conducted" / "unit_L1_final.csv", dut_serial="S-1")
    _state(root / "conducted" / "unit_L2_final.csv", dut_serial=" s-1 ")
    res, doc, _ = _dossier(root, setup, tmp_path / "out")
    assert res.exit_code == 0, res.output
    assert doc["units"][0]["other_device"] == []


def test_naming_the_units_serial_sets_aside_only_the_other_serials_captures(
    rig: ModuleType, tmp_path: Path
) -> None:
    """With [dut.serials] naming S-1, the S-2 capture is another device's; S-1's are used."""
    root, setup = _rig(rig, tmp_path)  # [dut.serials] unit = "S-1"
    _state(root / "conducted" / "unit_L1_final.csv", dut_serial="S-1")
    _state(root / "conducted" / "unit_L1_prescan.csv", dut_serial="S-2")
    res, doc, _ = _dossier(root, setup, tmp_path / "out")
    assert res.exit_code == 0, res.output  # the final scan fills L1 QP and AV
    aside = doc["units"][0]["other_device"]
    assert [(o["stated"]["serial"], o["conflict"]) for o in aside] == [("S-2", None)]


def test_stated_dut_reads_the_header_keys_as_lot_does() -> None:
    c = Capture(metadata={"DUT-Model": " NX-7 ", "dut serial": "A1", "model": "ESR3"})
    assert stated_dut(c) == DutIdentity("NX-7", "A1")
    assert stated_dut(Capture(metadata={"model": "ESR3"})) == DutIdentity()


def test_stated_dut_reads_the_dut_firmware_not_the_instruments() -> None:
    c = Capture(metadata={"DUT Firmware": " 2.0 ", "firmware": "FW 4.1"})
    assert stated_dut(c) == DutIdentity(firmware="2.0")
    assert stated_dut(c).text() == "firmware 2.0"
    assert stated_dut(Capture(metadata={"firmware": "FW 4.1"})) == DutIdentity()
    assert DutIdentity("HC-3A", "S-F", "2.0").text() == "model HC-3A, serial S-F, firmware 2.0"


def test_other_device_compares_the_firmware_only_when_both_state_one() -> None:
    unit = DutIdentity("HC-3A", "S-F", "1.0")
    assert other_device(DutIdentity("HC-3A", "S-F", " 1.0 "), unit) is None
    assert other_device(DutIdentity(firmware="2.0"), unit) == DutIdentity(firmware="2.0")
    assert other_device(DutIdentity(firmware="2.0"), DutIdentity("HC-3A", "S-F")) is None


def test_a_unit_whose_captures_state_two_firmware_versions_is_not_passed(
    rig: ModuleType, tmp_path: Path
) -> None:
    """The L1 captures state firmware 1.0 and 2.0: not one device, both set aside."""
    root, setup = _rig(rig, tmp_path)
    final, prescan = (root / "conducted" / f"unit_L1_{k}.csv" for k in ("final", "prescan"))
    _state(final, dut_firmware="1.0")
    _state(prescan, dut_firmware="2.0")
    _state(root / "conducted" / "unit_L2_final.csv", dut_firmware="1.0")
    res, doc, page1 = _dossier(root, setup, tmp_path / "out")
    assert res.exit_code == 5, res.output  # was 0: "unit: PASS"
    unit = doc["units"][0]
    aside = unit["other_device"]
    assert [o["stated"]["firmware"] for o in aside] == ["1.0", "2.0", "1.0"]
    conflict = aside[1]["conflict"]
    assert conflict.startswith("2 firmware versions: 1.0 (conducted/unit_L1_final.csv, ")
    assert conflict.endswith("; 2.0 (conducted/unit_L1_prescan.csv)")
    shown_prescan = prescan.relative_to(tmp_path).as_posix()
    finding = next(f for f in doc["findings"] if f["subject"] == shown_prescan)
    assert finding["message"].startswith(
        f"{shown_prescan}: its header states firmware 2.0, but this unit's captures state "
        f"{conflict}, and one device runs one firmware: the record cannot attribute"
    )
    gap = f"{shown_prescan} states firmware 2.0, one of the 2 firmware versions this unit's"
    assert _flat(gap) in page1
    dry = _run("dossier", str(root), "--setup", str(setup), "--dry-run")
    assert dry.exit_code == 5
    said = f"the captures of unit unit state {conflict}, and one device runs one firmware: "
    assert said in dry.stdout


def test_one_firmware_stated_by_some_captures_is_no_conflict(
    rig: ModuleType, tmp_path: Path
) -> None:
    root, setup = _rig(rig, tmp_path, dut_firmware="1.0")
    _state(root / "conducted" / "unit_L2_final.csv", dut_firmware=" 1.0 ")
    res, doc, _ = _dossier(root, setup, tmp_path / "out")
    assert res.exit_code == 0, res.output
    assert doc["units"][0]["other_device"] == []


def test_other_device_compares_only_what_both_state() -> None:
    unit = DutIdentity("HC-3A", "S-F")
    assert other_device(DutIdentity(" hc-3a ", "s-f"), unit) is None
    assert other_device(DutIdentity("HC-9"), unit) == DutIdentity("HC-9")
    assert other_device(DutIdentity(None, "S-G"), unit) == DutIdentity(None, "S-G")
    assert other_device(DutIdentity("HC-9", "S-G"), DutIdentity()) is None  # unit not stated


def test_the_finding_says_the_cells_were_judged_and_names_a_set_aside_reading_over_the_limit(
    rig: ModuleType, tmp_path: Path
) -> None:
    """Another device's final list beside the unit's own captures of L1.

    The finding said "the cells it would fill read not measured" while they read PASS from the
    unit's own captures, and did not say that the file set aside holds a CAV reading over the
    AV limit: whether its header is right decides between PASS and FAIL. By hand: CAV 49.00
    dBµV at 2 MHz (no transducer in the rig) against 46.00 (47 CFR 15.107(a)), -3.00 dB.
    """
    root, setup = _rig(rig, tmp_path)
    other = root / "conducted" / "unit_L1_other.csv"
    rig.write_csv(
        other, np.array([2.0]), {"QP (dBuV)": np.array([50.0]), "CAvg (dBuV)": np.array([49.0])}
    )
    _state(other, dut_model="HC-9")
    res, doc, _ = _dossier(root, setup, tmp_path / "out")
    assert res.exit_code == 0, res.output
    assert all(c["verdict"] == "PASS" for c in doc["units"][0]["cells"] if c["port"] == "L1")
    shown = "in/conducted/unit_L1_other.csv"
    message = next(f["message"] for f in doc["findings"] if f["subject"] == shown)
    assert "read not measured" not in message, message
    assert (
        "the cells of port L1 over its one frequency, 2 MHz, are judged from this unit's other "
        "captures of L1 there (in/conducted/unit_L1_final.csv, in/conducted/unit_L1_prescan.csv)"
        ", without it"
    ) in message, message
    assert (
        "it holds a reading over the limit, set aside with it and not used for this unit's "
        "verdict: L1 AV (fcc-15.107-b) -3.00 dB at 2 MHz (49.00 dBµV against 46.00)"
    ) in message, message


def test_the_finding_of_a_port_with_no_other_capture_says_not_measured(
    rig: ModuleType, tmp_path: Path
) -> None:
    root, setup = _rig(rig, tmp_path, dut_model="HC-9")
    _, doc, _ = _dossier(root, setup, tmp_path / "out")
    shown = "in/conducted/unit_L1_final.csv"
    message = next(f["message"] for f in doc["findings"] if f["subject"] == shown)
    assert "the cells it would fill (port L1, 0.15-30 MHz) read not measured" in message
    assert "over the limit" not in message  # the rig's finals pass
