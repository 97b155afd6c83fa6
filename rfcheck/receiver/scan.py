"""Measure a recording like a CISPR 16-1-1 receiver: channelise, detect, report.

IQ convention: the RF voltage is ``Re{ iq(t) · e^{j2π f_c t} } · volts_per_unit``, so a
tone of IQ magnitude ``A`` is an RF sine of crest ``A`` volts and reads ``A/√2`` V rms.
REAL samples are the RF voltage itself (``× volts_per_unit``). ENVELOPE series are
zero-span levels already through an IF filter (``ts.rbw_hz``) at ``center_freq_hz``: their
level (dBµV/dBm/V, rms-calibrated) is converted back to the IF envelope and only the
detectors run.

Record edges: only IF output samples whose IF window (``if_duration_s(B6)``, the span where
the Gaussian response is above 1e-7 of its peak) lies wholly inside the record are detected
(:meth:`~rfcheck.receiver.channeliser.Channeliser.settled_outputs`). The record's start and end
otherwise act as a switch-on/off step that splatters a strong carrier into channels several
B6 away (60 dBµV CW, Band B, 1/2/5 B6 off: peak 47.0/39.1/31.4 dBµV instead of the IF's
35.9 dBµV and < -50 dBµV). The detectors and meters start from rest at the first settled
output, like a receiver tuned to a signal that is already present; the record is shorter
by ``if_duration_s(B6)`` (Band B 0.47 ms), which :func:`settling_time_s` already counts.

So the detectors read in full only the events of the *observed span*, the record less one
IF response at each end; an event in an edge span that the observed span cannot account
for makes every reading a lower bound, with a warning (:mod:`rfcheck.receiver.edges`), and so
does a signal already on at the record's start that is gone by its second half
(:mod:`rfcheck.receiver.started`).

Input checks: every block is checked for NaN/Inf as it is read (ReceiverError naming the
first bad sample); an all-zero IQ/REAL record reads -inf dBµV ("no signal") with a warning,
and so, with another warning (:func:`below_range_message`), does a record whose samples are
too small for any reading to be computed.

References
----------
CISPR 16-1-1 (measuring receiver); docs/references.md §4 (receiver constants), §5 (dwell), §7.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..capture import Detector, SampleKind, TimeSeries, Trace
from ..cispr import BANDS, DETECTORS, BandSpec, get_band
from ..errors import ReceiverError
from ..outcome import Bound
from ..units import LevelUnit, volts_to_dbuv
from .describe import band_label, setup_text
from .edges import ObservedSpan, edge_message, span_text
from .finals import final_frequencies
from .rising import still_rising, strongest_dbuv
from .samples import check_input
from .settling import settling_time_s
from .started import on_at_start
from .stream import detector_bank, front_end, stream
from .tuning import check_width, default_frequencies, tuned_frequencies

__all__ = [
    "BELOW_RANGE",
    "FINAL_ROUNDS",
    "ReceiverResult",
    "below_range_message",
    "clipping_message",
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
        Non-fatal findings (record too short to settle, frequencies outside the band, an
        all-zero recording).
    duration_s : float
        Record length used. [s]
    clipped_samples : int
        Samples on the integer type's rails (:func:`clipping_message`): every reading is
        then a lower bound.
    observed : ObservedSpan or None
        The span of the record whose events the detectors read in full (the record less
        one IF response at each end); None when nothing was measured.
    edge_warnings : tuple of str
        Events in the record's edge spans that the observed span cannot account for
        (:func:`~rfcheck.receiver.edges.edge_message`): every reading is then a lower bound.
    rising : tuple of str
        The weighting detectors whose meter was still rising at the record's end
        (:func:`~rfcheck.receiver.rising.still_rising`) or that read a signal cut by the
        record's start (:func:`~rfcheck.receiver.started.on_at_start`): their readings are
        lower bounds.
    meter_warnings : tuple of (str, str, str)
        ``(detector, where, warning)`` of each of those findings, ``where`` ``"end"`` (the
        meter still rising) or ``"start"`` (a signal cut by the start); also in ``warnings``.
    """

    band: str
    rbw_hz: float
    frequencies_hz: NDArray[np.float64]
    readings_dbuv: dict[str, NDArray[np.float64]]
    warnings: tuple[str, ...]
    duration_s: float
    clipped_samples: int = 0
    observed: ObservedSpan | None = None
    edge_warnings: tuple[str, ...] = ()
    rising: tuple[str, ...] = ()
    meter_warnings: tuple[tuple[str, str, str], ...] = ()

    def bound(self, detector: str) -> Bound:
        """Return what ``detector``'s readings are: measured, or a lower bound.

        A reading from a record shorter than the detector's :func:`settling_time_s` in this
        band is a lower bound (the reading may be low: the same rule as the settling
        warning), and so is every reading of a clipped recording (``clipped_samples``) or of
        one with an event in an edge span (``edge_warnings``); otherwise it is measured.
        ``rfcheck receiver`` prints it next to each reading (``docs/receiver.md``, "What the
        receiver warns about").
        """
        need_s = settling_time_s(get_band(self.band), detector)
        short = self.duration_s < need_s
        unread = self.clipped_samples or self.edge_warnings or detector in self.rising
        return Bound.LOWER if short or unread else Bound.MEASURED


def _check_detectors(spec: BandSpec, detectors: Iterable[str]) -> tuple[str, ...]:
    dets = tuple(str(d.value if isinstance(d, Detector) else d) for d in detectors)
    if not dets:
        raise ReceiverError("no detector requested")
    for d in dets:
        if d not in DETECTORS:
            raise ReceiverError(f"unknown detector {d!r} (known: {', '.join(DETECTORS)})")
        if d not in spec.detectors:
            raise ReceiverError(
                f"detector {d!r} is not defined in CISPR band {band_label(spec.name)}"
            )
    return dets


def clipping_message(ts: TimeSeries, clipped_samples: int) -> str:
    """Say that ``clipped_samples`` samples of an integer recording sit at its full scale.

    A digitiser overloaded by its input clips at its integer type's rails: the recording
    then under-reads the emission (and adds products elsewhere), so its readings bound the
    true levels only from below (CISPR 16-1-1 asks a receiver to indicate overload).
    """
    fmt = f" ({ts.sample_format})" if ts.sample_format else ""
    verb = "sits" if clipped_samples == 1 else "sit"
    return (
        f"{clipped_samples} of {ts.n_samples} samples {verb} at the integer full scale{fmt}: "
        "the input may have overloaded the digitiser; every reading is a lower bound"
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
    reference_dbuv: float = -math.inf,
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
        Tuned frequencies; default
        :func:`~rfcheck.receiver.tuning.default_frequencies`. [Hz]
    detectors : sequence of str
        Any of ``"peak"``, ``"quasi-peak"``, ``"cispr-average"``, ``"rms-average"``.
    block_s : float, optional
        Input block length per processing step; readings do not depend on it. [s]
    precision : {"single", "double"}
        Arithmetic of the channeliser FFTs; single precision reads within 0.001 dB of
        double (see :class:`~rfcheck.receiver.channeliser.Channeliser`).
    backend : {"numba", "numpy"}, optional
        Detector implementation (see :mod:`rfcheck.receiver.detectors`); default numba
        when it is importable. Both read the same within 0.01 dB.
    strict_band : bool
        True: a frequency outside the band (``f_lo .. f_hi``, edges included) is a
        ReceiverError, as in the CLI. False (default, kept so a band's constants can be
        applied off-band, e.g. Band A/C-D test signals at 1 MHz): it is measured and named in
        a warning.
    reference_dbuv : float, optional
        The recording's strongest reading known elsewhere (a scan's grid, when measuring
        its final frequencies): the meter tests (a meter still rising at the end, a signal
        cut by the start) look only within
        :data:`~rfcheck.receiver.rising.RISING_WINDOW_DB` of it or of this run's strongest
        reading, whichever is higher. [dBµV]

    Returns
    -------
    ReceiverResult
        Readings in dBµV at the receiver input (maximum meter indication over the record).

    Raises
    ------
    ReceiverError
        Unknown band/detector, frequencies outside the band (``strict_band``) or the
        recording or within one B6 of its edge (the IF does not fit,
        :func:`~rfcheck.receiver.stream.check_fits`), an I/Q recording narrower than two
        B6 (:func:`~rfcheck.receiver.tuning.check_width`),
        empty recording or one shorter than the IF response, NaN/Inf samples,
        a non-positive ``block_s`` or ``volts_per_unit``, IQ samples that are not 1-D
        complex.
    """
    spec = get_band(band)
    dets = _check_detectors(spec, detectors)
    check_input(ts, block_s)
    fs = float(ts.sample_rate_hz)
    if not (fs > 0 and math.isfinite(fs)):
        raise ReceiverError(f"sample rate must be positive, got {ts.sample_rate_hz!r}")
    if ts.n_samples == 0:
        raise ReceiverError("empty recording")
    check_width(ts, spec)
    warnings: list[str] = []
    freqs = tuned_frequencies(ts, spec, frequencies_hz, strict_band, warnings)
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
    front = front_end(ts, spec, freqs, precision, warnings)
    law = _QP_LAW.get(spec.name, "diode")
    bank = detector_bank(dets, freqs.shape[0], front.rate_hz, spec, law, backend)
    watch = front.start_watch(ts.n_samples, spec)
    seen = stream(ts, front, tuple(bank.values()), block_s, watch)
    readings = {d: volts_to_dbuv(bank[d].reading()) for d in dets}
    if front.chan is not None and not seen.nonzero:
        warnings.append("recording is all zeros; readings are -inf dBµV (no signal)")
    elif front.chan is not None and not any(np.isfinite(r).any() for r in readings.values()):
        warnings.append(below_range_message(seen.peak * float(ts.volts_per_unit)))
    if seen.clipped_samples:
        warnings.append(clipping_message(ts, seen.clipped_samples))
    observed = front.observed_span(ts.n_samples, fs)
    edges = tuple(edge_message(e, observed) for e in seen.edge_events)
    warnings += edges
    cut = [
        *(
            (d, "end", w)
            for d, w in still_rising(bank, freqs, readings, spec, duration, reference_dbuv).items()
        ),
        *(
            (d, "start", w)
            for d, w in on_at_start(
                watch, list(dets), freqs, readings, spec, duration, reference_dbuv
            ).items()
        ),
    ]
    warnings += [w for _, _, w in cut]
    warnings += _settling_warnings(spec, dets, duration)
    return ReceiverResult(
        spec.name,
        spec.rbw_hz,
        freqs,
        readings,
        tuple(warnings),
        duration,
        seen.clipped_samples,
        observed,
        edges,
        tuple(dict.fromkeys(d for d, _, _ in cut)),
        tuple(cut),
    )


#: The start of :func:`below_range_message` (``check`` tells it from the all-zeros case).
BELOW_RANGE = "every reading is below the computable range"


def below_range_message(peak_v: float) -> str:
    """Say that non-zero samples of at most ``peak_v`` [V] are too small to read.

    Typically float32 data declared float64 (read as doubles, every sample is ~1e-23 V) or a
    wrong scale; the readings are then -inf dBµV although the samples are not all zeros.
    """
    return (
        f"{BELOW_RANGE}: samples at most {peak_v:.3g} V; is the file's sample type "
        "(SigMF core:datatype, iq-tar DataType) or its scale right?"
    )


def _settling_warnings(spec: BandSpec, dets: Sequence[str], duration_s: float) -> list[str]:
    """Return a warning per detector the record (``duration_s`` [s]) is too short to settle."""
    out = []
    for d in dets:
        t_min = settling_time_s(spec, d)
        if duration_s < t_min:
            out.append(
                f"{d}: record {duration_s:.3g} s is shorter than the {t_min:.3g} s "
                f"band {band_label(spec.name)} needs to settle; the reading may be low"
            )
    return out


_TRACE_DETECTOR = {
    "peak": Detector.PEAK,
    "quasi-peak": Detector.QUASI_PEAK,
    "cispr-average": Detector.CISPR_AVERAGE,
    "rms-average": Detector.RMS_AVERAGE,
}


#: Rounds of final measurements after a scan (:mod:`rfcheck.receiver.finals`): the second
#: refines the first where the first's vertex was an estimate (two emissions within one B6,
#: a modulated emission); measured on two close CWs, docs/receiver.md.
FINAL_ROUNDS = 2


def scan_traces(
    ts: TimeSeries,
    detectors: Sequence[str] = ("peak", "quasi-peak", "cispr-average"),
    step_hz: float | None = None,
    notes: list[str] | None = None,
) -> tuple[Trace, ...]:
    """Scan the whole recording band by band; one :class:`Trace` per detector.

    The recording's range is split at the CISPR band edges (A, B, C/D as one band since
    they share constants, E); each part is measured with its band's B6 and time constants
    at :func:`~.tuning.default_frequencies`, then again at the maxima between the measured
    frequencies that each detector's readings locate, in :data:`FINAL_ROUNDS` rounds (final
    measurements, :mod:`rfcheck.receiver.finals`: a narrowband emission midway between two
    grid points reads 1.5 dB low on the grid), and the parts are merged in frequency order.
    A detector a band does not define (QP in Band E) is skipped there.

    Parameters
    ----------
    ts : TimeSeries
    detectors : sequence of str
    step_hz : float, optional
        Frequency step for every band; default B6/2 of each band. [Hz]
    notes : list of str, optional
        Receives, per band scanned, the span the detectors read in full, then any event in
        an edge span, readings below the computable range and the clipping warning
        (:func:`clipping_message`), each once.

    Returns
    -------
    tuple of Trace
        Level unit dBµV, ``rbw_hz`` the band's B6 (None when the scan spans bands with
        different B6), ``dwell_s`` the record length; ``settled=False`` (lower bounds) when
        the recording is clipped or an edge span holds an event, else None (left to the
        caller's record-length rule).
    """
    dets = tuple(str(d.value if isinstance(d, Detector) else d) for d in detectors)
    parts: dict[str, list[tuple[NDArray[np.float64], NDArray[np.float64]]]] = {d: [] for d in dets}
    rbws: dict[str, set[float]] = {d: set() for d in dets}
    clipped = 0
    said: list[str] = []  # observed spans, edge events, readings below range
    unread = False  # an event in an edge span: every reading a lower bound
    rising: set[str] = set()  # detectors whose meter rose at the end or read a cut start
    grids = _grid_scans(ts, dets, step_hz)
    # the meter tests look within 60 dB of the recording's strongest reading, not of each
    # run's own: final measurements at noise-level channels 130 dB under a CW tripped them
    top = max((strongest_dbuv(res.readings_dbuv) for res, _ in grids.values()), default=-math.inf)
    for name, (res, use) in grids.items():
        if res.rising and strongest_dbuv(res.readings_dbuv) < top:  # judged on its own top
            res = measure(ts, name, res.frequencies_hz, use, reference_dbuv=top)
        spec = BANDS[name]
        clipped = max(clipped, res.clipped_samples)
        said += _band_notes(res, said, ts)
        unread = unread or bool(res.edge_warnings)
        rising.update(res.rising)
        f_all, lv_all = res.frequencies_hz, dict(res.readings_dbuv)
        at: NDArray[np.float64] | None = None  # round 1: every maximum; then where it rose
        for _ in range(FINAL_ROUNDS):  # the maxima between measured points, measured there
            finals = np.unique(
                np.concatenate([final_frequencies(f_all, lv_all[d], at, spec.rbw_hz) for d in use])
            )
            if finals.size == 0:
                break
            fin = measure(ts, name, finals, use, reference_dbuv=top)
            said += [w for d, _, w in fin.meter_warnings if d not in rising]  # each said once
            rising.update(fin.rising)
            at = fin.frequencies_hz
            order = np.argsort(np.concatenate([f_all, fin.frequencies_hz]), kind="stable")
            f_all = np.concatenate([f_all, fin.frequencies_hz])[order]
            lv_all = {d: np.concatenate([lv_all[d], fin.readings_dbuv[d]])[order] for d in use}
        for d in use:
            parts[d].append((f_all, lv_all[d]))
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
                settled=False if clipped or unread or d in rising else None,
                # beyond the outermost measured frequencies no reading bounds an emission
                ends_at_points=ts.kind is not SampleKind.ENVELOPE,
            )
        )
    if notes is not None:
        notes.extend(said)
        if clipped:
            notes.append(clipping_message(ts, clipped))
    return tuple(traces)


def _grid_scans(
    ts: TimeSeries, dets: tuple[str, ...], step_hz: float | None
) -> dict[str, tuple[ReceiverResult, tuple[str, ...]]]:
    """Measure every band the recording spans on its grid; per band, the result and detectors.

    The bands A, B, C/D (one band: they share constants) and E in that order, at
    :func:`~.tuning.default_frequencies`; a band defining none of ``dets`` is left out.
    """
    out: dict[str, tuple[ReceiverResult, tuple[str, ...]]] = {}
    for name in ("A", "B", "CD", "E"):
        freqs = default_frequencies(ts, name, step_hz)
        use = tuple(d for d in dets if d in BANDS[name].detectors)
        if freqs.shape[0] and use:
            out[name] = (measure(ts, name, freqs, use), use)
    return out


def _band_notes(res: ReceiverResult, said: Sequence[str], ts: TimeSeries) -> list[str]:
    """Return the notes of one band's scan not yet in ``said``.

    How the band was measured (:func:`setup_text`) with the span the detectors read in full
    (:attr:`ReceiverResult.observed`), an event in an edge span
    (:attr:`ReceiverResult.edge_warnings`) and readings below the computable range.
    """
    out: list[str] = []
    if res.observed is not None:
        edge_s = res.observed.start_s
        out.append(
            f"receiver band {band_label(res.band)} ({setup_text(get_band(res.band), ts)}): "
            f"the detectors read events in {span_text(res.observed)} (one IF response, "
            f"{edge_s * 1e3:.3g} ms, is not read in full at each end; docs/receiver.md)"
        )
    out += res.edge_warnings
    out += [w for w in res.warnings if w.startswith(BELOW_RANGE)]
    out += [w for _, _, w in res.meter_warnings]
    return [n for n in out if n not in said]
