"""One exception tree for rfcheck.

Every error a user can cause derives from :class:`RfcheckError`. Errors carry the
offending file (and line, where known) and format as one line, ``path:line: message``,
which the CLI prints without a traceback. All classes are picklable so they cross
process boundaries in batch runs (``args`` holds every constructor argument).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Self

__all__ = [
    "CoverageError",
    "RfcheckError",
    "CaptureFormatError",
    "UnitError",
    "LimitFileError",
    "CorrectionError",
    "ReceiverError",
    "SetupFileError",
    "RecordFileError",
    "AnalysisError",
    "ReportError",
    "EnvironmentSettingError",
    "EXIT_PASS",
    "EXIT_FAIL",
    "EXIT_USAGE",
    "EXIT_INPUT_ERROR",
    "EXIT_INCONCLUSIVE",
    "EXIT_INCOMPLETE",
    "located",
]

#: Documented CLI exit codes (README "Exit codes").
EXIT_PASS = 0
EXIT_FAIL = 1
EXIT_USAGE = 2
EXIT_INPUT_ERROR = 3
EXIT_INCONCLUSIVE = 4
#: Nothing failed or is undecided where measured, but part of the judged range was not measured.
EXIT_INCOMPLETE = 5


#: How a message names its line when its file is named apart (an error record's ``path``).
_LINE_PREFIX = re.compile(r"line ([0-9]+): ")


def located(path: str, message: str) -> str:
    """Return ``path`` and ``message`` as one line, the line in the ``path:line: `` form.

    An error record names its file apart and starts its message with ``line N: `` where the
    line is known (:func:`rfcheck.analysis.error_message`); printed after its file it reads
    as :class:`RfcheckError` does: ``path:N: message``, else ``path: message``.

    Parameters
    ----------
    path : str
        The file the message is about.
    message : str
        The message, relative to ``path``.
    """
    m = _LINE_PREFIX.match(message)
    if m is None:
        return f"{path}: {message}"
    return f"{path}:{m.group(1)}: {message[m.end() :]}"


class RfcheckError(Exception):
    """Base class of every error rfcheck raises on bad input.

    Parameters
    ----------
    message : str
        What is wrong, in one line.
    path : str or Path, optional
        The file the problem is in.
    line : int, optional
        1-based line number in ``path``.
    """

    def __init__(self, message: str, path: str | Path | None = None, line: int | None = None):
        super().__init__(message, None if path is None else str(path), line)
        self.message = message
        self.path = None if path is None else str(path)
        self.line = line

    def __str__(self) -> str:
        """Return the message, prefixed with ``path:line: `` where known."""
        where = ""
        if self.path is not None:
            where = self.path + (f":{self.line}" if self.line is not None else "") + ": "
        return where + self.message

    def naming(self, path: str | Path | None) -> Self:
        """Return a copy of this error naming ``path`` as its file (same class, message, line).

        For an error raised where a file was opened (an absolute path on a Dask worker) that
        must name the file as the user gave it.
        """
        new = type(self)(self.message, path, self.line)
        for key, value in vars(self).items():  # what a subclass adds (ReportError.written)
            if key not in ("message", "path", "line"):
                setattr(new, key, value)
        return new


class CaptureFormatError(RfcheckError, ValueError):
    """A capture file cannot be read: unknown format, malformed content, missing fields."""


class UnitError(RfcheckError, ValueError):
    """A unit is unknown, missing, or cannot be converted as requested."""


class LimitFileError(RfcheckError, ValueError):
    """A limit table is malformed or unknown."""


class CorrectionError(RfcheckError, ValueError):
    """A transducer/correction table is malformed or asked to extrapolate."""


class ReceiverError(RfcheckError, ValueError):
    """The CISPR receiver model cannot process a recording as asked."""


class SetupFileError(RfcheckError, ValueError):
    """A ``--setup`` TOML file is malformed."""


class RecordFileError(RfcheckError, ValueError):
    """A dossier PDF cannot be read, or carries no (valid) embedded input manifest."""


class PhotoFileError(RfcheckError, ValueError):
    """A ``[[photo]]`` (or label photo) image of the record cannot be decoded."""


class AnalysisError(RfcheckError, ValueError):
    """A capture cannot be judged as asked.

    For example a radiated limit for a conducted unit without an antenna factor.
    """


class CoverageError(AnalysisError):
    """A capture covers none of a requested limit's range: a usage error (exit code 2)."""


class ReportError(RfcheckError):
    """A report file could not be rendered or written. The verdict it would show stands.

    ``written`` lists the report files that were written before or despite the failure.
    """

    written: tuple[Path, ...] = ()


class EnvironmentSettingError(RfcheckError, ValueError):
    """An environment variable rfcheck reads (``SOURCE_DATE_EPOCH``) holds an invalid value."""
