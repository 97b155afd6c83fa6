"""The traces a verdict judges.

A capture's traces (time-domain recordings through the receiver model first) after the transducer
chain, in each limit's unit.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from ..capture import Capture, Detector, SampleKind, TimeSeries, Trace, TraceMode
from ..cispr import BANDS, BandSpec, band_for_frequency, rbw_at
from ..corrections import CorrectionChain
from ..errors import AnalysisError, ReceiverError
from ..frequency import format_hz, format_mhz, format_mhz_range, format_mhz_ranges
from ..limits import LimitTable
from ..limits.model import snap_to_edges, within
from ..settings import CheckSettings
from ..units import LevelUnit
from .consistency import with_detector_order
from .noise_floor import check_noise_floor
from .settling_needs import (
    record_needed_s,
    short_record_note,
    sweep_dwell_notes,
    unstated_dwell_notes,
    with_dwell_rule,
)
from .stepped import stepped_gap_notes
from .sweep_dwell import swept_bound_notes, view_notes

__all__ = [
    "CorrectedTrace",
    "corrected_traces",
    "traces_to_judge",
]


@dataclass(frozen=True, eq=False)
class CorrectedTrace:
    """A trace after the transducer chain, in the limit's unit.

    ``level = convert(reading) + correction_db``. [``unit``] ``dwell_s`` [s], ``settled``,
    ``settle_s`` [s] and ``mode`` as in :class:`rfcheck.capture.Trace` (the settling, record
    length and trace-mode rules of ``docs/verdict.md``). ``axis_hz``: the whole trace's
    frequency axis (points with a finite reading) before cropping to the limit ranges, for
    coverage; None = ``freq_hz``. [Hz] ``computed_from``: the I/Q recording the receiver model
    computed the trace from ("" for an instrument's trace), as in :class:`rfcheck.capture.Trace`;
    ``channel`` likewise (the channel of a multi-channel recording, else ""), and
    ``ends_at_points`` (coverage stops at ``axis_hz``'s ends, or at ``ends_hz`` [Hz] when
    set). ``vbw_hz`` [Hz] and ``reads_low`` as in :class:`rfcheck.capture.Trace` (settings
    that let the trace read low, :mod:`rfcheck.verdict.reads_low`), and ``sweep_unstated``
    (nothing in the file shows a sweep: readings at their own frequencies).
    """

    name: str
    detector: Detector
    freq_hz: NDArray[np.float64]
    reading: NDArray[np.float64]
    reading_unit: str
    correction_db: NDArray[np.float64]
    level: NDArray[np.float64]
    unit: LevelUnit
    rbw_hz: float | None = None
    dwell_s: float | None = None
    settled: bool | None = None
    settle_s: float | None = None
    mode: TraceMode = TraceMode.UNKNOWN
    axis_hz: NDArray[np.float64] | None = None
    computed_from: str = ""
    channel: str = ""
    ends_at_points: bool = False
    vbw_hz: float | None = None
    reads_low: str = ""
    ends_hz: tuple[float, float] | None = None
    sweep_unstated: bool = False


def _unused_centre_notes(capture: Capture, settings: CheckSettings) -> list[str]:
    """Say that a stated centre frequency does not apply to a capture that is not I/Q.

    The centre frequency (``--center-freq``, ``[check] center_frequency_hz``) places an I/Q
    recording's baseband; a swept trace or a real-sample recording has its own frequency axis.
    A centre above fs/2 of a real-sample recording contradicts it (the samples would be a real
    IF, :func:`~rfcheck.io.iq_centre.real_centre_refusal`): AnalysisError, as the readers
    refuse a file stating one.
    """
    centre = settings.center_frequency_hz
    if centre is None:
        return []
    if not capture.is_time_domain:
        holds = "swept traces"
    elif any(ts.kind is SampleKind.IQ for ts in capture.time_series):
        return []
    else:
        from ..io.iq_centre import real_centre_refusal

        for ts in capture.time_series:
            if ts.kind is SampleKind.REAL:
                stated = f"centre frequency {format_hz(centre, digits=10)} stated for check"
                refusal = real_centre_refusal(stated, centre, ts.sample_rate_hz, "")
                if refusal:
                    raise AnalysisError(refusal)
        holds = f"{capture.time_series[0].kind.value} samples"
    return [
        f"centre frequency {format_hz(settings.center_frequency_hz, digits=10)} stated for "
        f"check does not apply: this capture holds {holds}, not an I/Q recording"
    ]


def traces_to_judge(
    capture: Capture, settings: CheckSettings
) -> tuple[tuple[Trace, ...], list[str]]:
    """Return the traces to judge, plus notes.

    Time-domain recordings go through the receiver model. An instrument's peak trace that
    reads below a quasi-peak or average trace of the capture is marked unsettled, with a note
    (:func:`~rfcheck.verdict.consistency.with_detector_order`).

    A receiver trace whose recording is shorter than :func:`record_needed_s` (the settling
    time of its detector in any CISPR band the trace spans; for the peak, of the band's
    slowest detector) is kept with ``settled=False`` and ``settle_s`` its need: its readings
    are lower bounds only (enough to prove a FAIL, never a PASS); longer ones get
    ``settled=True``. A recording shorter than the IF impulse response (the peak settling
    time) bounds nothing (truncation leakage can read high off the emission), so its traces
    are not used. Every channel of a multi-channel recording is scanned: its traces and notes
    are named after the channel (``Channel 2: receiver quasi-peak``, ``Trace.channel``).
    """
    if not capture.is_time_domain:
        if not capture.traces:
            raise AnalysisError("the capture holds no trace to judge")
        # a peak trace below a QP or average trace of the capture bounds nothing from above
        traces, order_notes = with_detector_order([with_dwell_rule(t) for t in capture.traces])
        notes = _unused_centre_notes(capture, settings) + swept_bound_notes(traces)
        notes += view_notes(traces)
        notes += unstated_dwell_notes(capture.traces) + sweep_dwell_notes(capture.traces)
        notes += stepped_gap_notes(capture.traces)
        return traces, notes + order_notes
    from ..receiver import scan_traces, settling_time_s  # lazy: heavy

    out: list[Trace] = []
    notes = _unused_centre_notes(capture, settings)
    recording = capture.provenance.path if capture.provenance is not None else "I/Q recording"
    several = len(capture.time_series) > 1
    segmented = capture.metadata.get("captures", "1") not in ("0", "1")  # SigMF segments
    for i, ts in enumerate(capture.time_series):
        channel = (ts.name or f"Channel {i + 1}") if several else ""
        ch_notes: list[str] = []
        if settings.volts_per_unit is not None:
            # the stated scale is volts per full-scale unit; integer samples carry their
            # 1/2**(bits-1) factor in metadata (as `rfcheck receiver --volts-per-unit` applies)
            unit_scale = float(capture.metadata.get("sample_unit_scale", "1"))
            ts = dataclasses.replace(ts, volts_per_unit=settings.volts_per_unit * unit_scale)
        ts = _with_stated_centre(ts, settings, segmented, ch_notes)
        if ts.kind is SampleKind.IQ and not np.isfinite(ts.center_freq_hz):
            from ..io.iq_centre import unknown_centre_reason
            from ..receiver.samples import check_center

            check_center(ts, unknown_centre_reason(capture.warnings))  # names the reader's why
        try:
            scanned = scan_traces(ts, ("peak", "quasi-peak", "cispr-average"), notes=ch_notes)
        except ReceiverError as err:
            if not several:
                raise
            # one series too short to measure (a recorder's stub segment): the others are
            # still judged, and this one is said not measured
            notes.append(f"{channel}: not measured: {err.message}")
            continue
        if note := _dc_offset_note(ts, scanned, settings.suspect_window_db):
            ch_notes.append(note)
        if not scanned:
            ch_notes.append(_no_frequency_note(ts))
        for tr in scanned:
            specs = [_scanned_band(float(f)) for f in (tr.start_hz, tr.stop_hz)]
            t_if = max(settling_time_s(s, "peak") for s in specs)
            if ts.duration_s < t_if:  # shorter than the IF response: leakage, not a bound
                ch_notes.append(
                    f"receiver {tr.detector.value}: recording {ts.duration_s:.3g} s is shorter "
                    f"than the {t_if:.3g} s IF impulse response (CISPR 16-1-1); trace not used"
                )
                continue
            name = f"{channel}: {tr.name}" if channel else tr.name
            tr = dataclasses.replace(tr, name=name, computed_from=recording, channel=channel)
            out += _settled_by_band(tr, ts, ch_notes)
        notes.extend(f"{channel}: {n}" if channel else n for n in ch_notes)
    if not out:
        raise AnalysisError(
            "the recording gives no CISPR detector reading to judge: " + "; ".join(notes)
        )
    if not any(np.isfinite(t.level).any() for t in out):  # -inf everywhere
        from ..receiver.scan import BELOW_RANGE

        tiny = next((n for n in notes if BELOW_RANGE in n), None)
        why = tiny or (
            "every reading is -inf dBµV (the samples are all zeros: no signal was recorded)"
        )
        raise AnalysisError(f"the recording gives no CISPR detector reading to judge: {why}")
    notes.insert(0, computed_levels_note())
    if any(ts.kind is not SampleKind.ENVELOPE for ts in capture.time_series):
        from ..io.iq_scale import scale_notes  # which scale the levels rest on

        notes[1:1] = scale_notes(capture.metadata, CHECK_SCALE_ROUTE, settings.volts_per_unit)
    return tuple(out), notes


def _dc_offset_note(ts: TimeSeries, scanned: Sequence[Trace], window_db: float) -> str:
    """Say where a reading a verdict would name lies at an I/Q recording's centre (DC offset).

    Per receiver trace, its strongest reading (the worst point under a limit flat across the
    recording, as most are over an I/Q span) and the peaks standing
    :data:`~rfcheck.verdict.suspects.PEAK_EXCURSION_DB` above their surroundings within
    ``window_db`` (the suspect window) of it; :func:`rfcheck.receiver.centre.dc_offset_note`
    says which lie within one B6 of the centre. Made here, from the readings alone, so every
    path that judges the recording (``check``, ``--combine``, the dossier) states it alike.
    """
    fc = float(ts.center_freq_hz)
    if ts.kind is not SampleKind.IQ or not math.isfinite(fc):
        return ""
    from ..prominence import prominent_peaks
    from ..receiver.centre import dc_offset_note
    from .suspects import PEAK_EXCURSION_DB

    named: list[NDArray[np.float64]] = []
    for tr in scanned:
        ok = np.isfinite(tr.level)
        if not ok.any():
            continue
        top = float(np.max(tr.level[ok]))
        level = np.where(ok, tr.level, -1e9)
        found, _ = prominent_peaks(level, PEAK_EXCURSION_DB)
        named.append(tr.freq_hz[found[level[found] > top - window_db]])
        named.append(tr.freq_hz[[int(np.argmax(level))]])
    freqs = np.concatenate([np.empty(0), *named])
    return dc_offset_note(ts, freqs, float(rbw_at(fc)))


#: How ``check`` is told a recording's scale (named in its notes).
CHECK_SCALE_ROUTE = "the setup's [check] volts_per_unit"


def computed_levels_note() -> str:
    """Return the note that a recording's levels were computed by rfcheck, not an instrument.

    The first of a recording's notes (``check`` text, JSON, PDF, HTML; in a ``--combine``
    pool after the notes of the files before it; the CSV's ``levels`` column says the
    same): its levels are the receiver model's detector readings of the samples, judged as
    measured values of their detectors (``docs/receiver.md``, ``docs/verdict.md``). The
    dossier states it in its own words, per capture and per value, and leaves this one out.
    """
    from .._version import __version__

    return (
        f"levels computed from the recording's samples by rfcheck {__version__}'s CISPR "
        "16-1-1 receiver model (peak, quasi-peak, CISPR-average), not read from an "
        "instrument's detectors; the model is software, not a calibrated receiver "
        "(docs/receiver.md)"
    )


def _with_stated_centre(
    ts: TimeSeries, settings: CheckSettings, segmented: bool, notes: list[str]
) -> TimeSeries:
    """Return ``ts`` at the centre stated for check (``--center-freq``), noting a replacement.

    Of a recording of several capture segments (SigMF), the stated centre applies only to a
    segment that states none: each keeps its own (a segment recorded at 5 MHz was judged at
    the stated 1.39 MHz), noted when they differ.
    """
    if (
        segmented and settings.center_frequency_hz is not None and np.isfinite(ts.center_freq_hz)
    ):  # each segment's own centre: the stated one is for segments that state none
        if ts.center_freq_hz != settings.center_frequency_hz:
            notes.append(
                f"its own centre frequency {format_hz(ts.center_freq_hz, digits=10)} is "
                "kept: with several capture segments, the centre stated for check "
                f"({format_hz(settings.center_frequency_hz, digits=10)}) applies only to "
                "segments that state none"
            )
    elif settings.center_frequency_hz is not None and ts.kind is SampleKind.IQ:
        if np.isfinite(ts.center_freq_hz) and ts.center_freq_hz != settings.center_frequency_hz:
            notes.append(
                f"centre frequency {format_hz(settings.center_frequency_hz, digits=10)} "
                f"stated for check replaces the file's "
                f"{format_hz(ts.center_freq_hz, digits=10)}"
            )
        ts = dataclasses.replace(ts, center_freq_hz=settings.center_frequency_hz)
    return ts


def _settled_by_band(tr: Trace, ts: TimeSeries, notes: list[str]) -> list[Trace]:
    """Return receiver trace ``tr`` per band (:func:`_with_rbw`), each settled or not.

    Each band's readings need that band's record length (:func:`record_needed_s`): Band B's
    quasi-peak 1.61 s, not Band A's 2.87 s when the scan spans both (a 2 s record of Bands A
    and B made every Band B reading a lower bound). A band whose record is too short is
    noted once in ``notes``, naming the band when the scan spans several. A clipped
    recording's traces come unsettled (lower bounds only), and so do those of an event at an
    edge, a meter rising at the end or a signal cut by the start, which a longer record does
    not settle (:func:`~rfcheck.verdict.settling_needs.record_shortfall_s` asks for none).
    """
    from ..receiver.describe import band_label

    pieces = _with_rbw(tr, ts)
    out = []
    for piece in pieces:
        band = _scanned_band(piece.start_hz)
        need = record_needed_s(piece.detector, [band, _scanned_band(piece.stop_hz)])
        if ts.duration_s < need:
            where = band_label(band.name) if len(pieces) > 1 else ""
            note = short_record_note(piece.detector, ts.duration_s, need, band=where)
            if note not in notes:
                notes.append(note)
        settled = ts.duration_s >= need and tr.settled is not False
        out.append(dataclasses.replace(piece, settled=settled, settle_s=need))
    return out


def _with_rbw(tr: Trace, ts: TimeSeries) -> list[Trace]:
    """Return a receiver trace with the RBW its readings were taken in (one per band).

    A zero-span envelope went through the instrument's IF: its RBW is the recording's
    (``ts.rbw_hz``; None when not stated, so the unknown-RBW rule applies). An I/Q or real
    recording is filtered by the receiver model in each band's own B6; a scan spanning bands
    of different B6 is split into one trace per band (named ``"<name>, band B"``), so every
    reading states the bandwidth it was taken in (``docs/verdict.md``, "Bandwidth").
    """
    if ts.kind is SampleKind.ENVELOPE:
        return [dataclasses.replace(tr, rbw_hz=ts.rbw_hz)]
    if tr.rbw_hz is not None:
        return [tr]
    bw = rbw_at(tr.freq_hz)
    cuts = np.flatnonzero(np.diff(bw) != 0) + 1
    pieces = np.split(np.arange(tr.freq_hz.shape[0]), cuts)
    out = []
    for k, idx in enumerate(pieces):
        band = band_for_frequency(float(tr.freq_hz[idx[0]]))
        band = "C/D" if band in ("C", "D") else band
        first, last = float(tr.freq_hz[idx[0]]), float(tr.freq_hz[idx[-1]])
        top = _scanned_band(first).f_hi_hz
        # the next band's part begins at the band's top: this part's last reading covers up
        # to it when it lies within half a grid step (B6 / 4: the grid's own error, 1.5 dB at
        # most) - Band B's 29.9985 MHz to 30 MHz; Band C/D's 999.96 MHz is 40 kHz short of
        # 1 GHz, over half its 60 kHz step, and covers nothing past itself, as at the
        # recording's ends (docs/verdict.md, "Coverage")
        reach_top = k + 1 < len(pieces) and top - last <= float(bw[idx[0]]) / 4.0
        out.append(
            dataclasses.replace(
                tr,
                freq_hz=tr.freq_hz[idx],
                level=tr.level[idx],
                name=f"{tr.name}, band {band}",
                rbw_hz=float(bw[idx[0]]),
                ends_hz=(first, top) if reach_top else None,
            )
        )
    return out


def _scanned_band(freq_hz: float) -> BandSpec:
    """Return the band the receiver's scan measures ``freq_hz`` in (C and D as one, CD).

    Raises
    ------
    ReceiverError
        The frequency lies outside every CISPR band.
    """
    band = band_for_frequency(freq_hz)
    return BANDS["CD" if band in ("C", "D") and "CD" in BANDS else band]


def _no_frequency_note(ts: TimeSeries) -> str:
    """Say why a recording gave the receiver model no frequency to measure.

    A receiver frequency needs its band's B6 inside the recording, with one B6 to spare
    at each edge of an I/Q recording (``rfcheck.receiver.default_frequencies``).
    """
    lo_hz, hi_hz = ts.band_hz
    mid_hz = 0.5 * (lo_hz + hi_hz)
    span = f"{lo_hz / 1e6:.6g}-{hi_hz / 1e6:.6g} MHz"
    try:
        spec = _scanned_band(mid_hz)
    except ReceiverError:
        spec = None
    if spec is None:
        return f"receiver: the recording ({span}) lies in no CISPR band; no frequency measured"
    from ..receiver.tuning import too_narrow_message  # the receiver's own words

    return f"receiver: {too_narrow_message(ts, spec)}"


def readings_outside_note(traces: Sequence[Trace], limits: Sequence[LimitTable]) -> str:
    """Return the note on readings outside every limit's range, which nothing judges ("" if none).

    ``12 readings outside the limit's range (0.15-30 MHz) not judged: 0.009-0.1485 MHz,
    30.0045-40 MHz``: a 9 kHz-40 MHz scan judged against a 150 kHz-30 MHz conducted limit (47
    CFR 15.107: "within the band 150 kHz to 30 MHz") says what it left out, one span per gap
    between (or beyond) the limits' ranges. Readings are counted per trace; NaN ones are not
    readings.
    """
    from .coverage import union  # coverage imports this module

    ranges = union([t.range_hz for t in limits])
    if not ranges:
        return ""
    edges = np.array([x for r in ranges for x in r])
    count = 0
    outside: list[NDArray[np.float64]] = []
    for tr in traces:
        f = tr.freq_hz[np.isfinite(tr.level)]
        inside = np.zeros(f.shape, dtype=bool)
        for table in limits:  # 1000 MHz is outside a table "above 1 GHz" (include_start)
            inside |= table.defined_at(f)
        count += int((~inside).sum())
        outside.append(f[~inside])
    if not count:
        return ""
    freqs = np.concatenate(outside)
    at_edge = snap_to_edges(freqs, edges.tolist())  # within float noise of an edge: at it
    gap = np.searchsorted(edges, at_edge)  # the same even index for every frequency of one gap
    spans = [
        (float(at_edge[gap == g].min()), float(at_edge[gap == g].max())) for g in np.unique(gap)
    ]
    shown = edges.tolist()  # a reading just outside an edge is not printed as the edge
    where = ", ".join(
        format_mhz(a, apart=shown) if a == b else format_mhz_range(a, b, apart=shown)
        for a, b in spans
    )
    noun = "reading" if count == 1 else "readings"
    whose = "the limit's" if len(limits) == 1 else "the limits'"
    return f"{count} {noun} outside {whose} range ({format_mhz_ranges(ranges)}) not judged: {where}"


def corrected_traces(
    capture: Capture,
    settings: CheckSettings,
    limits: Sequence[LimitTable],
    chain: CorrectionChain,
    *,
    prefix: str = "",
) -> tuple[dict[LevelUnit, list[CorrectedTrace]], tuple[Trace, ...], list[str]]:
    """Correct every trace of one capture once per limit unit.

    Parameters
    ----------
    capture : Capture
    settings : CheckSettings
        The capture's own settings (``volts_per_unit`` for recordings).
    limits : sequence of LimitTable
        Only points some table of the same unit covers are kept.
    chain : CorrectionChain
        The capture's own transducer chain.
    prefix : str
        Prepended to every trace name as ``"<prefix>: <name>"`` (the member's file name in a
        combined measurement); empty keeps the names as they are.

    Returns
    -------
    corrected : dict of LevelUnit to list of CorrectedTrace
        Levels in each limit unit. [dBµV or dBµV/m]
    traces : tuple of Trace
        The traces judged (receiver traces for a recording).
    notes : list of str
        Receiver notes (detector traces too short to settle: lower bounds only).

    Raises
    ------
    RfcheckError
        No trace, recording too short, units / transducers that cannot be applied, or an
        instrument's trace whose readings lie far below the thermal noise of its bandwidth
        (:func:`~rfcheck.verdict.noise_floor.check_noise_floor`: no instrument displays them).
    """
    traces, notes = traces_to_judge(capture, settings)
    prov = capture.provenance
    check_noise_floor(traces, prov.path if prov else None)  # none displays readings below kTB
    if outside := readings_outside_note(traces, limits):
        notes.append(outside)
    corrected: dict[LevelUnit, list[CorrectedTrace]] = {}
    uncorrected: list[NDArray[np.float64]] = []
    for unit in dict.fromkeys(t.unit for t in limits):
        ranges = [t.range_hz for t in limits if t.unit is unit]
        out = []
        for i, tr in enumerate(traces):
            finite = np.isfinite(tr.level)
            axis = _select(tr.freq_hz, finite)
            name = tr.name or f"{i + 1}"
            if prefix:
                name = f"{prefix}: {name}"
            keep = np.zeros(tr.freq_hz.shape, dtype=bool)
            for lo, hi in ranges:
                keep |= within(tr.freq_hz, lo, hi)
            keep &= finite
            if settings.range_hz is not None:  # outside --range: never judged
                a, b = settings.range_hz
                beyond = keep & ~within(tr.freq_hz, a, b) & ~chain.covers(tr.freq_hz)
                if beyond.any():
                    uncorrected.append(_select(tr.freq_hz, beyond))
                    keep &= ~beyond
            if not keep.any():
                continue
            f, reading = _select(tr.freq_hz, keep), _select(tr.level, keep)
            level, corr = chain.apply(f, reading, tr.unit, unit, trace_name=name)
            out.append(
                CorrectedTrace(
                    name=name,
                    detector=tr.detector,
                    freq_hz=f,
                    reading=reading,
                    reading_unit=tr.unit.value if tr.unit else "",
                    correction_db=corr,
                    level=level,
                    unit=unit,
                    rbw_hz=tr.rbw_hz,
                    dwell_s=tr.dwell_s,
                    settled=tr.settled,
                    settle_s=tr.settle_s,
                    mode=tr.mode,
                    axis_hz=axis,
                    computed_from=tr.computed_from,
                    channel=tr.channel,
                    ends_at_points=tr.ends_at_points,
                    vbw_hz=tr.vbw_hz,
                    reads_low=tr.reads_low,
                    ends_hz=tr.ends_hz,
                    sweep_unstated=tr.sweep_unstated,
                )
            )
        corrected[unit] = out
    if uncorrected:
        notes.append(_uncorrected_note(np.concatenate(uncorrected), settings.range_hz, chain))
    return corrected, traces, notes


def _uncorrected_note(
    freq_hz: NDArray[np.float64], range_hz: tuple[float, float] | None, chain: CorrectionChain
) -> str:
    """Say which readings outside ``--range`` were left out uncorrected.

    ``3 readings outside the requested range (30-480 MHz) where the transducer tables do
    not reach (antenna factor af_short.csv) are left out (not corrected, judged or plotted):
    487.01-1000 MHz``. A table need not cover what is not judged; a reading inside the range
    still needs every table.
    """
    f = np.unique(freq_hz)
    spans = []
    if range_hz is not None:
        below, above = f[f < range_hz[0]], f[f > range_hz[1]]
        spans = [(float(x.min()), float(x.max())) for x in (below, above) if x.size]
    ends = range_hz or ()
    where = ", ".join(
        format_mhz(a, apart=ends) if a == b else format_mhz_range(a, b, apart=ends)
        for a, b in spans
    )
    noun = "reading" if freq_hz.size == 1 else "readings"
    asked = "" if range_hz is None else f" ({format_mhz_range(*range_hz)})"
    tables = ", ".join(chain.uncovered_names(f))
    return (
        f"{freq_hz.size} {noun} outside the requested range{asked} where the transducer tables "
        f"do not reach ({tables}) are left out (not corrected, judged or plotted): {where}"
    )


def _select(values: NDArray[np.float64], keep: NDArray[np.bool_]) -> NDArray[np.float64]:
    """Return ``values[keep]``: the array itself when ``keep`` keeps every point (no copy).

    The arrays of a capture and of its corrected traces are never written to, so they may be
    shared; a full copy of a 10-million-point trace is 80 MB (``benchmarks/memory.py``).
    """
    return values if bool(keep.all()) else values[keep]
