"""The transducer chain: from an instrument reading to the level a limit is written in.

``level = convert(reading) + AF + Σ cable loss + LISN VDF + attenuator − preamp gain``

* ``convert``: dBm -> dBµV (+106.99 dB at 50 Ω), dBmV -> dBµV (+60 dB), V (rms) -> dBµV.
* ``AF`` (antenna factor, [dB/m]) turns a dBµV reading into dBµV/m.
* Cable loss, LISN voltage-division factor and external attenuator [dB] are added
  (the reading is smaller than the quantity at the EUT/antenna port); preamplifier gain
  [dB] is subtracted.

Tables are read by :mod:`rfcheck.transducers` (two-column CSV, R&S transducer-factor
export, Keysight amplitude correction; a header-less CSV needs ``@Hz``/``@kHz``/... on its
path, ``--preamp-gain lna.csv@Hz``). Interpolation is linear in log f (linear in f when a
vendor file says so); a table is never extrapolated: a frequency outside its range raises
:class:`CorrectionError` naming the table and the frequency.

References
----------
docs/references.md §7: FS = RA + AF + CF − AG; conducted level = reading + LISN
insertion loss + cable loss; 0 dBm = 106.99 dBµV at 50 Ω.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from .capture import trace_label
from .errors import AnalysisError, CorrectionError
from .textfile import path_to_open
from .transducers import (
    KINDS,
    MAX_ABS_CORRECTION_DB,
    NEGATIVE_VALUE_HINT,
    NONNEGATIVE_KINDS,
    TransducerTable,
    read_table,
    split_unit_suffix,
)
from .units import LevelUnit, to_dbuv_like

__all__ = [
    "KINDS",
    "MAX_ABS_CORRECTION_DB",
    "TransducerTable",
    "Transducer",
    "CorrectionChain",
    "read_table",
    "build_chain",
    "port_conflict",
    "split_unit_suffix",
]


@dataclass(frozen=True)
class Transducer:
    """One element of the chain: a table or a constant [dB]."""

    kind: str
    table: TransducerTable | None = None
    constant_db: float | None = None

    def value(self, freq_hz: NDArray[np.float64]) -> NDArray[np.float64]:
        """Value at ``freq_hz`` before the chain's sign [dB]."""
        if self.table is not None:
            return self.table.at(freq_hz)
        return np.full(freq_hz.shape, float(self.constant_db or 0.0))

    def describe(self) -> str:
        """Return the transducer as one line: its table or its constant value."""
        if self.table is not None:
            text = self.table.describe()
        else:
            text = f"{KINDS[self.kind][1]}: constant {self.constant_db:g} {KINDS[self.kind][2]}"
        return text + (" (subtracted)" if KINDS[self.kind][0] < 0 else " (added)")


def _load(spec: float | Path, kind: str, base_dir: str | Path | None) -> Transducer:
    if isinstance(spec, int | float):
        if not math.isfinite(spec):
            raise CorrectionError(f"{KINDS[kind][1]} must be a finite number of dB")
        if kind in NONNEGATIVE_KINDS and spec < 0:
            raise CorrectionError(
                f"{KINDS[kind][1]} must be >= 0 dB, got {spec:g} dB; {NEGATIVE_VALUE_HINT}"
            )
        if abs(spec) > MAX_ABS_CORRECTION_DB:
            raise CorrectionError(
                f"implausible {KINDS[kind][1]} {spec:g} dB "
                f"(magnitude over {MAX_ABS_CORRECTION_DB:g} dB)"
            )
        return Transducer(kind, constant_db=float(spec))
    p, _ = split_unit_suffix(spec)
    if not path_to_open(p, base_dir).exists():
        raise CorrectionError(f"cannot read {KINDS[kind][1]} table: no such file", p)
    # read at every use, parsed once per content (transducers.read_table's cache)
    return Transducer(kind, table=read_table(spec, kind, base_dir=base_dir))


@dataclass(frozen=True)
class CorrectionChain:
    """The ordered transducers of one measurement set-up."""

    items: tuple[Transducer, ...] = ()

    @property
    def antenna_factor(self) -> Transducer | None:
        """The chain's antenna factor, if any."""
        return next((t for t in self.items if t.kind == "antenna-factor"), None)

    @property
    def lisn(self) -> Transducer | None:
        """The chain's LISN voltage-division factor, if any."""
        return next((t for t in self.items if t.kind == "lisn"), None)

    def correction_db(self, freq_hz: NDArray[np.float64]) -> NDArray[np.float64]:
        """Σ sign·value at ``freq_hz`` (AF + cables + LISN + attenuator − preamp) [dB]."""
        total = np.zeros(np.shape(freq_hz))
        for t in self.items:
            total = total + KINDS[t.kind][0] * t.value(freq_hz)
        return total

    def covers(self, freq_hz: NDArray[np.float64]) -> NDArray[np.bool_]:
        """Where every table of the chain covers the frequency (a constant covers all) [Hz].

        The tolerance of :meth:`rfcheck.transducers.TransducerTable.at`: outside it, the
        chain raises rather than extrapolate.
        """
        f = np.asarray(freq_hz, dtype=float)
        ok = np.ones(f.shape, dtype=bool)
        for t in self.items:
            if t.table is not None:
                lo, hi = float(t.table.freq_hz[0]), float(t.table.freq_hz[-1])
                tol = 1e-9 * hi
                ok &= (f >= lo - tol) & (f <= hi + tol)
        return ok

    def uncovered_names(self, freq_hz: NDArray[np.float64]) -> list[str]:
        """Return the tables that do not cover some of ``freq_hz`` (``antenna factor af.csv``)."""
        out = []
        for t in self.items:
            if t.table is not None and not CorrectionChain((t,)).covers(freq_hz).all():
                out.append(f"{KINDS[t.kind][1]} {t.table.name}")
        return out

    def describe(self) -> list[str]:
        """Return one line per transducer of the chain."""
        return [t.describe() for t in self.items] or ["no transducer corrections"]

    def level_unit(self, unit: LevelUnit) -> LevelUnit:
        """Return the unit a reading in ``unit`` is judged in after this chain.

        Its dBµV-family base unit (:func:`rfcheck.units.to_dbuv_like`), a field strength
        (dBµV/m) when an antenna factor is in the chain.
        """
        base = to_dbuv_like(np.zeros(0), unit)[1]
        return LevelUnit.DBUV_M if self.antenna_factor is not None else base

    def apply(
        self,
        freq_hz: NDArray[np.float64],
        reading: NDArray[np.float64],
        unit: LevelUnit | None,
        limit_unit: LevelUnit,
        *,
        trace_name: str = "",
    ) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Corrected level and the correction itself, in the limit's unit.

        Parameters
        ----------
        freq_hz : ndarray
            Frequencies. [Hz]
        reading : ndarray
            Instrument readings. [``unit``]
        unit : LevelUnit or None
            Unit of the readings (None = unknown: an error, never a guess).
        limit_unit : LevelUnit
            Unit the limit is written in (dBµV conducted, dBµV/m radiated).

        Returns
        -------
        (level, correction_db)
            ``level = convert(reading) + correction_db``. [``limit_unit``], [dB]

        Raises
        ------
        AnalysisError
            Unknown unit; a negative reading in volts (an rms magnitude; a dB reading read
            as V); radiated limit with a conducted-unit capture and no antenna
            factor; antenna factor given for a capture already in dBµV/m; conducted
            limit with a dBµV/m capture; dBµA against a voltage limit.
        CorrectionError
            A table does not cover a frequency.
        """
        tr = f" ({trace_label(trace_name)})" if trace_name else ""
        if unit is None:
            raise AnalysisError(
                f"the level unit of the capture{tr} is unknown; state it with --unit"
            )
        if unit is LevelUnit.VOLT:
            _check_magnitudes(freq_hz, reading, tr)
        base, base_unit = to_dbuv_like(reading, unit)
        has_af = self.antenna_factor is not None
        if has_af and base_unit is LevelUnit.DBUV_M:
            raise AnalysisError(
                f"the capture{tr} is already in dBµV/m (antenna factor applied by the instrument); "
                "--antenna-factor would correct it twice"
            )
        if has_af and base_unit is not LevelUnit.DBUV:
            raise AnalysisError(f"an antenna factor applies to a dBµV reading, not {unit.value}")
        level_unit = self.level_unit(unit)
        if limit_unit is LevelUnit.DBUV_M and level_unit is not LevelUnit.DBUV_M:
            raise AnalysisError(
                f"radiated limit (dBµV/m) but the capture{tr} is in {unit.value} and no antenna "
                "factor was given (--antenna-factor); rfcheck does not guess one"
            )
        conflict = port_conflict(has_af, self.lisn is not None, limit_unit)
        if conflict:
            raise AnalysisError(conflict)
        if limit_unit is not LevelUnit.DBUV_M and level_unit is LevelUnit.DBUV_M:
            raise AnalysisError(
                f"conducted limit ({limit_unit.value}) but the capture is in dBµV/m: a field "
                "strength cannot be judged against a conducted limit"
            )
        if level_unit is not limit_unit:
            raise AnalysisError(
                f"capture unit {unit.value}{tr} cannot be compared with a {limit_unit.value} limit"
            )
        corr = self.correction_db(freq_hz)
        return base + corr, corr


def port_conflict(antenna_factor: bool, lisn: bool, limit_unit: LevelUnit) -> str:
    """Return why a transducer given does not fit the port of a limit ("" when none).

    An antenna factor turns a voltage into a field strength, which no conducted limit judges;
    a LISN voltage-division factor corrects the voltage at a mains port, which no radiated
    limit judges (it would raise every level by its value). Both are refused, before any
    input is read (``check``, ``batch``, exit code 2) and in :meth:`CorrectionChain.apply`.

    Parameters
    ----------
    antenna_factor, lisn : bool
        Whether an antenna factor, a LISN factor is given.
    limit_unit : LevelUnit
        The unit of the limit (dBµV/m: radiated).
    """
    if antenna_factor and limit_unit is not LevelUnit.DBUV_M:
        return (
            f"conducted limit ({limit_unit.value}) but an antenna factor was given: a field "
            "strength cannot be judged against a conducted limit"
        )
    if lisn and limit_unit is LevelUnit.DBUV_M:
        return (
            f"radiated limit ({limit_unit.value}) but a LISN factor was given: a LISN's "
            "voltage-division factor corrects a mains-port voltage, not a field strength"
        )
    return ""


def build_chain(
    *,
    antenna_factor: float | Path | None = None,
    cable_loss: tuple[float | Path, ...] = (),
    lisn: float | Path | None = None,
    attenuator_db: float | None = None,
    preamp_gain: float | Path | None = None,
    base_dir: str | Path | None = None,
) -> CorrectionChain:
    """Build the chain from :class:`~rfcheck.settings.CheckSettings`-style values.

    Numbers are constants [dB] ([dB/m] for the antenna factor); paths are tables, read at
    every call and parsed once per content (:func:`~rfcheck.transducers.read_table`),
    relative ones opened relative to ``base_dir`` (None = the current directory) and named
    as given.
    """
    items: list[Transducer] = []
    if antenna_factor is not None:
        items.append(_load(antenna_factor, "antenna-factor", base_dir))
    items.extend(_load(c, "cable-loss", base_dir) for c in cable_loss)
    if lisn is not None:
        items.append(_load(lisn, "lisn", base_dir))
    if attenuator_db is not None:
        items.append(_load(attenuator_db, "attenuator", base_dir))
    if preamp_gain is not None:
        items.append(_load(preamp_gain, "preamp-gain", base_dir))
    return CorrectionChain(tuple(items))


def _check_magnitudes(freq_hz: NDArray[np.float64], reading: NDArray[np.float64], tr: str) -> None:
    """Refuse a negative reading in volts: a spectrum reading in V is an rms magnitude.

    ``-55.9`` read as volts is a dB reading with the wrong unit (``--unit V`` on a dBm file),
    and 20·log10(|V|) would turn it into +155 dBµV rather than an error.
    """
    negative = np.asarray(reading, dtype=float) < 0
    if negative.any():
        i = int(np.argmax(negative))
        raise AnalysisError(
            f"the capture{tr} is in V, an rms magnitude, but reads {float(reading[i]):g} V at "
            f"{float(freq_hz[i]) / 1e6:g} MHz: a negative level is not a voltage (a dB reading "
            "with the wrong unit?)"
        )
