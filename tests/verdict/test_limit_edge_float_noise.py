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


@pytest.mark.parametrize("end_mhz", [0.15, 30.0])
def test_a_reading_a_float_hair_outside_the_limits_range_is_judged_at_its_end(
    tmp_path: Path, end_mhz: float
) -> None:
    """A grid's last point, 30.000000000000092 MHz, is a reading at 30 MHz, not outside.

    It read "1 reading outside the limit's range (0.15-30 MHz) not judged: 30 MHz" and the
    line PASS +56 dB, where 61 dBµV at 30 MHz is 1 dB over the 60 dBµV QP limit (at
    0.15 MHz: 67 over 66).
    """
    mhz = np.linspace(0.15, 30, 6634)
    k = 0 if end_mhz == 0.15 else -1
    mhz[k] = np.nextafter(end_mhz, 0.0 if k == 0 else np.inf)
    level = 67.0 if k == 0 else 61.0
    at = k % mhz.size
    rows = [f"{f!r},{level if i == at else 0.0:.2f}" for i, f in enumerate(mhz.tolist())]
    path = tmp_path / "qp.csv"
    path.write_text(
        "# rbw_hz: 9000\n# dwell_s: 1\nFrequency (MHz),QP (dBuV)\n" + "\n".join(rows) + "\n",
        encoding="utf-8",
    )
    res = analyse_file(path, CheckSettings(limit_ids=("fcc-15.107-b",)))
    qp = next(c for c in res.checks if c.line == "QP")
    assert qp.verdict is Verdict.FAIL
    assert qp.worst_margin_db == pytest.approx(-1.0, abs=0.005)
    assert not [w for w in res.warnings if "outside the limit's range" in w]
