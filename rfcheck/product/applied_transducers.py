"""The transducers a unit's captures were corrected with, by kind, and the span each was used over.

The record cross-checks them against its ``[[equipment]]`` (47 CFR 2.938(b)(3), 15.31(b)):
each table by file name, each constant as ``0.3 dB``, once each, with the range it was
applied over (a table is never extrapolated). See ``docs/record.md``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..record.equipment_match import AppliedTransducer, TransducerKind
from .assign import Assigned

__all__ = ["applied_transducers", "without_lisn_factor"]


def _applied(value: float | Path) -> str:
    return Path(value).name if isinstance(value, Path) else f"{value:g} dB"


#: The transducer table kind (:data:`rfcheck.transducers.KINDS`) of each record kind.
_TABLE_KIND = {
    TransducerKind.ANTENNA: "antenna-factor",
    TransducerKind.CABLE: "cable-loss",
    TransducerKind.LISN: "lisn",
    TransducerKind.PREAMPLIFIER: "preamp-gain",
}


def _table_span_hz(value: Path, kind: TransducerKind) -> tuple[float, float] | None:
    """Return a transducer table's first and last frequency, or ``None`` (unreadable) [Hz].

    An unreadable table clips nothing: its error is the captures' own.
    """
    from ..errors import CorrectionError
    from ..transducers import read_table

    try:
        f_hz = read_table(value, _TABLE_KIND[kind]).freq_hz
    except CorrectionError:
        return None
    return (float(f_hz[0]), float(f_hz[-1])) if f_hz.size else None


def _used_hz(a: Assigned, table_hz: tuple[float, float] | None) -> tuple[float, float] | None:
    """Return the range a transducer was applied over for ``a``, or ``None`` (no reading) [Hz].

    The capture's span inside the rule's ``range_hz`` and a table's first..last frequency
    ``table_hz`` (a table is never extrapolated; ``None``: a constant, or a table that could
    not be read).
    """
    lo, hi = a.span_hz
    if a.settings.range_hz is not None:
        lo, hi = max(lo, a.settings.range_hz[0]), min(hi, a.settings.range_hz[1])
    if table_hz is not None:
        lo, hi = max(lo, table_hz[0]), min(hi, table_hz[1])
    return (lo, hi) if lo <= hi and hi > 0 else None


def _hull(
    a: tuple[float, float] | None, b: tuple[float, float] | None
) -> tuple[float, float] | None:
    """Return the lowest to highest frequency of two ranges (either may be ``None``) [Hz]."""
    if a is None or b is None:
        return a or b
    return min(a[0], b[0]), max(a[1], b[1])


def applied_transducers(
    assigned: Sequence[Assigned],
) -> dict[TransducerKind, tuple[AppliedTransducer, ...]]:
    """Return what the setup's rules applied to the unit's captures, by transducer kind.

    Each table by file name, each constant as ``0.3 dB``; once each, in capture order, with
    the range it was applied over (lowest to highest frequency over the captures it was
    applied to: :func:`_used_hz`; each table read once). The record cross-checks every kind
    against ``[[equipment]]`` (47 CFR 2.938(b)(3), 15.31(b)).
    """
    out: dict[TransducerKind, dict[str, tuple[float, float] | None]] = {
        kind: {} for kind in TransducerKind
    }
    tables: dict[tuple[Path, TransducerKind], tuple[float, float] | None] = {}  # read once
    for a in assigned:
        s = a.settings
        for kind, values in (
            (TransducerKind.ANTENNA, (s.antenna_factor,)),
            (TransducerKind.CABLE, s.cable_loss),
            (TransducerKind.LISN, (s.lisn,)),
            (TransducerKind.PREAMPLIFIER, (s.preamp_gain,)),
        ):
            for value in values:
                if value is None:
                    continue
                table_hz = None
                if isinstance(value, Path):
                    if (value, kind) not in tables:
                        tables[value, kind] = _table_span_hz(value, kind)
                    table_hz = tables[value, kind]
                name = _applied(value)
                out[kind][name] = _hull(out[kind].get(name), _used_hz(a, table_hz))
    return {
        kind: tuple(AppliedTransducer(name, used) for name, used in found.items())
        for kind, found in out.items()
        if found
    }


def without_lisn_factor(assigned: Sequence[Assigned], mains: Sequence[str]) -> dict[str, list[str]]:
    """Return, per mains line, its captures judged with no LISN factor (paths, as given).

    A capture of a port in ``mains`` gets none when no ``lisn`` of the setup applies to it
    (:attr:`~rfcheck.settings.CheckSettings.lisn`) and its file does not state that the
    instrument applied a transducer (:func:`rfcheck.io.instrument_applied_corrections`).
    Captures set aside (another device's, another unit's) are not this record's. The record
    says it (:func:`rfcheck.record.findings.no_lisn_factor`).
    """
    from ..io import instrument_applied_corrections

    out: dict[str, list[str]] = {}
    for a in assigned:
        if a.set_aside or a.port not in mains or a.settings.lisn is not None:
            continue
        if a.capture is not None and instrument_applied_corrections(a.capture):
            continue
        out.setdefault(a.port, []).append(str(a.path))
    return out
