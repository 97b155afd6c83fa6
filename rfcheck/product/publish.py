"""A record's files written aside in ``OUT`` and moved into place only once all are written.

``rfcheck dossier`` writes each unit's files (``dossier.json``, ``dossier.html``,
``dossier.pdf``, the plots) and the entry cover sheet's into a hidden folder of their own in
``OUT`` (:func:`stage`: ``OUT/.<name>.<random>.partial``). Only when every file is written
does :func:`publish` move them into place: a unit folder that does not exist yet is that
folder renamed, in one step; into an existing one (an earlier run's record) the files are
moved one by one, each document after the files it names (the plots, then the PDF, then the
JSON and the HTML), so that a reader never finds an HTML without the PDF it names, and the
earlier record stays whole until the new one is. A run stopped before (Ctrl-C, an error)
removes its unpublished folders (:func:`discard`); the earlier record is untouched.
See ``docs/dossier.md``, "Interruption".
"""

from __future__ import annotations

import errno
import os
import secrets
import shutil
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Staged", "discard", "in_final", "publish", "stage"]

#: The end of a staging folder's name (its start: ``.`` and what it holds the files of).
STAGING_SUFFIX = ".partial"


@dataclass(frozen=True)
class Staged:
    """Files written in ``staging`` (a hidden folder in ``OUT``) that belong in ``final``."""

    #: the folder the files are published in: ``OUT/<unit>``, or ``OUT`` for the entry sheet
    final: Path
    #: the folder they are written in meanwhile
    staging: Path


def stage(out: Path, label: str, final: Path) -> Staged:
    """Create a new, empty staging folder in ``out`` for the files that belong in ``final``.

    Named ``.<label>.<random>.partial`` (a unit folder never starts with ``.``), created with
    the permissions of any new folder, never one that already exists: removing it later
    removes only what this run wrote.
    """
    while True:
        staging = out / f".{label}.{secrets.token_hex(4)}{STAGING_SUFFIX}"
        try:
            staging.mkdir()
        except FileExistsError:  # pragma: no cover - 1 in 4 billion
            continue
        return Staged(final, staging)


def _order(path: Path) -> tuple[int, str]:
    """Rank a file for publishing: each document after what it names (plots, PDF, JSON, HTML)."""
    ranks = {".pdf": 1, ".json": 2, ".html": 3}
    return ranks.get(path.suffix, 0), path.name


def publish(staged: Staged) -> None:
    """Move the staged files into ``staged.final``; the staging folder is gone after.

    A ``final`` that does not exist is the staging folder renamed (one step). An existing
    folder (or a link to one) receives the files one by one, in :func:`_order`; its other
    files stay (an earlier run's, the user's: ``rfcheck.product.earlier``).

    Raises
    ------
    OSError
        ``final`` is a file (``File exists``), or a move failed.
    """
    final, staging = staged.final, staged.staging
    try:
        if not os.path.lexists(final):
            os.rename(staging, final)
            return
        if not final.is_dir():  # a file, or a link to nothing, where the folder goes
            raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(final))
        for path in sorted(staging.iterdir(), key=_order):
            _move(path, final / path.name)
        staging.rmdir()
    except OSError as err:
        raise in_final(staged, err) from None


def in_final(staged: Staged, err: OSError) -> OSError:
    """Return ``err`` naming the path in ``staged.final`` its staged file stands for.

    The staging folder is the run's own business: a message names where the file goes.
    """
    name = err.filename if isinstance(err.filename, str) else None
    if name is not None and Path(name).is_relative_to(staged.staging):
        name = str(staged.final / Path(name).relative_to(staged.staging))
    return OSError(err.errno, err.strerror, name if name is not None else str(staged.final))


def _move(path: Path, dest: Path) -> None:
    """Replace ``dest`` with ``path`` in one step, also across file systems.

    ``final`` may be a link to an archive on another file system, where a rename cannot
    reach: the file is then copied beside ``dest`` first and renamed there.
    """
    try:
        os.replace(path, dest)
        return
    except OSError as err:
        if err.errno != errno.EXDEV:
            raise
    tmp = dest.with_name(f".{dest.name}.{secrets.token_hex(4)}.tmp")
    try:
        shutil.copyfile(path, tmp)
        os.chmod(tmp, 0o644)
        os.replace(tmp, dest)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    path.unlink()


def discard(staged: Staged) -> None:
    """Remove a staging folder not published (the run stopped); nothing else is touched."""
    shutil.rmtree(staged.staging, ignore_errors=True)
