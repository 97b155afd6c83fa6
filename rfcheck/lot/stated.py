"""What a lot's capture headers (and the setup) state about the device measured.

A capture may name the device it measured: ``# dut_model: NX-7``, ``# dut_serial: S-0042``,
``# dut_firmware: 2.0`` (key case, spaces and hyphens ignored; read by
:func:`rfcheck.dut_identity.stated_dut`, as the dossier reads them). ``rfcheck lot`` uses them
(``docs/lot.md``, "Units and ports of a lot"):

- a unit whose captures state another DUT model than the lot's is not the tested model: it
  is named, left out of the statistics and the lot reads at most INCONCLUSIVE
  (:func:`other_models`, :func:`model_notes`);
- so is a unit whose captures state another DUT firmware than the golden unit's (the one its
  captures state; the setup states none): units running other firmware are not identical
  units (:func:`other_firmwares`, :func:`firmware_notes`);
- each unit's serial (the setup's ``[dut.serials]``, else its captures') is printed in the lot
  reports (:func:`unit_serials`);
- a unit ``[dut.serials]`` declares that has no capture in the lot was not measured: the lot
  names it and reads at most INCOMPLETE (:func:`declared_not_measured`), as the dossier's
  entry counts a serial ``[entry] tested_serials`` lists that no unit has;
- a unit whose captures state more than one DUT serial, or another than its
  ``[dut.serials]`` entry, cannot be attributed to one device: it is named, left out of the
  statistics and the lot reads at most INCONCLUSIVE (:func:`serial_conflicts`), as the
  dossier sets such captures aside;
- two units with one DUT serial (a capture header's, or the setup's ``[dut.serials]``) are one
  device counted twice: the lot is refused (:func:`check_serials`,
  :class:`DuplicateSerialError`), as the dossier refuses ``[dut.serials]`` giving one serial
  to two units;
- a generic CSV's ``# serial:`` is the *instrument's* serial; one that looks like the DUT's
  (it holds the unit's name, or the unit's serial is missing) gets a note suggesting
  ``# dut_serial:`` (:func:`serial_key_notes`);
- two units holding one capture content (the same SHA-256: one measurement filed twice) are
  one measurement counted twice: the lot is refused the same way (:func:`check_shared`,
  :class:`SharedCaptureError`; the dossier sets such a capture aside in each unit).

References
----------
47 CFR 2.906(b), 2.908: an SDoC covers only units identical to the sample tested.
CISPR TR 16-4-3: the 80/80 rule assumes independent units of one production.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from ..dut_identity import same_value
from ..errors import RfcheckError
from ..shared_content import Filed, shared_content

__all__ = [
    "Stated",
    "lot_model",
    "other_models",
    "model_notes",
    "lot_firmware",
    "other_firmwares",
    "firmware_notes",
    "DuplicateSerialError",
    "check_serials",
    "SharedCaptureError",
    "check_shared",
    "unit_serials",
    "serial_conflicts",
    "serial_key_notes",
    "declared_not_measured",
]


@dataclass(frozen=True)
class Stated:
    """A value one capture's header states about its device: ``(unit, path, value)``."""

    unit: str
    path: str
    value: str


def lot_model(
    models: Sequence[Stated], setup_model: str | None, golden: str
) -> tuple[str, str] | None:
    """Return the lot's model and where it comes from, or None when nothing names one.

    The setup's ``[dut] model``; else the one model the golden unit's captures state.
    """
    if setup_model is not None and setup_model.strip():
        return setup_model.strip(), "[dut] model"
    stated = {s.value for s in models if s.unit == golden}
    if len(stated) != 1:
        return None
    return stated.pop(), f"the golden unit {golden}'s captures"


def other_models(models: Sequence[Stated], setup_model: str | None, golden: str) -> dict[str, str]:
    """Return, per unit whose captures state another model than the lot's, what they state.

    ``{unit: "its captures state another DUT model than the lot's NX-7 ([dut] model):
    <path> (NX-8)"}`` (models compared with case ignored); empty when the lot's model is not
    known (:func:`lot_model`).
    """
    return _others("model", models, lot_model(models, setup_model, golden))


def _others(what: str, stated: Sequence[Stated], named: tuple[str, str] | None) -> dict[str, str]:
    """Return, per unit whose captures state another ``what`` than ``named``, what they state."""
    if named is None:
        return {}
    value, source = named
    by_unit: dict[str, list[str]] = {}
    for s in stated:
        if not same_value(s.value, value):
            by_unit.setdefault(s.unit, []).append(f"{s.path} ({s.value})")
    return {
        unit: f"its captures state another DUT {what} than the lot's {value} ({source}): "
        + ", ".join(found)
        for unit, found in by_unit.items()
    }


def model_notes(models: Sequence[Stated], setup_model: str | None, golden: str) -> tuple[str, ...]:
    """Say which units' captures state another DUT model than the lot's (none: ``()``)."""
    return tuple(
        f"{unit}: {text}" for unit, text in other_models(models, setup_model, golden).items()
    )


def lot_firmware(firmwares: Sequence[Stated], golden: str) -> tuple[str, str] | None:
    """Return the lot's DUT firmware and where it comes from, or None when nothing names one.

    The one firmware the golden unit's captures state (``dut_firmware``; the setup states
    none); None when they state none, or more than one.
    """
    stated: list[str] = []
    for s in firmwares:
        if s.unit == golden and not any(same_value(s.value, v) for v in stated):
            stated.append(s.value)
    if len(stated) != 1:
        return None
    return stated[0], f"the golden unit {golden}'s captures"


def other_firmwares(firmwares: Sequence[Stated], golden: str) -> dict[str, str]:
    """Return, per unit whose captures state another DUT firmware than the lot's, what they state.

    ``{unit: "its captures state another DUT firmware than the lot's 1.0 (the golden unit
    u01's captures): <path> (2.0)"}`` (compared with case ignored); empty when the lot's
    firmware is not known (:func:`lot_firmware`). A unit stating none is not compared.
    """
    return _others("firmware", firmwares, lot_firmware(firmwares, golden))


def firmware_notes(firmwares: Sequence[Stated], golden: str) -> tuple[str, ...]:
    """Say which units' captures state another DUT firmware than the lot's (none: ``()``)."""
    return tuple(f"{unit}: {text}" for unit, text in other_firmwares(firmwares, golden).items())


class DuplicateSerialError(RfcheckError):
    """Two units of a lot state one DUT serial: one device would be counted twice."""


def _setup_serials(setup_serials: object, units: Sequence[str]) -> list[Stated]:
    """Return the setup's ``[dut.serials]`` entries of the lot's units (:class:`Stated`)."""
    if not isinstance(setup_serials, Mapping):
        return []
    return [
        Stated(str(u), "[dut.serials]", v.strip())
        for u, v in setup_serials.items()
        if str(u) in units and isinstance(v, str) and v.strip()
    ]


def declared_not_measured(
    setup_serials: object, units: Sequence[str]
) -> tuple[tuple[str, str], ...]:
    """Return the units ``[dut.serials]`` declares that the lot has no capture of.

    ``(unit, serial)`` in the setup's order: no folder, an empty one, or no file the group
    pattern finds the unit in. The lot verdict cannot cover a unit that was not measured.
    """
    if not isinstance(setup_serials, Mapping):
        return ()
    return tuple(
        (str(u), v.strip())
        for u, v in setup_serials.items()
        if str(u) not in units and isinstance(v, str) and v.strip()
    )


def unit_serials(
    serials: Sequence[Stated], setup_serials: object, units: Sequence[str]
) -> dict[str, str]:
    """Return each unit's DUT serial, where known: ``{unit: "S-0042"}``.

    The setup's ``[dut.serials]`` entry for the unit; else the serial its captures' headers
    state (several different ones joined with ``" / "``, in the order found). A unit with
    neither is absent (the reports print it MISSING).
    """
    out = {s.unit: s.value for s in _setup_serials(setup_serials, units)}
    found: dict[str, list[str]] = {}
    for s in serials:
        seen = found.setdefault(s.unit, [])
        if not any(same_value(s.value, v) for v in seen):
            seen.append(s.value)
    for unit, values in found.items():
        out.setdefault(unit, " / ".join(values))
    return out


def serial_conflicts(
    serials: Sequence[Stated], setup_serials: object, units: Sequence[str]
) -> dict[str, str]:
    """Return, per unit whose captures state more than one DUT serial, what they state.

    A unit's serials are its ``[dut.serials]`` entry and what its captures' headers state
    (compared as :func:`rfcheck.dut_identity.same_value` does). Two or more: its data cannot
    be attributed to one device. ``{unit: "its captures state another DUT serial than its
    [dut.serials] entry S1: <path> (S9); ..."}`` or ``{unit: "its captures state 2 DUT
    serials: S1 (<path>); S2 (<path>); ..."}``; units with one serial or none are absent.
    """
    setup = {s.unit: s for s in _setup_serials(setup_serials, units)}
    out: dict[str, str] = {}
    for unit in units:
        found: list[tuple[str, list[str]]] = []
        for s in serials:
            if s.unit != unit:
                continue
            same = next((f for f in found if same_value(f[0], s.value)), None)
            if same is None:
                found.append((s.value, [s.path]))
            else:
                same[1].append(s.path)
        entry = setup.get(unit)
        if entry is not None:
            other = [(v, paths) for v, paths in found if not same_value(v, entry.value)]
            if other:
                out[unit] = (
                    "its captures state another DUT serial than its [dut.serials] entry "
                    f"{entry.value}: "
                    + "; ".join(f"{', '.join(paths)} ({v})" for v, paths in other)
                    + ": its data cannot be attributed to one device"
                )
        elif len(found) > 1:
            out[unit] = (
                f"its captures state {len(found)} DUT serials: "
                + "; ".join(f"{v} ({', '.join(paths)})" for v, paths in found)
                + ": its data cannot be attributed to one device ([dut.serials] names none "
                "for it)"
            )
    return out


def check_serials(
    serials: Sequence[Stated], setup_serials: object, units: Sequence[str], folder: str
) -> None:
    """Refuse a lot in which two units state one DUT serial number.

    Parameters
    ----------
    serials : sequence of Stated
        The serial each capture's header states (``# dut_serial: ...``).
    setup_serials : object
        The setup's ``[dut.serials]`` (unit -> serial), if it is a table; entries of units
        not in the lot are not the lot's.
    units : sequence of str
        The lot's units, in order.
    folder : str
        The lot folder (named in the message).

    Raises
    ------
    DuplicateSerialError
        ``<folder>: units u02 and u04 state one DUT serial, S2 (u02: <where>; u04: <where>):
        ...`` (one line; compared with case and surrounding spaces ignored).
    """
    found = list(serials) + _setup_serials(setup_serials, units)
    where: dict[str, dict[str, list[Stated]]] = {}
    for s in found:
        where.setdefault(s.value.casefold(), {}).setdefault(s.unit, []).append(s)
    for by_unit in where.values():
        if len(by_unit) < 2:
            continue
        names = sorted(by_unit, key=units.index)
        first = by_unit[names[0]][0].value
        sources = "; ".join(f"{u}: {by_unit[u][0].path}" for u in names)
        raise DuplicateSerialError(
            f"{folder}: units {', '.join(names[:-1])} and {names[-1]} state one DUT serial, "
            f"{first} ({sources}): one device counted as {len(names)} units would inflate n "
            "and shrink S_n of the 80/80 rule; leave the repeat measurement out ([batch] "
            "exclude) or correct the serial"
        )


class SharedCaptureError(DuplicateSerialError):
    """Two units of a lot hold one capture content: one measurement would be counted twice."""


def check_shared(captures: Iterable[Filed], units: Sequence[str], folder: str) -> None:
    """Refuse a lot in which one capture content is filed twice over.

    One content: the same bytes (SHA-256), or the same readings or samples (a re-saved or
    edited copy, :mod:`rfcheck.shared_content`).

    Under two units (one measurement counted as two units), or under two ports of one unit
    (the H file copied as V: one measurement presented as two ports' data).

    Parameters
    ----------
    captures : iterable of Filed
        Every capture a port of a unit holds, with its unit and port.
    units : sequence of str
        The lot's units, in order.
    folder : str
        The lot folder (named in the message).

    Raises
    ------
    SharedCaptureError
        ``<folder>: units u02 and u04 hold one capture, <file> = <file> (SHA-256 ...): ...``
        or ``<folder>: unit u02 holds one capture under ports H and V (...)``: one line,
        the first such content in unit order, and how many more there are.
    """
    shared = shared_content(captures)
    if not shared:
        return
    contents = list({c.sha256: c for c in shared.values()}.values())
    contents.sort(key=lambda c: min(units.index(u) for u in c.units))
    first = contents[0]
    names = sorted(first.units, key=units.index)
    more = len(contents) - 1
    tail = f", and {more} more filed under several units or ports" if more else ""
    if len(names) == 1:
        ports = list(dict.fromkeys(f.port for f in first.filed))
        files = " = ".join(f"{f.port}: {f.path.as_posix()}" for f in first.filed)
        raise SharedCaptureError(
            f"{folder}: unit {names[0]} holds one capture under ports "
            f"{', '.join(ports[:-1])} and {ports[-1]} ({files}; {first.digest_text})"
            f"{tail}: one measurement cannot be the data of {len(ports)} ports; file each "
            "port's own measurement, or leave the copy out ([batch] exclude)"
        )
    files = " = ".join(f"{f.unit}: {f.path.as_posix()}" for f in first.filed)
    raise SharedCaptureError(
        f"{folder}: units {', '.join(names[:-1])} and {names[-1]} hold one capture ({files}; "
        f"{first.digest_text}){tail}: one measurement counted as {len(names)} units "
        "would inflate n and shrink S_n of the 80/80 rule; file each unit's own measurement, "
        "or leave the repeat out ([batch] exclude)"
    )


def serial_key_notes(
    instrument_serials: Sequence[Stated], serial_of: Mapping[str, str]
) -> tuple[str, ...]:
    """Suggest ``dut_serial`` where a generic CSV's ``serial`` looks like the DUT's.

    A generic CSV's ``# serial:`` line is the instrument's serial number (``rfcheck info``
    prints it after the instrument), never the DUT's. One note per unit whose DUT serial is
    missing while its captures state a ``serial`` no other unit's capture states (one
    instrument measuring the whole lot states one serial in every unit: no note), or whose
    capture's ``serial`` holds the unit's name (``S-u02``).

    Parameters
    ----------
    instrument_serials : sequence of Stated
        The ``serial`` each generic CSV of each unit states.
    serial_of : mapping of str to str
        Each unit's DUT serial, where known (:func:`unit_serials`).
    """
    units_of: dict[str, set[str]] = {}
    for s in instrument_serials:
        units_of.setdefault(s.value.casefold(), set()).add(s.unit)
    notes: dict[str, str] = {}
    for s in instrument_serials:
        missing = s.unit not in serial_of and len(units_of[s.value.casefold()]) == 1
        if s.unit in notes or not (missing or s.unit.casefold() in s.value.casefold()):
            continue
        why = "the unit's DUT serial is MISSING" if missing else "it holds the unit's name"
        notes[s.unit] = (
            f"{s.unit}: {s.path} states '# serial: {s.value}', read as the instrument's serial "
            f"number ({why}); if it is the DUT's, write it as '# dut_serial: {s.value}'"
        )
    return tuple(notes.values())
