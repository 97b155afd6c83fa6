"""Guard, prepare and tidy the batch output folder.

The output folder is refused before any work when it would harm the user's files,
prepared (marker, ``captures/``, the previous summary retired), and kept matching the summary
(report folders of inputs that no longer exist are removed or listed as stale).

The rules are stated in ``docs/batch.md`` ("Output folder").
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path

from ..documents import load_json
from ..errors import RfcheckError
from ..textfile import resolved
from .discover import OUTPUT_MARKER, write_output_marker
from .state import STATE_FILE

__all__ = [
    "CAPTURES_DIR",
    "SUMMARY_FILES",
    "OutputFolderError",
    "OutputWriteError",
    "check_output_folder",
    "prepare_output_folder",
    "cannot_write",
    "inside",
    "tidy_captures",
]

#: Folder under OUT that holds one sub-folder per input.
CAPTURES_DIR = "captures"
#: The summary files of a batch, as :func:`rfcheck.report.summary.write_summary` writes them.
SUMMARY_FILES = ("summary.csv", "summary_groups.csv", "summary.json", "index.html")


class OutputFolderError(RfcheckError, ValueError):
    """Refuse the output folder (a usage error, exit code 2) where it would harm the user's files.

    Refused: inside an input folder, or an existing non-empty folder rfcheck did not create
    (without ``force``).
    """


class OutputWriteError(RfcheckError):
    """The output folder cannot be written (read-only, full, not a folder): exit code 3."""


def cannot_write(path: str | Path, err: OSError) -> OutputWriteError:
    """``cannot write <path>: <reason>`` for an OS error while writing output."""
    where = err.filename if isinstance(err.filename, str) and err.filename else str(path)
    reason = err.strerror or type(err).__name__
    return OutputWriteError(f"cannot write {Path(where).as_posix()}: {reason}")


def inside(path: Path, folder: Path) -> bool:
    """Whether ``path`` is ``folder`` or lies in it (both resolved by the caller)."""
    return path == folder or folder in path.parents


def check_output_folder(out: Path, dirs: Iterable[str | Path], *, force: bool) -> None:
    """Refuse an output folder before any work.

    Raises
    ------
    OutputFolderError
        ``out`` is equal to or inside one of the input folders ``dirs`` (its marker would
        hide the inputs from every later batch); or ``out`` is an existing, non-empty folder
        without rfcheck's marker (:data:`~rfcheck.batch.discover.OUTPUT_MARKER`) and not
        ``force`` (its files, e.g. a ``summary.csv`` of the user's, would be overwritten).
    OutputWriteError
        ``out`` exists and is not a folder (``/dev/null``, a file).
    """
    mine = resolved(out)
    for d in dirs:
        folder = Path(d)
        if folder.is_dir() and inside(mine, resolved(folder)):
            raise OutputFolderError(
                f"--out {out.as_posix()} is inside the input folder {folder.as_posix()}: "
                "choose an output folder outside every DIR"
            )
    if out.exists() and not out.is_dir():
        raise OutputWriteError(f"cannot write {out.as_posix()}: not a folder")
    if force or not out.is_dir() or (out / OUTPUT_MARKER).is_file():
        return
    try:
        with os.scandir(out) as entries:
            empty = next(entries, None) is None
    except OSError as err:
        raise cannot_write(out, err) from None
    if not empty:
        raise OutputFolderError(
            f"--out {out.as_posix()} is a non-empty folder rfcheck did not create (no "
            f"{OUTPUT_MARKER}): choose a new or empty folder, or use --force to write into it"
        )


def prepare_output_folder(out: Path) -> Path:
    """Create ``out/captures``, write the marker and remove the previous summary files.

    A summary is only ever the complete one of the last finished run, or none. Returns the
    captures folder.

    Raises
    ------
    OutputWriteError
        The folder cannot be written (read-only, full).
    """
    captures = out / CAPTURES_DIR
    try:
        captures.mkdir(parents=True, exist_ok=True)
        write_output_marker(out)
        for name in SUMMARY_FILES:
            (out / name).unlink(missing_ok=True)
    except OSError as err:
        raise cannot_write(out, err) from None
    return captures


def _remove_created(folder: Path, out: Path) -> bool:
    """Remove what rfcheck wrote in a capture folder, and the folder when that empties it.

    What rfcheck wrote: the reports its state lists, the state, left-over temporary files.
    Returns whether the folder is gone.
    """
    try:
        state = load_json((folder / STATE_FILE).read_bytes())
        reports = [str(r) for r in state["row"]["reports"]]
    except (OSError, ValueError, KeyError, TypeError):
        reports = []
    here = folder.resolve()
    try:
        for rel in reports:
            target = out / rel
            if target.resolve().parent == here and target.is_file():
                target.unlink()
        for entry in folder.iterdir():
            if entry.name == STATE_FILE or (
                entry.name.startswith(".") and entry.name.endswith(".tmp")
            ):
                entry.unlink()
        folder.rmdir()
    except OSError:  # a file rfcheck did not write: the folder stays, listed as stale
        return False
    return True


def tidy_captures(
    out: Path, names: Sequence[str], *, complete: bool = True
) -> tuple[list[str], list[str]]:
    """Match ``out/captures`` to the inputs of this run (their folder ``names``).

    A folder of an input that no longer exists (or is no longer selected) is removed when
    it holds only what rfcheck wrote there; otherwise it is left in place. A run that found
    no input at all (most likely a wrong DIR), or one that could not list every folder
    (``complete`` False: the inputs of an unlisted folder may still exist), removes nothing:
    every such folder is left, listed.

    Returns
    -------
    removed, stale : list of str
        The folders removed and the folders left (paths relative to ``out``, POSIX).
    """
    captures = out / CAPTURES_DIR
    keep = set(names)
    removed: list[str] = []
    stale: list[str] = []
    try:
        entries = sorted(p for p in captures.iterdir() if p.name not in keep)
    except OSError:
        return removed, stale
    for folder in entries:
        rel = f"{CAPTURES_DIR}/{folder.name}"
        if (
            names
            and complete
            and folder.is_dir()
            and not folder.is_symlink()
            and _remove_created(folder, out)
        ):
            removed.append(rel)
        else:
            stale.append(rel)
    return removed, stale
