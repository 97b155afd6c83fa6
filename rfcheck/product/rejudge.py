"""Judge a recorded unit again from its manifest (``rfcheck verify --inputs ROOT``).

A dossier's manifest embeds the settings its verdict depends on (setup file, unit, capture
folders, plan); :func:`rejudge` reads them back from the inputs folder, places and judges
the unit's listed captures again, and names what the record was not judged from: captures
it does not list, and files it does not list that now share a listed capture's content.
:func:`installed_sha256` gives the hash of a table the installed rfcheck ships, for the
manifest's shipped tables. See ``docs/record.md``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ..errors import RecordFileError
from ..record.manifest import Manifest
from ..textfile import resolved
from .assign import Assigned
from .record import manifest_path

__all__ = ["can_rejudge", "installed_sha256", "rejudge"]


def can_rejudge(settings: Mapping[str, Any]) -> bool:
    """Whether embedded manifest settings are a dossier's (name a setup file and a unit)."""
    return isinstance(settings.get("setup"), str) and isinstance(settings.get("unit"), str)


def installed_sha256(role: str, name: str) -> str | None:
    """Return the SHA-256 of the table the installed rfcheck ships as ``name``.

    ``role`` ``limit`` (a limit table, ``fcc-15.109-b.toml``) or ``plan`` (plan rules,
    ``fcc-part15b.toml``); ``None`` when it ships none by that name. ``name`` comes from a
    record's manifest: only a name the shipped folder lists is read.
    """
    from ..limits import shipped_ids, shipped_root
    from .plan_rules import plan_rule_ids, plans_root

    stem = name.removesuffix(".toml")
    if role == "limit" and stem != name and stem in shipped_ids():
        folder = shipped_root()
    elif role == "plan" and stem != name and stem in plan_rule_ids():
        folder = plans_root()
    else:
        return None
    return hashlib.sha256(folder.joinpath(name).read_bytes()).hexdigest()


def rejudge(
    manifest: Manifest, settings: Mapping[str, Any], inputs_dir: str | Path
) -> tuple[str, tuple[str, ...], tuple[tuple[str, str], ...]]:
    """Judge the manifest's unit again from its listed captures under ``inputs_dir``.

    It uses the embedded settings and returns the unit verdict (``PASS``, ``FAIL``...),
    the captures of the unit found in the folder that the manifest does not list (POSIX
    paths relative to ``inputs_dir``): those are not judged, since the record was not
    judged from them (a capture added after issue made the recorded verdict
    "not stand" without being named); and each listed capture set aside now because a file
    the manifest does not list holds its content, with that file (:func:`_newly_shared`).

    The setup file named in ``settings`` is read from ``inputs_dir`` (its SHA-256 has been
    checked against the manifest); its plan must equal the embedded one.

    Raises
    ------
    RecordFileError
        The embedded settings do not name a setup.
    EmbeddedSettingsDiffer
        The setup's plan differs from the embedded one (``verify`` says ALTERED).
    RfcheckError
        An input cannot be read.
    """
    from ..settings import load_setup
    from .run import place_captures

    root = Path(inputs_dir)
    setup_rel, unit = settings.get("setup"), settings.get("unit")
    dirs = settings.get("dirs") or ["."]
    if not isinstance(setup_rel, str) or not isinstance(unit, str) or not isinstance(dirs, list):
        raise RecordFileError("the embedded settings name no setup file or unit: cannot re-judge")
    setup = load_setup(root / setup_rel)
    placement = place_captures([root / str(x) for x in dirs], setup)
    if placement.plan.to_json() != settings.get("plan"):
        from ..record.verify import EmbeddedSettingsDiffer

        raise EmbeddedSettingsDiffer(  # its SHA-256 matched: the embedded plan is the edit
            f"the embedded plan differs from the [plan] of {setup_rel}, whose SHA-256 matches "
            "the manifest: the embedded plan was altered after issue"
        )
    listed = {f.path for f in manifest.inputs if f.role == "capture"}
    found = placement.found.get(unit, [])
    home = resolved(root)
    rel = {f.path: manifest_path(f.path, home) or f.path.as_posix() for f in found}
    unlisted = tuple(sorted(rel[f.path] for f in found if rel[f.path] not in listed))
    placement.found[unit] = [f for f in found if rel[f.path] in listed]
    if not placement.found[unit]:
        return "INCOMPLETE", unlisted, ()
    from .dossier import judge_unit

    assigned, errors = placement.assign_unit(unit, setup)
    verdict = judge_unit(unit, placement.plan, placement.cells, assigned, errors, setup).verdict
    return verdict.value, unlisted, _newly_shared(manifest, assigned, home)


def _newly_shared(
    manifest: Manifest, assigned: Sequence[Assigned], root: Path
) -> tuple[tuple[str, str], ...]:
    """Return ``(listed capture, other file)`` for each capture set aside by an unlisted file.

    The shared-content check (:mod:`rfcheck.shared_content`) sets a capture aside when
    another unit's file, or another port's of its unit, holds its content; the record lists
    every such file it was judged with (role ``shared-content``), so a pair here is a file
    the record was not judged with that now shares content with one it lists.
    """
    listed = {f.path for f in manifest.inputs}
    out: dict[tuple[str, str], None] = {}
    for a in assigned:
        if a.shared is None:
            continue
        for f in a.shared.content.others(a.unit, a.port):
            other = manifest_path(f.path, root) or f.path.as_posix()
            if other not in listed:
                out[(manifest_path(a.path, root) or a.rel, other)] = None
    return tuple(out)
