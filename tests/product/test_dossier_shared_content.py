"""One capture content filed under two units is evidence for neither.

A record is the record of the unit tested (47 CFR 2.938(b)): when two units' folders hold
byte-identical captures (the same SHA-256), one measurement is presented as two tested
devices. The dossier once gave both units PASS with no finding. Each such
capture is now set aside in every unit holding it, as a capture stating another device is:
the cells it would fill read MISSING for the unit, a finding names the file and the other
units, and the record never reads complete.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
from click.testing import CliRunner, Result
from pypdf import PdfReader

from rfcheck.cli import main
from rfcheck.shared_content import Filed, shared_content

GROUPS = '\n[batch]\ngroup_pattern = "^(?P<unit>rig[A-Z])_"\n'


def _run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def _three_units(rig: ModuleType, tmp: Path) -> tuple[Path, Path]:
    """rigA, rigB and rigC: rigC's captures are copies of rigB's, and one file is all three's.

    ``radiated/rig?_H_1G-6G.csv`` (the only H capture above 1 GHz) is one content under
    every unit. Returns (captures folder, setup).
    """
    root = tmp / "in"
    rig.write_rig(root, unit="rigA")
    rig.write_rig(root, unit="rigB")
    for f in sorted(root.rglob("rigB_*")):
        shutil.copyfile(f, f.with_name(f.name.replace("rigB", "rigC")))
    _shared(root / "radiated", "H_1G-6G.csv", "rigA", "rigB", "rigC")
    return root, rig.write_setup(tmp / "setup.toml", GROUPS)


def _shared(folder: Path, name: str, first: str, *others: str) -> None:
    """Give ``first``'s capture ``name`` a content of its own, then copy it to ``others``.

    The rig's H and V captures of one unit are alike: a line naming the polarisation makes
    this one a content no other file of the unit holds.
    """
    mine = folder / f"{first}_{name}"
    mine.write_text(f"# antenna: {name}\n" + mine.read_text("utf-8"), encoding="utf-8")
    for u in others:
        shutil.copyfile(mine, folder / f"{u}_{name}")


def _unit(out: Path, unit: str) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads((out / unit / "dossier.json").read_text("utf-8"))
    return doc


def test_copies_under_two_units_make_neither_pass(rig: ModuleType, tmp_path: Path) -> None:
    root, setup = _three_units(rig, tmp_path)
    out = tmp_path / "out"
    res = _run("dossier", str(root), "--setup", str(setup), "--out", str(out), "--format", "json")
    assert res.exit_code == 5, res.output  # INCOMPLETE: never the PASS each once read
    h_hi = [str(root / "radiated" / f"rig{u}_H_1G-6G.csv") for u in "ABC"]
    rel = [f"in/radiated/rig{u}_H_1G-6G.csv" for u in "ABC"]  # the record: as its manifest
    lines = res.stdout.splitlines()
    assert lines[0] == (
        "rigA: INCOMPLETE (missing: H AV 1000-5000 MHz; H PK 1000-5000 MHz) "
        f"(also another unit's or port's, not used: {h_hi[0]})"
    )
    assert lines[2].startswith("rigB: INCOMPLETE (missing: L1 QP 0.15-30 MHz; ")
    assert lines[4].startswith("rigC: INCOMPLETE (missing: L1 QP 0.15-30 MHz; ")

    a, b = _unit(out, "rigA"), _unit(out, "rigB")
    a_cells = {(c["port"], c["line"], c["range_hz"][0]): c for c in a["units"][0]["cells"]}
    assert [
        (c["verdict"], c["captures"], c["shared_content"])
        for k, c in a_cells.items()
        if k[0] == "H" and k[2] == 1e9
    ] == [("MISSING", [], [rel[0]])] * 2
    assert {c["verdict"] for c in b["units"][0]["cells"]} == {"MISSING"}  # every capture a copy
    assert a["units"][0]["shared_content"] == [
        {
            "path": rel[0],
            "port": "H",
            "sha256": a["units"][0]["shared_content"][0]["sha256"],
            "identical": "bytes",
            "also_filed_under": [
                {"unit": "rigB", "port": "H", "path": rel[1]},
                {"unit": "rigC", "port": "H", "path": rel[2]},
            ],
        }
    ]
    finding = next(f for f in a["findings"] if f["subject"] == rel[0])
    assert finding["kind"] == "capture-shared-with-another-unit"
    assert finding["message"].startswith(
        f"{rel[0]}: the same file content (SHA-256) is filed under unit rigB ({rel[1]}), "
        f"unit rigC ({rel[2]}): one measurement cannot be the record of two units, so it is "
        "not evidence for unit rigA"
    )
    b5 = next(i for i in b["checklist"] if i["clause"] == "2.938(b)(5)")
    assert b5["status"] == "missing"
    assert b["record_incomplete"] is not None

    summary = json.loads((out / "summary.json").read_text("utf-8"))
    assert [(u["unit"], u["verdict"], len(u["shared_content"])) for u in summary["units"]] == [
        ("rigA", "INCOMPLETE", 1),
        ("rigB", "INCOMPLETE", 8),
        ("rigC", "INCOMPLETE", 8),
    ]


def test_the_dry_run_names_the_shared_captures(rig: ModuleType, tmp_path: Path) -> None:
    root, setup = _three_units(rig, tmp_path)
    res = _run("dossier", str(root), "--setup", str(setup), "--dry-run")
    assert res.exit_code == 5, res.output
    lines = res.stdout.splitlines()
    assert "rigA: 7 capture(s) (1 also filed under another unit or port, set aside)" in lines
    assert "rigC: 0 capture(s) (8 also filed under another unit or port, set aside)" in lines
    assert (
        "  H    fcc-15.109-b AV 1000-5000 MHz: MISSING for this unit (also filed under another "
        "unit or port, set aside: radiated/rigA_H_1G-6G.csv)"
    ) in lines
    shared = [x for x in lines if x.startswith("  shared capture: ")]
    assert len(shared) == 1 + 8 + 8
    assert shared[0].endswith(
        f"is filed under unit rigB ({root / 'radiated' / 'rigB_H_1G-6G.csv'}), unit rigC "
        f"({root / 'radiated' / 'rigC_H_1G-6G.csv'}): one measurement, not used for unit rigA"
    )


def test_the_record_names_the_shared_capture_on_page_1(rig: ModuleType, tmp_path: Path) -> None:
    root = tmp_path / "in"
    rig.write_rig(root, unit="rigA")
    rig.write_rig(root, unit="rigB")
    _shared(root / "radiated", "V_30M-1G.csv", "rigA", "rigB")
    setup = rig.write_setup(tmp_path / "setup.toml", GROUPS)
    out = tmp_path / "out"
    res = _run("dossier", str(root), "--setup", str(setup), "--out", str(out), "--format", "pdf")
    assert res.exit_code == 5, res.output
    pages = PdfReader(str(out / "rigB" / "dossier.pdf")).pages
    page1 = "".join(pages[0].extract_text().split())
    mine, theirs = (f"in/radiated/rig{u}_V_30M-1G.csv" for u in "BA")  # as the manifest
    gap = f"{mine} is also filed under unit rigA ({theirs}): not shown to be this unit's"
    assert "".join(gap.split()) in page1  # "record incomplete: ..." with the setup's gaps
    said = "V QP 30-1000 MHz (fcc-15.109-b): not measured for this unit 30-1000 MHz"
    assert "".join(said.split()) in page1
    text = "".join("".join(p.extract_text() for p in pages).split())
    assert "".join(f"{mine}: the same file content (SHA-256) is filed under".split()) in text


def test_a_units_own_repeat_and_distinct_captures_are_not_shared(tmp_path: Path) -> None:
    a1, a2, b1 = (tmp_path / n for n in ("a1.csv", "a2.csv", "b1.csv"))
    a1.write_text("1,2\n")
    a2.write_text("1,2\n")  # the same unit twice: its own repeat, not this rule's
    b1.write_text("1,3\n")  # same size, other content
    files = [Filed("a", a1), Filed("a", a2), Filed("b", b1), Filed("b", tmp_path / "gone.csv")]
    assert shared_content(files) == {}
    b1.write_text("1,2\n")
    shared = shared_content(files)
    assert set(shared) == {a1, a2, b1}
    assert shared[b1].units == ("a", "b")
    assert shared[b1].others_text("b") == f"unit a ({a1.as_posix()}), unit a ({a2.as_posix()})"


def test_a_sigmf_recording_is_shared_only_when_its_samples_are(tmp_path: Path) -> None:
    """One metadata file over two units' different samples is two recordings."""
    for unit, data in (("a", b"\x00\x01"), ("b", b"\x00\x02")):
        (tmp_path / f"{unit}.sigmf-meta").write_text('{"global": {}}')
        (tmp_path / f"{unit}.sigmf-data").write_bytes(data)
    files = [Filed(u, tmp_path / f"{u}.sigmf-meta") for u in "ab"]
    assert shared_content(files) == {}
    (tmp_path / "b.sigmf-data").write_bytes(b"\x00\x01")
    assert set(shared_content(files)) == {tmp_path / "a.sigmf-meta", tmp_path / "b.sigmf-meta"}


def test_one_content_under_two_ports_of_one_unit_is_evidence_for_neither(
    rig: ModuleType, tmp_path: Path
) -> None:
    """The H file copied as V is one measurement presented as two ports."""
    root = tmp_path / "in"
    rig.write_rig(root)
    h, v = (root / "radiated" / f"unit_{p}_30M-1G.csv" for p in "HV")
    shutil.copyfile(h, v)
    setup = rig.write_setup(tmp_path / "setup.toml")
    out = tmp_path / "out"
    res = _run("dossier", str(root), "--setup", str(setup), "--out", str(out), "--format", "json")
    assert res.exit_code == 5, res.output  # INCOMPLETE, never PASS
    assert res.stdout.splitlines()[0] == (
        "unit: INCOMPLETE (missing: H QP 30-1000 MHz; V QP 30-1000 MHz) "
        f"(also another unit's or port's, not used: {h}, {v})"
    )
    doc = _unit(out, "unit")
    cells = {(c["port"], c["range_hz"][0]): c for c in doc["units"][0]["cells"]}
    assert [cells[p, 30e6]["verdict"] for p in "HV"] == ["MISSING", "MISSING"]
    rh, rv = (f"in/radiated/unit_{p}_30M-1G.csv" for p in "HV")  # the record: as its manifest
    assert doc["units"][0]["shared_content"][1]["also_filed_under"] == [
        {"unit": "unit", "port": "H", "path": rh}
    ]
    finding = next(f for f in doc["findings"] if f["subject"] == rh)
    assert finding["kind"] == "capture-shared-with-another-unit"
    assert finding["message"].startswith(
        f"{rh}: the same file content (SHA-256) is filed under port V of unit unit ({rv}): one "
        "measurement cannot be the record of two ports (or units), so it is not evidence for "
        "port H of unit unit"
    )
    b5 = next(i for i in doc["checklist"] if i["clause"] == "2.938(b)(5)")
    assert b5["status"] == "missing"

    res = _run("dossier", str(root), "--setup", str(setup), "--dry-run")
    shared = [x for x in res.stdout.splitlines() if x.startswith("  shared capture: ")]
    assert shared[0].endswith(
        f"is filed under port V of unit unit ({v}): one measurement presented as ports H "
        "and V, not used for port H of unit unit"
    )


def test_two_copies_under_one_port_of_one_unit_are_a_repeat(
    rig: ModuleType, tmp_path: Path
) -> None:
    root = tmp_path / "in"
    rig.write_rig(root)
    h = root / "radiated" / "unit_H_30M-1G.csv"
    shutil.copyfile(h, root / "radiated" / "unit_H_30M-1G_again.csv")
    setup = rig.write_setup(tmp_path / "setup.toml")
    out = tmp_path / "out"
    res = _run("dossier", str(root), "--setup", str(setup), "--out", str(out), "--format", "json")
    assert "not used" not in res.stdout, res.output
    assert _unit(out, "unit")["units"][0]["shared_content"] == []


def test_ports_of_one_unit_are_compared_only_when_given(tmp_path: Path) -> None:
    h, v, h2 = (tmp_path / n for n in ("h.csv", "v.csv", "h2.csv"))
    for f in (h, v, h2):
        f.write_text("1,2\n")
    assert shared_content([Filed("a", h), Filed("a", v)]) == {}  # ports not told
    assert shared_content([Filed("a", h, "H"), Filed("a", h2, "H")]) == {}  # one port's repeat
    shared = shared_content([Filed("a", h, "H"), Filed("a", h2, "H"), Filed("a", v, "V")])
    assert set(shared) == {h, h2, v}
    assert shared[v].others_text("a", "V") == (
        f"port H of unit a ({h.as_posix()}), port H of unit a ({h2.as_posix()})"
    )
    assert shared[h].others_text("a", "H") == f"port V of unit a ({v.as_posix()})"


def test_the_l1_file_resaved_as_l2_is_not_the_l2_measurement(
    rig: ModuleType, tmp_path: Path
) -> None:
    """CRLF line ends and an edited header line: other bytes, the same measurement.

    The unit read PASS with L2 never measured; the byte-identical copy was already set aside.
    """
    root = tmp_path / "in"
    rig.write_rig(root, skip=("L2_prescan",))
    fc = np.linspace(0.15, 30.0, int(np.ceil(29.85e6 / 9e3)) + 1)
    ripple = np.random.default_rng(1).uniform(-1, 1, fc.size).round(2)
    l1 = rig.write_csv(
        root / "conducted" / "unit_L1_final.csv",
        fc,
        {"QP (dBuV)": 38.0 + ripple, "CAvg (dBuV)": 28.0 + ripple},
        note="port L1",
    )
    l2 = root / "conducted" / "unit_L2_final.csv"
    text = l1.read_text("utf-8").replace("# note: port L1", "# note: port L2")
    l2.write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    setup = rig.write_setup(tmp_path / "setup.toml")
    out = tmp_path / "out"
    res = _run("dossier", str(root), "--setup", str(setup), "--out", str(out), "--format", "json")
    assert res.exit_code == 5, res.output  # INCOMPLETE, never PASS
    assert res.stdout.splitlines()[0].endswith(
        f"(also another unit's or port's, not used: {l1}, {l2})"
    )
    doc = _unit(out, "unit")
    r1, r2 = (f"in/conducted/unit_{p}_final.csv" for p in ("L1", "L2"))
    entry = doc["units"][0]["shared_content"][1]
    assert (entry["path"], entry["identical"], entry["also_filed_under"]) == (
        r2,
        "readings",
        [{"unit": "unit", "port": "L1", "path": r1}],
    )
    finding = next(f for f in doc["findings"] if f["subject"] == r2)
    assert finding["message"].startswith(
        f"{r2}: a copy of its readings (the same numbers in the last 32 data rows, not the same "
        f"bytes: a re-saved or edited copy) is filed under port L1 of unit unit ({r1}): one "
        "measurement cannot be the record of two ports (or units), so it is not evidence for "
        "port L2 of unit unit"
    )
    res = _run("dossier", str(root), "--setup", str(setup), "--dry-run")
    shared = [x for x in res.stdout.splitlines() if x.startswith("  shared capture: ")]
    assert shared[1] == (
        f"  shared capture: {l2}: the same content (identical readings in the last 32 data rows, "
        f"not identical bytes) is filed under port L1 of unit unit ({l1}): one measurement "
        "presented as ports L2 and L1, not used for port L2 of unit unit"
    )
