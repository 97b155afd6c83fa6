"""The report id of a ``compare`` or ``lot`` result, as ``check`` derives a report's.

SHA-256 of every input (role, path as given, SHA-256), the settings and the rfcheck version
(:func:`rfcheck.report_id.report_id`); a capture that could not be hashed is named by its path.
"""

from __future__ import annotations

from typing import Any

from .. import report_id as _rid
from .._version import __version__
from ..results import InputFile

__all__ = ["result_id", "unhashed_captures"]


def result_id(
    inputs: tuple[InputFile, ...], unhashed: list[str], settings: dict[str, Any]
) -> _rid.ReportId:
    """Return the id of a result over ``inputs`` (:func:`rfcheck.report_id.report_id`).

    SHA-256 of every input (role, path as given, SHA-256; a capture that could not be hashed
    by its path), the settings and the rfcheck version, as ``check`` derives it.
    """
    files = [_rid.InputFile(path=i.path, sha256=i.sha256, role=i.role) for i in inputs]
    files += [_rid.InputFile(path=p, sha256="", role="capture") for p in unhashed]
    return _rid.report_id(files, settings, version=__version__)


def unhashed_captures(inputs: tuple[InputFile, ...], paths: tuple[str, ...]) -> list[str]:
    """Return the capture ``paths`` not in ``inputs`` (they could not be hashed)."""
    listed = {i.path for i in inputs if i.role == "capture"}
    return [p for p in paths if p not in listed]
