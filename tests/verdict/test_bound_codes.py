"""Per-point bounds are one-byte codes (:class:`BoundCode`), not the bounds' words.

A trace's points carry one bound each through the verdict (and the reports' margin curves);
as text (``<U11``) that was 44 bytes a point, copied again into the line's pool: most of the
memory of a check of a 10-million-point trace (``benchmarks/memory.py``).
"""

from __future__ import annotations

import numpy as np

from rfcheck.capture import Detector
from rfcheck.limits import load_shipped
from rfcheck.outcome import Bound
from rfcheck.units import LevelUnit
from rfcheck.verdict import CorrectedTrace
from rfcheck.verdict.bounds import BOUND_DTYPE, BoundCode, bound_array, reading_bounds
from rfcheck.verdict.points import bounded_points, supersede


def test_every_bound_has_a_code_and_back() -> None:
    assert [c.bound for c in BoundCode] == sorted(Bound, key=lambda b: b.value)
    for b in Bound:
        assert BoundCode.of(b).bound is b


def test_codes_sort_as_the_bounds_words() -> None:
    """A sort or a count over codes (a legend's "mostly ...") orders as one over the words."""
    words = sorted(b.value for b in Bound)
    assert [BoundCode.of(Bound(w)) for w in words] == sorted(BoundCode)


def test_bound_arrays_take_one_byte_a_point() -> None:
    b = bound_array(5, Bound.UPPER)
    assert b.dtype == np.int8 and b.dtype == BOUND_DTYPE and b.itemsize == 1
    assert (b == BoundCode.UPPER).all()
    f = np.array([1e6, 10e6, 20e6])
    got = reading_bounds(Detector.PEAK, Detector.QUASI_PEAK, f, (150e3, 30e6), rbw_hz=9e3)
    assert got is not None and got.dtype == np.int8
    assert got.tolist() == [BoundCode.UPPER] * 3


def test_a_lines_points_carry_one_byte_bounds() -> None:
    table = load_shipped("fcc-15.107-b")
    f = np.geomspace(150e3, 30e6, 50)
    level = np.full(f.shape, 40.0)
    t = CorrectedTrace(
        "pk", Detector.PEAK, f, level, "dBuV", np.zeros_like(f), level, LevelUnit.DBUV, 9e3
    )
    spec = table.line("QP")
    rows = bounded_points(table, "QP", spec, [t], {id(t): np.ones(f.shape, bool)}, None, [])
    rows = supersede(rows)
    assert [r.bound.dtype for r in rows] == [np.dtype(np.int8)]
    assert (rows[0].bound == BoundCode.UPPER).all()
