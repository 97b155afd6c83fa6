"""The ``lot`` plot draws final-measurement lists as markers and names a unit over a limit.

Final lists (QP and CAV readings at 0.2, 1 and 12 MHz) were joined by lines: a unit measured
over the AV limit at 1 MHz only was drawn over it from 0.48 to 1.9 MHz, thin grey among the
unnamed "identical units", though it is the unit that fails the lot.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
from matplotlib.axes import Axes

from rfcheck.lot import run_lot
from rfcheck.lot.plots import lot_figure
from rfcheck.settings import load_setup

SETUP = """\
[[rule]]
match = "*"
limits = ["fcc-15.107-b"]

[[rule]]
match = "*u*_*"
port_regex = "_(?P<port>L1)_"

[batch]
group_pattern = "^(?P<unit>u[0-9]+)_"
"""

#: Final-list frequencies [MHz] and the golden unit's QP / CAV there [dBµV].
FINALS = {0.2: (52.0, 44.0), 1.0: (46.0, 40.0), 12.0: (45.0, 41.0)}


def _final(path: Path, av_1m: float, offset: float) -> None:
    rows = ["# rbw_hz: 9000", "# dwell_s: 1", "Frequency (MHz),QP (dBuV),CAV (dBuV)"]
    for f, (qp, av) in FINALS.items():
        av = av_1m if f == 1.0 else av + offset
        rows.append(f"{f:.6f},{qp + offset:.2f},{av:.2f}")
    path.write_text("\n".join(rows) + "\n", encoding="ascii")


def _legend(ax: Axes) -> list[str]:
    legend = ax.get_legend()
    assert legend is not None
    return [t.get_text() for t in legend.get_texts()]


def test_final_lists_are_markers_and_the_unit_over_the_limit_is_named(
    tmp_path: Path, csv_writer: Callable[..., Path]
) -> None:
    for i in range(1, 6):
        offset = 0.2 * i
        peaks = {f * 1e6: qp + 3.0 + offset for f, (qp, _) in FINALS.items()}
        csv_writer(tmp_path / f"u{i}_L1_prescan.csv", {"Peak": peaks})
        # u5: CAV 46.5 dBµV at 1 MHz, over the 46 dBµV AV limit there, 6.5 dB over u1's
        _final(tmp_path / f"u{i}_L1_final.csv", 46.5 if i == 5 else 40.0 + offset, offset)
    (tmp_path / "setup.toml").write_text(SETUP, encoding="ascii")
    result = run_lot(tmp_path, "u1", load_setup(tmp_path / "setup.toml"))
    fig = lot_figure(result, "L1")
    panels = {ax.get_title().split(",")[0]: ax for ax in fig.axes}
    av = panels["L1: fcc-15.107-b AV"]
    texts = _legend(av)
    named = [t for t in texts if t.startswith("u5 ")]
    assert len(named) == 1 and "over the limit: -0.50 dB at 1 MHz" in named[0], texts
    assert not any(t.startswith("identical units") and "u5" in t for t in texts), texts
    assert any(t.startswith("identical units (3)") for t in texts), texts
    # the QP panel: u5 is under the QP limit, one of the identical units (when shown so)
    qp_texts = _legend(panels["L1: fcc-15.107-b QP"])
    assert not any("over the limit" in t for t in qp_texts), qp_texts
    # every unit's final list: markers, never a line joining 0.2, 1 and 12 MHz
    for ax in fig.axes:
        lists = [
            ln
            for ln in ax.lines
            if np.size(ln.get_xdata()) == 3
            and not str(ln.get_label()).startswith(("fcc-", "80/80"))
        ]
        assert len(lists) == 5, ax.get_title()
        assert all(ln.get_linestyle() == "None" and ln.get_marker() != "None" for ln in lists)
