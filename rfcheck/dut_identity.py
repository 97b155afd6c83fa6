"""Which device a capture measured, as its own header states it, against the unit it is filed under.

A capture's header may name the device under test: a ``dut_model``, a ``dut_serial`` and a
``dut_firmware`` line (``# dut_model: HC-3A``; the key's case, spaces and hyphens ignored),
the fields ``rfcheck lot`` reads. :func:`stated_dut` reads them; :func:`other_device` compares
them with what the setup says the unit is (``[dut] model``; its serial from ``[dut.serials]``,
or ``[dut] serial`` for a one-unit run: :meth:`rfcheck.settings.Setup.unit_serial`; the setup
states no firmware), case and surrounding spaces ignored. A field that either side does not
state is not compared.

A capture stating another model or another serial is not evidence for the unit: the dossier
sets it aside (``docs/dossier.md``, "Captures of another device"); so are a unit's captures
stating more than one firmware (:func:`rfcheck.product.set_aside.set_aside_conflicting`). A
``firmware`` line is the *instrument's* firmware, never the device's.

References
----------
47 CFR 2.938(b)(4)-(5): the record identifies the equipment under test; 2.906(b), 2.908: the
data of one device cover identical units only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .capture import Capture

__all__ = [
    "DutIdentity",
    "stated_dut",
    "same_value",
    "other_device",
    "FIRMWARE_PLURAL",
    "conflict_clause",
]

#: The header keys (normalised: lower case, runs of spaces and hyphens as ``_``).
_MODEL_KEY, _SERIAL_KEY, _FIRMWARE_KEY = "dut_model", "dut_serial", "dut_firmware"

#: How a unit's captures stating several firmware are counted (``2 firmware versions: ...``).
FIRMWARE_PLURAL = "firmware versions"


@dataclass(frozen=True)
class DutIdentity:
    """A device's model, serial number and firmware, where stated (None: not stated)."""

    model: str | None = None
    serial: str | None = None
    firmware: str | None = None

    def text(self) -> str:
        """``model HC-3A, serial S-F, firmware 2.0`` (the fields stated; ``not identified``)."""
        parts = [
            f"{name} {value}"
            for name, value in (
                ("model", self.model),
                ("serial", self.serial),
                ("firmware", self.firmware),
            )
            if value
        ]
        return ", ".join(parts) or "not identified"


def _normal_key(key: str) -> str:
    return re.sub(r"[\s-]+", "_", key.strip().lower())


def stated_dut(capture: Capture) -> DutIdentity:
    """Return the device the capture's header states it measured.

    Its ``dut_model``, ``dut_serial`` and ``dut_firmware`` lines.
    """
    found: dict[str, str] = {}
    for key, value in capture.metadata.items():
        name = _normal_key(str(key))
        if name in (_MODEL_KEY, _SERIAL_KEY, _FIRMWARE_KEY) and str(value).strip():
            found.setdefault(name, str(value).strip())
    return DutIdentity(found.get(_MODEL_KEY), found.get(_SERIAL_KEY), found.get(_FIRMWARE_KEY))


def same_value(a: str | None, b: str | None) -> bool:
    """Return whether two stated values name one model, serial or firmware (or one is unstated).

    Case and surrounding spaces are ignored: the one rule the dossier and the lot compare
    what headers and the setup state with.
    """
    return not a or not b or a.strip().casefold() == b.strip().casefold()


def other_device(stated: DutIdentity, unit: DutIdentity) -> DutIdentity | None:
    """Return the fields of ``stated`` that differ from ``unit``'s, or None when none does.

    Only the fields both state are compared; the result holds the differing ones (the other
    ``None``), e.g. ``DutIdentity(serial="OTHER-999")`` for a capture of the right model but
    another serial.
    """
    model = None if same_value(stated.model, unit.model) else stated.model
    serial = None if same_value(stated.serial, unit.serial) else stated.serial
    firmware = None if same_value(stated.firmware, unit.firmware) else stated.firmware
    if model is None and serial is None and firmware is None:
        return None
    return DutIdentity(model, serial, firmware)


def conflict_clause(conflict: str) -> str:
    """Return what the setup says of a field a unit's captures disagree on (``2 serials: ...``).

    ``, and the setup names none as the unit's`` for a model or serial (``[dut] model``,
    ``[dut.serials]`` would settle it); ``, and one device runs one firmware`` for firmware,
    which the setup states for no unit.
    """
    if conflict.split(":", 1)[0].endswith(FIRMWARE_PLURAL):
        return ", and one device runs one firmware"
    return ", and the setup names none as the unit's"
