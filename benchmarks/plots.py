"""Throughput of the margin plot (PNG) and of a per-capture PDF+HTML+PNG set, one process.

Generates ``--n`` generic-CSV captures of ``--points`` points (as ``benchmarks/batch.py``:
peak detector, 9 kHz RBW, 150 kHz - 30 MHz, a few emissions, one in ten 25 dB higher),
then, in a fresh child process per measurement, judges them against FCC 15.107 Class B
(not timed) and

- ``png``: renders each capture's PNG with :func:`rfcheck.report.plots.plot_png`;
- ``set``: writes each capture's ``pdf,html,png`` reports with
  :func:`rfcheck.report.write_reports` (a one-capture run listing its own input, as
  ``rfcheck batch`` writes it; before 2026-12-06 the benchmark's run listed all ``--n``
  inputs, so each PDF carried a 100-row input table no batch report has),

timing every call (wall and CPU time of the process). The child sets up its allocator as
the command line does (:func:`rfcheck.allocator.keep_freed_memory`, where the tree has it).
Prints the median per capture, the captures per second (the median's inverse), the minor
page faults per capture and the load average: the machine is shared, so read the figures
against the load. ``--baseline DIR`` measures another checkout (e.g. the
main branch) the same way, alternating with this one in the same run, and prints the ratios.

Usage::

    python benchmarks/plots.py                          # 100 captures of 10,000 points
    python benchmarks/plots.py --baseline ../main       # before/after in one run
    python benchmarks/plots.py --n 300 --points 20000 --rounds 3

Goals (issue 16): >= 20 PNG plots/s and >= 5 PDF+HTML+PNG sets/s (10k-point captures, one
process).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from batch import LIMIT, generate

GOALS = {"png": 20.0, "set": 5.0}


def _child(data: Path, mode: str, n_set: int) -> None:
    """Measure one mode in this process; print one JSON line."""
    try:  # the command line's process setting, in a tree that has it
        from rfcheck.allocator import keep_freed_memory
    except ImportError:
        pass
    else:
        keep_freed_memory()
    from rfcheck.analysis import run_check
    from rfcheck.report import write_reports
    from rfcheck.report.plots import plot_png
    from rfcheck.results import CaptureResult
    from rfcheck.settings import CheckSettings

    paths = sorted(data.rglob("*.csv"))
    result = run_check(paths, CheckSettings(limit_ids=(LIMIT,)))
    captures = list(result.captures)
    if mode == "set":
        captures = captures[: n_set + 1]
    out = Path(tempfile.mkdtemp(prefix="rfcheck-plots-out-"))

    def one(cap: CaptureResult) -> None:
        if mode == "png":
            plot_png(cap)
        else:
            # the run `rfcheck batch` renders: this capture, its own input and the shared ones
            inputs = tuple(i for i in result.inputs if i.role != "capture" or i.path == cap.path)
            run = dataclasses.replace(result, captures=(cap,), inputs=inputs)
            write_reports(run, out / str(id(cap)), ("pdf", "html", "png"))

    load0 = os.getloadavg()[0]
    t0 = time.perf_counter()
    one(captures[0])  # first call apart: imports, font cache, figure set-up
    first = time.perf_counter() - t0
    wall, cpu = [], []
    faults0 = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    for cap in captures[1:]:
        t, c = time.perf_counter(), time.process_time()
        one(cap)
        cpu.append(time.process_time() - c)
        wall.append(time.perf_counter() - t)
    print(
        json.dumps(
            {
                "first_s": first,
                "wall_s": statistics.median(wall),
                "cpu_s": statistics.median(cpu),
                "n": len(wall),
                "faults": (resource.getrusage(resource.RUSAGE_SELF).ru_minflt - faults0)
                / max(len(wall), 1),
                "load": [load0, os.getloadavg()[0]],
            }
        )
    )


def _measure(tree: Path | None, data: Path, mode: str, n_set: int) -> dict[str, Any]:
    env = dict(os.environ)
    if tree is not None:  # another checkout's rfcheck first on the path
        env["PYTHONPATH"] = os.pathsep.join([str(tree), env.get("PYTHONPATH", "")])
    cmd = [sys.executable, __file__, "--child", mode, "--data", str(data), "--n-set", str(n_set)]
    done = subprocess.run(cmd, check=True, capture_output=True, text=True, env=env)
    out: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return out


def main() -> None:
    """Run the measurements, print the medians and the ratios."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=100, help="captures (default 100)")
    ap.add_argument("--n-set", type=int, default=30, help="captures for the pdf,html,png sets")
    ap.add_argument("--points", type=int, default=10_000, help="points per capture")
    ap.add_argument("--rounds", type=int, default=1, help="measurements per tree and mode")
    ap.add_argument("--modes", default="png,set", help="png, set or both (default)")
    ap.add_argument("--baseline", type=Path, help="another checkout to compare with")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        _child(args.data, args.child, args.n_set)
        return

    trees: dict[str, Path | None] = {"this": None}
    if args.baseline is not None:
        trees = {"baseline": args.baseline.resolve(), "this": None}
    with tempfile.TemporaryDirectory(prefix="rfcheck-plots-") as tmp:
        generate(Path(tmp), args.n, args.points)
        print(f"{args.n} captures of {args.points} points; {args.n_set} for the sets")
        print(
            f"{'mode':<5}{'tree':<10}{'median ms':>10}{'CPU ms':>8}{'per s':>7}{'faults':>8}"
            f"{'load':>13}"
        )
        res: dict[tuple[str, str], list[dict[str, Any]]] = {}
        for mode in args.modes.split(","):
            for _ in range(args.rounds):
                for name, tree in trees.items():  # alternate: both see the same load
                    r = _measure(tree, Path(tmp), mode, args.n_set)
                    res.setdefault((mode, name), []).append(r)
                    load = f"{r['load'][0]:.2f}->{r['load'][1]:.2f}"
                    print(
                        f"{mode:<5}{name:<10}{r['wall_s'] * 1e3:>10.1f}{r['cpu_s'] * 1e3:>8.1f}"
                        f"{1 / r['wall_s']:>7.1f}{r['faults']:>8.0f}{load:>13}",
                        flush=True,
                    )
        for mode in args.modes.split(","):
            wall = statistics.median(r["wall_s"] for r in res[(mode, "this")])
            cpu = statistics.median(r["cpu_s"] for r in res[(mode, "this")])
            what = "PNG plots" if mode == "png" else "PDF+HTML+PNG sets"
            print(
                f"{what}: {1 / wall:.1f}/s wall, {1 / cpu:.1f}/s CPU (goal >= {GOALS[mode]:g}/s)"
                f"; load average now {os.getloadavg()[0]:.2f}"
            )
            if "baseline" in trees:
                bw = statistics.median(r["wall_s"] for r in res[(mode, "baseline")])
                bc = statistics.median(r["cpu_s"] for r in res[(mode, "baseline")])
                print(f"  this vs baseline: {bw / wall:.2f}x wall, {bc / cpu:.2f}x CPU")


if __name__ == "__main__":
    main()
