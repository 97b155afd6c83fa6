"""The device class a setup states, against the class of the limits it is judged with.

A limit table may state the class of device its limits are for (``device_class``, every
shipped table does). A Class B device must meet the Class B limits (47 CFR 15.107(a),
15.109(a); CISPR 32 Class B): judged against a Class A table it would PASS on limits it does
not have to meet, so :func:`class_conflict` refuses the pair. A Class A device judged against
Class B limits is judged against the stricter ones: allowed, and :func:`class_note` says what
such a result shows. ``rfcheck dossier`` picks the limits from the class itself
(:mod:`rfcheck.product.plan`); ``check``, ``batch``, ``explain`` and ``compare`` take them
as named, so they check the pair (limits/README.md, "Format": ``device_class``).

References
----------
47 CFR 15.107(a)/(b), 15.109(a)/(b) (limits per class); CISPR 32 Annex A (Class A and B tables).
"""

from __future__ import annotations

from collections.abc import Iterable

from .model import LimitTable

__all__ = ["class_conflict", "class_note", "tables_for_class"]


def class_conflict(device_class: str | None, table: LimitTable, where: str = "") -> str:
    """Return why ``table`` cannot judge a device of ``device_class`` ("" when it can).

    Only a Class B device against a Class A table conflicts; a table or a device whose class
    is not stated never does. ``where`` names the statement (``setup.toml [dut] class``).
    """
    if device_class != "B" or table.device_class != "A":
        return ""
    stated = f"{where} = " if where else "the device class is "
    return (
        f'{stated}"B", but {table.id} holds Class A limits: a Class B device must meet the '
        f"Class B limits, and a PASS against Class A limits would not show it"
    )


def class_note(device_class: str | None, table: LimitTable) -> str:
    """Return the note for a Class A device judged against a Class B table ("" otherwise).

    Also for a table that states no class (a user's limit file without ``device_class``)
    judging a device whose class is stated: the pair could not be checked, and says so.
    """
    if device_class in ("A", "B") and table.device_class is None:
        return (
            f"{table.id}: the limit file states no device_class, so whether its limits are "
            f"those of a Class {device_class} device (the setup's class) was not checked; "
            'state it in the file (device_class = "A" or "B")'
        )
    if device_class != "A" or table.device_class != "B":
        return ""
    return (
        f"{table.id}: Class B limits, for a device stated as Class A: the stricter limits, so a "
        "PASS shows the Class A limits are met too, and a FAIL does not show a Class A failure "
        "(judge it against the Class A limits)"
    )


def tables_for_class(
    table: LimitTable, device_class: str, shipped: Iterable[LimitTable]
) -> list[str]:
    """Return the ids of the ``shipped`` tables judging what ``table`` does, for ``device_class``.

    Same port and regime, of the class asked, overlapping ``table``'s range; those at its
    distance first when there are any (``cispr32-a-rad-10m`` -> ``cispr32-b-rad-10m``;
    ``fcc-15.109-a``, at 10 m, -> ``fcc-15.109-b``, at 3 m and re-expressed by ``--distance``).
    """
    lo, hi = table.range_hz
    same = [
        t
        for t in shipped
        if t.device_class == device_class
        and t.port == table.port
        and t.regime == table.regime
        and t.range_hz[0] < hi
        and t.range_hz[1] > lo
    ]
    at_distance = [t for t in same if t.distance_m == table.distance_m]
    return [t.id for t in (at_distance or same)]
