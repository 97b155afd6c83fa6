"""A dossier plot draws a final-measurement list as markers and breaks a sweep at its gaps.

A final list (a few frequencies measured with QP and CAV at the emissions a prescan found)
is evidence at its frequencies only: joined by a line, a PASS record's CAV readings at 0.16
and 0.7 MHz drew a "trace" over the AV limit between them (about +1.5 dB at 0.5 MHz), where
no average reading exists.
"""

from __future__ import annotations

from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np


def _judged(rig: ModuleType, tmp: Path) -> Any:
    from rfcheck.product.dossier import judge_unit
    from rfcheck.product.run import place_captures
    from rfcheck.settings import load_setup

    root = rig.write_rig(tmp / "in", skip=("L1_final",))
    fc = np.array([0.16, 0.7, 12.0])
    rig.write_csv(
        root / "conducted" / "unit_L1_final.csv",
        fc,
        {"QP (dBuV)": np.array([58.0, 48.0, 45.0]), "CAvg (dBuV)": np.array([54.0, 44.5, 41.0])},
    )
    # a prescan with a gap: 0.15-1 MHz and 5-30 MHz swept, nothing between
    grid = np.concatenate([np.linspace(0.15, 1.0, 200), np.linspace(5.0, 30.0, 400)])
    rig.write_csv(
        root / "conducted" / "unit_L1_prescan.csv", grid, {"Peak (dBuV)": np.full(grid.size, 30.0)}
    )
    setup = load_setup(rig.write_setup(tmp / "setup.toml"))
    placement = place_captures([root], setup)
    (unit,) = placement.found
    assigned, errors = placement.assign_unit(unit, setup)
    return judge_unit(unit, placement.plan, placement.cells, assigned, errors, setup)


def test_final_list_is_drawn_as_unjoined_markers(rig: ModuleType, tmp_path: Path) -> None:
    from rfcheck.report.dossier.plots import port_group_figure

    d = _judged(rig, tmp_path)
    (ax,) = port_group_figure(d, "L1", ("L1",)).axes
    for det in ("L1 QP", "L1 AV"):
        (art,) = [ln for ln in ax.lines if str(ln.get_label()).startswith(det)]
        assert art.get_linestyle() == "None", det  # no line joins the readings
        assert art.get_marker() not in ("None", "", None, "v")
        assert np.allclose(np.asarray(art.get_xdata()), [0.16, 0.7, 12.0])


def test_sweep_with_a_gap_is_drawn_in_two_stretches(rig: ModuleType, tmp_path: Path) -> None:
    from rfcheck.report.dossier.plots import port_group_figure

    d = _judged(rig, tmp_path)
    (ax,) = port_group_figure(d, "L1", ("L1",)).axes
    (first,) = [ln for ln in ax.lines if str(ln.get_label()).startswith("L1 PK")]
    runs = [ln for ln in ax.lines if ln is first or ln.get_color() == first.get_color()]
    spans = sorted((float(np.min(ln.get_xdata())), float(np.max(ln.get_xdata()))) for ln in runs)
    assert len(spans) == 2
    assert spans[0][1] <= 1.0 + 1e-9 and spans[1][0] >= 5.0 - 1e-9  # nothing drawn 1-5 MHz
    assert all(ln.get_linestyle() != "None" for ln in runs)


def test_sweep_runs_and_lists() -> None:
    from rfcheck.report.trace_runs import sweep_runs

    assert sweep_runs(np.array([0.16e6, 0.7e6, 12e6]), 9e3) is None
    assert sweep_runs(np.array([1e6, 2e6]), 9e3) is None
    grid = np.linspace(0.15e6, 30e6, 3318)
    assert sweep_runs(grid, 9e3) == [slice(0, 3318)]
    gapped = np.concatenate([np.linspace(1e9, 2e9, 1001), np.linspace(3e9, 4e9, 1001)])
    assert sweep_runs(gapped, 1e6) == [slice(0, 1001), slice(1001, 2002)]
    # an average scan stepped 2 MHz with a 1 MHz RBW measured its points (± RBW / 2) only, as
    # the coverage counts it; a peak sweep on that grid covers the buckets between its points
    stepped = np.linspace(1e9, 6e9, 2501)
    assert len(sweep_runs(stepped, 1e6, "cispr-average") or []) == 2501
    assert sweep_runs(stepped, 1e6, "peak") == [slice(0, 2501)]
    assert sweep_runs(grid, 9e3, "quasi-peak") == [slice(0, 3318)]  # 9 kHz steps, 9 kHz RBW


def test_list_readings_whose_cells_touch_are_one_stretch() -> None:
    """A receiver model's readings hertz apart cover the stretch between them (± RBW / 2)."""
    from rfcheck.report.trace_runs import list_runs

    f = np.array([1.302e6, 1.3037e6, 1.3065e6, 1.40e6, 12e6])
    assert list_runs(f, 9e3) == [slice(0, 3), slice(3, 4), slice(4, 5)]
    assert list_runs(np.array([0.16e6, 0.7e6, 12e6]), 9e3) == [
        slice(0, 1),
        slice(1, 2),
        slice(2, 3),
    ]
