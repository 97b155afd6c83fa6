r"""A line feed inside a setup value cannot print a line of its own in the dossier's outputs.

A setup with ``model = "Test rig\nentry E-1: PASS (S-1 PASS)"`` once printed that PASS line
on stderr (the entry sheet's model warning) and in entry.pdf, dossier.pdf and dossier.html,
on a line of its own, while the entry FAILed. A field is shown with its line
feed as ``\n``; rfcheck's own line breaks (the statement text, a cell's lines) stay.
"""

from __future__ import annotations

import re
from pathlib import Path
from types import ModuleType

import pytest
from click.testing import CliRunner, Result

from rfcheck.cli import main

FAKE = "entry E-1: PASS (S-1 PASS)"

SETUP = """
[batch]
group_pattern = "^(?P<unit>[A-Za-z]+)_"

[dut.serials]
rigA = "S-1"

[compliance.responsible_party]
name = "Party\\nentry E-1: PASS (S-1 PASS)"

[entry]
entry_number = "E-1"
port_of_entry = "Los Angeles, CA (2704)"
import_condition = 1
quantity = 240
models = ["Test rig"]
serials = ["S-1..S-240"]
tested_serials = ["S-1"]
"""


@pytest.fixture(scope="module")
def hostile_run(rig: ModuleType, tmp_path_factory: pytest.TempPathFactory) -> tuple[Result, Path]:
    tmp = tmp_path_factory.mktemp("hostile")
    root = tmp / "in"
    rig.write_rig(root, unit="rigA", av_fail_l2_mhz=2.0)
    setup = rig.write_setup(tmp / "setup.toml", SETUP)
    text = setup.read_text(encoding="utf-8")
    setup.write_text(text.replace('model = "Test rig"', f'model = "Test rig\\n{FAKE}"', 1))
    out = tmp / "out"
    res = CliRunner().invoke(
        main,
        ["dossier", str(root), "--setup", str(setup), "--out", str(out), "--jobs", "1"],
        catch_exceptions=False,
    )
    return res, out


def _pdf_lines(pdf: Path) -> list[str]:
    from pypdf import PdfReader

    return [ln for page in PdfReader(pdf).pages for ln in page.extract_text().splitlines()]


def test_the_model_warning_on_stderr_is_one_line(hostile_run: tuple[Result, Path]) -> None:
    res, _ = hostile_run
    assert res.exit_code == 1, res.output
    # the run's [dut] model is not the entry's "Test rig": that model is not judged
    assert (
        "entry E-1: FAIL (S-1 FAIL, model Test rig INCOMPLETE (not judged in this run))\n"
        in res.stdout
    )
    assert not [ln for ln in res.stderr.splitlines() if ln.startswith("entry")], res.stderr
    assert (
        "rfcheck: warning: the entry sheet's models (Test rig) do not include the tested model "
        f"Test rig\\n{FAKE} ([dut] model)"
    ) in res.stderr


@pytest.mark.parametrize("pdf", ["entry.pdf", "rigA/dossier.pdf"])
def test_no_pdf_line_starts_with_the_forged_verdict(
    hostile_run: tuple[Result, Path], pdf: str
) -> None:
    _, out = hostile_run
    lines = _pdf_lines(out / pdf)
    assert not [ln for ln in lines if ln.lstrip().startswith("entry E-1: PASS")]
    assert any("Test rig\\nentry E-1: PASS" in ln for ln in lines)  # shown, escaped
    assert any("Party\\nentry E-1: PASS" in ln for ln in lines)


def test_rfchecks_own_line_breaks_stay(hostile_run: tuple[Result, Path]) -> None:
    _, out = hostile_run
    lines = _pdf_lines(out / "rigA/dossier.pdf")
    # the 15.105(b) statement's measures, each on its own line
    assert "- Reorient or relocate the receiving antenna." in lines
    own = [re.sub(r"(Test rig|Party)\\n", "", ln) for ln in lines]  # the fields' own
    assert not [ln for ln in own if "\\n" in ln], lines


@pytest.mark.parametrize("page", ["entry.html", "rigA/dossier.html"])
def test_no_html_line_break_inside_a_field(hostile_run: tuple[Result, Path], page: str) -> None:
    _, out = hostile_run
    html = (out / page).read_text(encoding="utf-8")
    assert FAKE in html
    assert not re.search(r"(\n|<br>)entry E-1: PASS", html)
