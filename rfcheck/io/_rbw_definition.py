"""At which level a file's RBW is stated, and its bandwidth at -6 dB, the CISPR definition.

CISPR 16-1-1 states the measuring receiver's bandwidths (200 Hz, 9 kHz, 120 kHz, 1 MHz) at
-6 dB; an analyser may state its RBW at -3 dB, as a noise or impulse bandwidth, or for a
filter shape whose -6 dB width the file does not give. The verdict compares ``rbw_hz`` with
the CISPR bandwidth (``docs/verdict.md``, "Bandwidth"), so a reader converts only where the
instrument's documentation fixes the ratio, and otherwise leaves ``rbw_hz`` None with a note
(a bandwidth not stated may be narrower or wider: its readings bound nothing, except above a
minimum-RBW floor). The user may state it (``--rbw``, :func:`user_rbw_hz`), never against the
file's.

References
----------
CISPR 16-1-1, Table 1 (bandwidths at -6 dB). Keysight X-Series Spectrum Analyzer Mode User's &
Programmer's Reference, Swept SA, "RBW Filter BW" (``[:SENSe]:BANDwidth:TYPE DB3 | DB6 |
IMPulse | NOISe``): the four are ways of stating one Gaussian filter's width, e.g. a 300 Hz
-3 dB filter is annotated "Res BW (-6 dB) 422 Hz" (422/300 = 1.41).
"""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path

from ..capture import SampleKind, TimeSeries, Trace, trace_label
from ..errors import CaptureFormatError
from ..frequency import format_hz

__all__ = [
    "GAUSSIAN_6DB_PER_3DB",
    "SAME_RBW_REL",
    "declined_rbw_note",
    "envelope_with_rbw",
    "gaussian_6db_hz",
    "trace_with_rbw",
]

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
        f"RBW {format_hz(rbw_3db_hz)} at -3 dB ({field}){_READ_AS}{format_hz(rbw_6db_hz)} at "
        "-6 dB, the CISPR 16-1-1 definition (a Gaussian filter's -6 dB bandwidth is sqrt(2) "
        "times its -3 dB bandwidth)"
    )
    return rbw_6db_hz


#: How :func:`gaussian_6db_hz`'s note joins the file's RBW and its -6 dB bandwidth.
_READ_AS = " read as "


def _converted_from(stated_hz: float, notes: tuple[str, ...]) -> str | None:
    """Return what the file states for an RBW the reader converted to ``stated_hz`` [Hz].

    ``RBW 10 kHz at -3 dB ('RBW Filter BW,3dB')`` from :func:`gaussian_6db_hz`'s note; None
    when the file's RBW was taken as read.
    """
    tail = f"{_READ_AS}{format_hz(stated_hz)} at -6 dB"
    for note in notes:
        if note.startswith("RBW ") and tail in note:
            return note[: note.index(tail)]
    return None


def declined_rbw_note(rbw_hz: float, field: str, why: str) -> str:
    """Return the note for an RBW not used because its -6 dB bandwidth is not known.

    ``why`` says what the file states instead (``"a noise bandwidth"``).
    """
    return (
        f"RBW {format_hz(rbw_hz)} is {why} ({field}); its -6 dB bandwidth, the CISPR 16-1-1 "
        "definition, is not known, so the RBW is not used"
    )


#: The user's RBW agrees with a file's within this relative difference (a value typed from
#: the instrument's display, ``14.1421k`` for a converted 14142.1356 Hz).
SAME_RBW_REL = 1e-3


def _user_rbw_hz(
    stated_hz: float | None,
    user_hz: float | None,
    path: Path,
    what: str,
    notes: tuple[str, ...] = (),
) -> float | None:
    """Return a trace's RBW: the file's, else the one the user states (``--rbw``) [Hz].

    Parameters
    ----------
    stated_hz : float or None
        The RBW the reader found (-6 dB), None when the file states none usable. [Hz]
    user_hz : float or None
        The user's RBW for traces whose file states none. [Hz]
    path : Path
        The capture, for the error.
    what : str
        The trace, for the error (``"trace QP"``, ``"envelope 1"``).
    notes : tuple of str
        The capture's notes: where the reader converted the file's RBW to -6 dB
        (:func:`gaussian_6db_hz`), the error says what the file states and what it was
        compared as.

    Raises
    ------
    CaptureFormatError
        The file states an RBW that differs from the user's by more than
        :data:`SAME_RBW_REL` (nothing is silently re-interpreted).
    """
    if user_hz is None or stated_hz is None:
        return stated_hz if user_hz is None else user_hz
    if abs(stated_hz - user_hz) > SAME_RBW_REL * max(stated_hz, user_hz):
        stated = format_hz(stated_hz)
        converted = _converted_from(stated_hz, notes)
        if converted is None:
            message = f"--rbw {format_hz(user_hz)} contradicts the file's RBW {stated} for {what}"
        else:
            message = (
                f"--rbw {format_hz(user_hz)} contradicts the file's RBW for {what}: the file "
                f"states {converted}, which is {stated} at -6 dB, the bandwidth --rbw gives "
                f"(CISPR 16-1-1); give --rbw {_option_value(stated)} or leave --rbw out, "
                "as the file states its RBW"
            )
        raise CaptureFormatError(message, path)
    return stated_hz


def _option_value(text: str) -> str:
    """``14.1421k`` for :func:`format_hz`'s ``14.1421 kHz`` (as ``--rbw`` takes it)."""
    number, unit = text.split(" ")
    return number + unit.removesuffix("Hz")


def trace_with_rbw(
    tr: Trace, path: Path, rbw_hz: float | None, notes: tuple[str, ...] = ()
) -> Trace:
    """``tr`` with the user's RBW (``--rbw``) [Hz] where its file states none.

    ``notes``: the capture's, for the error (:func:`_user_rbw_hz`).

    Raises
    ------
    CaptureFormatError
        The file states another RBW (:func:`_user_rbw_hz`).
    """
    rbw = _user_rbw_hz(tr.rbw_hz, rbw_hz, path, trace_label(tr.name or "1"), notes)
    return tr if rbw == tr.rbw_hz else dataclasses.replace(tr, rbw_hz=rbw)


def envelope_with_rbw(ts: TimeSeries, path: Path, rbw_hz: float | None) -> TimeSeries:
    """``ts`` with the user's RBW (``--rbw``) [Hz] where it is a zero-span envelope stating none.

    An envelope went through the instrument's IF in its RBW; an I/Q or real recording is
    filtered by the receiver model in each band's own bandwidth (no RBW of its own).

    Raises
    ------
    CaptureFormatError
        The file states another RBW (:func:`_user_rbw_hz`).
    """
    if ts.kind is not SampleKind.ENVELOPE:
        return ts
    rbw = _user_rbw_hz(ts.rbw_hz, rbw_hz, path, f"envelope {ts.name or 1}")
    return ts if rbw == ts.rbw_hz else dataclasses.replace(ts, rbw_hz=rbw)
