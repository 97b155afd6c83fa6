"""A verdict on a recording that states no scale says its levels rest on the default scale.

Its samples are taken as volts (1 V per sample value, full scale or raw count:
:mod:`rfcheck.io.iq_scale`); every level depends on that, so any verdict but ERROR (a FAIL
too) names the assumption on its verdict line, in the JSON and on the reports' banner.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from rfcheck.cli import main
from rfcheck.io.iq_scale import default_scale_unit, rests_on_default_scale


@pytest.mark.parametrize(
    ("cell", "assumed"),
    [
        ("default 1 V per sample value 1.0", True),
        ("default 1 V per full scale", True),
        ("stated 0.5 V per full scale", False),
        ("file rfcheck:volts_per_unit", False),
        ("", False),
        (
            "a.sigmf-meta: file rfcheck:volts_per_unit; b.sigmf-meta: default 1 V per raw count",
            True,
        ),
        ("a.sigmf-meta: stated 2 V per full scale; b.sigmf-meta: file ScalingFactor", False),
    ],
)
def test_a_scale_cell_says_whether_it_rests_on_the_default(cell: str, assumed: bool) -> None:
    assert rests_on_default_scale(cell) is assumed


@pytest.mark.parametrize(
    ("cell", "per"),
    [
        ("default 1 V per full scale", "full scale"),
        ("stated 0.5 V per full scale", None),
        ("a.sigmf-meta: file ScalingFactor; b.sigmf-meta: default 1 V per raw count", "raw count"),
        (
            "a.sigmf-meta: default 1 V per sample value; b.sigmf-meta: default 1 V per raw count",
            "sample value",
        ),
    ],
)
def test_a_scale_cell_names_what_the_default_volt_was_taken_per(cell: str, per: str | None) -> None:
    assert default_scale_unit(cell) == per


def _check(meta: Path, out: Path) -> tuple[str, dict[str, object], str]:
    res = CliRunner().invoke(
        main,
        ["check", str(meta), "--limit", "fcc-15.107-b", "--report", "json,html", "--out", str(out)],
    )
    assert res.exit_code in (0, 1, 4, 5), res.output
    doc = json.loads((out / f"{meta.stem}.json").read_text(encoding="utf-8"))
    return res.output, doc, (out / f"{meta.stem}.html").read_text(encoding="utf-8")


def test_a_recording_stating_no_scale_qualifies_even_a_fail(
    sigmf_cw: Callable[..., Path], tmp_path: Path
) -> None:
    meta = sigmf_cw(tmp_path / "in")  # a 77 dBuV CW at 1 V per sample value: over the limit
    text, doc, html = _check(meta, tmp_path / "out")
    cap = doc["captures"][0]  # type: ignore[index]
    assert cap["verdict"] == "FAIL"
    assert cap["assumed_scale"] is True
    lines = text.splitlines()
    verdict = next(line for line in lines if line.startswith("   verdict: "))
    assert verdict.startswith("   verdict: FAIL (")
    assert verdict.endswith(
        "; levels assume 1 V per sample value 1.0, no scale stated in the recording)"
    )
    overall = next(line for line in lines if line.startswith("overall verdict: "))
    assert overall.endswith(" (levels assume a recording's scale not stated in the file)")
    assert "OVERALL RESULT: FAIL (ASSUMED SCALE)" in html
    assert "ASSUMED SCALE: the levels assume 1 V per sample value 1.0" in html


def test_a_scale_the_file_states_assumes_nothing(
    sigmf_cw: Callable[..., Path], tmp_path: Path
) -> None:
    meta = sigmf_cw(tmp_path / "in", glob={"rfcheck:volts_per_unit": 1.0})
    text, doc, html = _check(meta, tmp_path / "out")
    assert doc["captures"][0]["assumed_scale"] is False  # type: ignore[index]
    assert "levels assume" not in text
    assert "ASSUMED SCALE" not in html
