"""Per-point bounds are one-byte codes (:class:`BoundCode`), not the bounds' words.

A trace's points carry one bound each through the verdict (and the reports' margin curves);
as text (``<U11``) that was 44 bytes a point, copied again into the line's pool: most of the
memory of a check of a 10-million-point trace (``benchmarks/memory.py``).
"""

from __future__ import annotations

import enum
import sys
from collections.abc import Callable
from enum import IntEnum
from pathlib import Path
from types import FrameType

import numpy as np

from rfcheck.analysis import analyse_file
from rfcheck.capture import Detector
from rfcheck.limits import load_shipped
from rfcheck.outcome import Bound, Verdict
from rfcheck.settings import CheckSettings
from rfcheck.units import LevelUnit
from rfcheck.verdict import CorrectedTrace
from rfcheck.verdict.bounds import (
    BOUND_DTYPE,
    CODE_LOWER,
    CODE_MEASURED,
    CODE_NONE,
    CODE_UPPER,
    BoundCode,
    bound_array,
    reading_bounds,
)
from rfcheck.verdict.points import bounded_points, supersede

SAMPLES = Path(__file__).resolve().parents[2] / "sample_captures"


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
    rows = supersede(rows, *table.line_range("QP"))
    assert [r.bound.dtype for r in rows] == [np.dtype(np.int8)]
    assert (rows[0].bound == BoundCode.UPPER).all()


def _enum_lookups(run: Callable[[], object]) -> int:
    """Count the calls into the enum metaclass's attribute look-up while ``run`` runs."""
    calls = 0

    def profile(frame: FrameType, event: str, arg: object) -> None:
        nonlocal calls
        code = frame.f_code
        calls += (
            event == "call" and code.co_name == "__getattr__" and code.co_filename == enum.__file__
        )

    sys.setprofile(profile)
    try:
        run()
    finally:
        sys.setprofile(None)
    return calls


def test_an_interrupt_landing_in_numpys_enum_lookup_is_lost() -> None:
    """Why the codes are compared as plain ints: numpy clears what the look-up raises.

    Comparing an array with an IntEnum member runs the metaclass's Python ``__getattr__``
    (where a signal handler's KeyboardInterrupt can land); numpy swallows it.
    """

    class Meta(type(BoundCode)):  # type: ignore[misc]
        def __getattr__(cls, name: str) -> object:
            raise KeyboardInterrupt

    class Code(IntEnum, metaclass=Meta):
        ONE = 1

    assert (np.zeros(3, BOUND_DTYPE) == Code.ONE).tolist() == [False] * 3  # no KeyboardInterrupt


def test_judging_a_capture_runs_no_enum_lookup_inside_numpy() -> None:
    """The verdict compares its bound arrays with plain ints: no Python code per comparison.

    A Ctrl-C that landed inside such a look-up was cleared by numpy and a batch ran on to its
    end; with plain ints there is no Python code for it to land in.
    """
    for code, name in ((CODE_LOWER, "LOWER"), (CODE_MEASURED, "MEASURED")):
        assert type(code) is int and code == BoundCode[name]
    assert type(CODE_NONE) is int and type(CODE_UPPER) is int
    settings = CheckSettings(limit_ids=("fcc-15.107-b",))
    files = [
        SAMPLES / "conducted" / n for n in ("rig_L1_peak_keysight.csv", "rig_L2_receiver_rs.DAT")
    ]
    analyse_file(files[0], settings)  # imports and caches outside the count

    def judge() -> None:
        for f in files:
            assert analyse_file(f, settings).verdict is not Verdict.ERROR

    assert _enum_lookups(judge) == 0
