"""The limit-table model: lines, segments and :class:`LimitTable`.

Built and validated by :mod:`rfcheck.limits.loader`; the distance rule lives in
:mod:`rfcheck.limits.distance`, the measurement-range rule in
:mod:`rfcheck.limits.measurement_range`.

References
----------
47 CFR 15.31(f)(1)-(2), 15.33(b)(1), 15.35(b); docs/references.md.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..capture import Detector
from ..errors import LimitFileError
from ..frequency import format_mhz, format_mhz_range
from ..units import LevelUnit
from .distance import (
    DISTANCE_RANGE_M,
    F_DISTANCE_SPLIT_HZ,
    distance_offset_db,
    distance_warnings,
    farther_below_split_error,
)
from .measurement_range import boundary_note, upper_measurement_frequency_hz

__all__ = [
    "STATUSES",
    "STATUS_RANK",
    "REGIMES",
    "PEAK_RULES",
    "DEVICE_CLASSES",
    "LineSpec",
    "LineLevel",
    "Segment",
    "LimitTable",
    "EDGE_FLOAT_NOISE",
    "snap_to_edges",
    "within",
]

#: Status tags (docs/references.md): primary, secondary, derived, unconfirmed.
STATUSES = ("P", "S", "D", "UNCONFIRMED")
#: Rank of each status, best first (the worst status of a table's values is its status).
STATUS_RANK = {s: i for i, s in enumerate(STATUSES)}
#: Values of the optional ``regime`` key: the body of rules a table belongs to.
REGIMES = ("fcc-part15", "cispr32", "none")
#: Values of the optional ``peak_rule`` key: "fcc-15.35b" (PK = total peak emission) or "none".
PEAK_RULES = ("fcc-15.35b", "none")
#: Values of the optional ``device_class`` key: the class of device whose limits the table holds.
DEVICE_CLASSES = ("A", "B")
#: 47 CFR 15.35(b): above this, measurements use "a minimum resolution bandwidth of 1 MHz". [Hz]
F_ABOVE_1GHZ_HZ = 1.0e9


@dataclass(frozen=True)
class LineSpec:
    """One limit line of a table (``QP``, ``AV``, ``PK``) and the detector it is defined for."""

    name: str
    detector: Detector


@dataclass(frozen=True)
class LineLevel:
    """A line's level over one segment [dB in the table's internal unit].

    ``start_db == stop_db`` for flat segments; log-f segments ramp linearly in log f.
    """

    start_db: float
    stop_db: float
    status: str


#: Relative distance from a limit's edge within which a frequency is on it: float noise of a
#: computed frequency column (``numpy.arange`` over thousands of steps: ~1e-14), well below
#: any frequency a file states apart from the edge (1 Hz at 230 MHz is 4.3e-9), and below the
#: 1e-9 by which code reads a limit "just inside" an edge.
EDGE_FLOAT_NOISE = 1e-11


def within(f: NDArray[np.float64], lo: float, hi: float) -> NDArray[np.bool_]:
    """Return which frequencies lie in ``[lo, hi]``, an end within float noise counting as on it.

    The outer ends of a limit's range are edges like any other (:meth:`LimitTable.on_edges`):
    a numpy grid's last point, 30.000000000000092 MHz for 30 MHz, is a reading at 30 MHz, to
    be judged, not one outside the range. :data:`EDGE_FLOAT_NOISE` relative. [Hz]
    """
    return (f >= lo * (1.0 - EDGE_FLOAT_NOISE)) & (f <= hi * (1.0 + EDGE_FLOAT_NOISE))


def snap_to_edges(f: NDArray[np.float64], edges: Iterable[float]) -> NDArray[np.float64]:
    """Return ``f`` with each frequency within float noise of one of ``edges`` set on it.

    :data:`EDGE_FLOAT_NOISE` relative, in any order of ``f`` (:meth:`LimitTable.on_edges`
    bisects an increasing axis instead). [Hz]
    """
    for edge in edges:
        near = np.abs(f - edge) <= EDGE_FLOAT_NOISE * edge
        if near.any():
            f = np.where(near, edge, f)
    return f


@dataclass(frozen=True)
class Segment:
    """A frequency range [start_hz, stop_hz] with the levels of the lines defined there."""

    start_hz: float
    stop_hz: float
    interpolation: str  #: "flat" or "log-f"
    levels: Mapping[str, LineLevel]
    status: str
    include_start: bool = True  #: False: the segment starts just above start_hz ("above 1000 MHz")

    def level(self, line: str, freq_hz: NDArray[np.float64]) -> NDArray[np.float64]:
        """Level of ``line`` at ``freq_hz`` (assumed inside the segment) [dB]."""
        lv = self.levels[line]
        if self.interpolation == "flat" or lv.start_db == lv.stop_db:
            return np.full(freq_hz.shape, lv.start_db)
        frac = np.log10(freq_hz / self.start_hz) / math.log10(self.stop_hz / self.start_hz)
        return lv.start_db + (lv.stop_db - lv.start_db) * frac


@dataclass(frozen=True, eq=False)
class LimitTable:
    """A validated limit table (one TOML file).

    ``id``/``title``/``source`` (the clause)/``edition``/``retrieved`` give provenance;
    ``port`` is conducted|radiated; ``distance_m`` [m] the specified distance and
    ``distance_rule`` ``fcc-15.31f`` (re-expressible) or ``none``; ``native_unit`` the unit
    printed in the file, ``unit`` the internal dB unit of every level; ``status`` the worst
    tag (P, S, D, UNCONFIRMED); ``segments`` sorted by start; ``path``/``sha256`` the source;
    ``device_class`` the class of device whose limits it holds (``A``, ``B``; None: not
    stated, as in a user table without the key).
    """

    id: str
    title: str
    source: str
    edition: str
    retrieved: str
    port: str
    distance_m: float | None
    distance_rule: str
    native_unit: str
    unit: LevelUnit
    status: str
    lines: tuple[LineSpec, ...]
    segments: tuple[Segment, ...]
    notes: str = ""
    edge_rule: str = "tighter"
    path: str = ""
    sha256: str = ""
    shipped: bool = False
    upper_frequency_rule: str = "none"  #: "fcc-15.33b1": 47 CFR 15.33(b)(1) bounds the range
    regime: str = "none"  #: "fcc-part15", "cispr32" or "none" (a user table)
    peak_rule: str = "none"  #: "fcc-15.35b": the PK line limits the total peak emission
    device_class: str | None = None  #: "A" or "B": the class of device the limits are for

    @property
    def rbw_floor_above_hz(self) -> float | None:
        """Where the rule sets only a minimum RBW: above it a wider RBW is a measurement [Hz].

        47 CFR 15.35(b): "measurements above 1000 MHz shall be performed using a minimum
        resolution bandwidth of 1 MHz" (``peak_rule = "fcc-15.35b"``; docs/references.md
        §2b), so a reading in 3 MHz there is the rule's measurement, not an upper bound only.
        None: the CISPR bandwidth applies everywhere (CISPR 16-1-1: 1 MHz, not at least).
        """
        return F_ABOVE_1GHZ_HZ if self.peak_rule == "fcc-15.35b" else None

    def required_upper_hz(self, highest_hz: float | None) -> float | None:
        """Return the upper end of the range a measurement must cover (15.33(b)(1)).

        None: the whole table (no rule, or the highest frequency of the device is not known). [Hz]
        """
        if self.upper_frequency_rule != "fcc-15.33b1" or highest_hz is None:
            return None
        return upper_measurement_frequency_hz(highest_hz)

    def measurement_range_note(self, highest_hz: float | None) -> str:
        """Human statement of the required measurement range (empty without the rule)."""
        if self.upper_frequency_rule != "fcc-15.33b1":
            return ""
        upper = self.required_upper_hz(highest_hz)
        if upper is None:
            return (
                f"{self.id}: highest frequency of the device not stated, "
                "so the lines are required to "
                f"{format_mhz(self.range_hz[1])}; state it (--highest-frequency HZ or the setup's "
                "[dut] highest_internal_frequency_hz) to bound the measurement range by "
                "47 CFR 15.33(b)(1)"
            )
        boundary = boundary_note(highest_hz)
        return (
            f"{self.id}: measurement range to {format_mhz(upper)} per 47 CFR 15.33(b)(1) "
            f"(highest frequency {format_mhz(highest_hz)}{'; ' + boundary if boundary else ''})"
        )

    @property
    def line_names(self) -> tuple[str, ...]:
        """Names of the table's lines, in table order."""
        return tuple(ln.name for ln in self.lines)

    def line(self, name: str) -> LineSpec:
        """Return the line called ``name``.

        Raises
        ------
        KeyError
            When the table has no such line.
        """
        for ln in self.lines:
            if ln.name == name:
                return ln
        raise KeyError(name)

    def line_range(self, name: str) -> tuple[float, float]:
        """Return the closed frequency range ``name`` is defined over [Hz]."""
        segs = [s for s in self.segments if name in s.levels]
        return (segs[0].start_hz, segs[-1].stop_hz)

    @property
    def range_hz(self) -> tuple[float, float]:
        """Frequency range the table covers [Hz]."""
        return (self.segments[0].start_hz, self.segments[-1].stop_hz)

    def check_distance(self, meas_distance_m: float | None) -> None:
        """Raise :class:`LimitFileError` when the table cannot be used at that distance."""
        if meas_distance_m is None or self.port != "radiated" or self.distance_m is None:
            return
        lo, hi = DISTANCE_RANGE_M
        if not (math.isfinite(meas_distance_m) and lo <= meas_distance_m <= hi):
            raise LimitFileError(
                f"measurement distance must be {lo:g} .. {hi:g} m, got {meas_distance_m:g} m"
            )
        if self.distance_rule == "none" and not math.isclose(meas_distance_m, self.distance_m):
            raise LimitFileError(
                f"limit {self.id} is defined at {self.distance_m:g} m and is not re-expressed "
                f"at other distances (distance_rule = none); measured at {meas_distance_m:g} m: "
                "use the table for your distance"
            )
        farther = farther_below_split_error(
            self.id, self.distance_m, meas_distance_m, self.range_hz[0]
        )
        if farther and not math.isclose(meas_distance_m, self.distance_m):
            raise LimitFileError(farther)

    def distance_note(self, meas_distance_m: float | None) -> str:
        """Human description of the distance conversion applied (for the report)."""
        if self.port != "radiated" or self.distance_m is None:
            if meas_distance_m is not None:
                return f"conducted limit: --distance {meas_distance_m:g} m does not apply"
            return ""
        if meas_distance_m is None or math.isclose(meas_distance_m, self.distance_m):
            return f"limit as specified at {self.distance_m:g} m (no distance conversion)"
        ratio = math.log10(self.distance_m / meas_distance_m)
        lo, _hi = self.range_hz
        text = (
            f"limit re-expressed from {self.distance_m:g} m to the measurement distance "
            f"{meas_distance_m:g} m by 47 CFR 15.31(f)(1), 20 dB/decade: "
            f"{20 * ratio:+.2f} dB at and above 30 MHz"
        )
        if lo < F_DISTANCE_SPLIT_HZ:
            text += f"; 15.31(f)(2), 40 dB/decade below 30 MHz (closer only): {40 * ratio:+.2f} dB"
        return text

    def rule_notes(
        self, judged_hz: NDArray[np.float64], meas_distance_m: float | None
    ) -> list[str]:
        """Return the notes the table's rules attach to a judgement of ``judged_hz``.

        - radiated: 15.31(f) near field at the lowest frequency judged, distance > 30 m
          (:func:`~rfcheck.limits.distance.distance_warnings`);
        - ``peak_rule = "fcc-15.35b"`` and a PK line judged: the 1 MHz peak reading is the
          measurement 15.35(b) asks for (judged as measured); a pulse desensitization
          correction concerns pulsed emissions, the lab states whether one applies, and
          rfcheck applies none (``docs/references.md`` §2b).

        A CISPR 32 table's "not an FCC basis" note compares it with another table:
        :func:`rfcheck.limits.fcc_basis.fcc_basis_note`.

        Parameters
        ----------
        judged_hz : ndarray
            Frequencies judged against this table (any order; empty = nothing judged). [Hz]
        meas_distance_m : float or None
            Measurement distance; None = the specified distance. [m]
        """
        f = np.asarray(judged_hz, dtype=float)
        f = f[self._defined(f, None)]
        if f.size == 0:
            return []
        notes: list[str] = []
        if self.port == "radiated" and self.distance_m is not None:
            d = self.distance_m if meas_distance_m is None else meas_distance_m
            notes += distance_warnings(self.id, d, float(f.min()))
        if self.peak_rule == "fcc-15.35b" and self._judges_peak(f):
            notes.append(
                f"{self.id}: 47 CFR 15.35(b): the PK limit applies to the total peak emission, "
                "measured with a peak detector in a resolution bandwidth of at least 1 MHz; "
                "the peak reading is that measurement. A pulse desensitization correction factor "
                "concerns pulsed emissions whose pulses are shorter than the bandwidth's "
                "response: the lab states whether one applies (rfcheck applies none)"
            )
        return notes

    def _judges_peak(self, f: NDArray[np.float64]) -> bool:
        """Return True when some frequency of ``f`` lies where a peak-detector line is defined."""
        return any(
            self._defined(f, ln.name).any() for ln in self.lines if ln.detector is Detector.PEAK
        )

    def defines_any(self, freq_hz: ArrayLike) -> bool:
        """Return True when some line of the table is defined at some frequency of ``freq_hz``.

        Honours ``include_start`` (1000 MHz is not in a table "above 1 GHz"). [Hz]
        """
        return bool(self._defined(np.asarray(freq_hz, dtype=float), None).any())

    def defined_at(self, freq_hz: ArrayLike) -> NDArray[np.bool_]:
        """Return where some line of the table is defined at each of ``freq_hz``.

        Honours ``include_start`` (1000 MHz is not in a table "above 1 GHz") and float noise
        at every edge (:meth:`on_edges`). [Hz]
        """
        return self._defined(np.atleast_1d(np.asarray(freq_hz, dtype=float)), None)

    def on_edges(self, freq_hz: ArrayLike) -> NDArray[np.float64]:
        """Return ``freq_hz`` with each frequency within float noise of a segment edge set on it.

        A frequency column computed in floating point holds 5.000000000000001 MHz for 5 MHz
        (``numpy.linspace(0.15, 30, 5971)``) or 88.00000000000082 MHz (``numpy.arange``):
        compared exactly, such a point escaped the lower limit the clauses give at a
        transition frequency (47 CFR 15.107(a)/(b), 15.109(c), CISPR 32's note on its tables;
        ``docs/references.md`` §1-§3; the edge rule ``tighter``) and was judged against the
        looser side while printed as the edge. Within :data:`EDGE_FLOAT_NOISE` (relative) of
        an edge it is the edge. [Hz]
        """
        f = np.atleast_1d(np.asarray(freq_hz, dtype=float))
        if f.ndim == 1 and f.size > 16 and bool(np.all(f[1:] >= f[:-1])):
            # a trace's increasing axis: each edge's neighbourhood found by bisection, not by
            # passes over every point (level_at runs on every line of every trace)
            out = f
            for edge in self._edges:
                tol = EDGE_FLOAT_NOISE * edge
                a = int(np.searchsorted(f, edge - tol, side="left"))
                b = int(np.searchsorted(f, edge + tol, side="right"))
                if b > a:
                    out = f.copy() if out is f else out
                    out[a:b] = edge
            return out
        return snap_to_edges(f, self._edges)

    @functools.cached_property
    def _edges(self) -> tuple[float, ...]:
        """Return every segment's start and stop frequency, once per table [Hz]."""
        return tuple(sorted({e for seg in self.segments for e in (seg.start_hz, seg.stop_hz)}))

    def _defined(self, f: NDArray[np.float64], line: str | None) -> NDArray[np.bool_]:
        """Where ``line`` (None: any line) is defined at ``f``, honouring ``include_start``."""
        f = self.on_edges(f)
        mask = np.zeros(f.shape, dtype=bool)
        for seg in self.segments:
            if line is not None and line not in seg.levels:
                continue
            above = f >= seg.start_hz if seg.include_start else f > seg.start_hz
            mask |= above & (f <= seg.stop_hz)
        return mask

    def level_at(
        self, name: str, freq_hz: ArrayLike, meas_distance_m: float | None = None
    ) -> NDArray[np.float64]:
        """Limit of line ``name`` at ``freq_hz``, at the measurement distance.

        Frequencies outside the line's range give NaN. At a frequency shared by two
        segments the lower level applies (edge rule ``tighter``), also within float noise
        of it (:meth:`on_edges`).

        Parameters
        ----------
        name : str
            Line name (``QP``).
        freq_hz : array_like
            Frequencies. [Hz]
        meas_distance_m : float, optional
            Measurement distance; radiated limits are re-expressed at it (15.31(f)). [m]

        Returns
        -------
        ndarray
            Limit. [``self.unit``]
        """
        f = self.on_edges(freq_hz)
        out = np.full(f.shape, np.inf)
        for seg in self.segments:
            if name not in seg.levels:
                continue
            above = f >= seg.start_hz if seg.include_start else f > seg.start_hz
            inside = above & (f <= seg.stop_hz)
            if inside.any():
                out[inside] = np.minimum(out[inside], seg.level(name, f[inside]))
        out[np.isinf(out)] = np.nan
        if (
            meas_distance_m is not None
            and self.port == "radiated"
            and self.distance_m is not None
            and not math.isclose(meas_distance_m, self.distance_m)
        ):
            self.check_distance(meas_distance_m)
            out = out + distance_offset_db(f, self.distance_m, meas_distance_m)
        return out

    def sample(
        self, name: str, meas_distance_m: float | None = None, per_segment: int = 64
    ) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Dense (f, level) points for drawing the line: steps at breakpoints, log slopes.

        Each segment is sampled log-spaced from just after its start to its stop so that a
        step at a breakpoint is drawn vertically. [Hz], [``self.unit``]
        """
        fs: list[NDArray[np.float64]] = []
        ls: list[NDArray[np.float64]] = []
        for seg in self.segments:
            if name not in seg.levels:
                continue
            n = per_segment if seg.interpolation == "log-f" else 2
            f = np.geomspace(seg.start_hz, seg.stop_hz, n)
            if self.port == "radiated" and seg.start_hz < F_DISTANCE_SPLIT_HZ < seg.stop_hz:
                f = np.union1d(f, [F_DISTANCE_SPLIT_HZ * (1 - 1e-9), F_DISTANCE_SPLIT_HZ])
            lev = seg.level(name, f)
            if self.port == "radiated" and meas_distance_m is not None and self.distance_m:
                if not math.isclose(meas_distance_m, self.distance_m):
                    lev = lev + distance_offset_db(f, self.distance_m, meas_distance_m)
            fs.append(f)
            ls.append(lev)
        return np.concatenate(fs), np.concatenate(ls)

    def status_at(self, name: str, freq_hz: float) -> str:
        """Return the status tag of the value of line ``name`` that applies at ``freq_hz``.

        The tag is P, S, D or UNCONFIRMED (``docs/references.md``); at a shared edge the
        lower value's (edge rule ``tighter``); "" where the line is not defined.

        Parameters
        ----------
        name : str
            Line name (``QP``).
        freq_hz : float
            Frequency. [Hz]
        """
        best: tuple[float, str] | None = None
        freq_hz = float(self.on_edges(freq_hz)[0])
        for seg in self.segments:
            lv = seg.levels.get(name)
            above = freq_hz >= seg.start_hz if seg.include_start else freq_hz > seg.start_hz
            if lv is None or not (above and freq_hz <= seg.stop_hz):
                continue
            level = float(seg.level(name, np.asarray([freq_hz]))[0])
            if best is None or level < best[0]:
                best = (level, lv.status)
        return "" if best is None else best[1]

    def status_over(self, name: str, ranges_hz: Sequence[tuple[float, float]]) -> str:
        """Return the least sure status tag of the values of line ``name`` over ``ranges_hz``.

        Every segment overlapping a range counts, and the values at its ends; "" when the
        line has no value there.

        Parameters
        ----------
        name : str
            Line name (``QP``).
        ranges_hz : sequence of (float, float)
            The ranges judged. [Hz]
        """
        found: list[str] = []
        for a, b in ranges_hz:
            found += [self.status_at(name, a), self.status_at(name, b)]
            found += [
                lv.status
                for seg in self.segments
                if (lv := seg.levels.get(name)) is not None
                and max(a, seg.start_hz) < min(b, seg.stop_hz)
            ]
        found = [t for t in found if t]
        return max(found, key=lambda t: STATUS_RANK[t]) if found else ""

    def user_table_note(self) -> str:
        """Say that a table from a user's file is not one rfcheck ships ("" for a shipped one).

        Its values, title, source and status tag are the file's own; rfcheck checks the form,
        not the regulation (a lab's copy of 15.107 with louder values and its own
        id read "47 CFR 15.107(a) ... status P", PASS).
        """
        if self.shipped:
            return ""
        name = PurePath(self.path).name if self.path else "(no file)"
        return (
            f"{self.id}: a user limit table (file {name}, sha256 {self.sha256[:16]}), not one "
            f"shipped with rfcheck: its values, title, source and status ({self.status}) are "
            "the file's own, not checked against the regulation it names"
        )

    def unconfirmed(self) -> list[str]:
        """Descriptions of every UNCONFIRMED value (empty when none)."""
        out = []
        for seg in self.segments:
            for name, lv in seg.levels.items():
                if lv.status == "UNCONFIRMED":
                    out.append(
                        f"{self.id} {name} {format_mhz_range(seg.start_hz, seg.stop_hz)} "
                        f"({lv.start_db:.2f} {self.unit.value}) is UNCONFIRMED"
                    )
        return out

    def describe(
        self, meas_distance_m: float | None = None, highest_hz: float | None = None
    ) -> dict[str, Any]:
        """Return a JSON-ready summary (``CaptureResult.limits`` entry, ``limits show -o json``).

        ``highest_hz`` [Hz] fills the 15.33(b)(1) keys of a table with the rule.
        """
        extra: dict[str, Any] = {}
        if self.upper_frequency_rule != "none":
            extra = {
                "upper_frequency_rule": self.upper_frequency_rule,
                "measurement_range": self.measurement_range_note(highest_hz),
            }
        return {
            "id": self.id,
            "title": self.title if self.shipped else f"USER TABLE (not shipped): {self.title}",
            "shipped": self.shipped,
            "source": self.source,
            "edition": self.edition,
            "retrieved": self.retrieved,
            "port": self.port,
            "regime": self.regime,
            "device_class": self.device_class,
            "distance_m": self.distance_m,
            "measurement_distance_m": meas_distance_m,
            "distance_note": self.distance_note(meas_distance_m),
            "unit": self.unit.value,
            "native_unit": self.native_unit,
            "status": self.status,
            "edge_rule": self.edge_rule,
            "lines": {ln.name: ln.detector.value for ln in self.lines},
            "unconfirmed": self.unconfirmed(),
            "path": self.path,
            "sha256": self.sha256,
            **extra,
        }
