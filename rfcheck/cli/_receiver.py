"""``rfcheck receiver``: CISPR 16-1-1 detector readings computed from a time-domain recording.

Reads an I/Q or real-sample recording (SigMF, R&S iq-tar, ...), applies the CISPR band's
RBW and the peak / quasi-peak / CISPR-average / RMS-average detectors at a list of
frequencies (:func:`rfcheck.receiver.measure`) and prints the readings in dBµV.
Data goes to stdout; warnings (e.g. a record too short for the detectors to settle) go to
stderr and into the JSON ``warnings``. Each reading also says what it is in the output
itself: ``measured``, or ``lower bound`` when the record is shorter than its detector's
settling time (CSV ``<detector>_bound`` columns, JSON ``bound``, text ``≥`` prefix).

Exit codes: 0 ok, 2 usage error, 3 the recording could not be read or measured.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click
import numpy as np
from numpy.typing import NDArray

from ..capture import Capture, SampleKind, TimeSeries, parse_detector
from ..errors import ReceiverError
from ..frequency import HZ_DECIMALS, format_hz, parse_frequency
from ..textsafe import printable
from ._common import FREQUENCY, INPUT_PATH, POSITIVE_FREQUENCY, echo, handle_errors, output_option

__all__ = ["receiver_cmd", "FREQUENCY", "parse_frequency"]


def _resolve_band(value: str) -> str:
    from ..cispr import BANDS

    key = value.strip().upper().replace("/", "")
    if key not in BANDS:
        raise click.BadParameter(
            f"unknown band {value!r} (known: {', '.join(BANDS)})", param_hint="'--band'"
        )
    return key


def _resolve_detectors(text: str | None, band: str) -> list[str]:
    from ..cispr import BANDS, DETECTORS

    allowed = [str(d) for d in BANDS[band].detectors]
    if text is None:
        return allowed
    out: list[str] = []
    for item in (t.strip() for t in text.split(",")):
        if not item:
            continue
        det = parse_detector(item)
        name = det.value if det is not None else item.lower()
        if name not in DETECTORS:
            raise click.BadParameter(
                f"unknown detector {item!r} (known: {', '.join(DETECTORS)})",
                param_hint="'--detector'",
            )
        if name not in allowed:
            raise click.BadParameter(
                f"{name} is not defined in band {band} (there: {', '.join(allowed)})",
                param_hint="'--detector'",
            )
        if name not in out:
            out.append(name)
    if not out:
        raise click.BadParameter("no detector given", param_hint="'--detector'")
    return out


def _band_help() -> str:
    """Return the ``--band`` help: every band of the CISPR band table with its range."""
    from ..cispr import BANDS

    def name(key: str) -> str:
        return "C/D (or CD)" if key == "CD" else key

    ranges = ", ".join(
        f"{name(k)} {format_hz(s.f_lo_hz, digits=10)} .. {format_hz(s.f_hi_hz, digits=10)}"
        for k, s in BANDS.items()
    )
    return f"CISPR 16-1-1 band (sets the RBW and detector time constants): {ranges}."


def _check_in_band(band: str, values: Sequence[tuple[str, float]]) -> None:
    """Refuse a frequency outside the band's range (usage error).

    The range ``f_lo .. f_hi`` includes its edges: ``--band B --stop 30M`` is the usual end of a
    conducted scan.
    """
    from ..cispr import BANDS

    spec = BANDS[band]
    for option, f in values:
        if not spec.f_lo_hz <= f <= spec.f_hi_hz:
            raise click.BadParameter(
                f"{format_hz(f, digits=10)} is outside band {band} "
                f"({format_hz(spec.f_lo_hz, digits=10)} .. {format_hz(spec.f_hi_hz, digits=10)}); "
                "choose the band that holds it (see --help)",
                param_hint=f"'{option}'",
            )


def _rbw_hz(band: str) -> float:
    from ..cispr import BANDS

    return float(BANDS[band].rbw_hz)


def _apply_overrides(
    cap: Capture,
    ts: TimeSeries,
    volts_per_unit: float | None,
    center_freq: float | None,
    notes: list[str],
) -> TimeSeries:
    """Apply ``--volts-per-unit`` / ``--center-freq`` with :func:`dataclasses.replace`."""
    from ..io.iq_scale import DEFAULT_SOURCE, FIELD_KEY, SOURCE_KEY, scale_unit

    changes: dict[str, Any] = {}
    if volts_per_unit is not None:
        unit_scale = float(cap.metadata.get("sample_unit_scale", "1"))
        new = volts_per_unit * unit_scale
        per = scale_unit(cap.metadata)
        if (
            not math.isclose(new, ts.volts_per_unit, rel_tol=1e-9)
            and cap.metadata.get(SOURCE_KEY, "file") != DEFAULT_SOURCE
        ):
            field = cap.metadata.get(FIELD_KEY, "the file's scale")
            notes.append(
                f"--volts-per-unit {volts_per_unit:g} V per {per} overrides the file's {field} "
                f"({ts.volts_per_unit / unit_scale:g} V per {per})"
            )
        changes["volts_per_unit"] = new
    if center_freq is not None:
        if ts.kind is not SampleKind.IQ:
            raise click.BadParameter(
                f"applies to I/Q recordings only; this one holds {ts.kind.value} samples",
                param_hint="'--center-freq'",
            )
        if math.isfinite(ts.center_freq_hz) and not math.isclose(center_freq, ts.center_freq_hz):
            notes.append(
                f"--center-freq {format_hz(center_freq, digits=10)} overrides the file's "
                f"{format_hz(ts.center_freq_hz, digits=10)}"
            )
        changes["center_freq_hz"] = center_freq
    return dataclasses.replace(ts, **changes) if changes else ts


def _frequencies(
    ts: TimeSeries,
    band: str,
    freqs: Sequence[float],
    start: float | None,
    stop: float | None,
    step: float | None,
) -> NDArray[np.float64]:
    """Frequencies to measure [Hz]."""
    from ..receiver import default_frequencies

    if freqs:
        if start is not None or stop is not None:
            raise click.UsageError("give either --freq or --start/--stop, not both")
        _check_in_band(band, [("--freq", f) for f in freqs])
        return np.asarray(sorted(set(freqs)), dtype=np.float64)
    if (start is None) != (stop is None):
        raise click.UsageError("--start and --stop go together")
    if step is not None and step <= 0:
        raise click.BadParameter("must be > 0 Hz", param_hint="'--step'")
    if start is None or stop is None:
        _check_count(band, ts.band_hz, step)
        grid = np.asarray(default_frequencies(ts, band, step_hz=step), dtype=np.float64)
        if grid.size == 0:  # outside the band, or too narrow for its B6
            from ..receiver import BANDS
            from ..receiver.tuning import empty_scan_message

            raise ReceiverError(empty_scan_message(ts, BANDS[band]))
        return grid
    if stop < start:
        raise click.BadParameter(
            f"--stop {format_hz(stop, digits=10)} is below --start {format_hz(start, digits=10)}",
            param_hint="'--stop'",
        )
    _check_in_band(band, [("--start", start), ("--stop", stop)])
    if step is None:
        step = _rbw_hz(band) / 2.0
    _check_count(band, (start, stop), step)
    n = int(math.floor((stop - start) / step + 1e-9)) + 1
    return np.round(start + step * np.arange(n, dtype=np.float64), HZ_DECIMALS)


def _check_count(band: str, span_hz: tuple[float, float], step: float | None) -> None:
    """Refuse a frequency step that gives too many frequencies (usage error, exit 2).

    Usage error (exit 2) before anything is allocated when ``step`` over the span (the recording's
    band within ``band``) gives more than ``MAX_FREQUENCIES`` frequencies.
    """
    from ..receiver import BANDS
    from ..receiver.capacity import MAX_FREQUENCIES, check_frequency_count

    spec = BANDS[band]
    lo, hi = max(span_hz[0], spec.f_lo_hz), min(span_hz[1], spec.f_hi_hz)
    step = _rbw_hz(band) / 2.0 if step is None else step
    count = (hi - lo) / step + 1 if hi >= lo else 0.0
    try:
        check_frequency_count(
            count,
            f"step {format_hz(step, digits=10)} from {format_hz(lo, digits=10)} "
            f"to {format_hz(hi, digits=10)}",
        )
    except ReceiverError as err:
        smallest = (hi - lo) / (MAX_FREQUENCIES - 1)
        raise click.BadParameter(
            f"{err.message} (here: a step of at least {format_hz(smallest, digits=10)})",
            param_hint="'--step'",
        ) from None


@click.command("receiver")
@click.argument("recording", type=INPUT_PATH)
@click.option(
    "--band",
    "band_name",
    required=True,
    metavar="BAND",
    help=_band_help(),
)
@click.option(
    "--freq",
    "freqs",
    type=FREQUENCY,
    multiple=True,
    help="Frequency to measure (repeatable); accepts 150k, 1.5M, 1G. [Hz]",
)
@click.option("--start", type=FREQUENCY, help="First frequency of a stepped scan. [Hz]")
@click.option("--stop", type=FREQUENCY, help="Last frequency of a stepped scan. [Hz]")
@click.option("--step", type=FREQUENCY, help="Scan step; default half the band's RBW. [Hz]")
@click.option(
    "--detector",
    "detector_text",
    metavar="LIST",
    help="Comma-separated detectors: peak, quasi-peak, cispr-average, rms-average "
    "(aliases pk, qp, cav, rms-avg...); default all the band defines.",
)
@click.option(
    "--volts-per-unit",
    type=click.FloatRange(min=0, min_open=True),
    help="Scale of the samples, replacing the file's: volts at the receiver input per FULL "
    "SCALE for integer SigMF samples (the SigMF convention n/2^(bits-1): 0.02 reads a "
    "half-scale int16 sample as 0.01 V), per raw COUNT for iq-tar samples (as its "
    "<ScalingFactor>), per sample value 1.0 for float samples. [V]",
)
@click.option(
    "--center-freq",
    type=POSITIVE_FREQUENCY,
    help="Centre frequency of an I/Q recording whose file does not state it. [Hz]",
)
@click.option(
    "--channel",
    type=click.IntRange(min=1),
    metavar="N",
    help="Channel of a multi-channel recording to measure, counting from 1 (SigMF channel "
    "index 0 is channel 1; iq-tar 'Channel N' is N); default channel 1, with a warning "
    "naming the others.",
)
@click.option(
    "--format", "fmt", metavar="NAME", help="Reader to use (skip detection); see 'rfcheck formats'."
)
@output_option("text", "json", "csv")
@handle_errors
def receiver_cmd(
    recording: Path,
    band_name: str,
    freqs: tuple[float, ...],
    start: float | None,
    stop: float | None,
    step: float | None,
    detector_text: str | None,
    volts_per_unit: float | None,
    center_freq: float | None,
    channel: int | None,
    fmt: str | None,
    output_format: str,
) -> None:
    """Compute CISPR detector readings [dBµV] from the time-domain RECORDING.

    By default every frequency of the recording's band that lies in BAND is measured, in
    steps of half the RBW. Exit code 0 ok, 2 usage error, 3 unreadable recording or a
    recording the receiver cannot process (e.g. I/Q without a centre frequency).
    """
    band = _resolve_band(band_name)
    detectors = _resolve_detectors(detector_text, band)
    from ..allocator import imports_uncollected
    from ..io import load_capture

    cap = load_capture(recording, fmt)
    notes: list[str] = []
    ts = _recording(cap, recording, _Options(volts_per_unit, center_freq, channel), notes)
    try:
        frequencies = _frequencies(ts, band, freqs, start, stop, step)
        # numba, scipy.fft and numba's first call (its own implementations) make long-lived
        # objects, the computation large arrays and no reference cycles: the collector's
        # full passes over the imports are skipped (rfcheck.allocator)
        with imports_uncollected():
            from ..receiver import measure

            result = measure(ts, band, frequencies, tuple(detectors))
    except ReceiverError as err:
        if err.path is None:  # name the recording in the one-line message
            raise ReceiverError(err.message, recording) from None
        raise
    notes.extend(result.warnings)
    for note in notes:
        echo(f"rfcheck: warning: {printable(note)}", err=True)
    from ._receiver_output import Run, emit_csv, emit_json, emit_text

    run = Run(cap, recording, ts, result, tuple(detectors), tuple(notes), volts_per_unit)
    run = dataclasses.replace(run, channel=_channel_label(cap, ts), number=_number(cap, ts))
    {"json": emit_json, "csv": emit_csv}.get(output_format, emit_text)(run)


@dataclasses.dataclass(frozen=True)
class _Options:
    """The options that choose and adjust the series to measure."""

    volts_per_unit: float | None = None  #: [V]
    center_freq: float | None = None  #: [Hz]
    channel: int | None = None  #: counting from 1


def _number(cap: Capture, ts: TimeSeries) -> int:
    """Return the measured channel's number, counting from 1."""
    return next(i for i, t in enumerate(cap.time_series) if t.samples is ts.samples) + 1


def _channel_label(cap: Capture, ts: TimeSeries) -> str:
    """Return the measured channel's name in a multi-channel recording, else ""."""
    if len(cap.time_series) < 2:
        return ""
    index = next(i for i, t in enumerate(cap.time_series) if t.samples is ts.samples)
    return ts.name or f"Channel {index + 1}"


def _pick_channel(
    cap: Capture, recording: Path, channel: int | None, notes: list[str]
) -> TimeSeries:
    """Return the series ``--channel`` names (counting from 1); channel 1 with a note by default.

    Raises
    ------
    ReceiverError
        ``--channel`` beyond the recording's channels: found by reading it (exit 3, one line
        naming the file; exit 2 is for a usage error found before any input is read).
    """
    n = len(cap.time_series)
    # a SigMF recording of several capture segments: one series per segment (and channel)
    segmented = any(
        ts.name.startswith("Segment ") or ", segment " in ts.name for ts in cap.time_series
    )
    what = "series" if n > 1 and segmented else ""
    unit = f"time series ({', '.join(ts.name for ts in cap.time_series)})" if what else "channel"
    if channel is not None and channel > n:
        raise ReceiverError(
            f"--channel {channel}: the recording holds {n} {unit if what else 'channel'}"
            + ("s" if n > 1 and not what else "")
            + (f" (--channel 1 .. --channel {n})" if n > 1 else " (--channel 1)"),
            recording,
        )
    if n > 1 and channel is None:
        others = "--channel 2" if n == 2 else f"--channel 2 .. --channel {n}"
        first = cap.time_series[0].name if what else "channel 1"
        notes.append(
            f"recording holds {n} {unit if what else 'channels'}; {first} is measured: give "
            f"{others} to measure the other{'s' if n > 2 else ''} (rfcheck check judges every "
            f"{'one' if what else 'channel'})"
        )
    return cap.time_series[(channel or 1) - 1]


def _recording(cap: Capture, recording: Path, opts: _Options, notes: list[str]) -> TimeSeries:
    """Return the recording to measure, with the options applied; its notes go to ``notes``.

    Raises
    ------
    ReceiverError
        The file holds no time-domain recording, no channel ``--channel``, or an I/Q one
        without a centre frequency.
    """
    if not cap.time_series:
        raise ReceiverError(
            "no time-domain recording in this file (it holds swept traces); the receiver needs "
            "I/Q or real samples",
            recording,
        )
    if opts.center_freq is None:
        notes.extend(cap.warnings)
    else:  # the centre is stated: the reader's "unknown centre" note no longer holds
        from ..io.iq_centre import without_unknown_centre_notes

        notes.extend(without_unknown_centre_notes(cap.warnings))
    picked = _pick_channel(cap, recording, opts.channel, notes)
    if opts.volts_per_unit is None:
        from ..io.iq_scale import scale_notes

        notes.extend(scale_notes(cap.metadata, "--volts-per-unit"))
    ts = _apply_overrides(cap, picked, opts.volts_per_unit, opts.center_freq, notes)
    if ts.kind is SampleKind.IQ and not math.isfinite(ts.center_freq_hz):
        from ..io.iq_centre import unknown_centre_reason
        from ..receiver.samples import unknown_centre_message

        why = unknown_centre_reason(cap.warnings)
        raise ReceiverError(unknown_centre_message(why, "--center-freq"), recording)
    return ts
