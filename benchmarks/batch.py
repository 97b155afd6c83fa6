"""Throughput of ``rfcheck batch``: captures per second and peak memory.

Generates N generic-CSV captures of P points (peak detector, 150 kHz - 30 MHz, levels
around 35 dBµV with a few emissions; about one in ten fails) in a temporary folder, then
runs :func:`rfcheck.batch.run_batch` against FCC 15.107 Class B for each combination of
report formats (JSON+CSV only; JSON+CSV+PNG) and ``--jobs`` (1, 2). Each run is a fresh
subprocess writing to a fresh output folder, so its peak memory (``ru_maxrss`` of the
run's parent process, of its largest worker, and of all of them together, sampled every
50 ms with psutil) is its own.

``--baseline DIR`` runs every configuration a second time with another checkout's rfcheck
(e.g. the main branch) first on the path, right after this one's, and prints the ratios;
the load average is printed with every run (the machine may be shared).

Usage::

    python benchmarks/batch.py               # 1,000 captures of 10,000 points
    python benchmarks/batch.py --n 100       # quick
    python benchmarks/batch.py --png-n 200   # fewer captures for the (slow) PNG runs
    python benchmarks/batch.py --n 200 --jobs 1 --baseline /work/main

Goals: >= 20 captures/s JSON-only with ``--jobs 2``; >= 20 captures/s with PNG plots on one
process (issue 16).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np

LIMIT = "fcc-15.107-b"


def generate(folder: Path, n: int, points: int, seed: int = 1) -> None:
    """Write ``n`` captures into ``folder`` (10 sub-folders, unit/line names)."""
    rng = np.random.default_rng(seed)
    freq_hz = np.geomspace(150e3, 30e6, points)
    freq_text = [f"{f:.1f}" for f in freq_hz]
    for i in range(n):
        level = 35.0 + rng.normal(0.0, 1.5, points)
        for _ in range(5):  # a few narrow emissions
            k = int(rng.integers(0, points))
            level[max(0, k - 3) : k + 3] += rng.uniform(5.0, 15.0)
        if i % 10 == 9:  # a failing one
            level += 25.0
        sub = folder / f"rig{i % 10}"
        sub.mkdir(parents=True, exist_ok=True)
        body = "\n".join(f"{f},{x:.2f}" for f, x in zip(freq_text, level, strict=True))
        name = f"unit{i // 2:04d}_{'L1' if i % 2 == 0 else 'N'}.csv"
        (sub / name).write_text(
            "# instrument: rfcheck benchmark generator\nFrequency (Hz),Peak (dBuV)\n" + body + "\n",
            encoding="utf-8",
        )


class _MemorySampler(threading.Thread):
    """Sample the peak RSS of this process tree [B].

    Peak RSS of this process plus all its descendants (pool workers, the forkserver), sampled every
    50 ms with psutil when available.
    """

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peak_total_mib = 0.0
        self.peak_worker_mib = 0.0
        self._halt = threading.Event()

    def run(self) -> None:
        try:
            import psutil
        except ImportError:  # pragma: no cover - psutil comes with rfcheck[dask]
            return
        me = psutil.Process()
        while not self._halt.wait(0.05):
            total = me.memory_info().rss
            for child in me.children(recursive=True):
                try:
                    rss = child.memory_info().rss
                except psutil.Error:
                    continue
                total += rss
                self.peak_worker_mib = max(self.peak_worker_mib, rss / 2**20)
            self.peak_total_mib = max(self.peak_total_mib, total / 2**20)

    def stop(self) -> None:
        self._halt.set()
        self.join()


def _child(args: argparse.Namespace) -> None:
    from rfcheck.batch import run_batch

    formats = tuple(args.formats.split(","))
    sampler = _MemorySampler()
    sampler.start()
    t0 = time.perf_counter()
    result = run_batch(
        [args.data],
        args.out,
        overrides={"limit_ids": (LIMIT,)},
        formats=formats,
        jobs=args.jobs,
        group_pattern=r"(?P<unit>unit\d+)_",
    )
    elapsed = time.perf_counter() - t0
    sampler.stop()
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {
                "n": len(result.rows),
                "elapsed_s": elapsed,
                "counts": result.counts,
                "maxrss_parent_mib": own / 1024,
                "peak_worker_mib": sampler.peak_worker_mib,
                "peak_total_mib": max(sampler.peak_total_mib, own / 1024),
            }
        )
    )


def _run(
    data: Path, out: Path, formats: str, jobs: int, tree: Path | None = None
) -> dict[str, float]:
    cmd = [sys.executable, __file__, "--child", "--data", str(data), "--out", str(out)]
    cmd += ["--formats", formats, "--jobs", str(jobs)]
    env = dict(os.environ)
    if tree is not None:  # another checkout's rfcheck first on the path
        env["PYTHONPATH"] = os.pathsep.join([str(tree), env.get("PYTHONPATH", "")])
    done = subprocess.run(cmd, check=True, capture_output=True, text=True, env=env)
    times: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return times


def main() -> None:
    """Run the benchmark (or, with ``--child``, one measured run) and print the table."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=1000, help="captures (default 1000)")
    ap.add_argument(
        "--png-n", type=int, default=None, help="captures for the PNG runs (default --n)"
    )
    ap.add_argument("--points", type=int, default=10_000, help="points per capture")
    ap.add_argument("--jobs", default="1,2", help="comma-separated --jobs values (default 1,2)")
    ap.add_argument("--baseline", type=Path, help="another checkout to compare with")
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--formats", default="json,csv", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        args.jobs = int(args.jobs)
        _child(args)
        return

    png_n = args.png_n or args.n
    jobs = [int(j) for j in args.jobs.split(",")]
    with tempfile.TemporaryDirectory(prefix="rfcheck-bench-") as tmp:
        base = Path(tmp)
        t0 = time.perf_counter()
        generate(base / "data", args.n, args.points)
        if png_n != args.n:
            generate(base / "data_png", png_n, args.points)
        print(
            f"generated {args.n} captures x {args.points} points "
            f"in {time.perf_counter() - t0:.1f} s"
        )
        print(f"{'reports':<14}{'jobs':>5}{'captures':>10}{'seconds':>9}{'cap/s':>8}"
              f"{'parent MiB':>12}{'worker MiB':>12}{'total MiB':>11}{'load':>7}")  # fmt: skip
        rates: dict[tuple[str, int], float] = {}
        base_rates: dict[tuple[str, int], float] = {}
        trees: list[tuple[str, Path | None]] = [("", None)]
        if args.baseline is not None:
            trees.append((" (baseline)", args.baseline.resolve()))
        for formats in ("json,csv", "json,csv,png"):
            data = base / ("data" if formats == "json,csv" or png_n == args.n else "data_png")
            for j in jobs:
                for tag, tree in trees:  # this checkout, then the baseline: the same load
                    out = base / f"out-{formats.replace(',', '-')}-{j}{'-b' if tree else ''}"
                    r = _run(data, out, formats, j, tree)
                    rate = r["n"] / r["elapsed_s"]
                    (base_rates if tree else rates)[(formats, j)] = rate
                    print(
                        f"{formats + tag:<14}{j:>5}{r['n']:>10}{r['elapsed_s']:>9.1f}{rate:>8.1f}"
                        f"{r['maxrss_parent_mib']:>12.0f}{r['peak_worker_mib']:>12.0f}"
                        f"{r['peak_total_mib']:>11.0f}{os.getloadavg()[0]:>7.2f}",
                        flush=True,
                    )
        for formats in ("json,csv", "json,csv,png"):
            if len(jobs) > 1:
                lo, hi = min(jobs), max(jobs)
                print(
                    f"{formats}: jobs {hi} / jobs {lo} = "
                    f"{rates[(formats, hi)] / rates[(formats, lo)]:.2f}x"
                )
        for j in jobs:
            print(
                f"jobs {j}: png / json-only = "
                f"{rates[('json,csv,png', j)] / rates[('json,csv', j)]:.2f}x captures/s"
            )
        for key, rate in base_rates.items():
            print(f"{key[0]} jobs {key[1]}: this / baseline = {rates[key] / rate:.2f}x captures/s")
        png1 = rates.get(("json,csv,png", 1))
        if png1 is not None:
            met = "met" if png1 >= 20 else "NOT met"
            load = os.getloadavg()[0]
            print(f"goal >= 20 captures/s, PNG, 1 process: {png1:.1f} ({met}); load {load:.2f}")
        goal = rates.get(("json,csv", 2))
        if goal is not None:
            print(f"goal >= 20 captures/s JSON/CSV-only on 2 jobs: {goal:.1f} "
                  f"({'met' if goal >= 20 else 'NOT met'})")  # fmt: skip


if __name__ == "__main__":
    main()
