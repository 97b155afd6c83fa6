"""What a two-distance record says: captures not used, margins' distances, gaps in the bands.

A radiated capture whose measurement distance the plan's ``distance_bands`` cannot give (its
span lies in two bands, or reaches a gap between them) was read: its cells say it could not
be used, never that it could not be read, and its error row says why. Under two distances
the terminal's and the entry sheet's deciding cell name the distance its margin was judged
at, as page 1 does. Bands that leave part of the required radiated range without a distance
are warned about, naming the range (``docs/dossier.md``, "The plan", "Measurement
distances", "Cells").

Class A at 10 m, 47 CFR 15.109(b): 150 µV/m = 43.52 dBµV/m for 88-216 MHz; the rig's V scan
with 44 dBµV/m at 100 MHz measured at 10 m is 43.52 - 44 = -0.48 dB.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
from click.testing import CliRunner
from pypdf import PdfReader

from rfcheck.cli import main

#: The plan's distance per frequency range: 10 m up to 1 GHz, 3 m above.
BANDS = (
    "distance_bands = [ { stop_hz = 1e9, distance_m = 10 }, { start_hz = 1e9, distance_m = 3 } ]"
)


def _run(*args: str) -> Any:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def _class_a(rig: ModuleType, path: Path, bands: str = BANDS, extra: str = "") -> Path:
    text = rig.SETUP.replace('class = "B"', 'class = "A"').replace("distance_m = 3\n", bands + "\n")
    path.write_text(text + extra, encoding="utf-8")
    return path


def _flat(text: str) -> str:
    return " ".join(text.split())


def _straddling(rig: ModuleType, root: Path) -> Path:
    """Write the rig with H's only radiated capture a 30 MHz-6 GHz scan: in both bands."""
    rig.write_rig(root, skip=("H_30M-1G", "H_1G-6G"))
    f = np.linspace(30.0, 6000.0, 3000)
    path = root / "radiated" / "unit_H_30M-6G.csv"
    rig.write_csv(path, f, {"Peak (dBuV/m)": np.full(f.shape, 30.0)}, 1e6, "port H")
    return path


def test_a_capture_whose_distance_is_unknown_was_read_and_is_said_not_used(
    rig: ModuleType, tmp_path: Path
) -> None:
    """Every output said "could not be read" of a file rfcheck had read; the error row why."""
    capture = _straddling(rig, tmp_path / "in")
    setup = _class_a(rig, tmp_path / "setup.toml")
    out = tmp_path / "out"
    res = _run("dossier", str(tmp_path / "in"), "--setup", str(setup), "--out", str(out))
    assert res.exit_code == 3, res.output
    assert res.stdout.splitlines()[0] == (
        f"unit: ERROR (capture could not be used: H QP, AV, PK from {capture}) (1 error row(s))"
    )
    assert res.stderr == (
        f"rfcheck: error: {capture}: its span 30-6000 MHz lies in 2 [plan] distance_bands of "
        "different distances (10 m up to 1000 MHz, 3 m from 1000 MHz), so its measurement "
        "distance is unknown, and no [[rule]] states it: give the file its distance_m in a "
        "[[rule]] matching it\n"
    )
    shown = capture.relative_to(tmp_path).as_posix()
    page = (out / "unit" / "dossier.html").read_text(encoding="utf-8")
    assert (
        f"<li>H QP 30-1000 MHz (fcc-15.109-a): capture could not be used: {shown} (see Errors)</li>"
    ) in page
    assert f"<td>capture could not be used (see Errors)</td><td>{shown} (could not be used)" in (
        page
    )
    assert f"<p>Not judged: capture could not be used: {shown} (see Errors).</p>" in page
    pdf = _flat(" ".join(p.extract_text() for p in PdfReader(out / "unit" / "dossier.pdf").pages))
    text = _flat(html.unescape(re.sub(r"<[^>]+>", " ", page)))
    for said in (res.output, text, pdf):
        assert "could not be read" not in said
    assert "H · fcc-15.109-a QP · 30-1000 MHz: ERROR clause: 47 CFR 15.109(a)/(b); " in pdf
    assert "below 1000 MHz captures: none judged capture could" in pdf
    dry = _run("dossier", str(tmp_path / "in"), "--setup", str(setup), "--dry-run")
    assert f"  H    fcc-15.109-a QP 30-1000 MHz: ERROR (could not be used: {capture})" in (
        dry.stdout.splitlines()
    )
    assert "could not be read" not in dry.output


def test_a_file_that_could_not_be_read_says_why_in_its_error_row(
    rig: ModuleType, tmp_path: Path
) -> None:
    """The cells' one wording is true of both; the error row keeps the reading failure."""
    root = rig.write_rig(tmp_path / "in", skip=("L1_prescan", "L1_final"))
    junk = root / "conducted" / "unit_L1_final.csv"
    junk.write_bytes(b"\x00\x01\x02junk")
    setup = rig.write_setup(tmp_path / "setup.toml")
    res = _run("dossier", str(root), "--setup", str(setup), "--dry-run")
    assert f"  L1   fcc-15.107-b QP 0.15-30 MHz: ERROR (could not be used: {junk})" in (
        res.stdout.splitlines()
    )
    assert res.stderr.startswith(
        f"rfcheck: error: {junk}: unrecognised capture format: binary data, not a text export"
    )


def test_a_span_reaching_a_gap_names_the_range_without_a_distance(
    rig: ModuleType, tmp_path: Path
) -> None:
    """The error row once said "reaches outside them", naming no bands and no range."""
    root = rig.write_rig(tmp_path / "in")
    bands = (
        "distance_bands = [ { stop_hz = 1e9, distance_m = 10 }, "
        "{ start_hz = 1.5e9, distance_m = 3 } ]"
    )
    setup = _class_a(rig, tmp_path / "setup.toml", bands)
    res = _run("dossier", str(root), "--setup", str(setup), "--dry-run")
    assert res.exit_code == 3
    capture = root / "radiated" / "unit_H_1G-6G.csv"
    assert (
        f"rfcheck: error: {capture}: its span 1000-6000 MHz reaches 1000-1500 MHz, where no "
        "[plan] distance_bands entry gives a distance (10 m up to 1000 MHz, 3 m from 1500 "
        "MHz), so its measurement distance is unknown, and no [[rule]] states it: give the "
        "file its distance_m in a [[rule]] matching it"
    ) in res.stderr.splitlines()


def test_a_gap_in_the_bands_inside_the_required_range_is_warned_about(
    rig: ModuleType, tmp_path: Path
) -> None:
    """A stop_hz of 999 MHz before a start_hz of 1 GHz was accepted without a word.

    Every capture reaching 999-1000 MHz (each 30 MHz-1 GHz scan) then became an error row.
    The rig's device is required up to 5000 MHz (highest frequency 700 MHz, 15.33(b)(1)).
    """
    root = rig.write_rig(tmp_path / "in")
    cases = {
        "999 MHz": (
            "distance_bands = [ { stop_hz = 0.999e9, distance_m = 10 }, "
            "{ start_hz = 1e9, distance_m = 3 } ]",
            "10 m up to 999 MHz, 3 m from 1000 MHz",
            "999-1000 MHz",
        ),
        "1.5 GHz": (
            "distance_bands = [ { stop_hz = 1e9, distance_m = 10 }, "
            "{ start_hz = 1.5e9, distance_m = 3 } ]",
            "10 m up to 1000 MHz, 3 m from 1500 MHz",
            "1000-1500 MHz",
        ),
        "from 100 MHz": (
            "distance_bands = [ { start_hz = 1e8, stop_hz = 1e9, distance_m = 10 }, "
            "{ start_hz = 1e9, distance_m = 3 } ]",
            "10 m at 100-1000 MHz, 3 m from 1000 MHz",
            "30-100 MHz",
        ),
    }
    for name, (bands, text, gap) in cases.items():
        setup = _class_a(rig, tmp_path / f"{name}.toml", bands)
        res = _run("dossier", str(root), "--setup", str(setup), "--dry-run")
        assert res.stderr.splitlines()[0] == (
            f"rfcheck: warning: {setup}: [plan] distance_bands ({text}) give no measurement "
            f"distance at {gap}, inside the radiated range the plan requires (30-5000 MHz): a "
            "capture reaching there is an error row unless a [[rule]] matching it states its "
            "distance_m"
        ), name


def test_bands_that_leave_no_required_range_without_a_distance_give_no_warning(
    rig: ModuleType, tmp_path: Path
) -> None:
    """Bands meeting at 1 GHz, and a gap above the 5000 MHz the plan requires: no warning."""
    root = rig.write_rig(tmp_path / "in")
    for name, bands in {
        "touching": BANDS,
        "above": (
            "distance_bands = [ { stop_hz = 1e9, distance_m = 10 }, "
            "{ start_hz = 1e9, stop_hz = 6e9, distance_m = 3 }, "
            "{ start_hz = 7e9, distance_m = 1 } ]"
        ),
    }.items():
        setup = _class_a(rig, tmp_path / f"{name}.toml", bands)
        res = _run("dossier", str(root), "--setup", str(setup), "--dry-run")
        assert res.exit_code == 0, (name, res.output)
        assert res.stderr == "", name


def test_bands_of_one_distance_meeting_end_to_end_print_once(
    rig: ModuleType, tmp_path: Path
) -> None:
    """They printed as "10 m up to 1000 MHz, 10 m from 1000 MHz"."""
    root = rig.write_rig(tmp_path / "in")
    bands = (
        "distance_bands = [ { stop_hz = 1e9, distance_m = 10 }, "
        "{ start_hz = 1e9, distance_m = 10 } ]"
    )
    setup = _class_a(rig, tmp_path / "setup.toml", bands)
    res = _run("dossier", str(root), "--setup", str(setup), "--dry-run")
    assert res.stdout.splitlines()[0] == (
        "plan fcc-part15b class A: mains lines L1, L2; polarisations H, V at 10 m; radiated up "
        "to 5000 MHz (47 CFR 15.33(b)(1))"
    )


#: The rig's one unit as the entry's tested serial.
ENTRY = """
[dut.serials]
unit = "S-1"

[entry]
entry_number = "E-1"
port_of_entry = "Los Angeles, CA (2704)"
import_condition = 1
quantity = 240
models = ["Test rig"]
serials = ["S-1..S-240"]
tested_serials = ["S-1"]
"""


def _failing_v(rig: ModuleType, root: Path) -> None:
    """Write the rig with V's 30 MHz-1 GHz scan at 44 dBµV/m at 100 MHz (25 elsewhere)."""
    rig.write_rig(root)
    f = np.linspace(30.0, 1000.0, 8084)
    level = np.full(f.shape, 25.0)
    level[np.argmin(np.abs(f - 100.0))] = 44.0
    rig.write_csv(root / "radiated" / "unit_V_30M-1G.csv", f, {"QP (dBuV/m)": level}, 120e3, "V")


def test_the_deciding_margin_names_its_distance_under_two_distances(
    rig: ModuleType, tmp_path: Path
) -> None:
    """The terminal and the entry sheet said "-0.48 dB at 99.9629 MHz", page 1 "judged at 10 m".

    A margin is against the limit at its own distance: at 3 m the same reading passes by
    +9.98 dB (53.98 - 44).
    """
    _failing_v(rig, tmp_path / "in")
    setup = _class_a(rig, tmp_path / "setup.toml", extra=ENTRY)
    out = tmp_path / "out"
    res = _run("dossier", str(tmp_path / "in"), "--setup", str(setup), "--out", str(out))
    assert res.exit_code == 1, res.output
    deciding = "V QP 30-1000 MHz: -0.48 dB at 99.9629 MHz; judged at 10 m"
    assert res.stdout.splitlines()[0] == f"unit: FAIL ({deciding})"
    (unit,) = json.loads((out / "entry.json").read_text(encoding="utf-8"))["units"]
    assert unit["decided_by"] == deciding
    entry = _flat(" ".join(p.extract_text() for p in PdfReader(out / "entry.pdf").pages))
    assert deciding in entry
    page1 = _flat(PdfReader(out / "unit" / "dossier.pdf").pages[0].extract_text())
    assert (
        "V QP 30-1000 MHz (fcc-15.109-a): -0.48 dB at 99.9629 MHz (measured); judged at 10 m"
    ) in page1


def test_one_distance_names_none(rig: ModuleType, tmp_path: Path) -> None:
    """With one distance the record names it once; the deciding margin reads as before."""
    _failing_v(rig, tmp_path / "in")
    text = rig.SETUP.replace('class = "B"', 'class = "A"').replace(
        "distance_m = 3\n", "distance_m = 10\n"
    )
    setup = tmp_path / "setup.toml"
    setup.write_text(text, encoding="utf-8")
    res = _run("dossier", str(tmp_path / "in"), "--setup", str(setup), "--out", str(tmp_path / "o"))
    assert res.stdout.splitlines()[0] == "unit: FAIL (V QP 30-1000 MHz: -0.48 dB at 99.9629 MHz)"
