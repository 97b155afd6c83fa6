#!/usr/bin/env python3
"""Write the sample ambient scan used by ``rfcheck check --ambient``.

``ambient/site_3m_V_30M-300M_rs.DAT``: the pre-compliance chamber of ``generate.py`` with
the rig switched OFF, taken with the settings of ``radiated/rig_3m_V_30M-1G_rs.DAT`` (R&S
ESRP receiver scan, 60 kHz step, 120 kHz RBW, peak + quasi-peak, bilog antenna at 3 m,
vertical, analyser in dBm) over 30-300 MHz, where the chamber's strongest leaks are (the
span keeps the sample folder under its size cap). It holds only the site's ambient: the
same FM broadcast stations, land-mobile carriers and VHF ATSC TV channels that leak into
the rig's scans (drawn from the same ``ambient`` stream as ``generate.py``, so stations and
levels match), over the receiver's noise floor. No rig emission is in it.

Determinism: ``generate.SEED``; each stream is ``default_rng([SEED, crc32(name)])``, so
re-running writes a byte-identical file.

Usage::

    python sample_captures/generate_ambient.py [--out DIR]
"""

from __future__ import annotations

import argparse
import sys
import zlib
from pathlib import Path

import numpy as np
from generate import DBM_TO_DBUV, SEED, Sweep, transducers
from numpy.typing import NDArray
from vendor_formats import rs_ascii, rs_grid

NAME = "ambient/site_3m_V_30M-300M_rs.DAT"


def _rng(name: str) -> np.random.Generator:
    return np.random.default_rng([SEED, zlib.crc32(name.encode())])


def site_ambient(sweep: Sweep, rng: np.random.Generator) -> None:
    """Add the site's ambient as ``generate.radiated_sweep`` draws it (vertical antenna).

    Levels at 3 m [dBµV/m].
    """
    amb = _rng("ambient")  # the stream generate.py uses: the same stations, same levels
    for fm_mhz in np.round(88.1 + 0.2 * np.sort(amb.choice(100, 14, replace=False)), 1):
        pk = amb.uniform(18.0, 36.0) - 4.0
        sweep.line(fm_mhz * 1e6, pk, pk, pk - 0.5, width_hz=150e3)
    for lm_mhz in (152.48, 154.43, 462.55, 467.70):
        pk = amb.uniform(18.0, 26.0)
        sweep.line(lm_mhz * 1e6, pk, pk - 0.5, pk - 6.0)
    for lo, hi, pk in (
        (186e6, 192e6, 22.0),
        (198e6, 204e6, 20.0),
        (548e6, 554e6, 25.0),
        (584e6, 590e6, 23.0),
        (617e6, 627e6, 26.0),
        (729e6, 739e6, 28.0),
        (869e6, 879e6, 27.0),
        (881e6, 891e6, 25.0),
    ):
        sweep.block(lo, hi, pk - 1.5, -3.0, -9.0, rng)
    for pilot, data in ((186.31e6, 22.0), (198.31e6, 20.0), (548.31e6, 25.0), (584.31e6, 23.0)):
        pk = data + 5.0 - 1.5
        sweep.line(pilot, pk, pk, pk - 0.3)


def build() -> dict[str, bytes]:
    """Return the ambient scan's bytes, by path relative to ``sample_captures``."""
    tables = transducers()
    bilog, cable = tables["antenna_factor_bilog_30M-1G.csv"], tables["cable_loss.csv"]

    def radiated_low(f: NDArray[np.float64]) -> NDArray[np.float64]:
        """Field strength [dBµV/m] -> analyser input [dBm], bilog + cable (as generate.py)."""
        out: NDArray[np.float64] = -(bilog.at(f) + cable.at(f)) - DBM_TO_DBUV
        return out

    f = rs_grid(30e6, 300e6, 60e3)
    sw = Sweep(f, 120e3, False, radiated_low)
    rng = _rng("ambient-V-low")
    site_ambient(sw, rng)
    pk = -103.0 + 1.5 * (f / 1e9)
    sw.noise({"pk": pk, "qp": pk - 4.5, "av": pk - 10.5}, rng)
    data = rs_ascii(
        f,
        {1: ("MAX PEAK", sw.levels("pk")), 2: ("QUASI PEAK", sw.levels("qp"))},
        unit="dBm",
        step_hz=60e3,
        rbw_hz=120e3,
        meas_time_s=1.0,
        att_db=0.0,
        preamp_db=20.0,
        date="12.Nov 25",
    )
    return {NAME: data}


def main(argv: list[str] | None = None) -> int:
    """Write the ambient scan under ``--out`` (default: this folder)."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=Path(__file__).resolve().parent)
    args = ap.parse_args(argv)
    for rel, data in build().items():
        path = args.out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        sys.stdout.write(f"{path}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
