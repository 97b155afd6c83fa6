"""The scale an analyser averages on (``Average Type``), and what it makes an Average trace.

Swept analysers average the detected envelope on one of three scales, chosen by one setting
for the Average detector, trace averaging and VBW filtering alike: log power (the mean of dB
values, called "video"), power (the RMS) or voltage (the linear mean). Only the voltage
average is the average detector of ``docs/verdict.md``; a mean of dB values is never above
the linear mean (Jensen's inequality), so it bounds every line from below only
(:attr:`~rfcheck.capture.Detector.LOG_AVERAGE`), and a power average is an RMS reading.

References
----------
Keysight X-Series Spectrum Analyzer Mode User's & Programmer's Reference, Swept SA: "Average
Type" (``[:SENSe]:AVERage:TYPE LOG | RMS | SCALar``: the scale applies to trace averaging,
the Average detector and VBW filtering), "Detector" (average detection on the power scale
"is equivalent to ... RMS detection"; Quasi Peak and EMI Average average on the voltage
scale, and on another one "the results will no longer be CISPR compliant"); the same
reference labels the Average Type keys "Log-Pwr Avg (Video)" (``LOG``), "Pwr Avg (RMS)"
(``RMS``) and "Voltage Avg" (``SCALar``, voltage averaging). The X-series U9072A application
reference, Meas Setup, "Average Type", reads them back as "Log-Pwr (Video)", "Pwr (RMS)" (for
"Power Avg") and "Voltage", and says of "Voltage Avg": "all filtering and averaging processes
work on the voltage of the envelope of the signal"; the PSA (E4440A) reference of "Pwr Avg
(RMS)": they "work on the power". Siglent
SSA3000X/SVA1000X (``[:SENSe]:AVERage:TYPE LOGPower|POWer|VOLTage``, the Average detector's
method) and Keysight N9343C exports state the same setting (``Average Type,Log Pwr``), and
so may Rigol RSA/DSA header exports. Signal Hound BB60 API manual, ``bbConfigureProcUnits``:
Spike's video processing (its Average detector) runs in log, voltage or power units
(``BB_LOG``, ``BB_VOLTAGE``, ``BB_POWER``), stated as ``Video Units``.
"""

from __future__ import annotations

from ..capture import Detector
from ._header import map_name

__all__ = ["AVERAGE_TYPE_MAP", "on_average_scale"]

#: ``Average Type`` values (letters and digits only, lower case) -> the detector an
#: ``Average`` trace is on that scale.
AVERAGE_TYPE_MAP: dict[str, Detector] = {
    "logpowervideo": Detector.LOG_AVERAGE,
    "logpower": Detector.LOG_AVERAGE,
    "logpwr": Detector.LOG_AVERAGE,
    "log": Detector.LOG_AVERAGE,
    "video": Detector.LOG_AVERAGE,
    "logpwravgvideo": Detector.LOG_AVERAGE,  # the X-series key label, and its readback
    "logpwrvideo": Detector.LOG_AVERAGE,
    "powerrms": Detector.RMS,
    "power": Detector.RMS,
    "pwrrms": Detector.RMS,
    "pwr": Detector.RMS,
    "rms": Detector.RMS,
    "pwravgrms": Detector.RMS,  # the X-series key label, also spelled out
    "poweravgrms": Detector.RMS,
    "voltage": Detector.AVERAGE,
    "scalar": Detector.AVERAGE,
    "voltageavg": Detector.AVERAGE,  # the X-series key label
}

_LOWER_ONLY = (
    "log-average: an average of log (dB) values is never above the linear average, so it "
    "bounds every limit line from below only"
)


def on_average_scale(
    detector: Detector,
    det_text: str,
    average_type: str,
    name: str,
    warnings: list[str],
    *,
    cispr_scaled: bool = False,
    field: str = "Average Type",
) -> Detector:
    """Return what a trace's detector is once the file's ``Average Type`` is applied.

    ``Average`` becomes the log-average, RMS or (voltage) average by
    :data:`AVERAGE_TYPE_MAP`, and unknown when the file states no or an unrecognised type.
    With ``cispr_scaled`` (a format whose manual says its CISPR detectors average on the same
    scale), a quasi-peak or CISPR-average trace on a stated scale other than voltage is no
    CISPR reading: the CISPR-average on the log scale is a log-average, any other pairing
    unknown. Every change is noted in ``warnings``, naming the field.

    Parameters
    ----------
    detector : Detector
        The detector read from the trace's detector field.
    det_text : str
        That field's text, for the notes.
    average_type : str
        The file's ``Average Type`` value; "" when the file states none.
    name : str
        The trace, for the notes.
    warnings : list of str
        The capture's notes, appended to.
    cispr_scaled : bool
        The format's quasi-peak and CISPR-average detectors average on ``average_type`` too
        (the Keysight X-series); otherwise they are left as read.
    field : str
        The file's name for the setting, for the notes (Signal Hound Spike: ``Video Units``).

    Returns
    -------
    Detector
    """
    stated_as = f"'{field},{average_type}'"
    scale = map_name(average_type, AVERAGE_TYPE_MAP, None) if average_type else None
    if detector is Detector.AVERAGE:
        if scale is None:
            stated = f"an unrecognised {stated_as}" if average_type else f"no '{field}'"
            warnings.append(
                f"{name}: detector {det_text!r} with {stated}: it may average log (dB) values, "
                "power or voltage, so the detector is not known; state it with --detector"
            )
            return Detector.UNKNOWN
        if scale is Detector.LOG_AVERAGE:
            warnings.append(f"{name}: detector {det_text!r} with {stated_as} read as {_LOWER_ONLY}")
        elif scale is Detector.RMS:
            warnings.append(
                f"{name}: detector {det_text!r} with {stated_as} read as rms (a power average)"
            )
        return scale
    cispr = cispr_scaled and detector in (Detector.QUASI_PEAK, Detector.CISPR_AVERAGE)
    if not cispr or not average_type or scale is Detector.AVERAGE:
        return detector
    if detector is Detector.CISPR_AVERAGE and scale is Detector.LOG_AVERAGE:
        warnings.append(f"{name}: detector {det_text!r} with {stated_as} read as {_LOWER_ONLY}")
        return scale
    if scale is None:
        warnings.append(
            f"{name}: detector {det_text!r} with an unrecognised {stated_as}: the averaging "
            "scale is not known, and the CISPR detector is a CISPR reading on the voltage scale "
            "only, so the detector is not known; state it with --detector"
        )
        return Detector.UNKNOWN
    warnings.append(
        f"{name}: detector {det_text!r} with {stated_as}: the CISPR detector averages on the "
        "voltage scale, so this is no CISPR reading and its detector is not known; state it "
        "with --detector"
    )
    return Detector.UNKNOWN
