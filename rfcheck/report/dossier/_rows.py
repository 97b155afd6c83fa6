"""The rows of the dossier's tables, built once for the HTML and PDF renderers.

Columns of the completeness matrix and of the final measurement table, as text; the
renderers only lay them out (and escape them).
"""

from __future__ import annotations

from dataclasses import dataclass

from ...product.cells import Cell
from ...product.dossier import UnitDossier
from ...product.final_table import LINE_KEYS, FinalRow, TableValue

__all__ = [
    "MATRIX_HEADERS",
    "FINAL_HEADERS",
    "PORT_GROUP_RADIATED",
    "Row",
    "matrix_rows",
    "final_rows",
    "port_groups",
    "fmt_mhz",
    "fmt_value",
    "fmt_ranges",
]

MATRIX_HEADERS = (
    "Port",
    "Limit",
    "Line",
    "Range [MHz]",
    "Verdict",
    "Worst margin [dB]",
    "at [MHz]",
    "Captures",
    "Not measured [MHz]",
)
_VALUE_HEADERS = (
    "Reading",
    "Conv. [dB]",
    "Corr. [dB]",
    "Level",
    "Limit",
    "Margin [dB]",
    "Bound",
)  # reading + conv + corr = level
FINAL_HEADERS = ("Port", "Freq. [MHz]", *(f"{ln} {h}" for ln in LINE_KEYS for h in _VALUE_HEADERS))
#: The name of the plot holding every polarisation (H and V overlaid).
PORT_GROUP_RADIATED = "radiated"


@dataclass(frozen=True)
class Row:
    """One table row as text, with the verdict that colours it (if any)."""

    cells: tuple[str, ...]
    verdict: str = ""


def fmt_value(value: object) -> str:
    """Format a setup or plan value as text (lists joined, floats without a trailing .0)."""
    if isinstance(value, list | tuple):
        return ", ".join(fmt_value(v) for v in value)
    if isinstance(value, float):
        return f"{value:.0f}" if value.is_integer() and abs(value) < 1e15 else f"{value:g}"
    return str(value)


def fmt_mhz(f_hz: float | None) -> str:
    """Format a frequency in MHz with up to 6 significant digits ("" for None)."""
    return "" if f_hz is None else f"{f_hz / 1e6:.6g}"


#: Sub-ranges shown per cell in the HTML and PDF (the JSON has them all).
MAX_RANGES_SHOWN = 6


def fmt_ranges(ranges: tuple[tuple[float, float], ...], limit: int = MAX_RANGES_SHOWN) -> str:
    """Ranges as ``"1000-5000, ..."`` in MHz; past ``limit``, ``"(+N more)"``."""
    text = ", ".join(f"{fmt_mhz(a)}-{fmt_mhz(b)}" for a, b in ranges[:limit])
    return text + (f" (+{len(ranges) - limit} more)" if len(ranges) > limit else "")


def _margin(x: float | None) -> str:
    return "" if x is None else f"{x:+.2f}"


def matrix_rows(cells: tuple[Cell, ...]) -> list[Row]:
    """Return the completeness matrix: one row per required cell."""
    out = []
    for c in cells:
        r = c.required
        out.append(
            Row(
                (
                    r.port,
                    r.limit_id,
                    r.line,
                    f"{fmt_mhz(r.start_hz)}-{fmt_mhz(r.stop_hz)}",
                    c.state.value,
                    _margin(c.worst_margin_db),
                    fmt_mhz(c.worst_frequency_hz),
                    "\n".join(c.captures) or "none",
                    fmt_ranges(c.missing_hz),
                ),
                c.state.value,
            )
        )
    return out


def _value(s: TableValue | None) -> tuple[str, ...]:
    if s is None:
        return ("",) * len(_VALUE_HEADERS)
    return (
        "" if s.reading is None else f"{s.reading:.2f} {s.reading_unit}",
        "" if s.conversion_db is None else f"{s.conversion_db:+.2f}",
        "" if s.correction_db is None else f"{s.correction_db:.2f}",
        f"{s.level:.2f} {s.unit}",
        f"{s.limit:.2f}",
        _margin(s.margin_db),
        s.bound.value,
    )


def final_rows(rows: tuple[FinalRow, ...]) -> list[Row]:
    """Return the final measurement table: one row per emission, QP, AV and PK side by side."""
    out = []
    for r in rows:
        cells: list[str] = [r.port, fmt_mhz(r.frequency_hz)]
        for line in LINE_KEYS:
            cells.extend(_value(r.values.get(line)))
        out.append(Row(tuple(cells)))
    return out


def port_groups(d: UnitDossier) -> list[tuple[str, tuple[str, ...]]]:
    """Plot groups: one per mains line, one for every polarisation together."""
    groups: list[tuple[str, tuple[str, ...]]] = [(p, (p,)) for p in d.plan.mains_lines]
    if d.plan.polarisations:
        groups.append((PORT_GROUP_RADIATED, d.plan.polarisations))
    return groups
