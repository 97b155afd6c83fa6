"""Coverage in words (rfcheck.report._coverage): long lists of ranges are named in part.

A receiver scan whose RBW is narrower than its step (9 kHz readings every 60 kHz over
30 MHz-1 GHz) leaves a gap between every two readings: 16,000 ranges, which made the text
verdict line 340 kB and the HTML page 1.5 MB when each was named. The first few are named,
the rest counted; the JSON keeps every range.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from rfcheck.analysis import run_check
from rfcheck.frequency import MAX_RANGES_NAMED
from rfcheck.report.html import render_html
from rfcheck.report.tabular import render_json
from rfcheck.report.text import render_text
from rfcheck.settings import CheckSettings


def _gappy_scan(tmp_path: Path) -> Path:
    """QP readings in 9 kHz every 60 kHz over 30-40 MHz, 20 dBµV/m (a 120 kHz band)."""
    f_mhz = np.arange(30.0, 40.0 + 1e-9, 0.06)
    rows = "".join(f"{f:.2f},20\n" for f in f_mhz)
    path = tmp_path / "scan.csv"
    path.write_text(
        "# rbw_hz: 9000\n# dwell_s: 1\nFrequency (MHz),QP (dBuV/m)\n" + rows, encoding="utf-8"
    )
    return path


def test_many_gaps_are_named_in_part_and_counted(tmp_path: Path) -> None:
    settings = CheckSettings(limit_ids=("fcc-15.109-b",), distance_m=3.0, range_hz=(30e6, 40e6))
    run = run_check([_gappy_scan(tmp_path)], settings)
    (cap,) = run.captures
    ((_, _, ranges),) = cap.not_evaluated
    assert len(ranges) > 100
    text = render_text(run)
    shown = f"(+{len(ranges) - MAX_RANGES_NAMED} more) [{len(ranges)} ranges in JSON/CSV]"
    assert shown in text
    assert len(text) < 5000, len(text)
    (needs,) = [ln for ln in text.splitlines() if "needs:" in ln]
    assert f"(+{len(cap.checks[0].needs_ranges_hz) - 5} more)" in needs
    assert shown in render_html(run).decode()
    doc = json.loads(render_json(run))
    assert len(doc["captures"][0]["not_evaluated"][0]["ranges_hz"]) == len(ranges)
