"""Hand-built captures for the lot/compare tests.

Generic CSV files whose emission levels are exact (the line centres lie on the frequency grid, the
floor is flat and 60 dB down), so every expected number can be computed by hand.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import numpy as np
import pytest

#: Conducted grid: 150 kHz - 30 MHz, 5 kHz steps, 9 kHz RBW. [Hz]
CONDUCTED = (150e3, 30e6, 5e3, 9e3)
#: Radiated grid: 30 - 400 MHz, 60 kHz steps, 120 kHz RBW. [Hz]
RADIATED = (30e6, 400e6, 60e3, 120e3)

Lines = Mapping[float, float]  # frequency [Hz] -> level [dB(unit)]


def _trace(f: np.ndarray, lines: Lines, rbw_hz: float, floor: float) -> np.ndarray:
    p = np.full(f.size, 10.0 ** (floor / 10.0))
    for fc, lev in lines.items():
        d = f - fc
        p += 10.0 ** ((lev - 6.0206 * (2.0 * d / rbw_hz) ** 2) / 10.0)
    level: np.ndarray = 10.0 * np.log10(p)
    return level


def write_csv(
    path: Path,
    columns: Mapping[str, Lines],
    *,
    grid: Sequence[float] = CONDUCTED,
    unit: str = "dBuV",
    floor: float = -20.0,
) -> Path:
    """Return a generic CSV with one level column per detector (``Peak``, ``QP``, ``CAVG``)."""
    lo, hi, step, rbw = grid
    f = lo + step * np.arange(int(round((hi - lo) / step)) + 1)
    cols = {name: _trace(f, lines, rbw, floor) for name, lines in columns.items()}
    rows = [
        f"# rbw_hz: {rbw:g}",
        "# dwell_s: 1",
        "Frequency (Hz)," + ",".join(f"{n} ({unit})" for n in cols),
    ]
    body = np.column_stack(list(cols.values()))
    rows += [f"{x:.0f}," + ",".join(f"{v:.4f}" for v in r) for x, r in zip(f, body, strict=True)]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(rows) + "\n", encoding="ascii")
    return path


LOT_SETUP = """\
[[rule]]
match = "*"
limits = ["fcc-15.107-b"]

[batch]
group_pattern = "^(?P<unit>u[0-9]+)_"
"""


def write_lot(
    folder: Path, units: Mapping[str, Lines], *, grid: Sequence[float] = CONDUCTED
) -> Path:
    """Write one L1 capture per unit and a setup; return the setup path.

    One L1 capture per unit (AV levels as given, QP = AV + 3 dB, PK = AV + 5 dB) on ``grid``
    (:func:`write_csv`) and a setup; returns the setup path.
    """
    for name, av in units.items():
        write_csv(
            folder / f"{name}_L1.csv",
            {
                "Peak": {f: v + 5.0 for f, v in av.items()},
                "QP": {f: v + 3.0 for f, v in av.items()},
                "CAVG": dict(av),
            },
            grid=grid,
        )
    setup = folder / "setup.toml"
    setup.write_text(LOT_SETUP, encoding="ascii")
    return setup


@pytest.fixture
def csv_writer() -> Callable[..., Path]:
    return write_csv


@pytest.fixture
def lot_writer() -> Callable[[Path, Mapping[str, Lines]], Path]:
    return write_lot
