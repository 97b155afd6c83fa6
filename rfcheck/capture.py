"""The data model: what one capture file holds.

A :class:`Capture` is one file's content: zero or more swept/stepped :class:`Trace`
objects (frequency axis [Hz] + levels in an explicit :class:`~rfcheck.units.LevelUnit`)
and zero or more :class:`TimeSeries` (IQ or real samples, or zero-span envelopes), plus
instrument metadata and provenance (path, SHA-256 of the bytes, detected format).
Loaders build it; corrections, the verdict and the receiver consume it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np
from numpy.typing import NDArray

from .units import LevelUnit

__all__ = [
    "Detector",
    "TraceMode",
    "UNDER_READING_MODES",
    "SampleKind",
    "Trace",
    "TimeSeries",
    "Instrument",
    "Provenance",
    "Capture",
    "parse_detector",
    "parse_trace_mode",
    "trace_label",
]


class Detector(StrEnum):
    """Detector a level was measured with (CISPR 16-1-1 names where they exist)."""

    PEAK = "peak"
    QUASI_PEAK = "quasi-peak"
    CISPR_AVERAGE = "cispr-average"
    AVERAGE = "average"
    RMS_AVERAGE = "rms-average"
    RMS = "rms"
    #: Average of the logarithmic (dB) envelope: never above the linear average, so a lower
    #: bound of every detector's reading (Keysight ``Average Type,LogPower(Video)``,
    #: SignalVu ``Avg (of logs)``); docs/verdict.md "Detector ordering".
    LOG_AVERAGE = "log-average"
    SAMPLE = "sample"
    NEGATIVE_PEAK = "negative-peak"
    NORMAL = "normal"
    UNKNOWN = "unknown"


class TraceMode(StrEnum):
    """How successive sweeps were combined into the trace."""

    MAX_HOLD = "max-hold"
    MIN_HOLD = "min-hold"
    CLEAR_WRITE = "clear-write"
    AVERAGE = "average"
    VIEW = "view"
    UNKNOWN = "unknown"


#: Trace modes that can under-read: a trace's readings are then lower bounds only
#: (docs/verdict.md, "Trace mode").
UNDER_READING_MODES = (TraceMode.MIN_HOLD, TraceMode.AVERAGE)


class SampleKind(StrEnum):
    """What the samples of a :class:`TimeSeries` are."""

    IQ = "iq"  #: complex baseband, centred on ``center_freq_hz``
    REAL = "real"  #: real-valued RF/baseband voltage samples (e.g. oscilloscope on a LISN)
    ENVELOPE = "envelope"  #: zero-span detector/envelope output at ``center_freq_hz``


_DETECTOR_ALIASES: dict[str, Detector] = {
    "peak": Detector.PEAK,
    "pk": Detector.PEAK,
    "maxpeak": Detector.PEAK,
    "pospeak": Detector.PEAK,
    "positivepeak": Detector.PEAK,
    "quasipeak": Detector.QUASI_PEAK,
    "qp": Detector.QUASI_PEAK,
    "qpeak": Detector.QUASI_PEAK,
    "cisprav": Detector.CISPR_AVERAGE,
    "cispraverage": Detector.CISPR_AVERAGE,
    "cavg": Detector.CISPR_AVERAGE,
    "cav": Detector.CISPR_AVERAGE,
    "emiaverage": Detector.CISPR_AVERAGE,
    "average": Detector.AVERAGE,
    "avg": Detector.AVERAGE,
    "av": Detector.AVERAGE,
    "rmsaverage": Detector.RMS_AVERAGE,
    "rmsavg": Detector.RMS_AVERAGE,
    "crms": Detector.RMS_AVERAGE,
    "cisprrms": Detector.RMS_AVERAGE,
    "rms": Detector.RMS,
    "logaverage": Detector.LOG_AVERAGE,
    "logavg": Detector.LOG_AVERAGE,
    "sample": Detector.SAMPLE,
    "samp": Detector.SAMPLE,
    "negpeak": Detector.NEGATIVE_PEAK,
    "negativepeak": Detector.NEGATIVE_PEAK,
    "minpeak": Detector.NEGATIVE_PEAK,
    "normal": Detector.NORMAL,
    "autopeak": Detector.NORMAL,
    "unknown": Detector.UNKNOWN,
}


def parse_detector(text: str) -> Detector | None:
    """Map a vendor detector name to a :class:`Detector`; ``None`` if unknown.

    Vendor names include ``MAX PEAK``, ``Pos Peak``, ``QUASIPEAK``, ``CAV``, ``EMI Average``,
    ``RMS Average``.
    """
    key = "".join(ch for ch in text.strip().lower() if ch.isalnum())
    return _DETECTOR_ALIASES.get(key)


#: Trace-mode names as instruments print them, reduced to letters and digits -> TraceMode.
#: Readers keep only their vendor's exceptions (e.g. Rigol ``FREEZE`` = view).
MODE_MAP: dict[str, TraceMode] = {
    "clearwrite": TraceMode.CLEAR_WRITE,
    "clrwrite": TraceMode.CLEAR_WRITE,
    "clrw": TraceMode.CLEAR_WRITE,
    "writ": TraceMode.CLEAR_WRITE,
    "write": TraceMode.CLEAR_WRITE,
    "normal": TraceMode.CLEAR_WRITE,
    "maxhold": TraceMode.MAX_HOLD,
    "maxh": TraceMode.MAX_HOLD,  # SCPI short forms (:TRACe:TYPE / :DISPlay:TRACe:MODE)
    "maximumhold": TraceMode.MAX_HOLD,
    "minhold": TraceMode.MIN_HOLD,
    "minh": TraceMode.MIN_HOLD,
    "minimumhold": TraceMode.MIN_HOLD,
    "average": TraceMode.AVERAGE,
    "aver": TraceMode.AVERAGE,
    "avg": TraceMode.AVERAGE,
    "traceaverage": TraceMode.AVERAGE,
    "view": TraceMode.VIEW,
    "unknown": TraceMode.UNKNOWN,
}

#: The longest trace-mode word a note quotes whole (a longer one is cut).
_MODE_WORD_CHARS = 40


def stated_trace_mode(
    text: str, table: Mapping[str, TraceMode] | None = None
) -> tuple[TraceMode, str]:
    """Return the trace mode ``text`` states and, for a word not known, why the trace may read low.

    ``table``: the vendor's words (letters and digits, lower case) -> mode; default
    :data:`MODE_MAP`. No word at all: :attr:`TraceMode.UNKNOWN` and "" (the file states no
    mode). A word the table does not know: ``UNKNOWN`` and the reason, ``trace mode 'MINH'
    not recognised: it may be a min-hold or an average, ...``, for the trace's
    :attr:`Trace.reads_low`: its readings then bound nothing from above (``docs/verdict.md``,
    "Trace mode"), where an unrecognised min-hold read as an upper bound passed.
    """
    key = "".join(ch for ch in text.strip().lower() if ch.isalnum())
    if not key:
        return TraceMode.UNKNOWN, ""
    mode = (MODE_MAP if table is None else table).get(key)
    if mode is not None:
        return mode, ""
    word = text.strip()
    if len(word) > _MODE_WORD_CHARS:
        word = word[:_MODE_WORD_CHARS] + "..."
    return TraceMode.UNKNOWN, (
        f"trace mode {word!r} not recognised: it may be a min-hold or an average, which can "
        "under-read intermittent emissions"
    )


def joined_reasons(*reasons: str) -> str:
    """Join :attr:`Trace.reads_low` reasons with ``; `` (empty ones left out)."""
    return "; ".join(r for r in reasons if r)


def trace_label(name: str) -> str:
    """Return how a message names the trace ``name``: ``trace QP``, but ``Trace 1`` as is.

    A loader's own trace names often start with the word (``Trace 1``, ``TRACE 2``): they
    are not written ``trace Trace 1``.
    """
    return name if name.casefold().startswith("trace") else f"trace {name}"


def parse_trace_mode(text: str) -> TraceMode | None:
    """Map a vendor trace-mode name to a :class:`TraceMode`; ``None`` if unknown.

    Vendor names include ``Clear Write``, ``CLR/WRITE``, ``MAXHOLD``, ``Trace Average``, ``VIEW``.
    """
    key = "".join(ch for ch in text.strip().lower() if ch.isalnum())
    return MODE_MAP.get(key)


@dataclass(frozen=True, eq=False)
class Trace:
    """One swept or stepped trace.

    Parameters
    ----------
    freq_hz : ndarray
        Frequency axis, strictly increasing. [Hz]
    level : ndarray
        Levels, same length. [``unit``] (``unit`` None = not stated by the file.)
    unit : LevelUnit or None
        Level unit; ``None`` when the file does not say (the CLI's ``--unit`` states it).
    detector : Detector
        Detector; ``Detector.UNKNOWN`` when the file does not say.
    name : str
        Trace label as the instrument wrote it (``TRACE 1``, ``Trace A``).
    mode : TraceMode
        Sweep combination (max-hold, clear-write, average).
    rbw_hz, vbw_hz : float, optional
        Resolution / video bandwidth. [Hz]
    sweep_time_s : float, optional
        Sweep time of the whole trace. [s]
    dwell_s : float, optional
        Measurement (dwell) time per frequency point, receivers. [s]
    settled : bool, optional
        Whether the detector had time to settle: None = unknown (judged from ``dwell_s``,
        see :mod:`rfcheck.verdict`); False = the detector may not have settled, readings may
        be low: lower bounds only; True = settled (e.g. a long enough receiver-model record).
    settle_s : float, optional
        The record length (dwell) a settled reading of this trace needs, when known (the
        receiver model sets it; ``settled`` is then ``dwell_s >= settle_s``). [s]
    computed_from : str
        The I/Q recording (its path as given) whose samples rfcheck's CISPR 16-1-1 receiver
        model computed this trace from; empty for a trace an instrument read. The reports
        label such values "computed by the receiver model from <recording>"; their verdict
        weight is that of a measured value of the trace's detector.
    channel : str
        The channel of a multi-channel recording the trace was computed from (``Channel 2``);
        empty for a single-channel recording or an instrument's trace. Reports name it
        beside each reading, so a reading can be found again with ``rfcheck receiver
        --channel``.
    ends_at_points : bool
        True: the trace covers nothing beyond its first and last frequencies (a scan the
        receiver model computed from an I/Q or real-sample recording: it stops one B6 inside
        the recording's edge, and an emission beyond its outermost measured frequency reads
        low there, ``docs/verdict.md`` "Coverage"); False: the coverage rule of its detector.
    ends_hz : (float, float), optional
        With ``ends_at_points``: the frequencies its coverage stops at, when they are not its
        own first and last (one band's part of a scan that spans bands, whose last point
        lies within half a grid step of the band's top, where the next band's part begins:
        Band B's 29.9985 MHz covers to 30 MHz). [Hz]
    reads_low : str
        Why the file's own settings let this trace read low, naming the setting (a gated
        sweep: ``'Gate Sweep,ON' (gated sweep): ...``); "" when none. The verdict makes such
        a trace's readings lower bounds at most, with this as its note (``docs/verdict.md``
        "Trace mode"). A stated VBW below the RBW needs no entry here: the verdict reads it
        from ``vbw_hz`` and ``rbw_hz``.
    sweep_unstated : bool
        True: nothing in the file shows the trace was swept (a generic CSV stating neither
        ``# sweep_time_s:`` nor a ``# mode:`` trace mode): its points are readings at their
        own frequencies, each covering its RBW only, however evenly spaced (marker lists,
        stepped readings and typed-in finals look the same as a sweep's grid); False: the
        reader's format is an analyser's or receiver's own, and the grid decides
        (:func:`rfcheck.verdict.coverage.is_sweep_grid`, ``docs/verdict.md`` "Coverage").
    """

    freq_hz: NDArray[np.float64]
    level: NDArray[np.float64]
    unit: LevelUnit | None
    detector: Detector = Detector.UNKNOWN
    name: str = ""
    mode: TraceMode = TraceMode.UNKNOWN
    rbw_hz: float | None = None
    vbw_hz: float | None = None
    sweep_time_s: float | None = None
    dwell_s: float | None = None
    settled: bool | None = None
    settle_s: float | None = None
    computed_from: str = ""
    channel: str = ""
    ends_at_points: bool = False
    reads_low: str = ""
    ends_hz: tuple[float, float] | None = None
    sweep_unstated: bool = False

    @property
    def n_points(self) -> int:
        """Number of frequency points."""
        return int(self.freq_hz.shape[0])

    @property
    def start_hz(self) -> float:
        """First frequency of the trace [Hz]."""
        return float(self.freq_hz[0])

    @property
    def stop_hz(self) -> float:
        """Last frequency of the trace [Hz]."""
        return float(self.freq_hz[-1])


@dataclass(frozen=True, eq=False)
class TimeSeries:
    """A time-domain recording (IQ, real samples, or zero-span envelope).

    Parameters
    ----------
    samples : ndarray
        Sample values, possibly a read-only ``np.memmap`` so long recordings are not
        loaded into memory. IQ: complex; REAL: real volts/units; ENVELOPE: levels in ``unit``.
    sample_rate_hz : float
        Sample rate. [Hz]
    kind : SampleKind
    center_freq_hz : float
        IQ: frequency of DC in the baseband; ENVELOPE: receiver tuned frequency;
        REAL: 0 (samples are the RF waveform itself). [Hz]
    volts_per_unit : float
        Scale from sample value to volts at the receiver input (IQ/REAL). [V]
    unit : LevelUnit or None
        ENVELOPE only: unit of the envelope levels.
    rbw_hz : float, optional
        ENVELOPE only: resolution bandwidth the envelope was taken with. [Hz]
    detector : Detector
        ENVELOPE only: detector of the zero-span trace.
    name : str
        Channel label.
    sample_format : str
        How the file stores the samples (``ci16_le``, ``complex int16``, ``decimal text``),
        not the in-memory ``samples.dtype``; "" when not read from a file.
    full_scale : float, optional
        Integer recordings: the stored integer type's full scale, 2**(bits-1), in sample
        units (an unsigned type after its mid-scale offset is removed). A sample with a
        component at ``-full_scale`` or ``full_scale - 1`` sits on the type's rails:
        clipped (the receiver counts them). None for float samples (no full scale).
    """

    samples: NDArray[np.generic]
    sample_rate_hz: float
    kind: SampleKind
    center_freq_hz: float = 0.0
    volts_per_unit: float = 1.0
    unit: LevelUnit | None = None
    rbw_hz: float | None = None
    detector: Detector = Detector.UNKNOWN
    name: str = ""
    sample_format: str = ""
    full_scale: float | None = None

    @property
    def n_samples(self) -> int:
        """Number of samples in the recording."""
        return int(self.samples.shape[0])

    @property
    def duration_s(self) -> float:
        """Record length [s]."""
        return self.n_samples / self.sample_rate_hz

    @property
    def band_hz(self) -> tuple[float, float]:
        """Frequency range the recording covers [Hz].

        IQ: centre ± fs/2; REAL: 0 … fs/2; ENVELOPE: the tuned frequency only.
        """
        if self.kind is SampleKind.IQ:
            half = self.sample_rate_hz / 2.0
            return (max(self.center_freq_hz - half, 0.0), self.center_freq_hz + half)
        if self.kind is SampleKind.REAL:
            return (0.0, self.sample_rate_hz / 2.0)
        return (self.center_freq_hz, self.center_freq_hz)


@dataclass(frozen=True)
class Instrument:
    """Instrument identity as recorded in the file (empty strings when absent)."""

    vendor: str = ""
    model: str = ""
    serial: str = ""
    firmware: str = ""
    options: str = ""

    def describe(self) -> str:
        """Return the instrument as one line: vendor, model, serial, firmware."""
        parts = [p for p in (self.vendor, self.model) if p]
        text = " ".join(parts) if parts else "unknown instrument"
        if self.serial:
            text += f" s/n {self.serial}"
        if self.firmware:
            text += f" fw {self.firmware}"
        return text


@dataclass(frozen=True)
class Provenance:
    """Where a capture came from: path, SHA-256 of the file bytes, detected format.

    Attributes
    ----------
    path : str
        The file named by the user (for SigMF, the ``.sigmf-meta``, ``.sigmf-data`` or
        archive as given).
    sha256 : str
        SHA-256 of ``path``'s bytes only; companion files are hashed separately.
    format : str
        Reader name.
    size_bytes : int
        Size of ``path``. [bytes]
    companions : tuple of (str, str)
        ``(path, sha256)`` of every other file the capture was read from (a SigMF
        recording's data file, or its metadata file when the data file was named).
    """

    path: str
    sha256: str
    format: str
    size_bytes: int
    companions: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, eq=False)
class Capture:
    """Everything read from one capture file.

    Attributes
    ----------
    traces : tuple of Trace
        Frequency-domain traces (blank/unused traces are dropped by the loader).
    time_series : tuple of TimeSeries
        Time-domain recordings.
    instrument : Instrument
    timestamp : str or None
        Measurement date/time as printed in the file (ISO 8601 when it could be parsed).
    metadata : Mapping[str, str]
        Raw header fields, for the report's equipment section.
    warnings : tuple of str
        Non-fatal observations made while loading (e.g. dropped blank traces).
    provenance : Provenance or None
        Filled in by :func:`rfcheck.io.load_capture`.
    """

    traces: tuple[Trace, ...] = ()
    time_series: tuple[TimeSeries, ...] = ()
    instrument: Instrument = field(default_factory=Instrument)
    timestamp: str | None = None
    metadata: Mapping[str, str] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    provenance: Provenance | None = None

    @property
    def is_time_domain(self) -> bool:
        """True when the capture holds recordings and no traces."""
        return bool(self.time_series) and not self.traces
