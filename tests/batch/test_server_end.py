"""The workers' fork server ends without its interpreter's teardown (rfcheck.batch.server_end)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from rfcheck.batch import server_end
from rfcheck.batch.pool import SERVER_END
from rfcheck.product.workers import WORKER_PRELOAD

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="the fork server is used on Linux"
)

# A preload module that says, from the server's exit handlers, that the server tore down.
_PROBE = """
import atexit, os
def _said():
    with open(os.environ["PROBE_MARKER"], "w") as f:
        f.write("exit handlers ran")
atexit.register(_said)
"""

_RUN = """
import multiprocessing as mp, sys
from concurrent.futures import ProcessPoolExecutor
ctx = mp.get_context("forkserver")
ctx.set_forkserver_preload(sys.argv[1:])
with ProcessPoolExecutor(1, mp_context=ctx) as ex:
    print(ex.submit(abs, -3).result())
"""


def _run_pool(tmp_path: Path, preload: list[str]) -> Path:
    """Run a one-worker pool whose server preloads ``preload``; return the probe's marker.

    ``capture_output`` reads the pipes to their end: the server, which inherited them,
    has ended when this returns.
    """
    (tmp_path / "rfcheck_probe_exit.py").write_text(_PROBE)
    marker = tmp_path / "marker.txt"
    env = {"PYTHONPATH": f"{tmp_path}:{Path(server_end.__file__).parents[2]}"}
    env["PROBE_MARKER"] = str(marker)
    proc = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(_RUN), *preload],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "3"
    assert proc.stderr == ""
    return marker


def test_server_without_it_runs_its_exit_handlers(tmp_path: Path) -> None:
    """The control: the probe sees an ordinary server's exit."""
    assert _run_pool(tmp_path, ["rfcheck_probe_exit"]).exists()


def test_server_ends_before_its_teardown(tmp_path: Path) -> None:
    assert not _run_pool(tmp_path, ["rfcheck_probe_exit", SERVER_END]).exists()


def test_imported_elsewhere_it_does_nothing() -> None:
    assert not server_end.in_fork_server_preload()
    code = "import atexit, rfcheck.batch.server_end; print(atexit._ncallbacks())"
    before = subprocess.run(
        [sys.executable, "-c", "import atexit; print(atexit._ncallbacks())"],
        capture_output=True,
        text=True,
        check=True,
    )
    after = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    # importing rfcheck may register handlers of its own; not one more for the module
    import_only = subprocess.run(
        [sys.executable, "-c", "import atexit, rfcheck.batch.pool; print(atexit._ncallbacks())"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert int(before.stdout) <= int(after.stdout) == int(import_only.stdout)


def test_both_pools_preload_it_last() -> None:
    assert WORKER_PRELOAD[-1] == SERVER_END
    from rfcheck.batch.pool import _mp_context

    ctx = _mp_context()
    if ctx.get_start_method() == "forkserver":
        from multiprocessing import forkserver

        preload = getattr(forkserver._forkserver, "_preload_modules")  # noqa: B009
        assert preload[-1] == SERVER_END
