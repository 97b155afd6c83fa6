"""Throughput of ``rfcheck dossier``: captures per second over many product units.

Writes U units of 8 generic-CSV captures (the hand-built rig of ``tests/product/_rig.py``:
L1 and L2 peak prescans and QP/AV finals, H and V 30 MHz-1 GHz QP and 1-6 GHz PK/AV scans),
P points each, into a temporary folder, then runs ``rfcheck dossier --format json,html
--jobs J`` R times, each a fresh subprocess into a fresh output folder. Prints the median
throughput and the load average (the machine may be shared).

``--sample`` times instead the README's command on the sample rig, ``rfcheck dossier
sample_captures --setup sample_captures/dossier-setup.toml --out X`` (default ``--jobs``, all
formats), wall and CPU time (of the process and all its descendants: on Linux this process
becomes their subreaper, so the fork server and its workers are counted after the command
exits); ``--baseline DIR`` runs another
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
import ctypes
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

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _bytecode import installed_env
from _machine import speed_line

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


#: prctl option: orphaned descendants are re-parented to this process (Linux).
_PR_SET_CHILD_SUBREAPER = 36


def _adopt_descendants() -> None:
    """Become the subreaper of our descendants, so their CPU time reaches RUSAGE_CHILDREN.

    A pool's fork server outlives its parent's wait (the parent never waits for it): it
    and its workers would go uncounted. Nothing happens off Linux.
    """
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)


def _reap_descendants() -> None:
    """Wait for every adopted descendant (a fork server ends once its parent has exited)."""
    while True:
        try:
            os.waitpid(-1, 0)
        except ChildProcessError:
            return


def _sample_run(tree: Path | None, out: Path) -> tuple[float, float]:
    """Run the README's dossier command once; return its wall and CPU time [s].

    With rfcheck's bytecode as an installed copy reads it (``_bytecode.installed_env``, a
    cache per tree next to ``out``'s parent, filled by the first run).
    """
    env = installed_env(out.parent / f"pycache-{'this' if tree is None else tree.name}")
    if tree is not None:  # another checkout's rfcheck first on the path
        env["PYTHONPATH"] = os.pathsep.join([str(tree), env.get("PYTHONPATH", "")])
    samples = REPO / "sample_captures"
    cmd = [sys.executable, "-m", "rfcheck", "dossier", str(samples)]
    cmd += ["--setup", str(samples / "dossier-setup.toml"), "--out", str(out)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    # run from the tree: ``python -m`` puts the working folder first on sys.path, ahead of
    # PYTHONPATH, so from this checkout a "baseline" run would time this checkout again
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=tree or REPO)
    wall = time.perf_counter() - t0
    _reap_descendants()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in (0, 1):  # the sample rig fails on purpose (exit 1)
        sys.exit(f"dossier exited {proc.returncode}: {proc.stderr or proc.stdout[-500:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def sample(repeat: int, baseline: Path | None) -> None:
    """Time the sample rig's dossier (and a baseline checkout's, alternating); print medians."""
    _adopt_descendants()
    trees: dict[str, Path | None] = {"this": None}
    if baseline is not None:
        trees = {"baseline": baseline.resolve(), "this": None}
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in trees}
    with tempfile.TemporaryDirectory() as tmp:
        for name, tree in trees.items():  # warm-up: the OS file cache and the bytecode
            _sample_run(tree, Path(tmp) / f"{name}-warm-up")
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
        wall_ratio, cpu_ratio = (
            statistics.median(run[k] for run in times["baseline"])
            / statistics.median(run[k] for run in times["this"])
            for k in (0, 1)
        )
        print(f"this vs baseline: {wall_ratio:.2f}x wall, {cpu_ratio:.2f}x CPU")
    print(f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    print(speed_line())


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
