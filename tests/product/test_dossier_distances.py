"""Radiated captures measured at two distances in one record (47 CFR 15.31(f)(1)).

Labs measure a Class A product's radiated emissions at 10 m from 30 MHz to 1 GHz and at 3 m
above 1 GHz. The record once refused any distance but the plan's one; each capture is now
judged at its own distance (its ``[[rule]]``'s, else ``[check]``'s, else the plan's band for
its span), the limit re-expressed there, and a pool never mixes two distances.

Hand-computed from 47 CFR 15.109(b) (Class A, 10 m), 15.35(b) and 15.31(f)(1):

* QP, 88-216 MHz: 150 µV/m = 43.52 dBµV/m at 10 m; the rig's 36 dBµV/m at 100 MHz measured at
  10 m: margin +7.52 dB (judged as if at 3 m: 53.98, +17.98 dB);
* AV above 1 GHz: 300 µV/m = 49.54 dBµV/m at 10 m, + 20·log10(10/3) = +10.46 dB at 3 m:
  60.00 dBµV/m; the rig's CISPR-average 35 dBµV/m at 3 m: +25.00 dB (as if at 10 m: +14.54);
* PK above 1 GHz: AV + 20 dB = 80.00 dBµV/m at 3 m; the rig's peak 45: +35.00 dB.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from rfcheck.cli import main
from rfcheck.errors import SetupFileError
from rfcheck.product.plan import plan_from_setup
from rfcheck.settings import load_setup

#: The plan's distance per frequency range: 10 m up to 1 GHz, 3 m above.
BANDS = (
    "distance_bands = [ { stop_hz = 1e9, distance_m = 10 }, { start_hz = 1e9, distance_m = 3 } ]"
)


def _run(*args: str) -> Any:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def _class_a_setup(rig: ModuleType, path: Path, extra: str = "", text: str | None = None) -> Path:
    """Write the rig's setup as Class A, its distance given per band (``BANDS``)."""
    base = rig.SETUP if text is None else text
    base = base.replace('class = "B"', 'class = "A"').replace("distance_m = 3\n", BANDS + "\n")
    path.write_text(base + extra, encoding="utf-8")
    return path


def _dossier(root: Path, setup: Path, out: Path) -> tuple[Any, dict[str, Any]]:
    """Judge ``root`` into ``out`` (JSON only); return the result and the unit's JSON."""
    args = ["dossier", str(root), "--setup", str(setup), "--out", str(out), "--jobs", "1"]
    res = _run(*args, "--format", "json")
    doc = json.loads((out / "unit" / "dossier.json").read_text(encoding="utf-8"))
    return res, doc["units"][0]


def _cells(unit: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {(c["port"], c["line"]): c for c in unit["cells"]}


def _flat(text: str) -> str:
    return " ".join(text.split())


def _pdf_text(pdf: Path) -> str:
    return _flat(" ".join(p.extract_text() for p in PdfReader(pdf).pages))


def _html_text(page: str) -> str:
    return _flat(html.unescape(re.sub(r"<[^>]+>", " ", page)))


@pytest.fixture(scope="module")
def class_a(rig: ModuleType, tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, Path]:
    """Judge the rig as a Class A product: 30 MHz-1 GHz at 10 m, 1-6 GHz at 3 m (bands)."""
    tmp = tmp_path_factory.mktemp("class_a")
    rig.write_rig(tmp / "in")
    setup = _class_a_setup(rig, tmp / "setup.toml")
    out = tmp / "out"
    res = _run("dossier", str(tmp / "in"), "--setup", str(setup), "--out", str(out), "--jobs", "1")
    return res, out / "unit"


def test_each_capture_is_judged_at_its_band_s_distance(class_a: tuple[Any, Path]) -> None:
    res, unit_dir = class_a
    assert res.exit_code == 0, res.output
    unit = json.loads((unit_dir / "dossier.json").read_text(encoding="utf-8"))["units"][0]
    cells = _cells(unit)
    for pol in ("H", "V"):
        qp, av, pk = cells[(pol, "QP")], cells[(pol, "AV")], cells[(pol, "PK")]
        assert (qp["verdict"], qp["worst_margin_db"], qp["distance_m"]) == ("PASS", 7.52, 10.0)
        assert (av["verdict"], av["worst_margin_db"], av["distance_m"]) == ("PASS", 25.0, 3.0)
        assert (pk["verdict"], pk["worst_margin_db"], pk["distance_m"]) == ("PASS", 35.0, 3.0)
        assert (qp["distances_m"], av["distances_m"]) == ([10.0], [3.0])
    assert cells[("L1", "QP")]["distance_m"] is None  # conducted: no distance
    rows = [r for r in unit["final_measurements"] if r["port"] == "H"]
    at_100 = next(r for r in rows if abs(r["frequency_hz"] - 100e6) < 1e6)
    assert (at_100["distance_m"], at_100["quasi_peak"]["limit"]) == (10.0, 43.52)
    # the flat 1-6 GHz scans have no emission: no row at 3 m, each cell named at 3 m (its
    # limits at 3 m, 60.00 and 80.00 dBµV/m, are in the cells' margins above)
    assert [r for r in rows if r["distance_m"] == 3.0] == []
    flat = [(n["port"], n["line"], n["distance_m"]) for n in unit["final_no_emission"]]
    assert flat == [(p, ln, 3.0) for p in ("H", "V") for ln in ("AV", "PK")]
    assert unit["plan"]["distance_m"] is None
    assert unit["plan"]["distance_bands"] == [
        {"start_hz": 0.0, "stop_hz": 1e9, "distance_m": 10.0},
        {"start_hz": 1e9, "stop_hz": None, "distance_m": 3.0},
    ]
    radiated = [(t["measurement_distance_m"], t["distance_offset_db"]) for t in unit["limits"]]
    assert radiated[1:] == [(10.0, 0.0), (3.0, 10.46)]  # fcc-15.109-a at each distance


def test_the_record_names_each_distance(class_a: tuple[Any, Path]) -> None:
    _, unit_dir = class_a
    distance = (
        "Measurement distance 10 m (30-1000 MHz), 3 m (1000-5000 MHz); fcc-15.109-a at 3 m: "
        "limits specified at 10 m, +10.46 dB at and above 30 MHz by 47 CFR 15.31(f)(1)"
    )
    notes = (
        "fcc-15.109-a at 30-1000 MHz: limit as specified at 10 m (no distance conversion) "
        "fcc-15.109-a at 1000-5000 MHz: limit re-expressed from 10 m to the measurement "
        "distance 3 m by 47 CFR 15.31(f)(1), 20 dB/decade: +10.46 dB at and above 30 MHz"
    )
    pdf = _pdf_text(unit_dir / "dossier.pdf")
    page = _html_text((unit_dir / "dossier.html").read_text(encoding="utf-8"))
    for text in (pdf, page):
        assert distance in text
        assert notes in text
        assert "measured; judged at 10 m" in text and "measured; judged at 3 m" in text
    assert "99.9542 at 10 m QP reading 36.00" in pdf  # each final row names its distance
    assert "H (10 m) 99.9542" in page
    # the flat 3 m scans: no row, the cell named with its distance
    flat = "Note: H (3 m) AV 1000-5000 MHz (fcc-15.109-a): no emission"
    assert flat in pdf and flat in page
    rows = PdfReader(unit_dir / "dossier.pdf").attachments["summary.csv"][-1].decode("utf-8")
    assert "final,H (10 m),99.9542," in rows and "final,H (3 m)," not in rows


def test_a_capture_stated_at_10_m_is_never_judged_at_3_m(rig: ModuleType, tmp_path: Path) -> None:
    """A 10 m capture judged at the plan's 3 m was 10.46 dB lenient: a false PASS.

    The rig's QP 36 dBµV/m at 100 MHz against 15.109(a) (Class B, 3 m): 150 µV/m = 43.52
    dBµV/m, +7.52 dB at 3 m; at 10 m the limit is 43.52 - 10.46 = 33.06: -2.94 dB, FAIL.
    A ``[[rule]]`` stating 10 m was once refused; its captures are now judged at 10 m.
    """
    rig.write_rig(tmp_path / "in")
    setup = rig.write_setup(tmp_path / "setup.toml", '[[rule]]\nmatch = "*_H_*"\ndistance_m = 10\n')
    res, unit = _dossier(tmp_path / "in", setup, tmp_path / "out")
    assert res.exit_code == 1, res.output
    cells = _cells(unit)
    h, v = cells[("H", "QP")], cells[("V", "QP")]
    assert (h["verdict"], h["worst_margin_db"], h["distance_m"]) == ("FAIL", -2.94, 10.0)
    assert (v["verdict"], v["worst_margin_db"], v["distance_m"]) == ("PASS", 7.52, 3.0)
    b = [t for t in unit["limits"] if t["id"] == "fcc-15.109-b"]
    assert [(t["measurement_distance_m"], t["distance_offset_db"]) for t in b] == [
        (10.0, -10.46),
        (3.0, 0.0),
    ]


def _straddling(rig: ModuleType, root: Path) -> Path:
    """Write the rig with one more H capture, 30 MHz-6 GHz: it lies in both bands."""
    rig.write_rig(root)
    f = np.linspace(30.0, 6000.0, 3000)
    path = root / "radiated" / "unit_H_30M-6G.csv"
    rig.write_csv(path, f, {"Peak (dBuV/m)": np.full(f.shape, 30.0)}, 1e6)
    return path


def test_a_capture_in_two_bands_with_no_stated_distance_is_an_error_row(
    rig: ModuleType, tmp_path: Path
) -> None:
    """Its distance is unknown: never guessed; the file is named, the rest judged.

    The whole run was once refused, after the units judged before it had written their
    records: a run reports every file it was given.
    """
    capture = _straddling(rig, tmp_path / "in")
    setup = _class_a_setup(rig, tmp_path / "setup.toml")
    message = (
        f"rfcheck: error: {capture}: its span 30-6000 MHz lies in 2 [plan] distance_bands of "
        "different distances (10 m up to 1000 MHz, 3 m from 1000 MHz), so its measurement "
        "distance is unknown, and no [[rule]] states it: give the file its distance_m in a "
        "[[rule]] matching it\n"
    )
    dry = _run("dossier", str(tmp_path / "in"), "--setup", str(setup), "--dry-run")
    assert (dry.exit_code, dry.stderr) == (3, message)
    out = tmp_path / "out"
    res = _run("dossier", str(tmp_path / "in"), "--setup", str(setup), "--out", str(out))
    assert (res.exit_code, res.stderr) == (3, message)
    unit = json.loads((out / "unit" / "dossier.json").read_text(encoding="utf-8"))["units"][0]
    assert unit["verdict"] == "ERROR"
    (row,) = unit["errors"]
    assert row["path"].endswith("radiated/unit_H_30M-6G.csv")
    assert "its measurement distance is unknown" in row["message"]
    assert _cells(unit)[("H", "QP")]["verdict"] == "PASS"  # the other captures still judged


def test_a_rule_gives_a_capture_in_two_bands_its_distance(rig: ModuleType, tmp_path: Path) -> None:
    _straddling(rig, tmp_path / "in")
    rule = '[[rule]]\nmatch = "radiated/*_30M-6G*"\ndistance_m = 3\n'
    setup = _class_a_setup(rig, tmp_path / "setup.toml", rule)
    res = _run("dossier", str(tmp_path / "in"), "--setup", str(setup), "--dry-run")
    assert res.exit_code == 0, res.output
    assert (
        "  H    fcc-15.109-a QP 30-1000 MHz: radiated/unit_H_30M-1G.csv (10 m), "
        "radiated/unit_H_30M-6G.csv (3 m)"
    ) in res.stdout.splitlines()


def test_a_cell_measured_at_two_distances_takes_the_worse(rig: ModuleType, tmp_path: Path) -> None:
    """Both pools judge the QP cell; the 10 m capture fails where the 3 m one passes.

    Class B, plan 3 m: the rig's 3 m scan gives +7.52 dB at 100 MHz; a second scan stated
    at 10 m, 36 dBµV/m at 100 MHz, gives 33.06 - 36 = -2.94 dB. The cell is FAIL at 10 m.
    """
    root = rig.write_rig(tmp_path / "in")
    f = np.linspace(30.0, 1000.0, 8084)
    level = np.full(f.shape, 25.0)
    level[np.argmin(np.abs(f - 100.0))] = 36.0
    rig.write_csv(root / "radiated" / "unit_H_10m.csv", f, {"QP (dBuV/m)": level}, 120e3)
    setup = rig.write_setup(
        tmp_path / "setup.toml", '[[rule]]\nmatch = "radiated/*_10m*"\ndistance_m = 10\n'
    )
    res, unit = _dossier(root, setup, tmp_path / "out")
    assert res.exit_code == 1, res.output
    qp = _cells(unit)[("H", "QP")]
    assert (qp["verdict"], qp["worst_margin_db"], qp["distance_m"]) == ("FAIL", -2.94, 10.0)
    assert qp["distances_m"] == [3.0, 10.0]
    assert sorted(Path(p).name for p in qp["captures"]) == ["unit_H_10m.csv", "unit_H_30M-1G.csv"]
    assert (
        "H QP 30-1000 MHz (fcc-15.109-b): measured at 3 m and at 10 m, each judged against "
        "the limit at its own distance; the worse decides: FAIL at 10 m"
    ) in unit["warnings"]
    h = {(r["distance_m"], round(r["frequency_hz"] / 1e6)) for r in unit["final_measurements"]}
    assert {(10.0, 100), (3.0, 100)} <= h  # the emission as each pool read it


@pytest.mark.parametrize(
    ("plan", "message"),
    [
        (
            BANDS + "\ndistance_m = 3",
            "[plan] gives both distance_m and distance_bands: give one (distance_bands for a "
            "distance per frequency range)",
        ),
        (
            "distance_bands = [ { stop_hz = 2e9, distance_m = 10 }, "
            "{ start_hz = 1e9, distance_m = 3 } ]",
            "[plan] distance_bands #1 (10 m up to 2000 MHz) and #2 (3 m from 1000 MHz) overlap: "
            "a capture there would have two distances",
        ),
        (
            "distance_bands = [ { stop_hz = 1e9, distance = 10 } ]",
            "[plan] distance_bands #1: unknown key(s) ['distance'] (did you mean 'distance_m'?) "
            "(known: ['distance_m', 'start_hz', 'stop_hz'])",
        ),
        (
            "distance_bands = [ { stop_hz = 1e9 } ]",
            "[plan] distance_bands #1 needs distance_m (the measurement distance [m])",
        ),
        (
            "distance_bands = [ { stop_hz = 1e9, distance_m = 0 } ]",
            "[plan] distance_bands #1 distance_m: must be >= 0.1 m and <= 1000 m, got 0",
        ),
        (
            "distance_bands = [ { start_hz = 1e9, stop_hz = 1e8, distance_m = 3 } ]",
            "[plan] distance_bands #1: stop_hz (100 MHz) must lie above start_hz (1000 MHz)",
        ),
        (
            "distance_bands = []",
            "[plan] distance_bands must be a list of { start_hz, stop_hz, distance_m } tables, "
            "got [] (a list)",
        ),
        (
            "distance_bands = [ 10 ]",
            "[plan] distance_bands #1 must be a table ({ start_hz = ..., stop_hz = ..., "
            "distance_m = ... }), got 10 (an integer)",
        ),
        (
            "distance_m = 1e-9",
            "[plan] distance_m must be a number of metres, 0.1 .. 1000 (or give "
            "distance_bands), got 1e-09 (a number)",
        ),
        (
            'distance_m = "3"',  # quoted: a string, said so
            "[plan] distance_m must be a number of metres, 0.1 .. 1000 (or give "
            "distance_bands), got '3' (a string)",
        ),
    ],
)
def test_bad_distance_bands_are_refused(
    rig: ModuleType, tmp_path: Path, plan: str, message: str
) -> None:
    setup = tmp_path / "setup.toml"
    setup.write_text(rig.SETUP.replace("distance_m = 3", plan), encoding="utf-8")
    with pytest.raises(SetupFileError) as err:
        plan_from_setup(load_setup(setup))
    assert (err.value.message, err.value.path) == (message, str(setup))


def test_a_bad_band_is_one_line_exit_3(rig: ModuleType, tmp_path: Path) -> None:
    root = rig.write_rig(tmp_path / "in")
    setup = tmp_path / "setup.toml"
    setup.write_text(
        rig.SETUP.replace("distance_m = 3", "distance_bands = [ { stop_hz = 1e9 } ]"), "utf-8"
    )
    res = _run("dossier", str(root), "--setup", str(setup), "--dry-run")
    assert (res.exit_code, res.stderr) == (
        3,
        f"rfcheck: error: {setup}: [plan] distance_bands #1 needs distance_m (the measurement "
        "distance [m])\n",
    )


def test_one_distance_embeds_no_bands(rig: ModuleType, tmp_path: Path) -> None:
    """A record of one distance embeds the plan as before: its report id is unchanged."""
    plan = plan_from_setup(load_setup(rig.write_setup(tmp_path / "setup.toml")))
    assert (plan.distance_m, plan.distance_bands, plan.distance_text) == (3.0, (), "3 m")
    assert "distance_bands" not in plan.to_json()
    assert plan.to_json()["distance_m"] == 3.0


def test_check_needs_a_stated_distance_under_bands(rig: ModuleType, tmp_path: Path) -> None:
    """Only the dossier reads a capture's span to find its band: ``check`` asks for it."""
    root = rig.write_rig(tmp_path / "in")
    setup = _class_a_setup(rig, root / "setup.toml")
    capture = root / "radiated" / "unit_H_1G-6G.csv"
    res = _run("check", str(capture), "--setup", str(setup), "-o", "json")
    assert res.exit_code == 3, res.output
    assert res.stderr == (
        f"rfcheck: error: {setup}: radiated/unit_H_1G-6G.csv (port H): [plan] "
        "distance_bands (10 m up to 1000 MHz, 3 m from 1000 MHz) give a radiated capture's "
        "measurement distance by its frequency span, which only rfcheck dossier and lot read; "
        "give the "
        "file its distance_m in a [[rule]] matching it\n"
    )
    stated = _class_a_setup(
        rig, root / "stated.toml", '[[rule]]\nmatch = "radiated/*_1G-6G*"\ndistance_m = 3\n'
    )
    res = _run("check", str(capture), "--setup", str(stated), "-o", "json")
    assert res.exit_code == 5, res.output  # INCOMPLETE: the QP range below 1 GHz not measured
    (limit,) = json.loads(res.stdout)["captures"][0]["limits"]
    assert (limit["measurement_distance_m"], limit["distance_note"]) == (
        3.0,
        "limit re-expressed from 10 m to the measurement distance 3 m by 47 CFR 15.31(f)(1), "
        "20 dB/decade: +10.46 dB at and above 30 MHz",
    )


def test_verify_stands_and_names_a_changed_band(rig: ModuleType, tmp_path: Path) -> None:
    rig.write_rig(tmp_path / "in")
    setup = _class_a_setup(rig, tmp_path / "setup.toml")
    out = tmp_path / "out"
    res = _run("dossier", str(tmp_path / "in"), "--setup", str(setup), "--out", str(out))
    assert res.exit_code == 0, res.output
    pdf = out / "unit" / "dossier.pdf"
    res = _run("verify", str(pdf), "--inputs", str(tmp_path))
    assert res.exit_code == 0, res.output
    assert res.output.splitlines()[-1] == (
        "re-judged with the embedded settings: PASS, the recorded verdict stands"
    )
    setup.write_text(setup.read_text("utf-8").replace("distance_m = 3 }", "distance_m = 1 }"))
    res = _run("verify", str(pdf), "--inputs", str(tmp_path))
    assert res.exit_code == 1, res.output
    assert (
        "         [plan] distance_bands: recorded [{ distance_m = 10, start_hz = 0, stop_hz = "
        "1000000000 }, { distance_m = 3, start_hz = 1000000000, stop_hz = none }], now "
        "[{ distance_m = 10, start_hz = 0, stop_hz = 1000000000 }, { distance_m = 1, start_hz "
        "= 1000000000, stop_hz = none }]"
    ) in res.output.splitlines()


def test_the_3_m_scan_s_first_point_leaves_the_10_m_qp_cell_alone(
    rig: ModuleType, tmp_path: Path
) -> None:
    """A 1-6 GHz peak scan at 3 m starts at 1000 MHz, the end of the QP cell.

    Its 70 dBµV/m there bounds QP from above, over the QP limit at 3 m (300 µV/m at 10 m =
    49.54, + 10.46 = 60.00 dBµV/m): judged alone, that pool leaves the QP cell undecided. The
    10 m pool measured the cell (+7.52 dB), as one pool of both scans would have: PASS, and
    no note of the 3 m pool speaks of the QP cell. The flat 3 m scans have no emission: no
    row at 3 m.
    """
    root = rig.write_rig(tmp_path / "in")
    f = np.linspace(1000.0, 6000.0, 5001)
    for pol in ("H", "V"):
        rig.write_csv(
            root / "radiated" / f"unit_{pol}_1G-6G.csv",
            f,
            {"Peak (dBuV/m)": np.full(f.shape, 70.0), "CAvg (dBuV/m)": np.full(f.shape, 35.0)},
            1e6,
            f"port {pol}",
        )
    setup = _class_a_setup(rig, tmp_path / "setup.toml")
    res, unit = _dossier(root, setup, tmp_path / "out")
    assert res.exit_code == 0, res.output
    qp, pk = _cells(unit)[("H", "QP")], _cells(unit)[("H", "PK")]
    assert (qp["verdict"], qp["worst_margin_db"], qp["distances_m"]) == ("PASS", 7.52, [10.0])
    assert (pk["verdict"], pk["worst_margin_db"], pk["distances_m"]) == ("PASS", 10.0, [3.0])
    assert [r for r in unit["final_measurements"] if r["distance_m"] == 3.0] == []
    assert not [w for w in unit["warnings"] if "fcc-15.109-a QP" in w]


def test_a_check_distance_beside_bands_is_refused(rig: ModuleType, tmp_path: Path) -> None:
    """``[check] distance_m`` judged every capture at its one distance, silently.

    Beside ``distance_bands`` (10 m up to 1 GHz) a ``[check] distance_m = 3`` made a Class A
    QP reading 0.12 dB over the 10 m limit PASS by 10.34 dB at 3 m, with the record's plan
    still saying 10 m.
    """
    root = rig.write_rig(tmp_path / "in")
    setup = _class_a_setup(rig, tmp_path / "setup.toml", "[check]\ndistance_m = 3\n")
    message = (
        f"rfcheck: error: {setup}: [check] distance_m = 3 m would judge every radiated capture "
        "at 3 m, but [plan] distance_bands give other distances (10 m up to 1000 MHz, 3 m from "
        "1000 MHz): remove it, and give a file measured at another distance its distance_m in "
        "a [[rule]] matching it\n"
    )
    for extra in (("--dry-run",), ("--out", str(tmp_path / "out"))):
        res = _run("dossier", str(root), "--setup", str(setup), *extra)
        assert (res.exit_code, res.stderr) == (3, message)
    assert not (tmp_path / "out" / "unit").exists()


def test_a_check_distance_must_agree_with_the_plan_s(rig: ModuleType, tmp_path: Path) -> None:
    root = rig.write_rig(tmp_path / "in")
    other = rig.write_setup(tmp_path / "other.toml", "[check]\ndistance_m = 10\n")
    res = _run("dossier", str(root), "--setup", str(other), "--dry-run")
    assert res.exit_code == 3
    assert "[check] distance_m = 10 m contradicts [plan] distance_m = 3 m" in res.stderr
    same = rig.write_setup(tmp_path / "same.toml", "[check]\ndistance_m = 3\n")
    assert _run("dossier", str(root), "--setup", str(same), "--dry-run").exit_code == 0


def test_a_batch_under_bands_judges_every_file_it_can(rig: ModuleType, tmp_path: Path) -> None:
    """A radiated file with no stated distance refused the whole batch (exit 3, no summary).

    It is an ERROR row naming the file and what to state; the rest is judged and summarised.
    """
    root = rig.write_rig(tmp_path / "in")
    rule = '[[rule]]\nmatch = "radiated/*_1G-6G*"\ndistance_m = 3\n'
    setup = _class_a_setup(rig, tmp_path / "setup.toml", rule)
    out = tmp_path / "out"
    res = _run("batch", str(root), "--setup", str(setup), "--out", str(out))
    assert res.exit_code == 3, res.output
    doc = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    rows = {Path(r["path"]).name: r for r in doc["rows"]}
    assert len(rows) == 8
    for name, port in (("unit_H_30M-1G.csv", "H"), ("unit_V_30M-1G.csv", "V")):
        assert rows[name]["verdict"] == "ERROR"
        assert rows[name]["error"].startswith(f"port {port}: [plan] distance_bands (10 m up to")
    assert rows["unit_H_1G-6G.csv"]["error"] == ""  # its rule states 3 m: judged


def test_a_pool_touching_a_cell_at_its_end_point_says_nothing_of_it(
    class_a: tuple[Any, Path],
) -> None:
    """The 1-6 GHz scan at 3 m starts at 1000 MHz, the end of the 30-1000 MHz QP cell.

    That one point decides the cell only if it fails (the 10 m pool measured the cell); its
    note ``no reading bounds the quasi-peak level ... at 1000 MHz`` once stood in PASS
    records, read as a gap. Its notes of the other cells (AV, PK: measured) stay.
    """
    _, unit_dir = class_a
    unit = json.loads((unit_dir / "dossier.json").read_text(encoding="utf-8"))["units"][0]
    pdf = _pdf_text(unit_dir / "dossier.pdf")
    page = _html_text((unit_dir / "dossier.html").read_text(encoding="utf-8"))
    for text in (" ".join(unit["warnings"]), pdf, page):
        assert "no reading bounds the quasi-peak level" not in text
        assert "over part of fcc-15.109-a QP" not in text
        assert "at 3 m: fcc-15.109-a AV: measured beyond the required range" in text
    assert not [w for w in unit["warnings"] if "fcc-15.109-a QP" in w]


def test_a_pool_touching_a_cell_no_other_pool_measured_keeps_its_notes(
    rig: ModuleType, tmp_path: Path
) -> None:
    """Without H's 30 MHz-1 GHz scan the 1-6 GHz scan's point at 1000 MHz is H QP's only reading.

    H then has one pool (3 m), its notes named ``H``; V's 3 m pool only touches V QP.
    """
    rig.write_rig(tmp_path / "in", skip=("H_30M-1G",))
    setup = _class_a_setup(rig, tmp_path / "setup.toml")
    _, unit = _dossier(tmp_path / "in", setup, tmp_path / "out")
    qp = [w for w in unit["warnings"] if "fcc-15.109-a QP" in w]
    assert [w.split(":")[0] for w in qp if "no reading bounds the quasi-peak level" in w] == ["H"]
    assert _cells(unit)[("H", "QP")]["verdict"] == "MISSING"


def test_the_distance_row_names_each_distance_s_polarisation(
    rig: ModuleType, tmp_path: Path
) -> None:
    """H at 10 m and V at 3 m over the same ranges: the row says which was measured where.

    ``3 m (30-5000 MHz), 10 m (30-5000 MHz)`` did not say it; the cells' Basis did.
    """
    rig.write_rig(tmp_path / "in")
    setup = rig.write_setup(tmp_path / "setup.toml", '[[rule]]\nmatch = "*_H_*"\ndistance_m = 10\n')
    out = tmp_path / "out"
    args = ["dossier", str(tmp_path / "in"), "--setup", str(setup), "--out", str(out)]
    res = _run(*args, "--jobs", "1", "--format", "html")
    assert res.exit_code == 1, res.output
    page = _html_text((out / "unit" / "dossier.html").read_text(encoding="utf-8"))
    row = page.split("Measurement distance", 1)[1].split(";", 1)[0]
    assert row.strip() == "3 m (V, 30-5000 MHz), 10 m (H, 30-5000 MHz)"
