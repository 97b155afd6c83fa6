"""Peak memory of ``rfcheck check`` on a long recording: it must not grow with the record.

``check`` scans every CISPR band a recording spans (a 64 MS/s real recording: Bands A, B and
C/D up to 32 MHz) and measures again at the final frequencies, several passes over the
samples. Each pass releases the pages of the memory-mapped file it has read
(``rfcheck.receiver.samples.drop_mapped_pages``), as ``rfcheck receiver`` does; the peak
memory is then that of one band's channeliser, the same for any record length.

Writes the recording of ``benchmarks/receiver.py`` (64 MS/s rf32_le SigMF: noise, CW tones
at 0.5 / 5 / 20 MHz and a 100 Hz impulse train; 256 MB per second) for each ``--durations``
figure, runs ``check --limit fcc-15.107-b`` on it in a fresh child process, prints the peak
of the resident set (``VmHWM``) and the peaks of its anonymous part (what the computation
allocates) and its file-backed part (the recording's mapped pages and the libraries),
sampled every 20 ms, the wall and CPU time of the check, then deletes the recording.

With ``--baseline DIR`` (a checkout of another rfcheck version, e.g. ``git archive main |
tar -x -C DIR``) each recording is checked ``--repeat`` times by that version and by this
one, alternating, so a change in machine load hits both alike (after one untimed run of
each on a short recording, which fills numba's cache); every run, both medians, their
ratios, the load average and the largest difference between the two versions' receiver
readings (at the frequencies both measured) are printed.

Usage::

    python benchmarks/check_recording.py [--durations 2,10] [--tmpdir DIR]
                                         [--baseline DIR] [--repeat N]

Goal: the file-backed peak stays near one block's pages, not the file's size, and no peak
grows with the record (issue #16; 400 MiB for any length).
"""

from __future__ import annotations

import argparse
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

sys.path.insert(0, str(Path(__file__).resolve().parent))
from receiver import FS, write_recording

LIMIT = "fcc-15.107-b"


class _Sampler:
    """Samples RssAnon and RssFile of this process every 20 ms; keeps their peaks [B]."""

    def __init__(self) -> None:
        self.anon = self.file = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    @staticmethod
    def read(field: str) -> int:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) * 1024
        return 0

    def _look(self) -> None:
        self.anon = max(self.anon, self.read("RssAnon"))
        self.file = max(self.file, self.read("RssFile"))

    def _run(self) -> None:
        while not self._stop.is_set():
            self._look()
            time.sleep(0.02)

    def __enter__(self) -> _Sampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self._look()


def _child(meta: Path) -> dict[str, Any]:
    """Judge ``meta`` as ``rfcheck check --limit fcc-15.107-b`` does; return the figures."""
    import rfcheck
    import rfcheck.receiver.scan as scan
    from rfcheck.allocator import keep_freed_memory
    from rfcheck.analysis import analyse_file
    from rfcheck.settings import CheckSettings

    keep_freed_memory()  # as the command line does

    scanned: list[Any] = []  # every band's receiver traces (Band A is not judged: no line)
    traces = scan.scan_traces

    def keep(*args: Any, **kwargs: Any) -> Any:
        out = traces(*args, **kwargs)
        scanned.extend(out)
        return out

    scan.scan_traces = keep  # check looks it up at its call
    with _Sampler() as sampler:
        t0, c0 = time.perf_counter(), time.process_time()
        result = analyse_file(meta, CheckSettings(limit_ids=(LIMIT,)))
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    return {
        "rfcheck": str(Path(rfcheck.__file__).parent),
        "wall_s": wall,
        "cpu_s": cpu,
        "anon_peak_b": sampler.anon,
        "file_peak_b": sampler.file,
        "vmhwm_b": _Sampler.read("VmHWM"),
        "verdict": result.verdict.value,
        "lines": [f"{c.line} {c.verdict.value} {c.worst_margin_db}" for c in result.checks],
        "traces": {t.detector.value: [t.freq_hz.tolist(), t.level.tolist()] for t in scanned},
    }


def _spawn(meta: Path, tree: Path | None = None) -> dict[str, Any]:
    """Run a child on ``meta``; ``tree`` puts another rfcheck checkout first on its path."""
    env = dict(os.environ)
    if tree is not None:
        env["PYTHONPATH"] = os.pathsep.join([str(tree), env.get("PYTHONPATH", "")])
    proc = subprocess.run(
        [sys.executable, __file__, "--child", str(meta)],
        capture_output=True,
        text=True,
        timeout=3600,
        check=False,
        env=env,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"child failed:\n{proc.stderr[-3000:]}")
    out: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    if tree is not None and Path(out["rfcheck"]).parent != tree.resolve():
        raise RuntimeError(f"the baseline run imported {out['rfcheck']}, not {tree}")
    return out


def _mib(b: float) -> str:
    return f"{b / 2**20:,.0f} MiB"


def _row(label: str, dur: float, size: int, r: dict[str, Any]) -> str:
    return (
        f"{label:>9} {dur:>5g}s {_mib(size):>9} {r['wall_s']:>7.1f}s {r['cpu_s']:>7.1f}s "
        f"{_mib(r['vmhwm_b']):>10} {_mib(r['anon_peak_b']):>10} {_mib(r['file_peak_b']):>10}"
        f"   {r['verdict']}"
    )


def reading_difference(a: dict[str, Any], b: dict[str, Any]) -> str:
    """Say how far two runs' receiver readings are apart, over every band scanned.

    Final frequencies are placed from the readings (:mod:`rfcheck.receiver.finals`), so
    readings that differ in their last digits measure finals a fraction of a hertz apart:
    traces of as many frequencies are compared point by point in frequency order (the
    largest frequency and level differences), others at the frequencies both measured.
    """
    worst_db = worst_hz = 0.0
    moved = compared = 0
    for det, (fa, la) in a["traces"].items():
        fb, lb = b["traces"].get(det, ([], []))
        if len(fa) == len(fb):
            pairs = list(zip(fa, la, fb, lb, strict=True))
        else:
            at = dict(zip(fb, lb, strict=True))
            pairs = [(f, lv, f, at[f]) for f, lv in zip(fa, la, strict=True) if f in at]
        for f1, l1, f2, l2 in pairs:
            if math.isfinite(l1) or math.isfinite(l2):
                worst_db = max(worst_db, abs(l1 - l2))
            worst_hz = max(worst_hz, abs(f1 - f2))
            moved += f1 != f2
        compared += len(pairs)
    return (
        f"largest difference {worst_db:.2e} dB over {compared} readings ({moved} at final "
        f"frequencies up to {worst_hz:.2g} Hz apart)"
    )


def _compare(meta: Path, dur: float, size: int, repeat: int, baseline: Path) -> None:
    """Alternate ``repeat`` runs of the baseline and this tree on ``meta``; print both."""
    runs: dict[str, list[dict[str, Any]]] = {"baseline": [], "this": []}
    load = [os.getloadavg()[0]]
    for _ in range(repeat):
        for name, tree in (("baseline", baseline), ("this", None)):
            r = _spawn(meta, tree)
            runs[name].append(r)
            print(_row(name, dur, size, r), flush=True)
            load.append(os.getloadavg()[0])
    med = {
        name: {k: statistics.median(r[k] for r in rs) for k in ("wall_s", "cpu_s", "vmhwm_b")}
        for name, rs in runs.items()
    }
    for name, m in med.items():
        print(
            f"{name:>9}: median wall {m['wall_s']:.1f} s, CPU {m['cpu_s']:.1f} s, VmHWM "
            f"{_mib(m['vmhwm_b'])} (largest {_mib(max(r['vmhwm_b'] for r in runs[name]))})"
        )
    same = all(r["lines"] == runs["baseline"][0]["lines"] for r in runs["this"])
    print(
        f"this / baseline: wall {med['this']['wall_s'] / med['baseline']['wall_s']:.3f}, "
        f"CPU {med['this']['cpu_s'] / med['baseline']['cpu_s']:.3f}, VmHWM "
        f"{med['this']['vmhwm_b'] / med['baseline']['vmhwm_b']:.3f}; load average "
        f"{min(load):.2f}-{max(load):.2f}"
    )
    print(
        f"readings: {reading_difference(runs['baseline'][0], runs['this'][0])}; verdict "
        f"lines {'identical' if same else 'DIFFER'}"
    )


def main(argv: list[str] | None = None) -> None:
    """Run ``check`` on recordings of each length and print its peak memory."""
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--durations", default="2,10", help="record lengths [s], comma-separated")
    p.add_argument("--tmpdir", type=Path, help="where to write the recordings")
    p.add_argument("--baseline", type=Path, help="another rfcheck checkout to alternate with")
    p.add_argument("--repeat", type=int, default=3, help="runs of each tree (with --baseline)")
    p.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.child:
        print(json.dumps(_child(args.child)))
        return
    durations = [float(d) for d in args.durations.split(",")]
    print(f"rfcheck check {LIMIT} on a {FS / 1e6:g} MS/s real recording (Bands A, B, C/D)")
    if args.baseline is not None:
        warm = Path(tempfile.mkdtemp(prefix="rfcheck-check-bench-", dir=args.tmpdir))
        try:  # numba's cache of each tree, filled outside the timed runs
            meta = write_recording(warm, 0.2, "warm_up")
            for tree in (args.baseline, None):
                _spawn(meta, tree)
        finally:
            shutil.rmtree(warm, ignore_errors=True)
    print(
        f"{'run':>9} {'record':>6} {'file':>9} {'wall':>8} {'CPU':>8} {'VmHWM':>10} "
        f"{'anon peak':>10} {'file peak':>10}"
    )
    for dur in durations:
        base = Path(tempfile.mkdtemp(prefix="rfcheck-check-bench-", dir=args.tmpdir))
        try:
            need = int(FS * 4 * dur * 1.05)
            if shutil.disk_usage(base).free < need:
                sys.exit(f"not enough space in {base} for {dur:g} s ({need / 1e9:.1f} GB)")
            meta = write_recording(base, dur, f"rec_{dur:g}s")
            size = meta.with_suffix(".sigmf-data").stat().st_size
            if args.baseline is not None:
                _compare(meta, dur, size, args.repeat, args.baseline)
            else:
                print(_row("this", dur, size, _spawn(meta)))
        finally:
            shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
