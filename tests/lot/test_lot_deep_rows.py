"""The 80/80 rule is applied where its statistic could fail, whatever the listing window.

``--window`` (10 dB) names the frequencies where some unit comes close to a line; the spread of
the units can take ``x̄ + k·S_n`` over the line where none does. Hand-built lots (one L1
capture per unit, AV levels as given, QP = AV + 3 dB, flat floor at -20 dBµV; AV line 46 dBµV
and QP line 56 dBµV at 2 MHz, fcc-15.107-b):

- 26.0, 35.9, 16.1 dBµV (each within the 10 dB identity threshold of the golden unit, the
  highest 10.1 dB under the AV line): x̄ = 26.0, S_n = 9.90, x̄ + 2.04·S_n = 46.20, FAIL;
- 26.0, 35.5, 16.5: S_n = 9.50, x̄ + 2.04·S_n = 45.38, PASS +0.62 dB, the row shown;
- 40, 41, 39 at 1 MHz with 20, 21, 19 at 5 MHz: the rows are the window's alone;
- peak readings only for the QP line (upper bounds) whose spread comes within the window:
  INCONCLUSIVE, not PASS.
"""

from __future__ import annotations

import itertools
import json
import math
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
from click.testing import CliRunner

from rfcheck.cli import main
from rfcheck.lot.deep_rows import depth_db, may_reach
from rfcheck.lot.statistics import k_factor, spread_reach

from .conftest import LOT_SETUP

LotWriter = Callable[[Path, Mapping[str, Mapping[float, float]]], Path]


def _lot_json(
    tmp_path: Path, lot_writer: LotWriter, av: Mapping[str, Mapping[float, float]]
) -> Any:
    folder = tmp_path / "lot"
    setup = lot_writer(folder, av)
    args = ["lot", str(folder), "--golden", "u01", "--setup", str(setup), "-o", "json"]
    res = CliRunner().invoke(main, args, catch_exceptions=False)
    doc = json.loads(res.stdout)
    return res.exit_code, doc


def _row(doc: Any, line: str, f_hz: float) -> Any:
    return next(
        (s for s in doc["statistics"] if s["line"] == line and s["frequency_hz"] == f_hz), None
    )


def test_a_spread_failing_the_rule_below_the_window_fails_the_lot(
    tmp_path: Path, lot_writer: LotWriter
) -> None:
    """No unit within 10 dB of the AV line, x̄ + k·S_n = 46.20 over it: FAIL (was PASS)."""
    code, doc = _lot_json(
        tmp_path, lot_writer, {"u01": {2e6: 26.0}, "u02": {2e6: 35.9}, "u03": {2e6: 16.1}}
    )
    assert [u["identical"] for u in doc["units"]][1:] == [True, True]
    s_n = math.sqrt((0.0 + 9.9**2 + 9.9**2) / 2.0)  # 9.90
    av = _row(doc, "AV", 2e6)
    assert av is not None
    assert (av["n"], av["k"], av["mean"], av["s_n"]) == (3, 2.04, 26.0, round(s_n, 2))
    assert (av["value"], av["limit"], av["margin_db"]) == (46.2, 46.0, -0.2)
    assert av["verdict"] == "FAIL"
    assert doc["verdict"] == "FAIL"
    assert code == 1
    # QP = AV + 3: x̄ + k·S_n = 29.0 + 20.2 = 49.2, 6.8 dB under 56: within the window, shown
    qp = _row(doc, "QP", 2e6)
    assert qp is not None and (qp["value"], qp["verdict"]) == (49.2, "PASS")


def test_a_spread_just_under_failing_passes_with_its_row_shown(
    tmp_path: Path, lot_writer: LotWriter
) -> None:
    """x̄ + k·S_n = 45.38, 0.62 dB under the AV line: PASS, and the row is in the table."""
    code, doc = _lot_json(
        tmp_path, lot_writer, {"u01": {2e6: 26.0}, "u02": {2e6: 35.5}, "u03": {2e6: 16.5}}
    )
    av = _row(doc, "AV", 2e6)
    assert av is not None  # no unit within 10 dB: the window alone formed no row here
    assert (av["mean"], av["s_n"], av["value"], av["margin_db"]) == (26.0, 9.5, 45.38, 0.62)
    assert av["verdict"] == "PASS"
    assert (doc["verdict"], code) == ("PASS", 0)


def test_rows_far_under_the_limit_with_a_small_spread_stay_out(
    tmp_path: Path, lot_writer: LotWriter
) -> None:
    """The window hides nothing: the rows are its own, as before (5 MHz: 22.04, not shown)."""
    code, doc = _lot_json(
        tmp_path,
        lot_writer,
        {
            "u01": {1e6: 40.0, 5e6: 20.0},
            "u02": {1e6: 41.0, 5e6: 21.0},
            "u03": {1e6: 39.0, 5e6: 19.0},
        },
    )
    rows = [(s["line"], s["frequency_hz"], s["value"], s["verdict"]) for s in doc["statistics"]]
    assert rows == [("AV", 1e6, 42.04, "PASS")]  # 40 + 2.04·1.0; QP 43 + 2.04 = 45.04 vs 56
    assert (doc["verdict"], code) == ("PASS", 0)


def test_the_spread_bound_holds_at_every_corner_and_inside() -> None:
    """x̄ + k·S_n ≤ M + c·(M − m) for levels in [m, M], with equality at the worst corner."""
    rng = np.random.default_rng(7)
    for n in (3, 4, 6, 12):
        c, k = spread_reach(n), k_factor(n)
        worst = 0.0
        for corner in itertools.product((0.0, 1.0), repeat=n):  # m = 0, M = 1 (R = 1)
            x = np.array(corner)
            if x.max() == 1.0 and x.min() == 0.0:
                worst = max(worst, float(x.mean() + k * x.std(ddof=1)) - 1.0)
        assert abs(worst - c) < 1e-12 if n == 3 else worst <= c + 1e-12
        for _ in range(200):
            x = rng.uniform(0.0, 1.0, n)
            assert x.mean() + k * x.std(ddof=1) <= x.max() + c * (x.max() - x.min()) + 1e-12
    assert round(spread_reach(3), 3) == 0.844


def test_the_depth_reaches_every_row_that_can_come_within_the_window() -> None:
    """A row whose closest unit is deeper than D cannot come within the window: D is enough."""
    window, phi, n = 10.0, 60.0, 3
    d = depth_db(window, phi, n)
    c = spread_reach(n)
    assert d == (window + c * phi) / (1.0 + c)
    limit = 46.0
    # closest unit just beyond D, the others as low as the floor margin allows: never kept
    top = limit - d - 0.01
    assert not may_reach([top, limit - phi, limit - phi], limit, window)
    assert not may_reach([top, top, limit - phi], limit, window)
    # just inside D, the worst corner (two units high, one at the floor) is kept
    top = limit - d + 0.01
    assert may_reach([top, top, limit - phi], limit, window)


def test_a_row_below_the_window_read_as_bounds_only_is_inconclusive_not_pass(
    tmp_path: Path, csv_writer: Callable[..., Path]
) -> None:
    """Peak readings only for the QP line: 31.0, 40.9, 21.1 (upper bounds), x̄ + k·S_n 51.20.

    Within 10 dB of the 56 dBµV QP line as read, though no unit is: the true quasi-peak
    levels are unknown (a lower one widens the spread), so the row is INCONCLUSIVE, not a PASS.
    The AV levels (20, 21, 19: 22.04) stay out of the table.
    """
    folder = tmp_path / "lot"
    for name, pk, av in (("u01", 31.0, 20.0), ("u02", 40.9, 21.0), ("u03", 21.1, 19.0)):
        csv_writer(folder / f"{name}_L1.csv", {"Peak": {2e6: pk}, "CAVG": {2e6: av}})
    setup = folder / "setup.toml"
    setup.write_text(LOT_SETUP, encoding="ascii")
    args = ["lot", str(folder), "--golden", "u01", "--setup", str(setup), "-o", "json"]
    res = CliRunner().invoke(main, args, catch_exceptions=False)
    doc = json.loads(res.stdout)
    assert [u["verdict"] for u in doc["units"]] == ["PASS", "PASS", "PASS"]
    rows = [(s["line"], s["frequency_hz"], s["verdict"]) for s in doc["statistics"]]
    assert rows == [("QP", 2e6, "INCONCLUSIVE")]
    assert "bounds only" in doc["statistics"][0]["note"]
    assert (doc["verdict"], res.exit_code) == ("INCONCLUSIVE", 4)
