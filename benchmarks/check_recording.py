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
allocates) and its file-backed part (the recording's mapped pages), sampled every 20 ms,
then deletes the recording.

Usage::

    python benchmarks/check_recording.py [--durations 2,10] [--tmpdir DIR]

Goal: the file-backed peak stays near one block's pages, not the file's size, and no peak
grows with the record (issue #16; 400 MiB for any length).
"""

from __future__ import annotations

import argparse
import json
import shutil
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
    from rfcheck.analysis import analyse_file
    from rfcheck.settings import CheckSettings

    with _Sampler() as sampler:
        t0 = time.perf_counter()
        result = analyse_file(meta, CheckSettings(limit_ids=(LIMIT,)))
        wall = time.perf_counter() - t0
    return {
        "wall_s": wall,
        "anon_peak_b": sampler.anon,
        "file_peak_b": sampler.file,
        "vmhwm_b": _Sampler.read("VmHWM"),
        "verdict": result.verdict.value,
        "lines": [f"{c.line} {c.verdict.value} {c.worst_margin_db}" for c in result.checks],
    }


def _spawn(meta: Path) -> dict[str, Any]:
    proc = subprocess.run(
        [sys.executable, __file__, "--child", str(meta)],
        capture_output=True,
        text=True,
        timeout=3600,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"child failed:\n{proc.stderr[-3000:]}")
    out: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return out


def _mib(b: float) -> str:
    return f"{b / 2**20:,.0f} MiB"


def main(argv: list[str] | None = None) -> None:
    """Run ``check`` on recordings of each length and print its peak memory."""
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--durations", default="2,10", help="record lengths [s], comma-separated")
    p.add_argument("--tmpdir", type=Path, help="where to write the recordings")
    p.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.child:
        print(json.dumps(_child(args.child)))
        return
    durations = [float(d) for d in args.durations.split(",")]
    print(f"rfcheck check {LIMIT} on a {FS / 1e6:g} MS/s real recording (Bands A, B, C/D)")
    print(
        f"{'record':>8} {'file':>9} {'wall':>8} {'VmHWM':>10} {'anon peak':>10} {'file peak':>10}"
    )
    for dur in durations:
        base = Path(tempfile.mkdtemp(prefix="rfcheck-check-bench-", dir=args.tmpdir))
        try:
            need = int(FS * 4 * dur * 1.05)
            if shutil.disk_usage(base).free < need:
                sys.exit(f"not enough space in {base} for {dur:g} s ({need / 1e9:.1f} GB)")
            meta = write_recording(base, dur, f"rec_{dur:g}s")
            size = meta.with_suffix(".sigmf-data").stat().st_size
            r = _spawn(meta)
        finally:
            shutil.rmtree(base, ignore_errors=True)
        print(
            f"{dur:>7g}s {_mib(size):>9} {r['wall_s']:>7.1f}s {_mib(r['vmhwm_b']):>10} "
            f"{_mib(r['anon_peak_b']):>10} {_mib(r['file_peak_b']):>10}   {r['verdict']}"
        )


if __name__ == "__main__":
    main()
