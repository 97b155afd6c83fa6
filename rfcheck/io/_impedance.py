"""An input impedance other than 50 Ω stated by a file (``Impedance,75``: Siglent, N9343C).

The instrument's dBm readings are powers into its stated reference impedance, so the voltage
they stand for is ``dBm + 10·log10(Z · 1 mW) + 120`` dBµV: +106.99 dB at 50 Ω, +108.75 dB at
75 Ω. rfcheck converts dBm to dBµV at 50 Ω everywhere downstream, so a reader converts a dBm
trace of a non-50 Ω file to dBµV itself, at the stated impedance: the reading is then the
voltage the instrument itself displays in dBµV, 1.76 dB above a 50 Ω conversion at 75 Ω
(docs/formats.md "What every reader shares"). Traces in a voltage unit (dBµV, dBmV, V) are
voltages already and are left as read. Every non-50 Ω file is noted: a CISPR 16 measurement
port (LISN, receiver input) is 50 Ω, so the lab must know how the 75 Ω input was matched.

References
----------
docs/references.md §7 (dBm to dBµV at a given impedance).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path

from ..capture import Trace, trace_label
from ..errors import CaptureFormatError
from ..units import LevelUnit, dbm_to_dbuv
from ._common import FLOAT_RE

__all__ = ["apply_impedance"]

#: The impedance rfcheck's own dBm -> dBµV conversion assumes. [Ω]
_ASSUMED_OHM = 50.0


def apply_impedance(
    traces: Sequence[Trace],
    stated: tuple[str, int] | None,
    path: Path,
    warnings: list[str],
) -> list[Trace]:
    """Return ``traces`` with dBm traces converted to dBµV at the stated impedance.

    Parameters
    ----------
    traces : sequence of Trace
    stated : (str, int) or None
        The file's ``Impedance`` value as written (``75``, ``+7.500000000e+01``) and its
        1-based line; None when the file states none.
    path : Path
        The file, for the error.
    warnings : list of str
        A note is appended when the impedance is not 50 Ω.

    Raises
    ------
    CaptureFormatError
        An ``Impedance`` that is not a positive number (a dBm trace could not be converted).
    """
    if stated is None or not stated[0].strip():
        return list(traces)
    text, line = stated[0].strip(), stated[1]
    number = text[:-3].strip() if text.lower().endswith("ohm") else text
    if not FLOAT_RE.match(number) or float(number) <= 0:
        raise CaptureFormatError(
            f"Impedance: not a positive number of ohms: {text!r} (its dBm readings cannot be "
            "converted to dBµV)",
            path,
            line,
        )
    ohm = float(number)
    if abs(ohm - _ASSUMED_OHM) <= 1e-9:
        return list(traces)
    out, converted = [], []
    for t in traces:
        if t.unit is LevelUnit.DBM:
            out.append(dataclasses.replace(t, level=dbm_to_dbuv(t.level, ohm), unit=LevelUnit.DBUV))
            converted.append(trace_label(t.name))
        else:
            out.append(t)
    offset = float(dbm_to_dbuv(0.0, ohm))
    done = (
        f"{', '.join(converted)} converted from dBm to dBµV at {ohm:g} Ω (dBm + {offset:.2f} dB, "
        f"not the {float(dbm_to_dbuv(0.0)):.2f} dB of 50 Ω)"
        if converted
        else "readings in a voltage unit are kept as read (a unit given by --unit dBm would "
        "be converted at 50 Ω)"
    )
    warnings.append(
        f"Impedance {ohm:g} Ω (line {line}): the instrument refers its readings to {ohm:g} Ω; "
        f"{done}. A CISPR 16 measurement port (LISN, receiver input) is 50 Ω: check how the "
        f"{ohm:g} Ω input was matched"
    )
    return out
