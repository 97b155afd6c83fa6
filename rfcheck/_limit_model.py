"""The limit-table model: lines, segments, :class:`LimitTable`, distance conversion and the
47 CFR 15.33(b)(1) upper measurement frequency. Loaded and validated by
:mod:`rfcheck.limits` (which re-exports every public name here).

References
----------
47 CFR 15.31(f)(1)-(2), 15.33(b)(1); standards.md sections 2e, 2f.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .capture import Detector
from .errors import LimitFileError
from .units import LevelUnit

__all__ = [
    "DISTANCE_RANGE_M",
    "STATUSES",
    "F_DISTANCE_SPLIT_HZ",
    "UPPER_FREQUENCY_RULES",
    "LineSpec",
    "LineLevel",
    "Segment",
    "LimitTable",
    "distance_offset_db",
    "upper_measurement_frequency_hz",
]

#: Status tags of standards.md: primary, secondary, derived, unconfirmed.
STATUSES = ("P", "S", "D", "UNCONFIRMED")
_STATUS_RANK = {s: i for i, s in enumerate(STATUSES)}

#: Frequency below which 15.31(f)(2) (40 dB/decade) applies instead of (f)(1). [Hz]
F_DISTANCE_SPLIT_HZ = 30e6
#: Measurement distances rfcheck accepts (``--distance``, ``distance_m``). Not a figure from a
#: standard: a sanity bound around the distances the standards use (1 m to 300 m; 47 CFR
#: 15.31(f)(1) excludes the near field), so that ``--distance 1e-9`` (a +170 dB
#: extrapolation that would turn any FAIL into PASS) is refused. [m]
DISTANCE_RANGE_M = (0.1, 1000.0)
#: Values of the optional ``upper_frequency_rule`` key: "fcc-15.33b1" or "none" (default).
UPPER_FREQUENCY_RULES = ("fcc-15.33b1", "none")


def upper_measurement_frequency_hz(highest_hz: float) -> float:
    """Upper frequency of the radiated measurement range of an unintentional radiator.

    47 CFR 15.33(b)(1) (standards.md section 2f): from the highest frequency generated or
    used in the device (or on which it operates or tunes), the spectrum is investigated up to

    ============================  ===========================================================
    highest frequency [MHz]        upper frequency of the measurement range
    ============================  ===========================================================
    below 1.705                    30 MHz
    1.705 - 108                    1000 MHz
    108 - 500                      2000 MHz
    500 - 1000                     5000 MHz
    above 1000                     5th harmonic of the highest frequency or 40 GHz, whichever
                                   is lower
    ============================  ===========================================================

    The table's rows share their end values (108 MHz is in "1.705 - 108" and "108 - 500").
    At a boundary the **more demanding** row applies (the higher upper frequency): exactly
    1.705 MHz -> 1000 MHz, 108 MHz -> 2000 MHz, 500 MHz -> 5000 MHz; exactly 1000 MHz gives
    5000 MHz either way.

    Parameters
    ----------
    highest_hz : float
        Highest frequency generated or used in the device. [Hz]

    Returns
    -------
    float
        Upper frequency of the measurement range. [Hz]

    Raises
    ------
    ValueError
        ``highest_hz`` not a finite number > 0.
    """
    f = float(highest_hz)
    if not (math.isfinite(f) and f > 0):
        raise ValueError(f"highest frequency must be a finite number > 0 Hz, got {highest_hz!r}")
    if f < 1.705e6:
        return 30e6
    if f < 108e6:
        return 1000e6
    if f < 500e6:
        return 2000e6
    if f < 1000e6:
        return 5000e6
    return min(5.0 * f, 40e9)


@dataclass(frozen=True)
class LineSpec:
    """One limit line of a table (``QP``, ``AV``, ``PK``) and the detector it is defined for."""

    name: str
    detector: Detector


@dataclass(frozen=True)
class LineLevel:
    """A line's level over one segment. [dB in the table's internal unit]

    ``start_db == stop_db`` for flat segments; log-f segments ramp linearly in log f.
    """

    start_db: float
    stop_db: float
    status: str


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
        """Level of ``line`` at ``freq_hz`` (assumed inside the segment). [dB]"""
        lv = self.levels[line]
        if self.interpolation == "flat" or lv.start_db == lv.stop_db:
            return np.full(freq_hz.shape, lv.start_db)
        frac = np.log10(freq_hz / self.start_hz) / math.log10(self.stop_hz / self.start_hz)
        return lv.start_db + (lv.stop_db - lv.start_db) * frac


def distance_offset_db(
    freq_hz: ArrayLike, spec_distance_m: float, meas_distance_m: float
) -> NDArray[np.float64]:
    """Change of a field-strength limit when re-expressed at the measurement distance.

    ``limit(d_meas) = limit(d_spec) + offset``, offset = k·log10(d_spec / d_meas) with
    k = 20 dB/decade at and above 30 MHz (47 CFR 15.31(f)(1), inverse linear distance) and
    k = 40 dB/decade below 30 MHz (15.31(f)(2), square of inverse linear distance).

    Parameters
    ----------
    freq_hz : array_like
        Frequencies. [Hz]
    spec_distance_m, meas_distance_m : float
        Distance the limit is specified at / the measurement was made at. [m]

    Returns
    -------
    ndarray
        Offset to add to the limit. [dB] (10 m -> 3 m: +10.4576 dB above 30 MHz.)

    References
    ----------
    47 CFR 15.31(f)(1) and (f)(2); standards.md section 2e.
    """
    f = np.asarray(freq_hz, dtype=float)
    ratio = math.log10(spec_distance_m / meas_distance_m)
    return np.where(f >= F_DISTANCE_SPLIT_HZ, 20.0 * ratio, 40.0 * ratio)


@dataclass(frozen=True, eq=False)
class LimitTable:
    """A validated limit table (one TOML file).

    ``id``/``title``/``source`` (the clause)/``edition``/``retrieved`` give provenance;
    ``port`` is conducted|radiated; ``distance_m`` [m] the specified distance and
    ``distance_rule`` ``fcc-15.31f`` (re-expressible) or ``none``; ``native_unit`` the unit
    printed in the file, ``unit`` the internal dB unit of every level; ``status`` the worst
    tag (P, S, D, UNCONFIRMED); ``segments`` sorted by start; ``path``/``sha256`` the source.
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

    def required_upper_hz(self, highest_hz: float | None) -> float | None:
        """Upper end of the range a measurement must cover (15.33(b)(1)); None: the whole
        table (no rule, or the highest frequency of the device is not known). [Hz]"""
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
                f"{self.id}: highest frequency of the device not stated, so the lines are required to "
                f"{self.range_hz[1] / 1e6:g} MHz; state it (--highest-frequency HZ or the setup's "
                "[dut] highest_internal_frequency_hz) to bound the measurement range by "
                "47 CFR 15.33(b)(1)"
            )
        return (
            f"{self.id}: measurement range to {upper / 1e6:g} MHz per 47 CFR 15.33(b)(1) "
            f"(highest frequency {highest_hz / 1e6:g} MHz)"  # type: ignore[operator]
        )

    @property
    def line_names(self) -> tuple[str, ...]:
        return tuple(ln.name for ln in self.lines)

    def line(self, name: str) -> LineSpec:
        for ln in self.lines:
            if ln.name == name:
                return ln
        raise KeyError(name)

    def line_range(self, name: str) -> tuple[float, float]:
        """Closed frequency range ``name`` is defined over. [Hz]"""
        segs = [s for s in self.segments if name in s.levels]
        return (segs[0].start_hz, segs[-1].stop_hz)

    @property
    def range_hz(self) -> tuple[float, float]:
        return (self.segments[0].start_hz, self.segments[-1].stop_hz)

    def breakpoints(self, name: str) -> NDArray[np.float64]:
        """Segment edges of ``name``. [Hz]"""
        pts = {s.start_hz for s in self.segments if name in s.levels}
        pts |= {s.stop_hz for s in self.segments if name in s.levels}
        return np.array(sorted(pts))

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
            text += f"; 15.31(f)(2), 40 dB/decade below 30 MHz: {40 * ratio:+.2f} dB"
        return text

    def level_at(
        self, name: str, freq_hz: ArrayLike, meas_distance_m: float | None = None
    ) -> NDArray[np.float64]:
        """Limit of line ``name`` at ``freq_hz``, at the measurement distance.

        Frequencies outside the line's range give NaN. At a frequency shared by two
        segments the lower level applies (edge rule ``tighter``).

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
        f = np.atleast_1d(np.asarray(freq_hz, dtype=float))
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

    def unconfirmed(self) -> list[str]:
        """Descriptions of every UNCONFIRMED value (empty when none)."""
        out = []
        for seg in self.segments:
            for name, lv in seg.levels.items():
                if lv.status == "UNCONFIRMED":
                    out.append(
                        f"{self.id} {name} {seg.start_hz / 1e6:g}-{seg.stop_hz / 1e6:g} MHz "
                        f"({lv.start_db:.2f} {self.unit.value}) is UNCONFIRMED"
                    )
        return out

    def describe(
        self, meas_distance_m: float | None = None, highest_hz: float | None = None
    ) -> dict[str, Any]:
        """JSON-ready summary (``CaptureResult.limits`` entry, ``limits show -o json``);
        ``highest_hz`` [Hz] fills the 15.33(b)(1) keys of a table with the rule."""
        extra: dict[str, Any] = {}
        if self.upper_frequency_rule != "none":
            extra = {
                "upper_frequency_rule": self.upper_frequency_rule,
                "measurement_range": self.measurement_range_note(highest_hz),
            }
        return {
            "id": self.id,
            "title": self.title,
            "source": self.source,
            "edition": self.edition,
            "retrieved": self.retrieved,
            "port": self.port,
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


