"""A recording too short to hold the emission proves no PASS (docs/verdict.md, "Record length").

A time-domain record shorter than the slowest CISPR detector of its band needs to settle may
hold no burst of an emission repeating more slowly: its quasi-peak and CISPR-average readings
are lower bounds, and its peak reading bounds neither from above. The sample burst recording
cut before its first burst was a wrong PASS on the peak reading before this rule.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from click.testing import CliRunner

from rfcheck.cli import main

SAMPLES = Path(__file__).resolve().parents[2] / "sample_captures"
BURST = SAMPLES / "conducted" / "rig_L1_burst"
#: the sample's first burst starts at sample 7658 (its annotations): 35 ms hold none
BEFORE_FIRST_BURST = 7000
#: 15.6 dB over the sample's scale: the full recording's quasi-peak fails the QP limit
LOUD_VOLTS_PER_UNIT = 6.0

CW_FS = 50e3  # [Hz]
CW_CENTRE = 1.39e6  # [Hz] (Band B: quasi-peak settles in 1.61 s)


def _write(path: Path, data: np.ndarray, glob: dict[str, Any], captures: list[Any]) -> Path:
    path.with_suffix(".sigmf-data").write_bytes(data.astype("<c8").tobytes())
    meta = {"global": glob, "captures": captures, "annotations": []}
    meta_path = path.with_suffix(".sigmf-meta")
    meta_path.write_text(json.dumps(meta), encoding="utf-8")
    return meta_path


def _burst(tmp_path: Path, n_samples: int | None) -> Path:
    """Write the sample burst recording, louder, optionally cut to its first ``n_samples``."""
    meta = json.loads(BURST.with_suffix(".sigmf-meta").read_text(encoding="utf-8"))
    data = np.fromfile(BURST.with_suffix(".sigmf-data"), dtype="<c8")[:n_samples]
    glob = {k: v for k, v in meta["global"].items() if k != "core:sha512"}
    glob["rfcheck:volts_per_unit"] = LOUD_VOLTS_PER_UNIT
    return _write(tmp_path / "burst", data, glob, meta["captures"])


def _cw(tmp_path: Path, seconds: float, captures: list[Any] | None = None) -> Path:
    """Write a CW at the centre of a 50 kHz I/Q recording, 16 dB under the QP limit."""
    n = int(CW_FS * seconds)
    amp = 100e-6 * math.sqrt(2)  # 100 µV rms = 40 dBµV
    glob = {
        "core:datatype": "cf32_le",
        "core:sample_rate": CW_FS,
        "core:version": "1.2.0",
        "core:num_channels": 1,
    }
    caps = captures or [{"core:sample_start": 0, "core:frequency": CW_CENTRE}]
    return _write(tmp_path / "cw", np.full(n, amp, dtype=complex), glob, caps)


def _check(path: Path, *extra: str) -> tuple[int, dict[str, Any]]:
    args = ["check", str(path), "--limit", "fcc-15.107-b", "-o", "json", *extra]
    res = CliRunner().invoke(main, args)
    return res.exit_code, json.loads(res.stdout)


def _lines(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {c["line"]: c for c in doc["captures"][0]["checks"]}


def test_burst_recording_cut_before_the_first_burst_is_inconclusive(tmp_path: Path) -> None:
    code, doc = _check(_burst(tmp_path, BEFORE_FIRST_BURST))
    lines = _lines(doc)
    assert code == 4
    for line, need_s in (("QP", "1.61"), ("AV", "1.12")):
        assert lines[line]["verdict"] == "INCONCLUSIVE"
        assert lines[line]["worst_bound"] == "lower bound"
        assert lines[line]["needs_record_s"] == pytest.approx(float(need_s), abs=0.01)
        assert lines[line]["needs_ranges_hz"] == [[1302000.0, 1477500.0]]
    assert any(
        w.startswith("receiver peak: recording 0.035 s is shorter than the 1.61 s")
        for w in doc["captures"][0]["warnings"]
    )


def test_burst_recording_cut_before_the_first_burst_text_shows_the_needs(tmp_path: Path) -> None:
    args = ["check", str(_burst(tmp_path, BEFORE_FIRST_BURST)), "--limit", "fcc-15.107-b"]
    res = CliRunner().invoke(main, args)
    assert res.exit_code == 4
    assert (
        "      needs: quasi-peak measurement over 1.302-1.4775 MHz (only lower bounds there); "
        "a record ≥ 1.61 s at these frequencies\n" in res.stdout
    )
    assert "PASS" not in res.stdout.split("overall verdict:")[1]


def test_burst_recording_cut_before_the_first_burst_csv_names_the_record(tmp_path: Path) -> None:
    path = _burst(tmp_path, BEFORE_FIRST_BURST)
    res = CliRunner().invoke(main, ["check", str(path), "--limit", "fcc-15.107-b", "-o", "csv"])
    assert res.exit_code == 4
    rows = res.stdout.splitlines()[1:]
    assert [r.split(",")[11] for r in rows] == [
        "1302000.0-1477500.0; record>=1.605s",
        "1302000.0-1477500.0; record>=1.12s",
    ]


def test_whole_burst_recording_still_fails_on_its_quasi_peak(tmp_path: Path) -> None:
    code, doc = _check(_burst(tmp_path, None))
    qp = _lines(doc)["QP"]
    assert code == 1
    assert (qp["verdict"], qp["worst_bound"]) == ("FAIL", "measured")


def test_long_enough_cw_recording_still_passes(tmp_path: Path) -> None:
    code, doc = _check(_cw(tmp_path, 1.7), "--range", "1.375M-1.4M")
    qp = _lines(doc)["QP"]
    assert code == 0
    assert (qp["verdict"], qp["worst_bound"]) == ("PASS", "measured")
    assert qp["needs_record_s"] is None


def test_short_cw_recording_proves_no_pass(tmp_path: Path) -> None:
    code, doc = _check(_cw(tmp_path, 0.3), "--range", "1.375M-1.4M")
    assert code == 4
    assert _lines(doc)["QP"]["needs_record_s"] == pytest.approx(1.605, abs=0.001)


def test_multi_segment_recording_is_judged_segment_by_segment(tmp_path: Path) -> None:
    # 1.7 s of samples in two segments, 0.2 s and 1.5 s: each shorter than QP settles in
    caps = [
        {"core:sample_start": 0, "core:frequency": CW_CENTRE},
        {"core:sample_start": int(0.2 * CW_FS), "core:frequency": CW_CENTRE},
    ]
    code, doc = _check(_cw(tmp_path, 1.7, caps), "--range", "1.375M-1.4M")
    qp = _lines(doc)["QP"]
    assert code == 4
    assert qp["verdict"] == "INCONCLUSIVE"
    assert qp["needs_record_s"] == pytest.approx(1.605, abs=0.001)
    warnings = " ".join(doc["captures"][0]["warnings"])
    assert "recording has 2 capture segments: each is measured on its own" in warnings
    assert "Segment 1: " in warnings and "Segment 2: " in warnings
    assert "recording 0.2 s is shorter than the 1.61 s" in warnings


def test_a_later_segment_at_the_same_frequency_is_read(tmp_path: Path) -> None:
    """Its second half 24 dB over the QP line read PASS: only the first segment was measured."""
    n = int(CW_FS * 2.0)
    amp = 100e-6 * math.sqrt(2)  # 40 dBuV rms, then 80 dBuV
    data = np.concatenate([np.full(n, amp, dtype=complex), np.full(n, 100 * amp, dtype=complex)])
    glob = {"core:datatype": "cf32_le", "core:sample_rate": CW_FS, "core:version": "1.2.0"}
    caps = [
        {"core:sample_start": 0, "core:frequency": CW_CENTRE},
        {"core:sample_start": n, "core:frequency": CW_CENTRE},
    ]
    code, doc = _check(_write(tmp_path / "two", data, glob, caps), "--range", "1.375M-1.4M")
    qp = _lines(doc)["QP"]
    assert code == 1 and qp["verdict"] == "FAIL"
    assert qp["worst_margin_db"] == pytest.approx(56.0 - 80.0, abs=0.05)


def test_dossier_cell_keeps_a_lower_bound_only_range_inconclusive() -> None:
    # the line's worst point lies outside the cell; inside it, only lower bounds (a short
    # record): the cell is INCONCLUSIVE, not PASS for want of a needs frequency
    from rfcheck.outcome import Bound, Verdict
    from rfcheck.product.cells import CellState, judge_cells
    from rfcheck.product.plan import PortKind, RequiredCell
    from rfcheck.results import CaptureResult, LineCheck

    check = LineCheck(
        "fcc-15.107-b",
        "QP",
        "quasi-peak",
        Verdict.INCONCLUSIVE,
        20.0,
        0.2e6,
        Bound.LOWER,
        needs="quasi-peak measurement over 1.302-1.4775 MHz (only lower bounds there)",
        evaluated_hz=((0.15e6, 30e6),),
        needs_ranges_hz=((1.302e6, 1.4775e6),),
        needs_record_s=1.605,
    )
    pooled = CaptureResult("p", None, None, Verdict.INCONCLUSIVE, checks=(check,))
    kind = next(iter(PortKind))
    cell = RequiredCell("L1", kind, "fcc-15.107-b", "QP", 1e6, 30e6, "15.107(a)")
    (out,) = judge_cells([cell], pooled, [("p", (0.15e6, 30e6))])
    assert out.state is CellState.INCONCLUSIVE


def test_a_short_record_is_noted_once_per_trace(tmp_path: Path) -> None:
    """The receiver trace's note says it all; the verdict does not repeat it per line."""
    _, doc = _check(_burst(tmp_path, BEFORE_FIRST_BURST))
    warnings = doc["captures"][0]["warnings"]
    about_record = [w for w in warnings if "shorter than" in w]
    assert [w.split(":")[0] for w in about_record] == [
        "receiver peak",
        "receiver quasi-peak",
        "receiver cispr-average",
    ]
    assert all("used as a lower bound only" in w for w in about_record)


def _two_segments(tmp_path: Path, quiet_s: float, loud_s: float, loud_dbuv: float) -> Path:
    """Write a settled 40 dBuV CW segment, then one at the same centre with a louder CW."""
    amp = 100e-6 * math.sqrt(2)  # 40 dBuV rms
    n1, n2 = int(CW_FS * quiet_s), int(CW_FS * loud_s)
    loud = amp * 10 ** ((loud_dbuv - 40.0) / 20.0)
    data = np.concatenate([np.full(n1, amp, dtype=complex), np.full(n2, loud, dtype=complex)])
    glob = {"core:datatype": "cf32_le", "core:sample_rate": CW_FS, "core:version": "1.2.0"}
    caps = [
        {"core:sample_start": 0, "core:frequency": CW_CENTRE},
        {"core:sample_start": n1, "core:frequency": CW_CENTRE},
    ]
    return _write(tmp_path / "segs", data, glob, caps)


def test_one_segment_measured_does_not_settle_another_segments_bound(tmp_path: Path) -> None:
    """A 0.1 s burst 6 dB over the QP line after 2 s of a settled 40 dBuV CW read PASS.

    Each segment is another time: the first one's measurement neither supersedes nor covers
    the second one's lower bounds (44.24 dBuV QP), so the line is INCONCLUSIVE, as the
    second segment alone is.
    """
    code, doc = _check(_two_segments(tmp_path, 2.0, 0.1, 62.0), "--range", "1.38M-1.40M")
    qp = _lines(doc)["QP"]
    assert code == 4 and qp["verdict"] == "INCONCLUSIVE"
    assert qp["worst_bound"] == "lower bound" and qp["worst_margin_db"] == pytest.approx(
        11.76, abs=0.1
    )


def test_a_stub_segment_is_said_not_measured_and_the_others_judged(tmp_path: Path) -> None:
    amp = 100e-6 * math.sqrt(2)
    n = int(CW_FS * 2.0)
    data = np.full(n + 1, amp, dtype=complex)
    glob = {"core:datatype": "cf32_le", "core:sample_rate": CW_FS, "core:version": "1.2.0"}
    caps = [
        {"core:sample_start": 0, "core:frequency": CW_CENTRE},
        {"core:sample_start": n, "core:frequency": CW_CENTRE},
    ]
    code, doc = _check(_write(tmp_path / "stub", data, glob, caps), "--range", "1.38M-1.40M")
    assert code == 0 and _lines(doc)["QP"]["verdict"] == "PASS"
    warnings = " ".join(doc["captures"][0]["warnings"])
    assert "Segment 2: not measured: record of 1 samples is shorter than" in warnings


def test_the_centre_stated_for_check_keeps_each_segments_own(tmp_path: Path) -> None:
    """--center-freq replaced every segment's centre: one recorded at 5 MHz was judged at 1.39."""
    amp = 100e-6 * math.sqrt(2)
    n = int(CW_FS * 2.0)
    data = np.concatenate([np.full(n, amp, dtype=complex), np.full(n, 100 * amp, dtype=complex)])
    glob = {"core:datatype": "cf32_le", "core:sample_rate": CW_FS, "core:version": "1.2.0"}
    caps = [{"core:sample_start": 0}, {"core:sample_start": n, "core:frequency": 5e6}]
    path = _write(tmp_path / "centres", data, glob, caps)
    code, doc = _check(path, "--center-freq", "1.39M")
    qp = _lines(doc)["QP"]
    assert code == 1 and qp["worst_frequency_hz"] == pytest.approx(5e6)
    warnings = " ".join(doc["captures"][0]["warnings"])
    assert "Segment 2: its own centre frequency 5 MHz is kept" in warnings
