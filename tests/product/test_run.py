"""Running a dossier: the parent scans the first units' recordings; any schedule, same files."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from rfcheck.product import run
from rfcheck.product.run import Placement, place_captures, run_dossier
from rfcheck.settings import Setup, load_setup

SAMPLES = Path(__file__).resolve().parents[2] / "sample_captures"


@pytest.fixture(scope="module")
def setup() -> Setup:
    return load_setup(SAMPLES / "dossier-setup.toml")


@pytest.fixture(scope="module")
def placement(setup: Setup) -> Placement:
    return place_captures([SAMPLES], setup)


def test_the_parent_scans_a_units_short_recordings(placement: Placement, setup: Setup) -> None:
    ready = run._scanned_here(placement, "rig", setup)
    assert [p.name for p in ready] == ["rig_L1_burst.sigmf-meta"]
    (a,) = ready.values()
    assert a.port == "L1" and a.capture is not None and a.capture.time_series == ()
    assert run._scanned_here(placement, "rig-0418", setup) == {}  # no recording


def test_a_long_recording_is_left_to_its_worker(
    placement: Placement, setup: Setup, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(run, "PARENT_SCAN_MAX_SAMPLES", 359_999)  # the sample holds 360,000
    assert run._scanned_here(placement, "rig", setup) == {}


def test_a_unit_placed_with_scanned_recordings_places_the_rest_itself(
    placement: Placement, setup: Setup
) -> None:
    ready = run._scanned_here(placement, "rig", setup)
    assigned, errors = placement.assign_unit("rig", setup, ready)
    plain, plain_errors = placement.assign_unit("rig", setup)
    assert [a.path for a in assigned] == [a.path for a in plain]  # in discovery order
    assert errors == plain_errors
    by_path = {a.path: a for a in assigned}
    for path, a in ready.items():
        assert by_path[path] is a


def _files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def _differences(one: dict[str, bytes], two: dict[str, bytes]) -> str:
    """Say which files differ and how: sizes, and for a PNG the pixels that differ and where."""
    lines = ["files written by one process (1) and by two workers (2) differ:"]
    for name in sorted(n for n in one if one[n] != two.get(n)):
        a, b = one[name], two.get(name, b"")
        lines.append(f"{name}: {len(a)} bytes (1), {len(b)} bytes (2)")
        if name.endswith(".png"):
            pa, pb = (np.asarray(Image.open(io.BytesIO(x)).convert("RGBA")) for x in (a, b))
            if pa.shape != pb.shape:
                lines.append(f"  image sizes {pa.shape[1::-1]} (1), {pb.shape[1::-1]} (2)")
                continue
            rows, cols = np.nonzero(np.any(pa != pb, axis=2))
            if rows.size:
                lines.append(
                    f"  {rows.size} pixels differ, in x {cols.min()}-{cols.max()}, "
                    f"y {rows.min()}-{rows.max()}"
                )
            else:
                lines.append("  same pixels (the encoding differs)")
    import matplotlib as mpl  # one process draws with this process's rc parameters

    changed = sorted(
        k for k, v in mpl.rcParams.items() if k != "backend" and v != mpl.rcParamsOrig[k]
    )
    lines.append(f"rc parameters not as matplotlib loaded them here: {changed or 'none'}")
    return "\n".join(lines)


def test_workers_write_the_files_one_process_writes(
    placement: Placement, setup: Setup, tmp_path: Path
) -> None:
    """Two workers (the recording scanned by the parent) and one process: the same bytes.

    Both runs issue their records at the same time (each run's records carry its issue
    date, taken once in the parent and handed to every worker).
    """
    issued = dt.datetime(2025, 11, 14, 9, 30, tzinfo=dt.UTC)
    inline = run_dossier(placement, setup, tmp_path / "one", jobs=1, issued=issued)
    pooled = run_dossier(placement, setup, tmp_path / "two", jobs=2, issued=issued)
    assert pooled == inline
    one, two = _files(tmp_path / "one"), _files(tmp_path / "two")
    assert "rig/dossier.pdf" in one and "rig-0418/plot_L1.png" in one
    assert sorted(two) == sorted(one)
    assert [name for name in one if one[name] != two[name]] == [], _differences(one, two)


def test_deciding_text_names_the_smallest_margin_of_the_unit_verdict() -> None:
    """The cell that decides a FAIL or INCONCLUSIVE unit, as 'rfcheck dossier' prints it."""
    from rfcheck.outcome import Bound
    from rfcheck.product.cells import Cell, CellState
    from rfcheck.product.dossier import UnitDossier
    from rfcheck.product.plan import PortKind, RequiredCell, TestPlan, load_plan_rules
    from rfcheck.product.summary import deciding_text

    plan = TestPlan(
        "fcc-part15b", "B", ("L1", "L2"), ("H", "V"), 3.0, 700e6, load_plan_rules("fcc-part15b")
    )
    v = RequiredCell("V", PortKind.POLARISATION, "fcc-15.109-b", "QP", 30e6, 1e9, "15.109(a)")
    h = dataclasses.replace(v, port="H")
    fails = (
        Cell(v, CellState.FAIL, -1.5, 120e6, Bound.MEASURED),
        Cell(h, CellState.FAIL, -3.234, 375e6, Bound.LOWER),
        Cell(dataclasses.replace(v, line="AV"), CellState.PASS, 4.0, 50e6, Bound.MEASURED),
    )
    assert deciding_text(UnitDossier("rig", plan, fails, (), ())) == (
        "H QP 30-1000 MHz: \u2264 -3.23 dB at 375 MHz; 1 more FAIL cell"
    )
    open_cell = (Cell(v, CellState.INCONCLUSIVE, -0.4, 200e6, Bound.UPPER),)
    assert deciding_text(UnitDossier("rig", plan, open_cell, (), ())) == (
        "V QP 30-1000 MHz: \u2265 -0.40 dB at 200 MHz"
    )
    passing = (Cell(v, CellState.PASS, 2.0, 200e6, Bound.MEASURED),)
    assert deciding_text(UnitDossier("rig", plan, passing, (), ())) == ""
