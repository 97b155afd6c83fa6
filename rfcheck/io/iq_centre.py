"""An I/Q recording whose file states no centre frequency: the readers' note, and its removal.

A reader that finds no centre frequency (SigMF ``core:frequency``, iq-tar ``UserData``) sets
``center_freq_hz = nan`` and adds :func:`unknown_centre_note` to the capture's warnings. A
run that states the centre (``rfcheck receiver --center-freq``, ``rfcheck check
--center-freq`` or the setup's ``[check] center_frequency_hz``) leaves the note out of its
output (:func:`without_unknown_centre_notes`): the centre is then known.
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = [
    "CENTRE_ROUTES",
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
