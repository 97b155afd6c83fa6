"""The sample lot and before/after pair.

The generator reproduces the committed files, and the README shows the real output of both commands.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from click.testing import CliRunner

from rfcheck.cli import main

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "sample_captures"
GENERATED = ("lot", "before_after")


def test_lot_generator_reproduces_the_committed_files(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, str(SAMPLES / "generate_lot.py"), "--out", str(tmp_path)],
        check=True,
        capture_output=True,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )
    fresh = {p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file()}
    committed = {
        p.relative_to(SAMPLES).as_posix()
        for d in GENERATED
        for p in (SAMPLES / d).rglob("*")
        if p.is_file()
    }
    assert fresh == committed
    differ = [r for r in sorted(fresh) if (tmp_path / r).read_bytes() != (SAMPLES / r).read_bytes()]
    assert not differ, f"regenerate with 'python sample_captures/generate_lot.py': {differ}"


def _readme_runs() -> list[tuple[list[str], str]]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    out = []
    for block in re.findall(r"```text\n(\$ rfcheck (?:compare|lot) .*?)\n```", text, flags=re.S):
        lines = block.split("\n")
        cmd = [lines[0][2:]]
        while cmd[-1].endswith("\\"):
            cmd[-1] = cmd[-1][:-1]
            cmd.append(lines[len(cmd)])
        out.append((shlex.split(" ".join(cmd))[1:], "\n".join(lines[len(cmd) :]) + "\n"))
    return out


def test_readme_shows_both_commands() -> None:
    assert sorted(args[0] for args, _ in _readme_runs()) == ["compare", "lot"]


@pytest.mark.parametrize(
    ("args", "shown"), _readme_runs(), ids=lambda x: x[0] if isinstance(x, list) else ""
)
def test_readme_commands_exit_as_the_readme_says(
    args: list[str], shown: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the output itself is pinned by tests/test_readme_outputs.py
    monkeypatch.chdir(REPO)
    res = CliRunner().invoke(main, args, catch_exceptions=False)
    assert res.exit_code == {"compare": 0, "lot": 4}[args[0]]
    assert shown.splitlines()[-1] in res.output.splitlines()


def test_sample_lot_flags_the_unit_with_the_other_llc_frequency(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(REPO)
    res = CliRunner().invoke(
        main,
        [
            "lot",
            "sample_captures/lot",
            "--golden",
            "unit01",
            "--setup",
            "sample_captures/lot/lot-setup.toml",
        ],
        catch_exceptions=False,
    )
    assert "   unit05      HC3-2601-00105  NO " in res.output
    assert (
        "L1: harmonic family at 0.127257 MHz (harmonics 3-9) not in the golden unit" in res.output
    )


def test_lot_plot_legends_hide_no_limit_line() -> None:
    """Each legend sits where it covers no vertex of its panel's limit line.

    At the upper right it hid the 60 dBµV QP line of 15.107 over 5-30 MHz.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from rfcheck.lot import run_lot
    from rfcheck.lot.plots import lot_figure
    from rfcheck.settings import load_setup

    lot = SAMPLES / "lot"
    result = run_lot(lot, "unit01", load_setup(lot / "lot-setup.toml"))
    fig = lot_figure(result, "L1")
    renderer = FigureCanvasAgg(fig).get_renderer()  # type: ignore[no-untyped-call]
    for ax in fig.axes:
        legend = ax.get_legend()
        assert legend is not None
        box = legend.get_window_extent(renderer)
        limit_lines = [ln for ln in ax.lines if str(ln.get_label()).startswith("fcc-")]
        assert limit_lines
        for ln in limit_lines:
            ends = ax.transData.transform(ln.get_xydata())  # pixels
            t = np.linspace(0.0, 1.0, 200)[:, None]
            pairs = zip(ends[:-1], ends[1:], strict=True)
            points = np.concatenate([a + t * (b - a) for a, b in pairs])
            x, y = points[:, 0], points[:, 1]
            inside = (x > box.x0) & (x < box.x1) & (y > box.y0) & (y < box.y1)
            assert not inside.any(), ln.get_label()


def _freq_tick_labels(ax: Any) -> list[str]:
    """Return the labels of an axes' major frequency ticks, as its formatter writes them."""
    labels: list[str] = ax.xaxis.get_major_formatter().format_ticks(list(ax.get_xticks()))
    return labels


def test_lot_plot_frequency_axis_labels_the_conducted_band_ends_in_mhz() -> None:
    """The sample lot spans 0.15-30 MHz: 0.15 and 30 are labelled, as on the margin plots.

    matplotlib's own log ticks labelled 0.1 and 100 outside the data and no 0.15.
    """
    from rfcheck.lot import run_lot
    from rfcheck.lot.plots import lot_figure
    from rfcheck.settings import load_setup

    lot = SAMPLES / "lot"
    result = run_lot(lot, "unit01", load_setup(lot / "lot-setup.toml"))
    fig = lot_figure(result, "L1")
    for ax in fig.axes:
        assert ax.get_xlim() == pytest.approx((0.15, 30.0))
        assert _freq_tick_labels(ax) == ["0.15", "0.5", "1", "5", "10", "30"]


def test_lot_plot_legend_names_the_80_80_value_only_where_bars_are_drawn() -> None:
    """The sample lot has 80/80 values on the AV line only: the QP legend does not list them."""
    from rfcheck.lot import run_lot
    from rfcheck.lot.plots import lot_figure
    from rfcheck.settings import load_setup

    lot = SAMPLES / "lot"
    result = run_lot(lot, "unit01", load_setup(lot / "lot-setup.toml"))
    fig = lot_figure(result, "L1")
    entries = {}
    for ax in fig.axes:
        legend = ax.get_legend()
        assert legend is not None
        entries[ax.get_title()] = [t.get_text() for t in legend.get_texts()]
    assert entries == {
        "L1: fcc-15.107-b QP, 6 units": [
            "unit01 (golden)",
            "identical units (4)",
            "unit05 (not identical)",
            "fcc-15.107-b QP",
        ],
        "L1: fcc-15.107-b AV, 6 units": [
            "unit01 (golden)",
            "identical units (4)",
            "unit05 (not identical)",
            "fcc-15.107-b AV",
            "80/80 value (x̄ + k·Sₙ): PASS",  # every bar drawn is under the limit
        ],
    }
    assert {r.line for r in result.statistics} == {"AV"}
