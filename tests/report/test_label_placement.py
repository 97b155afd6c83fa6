"""Margin labels of close emissions are placed clear of each other (measured after drawing)."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest
from matplotlib.figure import Figure
from matplotlib.text import Annotation
from matplotlib.transforms import Bbox

from rfcheck.analysis import analyse_file, run_check
from rfcheck.report.label_placement import LABEL_GAP_PT, leader_box
from rfcheck.report.plot_rendering import figure_png
from rfcheck.report.plots import margin_figure
from rfcheck.settings import CheckSettings, load_setup

SAMPLES = Path(__file__).resolve().parents[2] / "sample_captures"


def _label_boxes(fig: Figure) -> dict[str, Bbox]:
    """Draw ``fig`` as its PNG is drawn and return each margin label's box on it."""
    figure_png(fig)
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    ax = fig.axes[0]
    return {
        a.get_text(): a.get_window_extent(renderer)
        for a in ax.get_children()
        if isinstance(a, Annotation)
    }


def _clashes(boxes: dict[str, Bbox], fig: Figure) -> list[tuple[str, str]]:
    """Pairs of labels closer than :data:`LABEL_GAP_PT` (their boxes grown by half of it)."""
    half = LABEL_GAP_PT / 2 * fig.dpi / 72
    return [
        (a, b)
        for (a, ba), (b, bb) in itertools.combinations(boxes.items(), 2)
        if ba.padded(half).overlaps(bb.padded(half))
    ]


def _crossed_by_leaders(fig: Figure) -> list[tuple[str, str]]:
    """Pairs (label whose leader, label it runs through or under) on the drawn ``fig``."""
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    anns = [a for a in fig.axes[0].get_children() if isinstance(a, Annotation)]
    out = []
    for ann in anns:
        leader = leader_box(ann, renderer)
        if leader is None:
            continue
        for other in anns:
            if other is not ann and leader.overlaps(other.get_window_extent(renderer)):
                out.append((ann.get_text(), other.get_text()))
    return out


def _peaks(tmp_path: Path, at_mhz: dict[float, float]) -> Path:
    """Write a generic peak CSV, 0.15-30 MHz, 40 dBµV with emissions ``{MHz: dBµV}``."""
    f = np.linspace(0.15, 30.0, 3301)
    level = np.full(f.shape, 40.0)
    for mhz, dbuv in at_mhz.items():
        level[np.argmin(np.abs(f - mhz))] = dbuv
    lines = ["# rbw_hz: 9000", "Frequency (MHz),Peak (dBuV)"]
    lines += [f"{a:.6f},{b:.2f}" for a, b in zip(f, level, strict=True)]
    path = tmp_path / "close_peaks.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_labels_of_close_emissions_at_different_heights_do_not_overlap(tmp_path: Path) -> None:
    # three emissions 2.5 % apart, each 3 dB under the last: their labels reach each other
    path = _peaks(tmp_path, {1.0: 70.0, 1.025: 67.0, 1.05: 64.0, 3.0: 60.0, 10.0: 58.0})
    cap = analyse_file(path, CheckSettings(limit_ids=("fcc-15.107-b",)))
    fig = margin_figure(cap)
    boxes = _label_boxes(fig)
    assert len(boxes) == 5, sorted(boxes)  # every label kept
    assert _clashes(boxes, fig) == []
    assert _crossed_by_leaders(fig) == []


def test_no_leader_runs_through_another_label() -> None:
    """The sample L1 average capture: the 0.40 MHz label's leader ran through ``+5.1 dB``.

    So the +5.6 dB marker seemed to carry +5.1 dB, the 0.32 MHz marker's margin.
    A label whose every place has its leader cross another label is left out.
    """
    setup = load_setup(SAMPLES / "rig-setup.toml")
    rel = "conducted/rig_L1_avg_keysight.csv"
    (cap,) = run_check([SAMPLES / rel], setup.settings_for(rel), setup=setup).captures
    fig = margin_figure(cap, setup)
    boxes = _label_boxes(fig)
    assert len(boxes) >= 3, sorted(boxes)
    assert _clashes(boxes, fig) == []
    assert _crossed_by_leaders(fig) == []


@pytest.mark.real
def test_the_tektronix_monopole_captures_labels_do_not_overlap(real_captures: Path) -> None:
    # two worst points 2.5 % apart (1.007 and 1.032 MHz) had their labels stacked
    cap = analyse_file(
        real_captures / "tek_rsa500_signalvu_200k-30M_monopole.csv",
        CheckSettings(limit_ids=("fcc-15.107-b",)),
    )
    fig = margin_figure(cap)
    boxes = _label_boxes(fig)
    assert {"AV ≥ -37.5 dB", "AV ≥ -36.6 dB"} <= set(boxes), sorted(boxes)
    assert _clashes(boxes, fig) == []
    assert _crossed_by_leaders(fig) == []
