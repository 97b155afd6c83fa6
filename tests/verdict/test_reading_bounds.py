"""One bound rule for every reader: :func:`reading_bounds` agrees with the verdict's ``demote``.

The dossier's final table and cells and the lot emission list read traces against lines
outside the verdict; they go through :func:`rfcheck.verdict.bounds.reading_bounds`, which
must give, point by point, the bound the verdict itself used (docs/verdict.md).
"""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from rfcheck.capture import Detector, TraceMode
from rfcheck.limits import load_shipped
from rfcheck.outcome import Bound
from rfcheck.product.final_table import _line_values, _Source
from rfcheck.units import LevelUnit
from rfcheck.verdict import CorrectedTrace
from rfcheck.verdict.bounds import (
    BoundCode,
    bound_array,
    demote,
    point_bound,
    point_bounds,
    reading_bounds,
    relation,
)

LINES = (Detector.PEAK, Detector.QUASI_PEAK, Detector.CISPR_AVERAGE, Detector.RMS_AVERAGE)
#: frequencies on and around the CISPR band edges and inside the bands [Hz]
FREQS = [149.9e3, 150e3, 150.1e3, 1e6, 29.99e6, 30e6, 30.01e6, 300e6, 1e9, 1.001e9, 3e9]


def _trace(
    det: Detector, rbw: float | None, settled: bool | None, mode: TraceMode
) -> CorrectedTrace:
    f = np.array(FREQS)
    z = np.zeros_like(f)
    return CorrectedTrace(
        "t", det, f, z, "dBuV", z, z, LevelUnit.DBUV, rbw_hz=rbw, settled=settled, mode=mode
    )


@settings(max_examples=150, deadline=None)
@given(
    det=st.sampled_from(list(Detector)),
    line=st.sampled_from(LINES),
    rbw=st.sampled_from([None, 200.0, 1e3, 9e3, 10e3, 100e3, 120e3, 1e6, 3e6]),
    settled=st.sampled_from([None, True, False]),
    mode=st.sampled_from(list(TraceMode)),
    line_hz=st.sampled_from([(150e3, 30e6), (30e6, 1e9), (150e3, 1e9), (1e9, 6e9), (9e3, 30e6)]),
    floor=st.sampled_from([None, 1e9]),
)
def test_reading_bounds_is_the_verdicts_demotion(
    det: Detector,
    line: Detector,
    rbw: float | None,
    settled: bool | None,
    mode: TraceMode,
    line_hz: tuple[float, float],
    floor: float | None,
) -> None:
    t = _trace(det, rbw, settled, mode)
    rel = relation(det, line)
    got = reading_bounds(
        det.value,
        line,
        t.freq_hz,
        line_hz,
        rbw_hz=rbw,
        settled=settled,
        mode=mode,
        rbw_floor_above_hz=floor,
    )
    if rel is None:
        assert got is None
        return
    want = bound_array(t.freq_hz.shape[0], rel)
    demote(t, t.freq_hz, want, "line", line_hz, floor)
    assert got is not None and got.tolist() == want.tolist()
    for i, f in enumerate(FREQS):
        b = point_bound(
            det,
            line,
            f,
            line_hz,
            rbw_hz=rbw,
            settled=settled,
            mode=mode.value,
            rbw_floor_above_hz=floor,
        )
        assert (b if b else Bound.NONE) is BoundCode(int(want[i])).bound
    # the lot reads many peaks of one trace at once: the verdict's bound at each frequency
    many = point_bounds(
        det,
        line,
        np.array(FREQS),
        line_hz,
        rbw_hz=rbw,
        settled=settled,
        mode=mode.value,
        rbw_floor_above_hz=floor,
    )
    assert [b if b else Bound.NONE for b in many] == [BoundCode(int(w)).bound for w in want]


def test_an_unstated_rbw_bounds_nothing_unless_above_the_rbw_floor() -> None:
    """An RBW not stated may be narrower or wider than the CISPR bandwidth.

    A measurement bounds nothing, and neither does a lower bound (a wider RBW over-reads),
    except above a 15.35(b) floor, where a wider RBW is the rule's own measurement: there
    the RBW may only be narrower, so a measurement is a lower bound.
    """
    f = np.array([1e6, 300e6, 1e9, 1.5e9])
    pk, av = Detector.PEAK, Detector.CISPR_AVERAGE

    def bounds(det: Detector, line: Detector, floor: float | None) -> list[str]:
        got = reading_bounds(det, line, f, (150e3, 6e9), rbw_floor_above_hz=floor)
        assert got is not None
        return [BoundCode(b).bound.value for b in got.tolist()]

    n, lower = Bound.NONE.value, Bound.LOWER.value
    assert bounds(pk, pk, None) == [n, n, n, n]  # was all lower bounds
    assert bounds(av, pk, None) == [n, n, n, n]  # an average reading: was a lower bound of PK
    assert bounds(pk, pk, 1e9) == [n, n, n, lower]  # 1 GHz itself is not above the floor
    assert bounds(av, pk, 1e9) == [n, n, n, lower]
    assert bounds(pk, av, 1e9) == [n, n, n, n]  # an upper bound: dropped everywhere, as before


def test_the_final_table_and_the_lot_read_an_unstated_rbw_as_the_verdict() -> None:
    """A 75 dBuV/m peak reading at 1.5 GHz, RBW not stated, against the PK lines above 1 GHz.

    CISPR 32 (PK 70 dBuV/m): no value (it was a lower bound over the limit, a FAIL);
    15.109 (PK 73.98 dBuV/m, 15.35(b) floor): a lower bound, as in the verdict.
    """
    from rfcheck.lot.readings import _bounds
    from rfcheck.plotted import PlotTrace

    f, lv = np.array([1.5e9]), np.array([75.0])
    t = CorrectedTrace("PK", Detector.PEAK, f, lv, "dBuV/m", f * 0, lv, LevelUnit.DBUV_M)
    plotted = PlotTrace("PK", "peak", f, lv, "dBµV/m")
    cispr, fcc = load_shipped("cispr32-b-rad-above-1g"), load_shipped("fcc-15.109-b")
    assert _line_values(f, cispr, "PK", [_Source.of(t)], 3.0) == [None]
    (v,) = _line_values(f, fcc, "PK", [_Source.of(t)], 3.0)
    assert v is not None and v.bound is Bound.LOWER
    for table, want in ((cispr, None), (fcc, Bound.LOWER)):
        (got,) = _bounds(
            plotted, Detector.PEAK, f, table.line_range("PK"), None, table.rbw_floor_above_hz
        )
        assert got is want


def test_final_table_takes_no_upper_bound_from_a_too_short_record() -> None:
    # a receiver peak trace of a 35 ms record (settled False) under the QP limit: it proves
    # nothing about QP, so the final table shows no QP value from it (it used to read as an
    # upper bound that passes)
    table = load_shipped("fcc-15.107-b")
    f = np.array([1.39e6])
    lv = np.array([40.0])
    short = CorrectedTrace(
        "receiver peak",
        Detector.PEAK,
        f,
        lv,
        "dBuV",
        f * 0,
        lv,
        LevelUnit.DBUV,
        rbw_hz=9e3,
        settled=False,
        settle_s=1.605,
    )
    assert _line_values(f, table, "QP", [_Source.of(short)], None) == [None]
    long = CorrectedTrace(
        "receiver peak",
        Detector.PEAK,
        f,
        lv,
        "dBuV",
        f * 0,
        lv,
        LevelUnit.DBUV,
        rbw_hz=9e3,
        settled=True,
        settle_s=1.605,
    )
    (v,) = _line_values(f, table, "QP", [_Source.of(long)], None)
    assert v is not None and v.bound is Bound.UPPER
