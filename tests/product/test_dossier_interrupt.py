"""An interrupted ``rfcheck dossier`` (Ctrl-C, SIGTERM) stops cleanly and says what it wrote.

docs/dossier.md, "Interruption": the records finished stay, each whole; a unit being written
leaves nothing (an earlier record of it stays as it was); ``OUT/summary.json`` is marked
``"interrupted": true`` and names the units not issued; one line on stderr; exit 130
(SIGINT) or 143 (SIGTERM). It once printed ``Aborted!`` and exited 1 (the FAIL code), left
a unit folder with its HTML and JSON but not the PDF the HTML names, and died of SIGTERM
with "leaked semaphore" warnings.

The command runs in a child process of its own process group, signalled as a terminal
signals it (every process of the group). One unit never finishes (``_blocking_unit``): the
test signals once it is being written, so the outcome does not depend on timing.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from click.testing import CliRunner

from rfcheck.batch.stop import StopRequest
from rfcheck.cli import main
from rfcheck.product.publish import discard, publish, stage
from rfcheck.product.run import DossierInterrupted, place_captures, run_dossier
from rfcheck.settings import load_setup

pytestmark = pytest.mark.skipif(not hasattr(os, "killpg"), reason="no process groups")

HERE = Path(__file__).resolve().parent
RECORD = [
    "dossier.html",
    "dossier.json",
    "dossier.pdf",
    "plot_L1.png",
    "plot_L2.png",
    "plot_radiated.png",
]


def _two_units(rig: ModuleType, tmp: Path) -> tuple[Path, Path, Path]:
    root = tmp / "in"
    rig.write_rig(root / "a", unit="rigA", points=200)
    rig.write_rig(root / "b", unit="rigB", points=200)
    setup = rig.write_setup(
        tmp / "setup.toml", '[batch]\ngroup_pattern = "^(?P<unit>[A-Za-z]+)_"\n'
    )
    return root, setup, tmp / "out"


def _names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def _interrupted(
    tmp: Path, args: list[str], sig: int, *, jobs: str, wait_for: Path | None, **env: str
) -> subprocess.CompletedProcess[str]:
    """Run ``rfcheck dossier`` with the hooks of ``env``; signal its group once it is blocked.

    ``wait_for``: a unit folder that must also be in place first (the other unit's record).
    """
    blocked = tmp / "blocked"
    environ = dict(os.environ, BLOCKED=str(blocked), **env)
    environ["PYTHONPATH"] = os.pathsep.join([str(HERE), environ.get("PYTHONPATH", "")])
    hook = "import _blocking_unit; _blocking_unit.main()"
    proc = subprocess.Popen(
        [sys.executable, "-c", hook, *args, "--jobs", jobs],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=environ,
        start_new_session=True,  # its own process group, as a terminal's foreground job
    )
    try:
        deadline = time.monotonic() + 300.0
        while not (blocked.exists() and (wait_for is None or wait_for.is_dir())):
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "the blocked unit was never reached"
            time.sleep(0.05)
        os.killpg(proc.pid, sig)
        stdout, stderr = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:  # never leave it behind when the test fails
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
    return subprocess.CompletedProcess(proc.args, proc.returncode, stdout, stderr)


def _args(root: Path, setup: Path, out: Path) -> list[str]:
    return ["dossier", str(root), "--setup", str(setup), "--out", str(out)]


@pytest.mark.parametrize(
    ("sig", "code", "how", "jobs"),
    [
        (signal.SIGINT, 130, "interrupted", "1"),
        (signal.SIGINT, 130, "interrupted", "2"),
        (signal.SIGTERM, 143, "terminated (SIGTERM)", "2"),  # kill, timeout, a CI job cancelled
    ],
)
def test_a_signal_keeps_the_records_finished_says_so_in_one_line_and_exits_130_or_143(
    rig: ModuleType, tmp_path: Path, sig: int, code: int, how: str, jobs: str
) -> None:
    root, setup, out = _two_units(rig, tmp_path)
    res = _interrupted(
        tmp_path, _args(root, setup, out), sig, jobs=jobs, wait_for=out / "rigA", BLOCK_UNIT="rigB"
    )
    assert res.returncode == code, res.stderr
    assert res.stdout == ""
    assert res.stderr == (
        f"rfcheck: {how}: records of 1 of 2 units written (rigA); 1 not issued, named in "
        f"{(out / 'summary.json').as_posix()}; run the same command again to finish\n"
    )  # no "Aborted!", no traceback, no "leaked semaphore" warning
    # rigB, stopped while its PDF was rendered, left nothing: no folder, no staging folder
    assert _names(out) == [".rfcheck-output", "rigA", "summary.json"]
    assert _names(out / "rigA") == RECORD
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["interrupted"] is True and summary["not_issued"] == ["rigB"]
    assert [u["unit"] for u in summary["units"]] == ["rigA"]
    assert sorted(summary["units"][0]["files"]) == RECORD
    assert summary["entry"] is None and summary["stale"] == []
    # the same command again finishes: both records, nothing stale, not interrupted
    again = CliRunner().invoke(main, [*_args(root, setup, out), "--jobs", jobs])
    assert again.exit_code in (0, 1, 4, 5), again.output
    assert "rfcheck: note:" not in again.stderr
    assert _names(out) == [".rfcheck-output", "rigA", "rigB", "summary.json"]
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["interrupted"] is False and summary["not_issued"] == []
    assert [u["unit"] for u in summary["units"]] == ["rigA", "rigB"]
    assert summary["stale"] == []


def test_an_earlier_record_stays_whole_when_its_unit_is_interrupted(
    rig: ModuleType, tmp_path: Path
) -> None:
    """The HTML and JSON of the new record once replaced the earlier ones without the PDF."""
    root, setup, out = _two_units(rig, tmp_path)
    first = CliRunner().invoke(main, [*_args(root, setup, out), "--jobs", "1"])
    assert first.exit_code in (0, 1, 4, 5), first.output
    earlier = {n: (out / "rigB" / n).read_bytes() for n in _names(out / "rigB")}
    assert sorted(earlier) == RECORD
    res = _interrupted(
        tmp_path, _args(root, setup, out), signal.SIGINT, jobs="1", wait_for=None,
        BLOCK_UNIT="rigB",
    )  # fmt: skip
    assert res.returncode == 130, res.stderr
    assert _names(out) == [".rfcheck-output", "rigA", "rigB", "summary.json"]
    assert {n: (out / "rigB" / n).read_bytes() for n in _names(out / "rigB")} == earlier
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["not_issued"] == ["rigB"]
    # the earlier record of the unit not issued is kept, listed file by file
    assert summary["stale"] == [f"rigB/{n}" for n in RECORD]


def test_ctrl_c_while_the_fork_server_imports_prints_no_traceback_of_its_own(
    rig: ModuleType, tmp_path: Path
) -> None:
    """The server took Ctrl-C as a KeyboardInterrupt and printed its traceback."""
    root, setup, out = _two_units(rig, tmp_path)
    res = _interrupted(
        tmp_path, _args(root, setup, out), signal.SIGINT, jobs="2", wait_for=None,
        BLOCK_PRELOAD="1",
    )  # fmt: skip
    assert res.returncode == 130, res.stderr
    assert res.stderr == (
        "rfcheck: interrupted: no unit's record was written; 2 not issued, named in "
        f"{(out / 'summary.json').as_posix()}; run the same command again to finish\n"
    )
    assert _names(out) == [".rfcheck-output", "summary.json"]


# --- in this process: what a stopped run leaves, whatever stopped it ---------------------
def _stop_at_pdf_of(unit: str, monkeypatch: pytest.MonkeyPatch, stop: Callable[[], None]) -> None:
    """Make the PDF renderer call ``stop`` for ``unit`` (after its plots, JSON and HTML)."""
    import rfcheck.report.dossier.pdf as pdf

    render = pdf.render_dossier_pdf

    def stopping(d: Any, *args: Any, **kwargs: Any) -> bytes:
        if d.unit == unit:
            stop()
        return render(d, *args, **kwargs)

    monkeypatch.setattr(pdf, "render_dossier_pdf", stopping)


def _interrupt() -> None:
    raise KeyboardInterrupt


@pytest.mark.parametrize("earlier", [False, True])
def test_a_unit_stopped_while_it_is_written_leaves_no_folder_or_its_earlier_one_whole(
    rig: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, earlier: bool
) -> None:
    """A Ctrl-C between a unit's HTML and its PDF left the HTML naming a PDF not there."""
    root, setup_file, out = _two_units(rig, tmp_path)
    setup = load_setup(setup_file)
    placement = place_captures([root], setup)
    before: dict[str, bytes] = {}
    if earlier:
        run_dossier(placement, setup, out)
        before = {n: (out / "rigB" / n).read_bytes() for n in _names(out / "rigB")}
    _stop_at_pdf_of("rigB", monkeypatch, _interrupt)
    with pytest.raises(DossierInterrupted) as stopped:
        run_dossier(placement, setup, out)
    assert [s.unit for s in stopped.value.issued] == ["rigA"]
    assert stopped.value.not_issued == ["rigB"] and stopped.value.summary
    assert _names(out) == [".rfcheck-output", "rigA", *(["rigB"] * earlier), "summary.json"]
    if earlier:  # byte for byte the earlier record, listed stale
        assert {n: (out / "rigB" / n).read_bytes() for n in _names(out / "rigB")} == before
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["interrupted"] is True and summary["verdict"] == "INCOMPLETE"
    assert summary["stale"] == [f"rigB/{n}" for n in RECORD if earlier]


def test_a_stop_whose_keyboardinterrupt_was_lost_ends_the_run_after_the_unit(
    rig: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A signal handler recorded the stop, but its exception never reached the run."""
    root, setup_file, out = _two_units(rig, tmp_path)
    setup = load_setup(setup_file)
    stop = StopRequest()
    _stop_at_pdf_of("rigA", monkeypatch, lambda: stop.request(signal.SIGTERM))
    with pytest.raises(DossierInterrupted) as stopped:
        run_dossier(place_captures([root], setup), setup, out, stop=stop)
    assert [s.unit for s in stopped.value.issued] == ["rigA"]  # the unit in hand is finished
    assert stopped.value.not_issued == ["rigB"]
    assert _names(out) == [".rfcheck-output", "rigA", "summary.json"]


def test_publishing_into_an_earlier_folder_keeps_its_other_files(tmp_path: Path) -> None:
    """The earlier run's files not written again, and the user's, stay (never deleted)."""
    out = tmp_path / "out"
    (out / "unit").mkdir(parents=True)
    (out / "unit" / "dossier.pdf").write_bytes(b"earlier pdf")
    (out / "unit" / "signed.pdf").write_bytes(b"the user's")
    staged = stage(out, "unit", out / "unit")
    assert staged.staging.parent == out and staged.staging.name.startswith(".unit.")
    (staged.staging / "dossier.json").write_bytes(b"new json")
    publish(staged)
    assert _names(out) == ["unit"]
    assert (out / "unit" / "dossier.json").read_bytes() == b"new json"
    assert (out / "unit" / "dossier.pdf").read_bytes() == b"earlier pdf"
    assert (out / "unit" / "signed.pdf").read_bytes() == b"the user's"
    # a new folder is the staging folder renamed, with a new folder's permissions
    fresh = stage(out, "other", out / "other")
    publish(fresh)
    (out / "plain").mkdir()
    assert (out / "other").stat().st_mode == (out / "plain").stat().st_mode
    # a file where the folder goes: "File exists", the file untouched
    (out / "afile").write_bytes(b"x")
    blocked = stage(out, "afile", out / "afile")
    with pytest.raises(FileExistsError, match="File exists"):
        publish(blocked)
    assert (out / "afile").read_bytes() == b"x"
    discard(blocked)
    assert _names(out) == ["afile", "other", "plain", "unit"]


ENTRY = """
[batch]
group_pattern = "^(?P<unit>[A-Za-z]+)_"

[dut.serials]
rigA = "S-1"
rigB = "S-2"

[entry]
entry_number = "E-1"
port_of_entry = "Los Angeles, CA (2704)"
import_condition = 1
quantity = 240
models = ["Test rig"]
serials = ["S-1..S-240"]
tested_serials = ["S-1", "S-2"]
"""


@pytest.mark.parametrize("earlier", [False, True])
def test_an_entry_sheet_stopped_while_written_leaves_none_or_the_earlier_one_whole(
    rig: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, earlier: bool
) -> None:
    """Its JSON and HTML (which names entry.pdf) were written before its PDF."""
    root = tmp_path / "in"
    rig.write_rig(root, unit="rigA")
    rig.write_rig(root, unit="rigB")
    setup = load_setup(rig.write_setup(tmp_path / "setup.toml", ENTRY))
    placement, out = place_captures([root], setup), tmp_path / "out"
    sheet = ["entry.html", "entry.json", "entry.pdf"]
    before: dict[str, bytes] = {}
    if earlier:
        run_dossier(placement, setup, out)
        before = {n: (out / n).read_bytes() for n in sheet}
    import rfcheck.record.entry_pdf as entry_pdf

    def interrupted(*args: Any, **kwargs: Any) -> bytes:
        raise KeyboardInterrupt

    monkeypatch.setattr(entry_pdf, "entry_pdf", interrupted)
    with pytest.raises(DossierInterrupted) as stopped:
        run_dossier(placement, setup, out)
    assert [s.unit for s in stopped.value.issued] == ["rigA", "rigB"]
    assert stopped.value.not_issued == [] and stopped.value.entry_due
    assert {n: (out / n).read_bytes() for n in sheet if (out / n).exists()} == before
    assert _names(out) == [".rfcheck-output", *(sheet * earlier), "rigA", "rigB", "summary.json"]
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["interrupted"] is True and summary["entry"] is None
    assert summary["stale"] == (sheet if earlier else [])
