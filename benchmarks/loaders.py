"""Load-time benchmark: 1,000,000-point R&S ASCII and Keysight X-series files.

Generates both files in a temporary directory, then prints the median of 5 runs of
``rfcheck.io.load_capture`` (which also hashes the file for provenance), of the reader
alone, and of a bare ``pandas.read_csv`` of the same numbers with known ``skiprows``, the
ratios, and the peak memory traced while loading. Run: ``python benchmarks/loaders.py``.
"""

from __future__ import annotations

import statistics
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from rfcheck.io import load_capture
from rfcheck.io.keysight_xseries import read_keysight_xseries
from rfcheck.io.rs_ascii import read_rs_ascii

N_POINTS = 1_000_000
RUNS = 5


def _numbers(n: int) -> tuple[np.ndarray, np.ndarray]:
    freq_hz = np.linspace(150e3, 1e9, n)
    level_dbuv = np.random.default_rng(1).normal(30.0, 6.0, n)
    return freq_hz, level_dbuv


def write_rs(path: Path, n: int) -> int:
    """Write an R&S receiver export with one n-point trace; return the header line count."""
    header = [
        "Type;ESR-7;",
        "Version;3.36;",
        "Date;01.Jan 24;",
        "Mode;Receiver;",
        "Start;150000.000000;Hz",
        "Stop;1000000000.000000;Hz",
        "x-Axis;LIN;",
        "x-Unit;Hz;",
        "y-Unit;dB\u00b5V;",
        "Scan Count;1;",
        "Scan 1:",
        "RBW;9000.000000;Hz",
        "Meas Time;0.001000;s",
        "TRACE 1:",
        "Trace Mode;CLR/WRITE;",
        "Detector;MAX PEAK;",
        f"Values;{n};",
    ]
    freq_hz, level = _numbers(n)
    with path.open("w", encoding="latin-1", newline="") as fh:
        fh.write("\r\n".join(header) + "\r\n")
        np.savetxt(
            fh, np.column_stack([freq_hz, level]), fmt="%.6f", delimiter=";", newline=";\r\n"
        )
    return len(header)


def write_keysight(path: Path, n: int) -> int:
    """Write a Keysight X-series ``Trace`` CSV with n points; return the header line count."""
    header = [
        "Trace",
        "Swept SA",
        "A.25.08,N9038A",
        "526 EMC ,01",
        f"Number of Points,{n}",
        "Sweep Time,1.5",
        "RBW,120000",
        "VBW,1000000",
        "Trace Type,Maxhold",
        "Detector,Peak",
        "Trace Name,Trace1",
        "X Axis Units,Hz",
        "Y Axis Units,dBuV",
        "DATA",
    ]
    freq_hz, level = _numbers(n)
    with path.open("w", encoding="ascii", newline="") as fh:
        fh.write("\r\n".join(header) + "\r\n")
        np.savetxt(
            fh,
            np.column_stack([freq_hz, level]),
            fmt=["%.0f", "%.10g"],
            delimiter=",",
            newline="\r\n",
        )
    return len(header)


def median_s(fn: Callable[[], object]) -> tuple[float, float]:
    """Median wall time and median CPU time (all threads) of ``RUNS`` calls [s]."""
    wall, cpu = [], []
    for _ in range(RUNS):
        t0, c0 = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    return statistics.median(wall), statistics.median(cpu)


def peak_mib(fn: Callable[[], object]) -> float:
    """Peak traced allocation during one call [MiB]."""
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def main() -> None:
    """Write the large test files, time each reader on them and print the table."""
    with tempfile.TemporaryDirectory() as tmp:
        cases = []
        rs = Path(tmp) / "rs_1M.DAT"
        cases.append(("R&S ASCII", rs, write_rs(rs, N_POINTS), ";", read_rs_ascii))
        ks = Path(tmp) / "keysight_1M.csv"
        cases.append(
            ("Keysight X-series", ks, write_keysight(ks, N_POINTS), ",", read_keysight_xseries)
        )
        print(f"{N_POINTS:,} points per file, median of {RUNS} runs")
        for label, path, skip, sep, reader in cases:

            def bare(path: Path = path, skip: int = skip, sep: str = sep) -> object:
                return pd.read_csv(path, sep=sep, skiprows=skip, header=None, engine="c")

            def full(path: Path = path) -> object:
                return load_capture(path)

            def only(path: Path = path, reader: Callable[[Path], object] = reader) -> object:
                return reader(path)

            cap = load_capture(path)
            assert cap.traces[0].n_points == N_POINTS
            size_mib = path.stat().st_size / 2**20
            print(f"{label} ({size_mib:.1f} MiB)")
            (w_bare, c_bare) = median_s(bare)
            for name, fn in (("bare pandas", bare), ("reader", only), ("load_capture", full)):
                w, c = median_s(fn)
                print(
                    f"  {name:<13} wall {w * 1e3:7.1f} ms ({w / w_bare:4.2f}x)   "
                    f"cpu {c * 1e3:7.1f} ms ({c / c_bare:4.2f}x)   "
                    f"peak traced memory {peak_mib(fn):6.1f} MiB"
                )
        print(
            "load_capture also hashes the file (SHA-256) for provenance; ratios are vs bare pandas."
        )


if __name__ == "__main__":
    main()
