"""Measure a recording like a CISPR 16-1-1 receiver: channelise, detect, report.

IQ convention: the RF voltage is ``Re{ iq(t) · e^{j2π f_c t} } · volts_per_unit``, so a
tone of IQ magnitude ``A`` is an RF sine of crest ``A`` volts and reads ``A/√2`` V rms.
REAL samples are the RF voltage itself (``× volts_per_unit``). ENVELOPE series are
zero-span levels already through an IF filter (``ts.rbw_hz``) at ``center_freq_hz``: their
level (dBµV/dBm/V, rms-calibrated) is converted back to the IF envelope and only the
detectors run.

Record edges: only IF output samples whose IF window (``if_duration_s(B6)``, the span where
the Gaussian response is above 1e-7 of its peak) lies wholly inside the record are detected
(:meth:`~rfcheck.receiver.ifilter.Channeliser.settled_outputs`). The record's start and end
otherwise act as a switch-on/off step that splatters a strong carrier into channels several
B6 away (60 dBµV CW, Band B, 1/2/5 B6 off: peak 47.0/39.1/31.4 dBµV instead of the IF's
35.9 dBµV and < -50 dBµV). The detectors and meters start from rest at the first settled
output, like a receiver tuned to a signal that is already present; the record is shorter
by ``if_duration_s(B6)`` (Band B 0.47 ms), which :func:`settling_time_s` already counts.

Input checks: every block is checked for NaN/Inf as it is read (ReceiverError naming the
first bad sample); an all-zero IQ/REAL record reads -inf dBµV ("no signal") with a warning.

References
----------
CISPR 16-1-1 (measuring receiver); docs/references.md §4 (receiver constants), §5 (dwell), §7.
"""

from __future__ import annotations

import math
import mmap
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..capture import Detector, SampleKind, TimeSeries, Trace
from ..cispr import BANDS, DETECTORS, BandSpec, get_band
from ..errors import ReceiverError
from ..units import LevelUnit, dbuv_to_volts, to_dbuv_like, volts_to_dbuv
from .capacity import check_frequency_count
from .detectors import (
    CisprAverageDetector,
    PeakDetector,
    QuasiPeakDetector,
    RmsAverageDetector,
    push_all,
)
from .ifilter import Channeliser, if_duration_s

__all__ = [
    "ReceiverResult",
    "default_frequencies",
    "measure",
    "scan_traces",
    "settling_time_s",
]

#: QP charge law per band. Bands B-D: conduction-angle (diode on the IF sine) law, which
#: meets every docs/references.md §4c row and the Band B / C-D reference-pulse calibration.
#: Band A: every §4c row and the 13.5 µVs reference area are UNCONFIRMED, and that area is
#: only consistent (60.0 dBµV) with the linear law of docs/references.md §8b (the diode law reads
#: 57.4 dBµV and misses the 1 Hz / isolated rows by 1.8-2.0 dB), so Band A keeps it.
_QP_LAW = {"A": "linear"}

#: Default number of input samples handed to the channeliser at once.
_DEFAULT_BLOCK_SAMPLES = 1 << 22


@dataclass(frozen=True, eq=False)
class ReceiverResult:
    """Detector readings of one band.

    Attributes
    ----------
    band : str
        CISPR band name.
    rbw_hz : float
        Measurement bandwidth B6 used. [Hz]
    frequencies_hz : ndarray
        Tuned frequencies. [Hz]
    readings_dbuv : dict of str to ndarray
        Reading per detector name, same length as ``frequencies_hz``. [dBµV]
    warnings : tuple of str
        Non-fatal findings (record too short to settle, frequencies near the recording edge
        or outside the band, an all-zero recording).
    duration_s : float
        Record length used. [s]
    """

    band: str
    rbw_hz: float
    frequencies_hz: NDArray[np.float64]
    readings_dbuv: dict[str, NDArray[np.float64]]
    warnings: tuple[str, ...]
    duration_s: float


def settling_time_s(spec: BandSpec, detector: str) -> float:
    """Return the minimum record length for a settled reading of ``detector`` in ``spec``'s band.

    * peak: the IF impulse response, ``if_duration_s(B6)`` (≈ 11.4 σ_t).
    * CISPR-average: ``7 τ_M`` — the critically damped step response
      ``1 - (1 + t/τ_M) e^{-t/τ_M}`` is within 0.1 dB of its final value after 6.6 τ_M.
    * RMS-average: ``7 τ_M + 5 T_rms`` (``T_rms = 1/(4 f_c)``).
    * quasi-peak: ``5 τ_C + 7 τ_M + 3 τ_D`` — the charge settles in a few τ_C, the meter
      needs 7 τ_M for 0.1 dB, and a low-PRF pulse train builds its detector level up over
      ≈ 3 τ_D (Band B 1.61 s, Bands C/D 2.36 s, Band A 2.85 s; compare the ≥ 1 s QP dwell
      R&S recommends for PRFs down to 5 Hz, docs/references.md §5).

    Returns
    -------
    float
        Minimum record length. [s]

    References
    ----------
    CISPR 16-1-1 §3.4-3.6 (time-constant definitions); docs/references.md §5 (dwell times).
    """
    t_if = if_duration_s(spec.rbw_hz)
    if detector == "peak":
        return t_if
    if detector == "cispr-average":
        return t_if + 7 * spec.tau_meter_s
    if detector == "rms-average":
        return t_if + 7 * spec.tau_meter_s + 5 / (4 * spec.rms_corner_hz)
    if detector == "quasi-peak":
        return t_if + 5 * spec.tau_charge_s + 7 * spec.tau_meter_s + 3 * spec.tau_discharge_s
    raise ReceiverError(f"unknown detector {detector!r} (known: {', '.join(DETECTORS)})")


def _check_detectors(spec: BandSpec, detectors: Iterable[str]) -> tuple[str, ...]:
    dets = tuple(str(d.value if isinstance(d, Detector) else d) for d in detectors)
    if not dets:
        raise ReceiverError("no detector requested")
    for d in dets:
        if d not in DETECTORS:
            raise ReceiverError(f"unknown detector {d!r} (known: {', '.join(DETECTORS)})")
        if d not in spec.detectors:
            raise ReceiverError(f"detector {d!r} is not defined in CISPR band {spec.name}")
    return dets


def _usable_range(ts: TimeSeries, spec: BandSpec) -> tuple[float, float]:
    lo, hi = ts.band_hz
    margin = spec.rbw_hz
    if ts.kind is SampleKind.IQ:
        lo, hi = lo + margin, hi - margin
    elif ts.kind is SampleKind.REAL:
        hi = hi - margin
    return max(lo, spec.f_lo_hz), min(hi, spec.f_hi_hz)


def default_frequencies(
    ts: TimeSeries, band: str, step_hz: float | None = None
) -> NDArray[np.float64]:
    """Frequencies a scan of ``band`` visits in this recording.

    Parameters
    ----------
    ts : TimeSeries
    band : str
        CISPR band name.
    step_hz : float, optional
        Step; default B6/2 (two points per RBW, Keysight default [S]). [Hz]

    Returns
    -------
    ndarray
        ``f_lo + k · step`` within the recording's band (less one B6 at an IQ edge or below
        Nyquist) intersected with ``[f_lo, f_hi)`` of the band; empty when they do not
        overlap. ENVELOPE: the tuned frequency. [Hz]
    """
    spec = get_band(band)
    _check_center(ts)
    if ts.kind is SampleKind.ENVELOPE:
        return np.array([float(ts.center_freq_hz)])
    step = spec.rbw_hz / 2.0 if step_hz is None else float(step_hz)
    if not step > 0:
        raise ReceiverError(f"frequency step must be positive, got {step_hz!r}")
    lo, hi = _usable_range(ts, spec)
    if hi < lo:
        return np.empty(0)
    k0 = math.ceil((lo - spec.f_lo_hz) / step - 1e-9)
    k1 = math.floor((hi - spec.f_lo_hz) / step + 1e-9)
    check_frequency_count(k1 - k0 + 1, f"step {step:g} Hz in band {band}")
    f = spec.f_lo_hz + step * np.arange(k0, k1 + 1, dtype=float)
    return f[(f >= lo) & (f < spec.f_hi_hz) & (f <= hi)]


def _envelope_volts(ts: TimeSeries, x: NDArray[np.generic]) -> NDArray[np.float64]:
    if ts.unit is None:
        raise ReceiverError("ENVELOPE series has no level unit; cannot convert to volts")
    lvl, unit = to_dbuv_like(np.asarray(x, dtype=float), ts.unit)
    if unit is not LevelUnit.DBUV:
        raise ReceiverError(f"ENVELOPE unit {ts.unit.value} is not a voltage level")
    return dbuv_to_volts(lvl) * math.sqrt(2.0)


def _drop_mapped_pages(samples: object, start: int, stop: int) -> None:
    """Unmap the pages of a read-only memmap that ``samples[start:stop]`` spans.

    Pages of a file mapping that were read stay in the process's resident set until the
    kernel needs the memory, so a long recording would show an RSS the size of the file.
    ``MADV_DONTNEED`` on a shared read-only mapping only drops them from this process (they
    stay in the page cache; a later read faults them back in), keeping RSS bounded. Anything
    other than a read-only :class:`numpy.memmap` is left alone.
    """
    mm = getattr(samples, "_mmap", None)
    if (
        mm is None
        or getattr(samples, "mode", None) != "r"
        or not hasattr(mmap, "MADV_DONTNEED")
        or not isinstance(samples, np.ndarray)
    ):
        return
    part = samples[start:stop]
    if part.size == 0 or min(part.strides, default=1) < 0:
        return
    try:
        base = np.frombuffer(mm, dtype=np.uint8).ctypes.data
        lo = part.ctypes.data - base
        hi = lo + sum((n - 1) * st for n, st in zip(part.shape, part.strides, strict=True))
        hi += part.itemsize
        lo -= lo % mmap.PAGESIZE
        if 0 <= lo < hi <= len(mm):
            mm.madvise(mmap.MADV_DONTNEED, lo, hi - lo)
    except (OSError, ValueError, BufferError, TypeError):
        return


def _check_center(ts: TimeSeries) -> None:
    """ReceiverError for an I/Q or envelope recording whose centre frequency is unknown."""
    if ts.kind is not SampleKind.REAL and not math.isfinite(ts.center_freq_hz):
        raise ReceiverError(
            "the I/Q recording's centre frequency is unknown (the file states none); "
            "state it with rfcheck receiver --center-freq"
        )


def _check_input(ts: TimeSeries, block_s: float | None) -> None:
    """ReceiverError for a sample array, scale or block length the receiver cannot use."""
    _check_center(ts)
    if block_s is not None and not (math.isfinite(block_s) and block_s > 0):
        raise ReceiverError(f"block_s must be a positive number of seconds, got {block_s!r}")
    samples = ts.samples
    shape = getattr(samples, "shape", None)
    if shape is None or len(shape) != 1:
        raise ReceiverError(f"{ts.kind.name} samples must be a 1-D array, got shape {shape}")
    if ts.kind is SampleKind.ENVELOPE:
        return
    vpu = ts.volts_per_unit
    if not (isinstance(vpu, (int, float, np.number)) and math.isfinite(vpu) and vpu > 0):
        raise ReceiverError(f"volts_per_unit must be a positive finite number, got {vpu!r}")
    dt = np.dtype(samples.dtype)
    if ts.kind is SampleKind.IQ and dt.kind != "c":
        raise ReceiverError(f"IQ samples must be a 1-D complex array (I + jQ), got dtype {dt}")
    if ts.kind is SampleKind.REAL and dt.kind not in "iuf":
        raise ReceiverError(f"REAL samples must be a 1-D real array, got dtype {dt}")


#: Largest sample magnitude the receiver accepts, in the recording's own units (volts after
#: ``volts_per_unit``, 1e12 V is 360 dBµV): beyond it the single-precision envelope and power
#: arithmetic overflow, and every detector would read NaN. [unit of the samples]
MAX_SAMPLE_MAGNITUDE = 1e12


def _check_block(x: NDArray[np.generic], start: int) -> None:
    """Raise ReceiverError at the first NaN/Inf or out-of-range sample of block ``x``.

    ``start`` is the index of the block's first sample in the recording.
    """
    if x.dtype.kind not in "fc" or not x.shape[0]:
        return
    with np.errstate(all="ignore"):
        peak = float(np.max(np.abs(x)))
    if not math.isfinite(peak):
        bad = np.flatnonzero(~np.isfinite(x))
        i = start + int(bad[0]) if bad.shape[0] else start
        value = x[bad[0]] if bad.shape[0] else peak
        raise ReceiverError(
            f"sample {i} of the recording is not finite ({value}); "
            "the receiver cannot read a record with NaN/Inf samples"
        )
    if peak > MAX_SAMPLE_MAGNITUDE:
        i = start + int(np.argmax(np.abs(x)))
        raise ReceiverError(
            f"sample {i} of the recording has magnitude {peak:.3g}, above the "
            f"{MAX_SAMPLE_MAGNITUDE:.0e} the receiver computes with (state the scale with "
            "volts_per_unit)"
        )


def measure(
    ts: TimeSeries,
    band: str,
    frequencies_hz: ArrayLike | None = None,
    detectors: Sequence[str] = DETECTORS,
    *,
    block_s: float | None = None,
    precision: str = "single",
    backend: str | None = None,
    strict_band: bool = False,
) -> ReceiverResult:
    """Detector readings of a recording at chosen frequencies of one CISPR band.

    Parameters
    ----------
    ts : TimeSeries
        IQ, REAL or ENVELOPE recording; ``samples`` may be a memmap of any length.
    band : str
        CISPR band whose bandwidth and time constants apply (``"A"``, ``"B"``, ``"C"``,
        ``"D"``, ``"CD"``, ``"E"``).
    frequencies_hz : array_like, optional
        Tuned frequencies; default :func:`default_frequencies`. [Hz]
    detectors : sequence of str
        Any of ``"peak"``, ``"quasi-peak"``, ``"cispr-average"``, ``"rms-average"``.
    block_s : float, optional
        Input block length per processing step; readings do not depend on it. [s]
    precision : {"single", "double"}
        Arithmetic of the channeliser FFTs; single precision reads within 0.001 dB of
        double (see :class:`~rfcheck.receiver.ifilter.Channeliser`).
    backend : {"numba", "numpy"}, optional
        Detector implementation (see :mod:`rfcheck.receiver.detectors`); default numba
        when it is importable. Both read the same within 0.01 dB.
    strict_band : bool
        True: a frequency outside the band (``f_lo .. f_hi``, edges included) is a
        ReceiverError, as in the CLI. False (default, kept so a band's constants can be
        applied off-band, e.g. Band A/C-D test signals at 1 MHz): it is measured and named in
        a warning.

    Returns
    -------
    ReceiverResult
        Readings in dBµV at the receiver input (maximum meter indication over the record).

    Raises
    ------
    ReceiverError
        Unknown band/detector, frequencies outside the band (``strict_band``) or the
        recording, empty recording or one shorter than the IF response, NaN/Inf samples,
        a non-positive ``block_s`` or ``volts_per_unit``, IQ samples that are not 1-D
        complex.
    """
    spec = get_band(band)
    dets = _check_detectors(spec, detectors)
    _check_input(ts, block_s)
    fs = float(ts.sample_rate_hz)
    if not (fs > 0 and math.isfinite(fs)):
        raise ReceiverError(f"sample rate must be positive, got {ts.sample_rate_hz!r}")
    if ts.n_samples == 0:
        raise ReceiverError("empty recording")
    warnings: list[str] = []
    freqs = _tuned_frequencies(ts, spec, frequencies_hz, strict_band, warnings)
    duration = ts.n_samples / fs
    if freqs.shape[0] == 0:
        empty = {d: np.empty(0) for d in dets}
        return ReceiverResult(
            spec.name,
            spec.rbw_hz,
            freqs,
            empty,
            ("no frequencies of this band lie in the recording",),
            duration,
        )
    front = _front_end(ts, spec, freqs, precision, warnings)
    bank = _detector_bank(dets, freqs.shape[0], front.rate_hz, spec, backend)
    nonzero = _stream(ts, front, bank, block_s)
    readings = {d: volts_to_dbuv(bank[d].reading()) for d in dets}
    if front.chan is not None and not nonzero:
        warnings.append("recording is all zeros; readings are -inf dBµV (no signal)")
    warnings += _settling_warnings(spec, dets, duration)
    return ReceiverResult(spec.name, spec.rbw_hz, freqs, readings, tuple(warnings), duration)


def _tuned_frequencies(
    ts: TimeSeries,
    spec: BandSpec,
    frequencies_hz: ArrayLike | None,
    strict_band: bool,
    warnings: list[str],
) -> NDArray[np.float64]:
    """Return the frequencies to tune to [Hz], checked against the band.

    A frequency outside the band gives a warning or, with ``strict_band``, a ReceiverError.
    """
    if frequencies_hz is None:
        freqs = default_frequencies(ts, spec.name)
    else:
        freqs = np.atleast_1d(np.asarray(frequencies_hz, dtype=float))
    if freqs.ndim != 1 or not np.all(np.isfinite(freqs)):
        raise ReceiverError("frequencies must be a 1-D array of finite values")
    check_frequency_count(freqs.size)
    outside = (freqs < spec.f_lo_hz) | (freqs > spec.f_hi_hz)
    if np.any(outside):
        f_bad = float(freqs[np.flatnonzero(outside)[0]])
        msg = (
            f"{f_bad:.10g} Hz is outside band {spec.name} "
            f"({spec.f_lo_hz:.10g} .. {spec.f_hi_hz:.10g} Hz, edges included)"
        )
        if strict_band:
            raise ReceiverError(msg)
        warnings.append(
            f"{int(outside.sum())} frequencies outside the band, first {msg}; "
            f"band {spec.name}'s bandwidth and time constants are applied there"
        )
    return freqs


@dataclass(frozen=True)
class _FrontEnd:
    """What turns input blocks into detector input.

    The IF channeliser (None for an ENVELOPE series, which is its own detector input), its
    output rate [Hz] and the range of output indices whose IF window lies inside the record.
    """

    chan: Channeliser | None
    rate_hz: float
    settled: tuple[int, int]
    n_channels: int


def _front_end(
    ts: TimeSeries,
    spec: BandSpec,
    freqs: NDArray[np.float64],
    precision: str,
    warnings: list[str],
) -> _FrontEnd:
    """Build the IF stage for ``freqs``; check they lie in the recording, warn near its edge."""
    fs = float(ts.sample_rate_hz)
    if ts.kind is SampleKind.ENVELOPE:
        if not np.allclose(freqs, ts.center_freq_hz):
            raise ReceiverError("an ENVELOPE series can only be read at its tuned frequency")
        if ts.rbw_hz is not None and abs(ts.rbw_hz / spec.rbw_hz - 1) > 0.1:
            warnings.append(
                f"envelope RBW {ts.rbw_hz:g} Hz differs from band {spec.name} "
                f"B6 {spec.rbw_hz:g} Hz; readings are not CISPR-weighted"
            )
        return _FrontEnd(None, fs, (0, 0), freqs.shape[0])
    lo, hi = ts.band_hz
    if np.any(freqs < lo) or np.any(freqs > hi):
        raise ReceiverError(f"frequencies outside the recording's range {lo:g}-{hi:g} Hz")
    near = (freqs < lo + spec.rbw_hz) | (freqs > hi - spec.rbw_hz)
    if ts.kind is SampleKind.REAL:
        near = freqs > hi - spec.rbw_hz
    if np.any(near):
        warnings.append(
            f"{int(near.sum())} frequencies lie within one B6 of the recording's "
            "band edge; their IF response is truncated"
        )
    rel = freqs - (ts.center_freq_hz if ts.kind is SampleKind.IQ else 0.0)
    chan = Channeliser(
        fs,
        ts.kind is SampleKind.REAL,
        rel,
        spec.rbw_hz,
        gain=float(ts.volts_per_unit),
        precision=precision,
    )
    n_total = ts.n_samples
    if n_total - 1 < chan.overlap:
        raise ReceiverError(
            f"record of {n_total} samples is shorter than the IF filter's response, "
            f"{chan.overlap / fs:.3g} s (band {spec.name}, B6 {spec.rbw_hz:g} Hz)"
        )
    return _FrontEnd(chan, chan.out_rate_hz, chan.settled_outputs(n_total), freqs.shape[0])


_Detector = PeakDetector | QuasiPeakDetector | CisprAverageDetector | RmsAverageDetector


def _detector_bank(
    dets: Sequence[str], n_ch: int, rate_hz: float, spec: BandSpec, backend: str | None
) -> dict[str, _Detector]:
    """Return one detector per name, over ``n_ch`` channels.

    The detectors run at the IF output rate ``rate_hz``. [Hz]
    """
    bank: dict[str, _Detector] = {}
    for d in dets:
        if d == "peak":
            bank[d] = PeakDetector(n_ch, backend)
        elif d == "quasi-peak":
            bank[d] = QuasiPeakDetector(
                n_ch,
                rate_hz,
                spec.tau_charge_s,
                spec.tau_discharge_s,
                spec.tau_meter_s,
                _QP_LAW.get(spec.name, "diode"),
                backend,
            )
        elif d == "cispr-average":
            bank[d] = CisprAverageDetector(n_ch, rate_hz, spec.tau_meter_s, backend)
        else:
            bank[d] = RmsAverageDetector(
                n_ch, rate_hz, spec.tau_meter_s, spec.rms_corner_hz, backend
            )
    return bank


def _stream(
    ts: TimeSeries, front: _FrontEnd, bank: Mapping[str, _Detector], block_s: float | None
) -> bool:
    """Push the recording block by block through the front end into every detector.

    Returns True when some sample is non-zero.
    """
    fs = float(ts.sample_rate_hz)
    chan = front.chan
    j_lo, j_hi = front.settled
    n_out = 0  # IF output samples produced so far

    def feed(env: NDArray[np.floating]) -> None:
        nonlocal n_out
        j0 = n_out
        n_out += env.shape[1]
        if chan is not None:  # detect only outputs whose IF window lies inside the record
            env = env[:, max(0, j_lo - j0) : max(0, j_hi - j0)]
        if env.shape[1]:
            push_all(tuple(bank.values()), env)

    block = _DEFAULT_BLOCK_SAMPLES if block_s is None else max(1, int(round(block_s * fs)))
    nonzero = False
    for start in range(0, ts.n_samples, block):
        x = np.asarray(ts.samples[start : start + block])
        _check_block(x, start)
        nonzero = nonzero or bool(np.any(x))
        if chan is None:
            feed(np.broadcast_to(_envelope_volts(ts, x), (front.n_channels, x.shape[0])))
        else:
            feed(chan.push_envelope(x))
        _drop_mapped_pages(ts.samples, start, start + block)
    if chan is not None:
        feed(chan.flush_envelope())
    return nonzero


def _settling_warnings(spec: BandSpec, dets: Sequence[str], duration_s: float) -> list[str]:
    """Return a warning per detector the record (``duration_s`` [s]) is too short to settle."""
    out = []
    for d in dets:
        t_min = settling_time_s(spec, d)
        if duration_s < t_min:
            out.append(
                f"{d}: record {duration_s:.3g} s is shorter than the {t_min:.3g} s "
                f"band {spec.name} needs to settle; the reading may be low"
            )
    return out


_TRACE_DETECTOR = {
    "peak": Detector.PEAK,
    "quasi-peak": Detector.QUASI_PEAK,
    "cispr-average": Detector.CISPR_AVERAGE,
    "rms-average": Detector.RMS_AVERAGE,
}


def scan_traces(
    ts: TimeSeries,
    detectors: Sequence[str] = ("peak", "quasi-peak", "cispr-average"),
    step_hz: float | None = None,
) -> tuple[Trace, ...]:
    """Scan the whole recording band by band; one :class:`Trace` per detector.

    The recording's range is split at the CISPR band edges (A, B, C/D as one band since
    they share constants, E); each part is measured with its band's B6 and time constants
    at :func:`default_frequencies` and the parts are merged in frequency order. A detector
    a band does not define (QP in Band E) is skipped there.

    Parameters
    ----------
    ts : TimeSeries
    detectors : sequence of str
    step_hz : float, optional
        Frequency step for every band; default B6/2 of each band. [Hz]

    Returns
    -------
    tuple of Trace
        Level unit dBµV, ``rbw_hz`` the band's B6 (None when the scan spans bands with
        different B6), ``dwell_s`` the record length.
    """
    dets = tuple(str(d.value if isinstance(d, Detector) else d) for d in detectors)
    parts: dict[str, list[tuple[NDArray[np.float64], NDArray[np.float64]]]] = {d: [] for d in dets}
    rbws: dict[str, set[float]] = {d: set() for d in dets}
    for name in ("A", "B", "CD", "E"):
        spec = BANDS[name]
        freqs = default_frequencies(ts, name, step_hz)
        if freqs.shape[0] == 0:
            continue
        use = tuple(d for d in dets if d in spec.detectors)
        if not use:
            continue
        res = measure(ts, name, freqs, use)
        for d in use:
            parts[d].append((res.frequencies_hz, res.readings_dbuv[d]))
            rbws[d].add(spec.rbw_hz)
    traces = []
    for d in dets:
        if not parts[d]:
            continue
        f = np.concatenate([p[0] for p in parts[d]])
        lv = np.concatenate([p[1] for p in parts[d]])
        order = np.argsort(f, kind="stable")
        rbw = next(iter(rbws[d])) if len(rbws[d]) == 1 else None
        traces.append(
            Trace(
                freq_hz=f[order],
                level=lv[order],
                unit=LevelUnit.DBUV,
                detector=_TRACE_DETECTOR[d],
                name=f"receiver {d}",
                rbw_hz=rbw,
                dwell_s=ts.duration_s,
            )
        )
    return tuple(traces)
