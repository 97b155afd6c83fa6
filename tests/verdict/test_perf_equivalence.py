"""Regression guards for the performance work.

The vectorised suspect-candidate selection equals the straightforward per-peak reference (on random
traces, ties and plateaus included), and atomic writes fsync only when asked to.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.signal import find_peaks

from rfcheck.capture import Detector
from rfcheck.limits import LimitTable, load_shipped
from rfcheck.outcome import Bound, Verdict
from rfcheck.report import atomic
from rfcheck.results import Suspect
from rfcheck.units import LevelUnit
from rfcheck.verdict import CorrectedTrace
from rfcheck.verdict.bounds import BoundCode
from rfcheck.verdict.coverage import Intervals, is_sweep_grid
from rfcheck.verdict.points import TracePoints
from rfcheck.verdict.suspects import EPS_DB, PEAK_EXCURSION_DB, peaks, rank_key, suspects_at


def _reference_candidates(
    table: LimitTable, line: str, rows: list[TracePoints], lower_only: Intervals, window: float
) -> list[Suspect]:
    """Select suspect candidates as the pre-vectorisation implementation did.

    The pre-vectorisation implementation (one ``np.isclose`` per peak, one Python iteration per
    chosen point, a plateau walked back point by point), kept as the specification.
    """
    out: list[Suspect] = []
    for row in rows:
        t, m, f, margin, limit = row.trace, row.mask, row.freq_hz, row.margin_db, row.limit
        rels, superseded = row.bound, row.superseded
        in_lower_only = np.zeros(f.shape, dtype=bool)
        for a, b in lower_only:
            in_lower_only |= (f >= a) & (f <= b)
        usable = ~superseded & ((rels != BoundCode.LOWER) | (margin < -EPS_DB) | in_lower_only)
        cand = usable & (margin < window)
        if not cand.any():
            continue
        excess = np.where(usable, -margin, -1e9)
        # an end point is a peak of its one side (an unusable sample beyond each end)
        padded = np.concatenate(([-1e9], excess, [-1e9]))
        peaks, _ = find_peaks(padded, prominence=PEAK_EXCURSION_DB)
        chosen = set((peaks - 1).tolist())
        top = int(np.argmax(excess))
        if not any(np.isclose(excess[p], excess[top]) for p in chosen):
            chosen.add(top)
        reading, corr, level = t.reading[m], t.correction_db[m], t.level[m]
        key = rank_key(margin)
        left_edges = set()
        for i in chosen:
            if not cand[i]:
                continue
            while i > 0 and key[i - 1] == key[i] and usable[i - 1] and usable[i]:
                i -= 1  # a plateau of equal margins is named by its lowest frequency
            left_edges.add(i)
        axis = t.axis_hz if t.axis_hz is not None else t.freq_hz
        if not t.computed_from and not is_sweep_grid(axis):  # an instrument's list of finals
            left_edges = set(np.flatnonzero(cand).tolist())  # each reading is an emission
        for i in sorted(left_edges):
            bound = BoundCode(int(rels[i])).bound
            if margin[i] < -EPS_DB:
                v = Verdict.INCONCLUSIVE if bound is Bound.UPPER else Verdict.FAIL
            else:
                v = Verdict.PASS if bound in (Bound.MEASURED, Bound.UPPER) else Verdict.INCONCLUSIVE
            out.append(
                Suspect(
                    frequency_hz=float(f[i]),
                    reading=float(reading[i]),
                    reading_unit=t.reading_unit,
                    correction_db=float(corr[i]),
                    level=float(level[i]),
                    unit=t.unit.value,
                    limit=float(limit[i]),
                    margin_db=float(margin[i]),
                    detector=t.detector.value,
                    bound=bound,
                    verdict=v,
                    limit_id=table.id,
                    line=line,
                )
            )
    return out


def _candidates(
    table: LimitTable, rows: list[TracePoints], lower_only: Intervals, window: float
) -> list[Suspect]:
    """Return the peak rule as production applies it (rfcheck.verdict.suspects.line_candidates)."""
    out: list[Suspect] = []
    for row in rows:
        chosen = peaks(row, lower_only, window, left_edge=True)
        out.extend(suspects_at(table, "QP", row, chosen))
    return out


@pytest.fixture(scope="module")
def table() -> LimitTable:
    return load_shipped("fcc-15.107-b")


def _rows(seed: int, n_traces: int, quantise: bool) -> tuple[list[TracePoints], Intervals]:
    rng = np.random.default_rng(seed)
    rows = []
    for _ in range(n_traces):
        n = int(rng.choice([1, 2, 3, 7, 50, 400, 3000]))
        f_all = np.geomspace(150e3, 30e6, n + int(rng.integers(0, 5)))
        m = np.zeros(f_all.shape, dtype=bool)
        m[:n] = True
        rng.shuffle(m)
        reading = rng.normal(40.0, rng.uniform(0.5, 8.0), f_all.size)
        if rng.random() < 0.3:
            reading[rng.integers(0, f_all.size, 5)] += 25.0
        if quantise:
            reading = np.round(reading)  # plateaus and exact ties between peaks
        corr = np.round(rng.normal(0.3, 0.2, f_all.size), 2)
        level = reading + corr
        t = CorrectedTrace(
            "t", Detector.PEAK, f_all, reading, "dBuV", corr, level, LevelUnit.DBUV, 9e3
        )
        f = f_all[m]
        limit = np.where(f < 0.5e6, 60.0, 50.0) + rng.choice([0.0, 3.0])
        margin = limit - level[m]
        kinds = [Bound.NONE, Bound.MEASURED, Bound.UPPER, Bound.LOWER]
        rels = np.asarray([BoundCode.of(b) for b in kinds], dtype=np.int8)[
            rng.choice(4, size=f.shape, p=[0.05, 0.25, 0.4, 0.3])
        ]
        superseded = (rng.random(f.shape) < 0.2) | (rels == BoundCode.NONE)
        rows.append(TracePoints(t, m, f, margin, limit, rels, superseded))
    lower_only: Intervals = []
    if rng.random() < 0.5:
        a = float(rng.uniform(150e3, 10e6))
        lower_only = [(a, a * float(rng.uniform(1.01, 3.0)))]
    return rows, lower_only


@settings(max_examples=150, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    n_traces=st.integers(1, 3),
    quantise=st.booleans(),
    window=st.sampled_from([-5.0, 0.0, 6.0, 20.0, 100.0]),
)
def test_candidates_equal_reference(
    table: LimitTable, seed: int, n_traces: int, quantise: bool, window: float
) -> None:
    rows, lower_only = _rows(seed, n_traces, quantise)
    got = _candidates(table, rows, lower_only, window)
    want = _reference_candidates(table, "QP", rows, lower_only, window)
    assert got == want
    for g in got:  # plain Python scalars, as before (JSON/pickle identical)
        assert type(g.frequency_hz) is float and type(g.margin_db) is float


def test_worst_point_added_only_when_no_peak_ties_it(table: LimitTable) -> None:
    f = np.geomspace(150e3, 30e6, 9)
    level = np.array([70.0, 40, 40, 40, 40, 40, 40, 40, 40])  # worst at the edge: no peak
    t = CorrectedTrace("t", Detector.PEAK, f, level, "dBuV", np.zeros(9), level, LevelUnit.DBUV)
    limit = np.full(9, 60.0)
    measured = np.full(9, BoundCode.MEASURED, dtype=np.int8)
    rows = [TracePoints(t, np.ones(9, bool), f, limit - level, limit, measured, np.zeros(9, bool))]
    got = _candidates(table, rows, [], 6.0)
    assert [s.frequency_hz for s in got] == [f[0]]
    assert got == _reference_candidates(table, "QP", rows, [], 6.0)


def test_atomic_write_fsyncs_only_when_durable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []
    real = os.fsync

    def counting_fsync(fd: int) -> None:
        calls.append(fd)
        real(fd)

    monkeypatch.setattr(os, "fsync", counting_fsync)
    atomic.write_atomic(tmp_path / "a.json", b"{}")
    assert calls == []
    atomic.write_atomic(tmp_path / "b.json", b"{}", durable=True)
    assert len(calls) >= 1  # the file (and the folder where supported)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.json", "b.json"]
    assert (tmp_path / "b.json").read_bytes() == b"{}"


@settings(max_examples=200, deadline=None)
@given(tie=st.lists(st.booleans(), min_size=1, max_size=60), seed=st.integers(0, 2**16))
def test_plateau_starts_equal_the_running_maximum(tie: list[bool], seed: int) -> None:
    """The sparse plateau walk gives what the full-length running maximum of indices gave."""
    from rfcheck.verdict.suspects import _plateau_starts

    t = np.array([False, *tie[1:]])
    rng = np.random.default_rng(seed)
    chosen = np.unique(rng.integers(0, t.shape[0], size=rng.integers(1, 10)))
    want = np.maximum.accumulate(np.where(t, 0, np.arange(t.shape[0])))[chosen]
    assert _plateau_starts(t, chosen).tolist() == want.tolist()
