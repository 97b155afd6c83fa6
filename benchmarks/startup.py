"""Start-up time of ``rfcheck --help`` and ``import rfcheck``, as a ratio to a bare interpreter.

Each command runs as a fresh subprocess ``--repeat`` times (after one warm-up run that fills
the OS file cache and the bytecode cache: ``_bytecode.installed_env``, as an installed copy
reads it, even where ``PYTHONDONTWRITEBYTECODE`` is set), alternating with ``python -c
pass`` so a change in machine load hits both equally. Medians are reported, with the ratio
to the bare interpreter's median and the load average before and after (the machine is
shared: read the numbers against the load). A timed test would be flaky on a shared
machine; this is a benchmark to run by hand.

Usage::

    python benchmarks/startup.py             # 20 runs of each
    python benchmarks/startup.py --repeat 50

Goal: ``rfcheck --help`` under 0.3 s; ``import rfcheck`` loads neither pandas, matplotlib
nor numba (pinned by ``tests/test_startup.py``).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _bytecode import installed_env

COMMANDS: dict[str, list[str]] = {
    "python -c pass": [sys.executable, "-c", "pass"],
    "import rfcheck": [sys.executable, "-c", "import rfcheck"],
    "rfcheck --help": [sys.executable, "-m", "rfcheck", "--help"],
}


def _run_s(argv: list[str], env: dict[str, str]) -> float:
    """Wall time of one run of ``argv`` [s]."""
    t0 = time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    return time.perf_counter() - t0


def measure(repeat: int) -> dict[str, list[float]]:
    """Wall times of every command, interleaved run by run [s]."""
    with tempfile.TemporaryDirectory(prefix="rfcheck-startup-") as tmp:
        env = installed_env(Path(tmp))
        for argv in COMMANDS.values():
            _run_s(argv, env)  # warm-up
        times: dict[str, list[float]] = {name: [] for name in COMMANDS}
        for _ in range(repeat):
            for name, argv in COMMANDS.items():
                times[name].append(_run_s(argv, env))
    return times


def main() -> None:
    """Print the medians, the ratio to ``python -c pass`` and the load average."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20, help="runs of each command (default 20)")
    args = parser.parse_args()
    load_before = os.getloadavg()
    times = measure(args.repeat)
    load_after = os.getloadavg()
    base_s = statistics.median(times["python -c pass"])
    print(f"{'command':<16} {'median s':>9} {'min s':>7} {'ratio':>6}")
    for name, runs in times.items():
        med = statistics.median(runs)
        print(f"{name:<16} {med:>9.3f} {min(runs):>7.3f} {med / base_s:>6.1f}")
    print(
        f"load average (1/5/15 min): before {' '.join(f'{x:.2f}' for x in load_before)}, "
        f"after {' '.join(f'{x:.2f}' for x in load_after)}; {os.cpu_count()} CPUs; "
        f"{args.repeat} runs each"
    )


if __name__ == "__main__":
    main()
