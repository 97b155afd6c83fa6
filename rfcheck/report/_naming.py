"""A report's identity: its printed id, the file stems of its captures, its issue time."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import PurePath

from ..results import CaptureResult, RunResult
from .epoch import issue_text, issue_time

__all__ = ["report_id", "sanitise_stem", "unique_stems", "issued_text"]


def report_id(run: RunResult) -> str:
    """Return the printed report id.

    :attr:`RunResult.report_id` (``RFC-`` + 20 upper-case hex
    digits of the SHA-256 of the inputs, the effective settings and the rfcheck version;
    :mod:`rfcheck.report_id`).
    """
    return run.report_id.text


#: Multi-part extensions removed whole from a capture's name (a SigMF pair or archive, an
#: R&S iq-tar): the dots before them belong to the name (``Blow_0.5.sigmf-meta`` ->
#: ``Blow_0.5``).
_COMPOUND_SUFFIXES = (".sigmf-meta", ".sigmf-data", ".sigmf", ".iq.tar")


def sanitise_stem(path: str) -> str:
    r"""File-name stem safe on every OS: ``a/b/EUT L1 (peak).csv`` -> ``EUT_L1_peak``.

    Only the capture's own extension is removed: one of :data:`_COMPOUND_SUFFIXES`, else the
    last ``.ext`` (``scan_0.5M.csv`` -> ``scan_0.5M``), so two captures whose names differ
    after a dot never share a report name. Folders are split as the running OS splits them: on
    POSIX a backslash is part of the file's name and replaced like any other unsafe character
    (``N$\frac$x.DAT`` -> ``N_frac_x``, not ``frac_x``); on Windows it separates folders.

    Parameters
    ----------
    path : str
        Capture path as recorded in the result.

    Returns
    -------
    str
        ASCII letters, digits, ``.-_`` only; at most 80 characters; ``capture`` if empty.
    """
    if " + " in path:  # a --combine result: name it after its first member
        path = "combined-" + PurePath(path.split(" + ")[0]).name
    name = PurePath(path).name  # the OS's own separators: "\\" is one only on Windows
    compound = next((x for x in _COMPOUND_SUFFIXES if name.lower().endswith(x)), "")
    stem = name[: -len(compound)] if compound else PurePath(name).stem
    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", stem).strip("._-")
    return stem[:80] or "capture"


def unique_stems(captures: Iterable[CaptureResult]) -> list[str]:
    """One sanitised stem per capture, de-duplicated with ``-2``, ``-3`` in input order."""
    seen: dict[str, int] = {}
    out = []
    for c in captures:
        stem = sanitise_stem(c.path)
        n = seen.get(stem.lower(), 0) + 1
        seen[stem.lower()] = n
        out.append(stem if n == 1 else f"{stem}-{n}")
    return out


def issued_text(run: RunResult) -> str:
    """Return when the run's reports were issued, ISO 8601 UTC (``2024-05-01T12:00:00Z``).

    ``run.issued`` (stamped once per run by :func:`rfcheck.report.write_reports`); a run not
    stamped (a renderer called directly) is issued now (:func:`~.epoch.issue_time`).

    Raises
    ------
    EnvironmentSettingError
        An invalid ``SOURCE_DATE_EPOCH`` (:func:`rfcheck.report.epoch.source_date_epoch`).
    """
    return issue_text(run.issued if run.issued is not None else issue_time())
