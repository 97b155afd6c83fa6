"""The scale of a recording's samples, and the notes that say which scale a run used.

A recording's samples become volts at the receiver input through ``volts_per_unit``
(:class:`~rfcheck.capture.TimeSeries`). The file states it (SigMF
``rfcheck:volts_per_unit``, iq-tar ``<ScalingFactor>``), the user does (``rfcheck receiver
--volts-per-unit``, the setup's ``[check] volts_per_unit``), or nobody does and a sample
value of 1.0 is taken as 1 V. The readers record in ``Capture.metadata``:

- ``volts_per_unit_source``: the file's field, or :data:`DEFAULT_SOURCE` when it states none;
- ``volts_per_unit_field``: the file's own field for the scale (named in the notes);
- ``volts_per_unit_per``: what one volt-per-unit value scales, so a user states the right
  number: ``full scale`` for SigMF integers (the SigMF convention, n / 2**(bits-1)),
  ``raw count`` for iq-tar integers (R&S: value x ScalingFactor = volts), ``sample value
  1.0`` for floats.

Every output of a run that rests on the default scale says so (:func:`scale_notes`), and a
run with a user-stated scale names it. What a file read at the default scale lacks is noted
once, in one wording for every format (:func:`missing_scale_note`): the iq-tar reader's
note, and ``rfcheck info``'s for any recording whose reader does not note it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

__all__ = [
    "DEFAULT_SOURCE",
    "FIELD_KEY",
    "PER_KEY",
    "SOURCE_KEY",
    "default_scale_note",
    "missing_scale_note",
    "missing_scale_notes",
    "rests_on_default_scale",
    "scale_cell",
    "scale_notes",
    "scale_unit",
]

#: ``Capture.metadata`` key: where the scale came from.
SOURCE_KEY = "volts_per_unit_source"
#: ``Capture.metadata`` key: the file's own field for the scale.
FIELD_KEY = "volts_per_unit_field"
#: ``Capture.metadata`` key: what one volt-per-unit value scales.
PER_KEY = "volts_per_unit_per"
#: ``volts_per_unit_source`` of a file stating no scale.
DEFAULT_SOURCE = "default 1 V"
#: How :func:`scale_cell` begins for a recording whose scale nobody stated.
_DEFAULT_PREFIX = "default 1 V per "


def default_scale_note(field: str, route: str, per: str = "sample value 1.0") -> str:
    """Return the note of a run that took the samples as volts (no scale stated).

    ``field``: the file's own field for the scale; ``route``: how the user states it in
    this command (``--volts-per-unit``, the setup's ``[check] volts_per_unit``); ``per``:
    what one value of it scales (``full scale``, ``raw count``, ``sample value 1.0``).
    """
    return (
        f"samples taken as volts at the receiver input (1 V per {per}); state {field} or "
        f"{route} (volts per {per}) otherwise"
    )


def missing_scale_note(field: str) -> str:
    """Return the note on a recording that states no scale: ``field`` is the file's own field.

    ``no <ScalingFactor> in the recording: samples taken as volts``. What a run takes then,
    and how to state it instead, is the run's own note (:func:`default_scale_note`).
    """
    return f"no {field} in the recording: samples taken as volts"


def missing_scale_notes(metadata: Mapping[str, str], notes: Sequence[str]) -> list[str]:
    """Return ``notes`` with :func:`missing_scale_note` when the file states no scale.

    For a capture read at the default scale (``volts_per_unit_source`` is
    :data:`DEFAULT_SOURCE`) whose reader's ``notes`` do not hold it already; else ``notes``
    as given. ``rfcheck info`` shows what a file lacks alike for every recording format.
    """
    out = list(notes)
    if metadata.get(SOURCE_KEY) == DEFAULT_SOURCE:
        note = missing_scale_note(metadata.get(FIELD_KEY, "scale"))
        if note not in out:
            out.append(note)
    return out


def scale_notes(
    metadata: Mapping[str, str], route: str, stated_v: float | None = None
) -> list[str]:
    """Return the notes on the scale a run used (empty when the file's own scale is used).

    Parameters
    ----------
    metadata : mapping
        The capture's metadata (the keys in the module docstring).
    route : str
        How the user states the scale in this command.
    stated_v : float, optional
        The scale the user stated, replacing the file's. [V per ``volts_per_unit_per``]

    Returns
    -------
    list of str
        The default-scale note (:func:`default_scale_note`), or the stated scale in words.
    """
    per = scale_unit(metadata)
    if stated_v is not None:
        return [f"samples scaled by {route} = {stated_v:g} V per {per}"]
    if metadata.get(SOURCE_KEY) == DEFAULT_SOURCE:
        return [default_scale_note(metadata.get(FIELD_KEY, "the scale"), route, per)]
    return []


def scale_cell(metadata: Mapping[str, str], stated_v: float | None = None) -> str:
    """Return the scale a run used in one short cell (the CSV ``scale`` column).

    ``stated <v> V per <per>`` when the user stated it, ``default 1 V per <per>`` when
    nobody did, ``file <field>`` when the file's own field gave it; empty for a file whose
    readings carry their own unit (no ``volts_per_unit_source`` in ``metadata``).
    """
    per = scale_unit(metadata)
    if stated_v is not None:
        return f"stated {stated_v:g} V per {per}"
    source = metadata.get(SOURCE_KEY)
    if source is None:
        return ""
    if source == DEFAULT_SOURCE:
        return f"{_DEFAULT_PREFIX}{per}"
    return f"file {metadata.get(FIELD_KEY, source)}"


def rests_on_default_scale(cell: str) -> bool:
    """Return whether a :func:`scale_cell` (or a pool's ``name: cell; ...``) took 1 V by default."""
    return default_scale_unit(cell) is not None


def default_scale_unit(cell: str) -> str | None:
    """Return what 1 V was taken per (``full scale``...) in a :func:`scale_cell`, else None.

    For a pool's ``name: cell; ...`` the first member that took the default scale names it.
    """
    for part in cell.split("; "):
        own = part.rsplit(": ", 1)[-1]
        if own.startswith(_DEFAULT_PREFIX):
            return own[len(_DEFAULT_PREFIX) :]
    return None


def scale_unit(metadata: Mapping[str, str]) -> str:
    """Return what one volt-per-unit value scales in this capture (``full scale``...)."""
    return metadata.get(PER_KEY, "sample value 1.0")
