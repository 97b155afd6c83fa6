"""What a generic CSV's column label or ``# detector:`` comment says of the detector.

A label names a detector by its words (``Peak``, ``QP``, ``CISPR-AV``); an average label
(``Avg``, ``Average``, ``AV``) names its scale only with a word beside it (``Avg (linear)``,
``Log Avg``, ``Avg power``), and without one is read as a log-average, a lower bound of every
line (docs/formats.md, "generic CSV"; docs/verdict.md, "Detector ordering").
"""

from __future__ import annotations

import re

from ..capture import Detector, parse_detector

__all__ = [
    "AVERAGE_FAMILY",
    "column_detector",
    "label_detector_name",
    "unscaled_average_note",
]


def label_detector_name(label: str) -> Detector | None:
    """Return the detector a label or comment names (its first word that names one), or None."""
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


def column_detector(label: str) -> tuple[Detector | None, bool]:
    """Return the detector a column label names, and whether it is an average of unstated scale.

    ``Avg``, ``Average`` and ``AV`` name an average but not its scale: an analyser averages
    log (dB) values, power or voltage, and only the voltage average is the average detector.
    A word beside it states the scale (``Avg (linear)`` the voltage average, ``Log Avg`` the
    log-average, ``Avg power`` the rms); without one, the second value is True.
    """
    det = label_detector_name(label)
    if det is not Detector.AVERAGE:
        return det, False
    for word in re.findall(r"[a-z0-9]+", label.lower()):
        if word in _AVERAGE_SCALES:
            return _AVERAGE_SCALES[word], False
    return det, True


def unscaled_average_note(label: str) -> str:
    return (
        f"column {label!r} names an average but not its scale, and an analyser's average is "
        "often of log (dB) values, up to 20 dB below the linear average of a bursty emission: "
        "read as a log-average, a lower bound of every limit line (a reading above the limit "
        "still fails); for the linear (voltage) average write '# detector: average' or a label "
        "such as 'Avg (linear)' or 'CISPR-AV'"
    )
