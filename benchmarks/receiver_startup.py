"""What a short ``rfcheck receiver`` run costs on top of its computation.

A 0.5 s real-sample recording at 10 MS/s (rf32_le SigMF, white noise and one tone) is
measured in Band B at the default frequencies with peak, quasi-peak and CISPR-average:

- ``process``: the whole ``python -m rfcheck receiver REC --band B --detector pk,qp,cav``
  as a fresh subprocess (interpreter start, imports, SigMF load, kernels from numba's
  cache, computation, output);
- ``compute``: ``rfcheck.receiver.measure`` alone, timed inside a child process after
  the imports, the load and one warm-up call;
- ``python -c pass``: the bare interpreter.

The three alternate ``--repeat`` times (after one warm-up of each, which fills numba's
on-disk cache and the OS file cache) so a change in machine load hits them equally;
medians, the overhead ``process - compute`` and the load average are printed. Goal: the
overhead below 0.3 s.

Usage::

    python benchmarks/receiver_startup.py [--repeat N]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

FS = 10e6  # [Hz]
DURATION_S = 0.5  # [s]
DETECTORS = ("peak", "quasi-peak", "cispr-average")


def write_recording(directory: Path) -> Path:
    """0.5 s of noise plus a 1 MHz tone as rf32_le SigMF; return the metadata path."""
    n = int(FS * DURATION_S)
    rng = np.random.default_rng(1)
    x = rng.normal(0.0, 1e-4, n) + 0.01 * np.sin(2 * np.pi * 1e6 * np.arange(n) / FS)
    (directory / "short.sigmf-data").write_bytes(x.astype("<f4").tobytes())
    meta = {
        "global": {"core:datatype": "rf32_le", "core:sample_rate": FS, "core:version": "1.2.0"},
        "captures": [{"core:sample_start": 0}],
        "annotations": [],
    }
    path = directory / "short.sigmf-meta"
    path.write_text(json.dumps(meta))
    return path


def _child_compute(meta: Path) -> None:
    from rfcheck.io import load_capture
    from rfcheck.receiver import measure

    ts = load_capture(meta).time_series[0]
    measure(ts, "B", None, DETECTORS)  # warm-up: kernels loaded, pools started
    t0 = time.perf_counter()
    measure(ts, "B", None, DETECTORS)
    print(json.dumps({"compute_s": time.perf_counter() - t0}))


def _run_s(argv: list[str]) -> float:
    t0 = time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t0


def _compute_s(meta: Path) -> float:
    out = subprocess.run(
        [sys.executable, __file__, "--child", str(meta)], check=True, capture_output=True, text=True
    ).stdout
    return float(json.loads(out.strip().splitlines()[-1])["compute_s"])


def main(argv: list[str] | None = None) -> None:
    """Time the receiver start-up, print medians, ratios and the load average."""
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--repeat", type=int, default=7, help="runs of each (median reported)")
    p.add_argument("--child", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.child:
        _child_compute(Path(args.child))
        return
    with tempfile.TemporaryDirectory(prefix="rfcheck-startup-") as tmp:
        meta = write_recording(Path(tmp))
        cli = [
            sys.executable,
            "-m",
            "rfcheck",
            "receiver",
            str(meta),
            "--band",
            "B",
            "--detector",
            ",".join(DETECTORS),
        ]
        bare = [sys.executable, "-c", "pass"]
        load0 = os.getloadavg()[0]
        _run_s(cli), _run_s(bare), _compute_s(meta)  # warm-up
        runs: dict[str, list[float]] = {"process": [], "compute": [], "python -c pass": []}
        for _ in range(args.repeat):
            runs["process"].append(_run_s(cli))
            runs["compute"].append(_compute_s(meta))
            runs["python -c pass"].append(_run_s(bare))
        med = {k: statistics.median(v) for k, v in runs.items()}
        print(
            f"rfcheck receiver on {DURATION_S:g} s at {FS / 1e6:g} MS/s, Band B, "
            f"{'+'.join(DETECTORS)}; {args.repeat} runs each; load average "
            f"{load0:.2f} -> {os.getloadavg()[0]:.2f}"
        )
        for k, v in runs.items():
            print(f"{k:16s}: median {med[k]:.3f} s ({', '.join(f'{x:.2f}' for x in v)})")
        over = med["process"] - med["compute"]
        print(
            f"overhead process - compute: {over:.3f} s (goal < 0.3 s); "
            f"process / compute = {med['process'] / med['compute']:.2f}; "
            f"over a bare interpreter: {over - med['python -c pass']:.3f} s"
        )


if __name__ == "__main__":
    main()
