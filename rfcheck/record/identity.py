"""The record findings for a capture that is not evidence for the unit it is filed under.

A capture filed under a unit whose own header names another model or serial number
(:mod:`rfcheck.dut_identity`) is not evidence for that unit: the dossier judges it for no
cell (``docs/dossier.md``, "Captures of another device"), and the record says so as a
finding naming the file, what it states and what the unit is. So, when the setup names no
serial (model) for the unit, for a capture among the unit's own that state more than one, and
for one among the unit's own that state more than one firmware: the record cannot attribute
them to one device. The finding is a gap of the 2.938(b)(5)
identification item, so the record never reads complete beside it.

A capture whose content (its bytes, or a copy of its readings) is also filed under another
unit (:mod:`rfcheck.shared_content`) is one measurement presented as two tested devices: it is set
aside in every unit holding it, the same way (``docs/dossier.md``, "One capture filed under
two units"), with a finding naming the other units and their files.

References
----------
47 CFR 2.938(b)(4)-(5) (the record identifies the equipment tested); 2.906(b), 2.908 (the
data of one device cover identical units only).
"""

from __future__ import annotations

from ..dut_identity import FIRMWARE_PLURAL, DutIdentity
from .findings import Finding, FindingKind

__all__ = ["NOT_MEASURED", "other_device_finding", "shared_capture_finding"]


#: What a finding says of the cells when its caller does not say (the set-aside capture's
#: port has no other capture of the unit).
NOT_MEASURED = "the cells it would fill read not measured"


def other_device_finding(
    path: str, stated: DutIdentity, unit: DutIdentity, conflict: str = "", effect: str = ""
) -> Finding:
    """Return the finding for the capture ``path`` whose header states ``stated``.

    Parameters
    ----------
    path : str
        The capture, as the record names it.
    stated : DutIdentity
        What its header states (``dut_model``, ``dut_serial``, ``dut_firmware``).
    unit : DutIdentity
        What the setup says the unit is (``[dut] model``, the unit's serial).
    conflict : str
        Set when the setup names no serial (model) for the unit but its captures state
        more than one, or when they state more than one firmware: what they state (``2
        serials: S-1 (a.csv); S-2 (b.csv)``,
        :attr:`rfcheck.product.assign.OtherDevice.conflict`). The record cannot attribute
        its captures to one device.
    effect : str
        What setting it aside did to the port's cells and what it holds over a limit
        (:meth:`rfcheck.product.set_aside_levels.SetAsideEffect.text`); default
        :data:`NOT_MEASURED`.
    """
    effect = effect or NOT_MEASURED
    if conflict:
        firmware = conflict.split(":", 1)[0].endswith(FIRMWARE_PLURAL)
        setup = (
            "one device runs one firmware"
            if firmware
            else "the setup names none as this unit's ([dut] model, [dut.serials])"
        )
        return Finding(
            FindingKind.CAPTURE_OF_ANOTHER_DEVICE,
            path,
            f"{path}: its header states {stated.text()}, but this unit's captures state "
            f"{conflict}, and {setup}: the record cannot attribute its captures to one "
            f"device, so it is not evidence for this unit: {effect} (47 CFR 2.938(b)(5))",
            gap=f"{path} states {stated.text()}, one of the {conflict.split(':', 1)[0]} this "
            "unit's captures state (not one device)",
        )
    return Finding(
        FindingKind.CAPTURE_OF_ANOTHER_DEVICE,
        path,
        f"{path}: its header states the device tested is {stated.text()}, but this unit is "
        f"{unit.text()}: it is not evidence for this unit: {effect} (47 CFR 2.938(b)(5))",
        gap=f"{path} states another device ({stated.text()}), not this unit ({unit.text()})",
    )


def shared_capture_finding(
    path: str,
    unit: str,
    others: str,
    ports: tuple[str, ...] = (),
    effect: str = "",
    same: str = "the same file content (SHA-256)",
) -> Finding:
    """Return the finding for the capture ``path`` whose content other files hold too.

    Parameters
    ----------
    path : str
        The capture, as the record names it.
    unit : str
        The unit whose record it is.
    others : str
        The other units (ports) and their files (``unit hc3c (radiated/hc3c_V.DAT)``,
        ``port V of unit hc3b (radiated/hc3b_V.DAT)``).
    ports : tuple of str
        When other ports of ``unit`` hold the content too: the capture's port, then theirs.
    effect : str
        As for :func:`other_device_finding`.
    same : str
        What the other files hold of it
        (:attr:`rfcheck.shared_content.SharedContent.phrase`): its bytes, or a copy of its
        readings (samples).
    """
    effect = effect or NOT_MEASURED
    if ports:
        what = f"presented as ports {' and '.join(ports)} of unit {unit}"
        return Finding(
            FindingKind.CAPTURE_SHARED_WITH_ANOTHER_UNIT,
            path,
            f"{path}: {same} is filed under {others}: one measurement "
            f"cannot be the record of two ports (or units), so it is not evidence for port "
            f"{ports[0]} of unit {unit}: {effect} (47 CFR 2.938(b)(5))",
            gap=f"{path} is also filed under {others}: one measurement {what}",
        )
    return Finding(
        FindingKind.CAPTURE_SHARED_WITH_ANOTHER_UNIT,
        path,
        f"{path}: {same} is filed under {others}: one measurement "
        f"cannot be the record of two units, so it is not evidence for unit {unit}: {effect} "
        "(47 CFR 2.938(b)(5))",
        gap=f"{path} is also filed under {others}: not shown to be this unit's measurement",
    )
