"""The record says what the 15.33(b)(1) upper frequency rests on, as the dry run does.

A device whose highest internal frequency is below 1.705 MHz is measured up to 30 MHz, where
the 15.109 limits start: no radiated cell is required. The dry run said why; the record
(HTML, PDF, JSON) listed "Polarisations H, V" and "Radiated scan up to 30 MHz" with no
radiated row and no word on it. ``dossier.json`` also lacked the highest internal frequency
and the note on a frequency at a row boundary of the 15.33(b)(1) table (1.705 MHz), which
``dossier.html`` prints, so 15.33 could not be re-checked from the JSON alone.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from types import ModuleType
from typing import Any

from click.testing import CliRunner
from pypdf import PdfReader

from rfcheck.cli import main

#: The sentence the dry run and the record print after an upper frequency of 30 MHz.
NO_RADIATED = (
    "where the radiated limits start (30 MHz): no radiated cell is required (15.33(b)(1): not "
    "below the lowest frequency for which a radiated emission limit is specified)"
)


def _flat(text: str) -> str:
    return " ".join(text.split())


def _dossier(rig: ModuleType, tmp: Path, highest: str) -> tuple[Any, Path]:
    rig.write_rig(tmp / "in")
    text = rig.SETUP.replace("highest_internal_frequency_hz = 700e6", highest)
    setup = tmp / "setup.toml"
    setup.write_text(text, encoding="utf-8")
    args = ["dossier", str(tmp / "in"), "--setup", str(setup), "--out", str(tmp / "out")]
    res = CliRunner().invoke(main, [*args, "--jobs", "1"], catch_exceptions=False)
    return res, tmp / "out" / "unit"


def test_the_record_says_why_no_radiated_cell_is_required(rig: ModuleType, tmp_path: Path) -> None:
    """The dry run's sentence, from its one home, in the HTML, the PDF and the JSON."""
    res, unit = _dossier(rig, tmp_path, "highest_internal_frequency_hz = 1e6")
    assert res.exit_code in (0, 1, 5), res.output
    setup = str(tmp_path / "setup.toml")
    dry = CliRunner().invoke(main, ["dossier", str(tmp_path / "in"), "--setup", setup, "--dry-run"])
    assert f"radiated up to 30 MHz (47 CFR 15.33(b)(1)), {NO_RADIATED}" in dry.output
    doc = json.loads((unit / "dossier.json").read_text(encoding="utf-8"))["units"][0]
    assert not [c for c in doc["cells"] if c["port_kind"] == "polarisation"]
    plan = doc["plan"]
    assert plan["upper_frequency_hz"] == 30e6
    assert plan["no_radiated_cell"] == NO_RADIATED
    assert plan["highest_internal_frequency_hz"] == 1e6
    assert plan["upper_frequency_note"] is None
    page = _flat(html.unescape(re.sub(r"<[^>]+>", " ", (unit / "dossier.html").read_text())))
    assert f"Radiated scan up to (47 CFR 15.33) 30 MHz, {NO_RADIATED}" in page
    pdf = _flat(" ".join(p.extract_text() for p in PdfReader(unit / "dossier.pdf").pages))
    assert _flat(NO_RADIATED).replace(" ", "") in pdf.replace(" ", "")


def test_the_json_carries_the_highest_frequency_and_the_boundary_note(
    rig: ModuleType, tmp_path: Path
) -> None:
    res, unit = _dossier(rig, tmp_path, "highest_internal_frequency_hz = 1.705e6")
    assert res.exit_code in (0, 1, 5), res.output
    plan = json.loads((unit / "dossier.json").read_text(encoding="utf-8"))["units"][0]["plan"]
    assert plan["highest_internal_frequency_hz"] == 1.705e6
    assert plan["upper_frequency_hz"] == 1e9
    assert plan["upper_frequency_note"] == (
        "a boundary of two rows of the table: the more demanding row (higher upper end) applies"
    )
    assert plan["no_radiated_cell"] is None
    page = html.unescape((unit / "dossier.html").read_text(encoding="utf-8"))
    assert plan["upper_frequency_note"] in page
