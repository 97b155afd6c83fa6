"""``check --report``: never replace the report of another capture.

The report files are named by the capture's stem (``<stem>.pdf``), so ``check a/evil.csv``
and then ``check b/evil.csv`` into one ``--out`` would write ``evil.*`` twice, the second
silently replacing the first. The folder keeps a small record, :data:`LEDGER`, of which
inputs (resolved paths) each report file was made from. Before writing, a report file that
exists and was made from other inputs is refused (:func:`conflict`): one line naming both,
exit code 2, nothing written; ``--overwrite`` replaces it. Running check again on the same
capture replaces its reports, as before; a file the record does not name (written by an
earlier rfcheck, or by hand) is replaced as before too.

Two runs at once into one folder: the check, the writing and the record are one
step under an exclusive lock on :data:`LOCK` in the folder (:func:`folder_lock`, ``flock``),
so the second run waits for the first and is then refused as if it had run after it. Where
``fcntl.flock`` is unavailable (Windows) or the file system refuses it, nothing is locked and
two runs started at the same moment can still both write (README section 7).
A record that is not JSON is said on stderr (:func:`ledger_problem`) and then rewritten.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

from ..results import RunResult

__all__ = [
    "LEDGER",
    "LOCK",
    "conflict",
    "folder_lock",
    "ledger_problem",
    "overwrites_input",
    "planned_files",
    "record_written",
]

#: The record, in the ``--out`` folder, of the inputs each report file was made from.
LEDGER = ".rfcheck-report-inputs"
#: The file locked while a run checks, writes and records its reports (never removed: a
#: removed lock file would let a third run lock a new file while the second holds the old).
LOCK = ".rfcheck-report-inputs.lock"
_KIND = "rfcheck check reports"


def _resolved(path: str) -> str:
    return os.path.realpath(path)


def planned_files(
    run: RunResult, formats: Sequence[str], paths: Sequence[str], combine: bool
) -> dict[str, list[str]]:
    """Return the report files ``write_reports`` writes for the run, each with its inputs.

    The names come from :func:`rfcheck.report.report_files`, as ``write_reports`` takes them.

    File name -> the resolved paths of the captures it reports on: every capture for the
    run's documents (``<stem>.pdf``, ``rfcheck-report.json`` for several), the capture of a
    per-capture plot (all of them when ``combine``: one combined result).
    """
    from ..report import report_files

    everything = sorted({_resolved(p) for p in paths})
    one_each = not combine and len(paths) == len(run.captures)  # a plot's own capture
    return {
        f.name: [_resolved(paths[f.capture])] if f.capture is not None and one_each else everything
        for f in report_files(run, formats, suspects_csv=True)
    }


@contextmanager
def folder_lock(folder: Path, waiting: Callable[[str], None]) -> Iterator[None]:
    """Hold an exclusive lock on ``folder``'s :data:`LOCK` (the folder is created if needed).

    Another run holding it: ``waiting`` is told once, then the lock is waited for. Without
    ``fcntl`` (Windows), or when the folder or lock cannot be made or locked, nothing is
    locked; the writing then reports its own error, as before.
    """
    try:
        import fcntl
    except ImportError:  # not POSIX: unguarded (module docstring)
        yield
        return
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(folder / LOCK, os.O_RDWR | os.O_CREAT, 0o666)
    except OSError:
        yield
        return
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            waiting(f"waiting for another rfcheck run writing into {folder}")
            fcntl.flock(fd, fcntl.LOCK_EX)
        except OSError:  # a file system without locks (some network mounts): unguarded
            pass
        yield
    finally:
        os.close(fd)  # releases the lock


def _load(folder: Path) -> tuple[dict[str, list[str]], str]:
    """Return the record of ``folder`` (file name -> inputs) and why it could not be read.

    Missing: empty, "". Unreadable, not JSON or not such a record: empty, and the reason.
    """
    path = folder / LEDGER
    try:
        text = path.read_text("utf-8")
    except FileNotFoundError:
        return {}, ""
    except (OSError, UnicodeDecodeError) as err:
        return {}, f"{path}: cannot be read ({err.__class__.__name__}): ignored"
    try:
        doc = json.loads(text)
    except ValueError:
        return {}, f"{path}: not JSON: ignored; it is rewritten with this run's reports"
    files = doc.get("files") if isinstance(doc, dict) else None
    if not isinstance(files, dict):
        return {}, f"{path}: not an rfcheck record of report inputs: ignored"
    return {
        k: [str(p) for p in v]
        for k, v in files.items()
        if isinstance(k, str) and isinstance(v, list)
    }, ""


def ledger_problem(folder: Path) -> str:
    """Return why ``folder``'s record cannot be read ("" when it can, or there is none)."""
    return _load(folder)[1]


def _read(folder: Path) -> dict[str, list[str]]:
    """Return the record of ``folder`` (file name -> inputs); empty if missing or unreadable."""
    return _load(folder)[0]


def _names(inputs: Sequence[str]) -> str:
    first = inputs[0] if inputs else "?"
    return first if len(inputs) <= 1 else f"{first} and {len(inputs) - 1} more"


def conflict(folder: Path, planned: Mapping[str, Sequence[str]], given: Sequence[str]) -> str:
    """Return why the run may not write into ``folder`` ("" when it may).

    A planned file that exists and that the record says was made from other inputs would be
    lost: the first such file is named, with its inputs and this run's (as given).
    """
    recorded = _read(folder)
    for name, inputs in planned.items():
        before = recorded.get(name)
        if before is None or sorted(before) == sorted(inputs) or not (folder / name).exists():
            continue
        return (
            f"{folder / name} holds the report of {_names(sorted(before))}, not of "
            f"{_names(list(given))}: not replaced (use another --out, or --overwrite to "
            "replace it)"
        )
    return ""


def overwrites_input(
    folder: Path, planned: Mapping[str, Sequence[str]], inputs: Sequence[str]
) -> str:
    """Return why the run may not write into ``folder`` because a report is an input ("").

    ``check x.csv --report csv --out .`` beside the capture would write the report over
    ``x.csv`` itself: a report file that is one of the run's input files (a
    capture, its data file, the setup, a transducer table) is refused, ``--overwrite`` or not.
    """
    given = {_resolved(p): p for p in inputs}
    for name in planned:
        hit = given.get(_resolved(str(folder / name)))
        if hit is not None:
            return (
                f"{folder / name} is an input of this run ({hit}): a report never replaces an "
                "input; write the reports to another --out folder"
            )
    return ""


def record_written(
    folder: Path, planned: Mapping[str, Sequence[str]], written: Sequence[Path]
) -> None:
    """Record the inputs of each file written (kept best-effort: the reports are written)."""
    files = _read(folder)
    for path in written:
        if path.name in planned:
            files[path.name] = list(planned[path.name])
    doc = {"kind": _KIND, "files": dict(sorted(files.items()))}
    try:
        from ..report import write_atomic

        write_atomic(folder / LEDGER, (json.dumps(doc, indent=1) + "\n").encode("utf-8"))
    except OSError:
        pass
