"""How fast the shared machine is right now, to read a benchmark's absolute figures against.

The benchmarks' goals are absolute (the receiver at real time, the sample dossier in 2 s), and
the same 2-core virtual machine runs one pure-Python loop (20 M additions at module level)
anywhere from 1.4 s to 2.5 s within a day, with its load average near 1 and little CPU steal:
the host, not this code, moves the figures by up to 1.8x. :func:`speed_line` times a fixed
CPU-bound loop (20 M additions in a function, the median of three) in the benchmark's own
run, so a figure can be read against the machine's state when it was taken; ratios against a
baseline measured in the same run (``--baseline``) need no such reading.
"""

from __future__ import annotations

import os
import statistics
import time

__all__ = ["reference_loop_s", "speed_line"]

#: The loop's fastest median seen on the 2-core machine (2026-12-07 21:47 UTC, load average
#: 0.03); the same loop at module level (globals, not locals) takes ~2.3x as long. [s]
QUIET_LOOP_S = 0.62


def reference_loop_s(rounds: int = 3, n: int = 20_000_000) -> float:
    """Return the median time of ``rounds`` runs of a pure-Python loop of ``n`` additions [s]."""
    times = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        x = 0
        for i in range(n):
            x += i
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def speed_line() -> str:
    """Return one line: the reference loop's time now, against the quiet machine's."""
    loop = reference_loop_s()
    with open("/proc/stat", encoding="ascii") as f:  # CPU steal (virtual machines), if stated
        fields = f.readline().split()
    steal = f", CPU steal since boot {int(fields[8]) / max(sum(map(int, fields[1:])), 1):.1%}"
    return (
        f"machine speed    : reference loop {loop:.2f} s (at its quietest {QUIET_LOOP_S:.2f} s: "
        f"{loop / QUIET_LOOP_S:.2f}x slower now); load average {os.getloadavg()[0]:.2f}{steal}"
    )
