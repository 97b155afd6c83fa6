"""A recording spanning several CISPR bands: each band's readings need its own record length.

A 2 s real recording at 400 kS/s spans Band A (9-150 kHz) and Band B. Band A's quasi-peak
needs 2.87 s to settle, Band B's 1.61 s (docs/receiver.md, "What the receiver warns about").
The receiver's traces span both bands, and the record length was asked of the whole trace:
every Band B reading of the 2 s record was a lower bound, a CW 4.96 dB under the 15.107 QP
limit at 170 kHz INCONCLUSIVE.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
from click.testing import CliRunner

from rfcheck.cli import main

FS = 400e3  # [Hz]
F_CW = 170e3  # [Hz], Band B


def _real_cw(folder: Path, level_dbuv: float, seconds: float) -> Path:
    t = np.arange(int(FS * seconds)) / FS
    crest = 10 ** (level_dbuv / 20) * 1e-6 * math.sqrt(2)
    (folder / "cw.sigmf-data").write_bytes(
        (crest * np.cos(2 * np.pi * F_CW * t)).astype("<f4").tobytes()
    )
    meta = {
        "global": {"core:datatype": "rf32_le", "core:sample_rate": FS, "core:version": "1.2.0"},
        "captures": [{"core:sample_start": 0}],
        "annotations": [],
    }
    path = folder / "cw.sigmf-meta"
    path.write_text(json.dumps(meta), encoding="utf-8")
    return path


def test_band_b_readings_of_a_record_too_short_for_band_a_are_measured(tmp_path: Path) -> None:
    meta = _real_cw(tmp_path, 60.0, 2.0)
    args = ["check", str(meta), "--limit", "fcc-15.107-b", "--range", "0.16M-0.18M", "-o", "json"]
    res = CliRunner().invoke(main, args)
    cap = json.loads(res.stdout)["captures"][0]
    qp = next(c for c in cap["checks"] if c["line"] == "QP")
    # 15.107(a) QP at 170 kHz: 66 - 19.1249 log10(0.17/0.15) = 64.96 dBuV
    assert (qp["verdict"], qp["worst_margin_db"], qp["worst_bound"]) == ("PASS", 4.96, "measured")
    # Band A's readings stay lower bounds, and the note names the band
    notes = " ".join(cap["warnings"])
    assert "receiver quasi-peak (band A): recording 2 s is shorter than the 2.87 s" in notes
    assert "(band B)" not in notes
