"""The CISPR 16-1-1 QP pulse-response table as rfcheck's receiver reads it, with the spare.

For each band, each PRF row of docs/references.md §4c, each record length and each pulse
phase (time of the first pulse), an I/Q recording (4 B6) of RF impulses of the band's
reference area (terminal value, §4b) is measured with :func:`rfcheck.receiver.measure` at
its centre frequency. The row's figure is the standard's: the QP reading at the reference
PRF minus the reading at the row's PRF (input-level convention, §4c), both at the same
length. ``spare`` is how far inside the tolerance the figure lies (``tol - |figure -
nominal|``, negative = outside). A record holds ``floor((length - phase) · PRF)`` pulses or
more; rows whose record holds fewer than 3 are skipped (the goal is stated for >= 3).

Usage::

    python benchmarks/qp_pulse_table.py [--band B --band CD] [--lengths 3,5,8]
        [--phases 0.02,0.37,0.81]
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from rfcheck.capture import SampleKind, TimeSeries
from rfcheck.receiver import BANDS, measure

F0 = 1.0e6  # [Hz]
AREA_VS = {"A": 13.5e-6 / 2, "B": 0.316e-6 / 2, "CD": 0.044e-6 / 2}  # terminal areas [V s]
#: (PRF [Hz] or None for an isolated pulse, nominal [dB], tolerance [dB]); docs/references.md §4c
ROWS = {
    "A": [(100, -4.0, 1.0), (60, -3.0, 1.0), (10, 4.0, 1.0), (5, 7.5, 1.5), (2, 13.0, 2.0),
          (1, 17.0, 2.0), (None, 19.0, 2.0)],
    "B": [(1000, -4.5, 1.0), (20, 6.5, 1.0), (10, 10.0, 1.5), (2, 20.5, 2.0), (1, 22.5, 2.0),
          (None, 23.5, 2.0)],
    "CD": [(1000, -8.0, 1.0), (20, 9.0, 1.0), (10, 14.0, 1.5), (2, 26.0, 2.0), (1, 28.5, 2.0),
           (None, 31.5, 2.0)],
}  # fmt: skip


def qp_dbuv(band: str, prf: float | None, length_s: float, phase_s: float) -> float:
    """QP reading [dBµV] of a pulse train (first pulse at ``phase_s``) in a record."""
    fs = 4.0 * BANDS[band].rbw_hz
    x = np.zeros(int(round(length_s * fs)), np.complex128)
    t_p = np.array([phase_s]) if prf is None else np.arange(phase_s, length_s, 1.0 / prf)
    x[np.rint(t_p * fs).astype(int)] = 2 * AREA_VS[band] * fs
    ts = TimeSeries(x, fs, SampleKind.IQ, center_freq_hz=F0)
    return float(measure(ts, band, [F0], ("quasi-peak",)).readings_dbuv["quasi-peak"][0])


def main() -> None:
    """Print the table (reading, nominal, tolerance, spare) per band, length and phase."""
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--band", action="append", choices=sorted(ROWS))
    p.add_argument("--lengths", default="3,5,8", help="record lengths [s]")
    p.add_argument("--phases", default="0.02,0.37,0.81", help="first-pulse times [s]")
    args = p.parse_args()
    lengths = [float(v) for v in args.lengths.split(",")]
    phases = [float(v) for v in args.phases.split(",")]
    t0 = time.perf_counter()
    for band in args.band or ["B", "CD"]:
        ref_prf = BANDS[band].ref_prf_hz
        print(f"Band {band} (reference {ref_prf:g} Hz)")
        print("  PRF       length phase  ref dBuV  reading dBuV  figure dB  nominal  tol  spare")
        worst: dict[str, float] = {}
        for prf, nominal, tol in ROWS[band]:
            for length in lengths:
                for phase in phases:
                    first = phase if prf is None else phase % (1.0 / prf)
                    if prf is not None and int((length - first) * prf) + 1 < 3:
                        continue
                    ref = qp_dbuv(band, ref_prf, length, phase % (1.0 / ref_prf))
                    qp = qp_dbuv(band, prf, length, first)
                    fig = ref - qp
                    spare = tol - abs(fig - nominal)
                    name = "isolated" if prf is None else f"{prf:g} Hz"
                    worst[name] = min(worst.get(name, np.inf), spare)
                    print(
                        f"  {name:9s} {length:5.1f}  {first:5.3f}  {ref:8.2f}  {qp:12.2f}"
                        f"  {fig:+9.2f}  {nominal:+7.1f}  {tol:3.1f}  {spare:+5.2f}"
                    )
        print("  least spare per row: " + ", ".join(f"{k} {v:+.2f}" for k, v in worst.items()))
    print(f"({time.perf_counter() - t0:.0f} s)")


if __name__ == "__main__":
    main()
