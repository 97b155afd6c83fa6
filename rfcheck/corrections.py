"""The transducer chain: from an instrument reading to the level a limit is written in.

``level = convert(reading) + AF + Σ cable loss + LISN VDF + attenuator − preamp gain``

* ``convert``: dBm -> dBµV (+106.99 dB at 50 Ω), dBmV -> dBµV (+60 dB), V (rms) -> dBµV.
* ``AF`` (antenna factor, [dB/m]) turns a dBµV reading into dBµV/m.
* Cable loss, LISN voltage-division factor and external attenuator [dB] are added
  (the reading is smaller than the quantity at the EUT/antenna port); preamplifier gain
  [dB] is subtracted.

Tables are read from

* two-column CSV with the units in the header (``Frequency (MHz),Antenna Factor (dB/m)``,
  ``frequency_hz,loss_db``; comma, semicolon or tab separated; CRLF; no final newline ok);
* a header-less two-column CSV only when its frequency unit is stated by suffixing the
  path with ``@Hz``/``@kHz``/``@MHz``/``@GHz`` (``--preamp-gain lna.csv@Hz``) — otherwise
  it is refused (the value column's unit is dB by the option it is given to);
* the R&S transducer-factor ASCII export (``Type;RS_TransducerFactor;`` header,
  ``XAxisScaling``, ``YAxisUnit``, ``NoOfPoints``, then ``freq_hz;value`` rows);
* the Keysight X-Series "Amplitude Correction" CSV (``Amplitude Correction`` line, quoted
  description and comment, ``Frequency Unit,MHz``, ``Frequency Interpolation,...``,
  ``DATA``, then ``freq,value`` pairs).

Interpolation is linear in log f (linear in f when a vendor file says so); a table is
never extrapolated: a frequency outside its range raises :class:`CorrectionError`
naming the table and the frequency.

References
----------
docs/references.md §7: FS = RA + AF + CF − AG; conducted level = reading + LISN
insertion loss + cable loss; 0 dBm = 106.99 dBµV at 50 Ω.
"""

from __future__ import annotations

import functools
import hashlib
import math
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .errors import AnalysisError, CorrectionError
from .frequency import FREQ_UNIT_SCALE, format_hz
from .textfile import path_to_open, read_regular_file
from .units import LevelUnit, to_dbuv_like

__all__ = [
    "KINDS",
    "MAX_ABS_CORRECTION_DB",
    "TransducerTable",
    "Transducer",
    "CorrectionChain",
    "read_table",
    "build_chain",
    "split_unit_suffix",
]

#: Transducer kinds -> (sign in the chain, human name, value unit).
KINDS: dict[str, tuple[int, str, str]] = {
    "antenna-factor": (+1, "antenna factor", "dB/m"),
    "cable-loss": (+1, "cable loss", "dB"),
    "lisn": (+1, "LISN voltage-division factor", "dB"),
    "attenuator": (+1, "attenuator", "dB"),
    "preamp-gain": (-1, "preamplifier gain", "dB"),
}
_NONNEGATIVE = {"cable-loss", "attenuator", "preamp-gain"}
#: Largest magnitude of a transducer value rfcheck accepts (antenna factors, losses and gains
#: are tens of dB; 1000 dB is no transducer, and keeps every corrected level finite). [dB]
MAX_ABS_CORRECTION_DB = 1000.0
_SUFFIX_RE = re.compile(r"@(hz|khz|mhz|ghz)$", re.IGNORECASE)


def split_unit_suffix(path: str | Path) -> tuple[Path, float | None]:
    """Split ``table.csv@MHz`` into (path, Hz per unit); no suffix -> (path, None)."""
    text = str(path)
    m = _SUFFIX_RE.search(text)
    if not m:
        return Path(text), None
    return Path(text[: m.start()]), FREQ_UNIT_SCALE[m.group(1).lower()]


@dataclass(frozen=True, eq=False)
class TransducerTable:
    """A frequency-dependent transducer value.

    Attributes
    ----------
    name : str
        File name (for messages and the report).
    kind : str
        One of :data:`KINDS`.
    freq_hz : ndarray
        Strictly increasing frequencies. [Hz]
    value_db : ndarray
        Values. [dB] or [dB/m] for an antenna factor.
    interpolation : str
        ``log-f`` (linear in log10 f) or ``linear`` (linear in f, when a vendor file says so).
    source_format : str
        ``csv``, ``csv-headerless``, ``rs-transducer`` or ``keysight-amplitude-correction``.
    path, sha256 : str
    """

    name: str
    kind: str
    freq_hz: NDArray[np.float64]
    value_db: NDArray[np.float64]
    interpolation: str = "log-f"
    source_format: str = "csv"
    path: str = ""
    sha256: str = ""

    def at(self, freq_hz: ArrayLike) -> NDArray[np.float64]:
        """Interpolated value at ``freq_hz`` [dB].

        Raises
        ------
        CorrectionError
            A frequency lies outside the table (no extrapolation).
        """
        f = np.asarray(freq_hz, dtype=float)
        lo, hi = float(self.freq_hz[0]), float(self.freq_hz[-1])
        tol = 1e-9 * hi
        outside = (f < lo - tol) | (f > hi + tol)
        if outside.any():
            bad = float(f[outside][0])
            raise CorrectionError(
                f"{KINDS[self.kind][1]} table {self.name} covers {format_hz(lo)} - {format_hz(hi)} "
                f"and is not extrapolated; needed at {format_hz(bad)}",
                self.path or None,
            )
        fc = np.clip(f, lo, hi)
        if self.freq_hz.shape[0] == 1:
            return np.full(fc.shape, float(self.value_db[0]))
        value_db: NDArray[np.float64]
        if self.interpolation == "linear":
            value_db = np.interp(fc, self.freq_hz, self.value_db)
        else:
            value_db = np.interp(np.log10(fc), np.log10(self.freq_hz), self.value_db)
        return value_db

    def describe(self) -> str:
        """Return the table as one line: kind, name, format, points and range."""
        return (
            f"{KINDS[self.kind][1]}: table {self.name} ({self.source_format}, "
            f"{self.freq_hz.shape[0]} points, {format_hz(float(self.freq_hz[0]))} - "
            f"{format_hz(float(self.freq_hz[-1]))}, {self.interpolation} interpolation, "
            f"sha256 {self.sha256[:12]})"
        )


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


def _split(line: str) -> list[str]:
    sep = ";" if ";" in line else ("\t" if "\t" in line else ",")
    cells = [c.strip().strip('"').strip() for c in line.split(sep)]
    while cells and cells[-1] == "":
        cells.pop()
    return cells


def _float(text: str, path: Path, lineno: int) -> float:
    try:
        value = float(text)
    except ValueError:
        try:
            value = float(text.replace(",", "."))
        except ValueError:
            raise CorrectionError(f"not a number: {text!r}", path, lineno) from None
    if not math.isfinite(value):
        raise CorrectionError(f"not a finite number: {text!r}", path, lineno)
    return value


def _freq_unit_from_header(cell: str) -> float | None:
    key = cell.lower()
    for unit in ("ghz", "mhz", "khz", "hz"):
        if re.search(rf"(^|[^a-z]){unit}([^a-z]|$)", key):
            return FREQ_UNIT_SCALE[unit]
    return None


def _finish(
    kind: str,
    path: Path,
    raw: bytes,
    freqs: list[float],
    vals: list[float],
    fmt: str,
    interp: str,
    lines: list[int],
) -> TransducerTable:
    if not freqs:
        raise CorrectionError(f"{KINDS[kind][1]} table has no data rows", path)
    f = np.array(freqs)
    v = np.array(vals)
    d = np.diff(f)
    if (d <= 0).any():
        i = int(np.argmax(d <= 0)) + 1
        raise CorrectionError(
            f"frequencies must increase strictly ({f[i]:g} Hz after {f[i - 1]:g} Hz)",
            path,
            lines[i],
        )
    if (f <= 0).any():
        raise CorrectionError("frequencies must be > 0 Hz for log-f interpolation", path, lines[0])
    if (np.abs(v) > MAX_ABS_CORRECTION_DB).any():
        i = int(np.argmax(np.abs(v) > MAX_ABS_CORRECTION_DB))
        raise CorrectionError(
            f"implausible {KINDS[kind][1]} {v[i]:g} dB at {format_hz(float(f[i]))} "
            f"(magnitude over {MAX_ABS_CORRECTION_DB:g} dB)",
            path,
            lines[i],
        )
    if kind in _NONNEGATIVE and (v < 0).any():
        i = int(np.argmax(v < 0))
        raise CorrectionError(
            f"{KINDS[kind][1]} must be >= 0 dB (got {v[i]:g} dB at {format_hz(float(f[i]))}); "
            "a negative value would lower the level - check the sign convention (S21?)",
            path,
            lines[i],
        )
    return TransducerTable(
        name=path.name,
        kind=kind,
        freq_hz=f,
        value_db=v,
        interpolation=interp,
        source_format=fmt,
        path=str(path),
        sha256=hashlib.sha256(raw).hexdigest(),
    )


#: ``dB`` followed by a reference (dBm, dBµV, dBmV, dBW, dBi...): a level, not a correction.
_DB_WITH_REFERENCE = re.compile(r"db([a-zµμ]+)", re.IGNORECASE)


def _refuse_level_unit(unit_text: str, path: Path, lineno: int | None) -> None:
    """Refuse a level unit for a correction table: a correction is a ratio in dB (or dB/m).

    A level unit such as dBm read as dB would shift every reading by the table's values silently.
    """
    m = _DB_WITH_REFERENCE.search(unit_text.replace(" ", ""))
    if m is not None:
        raise CorrectionError(
            f"value unit {unit_text!r} is a level (dB{m.group(1)}), not a correction in dB "
            "(a transducer table gives dB, or dB/m for an antenna factor)",
            path,
            lineno,
        )


def _check_value_unit(kind: str, unit_text: str, path: Path, lineno: int) -> None:
    u = unit_text.lower().replace(" ", "")
    if "db" not in u:
        raise CorrectionError(
            f"value column {unit_text!r} states no dB unit (e.g. 'Loss (dB)')", path, lineno
        )
    _refuse_level_unit(unit_text, path, lineno)
    per_m = "/m" in u or "(1/m)" in u or "1/m" in u
    if per_m and kind != "antenna-factor":
        raise CorrectionError(
            f"value column {unit_text!r} is per metre; a {KINDS[kind][1]} is in dB", path, lineno
        )


def _read_keysight(
    kind: str, path: Path, raw: bytes, rows: list[tuple[int, str]]
) -> TransducerTable:
    scale, interp = 1.0, "log-f"
    freqs: list[float] = []
    vals: list[float] = []
    lines: list[int] = []
    in_data = False
    for lineno, line in rows[1:]:
        cells = _split(line)
        if not cells:
            continue
        if in_data:
            if len(cells) < 2:
                raise CorrectionError(f"expected 'frequency,value', got {line!r}", path, lineno)
            freqs.append(_float(cells[0], path, lineno) * scale)
            vals.append(_float(cells[1], path, lineno))
            lines.append(lineno)
            continue
        key = cells[0].lower()
        if key == "data":
            in_data = True
        elif key == "frequency unit" and len(cells) > 1:
            u = cells[1].lower()
            if u not in FREQ_UNIT_SCALE:
                raise CorrectionError(f"unknown Frequency Unit {cells[1]!r}", path, lineno)
            scale = FREQ_UNIT_SCALE[u]
        elif key == "frequency interpolation" and len(cells) > 1:
            interp = "linear" if cells[1].lower().startswith("lin") else "log-f"
        elif key == "antenna unit" and len(cells) > 1:
            # Keysight marks an antenna correction by the field unit it converts to
            # (dBuV/m, dBuA, dBpT...); "None" (or blank) is a plain dB correction
            field = cells[1].strip()
            is_antenna = field.lower() not in ("", "none", "off")
            if is_antenna and kind != "antenna-factor":
                raise CorrectionError(
                    f"Antenna Unit {field!r}: this is an antenna correction; give it with "
                    f"--antenna-factor, not as a {KINDS[kind][1]}",
                    path,
                    lineno,
                )
    if not in_data:
        raise CorrectionError("Amplitude Correction file has no DATA line", path)
    return _finish(kind, path, raw, freqs, vals, "keysight-amplitude-correction", interp, lines)


def _read_rs(kind: str, path: Path, raw: bytes, rows: list[tuple[int, str]]) -> TransducerTable:
    interp = "log-f"
    freqs: list[float] = []
    vals: list[float] = []
    lines: list[int] = []
    expected = None
    for lineno, line in rows:
        cells = [c.strip() for c in line.split(";")]
        while cells and cells[-1] == "":
            cells.pop()
        if not cells or cells[0].lower().startswith("sep="):
            continue
        key = cells[0].lower()
        if re.match(r"^[-+]?\d", cells[0]):
            if len(cells) < 2:
                raise CorrectionError(f"expected 'frequency;value', got {line!r}", path, lineno)
            freqs.append(_float(cells[0], path, lineno))
            vals.append(_float(cells[1], path, lineno))
            lines.append(lineno)
        elif key == "xaxisscaling" and len(cells) > 1:
            interp = "linear" if cells[1].lower().startswith("lin") else "log-f"
        elif key == "yaxisunit" and len(cells) > 1:
            u = cells[1].upper()
            if "DB" not in u:
                raise CorrectionError(f"YAxisUnit {cells[1]!r} is not a dB unit", path, lineno)
            _refuse_level_unit(cells[1], path, lineno)
        elif key == "noofpoints" and len(cells) > 1:
            expected = int(_float(cells[1], path, lineno))
    if expected is not None and expected != len(freqs):
        raise CorrectionError(f"NoOfPoints says {expected}, file has {len(freqs)} rows", path)
    return _finish(kind, path, raw, freqs, vals, "rs-transducer", interp, lines)


def _csv_scale(
    kind: str, path: Path, head: list[str], headerless: bool, freq_scale: float | None, lineno: int
) -> float:
    """Return the Hz per frequency unit of a two-column CSV table.

    From its header, or for a header-less table from the stated unit (``@MHz`` suffix or
    ``freq_scale``). [Hz]
    """
    if headerless:
        if freq_scale is None:
            raise CorrectionError(
                f"{KINDS[kind][1]} table has no header, so its frequency unit is unknown; "
                "add a header like 'frequency_hz,value_db' or state it: "
                f"{path}@Hz (or @kHz, @MHz, @GHz)",
                path,
                lineno,
            )
        return freq_scale
    if len(head) != 2:
        raise CorrectionError(
            f"expected a two-column table (frequency, value), got {len(head)} columns: "
            f"{','.join(head)}",
            path,
            lineno,
        )
    header_scale = _freq_unit_from_header(head[0])
    if header_scale is None:
        raise CorrectionError(
            f"frequency column {head[0]!r} states no unit (write e.g. 'Frequency (MHz)')",
            path,
            lineno,
        )
    _check_value_unit(kind, head[1], path, lineno)
    return header_scale


def _read_csv(
    kind: str, p: Path, raw: bytes, rows: list[tuple[int, str]], freq_scale: float | None
) -> TransducerTable:
    """Return a two-column (frequency, value) CSV table, with or without a header line."""
    head = _split(rows[0][1])
    headerless = bool(head) and re.match(r"^[-+]?(\d|\.\d)", head[0]) is not None
    data_rows = rows if headerless else rows[1:]
    scale = _csv_scale(kind, p, head, headerless, freq_scale, rows[0][0])
    freqs: list[float] = []
    vals: list[float] = []
    lines: list[int] = []
    for lineno, line in data_rows:
        cells = _split(line)
        if len(cells) != 2:
            raise CorrectionError(
                f"expected 2 columns (frequency, value), got {len(cells)}: {line!r}", p, lineno
            )
        freqs.append(_float(cells[0], p, lineno) * scale)
        vals.append(_float(cells[1], p, lineno))
        lines.append(lineno)
    return _finish(
        kind, p, raw, freqs, vals, "csv-headerless" if headerless else "csv", "log-f", lines
    )


def read_table(
    path: str | Path,
    kind: str,
    freq_scale: float | None = None,
    *,
    base_dir: str | Path | None = None,
) -> TransducerTable:
    """Read a transducer table (format detected from the first line).

    Parameters
    ----------
    path : str or Path
        Table file; may carry a ``@MHz``-style suffix stating the frequency unit of a
        header-less table.
    kind : str
        One of :data:`KINDS` (decides the value's meaning and checks).
    freq_scale : float, optional
        Hz per frequency unit for a header-less table (overrides the path suffix). [Hz]
    base_dir : str or Path, optional
        The directory a relative ``path`` is relative to (None = the current directory;
        :func:`~rfcheck.textfile.path_to_open`); the table and every error name it as given.

    Raises
    ------
    CorrectionError
        Unreadable file, unknown layout, header-less table without a stated frequency
        unit, non-numeric cell, non-increasing frequencies, negative loss/gain.
    """
    if kind not in KINDS:
        raise CorrectionError(f"unknown transducer kind {kind!r}")
    p, suffix_scale = split_unit_suffix(path)
    freq_scale = freq_scale if freq_scale is not None else suffix_scale
    raw = read_regular_file(p, f"{KINDS[kind][1]} table", CorrectionError, base_dir=base_dir)
    text = raw.decode("utf-8", errors="replace").lstrip("\ufeff")
    rows = [(i, ln.strip()) for i, ln in enumerate(text.splitlines(), 1) if ln.strip()]
    if not rows:
        raise CorrectionError(f"{KINDS[kind][1]} table is empty", p)
    first = rows[0][1]
    if first.lower().startswith("amplitude correction"):
        return _read_keysight(kind, p, raw, rows)
    if first.lower().startswith("sep=") or "rs_transducerfactor" in text[:400].lower():
        return _read_rs(kind, p, raw, rows)
    return _read_csv(kind, p, raw, rows, freq_scale)


@functools.lru_cache(maxsize=128)
def _cached_table(path: str, kind: str, base_dir: str, mtime_ns: int, size: int) -> TransducerTable:
    return read_table(path, kind, base_dir=base_dir)


def _load(spec: float | Path, kind: str, base_dir: str | Path | None) -> Transducer:
    if isinstance(spec, int | float):
        if not math.isfinite(spec):
            raise CorrectionError(f"{KINDS[kind][1]} must be a finite number of dB")
        if kind in _NONNEGATIVE and spec < 0:
            raise CorrectionError(f"{KINDS[kind][1]} must be >= 0 dB, got {spec:g} dB")
        if abs(spec) > MAX_ABS_CORRECTION_DB:
            raise CorrectionError(
                f"implausible {KINDS[kind][1]} {spec:g} dB "
                f"(magnitude over {MAX_ABS_CORRECTION_DB:g} dB)"
            )
        return Transducer(kind, constant_db=float(spec))
    p, _ = split_unit_suffix(spec)
    try:
        st = path_to_open(p, base_dir).stat()
    except OSError:
        raise CorrectionError(f"cannot read {KINDS[kind][1]} table: no such file", p) from None
    base = str(base_dir or "")
    return Transducer(kind, table=_cached_table(str(spec), kind, base, st.st_mtime_ns, st.st_size))


@dataclass(frozen=True)
class CorrectionChain:
    """The ordered transducers of one measurement set-up."""

    items: tuple[Transducer, ...] = ()

    @property
    def antenna_factor(self) -> Transducer | None:
        """The chain's antenna factor, if any."""
        return next((t for t in self.items if t.kind == "antenna-factor"), None)

    def correction_db(self, freq_hz: NDArray[np.float64]) -> NDArray[np.float64]:
        """Σ sign·value at ``freq_hz`` (AF + cables + LISN + attenuator − preamp) [dB]."""
        total = np.zeros(np.shape(freq_hz))
        for t in self.items:
            total = total + KINDS[t.kind][0] * t.value(freq_hz)
        return total

    def describe(self) -> list[str]:
        """Return one line per transducer of the chain."""
        return [t.describe() for t in self.items] or ["no transducer corrections"]

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
            Unknown unit; radiated limit with a conducted-unit capture and no antenna
            factor; antenna factor given for a capture already in dBµV/m; conducted
            limit with a dBµV/m capture; dBµA against a voltage limit.
        CorrectionError
            A table does not cover a frequency.
        """
        tr = f" (trace {trace_name})" if trace_name else ""
        if unit is None:
            raise AnalysisError(
                f"the level unit of the capture{tr} is unknown; state it with --unit"
            )
        base, base_unit = to_dbuv_like(reading, unit)
        has_af = self.antenna_factor is not None
        if has_af and base_unit is LevelUnit.DBUV_M:
            raise AnalysisError(
                f"the capture{tr} is already in dBµV/m (antenna factor applied by the instrument); "
                "--antenna-factor would correct it twice"
            )
        if has_af and base_unit is not LevelUnit.DBUV:
            raise AnalysisError(f"an antenna factor applies to a dBµV reading, not {unit.value}")
        level_unit = LevelUnit.DBUV_M if has_af else base_unit
        if limit_unit is LevelUnit.DBUV_M and level_unit is not LevelUnit.DBUV_M:
            raise AnalysisError(
                f"radiated limit (dBµV/m) but the capture{tr} is in {unit.value} and no antenna "
                "factor was given (--antenna-factor); rfcheck does not guess one"
            )
        if limit_unit is not LevelUnit.DBUV_M and level_unit is LevelUnit.DBUV_M:
            why = "an antenna factor was given" if has_af else "the capture is in dBµV/m"
            raise AnalysisError(
                f"conducted limit ({limit_unit.value}) but {why}: a field strength cannot be "
                "judged against a conducted limit"
            )
        if level_unit is not limit_unit:
            raise AnalysisError(
                f"capture unit {unit.value}{tr} cannot be compared with a {limit_unit.value} limit"
            )
        corr = self.correction_db(freq_hz)
        return base + corr, corr


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

    Numbers are constants [dB] ([dB/m] for the antenna factor); paths are tables (read once
    and cached by mtime), relative ones opened relative to ``base_dir`` (None = the current
    directory) and named as given.
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
