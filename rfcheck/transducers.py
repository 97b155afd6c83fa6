"""Transducer tables: the files rfcheck reads them from, and the interpolated table.

Formats (docs/references.md §7 for the chain they feed, :mod:`rfcheck.corrections`):

* two-column CSV with the units in the header (``Frequency (MHz),Antenna Factor (dB/m)``,
  ``frequency_hz,loss_db``; comma, semicolon or tab separated; CRLF; no final newline ok);
* a header-less two-column CSV only when its frequency unit is stated by suffixing the
  path with ``@Hz``/``@kHz``/``@MHz``/``@GHz`` (:func:`split_unit_suffix`);
* the R&S transducer-factor ASCII export (``Type;RS_TransducerFactor;`` header,
  ``XAxisScaling``, ``YAxisUnit``, ``NoOfPoints``, then ``freq_hz;value`` rows);
* the Keysight X-Series "Amplitude Correction" CSV (``Amplitude Correction`` line, quoted
  description and comment, ``Frequency Unit,MHz``, ``Frequency Interpolation,...``,
  ``DATA``, then ``freq,value`` pairs).

A value column in a level unit (dBm, dBµV, ...) is refused: a transducer is a correction in
dB (dB/m for an antenna factor). Interpolation is linear in log f (linear in f when a vendor
file says so); a table is never extrapolated.
"""

from __future__ import annotations

import hashlib
import math
import os
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .errors import CorrectionError
from .frequency import FREQ_UNIT_SCALE, format_hz
from .textfile import ParsedCache, path_to_open, read_regular_file

__all__ = [
    "KINDS",
    "MAX_ABS_CORRECTION_DB",
    "NEGATIVE_VALUE_HINT",
    "NONNEGATIVE_KINDS",
    "TransducerTable",
    "read_table",
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
#: Kinds whose value cannot be negative (a loss, an attenuation, a gain, and a LISN's
#: voltage-division factor: the EUT-port voltage over the measurement-port voltage, in dB,
#: docs/references.md §7). A table written as S21 (negative for a loss) would lower every
#: level by its value: refused below 0 dB, with no tolerance for a calibration's small dip
#: (a lab states such a point as 0). [dB]
NONNEGATIVE_KINDS = {"cable-loss", "lisn", "attenuator", "preamp-gain"}
#: Why a negative value of a :data:`NONNEGATIVE_KINDS` kind is refused.
NEGATIVE_VALUE_HINT = "a negative value would lower the level - check the sign convention (S21?)"
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
    if kind in NONNEGATIVE_KINDS and (v < 0).any():
        i = int(np.argmax(v < 0))
        raise CorrectionError(
            f"{KINDS[kind][1]} must be >= 0 dB (got {v[i]:g} dB at {format_hz(float(f[i]))}); "
            + NEGATIVE_VALUE_HINT,
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
    names = (str(path), kind, freq_scale, os.path.abspath(path_to_open(p, base_dir)))
    return _TABLES.get(raw, names, lambda _sha256: _parse(kind, p, raw, freq_scale))


#: Transducer tables parsed so far, by path as given, kind, frequency unit, path opened and
#: SHA-256 of the bytes: a batch worker reads the file for each input but parses each version
#: once (the same rule as user limit files, :class:`~rfcheck.textfile.ParsedCache`).
_TABLES: ParsedCache[TransducerTable] = ParsedCache(128)


def _parse(kind: str, p: Path, raw: bytes, freq_scale: float | None) -> TransducerTable:
    """Parse a table's bytes (format detected from the first line)."""
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
