"""Every input a unit's verdict rests on, with its SHA-256: the report id is derived from them.

The unit's captures (and the captures it could not use), the files of other units holding
a capture set aside as shared, the setup, the plan rules, the shipped limit tables of its
cells and the transducer tables; each once, by role and path. See ``docs/dossier.md``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..errors import RfcheckError
from ..io import file_sha256
from ..limits import load_shipped
from ..results import ErrorRecord, InputFile
from ..settings import Setup
from ..shared_content import SHARED_CONTENT_ROLE, capture_files
from .assign import Assigned
from .plan import RequiredCell, TestPlan

__all__ = ["unit_inputs"]


def unit_inputs(
    assigned: Sequence[Assigned],
    setup: Setup,
    plan: TestPlan,
    cells: Sequence[RequiredCell],
    unused: Sequence[ErrorRecord] = (),
) -> tuple[InputFile, ...]:
    """Every input of the unit with its SHA-256: the report id is derived from them.

    ``unused``: the unit's error rows from placing its captures (unreadable, or fitting no
    cell); each names one file given, hashed as a capture so that adding or changing a
    broken file changes the report id (a file whose bytes cannot be read has no hash).
    """
    out: dict[tuple[str, str], InputFile] = {}

    def add(role: str, path: str | Path, sha: str | None) -> None:
        if sha and (role, str(path)) not in out:
            out[(role, str(path))] = InputFile(role, str(path), sha)

    def add_file(role: str, path: Path) -> None:
        try:
            add(role, path, file_sha256(path))
        except OSError:
            pass

    for a in assigned:
        add_file("capture", a.path)
    for path in _shared_elsewhere(assigned):
        add_file(SHARED_CONTENT_ROLE, path)
    for e in unused:
        add_file("capture", Path(e.path))
    if setup.path is not None:
        add("setup", setup.path, setup.sha256)
    add("plan", plan.rules.path, plan.rules.sha256)
    for lid in dict.fromkeys(c.limit_id for c in cells):
        try:
            table = load_shipped(lid)
        except RfcheckError:
            continue
        add("limit", table.path, table.sha256)
    for a in assigned:
        for t in a.settings.transducer_paths():
            add_file("transducer", t)
    return tuple(out.values())


def _shared_elsewhere(assigned: Sequence[Assigned]) -> list[Path]:
    """Return the files of other units holding the content of a capture set aside as shared.

    A SigMF recording gives its metadata and its samples. Other ports of the unit's own
    are its own captures, listed as such.
    """
    out: dict[Path, None] = {}
    for a in assigned:
        if a.shared is None:
            continue
        for f in a.shared.content.others(a.unit, a.port):
            if f.unit != a.unit:
                out.update(dict.fromkeys(capture_files(f.path)))
    return list(out)
