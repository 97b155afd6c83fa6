"""The limit tables a judgement uses: loaded for its settings, and what they add to its result.

:func:`load_limits` loads the shipped tables and user limit files a
:class:`~rfcheck.settings.CheckSettings` names, each checked for the measurement distance and
the device class; :func:`table_rule_notes` and :func:`settings_table_notes` are the notes a
table's own rules add (47 CFR 15.31(f), 15.35(b), not an FCC basis, device class);
:func:`with_limit_status` tags each line check with the status of the limit values its
verdict rests on. The ``check`` pipeline (:mod:`rfcheck.analysis`), ``combine``, ``lot`` and
``compare`` share them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from .errors import AnalysisError, LimitFileError, RfcheckError
from .limits import LimitTable, load_limit_file, load_shipped
from .limits.device_class import class_conflict, class_note
from .limits.fcc_basis import fcc_basis_note
from .limits.siblings import check_distance
from .outcome import Verdict
from .results import LineCheck
from .settings import CheckSettings
from .units import LevelUnit

if TYPE_CHECKING:  # judging loads on first use (rfcheck.verdict)
    from .verdict import CorrectedTrace

__all__ = ["load_limits", "settings_table_notes", "table_rule_notes", "with_limit_status"]


def load_limits(settings: CheckSettings, *, base_dir: str | Path | None = None) -> list[LimitTable]:
    """Shipped tables by id, then user limit files, each checked for the distance.

    Relative limit files are opened relative to ``base_dir`` (None = the current directory)
    and named as given.

    Raises
    ------
    LimitFileError
        Unknown id, malformed file, table unusable at ``settings.distance_m``.
    AnalysisError
        No table; a Class A table for a device stated as Class B
        (:func:`~rfcheck.limits.device_class.class_conflict`; the commands refuse it before
        any input is read).
    """
    tables = [load_shipped(i) for i in dict.fromkeys(settings.limit_ids)]  # repeats: once
    tables += [load_limit_file(p, base_dir=base_dir) for p in dict.fromkeys(settings.limit_files)]
    if not tables:
        raise AnalysisError("no limit given (use --limit ID or --limit-file FILE)")
    seen: dict[str, LimitTable] = {}
    for t in tables:
        if t.id in seen:  # results are keyed by limit_id: two different tables may not share it
            raise LimitFileError(
                f"limit id {t.id!r} is used by two tables ({seen[t.id].path} and {t.path}); "
                "give a user limit file its own id"
            )
        seen[t.id] = t
        check_distance(t, settings.distance_m)
        conflict = class_conflict(settings.device_class, t)
        if conflict:
            raise AnalysisError(conflict)
    return tables


def table_rule_notes(
    limits: Sequence[LimitTable],
    corrected: Mapping[LevelUnit, Sequence[CorrectedTrace]],
    distance_m: float | None,
    device_class: str | None = None,
) -> list[str]:
    """Each table's rule notes for the frequencies judged against it.

    See :meth:`rfcheck.limits.LimitTable.rule_notes`: 15.31(f) near field and distance,
    15.35(b) total peak emission; a CISPR 32 table is not an FCC basis
    (:func:`rfcheck.limits.fcc_basis.fcc_basis_note`); and a Class B table judging a device
    stated as Class A (:func:`rfcheck.limits.device_class.class_note`).

    Parameters
    ----------
    corrected : mapping of LevelUnit to sequence of CorrectedTrace
        Corrected traces by limit unit (their ``freq_hz`` are the frequencies judged). [Hz]
    distance_m : float or None
        Measurement distance; None = each table's specified distance. [m]
    device_class : str or None
        The class of the device (``A``, ``B``; None: not stated).
    """
    notes: list[str] = []
    judged = {t.id for t in limits}
    for table in limits:
        traces = corrected.get(table.unit, ())
        freqs = [ct.freq_hz for ct in traces if ct.freq_hz.size]
        judged_hz = np.concatenate(freqs) if freqs else np.empty(0)
        notes += [n for n in (table.user_table_note(),) if n]
        notes += table.rule_notes(judged_hz, distance_m)
        if table.defines_any(judged_hz) and (basis := fcc_basis_note(table, judged)):
            notes.append(basis)
        if judged_hz.size and (note := class_note(device_class, table)):
            notes.append(note)
    return notes


def settings_table_notes(settings: Iterable[CheckSettings]) -> tuple[str, ...]:
    """Each limit table's notes on its basis and the device class, once, for ``lot``/``compare``.

    The notes ``check`` prints for a table it judged (:func:`table_rule_notes`): a CISPR 32
    table is not an FCC basis (:func:`rfcheck.limits.fcc_basis.fcc_basis_note`), and a
    Class B table judging a device stated as Class A, or a table stating no class
    (:func:`rfcheck.limits.device_class.class_note`). Settings whose tables cannot be loaded
    are skipped: the captures judged with them are error rows that say why.
    """
    notes: list[str] = []
    for st in dict.fromkeys(settings):
        try:
            tables = load_limits(st)
        except RfcheckError:
            continue
        notes += [t.user_table_note() for t in tables]
        notes += [fcc_basis_note(t, {x.id for x in tables}) for t in tables]
        notes += [class_note(st.device_class, t) for t in tables]
    return tuple(n for n in dict.fromkeys(notes) if n)


def with_limit_status(
    checks: Sequence[LineCheck], limits: Sequence[LimitTable]
) -> tuple[LineCheck, ...]:
    """Tag each check with the status of the limit values its verdict rests on.

    See :attr:`LineCheck.limit_status`: the value at the worst point of a line that failed or
    is undecided; the least sure tag over the evaluated ranges of a line that passed there.
    """
    tables = {t.id: t for t in limits}
    out = []
    for c in checks:
        t = tables.get(c.limit_id)
        status = ""
        if t is not None and c.verdict in (Verdict.PASS, Verdict.INCOMPLETE):
            status = t.status_over(c.line, c.evaluated_hz)
        elif t is not None and c.worst_frequency_hz is not None:
            status = t.status_at(c.line, c.worst_frequency_hz)
        out.append(dataclasses.replace(c, limit_status=status))
    return tuple(out)
