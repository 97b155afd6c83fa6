"""A reading a float hair above a limit's transition frequency is judged at the edge.

47 CFR 15.107(a): "The lower limit applies at the band edges." A generic CSV whose MHz
column was written from ``numpy.linspace(0.15, 30, 5971)`` holds 5.000000000000001 MHz; a
reading there of QP 58 / AV 48 dBµV read PASS +2.00 dB against 60/50, printed at "5 MHz",
while by hand both lines FAIL by 2.00 dB against 56/46 (the same file with ``5.0``: FAIL).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from rfcheck.analysis import analyse_file
from rfcheck.outcome import Verdict
from rfcheck.settings import CheckSettings


def _file(tmp_path: Path, mhz: np.ndarray) -> Path:
    """QP and AV 10 dB under the limits, but 58/48 dBµV at the point nearest 5 MHz."""
    at5 = int(np.argmin(np.abs(mhz - 5.0)))
    qp = np.full(mhz.shape, 30.0)
    av = np.full(mhz.shape, 20.0)
    qp[at5], av[at5] = 58.0, 48.0
    rows = [f"{f!r},{q:.2f},{a:.2f}" for f, q, a in zip(mhz.tolist(), qp, av, strict=True)]
    path = tmp_path / "l1.csv"
    path.write_text(
        "# rbw_hz: 9000\n# dwell_s: 1\nFrequency (MHz),QP (dBuV),CAV (dBuV)\n"
        + "\n".join(rows)
        + "\n",
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize("computed", [True, False])
def test_a_reading_at_5_mhz_fails_the_lower_limit_however_the_grid_was_computed(
    tmp_path: Path, computed: bool
) -> None:
    mhz = np.linspace(0.15, 30, 5971)
    if not computed:
        mhz = np.round(mhz, 6)
    assert (mhz[970] == 5.0) is not computed
    res = analyse_file(_file(tmp_path, mhz), CheckSettings(limit_ids=("fcc-15.107-b",)))
    assert res.verdict is Verdict.FAIL
    for check in res.checks:
        assert check.verdict is Verdict.FAIL
        assert check.worst_margin_db == pytest.approx(-2.0, abs=0.005)
        assert check.worst_frequency_hz == pytest.approx(5e6, abs=1e-3)
