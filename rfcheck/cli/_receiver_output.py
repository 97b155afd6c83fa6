"""The outputs of ``rfcheck receiver``: text, CSV and JSON, each saying how the receiver was set up.

Every format states the file (and its SHA-256 in CSV/JSON), the CISPR band and its RBW, the
record length, sample rate, centre frequency, the measured channel, the scale the levels rest
on (with the "1 V per sample value" warning when nobody stated one) and the span of the record
whose events the detectors read in full (``docs/receiver.md``, "What each output states").
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ..capture import Capture, SampleKind, TimeSeries
from ..cispr import get_band
from ..frequency import format_hz, round_hz
from ..outcome import Bound
from ..receiver.edges import span_text
from ..receiver.scan import ReceiverResult
from ..receiver.settling import settling_time_s
from ..textsafe import json_safe, printable
from ._common import echo

__all__ = ["SETUP_COLUMNS", "Run", "emit_csv", "emit_json", "emit_text"]

#: Prefix of a text reading that is a lower bound (the true reading is at least this).
_LOWER_MARK = "\u2265"


@dataclass(frozen=True)
class Run:
    """One ``rfcheck receiver`` run: what was read, how, and what it gave.

    ``stated_v``: ``--volts-per-unit`` [V per the capture's scale unit], None when not given;
    ``channel``: the measured channel's name in a multi-channel recording, else "";
    ``number``: the measured channel, counting from 1.
    """

    cap: Capture
    recording: Path
    ts: TimeSeries
    result: ReceiverResult
    detectors: tuple[str, ...]
    notes: tuple[str, ...]
    stated_v: float | None = None
    channel: str = ""
    number: int = 1

    @property
    def band(self) -> str:
        """The band as printed: ``C/D`` for the key ``CD``."""
        from ..receiver.describe import band_label

        return band_label(self.result.band)

    @property
    def scale(self) -> str:
        """The scale the levels rest on, in one cell (:func:`rfcheck.io.iq_scale.scale_cell`)."""
        from ..io.iq_scale import scale_cell

        return scale_cell(self.cap.metadata, self.stated_v) or "levels in the file's unit"

    @property
    def centre_hz(self) -> float | None:
        """The I/Q or envelope centre frequency [Hz]; None for real samples."""
        if self.ts.kind is SampleKind.REAL or not math.isfinite(self.ts.center_freq_hz):
            return None
        return float(self.ts.center_freq_hz)

    @property
    def observed_s(self) -> tuple[float, float] | None:
        """The span the detectors read in full [s] (:attr:`ReceiverResult.observed`)."""
        span = self.result.observed
        return None if span is None else (span.start_s, span.stop_s)


def _rounded(values: NDArray[np.float64]) -> list[float | None]:
    return [
        round(float(v), 2) if math.isfinite(v) else None for v in np.asarray(values, dtype=float)
    ]


def _column(detector: str) -> str:
    return detector.replace("-", "_")


def _series_text(run: Run) -> str:
    """``channel 2``; a capture segment's series by its name (``Segment 2``)."""
    name = run.ts.name
    if name.startswith("Segment ") or ", segment " in name:
        return f"{name} (--channel {run.number})"
    return f"channel {run.number}"


def _setup_text(run: Run) -> str:
    """Return the text header's second line: record, rate, centre, observed span, scale."""
    ts = run.ts
    centre = f", centre {format_hz(run.centre_hz, digits=10)}" if run.centre_hz else ""
    kind = "I/Q" if ts.kind is SampleKind.IQ else ts.kind.value
    span = run.result.observed
    seen = f"; detectors read events in {span_text(span)}" if span is not None else ""
    return (
        f"# {kind} record {ts.duration_s:.6g} s at {_rate_text(ts.sample_rate_hz)}"
        f"{centre}, {_series_text(run)}{seen}; scale: {run.scale}"
    )


def _rate_text(fs_hz: float) -> str:
    """Return a sample rate as ``500 kS/s``."""
    return format_hz(fs_hz, digits=10).replace("Hz", "S/s")


def emit_text(run: Run) -> None:
    """Print the readings as a table under two header lines saying how they were made."""
    result, detectors = run.result, list(run.detectors)
    path = printable(run.recording)
    where = f"{path} [{printable(run.channel)}]" if run.channel else path
    echo(f"# {where}: band {run.band}, RBW {result.rbw_hz / 1e3:g} kHz, levels in dBµV")
    echo(printable(_setup_text(run)))
    lower = [result.bound(d) is Bound.LOWER for d in detectors]
    widths = [max(len(d), 8) + (2 if low else 0) for d, low in zip(detectors, lower, strict=True)]
    echo(
        f"{'frequency [MHz]':>16}  "
        + "  ".join(f"{d:>{w}}" for d, w in zip(detectors, widths, strict=True))
    )
    readings = [np.asarray(result.readings_dbuv[d], dtype=float) for d in detectors]
    for i, f in enumerate(np.asarray(result.frequencies_hz, dtype=float)):
        cells = [
            f"{(_LOWER_MARK + ' ' if low else '') + format(r[i], '.2f'):>{w}}"
            if math.isfinite(r[i])
            else f"{'-':>{w}}"
            for r, w, low in zip(readings, widths, lower, strict=True)
        ]
        echo(f"{f / 1e6:>16.6f}  " + "  ".join(cells))
    if any(lower):
        low_ones = [d for d, low in zip(detectors, lower, strict=True) if low]
        echo(
            f"# {_LOWER_MARK}: {Bound.LOWER.value} ({', '.join(low_ones)}): "
            f"{_why_lower(result, low_ones)}; "
            "the true reading may be higher"
        )
    for note in _scale_warnings(run):
        echo(f"# warning: {printable(note)}")


def _why_lower(result: ReceiverResult, detectors: Sequence[str]) -> str:
    """Say why readings are lower bounds: clipping, an edge event, a cut signal, a short record.

    ``detectors``: those whose readings are lower bounds; a short record is named only when
    one of them needs a longer one (``settling_time_s``).
    """
    whys = []
    if result.clipped_samples:
        whys.append("the recording is clipped at its integer full scale")
    if result.edge_warnings:
        whys.append("an event lies in an edge span the detectors do not read in full")
    where = {w for _, w, _ in result.meter_warnings}
    if "start" in where:
        whys.append("a signal already on at the record's start was gone later (see warnings)")
    if "end" in where:
        whys.append("a meter was still rising at the record's end (see warnings)")
    spec = get_band(result.band)
    if any(result.duration_s < settling_time_s(spec, d) for d in detectors):
        whys.append(
            f"the record ({result.duration_s:.3g} s) is shorter than the detector needs to settle"
        )
    return " and ".join(whys)


def _scale_warnings(run: Run) -> list[str]:
    """Return the run's warnings about the scale (the default 1 V per sample value)."""
    return [n for n in run.notes if n.startswith("samples taken as volts")]


#: Columns after the readings and bounds, on every row (appended: earlier columns keep place).
SETUP_COLUMNS = (
    "band",
    "rbw_hz",
    "record_s",
    "sample_rate_hz",
    "center_freq_hz",
    "observed_from_s",
    "observed_to_s",
    "path",
    "sha256",
    "scale",
    "warnings",
    "data_sha256",
)


def _setup_cells(run: Run) -> list[Any]:
    from ..report.csv_cells import csv_cell

    prov = run.cap.provenance
    seen = run.observed_s
    values: list[Any] = [
        run.band,
        float(run.result.rbw_hz),
        round(run.ts.duration_s, 9),
        float(run.ts.sample_rate_hz),
        run.centre_hz,
        round(seen[0], 9) if seen else None,
        round(seen[1], 9) if seen else None,
        prov.path if prov else str(run.recording),
        prov.sha256 if prov else None,
        run.scale,
        "; ".join(run.notes),
        ";".join(h for _, h in prov.companions) if prov else None,
    ]
    return [csv_cell(v) for v in values]


def emit_csv(run: Run) -> None:
    """Print the readings as CSV: frequency, a reading and a bound column per detector, setup.

    The setup columns (:data:`SETUP_COLUMNS`: band, RBW, record, rate, centre, observed span,
    file, SHA-256, scale, warnings, the data files' SHA-256) repeat on every row, as the file
    and scale columns of ``check``'s CSV do. ``channel``: the measured channel of a
    multi-channel recording, in a last ``channel`` column (left out otherwise, as the JSON
    key), so the CSVs of two channels differ in their data, not only on stderr.
    """
    from ..report.csv_cells import csv_cell

    result, detectors = run.result, run.detectors
    cols = ["frequency_hz"] + [_column(d) + "_dbuv" for d in detectors]
    cols += [_column(d) + "_bound" for d in detectors]  # appended: earlier columns keep place
    cols += SETUP_COLUMNS
    tail = _setup_cells(run) + ([csv_cell(run.channel)] if run.channel else [])
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(cols + (["channel"] if run.channel else []))
    readings = [np.asarray(result.readings_dbuv[d], dtype=float) for d in detectors]
    bounds = [result.bound(d).value for d in detectors]
    for i, f in enumerate(np.asarray(result.frequencies_hz, dtype=float)):
        cells = [f"{r[i]:.2f}" if math.isfinite(r[i]) else "" for r in readings]
        writer.writerow([f"{f:.3f}", *cells, *bounds, *tail])
    echo(buf.getvalue(), nl=False)


def emit_json(run: Run) -> None:
    """Print the readings as JSON: the file and its SHA-256, the set-up, readings, bounds.

    Keys in ``docs/receiver.md`` ("What each output states"). ``channel``: the measured
    channel's name in a multi-channel recording (key left out otherwise);
    ``channel_number`` is always there.
    """
    result, prov = run.result, run.cap.provenance
    seen = run.observed_s
    doc: dict[str, Any] = {
        "path": prov.path if prov else str(run.recording),
        "sha256": prov.sha256 if prov else None,
        "companions": [{"path": c, "sha256": h} for c, h in prov.companions] if prov else [],
        **({"channel": run.channel} if run.channel else {}),
        "channel_number": run.number,
        "band": run.band,
        "rbw_hz": float(result.rbw_hz),
        "sample_kind": run.ts.kind.value,
        "record_s": run.ts.duration_s,
        "sample_rate_hz": float(run.ts.sample_rate_hz),
        "center_freq_hz": run.centre_hz,
        "observed_span_s": [seen[0], seen[1]] if seen else None,
        "scale": run.scale,
        "volts_per_unit": float(run.ts.volts_per_unit),
        "frequencies_hz": [round_hz(f) for f in np.asarray(result.frequencies_hz, dtype=float)],
    }
    for det in run.detectors:
        doc[det] = _rounded(result.readings_dbuv[det])
    # what each detector's readings are ("measured" / "lower bound"), per detector
    doc["bound"] = {det: result.bound(det).value for det in run.detectors}
    doc["warnings"] = list(run.notes)
    echo(json_safe(json.dumps(doc, indent=2, ensure_ascii=False)))
