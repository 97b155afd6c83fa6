"""Throughput of ``rfcheck batch``: captures per second, CPU time and peak memory.

Generates N generic-CSV captures of P points (peak detector, 9 kHz RBW, 150 kHz - 30 MHz,
levels around 35 dBµV with a few emissions, one in ten 25 dB higher) in a temporary folder,
then runs :func:`rfcheck.batch.run_batch` against FCC 15.107 Class B for each report set (none;
JSON+CSV; JSON+CSV+PNG) and each backend (``--jobs`` 1, 2; with ``--dask``, a Dask
``LocalCluster`` of 2 single-threaded worker processes, started before the clock starts, as
an existing cluster is for ``--scheduler``, its workers given the allocator settings of
rfcheck's own workers as the README's cluster section says). Each run is a fresh
subprocess writing to a fresh output folder, so its peak memory (``ru_maxrss`` of the run's
parent process, of its largest worker, and of all of them together, sampled every 50 ms with
psutil) and its CPU time (the process and all its descendants) are its own.

The backends are interleaved (``--repeat`` rounds of jobs 1, jobs 2, Dask ...), so each
ratio is measured under the same machine load; the table gives the median of the rounds, the
1-minute load average around the runs and the CPU time per capture, and the ratios are the
medians of the per-round ratios.

Usage::

    python benchmarks/batch.py                       # 1,000 captures of 10,000 points
    python benchmarks/batch.py --n 100               # quick
    python benchmarks/batch.py --reports none,json,csv --repeat 3 --dask
    python benchmarks/batch.py --png-n 200           # fewer captures for the (slow) PNG runs

Goals (issue 16): jobs 2 >= 1.7x jobs 1; the Dask LocalCluster within 1.3x of the pool.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import numpy as np

LIMIT = "fcc-15.107-b"


def generate(folder: Path, n: int, points: int, seed: int = 1) -> None:
    """Write ``n`` captures into ``folder`` (10 sub-folders, unit/line names).

    Each states its 9 kHz RBW, as an analyser's export does: the peak trace then bounds the
    quasi-peak and average readings from above, so a capture whose peak stays under the lines
    PASSes with its margins (``≥``) and the others are INCONCLUSIVE, as a real peak prescan
    is (a peak reading never proves a FAIL). Without the RBW no margin is bounded and every
    capture is INCONCLUSIVE with none (docs/verdict.md).
    """
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
            "# instrument: rfcheck benchmark generator\n# rbw_hz: 9000\n"  # CISPR Band B
            "Frequency (Hz),Peak (dBuV)\n" + body + "\n",
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
        self._cpu_s: dict[int, float] = {}
        self._halt = threading.Event()
        self.sample()

    def children_cpu_s(self) -> float:
        """Return the CPU time of the descendants seen so far, each at its last sample.

        In seconds. [s]
        """
        return sum(self._cpu_s.values())

    def sample(self) -> None:
        """Take one sample of the descendants' memory and CPU time."""
        try:
            import psutil
        except ImportError:  # pragma: no cover - psutil comes with rfcheck[dask]
            return
        me = psutil.Process()
        total = me.memory_info().rss
        for child in me.children(recursive=True):
            try:
                rss = child.memory_info().rss
                cpu = child.cpu_times()
            except psutil.Error:
                continue
            self._cpu_s[child.pid] = cpu.user + cpu.system
            total += rss
            self.peak_worker_mib = max(self.peak_worker_mib, rss / 2**20)
        self.peak_total_mib = max(self.peak_total_mib, total / 2**20)

    def run(self) -> None:
        while not self._halt.wait(0.05):
            self.sample()

    def stop(self) -> None:
        """Stop sampling after one last sample."""
        self._halt.set()
        self.join()
        self.sample()


def _own_cpu_s() -> float:
    """Return the CPU time of this process so far (all threads).

    In seconds. [s]
    """
    use = resource.getrusage(resource.RUSAGE_SELF)
    return use.ru_utime + use.ru_stime


def _child(args: argparse.Namespace) -> None:
    from rfcheck.allocator import keep_freed_memory
    from rfcheck.batch import run_batch

    keep_freed_memory()  # as the rfcheck command does in its own process (its workers do too)

    formats = tuple(f for f in args.formats.split(",") if f != "none")
    scheduler = None
    if args.backend == "dask":
        import logging

        import dask
        from distributed import Client, LocalCluster

        from rfcheck.allocator import MMAP_THRESHOLD_BYTES, TRIM_THRESHOLD_BYTES

        # Dask's nanny starts each worker with MALLOC_TRIM_THRESHOLD_=65536 (hand freed memory
        # back at once); give the workers the allocator rfcheck's own workers have (README,
        # "Running on a Dask cluster"), so that the two backends differ only in scheduling
        environ = dict(dask.config.get("distributed.nanny.pre-spawn-environ"))
        environ |= {
            "MALLOC_MMAP_THRESHOLD_": MMAP_THRESHOLD_BYTES,
            "MALLOC_TRIM_THRESHOLD_": TRIM_THRESHOLD_BYTES,
        }
        dask.config.set({"distributed.nanny.pre-spawn-environ": environ})
        cluster = LocalCluster(  # type: ignore[no-untyped-call]
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=logging.CRITICAL,
        )
        scheduler = Client(cluster)  # type: ignore[no-untyped-call]
    sampler = _MemorySampler()
    sampler.start()
    load_before = os.getloadavg()[0]
    cpu0 = _own_cpu_s()
    children0 = sampler.children_cpu_s()
    t0 = time.perf_counter()
    result = run_batch(
        [args.data],
        args.out,
        overrides={"limit_ids": (LIMIT,)},
        formats=formats,
        jobs=int(args.backend) if args.backend != "dask" else None,
        scheduler=scheduler,
        group_pattern=r"(?P<unit>unit\d+)_",
    )
    elapsed = time.perf_counter() - t0
    sampler.stop()
    cpu_s = _own_cpu_s() - cpu0 + sampler.children_cpu_s() - children0
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {
                "n": len(result.rows),
                "elapsed_s": elapsed,
                "cpu_s": cpu_s,
                "load": (load_before + os.getloadavg()[0]) / 2,
                "counts": result.counts,
                "maxrss_parent_mib": own / 1024,
                "peak_worker_mib": sampler.peak_worker_mib,
                "peak_total_mib": max(sampler.peak_total_mib, own / 1024),
            }
        )
    )


def _run(data: Path, out: Path, formats: str, backend: str) -> dict[str, Any]:
    cmd = [sys.executable, __file__, "--child", "--data", str(data), "--out", str(out)]
    cmd += ["--formats", formats, "--backend", backend]
    done = subprocess.run(cmd, check=True, capture_output=True, text=True)
    times: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return times


def _label(backend: str) -> str:
    return "dask 2" if backend == "dask" else f"jobs {backend}"


def main() -> None:
    """Run the benchmark (or, with ``--child``, one measured run) and print the table."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=1000, help="captures (default 1000)")
    ap.add_argument(
        "--png-n", type=int, default=None, help="captures for the PNG runs (default --n)"
    )
    ap.add_argument("--points", type=int, default=10_000, help="points per capture")
    ap.add_argument("--jobs", default="1,2", help="comma-separated --jobs values (default 1,2)")
    ap.add_argument("--dask", action="store_true", help="also a Dask LocalCluster of 2 workers")
    ap.add_argument(
        "--reports",
        default="none;json,csv;json,csv,png",
        help="';'-separated report sets ('none': no reports; default: none;json,csv;json,csv,png)",
    )
    ap.add_argument("--repeat", type=int, default=1, help="interleaved rounds (default 1)")
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--formats", default="json,csv", help=argparse.SUPPRESS)
    ap.add_argument("--backend", default="1", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        _child(args)
        return

    png_n = args.png_n or args.n
    backends = args.jobs.split(",") + (["dask"] if args.dask else [])
    report_sets = args.reports.split(";")
    with tempfile.TemporaryDirectory(prefix="rfcheck-bench-") as tmp:
        base = Path(tmp)
        t0 = time.perf_counter()
        generate(base / "data", args.n, args.points)
        if png_n != args.n:
            generate(base / "data_png", png_n, args.points)
        print(
            f"generated {args.n} captures x {args.points} points "
            f"in {time.perf_counter() - t0:.1f} s; {os.cpu_count()} CPUs"
        )
        runs: dict[tuple[str, str], list[dict[str, Any]]] = {}
        for formats in report_sets:
            png = "png" in formats.split(",")
            data = base / ("data_png" if png and png_n != args.n else "data")
            for r in range(args.repeat):
                for b in backends:
                    out = base / f"out-{formats.replace(',', '-')}-{b}-{r}"
                    runs.setdefault((formats, b), []).append(_run(data, out, formats, b))
                    shutil.rmtree(out, ignore_errors=True)
        _print_table(runs, report_sets, backends)


def _print_table(
    runs: dict[tuple[str, str], list[dict[str, Any]]],
    report_sets: list[str],
    backends: list[str],
) -> None:
    print(f"{'reports':<14}{'backend':>8}{'captures':>9}{'seconds':>9}{'cap/s':>7}"
          f"{'CPU ms/cap':>11}{'load':>6}{'parent MiB':>11}{'worker MiB':>11}"
          f"{'total MiB':>10}")  # fmt: skip
    for formats in report_sets:
        for b in backends:
            rs = runs[(formats, b)]
            n = rs[0]["n"]
            elapsed = statistics.median(r["elapsed_s"] for r in rs)
            cpu_ms = statistics.median(1000 * r["cpu_s"] / r["n"] for r in rs)
            load = statistics.median(r["load"] for r in rs)
            print(
                f"{formats:<14}{_label(b):>8}{n:>9}{elapsed:>9.1f}{n / elapsed:>7.1f}"
                f"{cpu_ms:>11.1f}{load:>6.1f}{max(r['maxrss_parent_mib'] for r in rs):>11.0f}"
                f"{max(r['peak_worker_mib'] for r in rs):>11.0f}"
                f"{max(r['peak_total_mib'] for r in rs):>10.0f}",
                flush=True,
            )
    for formats in report_sets:
        base = backends[0]
        for b in backends[1:]:
            ratios = [
                x["elapsed_s"] / y["elapsed_s"]
                for x, y in zip(runs[(formats, base)], runs[(formats, b)], strict=True)
            ]
            print(
                f"{formats}: {_label(b)} / {_label(base)} = {statistics.median(ratios):.2f}x "
                f"captures/s (rounds: {', '.join(f'{x:.2f}' for x in ratios)})"
            )
        if "dask" in backends and "2" in backends:
            ratios = [
                x["elapsed_s"] / y["elapsed_s"]
                for x, y in zip(runs[(formats, "dask")], runs[(formats, "2")], strict=True)
            ]
            print(f"{formats}: dask 2 time / jobs 2 time = {statistics.median(ratios):.2f}x")


if __name__ == "__main__":
    main()
