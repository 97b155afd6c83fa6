"""Finding the units of a lot in a folder, and each capture's port.

The captures walked as ``rfcheck batch`` walks them (the setup's ``[batch] include``/``exclude``),
grouped into units by the setup's ``group_pattern`` (a regex with a named group ``unit``, searched
in the file name, as in batch).

The port of a capture is the one the product record gives it when the setup has port rules
(a ``[[rule]]`` naming a ``port`` or a ``port_regex``): the last matching rule, as
:func:`rfcheck.product.assign.port_of` places a capture for ``rfcheck dossier``; a unit's
captures of one port are then judged as one measurement. Without port rules, what remains of
the file name once the unit text is taken out names the port (``unit03_L1.csv`` -> unit
``unit03``, port ``L1``), one capture per port. See ``docs/lot.md``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..batch import OUTPUT_MARKER, discover_inputs
from ..batch.discover import setup_files
from ..errors import SetupFileError
from ..product.assign import port_of
from ..product.plan import check_port_rules, plan_from_setup
from ..settings import Setup
from ..textfile import resolved

__all__ = [
    "LotFolder",
    "UnitCapture",
    "find_lot",
    "find_units",
    "has_port_rules",
    "ports_of",
    "shared_port_hint",
    "unused_notes",
]


@dataclass(frozen=True)
class UnitCapture:
    """One capture of one unit: its file, path relative to the lot folder, and port.

    ``problem`` says why a capture has no port (the setup's port rules give it none, or one
    its ``[plan]`` does not name; ``port`` is then empty): it is listed as the unit's error,
    never judged nor silently dropped, as ``rfcheck dossier`` lists it as an error row.
    """

    unit: str
    port: str
    path: Path
    rel: str
    problem: str = ""


def has_port_rules(setup: Setup) -> bool:
    """Whether some ``[[rule]]`` of ``setup`` names a ``port`` or a ``port_regex``."""
    return any("port" in r.product or "port_regex" in r.product for r in setup.rules)


def _port(name: str, m: re.Match[str]) -> str:
    a, b = m.span("unit")
    rest = PurePosixPath(name[:a] + name[b:]).stem if "." in name else name[:a] + name[b:]
    return rest.strip("_-. ") or "port"


def _check_port_rules(setup: Setup) -> tuple[str, ...] | None:
    """Validate the port rules; return the ``[plan]`` ports (None: the setup has no plan).

    With a ``[plan]``, the plan and the rules' ports are validated as ``rfcheck dossier``
    validates them (:func:`rfcheck.product.plan.plan_from_setup`); without, each
    ``port_regex`` must compile and have a ``port`` group (:func:`port_of` searches it).
    """
    if setup.plan:
        return plan_from_setup(setup).ports
    check_port_rules(setup, None)
    return None


def _ruled_port(rel: str, setup: Setup, plan_ports: tuple[str, ...] | None) -> tuple[str, str]:
    """Return the port the setup's rules give ``rel`` and, when none, why not."""
    port, why = port_of(rel, setup)
    if port is None:
        return "", why
    if plan_ports is not None and port not in plan_ports:
        return "", f"port {port!r} is not in [plan] ({', '.join(plan_ports)})"
    return port, ""


@dataclass(frozen=True)
class LotFolder:
    """The units found in a lot folder, and the files and folders no unit uses.

    ``unmatched``: captures (paths relative to the folder) the group pattern finds no unit
    in; ``empty``: folders directly under the lot folder holding no capture. Neither is used:
    :func:`unused_notes` says so, never a silent drop.
    """

    units: dict[str, list[UnitCapture]]
    unmatched: tuple[str, ...] = ()
    empty: tuple[str, ...] = ()


#: Paths named per note before ``(+N more)``.
_NAMED = 5


def _some(paths: Sequence[str]) -> str:
    more = len(paths) - _NAMED
    return ", ".join(paths[:_NAMED]) + (f" (+{more} more)" if more > 0 else "")


def unused_notes(found: LotFolder, setup: Setup) -> tuple[str, ...]:
    """Say which captures and folders of the lot no unit uses (none: ``()``)."""
    notes: list[str] = []
    if found.unmatched:
        n = len(found.unmatched)
        notes.append(
            f"{n} capture{'s' if n > 1 else ''} in no unit ([batch] group_pattern "
            f"{setup.batch.group_pattern!r} finds none in {'them' if n > 1 else 'it'}), not "
            f"used: {_some(found.unmatched)}"
        )
    if found.empty:
        n = len(found.empty)
        notes.append(
            f"{n} folder{'s' if n > 1 else ''} with no capture, no unit: {_some(found.empty)}"
        )
    return tuple(notes)


def shared_port_hint(units: Mapping[str, Sequence[UnitCapture]], setup: Setup) -> str | None:
    """Say why no port is shared when port names still hold their unit's name.

    Without port rules a port is the file name without the unit text the group pattern
    found; when the pattern finds the unit in a folder name (``^(?P<unit>u[0-9]+)/``) the
    file name keeps it (``u01_L1``), so no two units share a port and nothing is compared.
    The hint is given when no port is shared and some port holds its unit's name, whatever
    the other ports are called (one ``ambient.csv`` does not hide it).
    """
    if has_port_rules(setup) or len(units) < 2:
        return None
    ports = {u: {c.port for c in caps if c.port} for u, caps in units.items()}
    seen: set[str] = set()
    for ps in ports.values():
        if seen & ps:
            return None
        seen |= ps
    named = sorted(p for u, ps in ports.items() for p in ps if u in p)
    if not named:
        return None
    example = named[0]
    return (
        "no port is shared by two units: a port is named from the file name without the unit "
        f"text, and the file names still hold it ({example!r}): name the ports with a [[rule]] "
        'port_regex (e.g. port_regex = "_(?P<port>L1|N)[.]csv$")'
    )


def find_units(folder: str | Path, setup: Setup) -> dict[str, list[UnitCapture]]:
    """Return the units in ``folder``, each with its captures, in discovery order.

    :func:`find_lot` without the files and folders no unit uses.
    """
    return find_lot(folder, setup).units


def find_lot(folder: str | Path, setup: Setup) -> LotFolder:
    """Return the units in ``folder`` (captures in discovery order) and what no unit uses.

    Raises
    ------
    SetupFileError
        The setup has no ``[batch] group_pattern`` (units cannot be told apart); its port
        rules or ``[plan]`` are malformed (as ``rfcheck dossier`` refuses them); or, without
        port rules, two captures of one unit name the same port (e.g. ``a/unit03_L1.csv``
        and ``b/unit03_L1.csv``): the lot would compare one of them and drop the other.
    """
    if not setup.batch.group_pattern:
        raise SetupFileError(
            "the setup has no [batch] group_pattern: the units of a lot are told apart by it "
            '(e.g. group_pattern = "^(?P<unit>unit[0-9]+)_")',
            setup.path,
        )
    ruled = has_port_rules(setup)
    plan_ports = _check_port_rules(setup) if ruled else None
    rx = re.compile(setup.batch.group_pattern)
    # the setup file and the tables it names are no captures: the dossier's rule
    # (rfcheck.product.assign.discover_captures); their folder is no unused folder either
    skip = setup_files(setup)
    units: dict[str, list[UnitCapture]] = {}
    unmatched: list[str] = []
    used_tops: set[str] = set()
    for item in discover_inputs([folder], setup.batch.include, setup.batch.exclude, skip=skip):
        used_tops.add(item.rel.split("/", 1)[0])
        subject = item.rel if "/" in rx.pattern else item.rel.rsplit("/", 1)[-1]
        m = rx.search(subject)
        if m is None or not m.group("unit"):
            unmatched.append(item.rel)
            continue
        unit = units.setdefault(m.group("unit"), [])
        if ruled:
            port, problem = _ruled_port(item.rel, setup, plan_ports)
            unit.append(UnitCapture(m.group("unit"), port, item.path, item.rel, problem))
            continue
        port = _port(subject, m)
        same = next((c for c in unit if c.port == port), None)
        if same is not None:
            raise SetupFileError(
                f"unit {m.group('unit')!r}: {same.rel} and {item.rel} both name port "
                f"{port!r} (the file name without the unit text); a lot compares one capture "
                "per port: rename one, or leave one out with [batch] exclude",
                setup.path,
            )
        unit.append(UnitCapture(m.group("unit"), port, item.path, item.rel))
    used_tops |= _tops(Path(folder), skip)
    return LotFolder(units, tuple(unmatched), _empty_folders(Path(folder), used_tops))


def _tops(folder: Path, files: Sequence[Path]) -> set[str]:
    """Return the folders directly under ``folder`` that hold one of ``files``."""
    base = resolved(folder)
    tops = set()
    for f in files:
        try:
            rel = resolved(f).relative_to(base)
        except ValueError:
            continue
        if len(rel.parts) > 1:
            tops.add(rel.parts[0])
    return tops


def _empty_folders(folder: Path, used: set[str]) -> tuple[str, ...]:
    """Folders directly under ``folder`` (not hidden, not rfcheck output) with no capture."""
    try:
        entries = sorted(e for e in folder.iterdir() if e.is_dir() and not e.name.startswith("."))
    except OSError:  # the walk has said it cannot list the folder
        return ()
    return tuple(
        f"{e.name}/" for e in entries if e.name not in used and not (e / OUTPUT_MARKER).is_file()
    )


def ports_of(captures: list[UnitCapture]) -> dict[str, list[UnitCapture]]:
    """Return a unit's captures with a port, by port (in discovery order, members too)."""
    out: dict[str, list[UnitCapture]] = {}
    for c in captures:
        if not c.problem:
            out.setdefault(c.port, []).append(c)
    return out
