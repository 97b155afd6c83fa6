"""A conducted capture judged with no LISN factor is a record finding, never silent.

With ``lisn = ...`` removed from the conducted rule, every cell read PASS with no note,
though the levels were the receiver's readings at the LISN port, without its voltage
division factor (0.5-0.7 dB at 10 MHz for the LISN of that rig: each margin that much too
generous). A mains port's captures that get no LISN factor from the setup, and whose files
do not state that the instrument applied a transducer, are now a finding of the record
(``conducted-without-lisn-factor``): on page 1's findings count, in the findings section
and in ``dossier.json``. Like the transducer findings it is no gap of the 2.938(b)
checklist: the record still reads complete.
"""

from __future__ import annotations

import json
from pathlib import Path
from types import ModuleType
from typing import Any

from click.testing import CliRunner, Result
from pypdf import PdfReader

from rfcheck.cli import main
from rfcheck.io import instrument_applied_corrections, load_capture

SAMPLES = Path(__file__).resolve().parents[2] / "sample_captures"
#: An R&S ESRP receiver export of a conducted scan: ``Transducer;;;;;;;;`` (none applied).
RS_CONDUCTED = SAMPLES / "conducted" / "rig_L2_receiver_rs.DAT"
KIND = "conducted-without-lisn-factor"


def _run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def _dossier(root: Path, setup: Path, out: Path) -> dict[str, Any]:
    res = _run("dossier", str(root), "--setup", str(setup), "--out", str(out), "--jobs", "1")
    assert res.exit_code in (0, 5), res.output
    doc: dict[str, Any] = json.loads((out / "unit" / "dossier.json").read_text(encoding="utf-8"))
    return doc


def _message(port: str, files: list[str]) -> str:
    """Return the finding's message; ``files`` relative to the record's manifest root."""
    them = "it" if len(files) == 1 else "them"
    state = "its file does" if len(files) == 1 else "their files do"
    return (
        f"{port}: no LISN factor applied to {', '.join(files)}: levels are the "
        "receiver's readings at the LISN port without its voltage division factor (no lisn in "
        f"the setup's [check] or a [[rule]] matching {them}, and {state} not state that the "
        "instrument applied a transducer); 47 CFR 15.107 limits the voltage on the power "
        "line, the reading plus that factor, so each margin is too generous by it. Give the "
        f"LISN's table as lisn in a [[rule]] matching {them} (lisn = 0 if the levels already "
        "include it)"
    )


def test_conducted_captures_without_a_lisn_factor_are_a_finding(
    rig: ModuleType, tmp_path: Path
) -> None:
    root = rig.write_rig(tmp_path / "in")
    setup = rig.write_complete_setup(tmp_path / "setup.toml")
    doc = _dossier(root, setup, tmp_path / "out")
    assert doc["verdict"] == "PASS"  # a finding never changes the measurement verdict
    found = [f for f in doc["findings"] if f["kind"] == KIND]
    conducted = "in/conducted"  # as the record names inputs: under its manifest root
    assert found == [
        {
            "kind": KIND,
            "subject": line,
            "message": _message(
                line, [f"{conducted}/unit_{line}_final.csv", f"{conducted}/unit_{line}_prescan.csv"]
            ),
        }
        for line in ("L1", "L2")
    ]
    # no 2.938(b) item is missing: the record reads complete, the findings say the rest
    assert doc["record_incomplete"] is None
    pages = PdfReader(tmp_path / "out" / "unit" / "dossier.pdf").pages
    page1 = " ".join(pages[0].extract_text().split())
    assert "Record findings 2 (see the findings section)" in page1
    text = " ".join(" ".join(p.extract_text().split()) for p in pages)
    assert "L1: no LISN factor applied to " in text


def test_a_lisn_factor_from_the_setup_leaves_no_such_finding(
    rig: ModuleType, tmp_path: Path
) -> None:
    """``lisn = 0``: the lab states the levels already hold the LISN's factor."""
    root = rig.write_rig(tmp_path / "in")
    setup = rig.write_complete_setup(tmp_path / "setup.toml")
    text = setup.read_text(encoding="utf-8")
    setup.write_text(
        text.replace(
            'port_regex = "_(?P<port>L1|L2)_"', 'port_regex = "_(?P<port>L1|L2)_"\nlisn = 0'
        )
    )
    doc = _dossier(root, setup, tmp_path / "out")
    assert [f for f in doc["findings"] if f["kind"] == KIND] == []


def _rs_with_transducer(path: Path, transducer: str) -> Path:
    raw = RS_CONDUCTED.read_bytes().replace(b"Transducer;;;;;;;;", transducer.encode("latin-1"))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(raw)
    return path


def test_a_file_stating_the_instruments_transducer_needs_no_lisn_factor(
    rig: ModuleType, tmp_path: Path
) -> None:
    """An R&S export naming an active transducer already holds its factors."""
    root = rig.write_rig(tmp_path / "in", skip=("L1_prescan", "L1_final"))
    on = _rs_with_transducer(root / "conducted" / "unit_L1_rs.DAT", "Transducer;LISN-L1;;;;;;;")
    assert instrument_applied_corrections(load_capture(on))
    setup = rig.write_complete_setup(tmp_path / "setup.toml")
    doc = _dossier(root, setup, tmp_path / "out")
    assert [f["subject"] for f in doc["findings"] if f["kind"] == KIND] == ["L2"]


def test_a_file_whose_transducer_is_off_gets_the_finding(rig: ModuleType, tmp_path: Path) -> None:
    root = rig.write_rig(tmp_path / "in", skip=("L1_prescan", "L1_final"))
    off = _rs_with_transducer(root / "conducted" / "unit_L1_rs.DAT", "Transducer;;;;;;;;")
    assert not instrument_applied_corrections(load_capture(off))
    setup = rig.write_complete_setup(tmp_path / "setup.toml")
    doc = _dossier(root, setup, tmp_path / "out")
    (l1,) = [f for f in doc["findings"] if f["kind"] == KIND and f["subject"] == "L1"]
    assert l1["message"] == _message("L1", [off.relative_to(tmp_path).as_posix()])
