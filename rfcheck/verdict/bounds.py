"""Bounds: what a reading with one detector proves about the quantity a limit line asks for.

The detector table (:func:`relation`), then the demotions of :func:`demote`: a bandwidth
outside the CISPR one, an unsettled detector or an under-reading trace mode weaken a
reading's bound. The rules and the table are stated in ``docs/verdict.md``.

References
----------
CISPR 16-1-1 (detector definitions, Table 1 bandwidths); 47 CFR 15.35(a)-(b).
"""

from __future__ import annotations

from enum import IntEnum
from typing import NamedTuple

import numpy as np
from numpy.typing import NDArray

from ..capture import UNDER_READING_MODES, Detector, TraceMode, trace_label
from ..cispr import BAND_EDGES_HZ, EDGE_REL_TOL, rbw_at
from ..frequency import format_hz
from ..outcome import Bound
from .reads_low import reads_low_reasons
from .settling_needs import unsettled_reason
from .traces import CorrectedTrace

__all__ = [
    "BOUND_DTYPE",
    "NARROW_RBW_FACTOR",
    "BoundCode",
    "CODE_LOWER",
    "CODE_MEASURED",
    "CODE_NONE",
    "CODE_UPPER",
    "RBW_ROUTES",
    "UNDER_READING_MODES",
    "WIDE_RBW_FACTOR",
    "bound_array",
    "line_bandwidth_hz",
    "line_rbw_bounds_hz",
    "point_bound",
    "point_bounds",
    "reading_bounds",
    "demote",
    "relation",
    "under_reading_mode",
    "unstated_rbw_note",
]

#: A trace narrower than this × the CISPR bandwidth may under-read: no upper bound.
#: rfcheck's own allowance, not a value of the standard (UNCONFIRMED, docs/references.md §4a).
NARROW_RBW_FACTOR = 0.8
#: A trace wider than this × the CISPR bandwidth may over-read: no lower bound.
#: rfcheck's own allowance, not a value of the standard (UNCONFIRMED, docs/references.md §4a).
WIDE_RBW_FACTOR = 1.25

#: What a reading that may read low proves (:func:`demote`: settling and trace-mode rules):
#: a reading of the line's own detector only a lower bound; one that bounded the line from
#: above (peak for a quasi-peak line) nothing, so its line ``needs`` "(no reading bounds it
#: there)".
_READS_LOW_NOTE = (
    "readings may be low: no upper bound from them (a reading with the line's own detector "
    "counts as a lower bound only; one that would bound the line from above, such as a peak "
    "reading of a quasi-peak or average line, bounds nothing)"
)

_M, _U, _L, _N = Bound.MEASURED, Bound.UPPER, Bound.LOWER, Bound.NONE
_AV_LINES = (Detector.CISPR_AVERAGE, Detector.AVERAGE)
#: Rows: the trace's detector; columns: the line's detector family (docs/verdict.md).
_TABLE: dict[Detector, dict[str, Bound]] = {
    Detector.PEAK: {"pk": _M, "qp": _U, "av": _U, "rms": _U},
    Detector.QUASI_PEAK: {"pk": _L, "qp": _M, "av": _U},
    Detector.CISPR_AVERAGE: {"pk": _L, "qp": _L, "av": _M},
    Detector.AVERAGE: {"pk": _L, "qp": _L, "av": _M},
    Detector.RMS_AVERAGE: {"pk": _L, "av": _U, "rms": _M},
    Detector.RMS: {"pk": _L, "av": _U, "rms": _M},
    Detector.LOG_AVERAGE: {"pk": _L, "qp": _L, "av": _L, "rms": _L},
    Detector.SAMPLE: {"pk": _L},
    Detector.NORMAL: {"pk": _L},
    Detector.NEGATIVE_PEAK: {"pk": _L},
}


class BoundCode(IntEnum):
    """A :class:`~rfcheck.outcome.Bound` as one byte: what the per-point bound arrays hold.

    A trace's points carry their bounds as an array of these (:data:`BOUND_DTYPE`, one byte
    a point, where the bound's text took 44): compare its elements with the plain ints
    :data:`CODE_MEASURED` etc., not with the members.
    The codes sort as the bounds' values do (``lower bound`` < ``measured`` < ``no bound``
    < ``upper bound``), so a sort or a count over codes orders as one over the words.
    """

    LOWER = 0
    MEASURED = 1
    NONE = 2
    UPPER = 3

    @property
    def bound(self) -> Bound:
        """The :class:`~rfcheck.outcome.Bound` this code stands for."""
        return Bound[self.name]

    @classmethod
    def of(cls, bound: Bound) -> BoundCode:
        """Return the code of ``bound``."""
        return cls[bound.name]


#: The dtype of the per-point bound arrays (:class:`BoundCode` values).
BOUND_DTYPE = np.int8

#: The codes as plain ints, to compare a bound array with (``bounds == CODE_MEASURED``). numpy
#: looks an enum member's special methods up through the enum's metaclass, Python code run
#: on every comparison, and clears any exception raised there: a Ctrl-C landing in it was
#: lost, and a batch ran on. A plain int runs no Python code.
CODE_LOWER = int(BoundCode.LOWER)
CODE_MEASURED = int(BoundCode.MEASURED)
CODE_NONE = int(BoundCode.NONE)
CODE_UPPER = int(BoundCode.UPPER)
_CM, _CU, _CL, _CN = CODE_MEASURED, CODE_UPPER, CODE_LOWER, CODE_NONE


def bound_array(n: int, bound: Bound) -> NDArray[np.int8]:
    """Return a per-point bound array of ``n`` points, all ``bound`` (:class:`BoundCode`).

    Compare its elements with the plain codes: ``== CODE_MEASURED``.
    """
    return np.full(n, int(BoundCode.of(bound)), dtype=BOUND_DTYPE)


def _column(line_detector: Detector) -> str | None:
    if line_detector is Detector.PEAK:
        return "pk"
    if line_detector is Detector.QUASI_PEAK:
        return "qp"
    if line_detector in _AV_LINES:
        return "av"
    if line_detector in (Detector.RMS_AVERAGE, Detector.RMS):
        return "rms"
    return None


def relation(trace_detector: Detector, line_detector: Detector) -> Bound | None:
    """How a reading with ``trace_detector`` bounds the quantity of a ``line_detector`` line.

    Returns ``Bound.MEASURED``, ``Bound.UPPER``, ``Bound.LOWER`` or None (no bound); the
    table is in ``docs/verdict.md`` ("Detector ordering").
    """
    col = _column(line_detector)
    if col is None:
        return None
    return _TABLE.get(trace_detector, {}).get(col)


def line_rbw_bounds_hz(
    freq_hz: NDArray[np.float64], lo_hz: float, hi_hz: float
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Return the (smallest, largest) CISPR bandwidth a line over ``[lo_hz, hi_hz]`` accepts [Hz].

    Both are :func:`rfcheck.cispr.rbw_at` except within :data:`rfcheck.cispr.EDGE_REL_TOL`
    of a band edge. A reading counts for the band whose bandwidth it was taken with: at an
    edge the line ends on, only the bandwidth of the band the line lies in is legitimate (a
    conducted line ending at 30 MHz asks for 9 kHz there, a radiated line starting at 30 MHz
    for 120 kHz: a 9 kHz reading at 30 MHz is a lower bound at most for it); at an edge
    inside the line, both neighbouring bands' bandwidths are.

    Parameters
    ----------
    freq_hz : ndarray of float
        Frequencies inside the line's range. [Hz]
    lo_hz, hi_hz : float
        The line's range. [Hz]

    Returns
    -------
    small, large : ndarray of float
        Equal except at an edge inside the line. [Hz]

    References
    ----------
    CISPR 16-1-1, Table 1; 47 CFR 15.35(a) (QP limits in the CISPR QP bandwidth).
    """
    f = np.asarray(freq_hz, dtype=float)
    small, large = rbw_at(f), rbw_at(f)
    for e in BAND_EDGES_HZ:
        at = np.abs(f - e) <= EDGE_REL_TOL * e
        if not at.any():
            continue
        below, above = float(rbw_at(e * (1 - 1e-3))), float(rbw_at(e * (1 + 1e-3)))
        sides = [
            bw
            for bw, inside in (
                (below, lo_hz < e * (1 - EDGE_REL_TOL)),
                (above, hi_hz > e * (1 + EDGE_REL_TOL)),
            )
            if inside
        ]
        sides = sides or [below, above]
        small[at], large[at] = min(sides), max(sides)
    return small, large


def under_reading_mode(t: CorrectedTrace) -> str | None:
    """Why ``t``'s trace mode may under-read (its readings lower bounds only), or None."""
    if t.mode in UNDER_READING_MODES:
        return f"trace mode {t.mode.value} can under-read intermittent emissions (not a max-hold)"
    return None


#: How the user states an RBW the file omits, and where the capture would state it.
RBW_ROUTES = (
    "state it with --rbw (the setup's [check] rbw_hz) or in the capture (the instrument's RBW "
    "header line; '# rbw_hz:' in a generic CSV)"
)


def unstated_rbw_note(
    where: str, *, may_be_wide: bool = True, floor_above_hz: float | None = None
) -> str:
    """Return the note for a trace whose file states no RBW, judged against ``where``.

    It says what :func:`_apply_rules` did on this line and how to state the RBW
    (:data:`RBW_ROUTES`). ``may_be_wide``: some of the line's readings lie where an RBW may be
    too wide (no bound there); ``floor_above_hz``: the minimum-RBW floor (47 CFR 15.35(b)) when
    some readings lie above it (a lower bound only there). [Hz]
    """
    floor = (
        "the rule sets only a minimum RBW (47 CFR 15.35(b): a wider one is its measurement), "
        "so a measured reading counts as a lower bound only"
    )
    if not may_be_wide:
        head = f"RBW not stated in the file, so it may be narrower than {where} asks"
        return f"{head}: {floor}; {RBW_ROUTES}"
    none = (
        "its readings bound nothing there"
        if floor_above_hz is None
        else f"its readings up to {format_hz(floor_above_hz)} bound nothing"
    )
    text = (
        f"RBW not stated in the file, so it may be narrower or wider than the CISPR bandwidth "
        f"of {where}: {none} (a narrower RBW may under-read, a wider one over-read broadband "
        "emissions)"
    )
    if floor_above_hz is not None:
        text += f"; above {format_hz(floor_above_hz)} {floor}"
    return f"{text}; {RBW_ROUTES}"


def _weaken(bounds: NDArray[np.int8], sel: NDArray[np.bool_], *, reads_low: bool) -> None:
    """Weaken the bounds at ``sel`` in place.

    ``reads_low``: the reading may be low, so a measurement becomes a lower bound and an
    upper bound none; else it may be high: a measurement becomes an upper bound and a lower
    bound none.
    """
    keep, lose = (_CL, _CU) if reads_low else (_CU, _CL)
    bounds[sel & (bounds == lose)] = _CN
    bounds[sel & (bounds == _CM)] = keep


def _rbw_masks(
    rbw_hz: float,
    f: NDArray[np.float64],
    line_hz: tuple[float, float],
    rbw_floor_above_hz: float | None = None,
) -> tuple[NDArray[np.bool_], NDArray[np.bool_]]:
    """Return where an RBW of ``rbw_hz`` is narrow (may under-read) and wide (may over-read).

    Above ``rbw_floor_above_hz`` the rule sets only a minimum RBW (47 CFR 15.35(b)): a wider
    one is the rule's measurement there, never "wide". [Hz]
    """
    small, large = line_rbw_bounds_hz(f, *line_hz)  # differ only at a band edge in the line
    wide = rbw_hz > WIDE_RBW_FACTOR * large
    wide &= _may_be_wide(f, rbw_floor_above_hz)
    return rbw_hz < NARROW_RBW_FACTOR * small, wide


class RulesApplied(NamedTuple):
    """Which bandwidth rules changed a bound (:func:`_apply_rules`), for the warnings."""

    narrow: bool  #: an RBW narrower than the CISPR bandwidth dropped an upper bound
    wide: bool  #: an RBW wider than the CISPR bandwidth dropped a lower bound
    unstated: bool  #: an RBW not stated (it may be narrower or wider) changed a bound
    #: the dropped lower bounds include measurements (left upper bounds); else only lower
    #: bounds (e.g. an average reading of a quasi-peak line), which then bound nothing
    wide_measured: bool = False


def _reads_above(bounds: NDArray[np.int8], sel: NDArray[np.bool_]) -> bool:
    """Return True when some bound at ``sel`` bounds the level from above (measured or upper)."""
    return bool((sel & ((bounds == _CM) | (bounds == _CU))).any())


def _may_be_wide(f: NDArray[np.float64], rbw_floor_above_hz: float | None) -> NDArray[np.bool_]:
    """Return where an RBW may be too wide: every frequency not above ``rbw_floor_above_hz``.

    Above it the rule sets only a minimum RBW (47 CFR 15.35(b)); the same frequencies as
    :func:`_rbw_masks`' ``wide`` test, and where an RBW not stated may be too wide. [Hz]
    """
    if rbw_floor_above_hz is None:
        return np.ones(f.shape, dtype=bool)
    return np.asarray(f <= rbw_floor_above_hz, dtype=bool)


def _apply_rules(
    bounds: NDArray[np.int8],
    f: NDArray[np.float64],
    line_hz: tuple[float, float],
    *,
    rbw_hz: float | None,
    settled: bool | None,
    mode: TraceMode,
    rbw_floor_above_hz: float | None = None,
) -> RulesApplied:
    """Apply the bandwidth, settling and trace-mode rules to ``bounds`` in place.

    The one statement of the demotions (``docs/verdict.md``): an RBW narrower than
    :data:`NARROW_RBW_FACTOR` × the CISPR bandwidth may under-read, one wider than
    :data:`WIDE_RBW_FACTOR` × may over-read; an RBW not stated (``rbw_hz`` None) may be
    either, so its readings bound nothing, except above ``rbw_floor_above_hz``, where it
    may only be narrower (a measurement a lower bound only); an unsettled detector
    (``settled`` False) or an under-reading trace mode (:data:`UNDER_READING_MODES`) makes
    every reading a lower bound at most. Above ``rbw_floor_above_hz`` (the limit's
    :attr:`~rfcheck.limits.LimitTable.rbw_floor_above_hz`) no RBW is too wide. Returns which
    bandwidth rules changed a bound.
    """
    if rbw_hz is None:  # it may be narrower anywhere, and wider wherever a wide one counts
        narrow, wide = np.ones(f.shape, dtype=bool), _may_be_wide(f, rbw_floor_above_hz)
    else:
        narrow, wide = _rbw_masks(rbw_hz, f, line_hz, rbw_floor_above_hz)
    narrow_used = _reads_above(bounds, narrow)
    _weaken(bounds, narrow, reads_low=True)
    wide_measured = bool((wide & (bounds == _CM)).any())
    wide_used = wide_measured or bool((wide & (bounds == _CL)).any())
    _weaken(bounds, wide, reads_low=False)
    if settled is False or mode in UNDER_READING_MODES:
        _weaken(bounds, np.ones(bounds.shape, dtype=bool), reads_low=True)
    if rbw_hz is None:
        return RulesApplied(False, False, narrow_used or wide_used)
    return RulesApplied(narrow_used, wide_used, False, wide_measured)


def reading_bounds(
    detector: Detector | str,
    line_detector: Detector,
    freq_hz: NDArray[np.float64],
    line_hz: tuple[float, float],
    *,
    rbw_hz: float | None = None,
    settled: bool | None = None,
    mode: TraceMode | str = TraceMode.UNKNOWN,
    rbw_floor_above_hz: float | None = None,
) -> NDArray[np.int8] | None:
    """Return what readings at ``freq_hz`` prove about a line's quantity, after every demotion.

    The detector table (:func:`relation`), then the bandwidth, settling and trace-mode rules
    of :func:`demote`, without its warnings: the one rule for every consumer that reads a
    trace against a line outside the verdict (the dossier's final table and cells, the lot
    emission list). ``BoundCode.NONE`` marks a dropped bound.

    Parameters
    ----------
    detector : Detector or str
        The trace's detector (an unknown name gives no bound).
    line_detector : Detector
        The detector the line is defined for.
    freq_hz : ndarray of float
        The readings' frequencies. [Hz]
    line_hz : (float, float)
        The line's range (which band's bandwidth applies at an edge). [Hz]
    rbw_hz : float, optional
        The trace's RBW; None = not stated (it may be narrower or wider: no bound, except
        lower bounds above ``rbw_floor_above_hz``). [Hz]
    settled, mode
        As :class:`rfcheck.capture.Trace`.
    rbw_floor_above_hz : float, optional
        The limit's :attr:`~rfcheck.limits.LimitTable.rbw_floor_above_hz`. [Hz]

    Returns
    -------
    ndarray of int8 or None
        The :class:`BoundCode` of each frequency; None when the detectors are unrelated.
    """
    try:
        det, trace_mode = Detector(detector), TraceMode(mode)
    except ValueError:
        return None
    rel = relation(det, line_detector)
    if rel is None:
        return None
    f = np.asarray(freq_hz, dtype=float)
    bounds = bound_array(f.shape[0], rel)
    _apply_rules(
        bounds,
        f,
        line_hz,
        rbw_hz=rbw_hz,
        settled=settled,
        mode=trace_mode,
        rbw_floor_above_hz=rbw_floor_above_hz,
    )
    return bounds


def point_bound(
    detector: Detector | str,
    line_detector: Detector,
    freq_hz: float,
    line_hz: tuple[float, float],
    *,
    rbw_hz: float | None = None,
    settled: bool | None = None,
    mode: TraceMode | str = TraceMode.UNKNOWN,
    rbw_floor_above_hz: float | None = None,
) -> Bound | None:
    """Return what one reading at ``freq_hz`` [Hz] proves about a line's quantity.

    :func:`reading_bounds` for one point; None for no bound (unrelated detectors or a
    dropped bound).
    """
    return point_bounds(
        detector,
        line_detector,
        np.array([freq_hz]),
        line_hz,
        rbw_hz=rbw_hz,
        settled=settled,
        mode=mode,
        rbw_floor_above_hz=rbw_floor_above_hz,
    )[0]


def point_bounds(
    detector: Detector | str,
    line_detector: Detector,
    freq_hz: NDArray[np.float64],
    line_hz: tuple[float, float],
    *,
    rbw_hz: float | None = None,
    settled: bool | None = None,
    mode: TraceMode | str = TraceMode.UNKNOWN,
    rbw_floor_above_hz: float | None = None,
) -> list[Bound | None]:
    """:func:`point_bound` at each of ``freq_hz`` [Hz], in one pass (the rules are per point)."""
    b = reading_bounds(
        detector,
        line_detector,
        freq_hz,
        line_hz,
        rbw_hz=rbw_hz,
        settled=settled,
        mode=mode,
        rbw_floor_above_hz=rbw_floor_above_hz,
    )
    if b is None:
        return [None] * len(freq_hz)
    return [None if c == _CN else BoundCode(int(c)).bound for c in b]


def demote(
    t: CorrectedTrace,
    f: NDArray[np.float64],
    bounds: NDArray[np.int8],
    where: str,
    line_hz: tuple[float, float],
    rbw_floor_above_hz: float | None = None,
) -> list[str]:
    """Apply the bandwidth, settling and trace-mode rules to ``bounds`` in place, with warnings.

    The rules are :func:`_apply_rules` (the same as :func:`reading_bounds`); each one that
    applies gives a warning. A trace whose file states a setting that lets it read low
    (:func:`~rfcheck.verdict.reads_low.reads_low_reasons`: a gated sweep, a video-filtered
    peak trace) is weakened as an unsettled one, its note naming the setting; a consumer of
    :func:`reading_bounds` gets the same through ``settled=False`` (the plotted traces').

    Parameters
    ----------
    t : CorrectedTrace
    f : ndarray of float
        The trace's points inside the line's range. [Hz]
    bounds : ndarray of int8
        Their bounds (:func:`bound_array`), weakened in place; ``BoundCode.NONE`` = a dropped
        bound (still coverage).
    where : str
        The line, for the warnings (``"fcc-15.107-b QP"``).
    line_hz : (float, float)
        The line's range (which band's bandwidth applies at an edge). [Hz]
    rbw_floor_above_hz : float, optional
        The limit's :attr:`~rfcheck.limits.LimitTable.rbw_floor_above_hz`. [Hz]

    Returns
    -------
    list of str
        One warning per rule applied.
    """
    name = trace_label(t.name or "1")
    reads_low = reads_low_reasons(t)
    applied = _apply_rules(
        bounds,
        f,
        line_hz,
        rbw_hz=t.rbw_hz,
        settled=False if reads_low else t.settled,
        mode=t.mode,
        rbw_floor_above_hz=rbw_floor_above_hz,
    )
    warnings = []
    if applied.unstated:
        wide = _may_be_wide(f, rbw_floor_above_hz)
        floor = rbw_floor_above_hz if not bool(wide.all()) else None
        note = unstated_rbw_note(where, may_be_wide=bool(wide.any()), floor_above_hz=floor)
        warnings.append(f"{name}: {note}")
    if applied.narrow:
        warnings.append(
            f"{name}: RBW {format_hz(t.rbw_hz)} is narrower than the CISPR "
            f"bandwidth over part of {where}; not used as an upper bound there"
        )
    if applied.wide:
        what = (
            "only an upper bound there"
            if applied.wide_measured
            else "its readings, at most lower bounds of this line, bound nothing there"
        )
        warnings.append(
            f"{name}: RBW {format_hz(t.rbw_hz)} is wider than {WIDE_RBW_FACTOR:g} × the "
            f"CISPR bandwidth over part of {where}; {what} (may over-read broadband emissions)"
        )
    # a receiver trace's short record (settle_s known) was noted where the trace was made,
    # with what it means (verdict.traces.traces_to_judge): not a second time per line
    unsettled = unsettled_reason(t) if t.settle_s is None else None
    for reason in (unsettled, under_reading_mode(t), *reads_low):
        if reason is not None:
            warnings.append(f"{name}: {reason}; {_READS_LOW_NOTE}")
    return warnings


def line_bandwidth_hz(freq_hz: NDArray[np.float64], lo: float, hi: float) -> NDArray[np.float64]:
    """Return the CISPR bandwidth a line over ``[lo, hi]`` asks for at each frequency [Hz].

    :func:`rfcheck.cispr.rbw_at`, except at a band edge the line ends on, where the line's own
    band applies, and at an edge inside the line, where the smaller of the two does
    (:func:`line_rbw_bounds_hz`).
    """
    return line_rbw_bounds_hz(freq_hz, lo, hi)[0]
