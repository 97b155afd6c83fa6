"""Peak memory of ``rfcheck check`` and ``rfcheck info`` on one long generic-CSV trace.

Writes a synthetic capture of N points (default 1e6; ``--points 1e7`` for the audit's case,
a 170 MB file): ``Frequency (MHz),Peak (dBuV/m)``, 30 MHz-1 GHz, a max-hold peak trace of
noise around 30 dBµV/m with a 20 dB spike every 100,000 points, ``# rbw_hz: 120000``. Then
runs ``rfcheck check --limit fcc-15.109-b FILE`` and ``rfcheck info FILE`` R times each, every
run a fresh process, and prints the median peak RSS (``ru_maxrss`` of that process, Linux: KiB),
bytes per point (the peak RSS over N, start-up included) and the start-up figure (the same
commands on a 100-point file). ``--baseline DIR`` runs another checkout (e.g. the main
branch) the same way, alternating with this one, and prints the ratio.

Usage::

    python benchmarks/memory.py                         # 1e6 points, 3 runs
    python benchmarks/memory.py --points 1e7 --repeat 1 --baseline ../main

Goal: ``check`` under ~100 bytes a point at 1e7 points (it once took 2.8 GB, about
280 bytes a point; docs/batch.md, "Memory per input").
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _bytecode import installed_env

REPO = Path(__file__).resolve().parent.parent
LIMIT = "fcc-15.109-b"


def write_capture(path: Path, points: int, chunk: int = 100_000) -> None:
    """Write the synthetic N-point generic CSV (deterministic: seed 1).

    In chunks: a child's peak RSS starts from this process's at the fork, so this process
    stays small.
    """
    rng = np.random.default_rng(1)
    with path.open("w") as fh:
        fh.write("# rbw_hz: 120000\n# detector: peak\nFrequency (MHz),Peak (dBuV/m)\n")
        for start in range(0, points, chunk):
            i = np.arange(start, min(start + chunk, points))
            f_mhz = 30.0 + 970.0 * i / max(points - 1, 1)
            level = 30.0 + 5.0 * rng.standard_normal(i.shape[0])
            level[i % 100_000 == 0] += 20.0
            np.savetxt(fh, np.column_stack([f_mhz, level]), fmt=["%.6f", "%.2f"], delimiter=",")


def peak_rss_kib(cmd: list[str], tree: Path | None, cache: Path) -> int:
    """Run ``cmd`` (``python -m rfcheck ...``) in a fresh process; return its peak RSS [KiB].

    The process's own rusage (``os.wait4``): RUSAGE_CHILDREN would give the largest child
    of the whole benchmark so far.
    """
    env = installed_env(cache)
    if tree is not None:  # another checkout's rfcheck first on the path
        env["PYTHONPATH"] = os.pathsep.join([str(tree), env.get("PYTHONPATH", "")])
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(
            [sys.executable, "-m", "rfcheck", *cmd],
            stdout=subprocess.DEVNULL,
            stderr=err,
            env=env,
            cwd=tree or REPO,  # ``python -m`` puts the working folder first on sys.path
        )
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = code = os.waitstatus_to_exitcode(status)
        if code not in (0, 1, 4, 5):  # a verdict, not an error
            err.seek(0)
            sys.exit(f"{' '.join(cmd)} exited {code}: {err.read().decode()[-500:]}")
    return int(usage.ru_maxrss)


def measure(
    trees: dict[str, Path | None], capture: Path, tiny: Path, repeat: int, tmp: Path
) -> dict[tuple[str, str, str], list[int]]:
    """Peak RSS of every (tree, command, file) run ``repeat`` times, alternating the trees."""
    commands: dict[str, Callable[[Path], list[str]]] = {
        "check": lambda p: ["check", "--limit", LIMIT, str(p)],
        "info": lambda p: ["info", str(p)],
    }
    runs: dict[tuple[str, str, str], list[int]] = {}
    for name, tree in trees.items():  # warm-up: bytecode and the OS file cache
        peak_rss_kib(commands["info"](tiny), tree, tmp / f"pycache-{name}")
    for _ in range(repeat):
        for name, tree in trees.items():
            for cmd, args in commands.items():
                for label, path in (("start-up", tiny), ("capture", capture)):
                    rss = peak_rss_kib(args(path), tree, tmp / f"pycache-{name}")
                    runs.setdefault((name, cmd, label), []).append(rss)
    return runs


def main() -> None:
    """Build the capture, measure every command's peak RSS and print the medians."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--points", type=float, default=1e6, help="trace length (1e6, 1e7)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--baseline", type=Path, help="another checkout to compare with")
    args = ap.parse_args()
    n = int(args.points)
    trees: dict[str, Path | None] = {"this": None}
    if args.baseline is not None:
        trees = {"baseline": args.baseline.resolve(), "this": None}
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        capture, tiny = tmp / "long.csv", tmp / "tiny.csv"
        write_capture(capture, n)
        write_capture(tiny, 100)
        size_mb = capture.stat().st_size / 1e6
        runs = measure(trees, capture, tiny, args.repeat, tmp)
    print(f"{n:,} points ({size_mb:.0f} MB generic CSV), {LIMIT}; median of {args.repeat} runs")
    medians = {key: statistics.median(v) for key, v in runs.items()}
    for name in trees:
        for cmd in ("check", "info"):
            rss, base = medians[(name, cmd, "capture")], medians[(name, cmd, "start-up")]
            print(
                f"{cmd:<5} ({name}): peak RSS {rss / 1024:7.1f} MiB = "
                f"{rss * 1024 / n:6.1f} bytes a point; start-up {base / 1024:5.1f} MiB, "
                f"{(rss - base) * 1024 / n:6.1f} bytes a point above it"
            )
    if args.baseline is not None:
        for cmd in ("check", "info"):
            ratio = medians[("baseline", cmd, "capture")] / medians[("this", cmd, "capture")]
            print(f"{cmd}: baseline / this = {ratio:.2f}x peak RSS")
    load = os.getloadavg()
    print(f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")


if __name__ == "__main__":
    main()
