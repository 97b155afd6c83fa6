"""Captures placed in a port but set aside: no evidence for the unit they are filed under.

A capture whose own header states another device than the unit's (``dut_model``,
``dut_serial``: :mod:`rfcheck.dut_identity`) is set aside (:class:`OtherDevice`), and so is
every stating capture of a unit whose captures disagree on its model or serial when the
setup names none, or on its firmware (``dut_firmware``: the setup states none)
(:func:`set_aside_conflicting`), and a capture whose content (SHA-256) is
also filed under another unit, or another port of its unit (:class:`SharedCapture`,
:mod:`rfcheck.shared_content`). The cells such a capture would fill are not measured for the
unit, and its record says why. See ``docs/dossier.md``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..dut_identity import (
    FIRMWARE_PLURAL,
    DutIdentity,
    conflict_clause,
    other_device,
    same_value,
    stated_dut,
)
from ..settings import Setup
from ..shared_content import SharedContent

if TYPE_CHECKING:  # assign builds on this module (Assigned's fields)
    from .assign import Assigned

__all__ = [
    "OtherDevice",
    "SharedCapture",
    "set_aside_conflicting",
    "set_aside_other_device",
    "set_aside_shared",
    "unit_identity",
]


@dataclass(frozen=True)
class OtherDevice:
    """A capture whose header states another device than the unit it is filed under.

    ``stated`` is what its header states (``dut_model``, ``dut_serial``, ``dut_firmware``),
    ``unit`` what the setup says the unit is (:func:`unit_identity`).
    """

    path: str
    port: str
    unit_name: str
    stated: DutIdentity
    unit: DutIdentity
    #: Set when the setup names no model (serial) for the unit but the unit's own captures
    #: state more than one, or more than one firmware: what they state (``2 serials: S-1
    #: (a.csv); S-2 (b.csv)``). None of them can be attributed to the unit
    #: (:func:`set_aside_conflicting`).
    conflict: str = ""

    @property
    def message(self) -> str:
        """``<file>: its header states model HC-9, serial X; unit rigF is model HC-3A, ...``."""
        if self.conflict:
            return (
                f"{self.path}: its header states {self.stated.text()}; the captures of unit "
                f"{self.unit_name} state {self.conflict}{conflict_clause(self.conflict)}: "
                "not attributable to one device, not used for this unit"
            )
        return (
            f"{self.path}: its header states {self.stated.text()}; unit {self.unit_name} is "
            f"{self.unit.text()}: a capture of another device, not used for this unit"
        )

    def to_json(self) -> dict[str, object]:
        """Return it as a JSON-ready mapping (the dossier's ``other_device`` entries)."""
        return {
            "path": self.path,
            "port": self.port,
            "stated": {
                "model": self.stated.model,
                "serial": self.stated.serial,
                "firmware": self.stated.firmware,
            },
            "unit": {
                "model": self.unit.model,
                "serial": self.unit.serial,
                "firmware": self.unit.firmware,
            },
            "conflict": self.conflict or None,
        }


@dataclass(frozen=True)
class SharedCapture:
    """A capture whose content (bytes, readings, samples) is also filed under another unit or port.

    ``content`` names every file holding it (:func:`rfcheck.shared_content.shared_content`);
    the capture is set aside in each of those units (ports): under another port of its own
    unit (the H file copied as V), one measurement is presented as two.
    """

    path: str
    port: str
    unit_name: str
    content: SharedContent

    @property
    def others(self) -> str:
        """The others: ``unit hc3c (radiated/hc3c_V.DAT)``, ``port V of unit hc3b (...)``."""
        return self.content.others_text(self.unit_name, self.port)

    @property
    def other_ports(self) -> tuple[str, ...]:
        """The other ports of its own unit holding the content, each once."""
        return tuple(
            dict.fromkeys(
                f.port
                for f in self.content.others(self.unit_name, self.port)
                if f.unit == self.unit_name
            )
        )

    @property
    def one_unit(self) -> bool:
        """Whether only other ports of its own unit hold the content (no other unit)."""
        return not self.content.other_units(self.unit_name)

    @property
    def message(self) -> str:
        """``<file>: the same content (SHA-256 ...) is filed under unit hc3c (<file>): ...``."""
        head = (
            f"{self.path}: the same content ({self.content.digest_text}) is filed "
            f"under {self.others}"
        )
        if self.other_ports:
            ports = " and ".join([self.port, *self.other_ports])
            return (
                f"{head}: one measurement presented as ports {ports}, not used for port "
                f"{self.port} of unit {self.unit_name}"
            )
        return f"{head}: one measurement, not used for unit {self.unit_name}"

    def to_json(self) -> dict[str, object]:
        """Return it as a JSON-ready mapping (the dossier's ``shared_content`` entries)."""
        return {
            "path": self.path,
            "port": self.port,
            "sha256": self.content.sha256,
            "identical": self.content.identical.value,
            "also_filed_under": [
                {"unit": f.unit, "port": f.port or None, "path": str(f.path)}
                for f in self.content.others(self.unit_name, self.port)
            ],
        }


def unit_identity(setup: Setup, unit: str, n_units: int) -> DutIdentity:
    """Return what the setup says ``unit`` is: ``[dut] model`` and the unit's serial.

    The serial is :meth:`rfcheck.settings.Setup.unit_serial` (``[dut.serials]``, or ``[dut]
    serial`` for a one-unit run of ``n_units`` = 1), as the unit's record states it. The
    setup states no firmware (``firmware`` None): a unit's captures are compared with each
    other only (:func:`set_aside_conflicting`).
    """
    model = setup.dut.get("model")
    model = (model.strip() or None) if isinstance(model, str) else None
    return DutIdentity(model, setup.unit_serial(unit, n_units))


def set_aside_other_device(a: Assigned, unit: DutIdentity) -> Assigned:
    """Return ``a`` set aside when its header states another device than ``unit``, else ``a``."""
    if a.capture is None:
        return a
    stated = stated_dut(a.capture)
    if other_device(stated, unit) is None:
        return a
    return dataclasses.replace(
        a, other_device=OtherDevice(str(a.path), a.port, a.unit, stated, unit)
    )


#: The fields a unit's captures may state, in words: (field, plural, where the setup names it).
_IDENTITY_FIELDS = (
    ("model", "models", "[dut] model"),
    ("serial", "serials", "[dut.serials], or [dut] serial in a one-unit run"),
    ("firmware", FIRMWARE_PLURAL, ""),
)


#: Files named per stated value in a conflict (the rest are counted).
_CONFLICT_FILES_SHOWN = 3


def _conflict_text(plural: str, values: Sequence[tuple[str, list[str]]]) -> str:
    """``2 serials: S-1 (a.csv, b.csv); S-2 (c.csv)`` (at most 3 files named per value)."""
    parts = []
    for value, rels in values:
        shown = ", ".join(rels[:_CONFLICT_FILES_SHOWN])
        more = len(rels) - _CONFLICT_FILES_SHOWN
        parts.append(f"{value} ({shown}{f' and {more} more' if more > 0 else ''})")
    return f"{len(values)} {plural}: " + "; ".join(parts)


def set_aside_conflicting(assigned: Sequence[Assigned], unit: DutIdentity) -> list[Assigned]:
    """Return ``assigned`` with every stating capture set aside where the unit's disagree.

    When the setup names no model (serial) for the unit but its own captures' headers state
    more than one (compared as :func:`rfcheck.dut_identity.same_value` does), the record
    cannot attribute them to one device: each capture stating one is set aside
    (:attr:`OtherDevice.conflict`), as a capture stating another device than the setup's
    is. Captures stating none stay, as they do against the setup. Naming the unit's serial
    in the setup (``[dut.serials]``) resolves it: the captures of another serial are then
    set aside as another device's. So for firmware (``dut_firmware``), which the setup
    states for no unit: a unit's captures stating two firmware versions are set aside.
    """
    out = list(assigned)
    for name, plural, _ in _IDENTITY_FIELDS:
        if getattr(unit, name):
            continue
        stating = []
        for i, a in enumerate(out):
            if a.other_device is None and a.capture is not None:
                stated = stated_dut(a.capture)
                if getattr(stated, name):
                    stating.append((i, a, stated))
        values: list[tuple[str, list[str]]] = []
        for _, a, stated in stating:
            value = getattr(stated, name)
            same = next((v for v in values if same_value(v[0], value)), None)
            if same is None:
                values.append((value, [a.rel]))
            else:
                same[1].append(a.rel)
        if len(values) < 2:
            continue
        text = _conflict_text(plural, values)
        for i, a, stated in stating:
            out[i] = dataclasses.replace(
                a, other_device=OtherDevice(str(a.path), a.port, a.unit, stated, unit, text)
            )
    return out


def set_aside_shared(a: Assigned, shared: Mapping[Path, SharedContent]) -> Assigned:
    """Return ``a`` set aside when its content is also filed under another unit, else ``a``.

    ``shared``: :func:`rfcheck.shared_content.shared_content` over the run's captures.
    """
    content = shared.get(a.path)
    if content is None:
        return a
    return dataclasses.replace(a, shared=SharedCapture(str(a.path), a.port, a.unit, content))
