"""Trace settings that make a trace something other than a measurement of the emission.

An analyser's trace math (``Trace Math,Log Diff`` on the Keysight X-series, ``Trace
Math,ON`` on the Siglent SSA3000X and the Keysight N9343C) and normalisation
(``Normalize,On``) write a trace computed from other traces: a difference, a sum, an offset
copy or a ratio to a reference. Its values are not levels of the emission, so the readers
drop such a trace with a note (:func:`computed_note`) and refuse a file that leaves none
(:func:`no_trace_left`). ``Log Offset`` (operand + a constant) is dropped too: the
exported detector and trace type are the destination trace's own (the X-series puts a math
trace in View), not those of the operand its values come from (``docs/formats.md``,
"Settings that change what a trace is").

A gated sweep (N9343C ``Gate Sweep,ON``) is a measurement, but only of what falls inside the
gate window: :data:`GATED_SWEEP` is its :attr:`rfcheck.capture.Trace.reads_low` (lower
bounds at most, ``docs/verdict.md`` "Trace mode").
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from ..errors import CaptureFormatError
from ._common import name_key
from ._header import HeaderEntry

__all__ = [
    "GATED_SWEEP",
    "computed_note",
    "is_off",
    "no_trace_left",
    "gated_reason",
    "refuse_file_math",
    "stated_on",
]

#: What a computed trace is not, and what to export instead (every note says it).
_NOT_MEASURED = (
    "a trace computed from other traces, not a measurement of the emission; export the "
    "measured trace with trace math and normalisation off"
)

#: Why a gated sweep's readings are lower bounds at most (after the file's setting).
GATED_SWEEP = (
    "(a gated sweep: an emission outside the gate window never reaches the trace, so its "
    "readings can be low)"
)


def is_off(value: str) -> bool:
    """Whether a trace-math, normalize or gate setting is off (``Off``, ``OFF``, ``0``, empty)."""
    return name_key(value) in ("", "off", "0")


def computed_note(name: str, setting: str, line: int) -> str:
    """Return the note for trace ``name`` dropped for ``setting`` (``'Trace Math,Log Diff'``)."""
    return f"{name}: dropped: {setting} at line {line}: {_NOT_MEASURED}"


def gated_reason(setting: str, line: int) -> str:
    """Return the :attr:`~rfcheck.capture.Trace.reads_low` of a gated sweep's trace."""
    return f"{setting} at line {line} {GATED_SWEEP}"


def no_trace_left(setting: str, path: Path, line: int) -> CaptureFormatError:
    """Return the error for a file whose every trace is computed (``setting`` on)."""
    return CaptureFormatError(f"no measured trace to read: {setting}: {_NOT_MEASURED}", path, line)


def stated_on(fields: Mapping[str, HeaderEntry], canon: str) -> tuple[str, int] | None:
    """Return ``(setting as written, line)`` of header field ``canon`` when it is not off."""
    entry = fields.get(canon)
    if entry is None or not entry[1] or is_off(entry[1][0]):
        return None
    return f"'{entry[0]},{entry[1][0]}'", entry[2]


def refuse_file_math(fields: Mapping[str, HeaderEntry], path: Path) -> None:
    """Refuse a file whose one ``Trace Math`` setting (canonical ``trace_math``) is on.

    The Siglent SSA3000X and N9343C exports state trace math once for the file, with the
    traces it uses (``Trace Variable X/Y/Z``, ``Trace Variable A/B/C``); which exported trace
    holds the result is not confirmed by any sample, so none of them is read as a measurement.

    Raises
    ------
    CaptureFormatError
        Naming the setting and its line.
    """
    on = stated_on(fields, "trace_math")
    if on is not None:
        raise no_trace_left(
            f"{on[0]} (the file does not say which of its traces holds the result, so none "
            "is read)",
            path,
            on[1],
        )
