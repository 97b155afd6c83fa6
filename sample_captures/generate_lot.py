#!/usr/bin/env python3
"""Write the sample lot and the before/after pair used by ``rfcheck lot`` and ``rfcheck compare``.

The device is the fictional *Hashcore HC-3* miner of ``generate.py`` (same story, simpler
model, its own files):

- ``lot/``: six production units, mains port L1 (150 kHz - 30 MHz, stepped receiver scan,
  9 kHz RBW, 4.5 kHz step, peak + quasi-peak + CISPR-average), with production spread (a
  common level offset per unit and a per-harmonic scatter, switching frequencies within
  0.1 %). ``unit01`` is the tested (golden) sample. ``unit05`` was built with another LLC
  controller: its LLC stage switches at 127 kHz instead of 118 kHz.
- ``before_after/``: the radiated 30 MHz - 1 GHz vertical scan (3 m, 120 kHz RBW, 60 kHz
  step, peak + quasi-peak, analyser in dBm) before and after a ferrite on the Ethernet cable:
  the 375 MHz GMII harmonic drops by 7.8 dB (from 3.2 dB over the quasi-peak limit to 4.6 dB
  under it), 250 and 500 MHz drop a little, and a 437.5 MHz line appears only after.

Levels are stated at the device (EUT-port voltage [dBµV], field strength at 3 m [dBµV/m]),
taken to the instrument through the transducers the setups name, power-summed with the
instrument noise, rounded to 0.1 dB and written as generic CSV (``rfcheck formats``).

Determinism: one seed; each file draws from its own stream (``default_rng([SEED,
crc32(name)])``), so re-running writes byte-identical files.

Usage::

    python sample_captures/generate_lot.py [--out DIR]
"""

from __future__ import annotations

import argparse
import math
import zlib
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float64]

#: The one seed (the fictional shipment date).
SEED = 20260114
#: dBm -> dBµV at 50 Ω. [dB]
DBM_TO_DBUV = 10.0 * math.log10(50.0e-3) + 120.0
UNITS = ("unit01", "unit02", "unit03", "unit04", "unit05", "unit06")
GOLDEN = "unit01"
ODD_UNIT = "unit05"
F_PFC_HZ = 65.0e3  #: boost PFC switching frequency [Hz]
F_LLC_HZ = 118.0e3  #: LLC switching frequency [Hz]
F_LLC_ODD_HZ = 127.0e3  #: the odd unit's LLC controller [Hz]
F_BUCK_HZ = 575.0e3  #: control-board buck [Hz]
LISN_DB = 0.3  #: LISN factor stated in lot/lot-setup.toml [dB]
CABLE_C_DB = 0.2  #: conducted coax [dB]
CABLE_R_DB = 2.0  #: radiated cable loss stated in before_after/setup.toml [dB]
#: Bilog antenna factor anchors written to before_after/antenna_factor.csv [MHz: dB/m].
BILOG = {
    30: 18.9,
    40: 12.9,
    60: 7.9,
    80: 7.3,
    100: 9.1,
    140: 11.6,
    200: 10.2,
    300: 13.4,
    400: 15.8,
    500: 17.6,
    600: 19.2,
    700: 20.5,
    800: 21.6,
    900: 22.7,
    1000: 23.7,
}
FIX_375_DB = 7.8  #: what the ferrite takes off the 375 MHz harmonic [dB]


def _rng(name: str) -> np.random.Generator:
    return np.random.default_rng([SEED, zlib.crc32(name.encode())])


def _power(f: Array, lines: list[tuple[float, float]], rbw_hz: float) -> Array:
    """Linear power on grid ``f`` of lines ``(fc [Hz], level [dB])`` through a Gaussian RBW."""
    out = np.zeros(f.size)
    for fc, lev in lines:
        lo, hi = np.searchsorted(f, [fc - 3 * rbw_hz, fc + 3 * rbw_hz])
        d = f[lo:hi] - fc
        out[lo:hi] += 10.0 ** ((lev - 6.0206 * (2.0 * d / rbw_hz) ** 2) / 10.0)
    return out


def _db(p: Array) -> Array:
    return 10.0 * np.log10(p)


def _csv(
    header: list[str], comments: list[str], freq_mhz_text: list[str], columns: list[Array]
) -> bytes:
    rows = ["# " + c for c in comments] + [",".join(header)]
    body = np.column_stack(columns)
    rows += [
        f + "".join(f",{v:.1f}" for v in row) for f, row in zip(freq_mhz_text, body, strict=True)
    ]
    return ("\n".join(rows) + "\n").encode("ascii")


# --- the lot: mains port L1 of six units ---------------------------------------------------


def conducted_unit(unit: str) -> bytes:
    """One unit's L1 scan: levels at the receiver input [dBµV], three detectors."""
    rng = _rng(f"lot-{unit}")
    spread = _rng("lot-harmonic-shape")  # the design: shared by every unit
    shape = spread.normal(0.0, 1.0, 200).clip(-2.0, 2.0)
    common = rng.normal(0.0, 1.0)  # this unit's overall offset [dB]
    scatter = rng.normal(0.0, 0.6, 200)
    f_pfc = F_PFC_HZ * (1.0 + rng.normal(0.0, 5e-4))
    f_llc = (F_LLC_ODD_HZ if unit == ODD_UNIT else F_LLC_HZ) * (1.0 + rng.normal(0.0, 5e-4))
    f_buck = F_BUCK_HZ * (1.0 + rng.normal(0.0, 5e-4))
    k = np.arange(6634)
    f = 150e3 + 4.5e3 * k.astype(np.float64)
    lines: dict[str, list[tuple[float, float]]] = {"pk": [], "qp": [], "av": []}

    def add(fc: float, pk: float, qp_off: float, av_off: float) -> None:
        for det, off in (("pk", 0.0), ("qp", qp_off), ("av", av_off)):
            lines[det].append((fc, pk + off - LISN_DB - CABLE_C_DB))

    for n in range(3, 31):
        fc = n * f_pfc
        add(fc, 52.0 - 25.0 * math.log10(fc / 195e3) + shape[n] + common + scatter[n], -0.8, -3.9)
    for n in range(2, 60):
        fc = n * f_llc
        pk = 47.0 - 30.0 * math.log10(fc / 236e3) - (3.0 if n % 2 == 0 else 0.0)
        add(fc, pk + 0.5 * shape[60 + n] + common + scatter[60 + n], -0.1, -0.3)
    for n in range(1, 30):
        add(n * f_buck, 36.0 - 20.0 * math.log10(n) + common + scatter[140 + n], -0.1, -0.2)
    floor = {"pk": 8.0, "qp": 4.0, "av": -2.0}
    noise = {
        d: rng.normal(0.0, s, f.size).clip(-2.5, 2.5)
        for d, s in (("pk", 0.9), ("qp", 0.7), ("av", 0.5))
    }
    lev = {d: _db(_power(f, lines[d], 9e3) + 10.0 ** ((floor[d] + noise[d]) / 10.0)) for d in lines}
    qp = np.minimum(lev["qp"], lev["pk"])
    av = np.minimum(lev["av"], qp)
    text = [f"{x / 1e3:.1f}" for x in f]
    return _csv(
        ["Frequency (kHz)", "Peak (dBuV)", "QP (dBuV)", "CAVG (dBuV)"],
        [
            f"instrument: EMI receiver (fictional), {unit} mains L1",
            "rbw_hz: 9000",
            "dwell_s: 1",
            f"dut_serial: HC3-2601-{UNITS.index(unit) + 101:05d}",
        ],
        text,
        [lev["pk"], qp, av],
    )


# --- before/after: radiated 30 MHz - 1 GHz vertical ----------------------------------------


def _bilog(f: Array) -> Array:
    fm = np.array(sorted(BILOG), dtype=float)
    return np.interp(np.log10(f / 1e6), np.log10(fm), [BILOG[int(x)] for x in fm])


def radiated(after: bool) -> bytes:
    """Return the vertical scan before / after the ferrite: analyser input [dBm], PK and QP."""
    name = "after" if after else "before"
    rng = _rng(f"radiated-{name}")
    design = _rng("radiated-design")
    comb = design.normal(0.0, 2.0, 41).clip(-4, 4)
    f = 30e6 + 60e3 * np.arange(16167, dtype=np.float64)  # 30 MHz - 999.96 MHz
    em: list[tuple[float, float, float]] = []  # fc, pk, qp at 3 m [dBµV/m]
    for n in range(2, 41):
        fc = n * 25e6
        pk = 32.0 - 18.0 * math.log10(max(fc, 150e6) / 150e6) + comb[n]
        em.append((fc, pk, pk - 0.1))
    gmii = {125: 35.0, 250: 41.0, 375: 49.3, 500: 39.0, 625: 36.0, 750: 34.0, 875: 31.0}
    if after:
        gmii.update({250: 38.0, 375: 49.3 - FIX_375_DB, 500: 35.0})
    for f_mhz, pk in gmii.items():
        em.append((f_mhz * 1e6, pk, pk - 0.1))
    for f_mhz, pk in {100: 29.0, 200: 31.0, 400: 38.0, 800: 36.5}.items():
        em.append((f_mhz * 1e6, pk, pk - 0.1))
    if after:
        em.append((437.5e6, 36.0, 35.8))
    to_input = -(_bilog(f) + CABLE_R_DB) - DBM_TO_DBUV
    out = []
    for det, idx, floor in (("pk", 1, 14.0), ("qp", 2, 10.0)):
        p = _power(f, [(e[0], e[idx]) for e in em], 120e3)
        noise = rng.normal(0.0, 0.8 if det == "pk" else 0.6, f.size).clip(-2.5, 2.5)
        out.append(_db(p + 10.0 ** ((floor + noise) / 10.0)) + to_input)
    qp = np.minimum(out[1], out[0])
    text = [f"{x / 1e6:.2f}" for x in f]
    return _csv(
        ["Frequency (MHz)", "Peak (dBm)", "QP (dBm)"],
        [
            f"instrument: EMI receiver (fictional), 3 m vertical, {name} the ferrite",
            "rbw_hz: 120000",
            "dwell_s: 1",
        ],
        text,
        [out[0], qp],
    )


def antenna_factor_table() -> bytes:
    """Return the bilog antenna factor table as CSV bytes."""
    rows = ["Frequency (MHz),Antenna Factor (dB/m)"] + [
        f"{k},{v:.2f}" for k, v in sorted(BILOG.items())
    ]
    return ("\n".join(rows) + "\n").encode("ascii")


LOT_SETUP = f"""\
# rfcheck setup for the sample lot (written by sample_captures/generate_lot.py).
#
#   rfcheck lot sample_captures/lot --golden {GOLDEN} --setup sample_captures/lot/lot-setup.toml
#
# Six production units of the Hashcore HC-3 (fictional), mains port L1; {GOLDEN} is the
# unit that was tested for the SDoC.

[dut]
manufacturer = "Hashcore Systems (fictional)"
model = "HC-3"

[check]
max_suspects = 10

[[rule]]
match = "units/*"
limits = ["fcc-15.107-b"]
lisn = {LISN_DB}
cable_loss = [{CABLE_C_DB}]

[batch]
include = ["units/*"]
group_pattern = "^(?P<unit>unit[0-9]+)_"
"""

PAIR_SETUP = f"""\
# rfcheck setup for the before/after pair (written by sample_captures/generate_lot.py).
#
#   rfcheck compare sample_captures/before_after/rig_3m_V_before.csv \\
#       sample_captures/before_after/rig_3m_V_after.csv --setup sample_captures/before_after/setup.toml

[check]
limits = ["fcc-15.109-b"]
distance_m = 3.0
# both scans cover 30 MHz - 1 GHz: judge that range (the 1-5 GHz part is another scan)
range_hz = [30e6, 1000e6]
antenna_factor = "antenna_factor.csv"
cable_loss = [{CABLE_R_DB}]
"""  # noqa: E501 - the text is the committed setup.toml, byte for byte


def build() -> dict[str, bytes]:
    """Every file, by path relative to ``sample_captures/``."""
    files = {f"lot/units/{u}_L1.csv": conducted_unit(u) for u in UNITS}
    files["lot/lot-setup.toml"] = LOT_SETUP.encode()
    files["before_after/rig_3m_V_before.csv"] = radiated(False)
    files["before_after/rig_3m_V_after.csv"] = radiated(True)
    files["before_after/antenna_factor.csv"] = antenna_factor_table()
    files["before_after/setup.toml"] = PAIR_SETUP.encode()
    return files


def main(argv: list[str] | None = None) -> int:
    """Command line: ``python sample_captures/generate_lot.py [--out DIR]``."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument(
        "--out",
        type=Path,
        default=Path(__file__).resolve().parent,
        help="output folder (default: the sample_captures folder itself)",
    )
    args = parser.parse_args(argv)
    total = 0
    files = build()
    for rel, content in files.items():
        path = args.out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        total += len(content)
    print(f"wrote {len(files)} files, {total / 1e6:.2f} MB, under {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
