"""The command line's allocator setting: freed buffers are re-used, not faulted in again."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from rfcheck import allocator
from rfcheck.cli import main

glibc = pytest.mark.skipif(
    not (os.confstr("CS_GNU_LIBC_VERSION") or "").startswith("glibc")
    if hasattr(os, "confstr")
    else True,
    reason="mallopt is glibc's",
)

# 40 rounds of three 4 MiB buffers written and freed together (as a plot's rows, filtered
# rows and compressed stream): 12 MiB freed at the heap top is over glibc's default trim
# threshold (twice the largest block freed so far), so by default it goes back to the
# kernel each round. Prints whether the setting applied and the minor page faults taken.
_CHURN = """
import resource, sys
import numpy as np
from rfcheck.allocator import keep_freed_memory
applied = keep_freed_memory() if sys.argv[1] == "keep" else False
before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
for _ in range(40):
    bufs = [np.ones(1 << 20, dtype=np.float32) for _ in range(3)]  # 4 MiB each, written
    del bufs
print(applied, resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
"""


def _churn(mode: str, **env: str) -> tuple[bool, int]:
    clean = {k: v for k, v in os.environ.items() if k not in allocator._USER_TUNING}
    out = subprocess.run(
        [sys.executable, "-c", _CHURN, mode],
        env={**clean, **env},
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    return out[0] == "True", int(out[1])


@glibc
def test_freed_buffers_are_reused_instead_of_faulted_in_again() -> None:
    applied, faults = _churn("keep")
    default_applied, default_faults = _churn("default")
    assert applied and not default_applied
    assert default_faults > 30 * 1024  # each round faults pages of its buffers in again
    assert faults < 2 * 3 * 1024  # the first round only


@glibc
@pytest.mark.parametrize(
    "var", ["MALLOC_TRIM_THRESHOLD_", "MALLOC_MMAP_THRESHOLD_", "GLIBC_TUNABLES"]
)
def test_an_allocator_tuned_through_the_environment_is_left_alone(var: str) -> None:
    applied, _ = _churn("keep", **{var: "131072" if var.startswith("MALLOC") else ""})
    assert not applied


def test_another_c_library_is_left_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(allocator, "_applied", False)
    monkeypatch.setattr(allocator, "_is_glibc", lambda: False)
    assert allocator.keep_freed_memory() is False


@glibc
def test_every_command_runs_with_freed_memory_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []

    def keep() -> bool:
        calls.append(1)
        return True

    monkeypatch.setattr("rfcheck.cli.keep_freed_memory", keep)
    result = CliRunner().invoke(main, ["formats"])
    assert result.exit_code == 0, result.output
    assert calls == [1]


_WORKER_START = """
import gc, os
from rfcheck.product.workers import start_worker
start_worker(os.getppid())
frozen = gc.get_freeze_count()
class Node:
    pass
a, b = Node(), Node()
a.other, b.other = b, a  # a reference cycle made by the work
del a, b
print(frozen, gc.collect())
"""


def test_a_dossier_worker_freezes_its_imports_and_still_collects_the_work() -> None:
    out = subprocess.run(
        [sys.executable, "-c", _WORKER_START], check=True, capture_output=True, text=True
    ).stdout.split()
    frozen, collected = int(out[0]), int(out[1])
    assert frozen > 10_000  # the imported modules' objects (~200,000 with the preload)
    assert collected >= 2  # the cycle made after the start is garbage-collected as before


def test_imports_uncollected_pauses_the_collector_then_freezes_and_restores() -> None:
    code = (
        "import gc\n"
        "from rfcheck.allocator import imports_uncollected\n"
        "before = gc.get_freeze_count()\n"
        "with imports_uncollected():\n"
        "    paused = not gc.isenabled()\n"
        "    import json.decoder\n"
        "print(paused, gc.isenabled(), gc.get_freeze_count() > before)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    assert out.stdout.split() == ["True", "True", "True"]


# The sample dossier's parent process, with workers: the size of the old generation at each
# full collection while the command runs. Before the imports were frozen, numba's and scipy's
# objects (~200,000) were traversed by two full passes (0.15-0.4 s of the parent's start).
_FULL_PASSES = """
import gc, json, sys
from pathlib import Path
from rfcheck.cli import main
sizes = []
def watch(phase, info):
    if phase == "start" and info["generation"] == 2:
        sizes.append(len(gc.get_objects(generation=2)))
if __name__ == "__main__":
    gc.callbacks.append(watch)
    samples = Path(sys.argv[1])
    args = ["dossier", str(samples), "--setup", str(samples / "dossier-setup.toml"),
            "--out", sys.argv[2], "--jobs", "2", "--format", "json"]
    try:
        main(args, prog_name="rfcheck")
    except SystemExit:
        pass
    gc.callbacks.remove(watch)
    print(json.dumps(sizes))
"""


def test_the_dossier_parent_never_traverses_its_imports_in_a_full_collection(
    tmp_path: Path,
) -> None:
    script = tmp_path / "probe.py"
    script.write_text(_FULL_PASSES, encoding="utf-8")
    samples = Path(__file__).resolve().parents[1] / "sample_captures"
    out = subprocess.run(
        [sys.executable, str(script), str(samples), str(tmp_path / "out")],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    sizes = json.loads(out.splitlines()[-1])
    assert max(sizes, default=0) < 50_000, sizes
