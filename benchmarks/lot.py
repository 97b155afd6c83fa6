"""Speed of ``rfcheck lot`` on a large lot.

200 units × 4 captures (mains L1 and N, radiated 3 m H and V), each unit with production spread,
generated in a temporary folder.

Prints the median time of each step (load + judge + emission list per capture, fingerprint
comparison per unit, 80/80 statistics per port), the wall time of the whole ``run_lot``
(``--jobs`` workers), and the load average before and after (the machine is shared: a high
load average means the figures are pessimistic).

Usage::

    python benchmarks/lot.py                 # 200 units x 4 captures, 2 workers
    python benchmarks/lot.py --units 20      # quick
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

from rfcheck.lot.compare import load_emissions
from rfcheck.lot.fingerprint import compare_fingerprints
from rfcheck.lot.survey import lot_statistics, run_lot
from rfcheck.settings import load_setup

SETUP = """\
[[rule]]
match = "*_L1.csv"
limits = ["fcc-15.107-b"]

[[rule]]
match = "*_N.csv"
limits = ["fcc-15.107-b"]

[[rule]]
match = "*_H.csv"
limits = ["fcc-15.109-b"]
distance_m = 3.0

[[rule]]
match = "*_V.csv"
limits = ["fcc-15.109-b"]
distance_m = 3.0

[batch]
group_pattern = "^(?P<unit>unit[0-9]+)_"
"""

#: (port, start, stop, step, rbw, unit, lines [(f0, n range, level at n=1, slope dB/decade)])
PORTS = (
    (
        "L1",
        150e3,
        30e6,
        4.5e3,
        9e3,
        "dBuV",
        ((65e3, range(3, 31), 60.0, -25.0), (118e3, range(2, 40), 52.0, -30.0)),
    ),
    (
        "N",
        150e3,
        30e6,
        4.5e3,
        9e3,
        "dBuV",
        ((65e3, range(3, 31), 59.0, -25.0), (118e3, range(2, 40), 53.0, -30.0)),
    ),
    (
        "H",
        30e6,
        1e9,
        60e3,
        120e3,
        "dBuV/m",
        ((25e6, range(2, 40), 40.0, -10.0), (133e6, range(1, 8), 40.0, 0.0)),
    ),
    (
        "V",
        30e6,
        1e9,
        60e3,
        120e3,
        "dBuV/m",
        ((25e6, range(2, 40), 41.0, -10.0), (133e6, range(1, 8), 42.0, 0.0)),
    ),
)


def generate(folder: Path, n_units: int, seed: int = 7) -> None:
    """Write ``n_units`` × 4 generic-CSV captures and the setup into ``folder``."""
    rng = np.random.default_rng(seed)
    for port, lo, hi, step, rbw, unit, combs in PORTS:
        f = lo + step * np.arange(int((hi - lo) / step) + 1)
        ftext = [f"{x:.0f}" for x in f]
        for u in range(n_units):
            p = 10.0 ** ((rng.normal(0.0, 0.8, f.size) + (5.0 if "uV/m" in unit else 0.0)) / 10.0)
            offset = rng.normal(0.0, 1.0)
            for f0, ns, l1, slope in combs:
                # crystal clocks (radiated) +-30 ppm; PSU controllers trimmed to 0.03 %
                f0u = f0 * (1.0 + rng.normal(0.0, 3e-5 if f0 > 1e6 else 3e-4))
                for n in ns:
                    fc = n * f0u
                    if fc > hi:
                        break
                    lev = l1 + slope * np.log10(n) + offset + rng.normal(0.0, 0.6)
                    a, b = np.searchsorted(f, [fc - 3 * rbw, fc + 3 * rbw])
                    p[a:b] += 10.0 ** ((lev - 6.02 * (2 * (f[a:b] - fc) / rbw) ** 2) / 10.0)
            pk = 10.0 * np.log10(p)
            rows = [f"# rbw_hz: {rbw:g}", f"Frequency (Hz),Peak ({unit}),QP ({unit}),CAVG ({unit})"]
            rows += [
                f"{a},{x:.1f},{x - 0.5:.1f},{x - 3:.1f}" for a, x in zip(ftext, pk, strict=True)
            ]
            (folder / f"unit{u:03d}_{port}.csv").write_text(
                "\n".join(rows) + "\n", encoding="ascii"
            )
    (folder / "setup.toml").write_text(SETUP, encoding="ascii")


def _median_ms(times: list[float]) -> str:
    return f"{1e3 * statistics.median(times):.1f} ms (n = {len(times)})"


def main() -> None:
    """Generate the lot, time ``rfcheck lot`` on it and print the result."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    ap.add_argument("--units", type=int, default=200)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--sample", type=int, default=40, help="captures timed one by one")
    args = ap.parse_args()
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        t0 = time.perf_counter()
        generate(folder, args.units)
        print(
            f"generated {args.units} units x {len(PORTS)} captures "
            f"in {time.perf_counter() - t0:.1f} s"
        )
        setup = load_setup(folder / "setup.toml")
        per_capture: list[float] = []
        loaded = {}
        for u in range(min(args.sample // len(PORTS), args.units)):
            for port, *_ in PORTS:
                name = f"unit{u:03d}_{port}.csv"
                t = time.perf_counter()
                loaded[(u, port)] = load_emissions(folder / name, setup.settings_for(name))
                per_capture.append(time.perf_counter() - t)
        print(f"load + judge + emission list, per capture: median {_median_ms(per_capture)}")
        units_timed = sorted({u for u, _ in loaded})
        per_unit: list[float] = []
        for u in units_timed[1:]:
            t = time.perf_counter()
            for port, *_ in PORTS:
                compare_fingerprints(port, loaded[(0, port)], loaded[(u, port)])
            per_unit.append(time.perf_counter() - t)
        print(f"fingerprint comparison, per unit (4 ports): median {_median_ms(per_unit)}")
        per_port: list[float] = []
        for port, *_ in PORTS:
            members = {f"unit{u:03d}": loaded[(u, port)] for u in units_timed}
            tol = max(el.match_tolerance_hz for el in members.values())
            t = time.perf_counter()
            lot_statistics(port, members, "unit000", 10.0, tol)
            per_port.append(time.perf_counter() - t)
        print(
            f"80/80 statistics, per port ({len(units_timed)} units): median {_median_ms(per_port)}"
        )
        t = time.perf_counter()
        result = run_lot(folder, "unit000", setup, jobs=args.jobs)
        wall = time.perf_counter() - t
        n_caps = args.units * len(PORTS)
        print(
            f"run_lot, {args.units} units x {len(PORTS)} captures, --jobs {args.jobs}: "
            f"{wall:.1f} s ({n_caps / wall:.1f} captures/s); verdict {result.verdict.value}, "
            f"{sum(not u.identical for u in result.units)} not identical, "
            f"{len(result.statistics)} statistics rows"
        )
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
