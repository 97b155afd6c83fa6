"""At which level a file's RBW is stated, and its bandwidth at -6 dB, the CISPR definition.

CISPR 16-1-1 states the measuring receiver's bandwidths (200 Hz, 9 kHz, 120 kHz, 1 MHz) at
-6 dB; an analyser may state its RBW at -3 dB, as a noise or impulse bandwidth, or for a
filter shape whose -6 dB width the file does not give. The verdict compares ``rbw_hz`` with
the CISPR bandwidth (``docs/verdict.md``, "Bandwidth"), so a reader converts only where the
instrument's documentation fixes the ratio, and otherwise leaves ``rbw_hz`` None with a note
(a bandwidth not stated is demoted like a narrow one).

References
----------
CISPR 16-1-1, Table 1 (bandwidths at -6 dB). Keysight X-Series Spectrum Analyzer Mode User's &
Programmer's Reference, Swept SA, "RBW Filter BW" (``[:SENSe]:BANDwidth:TYPE DB3 | DB6 |
IMPulse | NOISe``): the four are ways of stating one Gaussian filter's width, e.g. a 300 Hz
-3 dB filter is annotated "Res BW (-6 dB) 422 Hz" (422/300 = 1.41).
"""

from __future__ import annotations

import math

from ..frequency import format_hz

__all__ = ["GAUSSIAN_6DB_PER_3DB", "gaussian_6db_hz", "declined_rbw_note"]

#: A Gaussian filter's -6 dB bandwidth over its -3 dB bandwidth. Its response in dB is a
#: parabola in frequency, so the width at -6 dB is sqrt(6.02/3.01) = sqrt(2) times the width
#: at -3 dB (the X-Series reference's example: 300 Hz at -3 dB, 422 Hz at -6 dB).
GAUSSIAN_6DB_PER_3DB = math.sqrt(2.0)


def gaussian_6db_hz(rbw_3db_hz: float, field: str, notes: list[str]) -> float:
    """Return the -6 dB bandwidth of a Gaussian RBW filter stated at -3 dB, noting it [Hz].

    Parameters
    ----------
    rbw_3db_hz : float
        The file's RBW, its -3 dB bandwidth. [Hz]
    field : str
        The header field that says so (``'RBW Filter BW,3dB'``), for the note.
    notes : list of str
        The capture's notes, appended to.

    Returns
    -------
    float
        :data:`GAUSSIAN_6DB_PER_3DB` × ``rbw_3db_hz``. [Hz]
    """
    rbw_6db_hz = GAUSSIAN_6DB_PER_3DB * rbw_3db_hz
    notes.append(
        f"RBW {format_hz(rbw_3db_hz)} at -3 dB ({field}) read as {format_hz(rbw_6db_hz)} at "
        "-6 dB, the CISPR 16-1-1 definition (a Gaussian filter's -6 dB bandwidth is sqrt(2) "
        "times its -3 dB bandwidth)"
    )
    return rbw_6db_hz


def declined_rbw_note(rbw_hz: float, field: str, why: str) -> str:
    """Return the note for an RBW not used because its -6 dB bandwidth is not known.

    ``why`` says what the file states instead (``"a noise bandwidth"``).
    """
    return (
        f"RBW {format_hz(rbw_hz)} is {why} ({field}); its -6 dB bandwidth, the CISPR 16-1-1 "
        "definition, is not known, so the RBW is not used"
    )
