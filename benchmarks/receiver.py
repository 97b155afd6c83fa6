"""Benchmark of the CISPR time-domain receiver (``rfcheck.receiver.measure``).

What it measures, each run in a fresh child process (so peak-memory figures are clean):

- a full Band B scan (peak + quasi-peak + CISPR-average, 150 kHz - 30 MHz, step 4.5 kHz)
  of a 1 s real-sample recording at 64 MS/s (rf32_le SigMF, 256 MB, memory-mapped):
  wall time (median of ``--repeat`` runs), ratio to real time (goal <= 1x wall on 2 cores),
  peak memory;
- with ``--long``: the same on a 10 s recording (2.5 GB; goal peak memory <= 400 MiB);
- when the third-party ``emi-receiver`` package (PyPI; NOT an rfcheck dependency) and numba
  are importable: its ``receiver()`` on the first part of the same recording (its STFT
  holds the whole spectrogram, ~320 bytes per input sample, so the slice is sized to the
  free memory) against rfcheck on the same slice: time ratio, memory, and both tools'
  readings at the CW tones against the expected levels.

Memory figures: ``VmHWM`` (peak resident set; it also counts the recording's file pages
mapped by the memmap, which the kernel can drop), the peak of ``RssAnon`` sampled every
20 ms (anonymous memory = what the computation itself allocates), and, in a separate run,
``tracemalloc``'s peak (Python + numpy allocations).

The recording: white noise (100 µV rms), CW tones at 0.5 / 5 / 20 MHz of 80 / 70 / 60 dBµV
(RMS), and a 100 Hz train of one-sample impulses of 1/31.6 the CISPR Band B reference
impulse area (so its QP reading is about 30 dBµV).

With ``--baseline DIR`` (a checkout of another rfcheck version, e.g. ``git archive main |
tar -x -C DIR``) every timed run of the scan alternates between that version and this one,
so a change in machine load hits both alike; both medians and their ratios are printed.

Usage::

    python benchmarks/receiver.py [--long] [--repeat N] [--tmpdir DIR] [--skip-emi]
                                  [--baseline DIR]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import math
import os
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

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _machine import speed_line

FS = 64e6  # [Hz]
STEP_HZ = 4.5e3  # [Hz]
BAND = "B"
DETECTORS = ("peak", "quasi-peak", "cispr-average")
TONES_HZ = (0.5e6, 5e6, 20e6)  # [Hz]
TONES_DBUV = (80.0, 70.0, 60.0)  # [dBµV] RMS
NOISE_V = 100e-6  # [V] rms
PULSE_AREA_VS = 0.158e-6 / 31.6  # [V s] at the receiver input (reference: 0.316 µVs e.m.f. / 2)
PULSE_PRF_HZ = 100.0  # [Hz]
EMI_BYTES_PER_SAMPLE = 320  # emi-receiver's STFT footprint, measured order of magnitude [B]


# --------------------------------------------------------------------------------------
# recording
# --------------------------------------------------------------------------------------


def write_recording(directory: Path, duration_s: float, name: str) -> Path:
    """Write a real-sample rf32_le SigMF recording block by block; return the meta path."""
    n = int(round(FS * duration_s))
    data_path = directory / f"{name}.sigmf-data"
    rng = np.random.default_rng(2024)
    block = 1 << 22
    amps = [math.sqrt(2) * 10 ** (level / 20) * 1e-6 for level in TONES_DBUV]  # peak [V]
    period = int(round(FS / PULSE_PRF_HZ))
    with data_path.open("wb") as fh:
        for start in range(0, n, block):
            idx = np.arange(start, min(start + block, n), dtype=np.int64)
            t = idx / FS
            x = rng.normal(0.0, NOISE_V, idx.size)
            for f, a in zip(TONES_HZ, amps, strict=True):
                x += a * np.sin(2 * np.pi * f * t)
            x[idx % period == period // 2] += PULSE_AREA_VS * FS
            fh.write(x.astype("<f4").tobytes())
    meta = {
        "global": {
            "core:datatype": "rf32_le",
            "core:sample_rate": FS,
            "core:version": "1.2.0",
            "core:description": f"benchmark {duration_s:g} s",
        },
        "captures": [{"core:sample_start": 0}],
        "annotations": [],
    }
    meta_path = directory / f"{name}.sigmf-meta"
    meta_path.write_text(json.dumps(meta))
    return meta_path


# --------------------------------------------------------------------------------------
# child processes
# --------------------------------------------------------------------------------------


class _AnonSampler:
    """Samples RssAnon from /proc/self/status every 20 ms; keeps the peak [B]."""

    def __init__(self) -> None:
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    @staticmethod
    def _read(field: str) -> int:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) * 1024
        return 0

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self._read("RssAnon"))
            time.sleep(0.02)

    def __enter__(self) -> _AnonSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self._read("RssAnon"))


def _child_rfcheck(
    meta: Path, max_s: float | None, trace: bool, freqs: str | None
) -> dict[str, Any]:
    import dataclasses
    import tracemalloc

    from rfcheck.io import load_capture
    from rfcheck.receiver import default_frequencies, measure

    ts = load_capture(meta).time_series[0]
    if max_s is not None:
        ts = dataclasses.replace(ts, samples=ts.samples[: int(round(max_s * ts.sample_rate_hz))])
    grid = (
        np.array([float(f) for f in freqs.split(",")])
        if freqs
        else default_frequencies(ts, BAND, step_hz=STEP_HZ)
    )
    if trace:
        tracemalloc.start()
    with _AnonSampler() as sampler:
        t0, c0 = time.perf_counter(), time.process_time()
        result = measure(ts, BAND, grid, DETECTORS)
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    out: dict[str, Any] = {
        "wall_s": wall,
        "cpu_s": cpu,
        "duration_s": ts.duration_s,
        "n_freq": int(np.asarray(result.frequencies_hz).size),
        "anon_peak_b": sampler.peak,
        "vmhwm_b": _AnonSampler._read("VmHWM"),
        "warnings": list(result.warnings),
        "readings": {
            d: np.asarray(result.readings_dbuv[d], dtype=float).tolist() for d in DETECTORS
        },
        "freqs": np.asarray(result.frequencies_hz, dtype=float).tolist(),
    }
    if trace:
        out["tracemalloc_peak_b"] = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return out


def _child_emi(meta: Path, max_s: float) -> dict[str, Any]:
    from emi_receiver import receiver  # third-party, benchmark only

    data = meta.with_suffix(".sigmf-data")
    n = int(round(max_s * FS))
    x = np.fromfile(data, dtype="<f4", count=n).astype(np.float64)
    with contextlib.redirect_stdout(io.StringIO()):
        receiver(
            np.sin(np.arange(200_000) * 0.1), FS, rbw=9000, step=STEP_HZ, band=BAND
        )  # JIT warm-up
    with _AnonSampler() as sampler, contextlib.redirect_stdout(io.StringIO()):
        t0, c0 = time.perf_counter(), time.process_time()
        f, pk, avg, qp = receiver(x, FS, rbw=9000, step=STEP_HZ, band=BAND)
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    tones = {}
    for ft in TONES_HZ:
        sel = np.abs(f - ft) <= 5e3
        tones[str(ft)] = {
            "peak": float(pk[sel].max()),
            "avg": float(avg[sel].max()),
            "qp": float(qp[sel].max()),
        }
    band = (f >= 150e3) & (f <= 30e6)
    return {
        "wall_s": wall,
        "cpu_s": cpu,
        "duration_s": n / FS,
        "anon_peak_b": sampler.peak,
        "vmhwm_b": _AnonSampler._read("VmHWM"),
        "n_freq": int(band.sum()),
        "tones": tones,
        "qp_median_off_tones": float(np.median(qp[band])),
    }


def _spawn(*args: str, timeout: float = 3600, tree: Path | None = None) -> dict[str, Any]:
    """Run a child; ``tree`` puts another rfcheck checkout first on its import path."""
    env = dict(os.environ)
    if tree is not None:
        env["PYTHONPATH"] = os.pathsep.join([str(tree), env.get("PYTHONPATH", "")])
    proc = subprocess.run(
        [sys.executable, __file__, "--child", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        env=env,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"child {args[0]} failed:\n{proc.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


# --------------------------------------------------------------------------------------
# report
# --------------------------------------------------------------------------------------


def _mb(b: float) -> str:
    return f"{b / 2**20:,.0f} MiB"


def _mem_available() -> int:
    with open("/proc/meminfo") as fh:
        for line in fh:
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    return 0


def _compare(meta: Path, repeat: int, baseline: Path) -> None:
    """Alternate timed runs of ``baseline`` and this tree; print medians and ratios."""
    _spawn("rfcheck", str(meta), tree=baseline)  # fills the baseline's numba cache
    base: list[dict[str, Any]] = []
    ours: list[dict[str, Any]] = []
    for _ in range(repeat):
        base.append(_spawn("rfcheck", str(meta), tree=baseline))
        ours.append(_spawn("rfcheck", str(meta)))
    med = {
        k: {
            name: statistics.median(r[k] for r in runs)
            for name, runs in (("baseline", base), ("this tree", ours))
        }
        for k in ("wall_s", "cpu_s")
    }
    for name, runs in (("baseline", base), ("this tree", ours)):
        walls = ", ".join(f"{r['wall_s']:.2f}" for r in runs)
        print(
            f"{name:10s}: wall median {med['wall_s'][name]:.2f} s ({walls}), CPU median "
            f"{med['cpu_s'][name]:.2f} s, peak anon {_mb(max(r['anon_peak_b'] for r in runs))}"
        )
    worst = max(
        float(np.max(np.abs(np.asarray(b["readings"][d]) - np.asarray(o["readings"][d]))))
        for b, o in zip(base, ours, strict=True)
        for d in DETECTORS
    )
    print(
        f"this tree / baseline: wall {med['wall_s']['this tree'] / med['wall_s']['baseline']:.3f}, "
        f"CPU {med['cpu_s']['this tree'] / med['cpu_s']['baseline']:.3f}; largest reading "
        f"difference {worst:.4f} dB; load average now {os.getloadavg()[0]:.2f}"
    )


def _scan(meta: Path, repeat: int, label: str, baseline: Path | None = None) -> dict[str, Any]:
    if baseline is not None:
        print(f"\n== {label}: baseline {baseline} against this tree, alternating ==")
        _compare(meta, repeat, baseline)
    runs = [_spawn("rfcheck", str(meta)) for _ in range(repeat)]
    traced = _spawn("rfcheck", str(meta), "--trace")
    walls = [r["wall_s"] for r in runs]
    dur = runs[0]["duration_s"]
    med = statistics.median(walls)
    print(
        f"\n== {label}: {dur:g} s at {FS / 1e6:g} MS/s, {runs[0]['n_freq']} frequencies, "
        f"{'+'.join(DETECTORS)} =="
    )
    print(
        f"wall time        : median {med:.2f} s of {len(walls)} runs "
        f"({', '.join(f'{w:.2f}' for w in walls)})"
    )
    cpu = statistics.median(r["cpu_s"] for r in runs)
    print(f"CPU time         : median {cpu:.2f} s (all threads; less sensitive to other load)")
    print(
        f"ratio to real time: {med / dur:.2f}x wall, {cpu / dur:.2f}x CPU (goal <= 1x wall); "
        f"load average now {os.getloadavg()[0]:.2f}"
    )
    print(f"peak anon memory : {_mb(max(r['anon_peak_b'] for r in runs))} (RssAnon, sampled)")
    print(f"peak RSS (VmHWM) : {_mb(max(r['vmhwm_b'] for r in runs))} (includes mapped file pages)")
    print(
        f"tracemalloc peak : {_mb(traced['tracemalloc_peak_b'])} (separate run, "
        f"{traced['wall_s']:.2f} s under tracing)"
    )
    for w in runs[0]["warnings"]:
        print(f"receiver warning : {w}")
    tones = _spawn("rfcheck", str(meta), "--freqs", ",".join(str(f) for f in TONES_HZ))
    for i, (ft, level) in enumerate(zip(TONES_HZ, TONES_DBUV, strict=True)):
        print(
            f"tone {ft / 1e6:>4g} MHz, {level:.0f} dBµV rms: "
            + ", ".join(f"{d} {tones['readings'][d][i]:.2f}" for d in DETECTORS)
        )
    qp = np.asarray(runs[0]["readings"]["quasi-peak"])
    print(f"pulse train QP, median over the scan: {float(np.median(qp)):.2f} dBµV (~30 intended)")
    return {"median_s": med, "duration_s": dur, "runs": runs, "traced": traced}


def _emi(meta: Path, repeat: int) -> None:
    try:
        import importlib.util

        missing = [m for m in ("emi_receiver", "numba") if importlib.util.find_spec(m) is None]
    except ValueError:  # pragma: no cover
        missing = ["emi_receiver"]
    if missing:
        print(
            f"\n== emi-receiver comparison skipped: {', '.join(missing)} not installed "
            "(pip install emi-receiver numba; not an rfcheck dependency) =="
        )
        return
    budget = 0.35 * _mem_available()
    max_s = min(1.0, budget / (EMI_BYTES_PER_SAMPLE * FS))
    max_s = math.floor(max_s * 20) / 20  # 50 ms steps
    if max_s < 0.05:
        print("\n== emi-receiver comparison skipped: not enough free memory for its STFT ==")
        return
    tone_freqs = ",".join(str(f) for f in TONES_HZ)
    emi_runs = [_spawn("emi", str(meta), "--max-s", str(max_s)) for _ in range(repeat)]
    ours = [_spawn("rfcheck", str(meta), "--max-s", str(max_s)) for _ in range(repeat)]
    ours_tones = _spawn("rfcheck", str(meta), "--max-s", str(max_s), "--freqs", tone_freqs)
    t_emi = statistics.median(r["wall_s"] for r in emi_runs)
    t_ours = statistics.median(r["wall_s"] for r in ours)
    c_emi = statistics.median(r["cpu_s"] for r in emi_runs)
    c_ours = statistics.median(r["cpu_s"] for r in ours)
    print(f"\n== emi-receiver 0.0.5 vs rfcheck on the first {max_s:g} s (same samples) ==")
    print(
        f"emi-receiver     : median {t_emi:.2f} s, {emi_runs[0]['n_freq']} bins in band B, "
        f"peak anon {_mb(max(r['anon_peak_b'] for r in emi_runs))}, "
        f"VmHWM {_mb(max(r['vmhwm_b'] for r in emi_runs))}"
    )
    print(
        f"rfcheck          : median {t_ours:.2f} s, {ours[0]['n_freq']} frequencies, peak anon "
        f"{_mb(max(r['anon_peak_b'] for r in ours))}, VmHWM {_mb(max(r['vmhwm_b'] for r in ours))}"
    )
    print(
        f"time ratio       : rfcheck / emi-receiver = {t_ours / t_emi:.2f} wall, "
        f"{c_ours / c_emi:.2f} CPU ({c_ours:.2f} s vs {c_emi:.2f} s)"
    )
    print("CW readings [dBµV] (expected = tone RMS level; a CISPR receiver reads a sine's RMS):")
    for i, (ft, level) in enumerate(zip(TONES_HZ, TONES_DBUV, strict=True)):
        e = emi_runs[0]["tones"][str(ft)]
        r = {d: ours_tones["readings"][d][i] for d in DETECTORS}
        print(
            f"  {ft / 1e6:>4g} MHz expected {level:.2f}: emi-receiver peak {e['peak']:.2f} "
            f"avg {e['avg']:.2f} qp {e['qp']:.2f} | rfcheck peak {r['peak']:.2f} "
            f"cavg {r['cispr-average']:.2f} qp {r['quasi-peak']:.2f}"
        )
    print(
        f"pulse-train QP off the tones (median over band B): emi-receiver "
        f"{emi_runs[0]['qp_median_off_tones']:.2f} dBµV; rfcheck "
        f"{float(np.median(ours[0]['readings']['quasi-peak'])):.2f} dBµV "
        "(~30 dBµV intended; short record: QP may not settle)"
    )


def main(argv: list[str] | None = None) -> None:
    """Run the receiver benchmarks and print the comparison."""
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument(
        "--long", action="store_true", help="also run the 10 s recording (2.5 GB on disk)"
    )
    p.add_argument("--repeat", type=int, default=3, help="timed runs per case (median reported)")
    p.add_argument(
        "--emi-repeat", type=int, default=2, help="timed runs per tool in the comparison"
    )
    p.add_argument(
        "--tmpdir", type=Path, help="where to write the recordings (default: system temp)"
    )
    p.add_argument("--skip-emi", action="store_true", help="skip the emi-receiver comparison")
    p.add_argument(
        "--baseline",
        type=Path,
        help="another rfcheck checkout to time against this one, runs alternating",
    )
    p.add_argument(
        "--compare-only", action="store_true", help="with --baseline: only the comparison"
    )
    p.add_argument("--child", nargs=2, metavar=("KIND", "META"), help=argparse.SUPPRESS)
    p.add_argument("--max-s", type=float, help=argparse.SUPPRESS)
    p.add_argument("--trace", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--freqs", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.child:
        kind, meta = args.child
        if kind == "rfcheck":
            out = _child_rfcheck(Path(meta), args.max_s, args.trace, args.freqs)
        else:
            out = _child_emi(Path(meta), float(args.max_s))
        print(json.dumps(out))
        return

    base = Path(tempfile.mkdtemp(prefix="rfcheck-bench-", dir=args.tmpdir))
    try:
        need = int(FS * 4 * (11 if args.long else 1) * 1.05)
        free = shutil.disk_usage(base).free
        if free < need:
            sys.exit(
                f"not enough space in {base}: need {need / 1e9:.1f} GB, have {free / 1e9:.1f} GB"
            )
        print(
            f"rfcheck receiver benchmark: {os.cpu_count()} CPU(s), "
            f"{_mem_available() / 2**30:.1f} GiB available, load average "
            f"{os.getloadavg()[0]:.2f}, recordings in {base}"
        )
        print(speed_line())
        meta1 = write_recording(base, 1.0, "one_second")
        if args.compare_only and args.baseline is not None:
            print("\n== 1 s recording: baseline against this tree, alternating ==")
            _compare(meta1, args.repeat, args.baseline)
            if args.long:
                meta10 = write_recording(base, 10.0, "ten_seconds")
                print("\n== 10 s recording: baseline against this tree, alternating ==")
                _compare(meta10, max(1, args.repeat // 2), args.baseline)
            return
        _scan(meta1, args.repeat, "1 s recording", args.baseline)
        if not args.skip_emi:
            _emi(meta1, args.emi_repeat)
        if args.long:
            meta10 = write_recording(base, 10.0, "ten_seconds")
            res = _scan(meta10, 1, "10 s recording", args.baseline)
            peak = max(r["anon_peak_b"] for r in res["runs"])
            print(
                f"10 s peak anon memory {_mb(peak)}: "
                f"{'within' if peak <= 400 * 2**20 else 'ABOVE'} the 400 MiB goal"
            )
    finally:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
