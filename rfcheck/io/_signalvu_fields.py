"""SignalVu export header fields: which keys rfcheck reads, and their unit cells.

A ``key,value,unit`` row's number is taken in its unit cell (``Resolution Bandwidth,120,kHz``
is 120 kHz, ``Scan Dwell Time,10,ms`` 10 ms); an EMC-EMI range row's frequency cells likewise.
A unit cell the field's table does not hold is refused naming the key and line. Used by
:mod:`rfcheck.io.tektronix`.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import CaptureFormatError
from ._common import FREQ_SCALE, TIME_SCALE

__all__ = [
    "FIELDS",
    "RANGE_FREQ_KEYS",
    "SCALED",
    "in_base_unit",
    "looks_numeric",
    "range_row",
    "unit_scale",
]


#: Header keys (``[Parameters]`` / ``[Trace Parameters]``) -> canonical field.
FIELDS: dict[str, str] = {
    "Resolution Bandwidth": "rbw_hz",
    "RBW": "rbw_hz",
    "RBW Window Type": "rbw_window",
    "Video Bandwidth": "vbw_hz",
    "Video Bandwidth Enable": "vbw_enabled",
    "VBW Enable": "vbw_enabled",
    "Detection": "detector",
    "Function": "mode",
    "Trace Processing Function": "mode",
    "Trace Description": "description",
    "Scan Dwell Time": "dwell_s",
}
# 'Sweep Time' stays in the metadata only: the acquisition time of an FFT analyser is not the
# time each frequency point was measured (sweep time / points would understate the dwell).

#: Canonical fields read as numbers -> the unit table of their unit cell and its base unit.
SCALED: dict[str, tuple[dict[str, float], str]] = {
    "rbw_hz": (FREQ_SCALE, "Hz"),
    "vbw_hz": (FREQ_SCALE, "Hz"),
    "dwell_s": (TIME_SCALE, "s"),
}

#: EMC-EMI range rows whose cells are frequencies (``Start Frequency,,150,kHz,30,MHz,``).
RANGE_FREQ_KEYS = frozenset({"Start Frequency", "Stop Frequency", "RBW"})


def in_base_unit(key: str, value: str, unit: str, path: Path, line: int) -> str:
    """Return the value of header ``key`` in Hz or s (a number in its unit cell ``unit``).

    Fields that are not numbers with a unit (:data:`SCALED`), values that are not numbers
    (refused where the value is used) and values with no unit cell are returned as they are.

    Raises
    ------
    CaptureFormatError
        A unit cell the field's unit table does not hold (``Scan Dwell Time: unknown unit
        'min' (expected s, ms, us or ns)``).
    """
    canon = FIELDS.get(key, "rbw_hz" if key in RANGE_FREQ_KEYS else "")
    if canon not in SCALED or not unit or not looks_numeric(value):
        return value
    table, base = SCALED[canon]
    return repr(float(value) * unit_scale(key, unit, table, path, line)) if unit != base else value


def unit_scale(key: str, unit: str, table: dict[str, float], path: Path, line: int) -> float:
    """Return the multiplier of ``unit`` in ``table``, or refuse it naming ``key`` and ``line``."""
    scale = table.get(unit.lower())
    if scale is None:
        known = "Hz, kHz, MHz or GHz" if table is FREQ_SCALE else "s, ms, us or ns"
        raise CaptureFormatError(f"{key}: unknown unit {unit!r} (expected {known})", path, line)
    return scale


def range_row(parts: list[str], path: Path, line: int) -> list[str]:
    """Return an EMC-EMI range row with its frequency cells in Hz (``,,150,kHz,`` -> Hz)."""
    if parts[0] not in RANGE_FREQ_KEYS:
        return parts
    out = list(parts)
    for k in range(2, len(out) - 1, 2):
        out[k] = in_base_unit(parts[0], out[k], out[k + 1], path, line)
        if out[k + 1] and looks_numeric(parts[k]):
            out[k + 1] = "Hz"
    return out


def looks_numeric(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
