"""Finding the units of a lot in a folder.

The captures walked as ``rfcheck batch`` walks them (the setup's ``[batch] include``/``exclude``),
grouped into units by the setup's ``group_pattern`` (a regex with a named group ``unit``, searched
in the file name, as in batch). What remains of the file name once the unit text is taken out names
the port (``unit03_L1.csv`` -> unit ``unit03``, port ``L1``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..batch import discover_inputs
from ..errors import SetupFileError
from ..settings import Setup

__all__ = ["UnitCapture", "find_units"]


@dataclass(frozen=True)
class UnitCapture:
    """One capture of one unit: its file, path relative to the lot folder, and port."""

    unit: str
    port: str
    path: Path
    rel: str


def _port(name: str, m: re.Match[str]) -> str:
    a, b = m.span("unit")
    rest = PurePosixPath(name[:a] + name[b:]).stem if "." in name else name[:a] + name[b:]
    return rest.strip("_-. ") or "port"


def find_units(folder: str | Path, setup: Setup) -> dict[str, list[UnitCapture]]:
    """Return the units in ``folder``, each with its captures, in discovery order.

    Raises
    ------
    SetupFileError
        The setup has no ``[batch] group_pattern`` (units cannot be told apart), or two
        captures of one unit name the same port (e.g. ``a/unit03_L1.csv`` and
        ``b/unit03_L1.csv``): the lot would compare one of them and drop the other.
    """
    if not setup.batch.group_pattern:
        raise SetupFileError(
            "the setup has no [batch] group_pattern: the units of a lot are told apart by it "
            '(e.g. group_pattern = "^(?P<unit>unit[0-9]+)_")',
            setup.path,
        )
    rx = re.compile(setup.batch.group_pattern)
    skip = [setup.path] if setup.path is not None else []
    units: dict[str, list[UnitCapture]] = {}
    for item in discover_inputs([folder], setup.batch.include, setup.batch.exclude, skip=skip):
        subject = item.rel if "/" in rx.pattern else item.rel.rsplit("/", 1)[-1]
        m = rx.search(subject)
        if m is None or not m.group("unit"):
            continue
        port = _port(subject, m)
        unit = units.setdefault(m.group("unit"), [])
        same = next((c for c in unit if c.port == port), None)
        if same is not None:
            raise SetupFileError(
                f"unit {m.group('unit')!r}: {same.rel} and {item.rel} both name port "
                f"{port!r} (the file name without the unit text); a lot compares one capture "
                "per port: rename one, or leave one out with [batch] exclude",
                setup.path,
            )
        unit.append(UnitCapture(m.group("unit"), port, item.path, item.rel))
    return units
