"""What a short ``rfcheck receiver`` run costs on top of its computation.

A 0.5 s real-sample recording at 10 MS/s (rf32_le SigMF, white noise and one tone) is
measured in Band B at the default frequencies with peak, quasi-peak and CISPR-average:

- ``process``: the whole ``python -m rfcheck receiver REC --band B --detector pk,qp,cav``
  as a fresh subprocess (interpreter start, imports, SigMF load, kernels from numba's
  cache, computation, output);
- ``compute``: ``rfcheck.receiver.measure`` alone, timed inside a child process after
  the imports, the load and one warm-up call;
- ``python -c pass``: the bare interpreter;
- ``stages``: where the start-up goes, timed inside one fresh child process in the order a
  run meets them: ``import rfcheck.cli`` (click, the command table), ``load SigMF``
  (:func:`rfcheck.io.load_capture`: JSON, schema check, memmap), ``import receiver`` (numpy
  FFT back end, numba and the kernels' dispatchers), ``first measure`` (numba's target
  initialisation and its cached kernels, then the computation) and ``second measure`` (the
  computation alone); ``first - second`` is what loading the compiled kernels costs.

Wall and CPU times are printed: on a machine shared with other work the wall times
inflate with its load, the CPU times much less (numba's threads add their CPU time, so the
CPU figure of ``compute`` can exceed its wall figure). The four alternate ``--repeat`` times
(after one warm-up of each, which fills numba's on-disk cache and the OS file cache) so a
change in machine load hits them equally; medians, the overhead ``process - compute`` and
the load average are printed. Goal: the overhead below 0.3 s. The subprocesses read rfcheck's
bytecode as an installed copy does (``_bytecode.installed_env``: compiled by the warm-up run,
kept outside the checkout), even where ``PYTHONDONTWRITEBYTECODE`` is set.

Usage::

    python benchmarks/receiver_startup.py [--repeat N]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _bytecode import installed_env

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
    t0, c0 = time.perf_counter(), time.process_time()
    measure(ts, "B", None, DETECTORS)
    out = {"compute_s": time.perf_counter() - t0, "compute_cpu_s": time.process_time() - c0}
    print(json.dumps(out))


def _child_stages(meta: Path) -> None:
    t = [time.perf_counter()]
    import rfcheck.cli  # noqa: F401

    t.append(time.perf_counter())
    from rfcheck.io import load_capture

    ts = load_capture(meta).time_series[0]
    t.append(time.perf_counter())
    from rfcheck.receiver import measure

    t.append(time.perf_counter())
    measure(ts, "B", None, DETECTORS)
    t.append(time.perf_counter())
    measure(ts, "B", None, DETECTORS)
    t.append(time.perf_counter())
    names = ("import rfcheck.cli", "load SigMF", "import receiver", "first measure")
    out = {k: t[i + 1] - t[i] for i, k in enumerate(names)}
    out["second measure"] = t[5] - t[4]
    print(json.dumps(out))


#: The subprocesses' environment: bytecode as an installed rfcheck has it (_bytecode).
_ENV: dict[str, str] | None = None


def _stages_s(meta: Path) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--stages", str(meta)],
        check=True,
        capture_output=True,
        text=True,
        env=_ENV,
    ).stdout
    return dict(json.loads(out.strip().splitlines()[-1]))


def _children_cpu_s() -> float:
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def _run_s(argv: list[str]) -> tuple[float, float]:
    """Wall and CPU time [s] of a subprocess run."""
    t0, c0 = time.perf_counter(), _children_cpu_s()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=_ENV)
    return time.perf_counter() - t0, _children_cpu_s() - c0


def _compute_s(meta: Path) -> tuple[float, float]:
    """Wall and CPU time [s] of the computation alone."""
    out = subprocess.run(
        [sys.executable, __file__, "--child", str(meta)],
        check=True,
        capture_output=True,
        text=True,
        env=_ENV,
    ).stdout
    got = json.loads(out.strip().splitlines()[-1])
    return float(got["compute_s"]), float(got["compute_cpu_s"])


def main(argv: list[str] | None = None) -> None:
    """Time the receiver start-up, print medians, ratios and the load average."""
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--repeat", type=int, default=7, help="runs of each (median reported)")
    p.add_argument("--child", help=argparse.SUPPRESS)
    p.add_argument("--stages", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.child:
        _child_compute(Path(args.child))
        return
    if args.stages:
        _child_stages(Path(args.stages))
        return
    global _ENV
    with tempfile.TemporaryDirectory(prefix="rfcheck-startup-") as tmp:
        meta = write_recording(Path(tmp))
        _ENV = installed_env(Path(tmp) / "pycache")
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
        _run_s(cli), _run_s(bare), _compute_s(meta), _stages_s(meta)  # warm-up
        runs: dict[str, list[tuple[float, float]]] = {
            "process": [],
            "compute": [],
            "python -c pass": [],
        }
        stages: dict[str, list[float]] = {}
        for _ in range(args.repeat):
            runs["process"].append(_run_s(cli))
            runs["compute"].append(_compute_s(meta))
            runs["python -c pass"].append(_run_s(bare))
            for name, secs in _stages_s(meta).items():
                stages.setdefault(name, []).append(secs)
        med = {k: statistics.median(w for w, _ in v) for k, v in runs.items()}
        cpu = {k: statistics.median(c for _, c in v) for k, v in runs.items()}
        print(
            f"rfcheck receiver on {DURATION_S:g} s at {FS / 1e6:g} MS/s, Band B, "
            f"{'+'.join(DETECTORS)}; {args.repeat} runs each; load average "
            f"{load0:.2f} -> {os.getloadavg()[0]:.2f}"
        )
        for k, v in runs.items():
            walls = ", ".join(f"{w:.2f}" for w, _ in v)
            print(f"{k:16s}: median {med[k]:.3f} s wall, {cpu[k]:.3f} s CPU ({walls})")
        over = med["process"] - med["compute"]
        print(
            f"overhead process - compute: {over:.3f} s (goal < 0.3 s); "
            f"process / compute = {med['process'] / med['compute']:.2f}; "
            f"over a bare interpreter: {over - med['python -c pass']:.3f} s"
        )
        print(
            f"overhead in CPU time (less sensitive to other load): "
            f"{cpu['process'] - cpu['compute']:.3f} s"
        )
        print("stages of one run (fresh process, medians):")
        for name, times in stages.items():
            print(f"  {name:18s}: {statistics.median(times):.3f} s")
        first_minus_second = statistics.median(
            a - b for a, b in zip(stages["first measure"], stages["second measure"], strict=True)
        )
        print(f"  {'kernel loading':18s}: {first_minus_second:.3f} s (first - second measure)")


if __name__ == "__main__":
    main()
