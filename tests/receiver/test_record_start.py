"""A signal already on at the record's start and gone later.

A recording started in the middle of a burst holds only the burst's end: the quasi-peak
and average meters start from rest and swing only over that part, so a longer look would
read more. Such readings are lower bounds, with a warning; a steady, modulated or pulsed
signal that the rest of the record shows again is not flagged.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from rfcheck.capture import SampleKind, TimeSeries
from rfcheck.cli import main
from rfcheck.outcome import Bound
from rfcheck.receiver import measure, scan_traces
from rfcheck.receiver.started import START_TEXT

FS, FC = 400e3, 1e6
DUR = 3.0
DETS = ("peak", "quasi-peak", "cispr-average", "rms-average")
WEIGHTING = DETS[1:]
A = 10 ** (66.99 / 20) * 1e-6 * np.sqrt(2)  # 66.99 dBµV CW crest [V]


def _series(gate: np.ndarray, tone_hz: float = 1234.5, noise: float = 1e-7) -> TimeSeries:
    t = np.arange(gate.size) / FS
    rng = np.random.default_rng(3)
    x = A * gate * np.exp(2j * np.pi * tone_hz * t)
    x += noise * (rng.standard_normal(t.size) + 1j * rng.standard_normal(t.size))
    return TimeSeries(x.astype(np.complex64), FS, SampleKind.IQ, center_freq_hz=FC)


def _t() -> np.ndarray:
    return np.arange(int(DUR * FS)) / FS


def _burst(start_s: float, length_s: float) -> TimeSeries:
    t = _t()
    return _series(((t >= start_s) & (t < start_s + length_s)).astype(float))


@pytest.mark.parametrize("length_s", [0.002, 0.02, 0.2])
def test_a_burst_cut_by_the_records_start_is_read_as_a_lower_bound(length_s: float) -> None:
    """A burst from the first sample reads low, and says so.

    Before: a 20 ms burst at the start read QP ~10 dB under the same burst held longer,
    labelled measured (a PASS where a longer look FAILs).
    """
    cut = measure(_burst(0.0, length_s), "B", [FC], DETS)
    whole = measure(_burst(1.0, length_s), "B", [FC], DETS)
    for d in WEIGHTING:
        assert cut.bound(d) is Bound.LOWER, d
        assert whole.bound(d) is Bound.MEASURED, d
        # held for the whole record the same signal reads its CW level, 66.99 dBµV
        assert cut.readings_dbuv[d][0] < 66.99 - 1.0
    assert cut.bound("peak") is Bound.MEASURED  # the envelope's maximum was seen
    notes = [w for w in cut.warnings if START_TEXT in w]
    assert [n.split(":")[0] for n in notes] == [f"receiver {d}" for d in WEIGHTING]
    assert all("1 MHz" in n and "every" in n and "lower bound" in n for n in notes)
    assert not any(START_TEXT in w for w in whole.warnings)


def test_the_test_does_not_depend_on_the_block_size() -> None:
    ts = _burst(0.0, 0.02)
    big = measure(ts, "B", [FC], DETS)
    small = measure(ts, "B", [FC], DETS, block_s=0.0003)
    assert big.rising == small.rising == WEIGHTING


def _steady_cases() -> dict[str, TimeSeries]:
    t = _t()
    return {
        "cw": _series(np.ones(t.size)),
        "noise": _series(np.zeros(t.size), noise=1e-5),
        # the mains-rate envelope of a power supply's emission, the record starting at a crest
        "am 100 Hz": _series(np.abs(np.cos(2 * np.pi * 50 * t))),
        # caught in a 2 ms pulse of a 50 Hz train
        "pulses": _series(((t % 0.02) < 0.002).astype(float)),
        # a 20 ms burst every 0.5 s, the record starting in one
        "bursts": _series(((t % 0.5) < 0.02).astype(float)),
    }


@pytest.mark.parametrize("name", list(_steady_cases()))
def test_a_signal_the_rest_of_the_record_shows_again_is_not_flagged(name: str) -> None:
    res = measure(_steady_cases()[name], "B", [FC - 4.5e3, FC, FC + 4.5e3], DETS)
    assert not any(START_TEXT in w for w in res.warnings), res.warnings
    assert {res.bound(d) for d in DETS} == {Bound.MEASURED}


def test_check_traces_of_a_cut_burst_are_unsettled_and_noted_once() -> None:
    notes: list[str] = []
    traces = scan_traces(_burst(0.0, 0.02), ("peak", "quasi-peak"), notes=notes)
    by = {tr.name: tr.settled for tr in traces}
    assert by == {"receiver peak": None, "receiver quasi-peak": False}
    assert len([n for n in notes if n.startswith(f"receiver quasi-peak{START_TEXT}")]) == 1


def _sigmf(folder: Path, ts: TimeSeries) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "cut.sigmf-data").write_bytes(np.ascontiguousarray(ts.samples).tobytes())
    meta = folder / "cut.sigmf-meta"
    glob = {"core:datatype": "cf32_le", "core:version": "1.2.0", "core:sample_rate": FS}
    caps = [{"core:sample_start": 0, "core:frequency": FC}]
    meta.write_text(json.dumps({"global": glob, "captures": caps, "annotations": []}))
    return meta


def test_the_outputs_give_the_cut_start_as_the_reason_and_ask_for_no_longer_record(
    tmp_path: Path,
) -> None:
    """A 3 s record is long enough to settle: asking for "a record >= 1.61 s" was wrong.

    The receiver's footnote said the record was shorter than the detectors need, and check's
    needs asked for a longer record, which would not settle a signal cut by the start.
    """
    meta = _sigmf(tmp_path, _burst(0.0, 0.02))
    runner = CliRunner()
    rec = runner.invoke(main, ["receiver", str(meta), "--band", "B", "--freq", "1M"])
    (foot,) = [ln for ln in rec.stdout.splitlines() if ln.startswith("# ≥: lower bound")]
    assert "already on at the record's start" in foot and "shorter than" not in foot
    res = runner.invoke(
        main,
        ["check", str(meta), "--limit", "fcc-15.107-b", "--range", "0.99M-1.01M", "-o", "json"],
    )
    checks = json.loads(res.stdout)["captures"][0]["checks"]
    assert "INCONCLUSIVE" in {c["verdict"] for c in checks}  # QP 56.1 is over the AV line
    assert all(c.get("needs_record_s") is None for c in checks)
    assert not any("record" in n for c in checks for n in c.get("needs", []))
