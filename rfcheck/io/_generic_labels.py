"""What a generic CSV's column label or ``# detector:`` comment says of the detector and mode.

A label names a detector by its words (``Peak``, ``QP``, ``CISPR-AV``); an average label
(``Avg``, ``Average``, ``AV``) names its scale only with a word beside it (``Avg (linear)``,
``Log Avg``, ``Avg power``), and without one is read as a log-average, a lower bound of every
line (docs/formats.md, "generic CSV"; docs/verdict.md, "Detector ordering").

A label may also name a trace mode (``Peak MinHold``, ``Peak (min hold)``, ``Peak Trace
Average``): the column then has that mode, whatever ``# mode:`` says, unless the comment's
reads lower. Every word of a label is read, not only the first that names a detector: an
average word beside another detector (``Peak Avg``, ``Avg Peak``, ``Pk Av``) may name the
average detector or a trace average, and is read as the trace average, the reading that
bounds less (that detector's readings, lower bounds only); a minus sign on a peak
(``-Peak``, ``PK-``) names the negative peak; two other detectors (``QP Peak``) are refused
unless ``# detector:`` names one of them (:func:`column_reading`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..capture import (
    MODE_MAP,
    UNDER_READING_MODES,
    Detector,
    TraceMode,
    parse_detector,
    stated_trace_mode,
)

__all__ = [
    "AVERAGE_FAMILY",
    "ColumnReading",
    "column_reading",
    "label_detector_name",
    "unscaled_average_note",
]


def label_detector_name(label: str) -> Detector | None:
    """Return the detector a ``# detector:`` comment names (its first word naming one), or None."""
    det = parse_detector(label)
    if det is not None:
        return det
    for token in re.split(r"[\s_]+", label):
        det = parse_detector(token)
        if det is not None and det is not Detector.UNKNOWN:
            return det
    return None


#: Words beside an average label that state its scale (``Avg (linear)``, ``Log Avg``,
#: ``Average power``): the detector the average then is (``io/_average_type.py``).
_AVERAGE_SCALES: dict[str, Detector] = {
    "linear": Detector.AVERAGE,
    "lin": Detector.AVERAGE,
    "voltage": Detector.AVERAGE,
    "volt": Detector.AVERAGE,
    "scalar": Detector.AVERAGE,
    "log": Detector.LOG_AVERAGE,
    "logpower": Detector.LOG_AVERAGE,
    "logpwr": Detector.LOG_AVERAGE,
    "video": Detector.LOG_AVERAGE,
    "power": Detector.RMS,
    "pwr": Detector.RMS,
    "rms": Detector.RMS,
}
#: Detectors a ``# detector:`` comment may give an average column whose label states no scale.
AVERAGE_FAMILY = (
    Detector.AVERAGE,
    Detector.CISPR_AVERAGE,
    Detector.LOG_AVERAGE,
    Detector.RMS,
    Detector.RMS_AVERAGE,
)


def unscaled_average_note(label: str) -> str:
    return (
        f"column {label!r} names an average but not its scale, and an analyser's average is "
        "often of log (dB) values, up to 20 dB below the linear average of a bursty emission: "
        "read as a log-average, a lower bound of every limit line (a reading above the limit "
        "still fails); for the linear (voltage) average write '# detector: average' or a label "
        "such as 'Avg (linear)' or 'CISPR-AV'"
    )


#: Trace-mode words a column label may hold, beside every word :data:`MODE_MAP` knows:
#: ``Peak Min``, ``Peak Minimum``, ``Peak averaged`` (a label's words, not an instrument's).
LABEL_MODES: dict[str, TraceMode] = {
    **MODE_MAP,
    **{m.value.replace("-", ""): m for m in TraceMode},
    "min": TraceMode.MIN_HOLD,
    "minimum": TraceMode.MIN_HOLD,
    "averaged": TraceMode.AVERAGE,
    "traceavg": TraceMode.AVERAGE,
}
#: Words that name the average detector and a trace average alike (``Peak Avg``).
_AVERAGE_WORDS = frozenset({"av", "avg", "aver", "average"})
#: A label's words: ``MinHold`` and ``PeakMin`` split at the capital, digits apart.
_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+")
#: A minus sign on a peak (``-Peak``, ``PK-``): the negative peak.
_MINUS_PEAK = re.compile(
    r"(?<![a-z0-9])[-\u2212]\s*(?:peak|pk)(?![a-z0-9])|(?<![a-z0-9])(?:peak|pk)\s*[-\u2212](?![a-z0-9])"
)
#: The most words a detector or mode name spans (``Minimum Hold``, ``CISPR Av``).
_NAME_WORDS = 3


@dataclass(frozen=True)
class ColumnReading:
    """What a level column's label says of its detector and trace mode.

    Attributes
    ----------
    detector : Detector or None
        The detector it names; None when it names none (or two: ``conflict``).
    unscaled : bool
        The detector is an average whose scale the label does not state (``Avg``).
    mode : TraceMode or None
        The trace mode it names (``Peak MinHold``: min-hold), None when it names none.
    conflict : tuple of Detector
        Two or more different detectors it names (``QP Peak``); empty when it names one.
    note : str
        How an average word beside another detector was read (``Peak Avg``), else "".
    """

    detector: Detector | None
    unscaled: bool = False
    mode: TraceMode | None = None
    conflict: tuple[Detector, ...] = ()
    note: str = ""


def _label_words(label: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(label)]


def _label_mode(key: str) -> TraceMode | None:
    mode, unknown = stated_trace_mode(key, LABEL_MODES)
    return None if unknown or mode is TraceMode.UNKNOWN else mode


def column_reading(label: str) -> ColumnReading:
    """Return the detector and trace mode a column label names, every word of it read.

    The whole label first (``Min Peak``, ``Log Avg``, ``CISPR-AV`` as before); else its
    words, up to three at a time, the longest name first (``Min Hold``, ``Trace Average``).
    An average word (``Avg``, ``Average``, ``AV``) beside a detector outside the average
    family (``Peak Avg``, ``Avg Peak``: the same reading either way round) is read as a
    trace average (``note`` says so): were it the average detector, the column would be a
    lower bound of every line; as a trace average its readings are that detector's lower
    bounds only, the reading that bounds less. Beside an average of stated kind (``CAV
    Avg``) it adds nothing. Unknown words (``Level``, ``Trace 1``) are names, not modes.
    """
    text = label.strip()
    if _MINUS_PEAK.search(text.lower()):
        return ColumnReading(Detector.NEGATIVE_PEAK)
    whole = parse_detector(text)
    if whole is not None and whole is not Detector.UNKNOWN:
        return _scaled(whole, label, None)
    words = _label_words(text)
    named: list[Detector] = []
    modes: list[TraceMode] = []
    average_word = ""
    i = 0
    while i < len(words):
        for n in range(min(_NAME_WORDS, len(words) - i), 0, -1):
            key = "".join(words[i : i + n])
            det = parse_detector(key)
            mode = _label_mode(key)
            if n == 1 and key in _AVERAGE_WORDS:
                average_word = average_word or key
                break
            if det is not None and det is not Detector.UNKNOWN:
                if det not in named:
                    named.append(det)
                break
            if mode is not None:
                modes.append(mode)
                break
        i += n
    mode = _lowest_mode(modes)
    if len(named) > 1:
        return ColumnReading(None, mode=mode, conflict=tuple(named))
    if not named:
        return (
            _scaled(Detector.AVERAGE, label, mode)
            if average_word
            else ColumnReading(None, mode=mode)
        )
    det = named[0]
    if not average_word or det in AVERAGE_FAMILY:
        return ColumnReading(det, mode=mode)
    note = (
        f"column {label!r} names the {det.value} detector and {average_word!r}, which may name "
        f"the average detector or a trace average: read as a {det.value} trace averaged over "
        "sweeps, which can read low (lower bounds only, as '# mode: average' reads); label a "
        "column of the average detector with it alone ('Avg (linear)', 'CISPR-AV')"
    )
    return ColumnReading(det, mode=_lowest_mode([*modes, TraceMode.AVERAGE]), note=note)


def _lowest_mode(modes: list[TraceMode]) -> TraceMode | None:
    """Return the mode of ``modes`` that reads low (min-hold first), else the first, or None."""
    for low in UNDER_READING_MODES:
        if low in modes:
            return low
    return modes[0] if modes else None


def _scaled(det: Detector, label: str, mode: TraceMode | None) -> ColumnReading:
    """``det`` with the scale a word beside an average states (``Avg (linear)``)."""
    if det is not Detector.AVERAGE:
        return ColumnReading(det, mode=mode)
    for word in re.findall(r"[a-z0-9]+", label.lower()):
        if word in _AVERAGE_SCALES:
            return ColumnReading(_AVERAGE_SCALES[word], mode=mode)
    return ColumnReading(det, unscaled=True, mode=mode)
