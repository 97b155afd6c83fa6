"""Settings an R&S ASCII export's data already include: level and frequency offsets, transducers.

The instrument's exported levels include its ``Level Offset`` and an active ``Transducer``,
its frequencies its ``Freq Offset`` (R&S FSW/FSV/FPL manuals, "ASCII File Export Format";
receiver ``Scan n:`` blocks): :func:`applied_settings` says so, so the same figure is not
given again as a correction (:mod:`rfcheck.io._applied`).
"""

from __future__ import annotations

import re

from ._applied import (
    OFFSET_ADVICE,
    corrections_note,
    frequency_offset_notes,
    level_offset_notes,
)

__all__ = ["applied_settings"]

#: Level offsets the instrument has already applied to the trace data -> the options that
#: would apply them a second time (R&S FSW/FSV/FPL manuals, "ASCII File Export Format":
#: ``Level Offset;0;dB``), in the global header or in a receiver's ``Scan n:`` block.
_APPLIED_LEVEL: dict[str, str] = {"Level Offset": OFFSET_ADVICE, "Ref Level Offset": OFFSET_ADVICE}
#: Frequency offsets already in the exported frequencies (``Freq Offset;0;Hz``).
_APPLIED_FREQ = ("Freq Offset",)
#: The transducer line(s): ``Transducer;TRD1;`` (the ESW names one per RF input,
#: ``Transducer Input1;...``).
_TRANSDUCER_RE = re.compile(r"^Transducer(?: Input\d+)?$")
#: Metadata name of a ``Scan n:`` block's line (``Scan 2: Level Offset``).
_SCAN_FIELD_RE = re.compile(r"^(?:Window \d+ )?(?:Scan|Range) \d+: (?P<key>.+)$")


def _field_name(key: str) -> str:
    """Return a metadata name without its scan range (``Scan 2: RBW`` -> ``RBW``)."""
    m = _SCAN_FIELD_RE.match(key)
    return m["key"] if m else key


def applied_settings(metadata: dict[str, str]) -> list[str]:
    """Return notes for the settings already in the data.

    The analyser's displayed and exported levels include its ``Level Offset`` and an active
    ``Transducer`` (the manuals' header gives its name when switched on, ``OFF`` or nothing
    otherwise), its frequencies the ``Freq Offset``: the same figure given again counts twice.
    A level offset in a ``Scan n:`` block is noted under its scan's name (``Scan 2: Level
    Offset 10 dB ...``): it is in the levels of that scan range. A transducer named in a
    ``Scan n:``/``Range n:`` block (the ESU spurious-emission export names one per range) is
    active there, and noted as the global one is; so is one on an ESW RF input
    (``Transducer Input1;TRD1;``).
    """
    scan_level = {
        key: OFFSET_ADVICE
        for key in metadata
        if key not in _APPLIED_LEVEL and _field_name(key) in _APPLIED_LEVEL
    }
    notes = level_offset_notes(metadata, {**_APPLIED_LEVEL, **scan_level})
    notes += frequency_offset_notes(metadata, _APPLIED_FREQ)
    states = [
        value.strip() for key, value in metadata.items() if _TRANSDUCER_RE.match(_field_name(key))
    ]
    named = list(dict.fromkeys(t for t in states if t.upper() not in ("", "ON", "OFF")))
    state = "ON" if named or any(t.upper() == "ON" for t in states) else "OFF"
    note = corrections_note("Transducer", state, named)
    return notes + ([note] if note else [])
