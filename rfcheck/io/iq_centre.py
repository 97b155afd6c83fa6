"""The centre frequency a recording states: an I/Q recording's missing one, a real one's.

A reader that finds no centre frequency (SigMF ``core:frequency``, iq-tar ``UserData``) sets
``center_freq_hz = nan`` and adds :func:`unknown_centre_note` to the capture's warnings. A
run that states the centre (``rfcheck receiver --center-freq``, ``rfcheck check
--center-freq`` or the setup's ``[check] center_frequency_hz``) leaves the note out of its
output (:func:`without_unknown_centre_notes`): the centre is then known.

Real samples are read as the RF waveform itself, 0 Hz .. fs/2. A centre stated for them
(by the file or the run) above fs/2 contradicts that reading: the samples would be a real IF
or a bandpass-sampled record, which rfcheck does not read, and judging them at 0 .. fs/2
would claim results at frequencies never measured. :func:`real_centre_refusal` says so (the
caller refuses the recording); a centre in (0, fs/2] is consistent with the reading and only
noted (:func:`real_centre_note`). See docs/receiver.md "Recording inputs: real samples".
"""

from __future__ import annotations

from collections.abc import Iterable

from ..frequency import format_hz

__all__ = [
    "CENTRE_ROUTES",
    "real_centre_note",
    "real_centre_refusal",
    "reader_notes",
    "unknown_centre_note",
    "unknown_centre_reason",
    "without_unknown_centre_notes",
]

#: How a user states a centre frequency (named in the note and in the receiver's error).
CENTRE_ROUTES = "--center-freq or the setup's [check] center_frequency_hz"
_UNKNOWN = "the centre frequency is unknown; state it with " + CENTRE_ROUTES


def unknown_centre_note(what: str) -> str:
    """Return the reader's note that ``what`` (the file's place for it) states no centre."""
    return f"{what}: {_UNKNOWN}"


def unknown_centre_reason(notes: Iterable[str]) -> str:
    """Return why the reader found no centre (its note's opening), "" when no note says.

    ``captures[0] has no core:frequency; the global object has one, but SigMF puts
    core:frequency in captures[]``: the receiver's error names it instead of "the file
    states none".
    """
    tail = ": " + _UNKNOWN
    return next((n[: -len(tail)] for n in notes if n.endswith(tail)), "")


def without_unknown_centre_notes(notes: Iterable[str]) -> list[str]:
    """Return ``notes`` less the :func:`unknown_centre_note` ones (the run stated the centre)."""
    return [n for n in notes if not n.endswith(_UNKNOWN)]


def reader_notes(notes: Iterable[str], centre_stated: bool) -> list[str]:
    """Return a capture's reader notes for a run; ``centre_stated``: the run gave the centre."""
    return without_unknown_centre_notes(notes) if centre_stated else list(notes)


def real_centre_refusal(stated: str, centre_hz: float, sample_rate_hz: float, convert: str) -> str:
    """Return why a centre stated for a real-sample recording cannot be read; "" when it can.

    Parameters
    ----------
    stated : str
        The centre as stated, opening the message (``captures[0].core:frequency 100 MHz``).
    centre_hz : float
        The stated centre. [Hz]
    sample_rate_hz : float
        The recording's sample rate fs; its real samples cover 0 .. fs/2. [Hz]
    convert : str
        How this format states complex I/Q (``a c* core:datatype``), named in the remedy;
        "" names none.
    """
    nyquist = sample_rate_hz / 2
    if centre_hz <= nyquist:
        return ""
    how = f" ({convert})" if convert else ""
    return (
        f"{stated} is above fs/2 = {format_hz(nyquist, digits=10)} of this real-sample "
        "recording: its samples would be a real IF or a bandpass-sampled record, which rfcheck "
        "does not read (real samples are read as the RF waveform itself, 0 Hz .. fs/2); "
        f"convert it to complex I/Q{how} centred on its true frequency"
    )


def real_centre_note(stated: str, sample_rate_hz: float) -> str:
    """Return the note on a centre in (0, fs/2] stated for a real-sample recording.

    ``stated`` as for :func:`real_centre_refusal`; ``sample_rate_hz`` [Hz]. The samples are
    read as the RF waveform itself; the stated frequency lies in the band they cover and is
    not used to shift it.
    """
    return (
        f"{stated} lies within this real-sample recording's band 0 Hz .. fs/2 = "
        f"{format_hz(sample_rate_hz / 2, digits=10)}: the samples are read as the RF waveform "
        "itself (0 Hz baseband), at the frequencies sampled"
    )
