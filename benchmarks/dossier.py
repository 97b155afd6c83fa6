"""Throughput of ``rfcheck dossier``: captures per second over many product units.

Writes U units of 8 generic-CSV captures (the hand-built rig of ``tests/product/_rig.py``:
L1 and L2 peak prescans and QP/AV finals, H and V 30 MHz-1 GHz QP and 1-6 GHz PK/AV scans),
P points each, into a temporary folder, then runs ``rfcheck dossier --format json,html
--jobs J`` R times, each a fresh subprocess into a fresh output folder. Prints the median
throughput and the load average (the machine may be shared).

``--sample`` times instead the README's command on the sample rig, ``rfcheck dossier
sample_captures --setup sample_captures/dossier-setup.toml --out X`` (default ``--jobs``, all
formats), wall and CPU time (of the process and its workers); ``--baseline DIR`` runs another
checkout (e.g. the main branch) the same way, alternating with this one, and prints the ratio.

Usage::

    python benchmarks/dossier.py                  # 50 units x 8 captures x 10,000 points, --jobs 2
    python benchmarks/dossier.py --units 10 --repeat 1
    python benchmarks/dossier.py --sample --repeat 5 --baseline ../main

Goals: >= 20 captures/s with ``--jobs 2`` (the same as ``batch``); the sample rig's dossier
in <= 2 s (issue 16).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import ModuleType

REPO = Path(__file__).resolve().parent.parent
RIG = REPO / "tests" / "product" / "_rig.py"
CAPTURES_PER_UNIT = 8


def _rig_module() -> ModuleType:  # loaded by path: tests/ is not a package
    spec = importlib.util.spec_from_file_location("rfcheck_bench_rig", RIG)
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def generate(folder: Path, units: int, points: int) -> Path:
    """Write the units' captures under ``folder`` and the setup beside them; return the setup."""
    rig = _rig_module()
    for i in range(units):
        rig.write_rig(folder / "data" / f"u{i:03d}", points=points, unit=f"u{i:03d}")
    setup = rig.write_setup(
        folder / "setup.toml", '[batch]\ngroup_pattern = "^(?P<unit>u[0-9]+)_"\n'
    )
    return Path(setup)


def _sample_run(tree: Path | None, out: Path) -> tuple[float, float]:
    """Run the README's dossier command once; return its wall and CPU time [s]."""
    env = dict(os.environ)
    if tree is not None:  # another checkout's rfcheck first on the path
        env["PYTHONPATH"] = os.pathsep.join([str(tree), env.get("PYTHONPATH", "")])
    samples = REPO / "sample_captures"
    cmd = [sys.executable, "-m", "rfcheck", "dossier", str(samples)]
    cmd += ["--setup", str(samples / "dossier-setup.toml"), "--out", str(out)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=REPO)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in (0, 1):  # the sample rig fails on purpose (exit 1)
        sys.exit(f"dossier exited {proc.returncode}: {proc.stderr or proc.stdout[-500:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def sample(repeat: int, baseline: Path | None) -> None:
    """Time the sample rig's dossier (and a baseline checkout's, alternating); print medians."""
    trees: dict[str, Path | None] = {"this": None}
    if baseline is not None:
        trees = {"baseline": baseline.resolve(), "this": None}
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in trees}
    with tempfile.TemporaryDirectory() as tmp:
        for r in range(repeat):
            for name, tree in trees.items():
                times[name].append(_sample_run(tree, Path(tmp) / f"{name}{r}"))
    load = os.getloadavg()
    for name, runs in times.items():
        wall = statistics.median(w for w, _ in runs)
        cpu = statistics.median(c for _, c in runs)
        print(
            f"sample rig dossier ({name}): median {wall:.2f} s wall, {cpu:.2f} s CPU over "
            f"{repeat} runs ({', '.join(f'{w:.2f}' for w, _ in runs)}); goal <= 2 s"
        )
    if baseline is not None:
        ratio = statistics.median(w for w, _ in times["baseline"]) / statistics.median(
            w for w, _ in times["this"]
        )
        print(f"this vs baseline: {ratio:.2f}x wall")
    print(f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")


def main() -> None:
    """Time ``rfcheck dossier`` on a generated lot and print the median run."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--units", type=int, default=50)
    ap.add_argument("--points", type=int, default=10_000)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--sample", action="store_true", help="time the sample rig's dossier")
    ap.add_argument("--baseline", type=Path, help="another checkout to compare with (--sample)")
    args = ap.parse_args()
    if args.sample:
        sample(args.repeat, args.baseline)
        return
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        setup = generate(root, args.units, args.points)
        n = args.units * CAPTURES_PER_UNIT
        times = []
        for r in range(args.repeat):
            out = root / f"out{r}"
            t0 = time.perf_counter()
            proc = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "rfcheck",
                    "dossier",
                    str(root / "data"),
                    "--setup",
                    str(setup),
                    "--out",
                    str(out),
                    "--format",
                    "json,html",
                    "--jobs",
                    str(args.jobs),
                ],
                capture_output=True,
                text=True,
            )
            times.append(time.perf_counter() - t0)
            if proc.returncode != 0:
                sys.exit(f"dossier exited {proc.returncode}: {proc.stderr or proc.stdout[-500:]}")
        med = statistics.median(times)
        load = os.getloadavg()
        print(
            f"{args.units} units x {CAPTURES_PER_UNIT} captures x {args.points} points, "
            f"--jobs {args.jobs}, JSON+HTML: median {med:.2f} s over {args.repeat} runs "
            f"({', '.join(f'{t:.2f}' for t in times)}) -> {n / med:.1f} captures/s; "
            f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"
        )


if __name__ == "__main__":
    main()
