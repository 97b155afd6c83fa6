"""Throughput of the margin plot (PNG) on batch-sized captures, one process.

Generates ``--n`` generic-CSV captures of ``--points`` points (as ``benchmarks/batch.py``:
peak detector, 150 kHz - 30 MHz, a few emissions, one in ten failing), judges them against
FCC 15.107 Class B once (not timed), then renders each capture's PNG with
:func:`rfcheck.report.plots.plot_png`, timing every call. Prints the median time per plot,
plots per second (the median's inverse and the whole loop's), the first call apart (font
cache, figure set-up) and the load average before and after: the machine is shared, so read
the figures against the load, and compare two code versions in the same run.

Usage::

    python benchmarks/plots.py                 # 100 captures of 10,000 points
    python benchmarks/plots.py --n 300 --points 20000

Goal: >= 20 plots/s (PNG, 10k-point captures, one process).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from batch import LIMIT, generate


def main() -> None:
    """Render the plots, print the medians and the ratios."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=100, help="captures (default 100)")
    ap.add_argument("--points", type=int, default=10_000, help="points per capture")
    args = ap.parse_args()

    from rfcheck.analysis import run_check
    from rfcheck.report.plots import plot_png
    from rfcheck.settings import CheckSettings

    with tempfile.TemporaryDirectory(prefix="rfcheck-plots-") as tmp:
        generate(Path(tmp), args.n, args.points)
        paths = sorted(Path(tmp).rglob("*.csv"))
        result = run_check(paths, CheckSettings(limit_ids=(LIMIT,)))
    captures = result.captures
    load0 = os.getloadavg()[0]
    t0 = time.perf_counter()
    first = plot_png(captures[0])
    t_first = time.perf_counter() - t0
    times = []
    t_loop = time.perf_counter()
    for cap in captures[1:]:
        t = time.perf_counter()
        plot_png(cap)
        times.append(time.perf_counter() - t)
    loop = time.perf_counter() - t_loop
    med = statistics.median(times)
    print(
        f"margin plot PNG: {len(captures)} captures of {args.points} points; load average "
        f"{load0:.2f} -> {os.getloadavg()[0]:.2f}"
    )
    print(f"first call      : {t_first:.3f} s ({len(first):,} bytes)")
    print(
        f"per plot        : median {med * 1e3:.1f} ms, quartiles "
        f"{statistics.quantiles(times, n=4)[0] * 1e3:.1f} / "
        f"{statistics.quantiles(times, n=4)[2] * 1e3:.1f} ms"
    )
    print(
        f"plots per second: {1 / med:.1f} (median), {len(times) / loop:.1f} (whole loop); "
        "goal >= 20"
    )


if __name__ == "__main__":
    main()
