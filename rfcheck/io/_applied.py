"""Header settings an instrument has already applied to the data it exports, and their notes.

Analysers write their trace data already corrected by some of their own settings: a
reference-level offset or external gain shifts every level, a frequency offset shifts every
exported frequency, an active correction table adds its factors. rfcheck keeps the data as
exported; a non-zero setting becomes a capture note, so that a user who enters the same gain
or loss again as a transducer (``--preamp-gain``, ``--cable-loss``...) sees that it would
count twice. Zero values and settings that are off say nothing; a value that is not a number
is left to the reader's metadata (nothing can be said of its size).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping

from ..frequency import format_hz, freq_unit_scale

__all__ = [
    "GAIN_ADVICE",
    "OFFSET_ADVICE",
    "CORRECTION_ADVICE",
    "number_and_unit",
    "level_offset_notes",
    "frequency_offset_notes",
    "corrections_note",
    "states_own_corrections",
]

#: What every note of an instrument correction switched on says (:func:`corrections_note`):
#: the file states that the instrument applied a transducer to its levels.
_OWN_CORRECTIONS = "the instrument's own correction table"

#: Options that would count an external-gain setting a second time.
GAIN_ADVICE = "--preamp-gain for that amplifier"
#: Options that would count a reference-level offset a second time.
OFFSET_ADVICE = "--attenuator / --cable-loss / --preamp-gain for what it compensates"
#: Options that would count an instrument correction table a second time.
CORRECTION_ADVICE = "--antenna-factor / --cable-loss / --preamp-gain / --lisn for what they correct"

_NUMBER_RE = re.compile(
    r"^\s*(?P<num>[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][+-]?\d+)?)\s*(?P<unit>[A-Za-z]*)\s*$"
)


def number_and_unit(text: str) -> tuple[float, str] | None:
    """Return the number of a header value and the unit word after it, else None.

    Lenient where :func:`rfcheck.io._sections.header_number` is strict: a note is only said
    of a value that reads as a number, and nothing is refused for one that does not.

    ``+1.0e+07`` -> (1e7, ""), ``10,000000 dB`` -> (10.0, "dB") (a decimal comma, as R&S
    exports may print), ``0.000000`` -> (0.0, ""); ``AUTO``, ``""`` -> None.
    """
    m = _NUMBER_RE.match(text)
    if m is None:
        return None
    value = float(m["num"].replace(",", "."))
    return (value, m["unit"]) if math.isfinite(value) else None


def level_offset_notes(values: Mapping[str, str], advice: Mapping[str, str]) -> list[str]:
    """Return notes for the non-zero level settings (dB) that the trace data already include.

    Parameters
    ----------
    values : mapping
        Header name -> its value text as the file prints it (``20``, ``+1.0e+01``,
        ``10.000000 dB``); names missing from it say nothing.
    advice : mapping
        Header name -> the option(s) that would count it twice (:data:`GAIN_ADVICE`,
        :data:`OFFSET_ADVICE`), in the order the notes are given.

    Returns
    -------
    list of str
        ``External Gain 20 dB is already applied to the trace data by the instrument; do not
        also give --preamp-gain for that amplifier``.
    """
    out = []
    for key, option in advice.items():
        parsed = number_and_unit(values.get(key, ""))
        if parsed is None or parsed[1].lower() not in ("", "db"):
            continue
        value_db = parsed[0]
        if value_db != 0.0:
            out.append(
                f"{key} {value_db:g} dB is already applied to the trace data by the instrument; "
                f"do not also give {option}"
            )
    return out


def frequency_offset_notes(values: Mapping[str, str], keys: Iterable[str]) -> list[str]:
    """Return notes for the non-zero frequency offsets (Hz unless a unit follows) in the data.

    An analyser's frequency offset shifts the frequencies it displays and exports (exported
    = input frequency + offset), so limits are judged at the shifted frequencies.

    Returns
    -------
    list of str
        ``Freq Offset 10 MHz is already applied to the exported frequencies by the
        instrument (exported = input frequency + offset); limits are judged at the exported
        frequencies``.
    """
    out = []
    for key in keys:
        parsed = number_and_unit(values.get(key, ""))
        if parsed is None:
            continue
        scale = freq_unit_scale(parsed[1] or "Hz")
        if scale is None or parsed[0] == 0.0:
            continue
        out.append(
            f"{key} {format_hz(parsed[0] * scale)} is already applied to the exported "
            "frequencies by the instrument (exported = input frequency + offset); limits are "
            "judged at the exported frequencies"
        )
    return out


def corrections_note(key: str, state: str, tables: Iterable[str] = ()) -> str | None:
    """Return the note for an instrument correction switch that is on (``Apply Corrections,ON``).

    Parameters
    ----------
    key : str
        Header name of the switch (``Apply Corrections``).
    state : str
        Its value; only ``ON`` (any case) gives a note.
    tables : iterable of str
        Names of the correction tables the file shows switched on (``Correction1``).

    Returns
    -------
    str or None
        ``Apply Corrections ON: the instrument's own correction table (Correction1) is
        already applied to the trace data by the instrument; do not also give ...``.
    """
    if state.strip().upper() != "ON":
        return None
    names = list(tables)
    which = f" ({', '.join(names)})" if names else ""
    return (
        f"{key} ON: {_OWN_CORRECTIONS}{which} is already applied to the "
        f"trace data by the instrument; do not also give {CORRECTION_ADVICE}"
    )


def states_own_corrections(warnings: Iterable[str]) -> bool:
    """Return whether a capture's notes say its instrument applied a correction table.

    An R&S ``Transducer`` switched on, a Keysight N9343C ``Apply Corrections,ON``
    (:func:`corrections_note`): its levels already hold a transducer's factors (a LISN's,
    an antenna's), whichever it was.
    """
    return any(_OWN_CORRECTIONS in w for w in warnings)
