"""Plots drawn by several threads of one process (a Dask worker's threads): each its own.

matplotlib's rc parameters are the process's, and the margin plot sets its fonts in them
while it draws. Each test below stops one thread inside its drawing (in
``draw_margin_plot``, where the plot's style is in force) while another thread draws, and
compares every image with the one drawn alone. Without the plot lock, the other thread drew
with the first one's style (or the first one with matplotlib's), and the plot style stayed in
``rcParams``: every later figure of the process differed from a fresh process's (the dossier
written by one process and by two workers differed).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import matplotlib as mpl
import pytest

from rfcheck.analysis import run_check
from rfcheck.report import plots
from rfcheck.report.margin_plot import draw_margin_plot
from rfcheck.report.plot_rendering import LITERAL_TEXT_RC, PLOT_RC, drawing, figure_png
from rfcheck.report.plots import margin_figure, plot_png
from rfcheck.results import CaptureResult
from rfcheck.settings import CheckSettings

SAMPLES = Path(__file__).resolve().parents[2] / "sample_captures"
#: How long a thread stopped in its drawing waits for another one to draw too: with the plot
#: lock, that one waits for it, so each test waits this long once. [s]
OVERLAP_WAIT_S = 1.0


@pytest.fixture(scope="module")
def captures() -> list[CaptureResult]:
    conducted = sorted((SAMPLES / "conducted").glob("rig_L1_*keysight.csv"))
    return list(run_check(conducted, CheckSettings(limit_ids=("fcc-15.107-b",))).captures)


def _style_in_force() -> dict[str, Any]:
    """Return the values in ``rcParams`` of the keys the plot style sets."""
    params = cast(dict[str, Any], mpl.rcParams)  # typed by key in matplotlib's stubs
    return {k: params[k] for k in PLOT_RC}


#: Their values as matplotlib loaded them (its matplotlibrc): what a fresh process has.
FRESH = {k: cast(dict[str, Any], mpl.rcParamsOrig)[k] for k in PLOT_RC}


@dataclass
class _Stop:
    """A thread stopped inside its drawing: it sets ``inside``, then waits for ``go``."""

    wait_s: float
    inside: threading.Event = field(default_factory=threading.Event)
    go: threading.Event = field(default_factory=threading.Event)


@pytest.fixture
def stops(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, _Stop]]:
    """Stop the threads named in the returned dict inside their margin plot's drawing.

    Each waits at most its ``wait_s`` for its ``go``; other threads draw on at once.
    """
    stops: dict[str, _Stop] = {}
    draw = draw_margin_plot

    def stopping(*args: Any, **kwargs: Any) -> Any:
        stop = stops.get(threading.current_thread().name)
        if stop is not None:
            stop.inside.set()
            stop.go.wait(stop.wait_s)
        return draw(*args, **kwargs)

    monkeypatch.setattr(plots, "draw_margin_plot", stopping)
    yield stops
    for stop in stops.values():
        stop.go.set()


def _run(name: str, fn: Callable[[], bytes], out: dict[str, bytes]) -> threading.Thread:
    def run() -> None:
        out[name] = fn()

    t = threading.Thread(target=run, name=name, daemon=True)
    t.start()
    return t


def test_plots_drawn_by_two_threads_at_once_are_the_ones_drawn_alone(
    captures: list[CaptureResult], stops: dict[str, _Stop]
) -> None:
    """The first thread finishes while the second is inside its drawing (when it can be)."""
    a, b = captures[0], captures[1]
    assert _style_in_force() == FRESH
    alone = {"first": figure_png(margin_figure(a)), "second": figure_png(margin_figure(b))}
    first, second = stops["first"], stops["second"] = _Stop(30.0), _Stop(30.0)
    out: dict[str, bytes] = {}
    threads = [_run("first", lambda: plot_png(a), out)]
    assert first.inside.wait(30.0)
    threads.append(_run("second", lambda: plot_png(b), out))
    second.inside.wait(OVERLAP_WAIT_S)  # with the lock it waits for the first one: not inside
    first.go.set()
    threads[0].join(30.0)
    second.go.set()
    threads[1].join(30.0)
    assert not any(t.is_alive() for t in threads)
    assert out == alone
    assert _style_in_force() == FRESH  # no plot style left behind for the next figure


def test_a_figure_built_holding_the_plot_lock_takes_no_other_threads_style(
    captures: list[CaptureResult], stops: dict[str, _Stop]
) -> None:
    assert _style_in_force() == FRESH
    stop = stops["stopped"] = _Stop(OVERLAP_WAIT_S)  # with the lock, this thread waits for it
    out: dict[str, bytes] = {}
    stopped = _run("stopped", lambda: plot_png(captures[0]), out)
    assert stop.inside.wait(30.0)
    with drawing():  # the dossier's figures are built so (port_group_png)
        seen = _style_in_force()
    stop.go.set()
    stopped.join(30.0)
    assert not stopped.is_alive()
    assert seen == {**FRESH, **LITERAL_TEXT_RC}  # text as written: drawing()'s own


def test_a_dossier_plot_made_while_another_thread_draws_is_the_one_made_alone(
    captures: list[CaptureResult], stops: dict[str, _Stop]
) -> None:
    from rfcheck.product.dossier import judge_unit
    from rfcheck.product.run import place_captures
    from rfcheck.report.dossier.plots import port_group_png
    from rfcheck.settings import load_setup

    setup = load_setup(SAMPLES / "dossier-setup.toml")
    placement = place_captures([SAMPLES / "rig-0418"], setup)  # no recording: no receiver
    (unit,) = placement.units
    assigned, errors = placement.assign_unit(unit, setup)
    d = judge_unit(unit, placement.plan, placement.cells, assigned, errors, setup)
    name, ports = "L1", ("L1",)  # the unit's first port group
    assert _style_in_force() == FRESH
    alone = port_group_png(d, name, ports)
    stop = stops["stopped"] = _Stop(OVERLAP_WAIT_S)  # with the lock, this thread waits for it
    out: dict[str, bytes] = {}
    stopped = _run("stopped", lambda: plot_png(captures[0]), out)
    assert stop.inside.wait(30.0)
    made = port_group_png(d, name, ports)  # with the lock: after the stopped thread's plot
    stop.go.set()
    stopped.join(30.0)
    assert not stopped.is_alive()
    assert made == alone


def test_lot_plots_made_while_another_thread_draws_are_the_ones_made_alone(
    captures: list[CaptureResult], stops: dict[str, _Stop], tmp_path: Path
) -> None:
    from click.testing import CliRunner

    from rfcheck.cli import main

    def lot_png(out: Path) -> dict[str, bytes]:
        args = ["lot", str(SAMPLES / "lot"), "--golden", "unit01"]
        args += ["--setup", str(SAMPLES / "lot" / "lot-setup.toml"), "--report", "png"]
        res = CliRunner().invoke(main, [*args, "--out", str(out)], catch_exceptions=False)
        assert res.exit_code == 4, res.output  # unit05 is not shown identical
        return {p.name: p.read_bytes() for p in sorted(out.glob("*.png"))}

    assert _style_in_force() == FRESH
    alone = lot_png(tmp_path / "alone")
    assert alone
    stop = stops["stopped"] = _Stop(OVERLAP_WAIT_S)  # with the lock, this thread waits for it
    out: dict[str, bytes] = {}
    stopped = _run("stopped", lambda: plot_png(captures[0]), out)
    assert stop.inside.wait(30.0)
    made = lot_png(tmp_path / "made")  # with the lock: after the stopped thread's plot
    stop.go.set()
    stopped.join(30.0)
    assert not stopped.is_alive()
    assert made == alone


def test_a_dossier_plot_does_not_take_the_users_matplotlibrc() -> None:
    from rfcheck.product.dossier import judge_unit
    from rfcheck.product.run import place_captures
    from rfcheck.report.dossier.plots import port_group_png
    from rfcheck.settings import load_setup

    setup = load_setup(SAMPLES / "dossier-setup.toml")
    placement = place_captures([SAMPLES / "rig-0418"], setup)  # no recording: no receiver
    (unit,) = placement.units
    assigned, errors = placement.assign_unit(unit, setup)
    d = judge_unit(unit, placement.plan, placement.cells, assigned, errors, setup)
    plain = port_group_png(d, "L1", ("L1",))
    # what a user's matplotlibrc would set
    with mpl.rc_context({"font.size": 14.0, "lines.linewidth": 3.0, "axes.facecolor": "#fee"}):
        assert port_group_png(d, "L1", ("L1",)) == plain
