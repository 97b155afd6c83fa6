"""``SOURCE_DATE_EPOCH``: the fixed generation time of reproducible reports.

The variable follows the reproducible-builds.org specification: a decimal integer number
of seconds since 1970-01-01 00:00:00 UTC. Set, it is every report's issue time
(:func:`issue_time`) and makes the PDF byte-identical; unset, reports are issued at the
current time (whole seconds). A value that is empty,
not an integer, or outside 0 .. 253402300799 (9999-12-31T23:59:59Z) is refused with one
line, before any work starts (``rfcheck check --report``, ``rfcheck batch``): exit code 2.
"""

from __future__ import annotations

import datetime as _dt
import os

from ..errors import EnvironmentSettingError

__all__ = ["ENV_VAR", "MAX_EPOCH_S", "source_date_epoch", "issue_time", "issue_text"]

ENV_VAR = "SOURCE_DATE_EPOCH"
#: 9999-12-31T23:59:59Z, the last second an ISO 8601 four-digit year can print. [s]
MAX_EPOCH_S = 253_402_300_799


def source_date_epoch() -> int | None:
    """Return the report generation time from ``SOURCE_DATE_EPOCH``, or None when it is unset.

    Returns
    -------
    int or None
        Seconds since 1970-01-01T00:00:00Z. [s]

    Raises
    ------
    EnvironmentSettingError
        Set but empty, not a decimal integer, or outside ``0 .. MAX_EPOCH_S``.

    References
    ----------
    reproducible-builds.org, "SOURCE_DATE_EPOCH" specification.
    """
    text = os.environ.get(ENV_VAR)
    if text is None:
        return None
    raw = text.strip()
    if not raw.isascii() or not raw.isdigit():
        raise EnvironmentSettingError(
            f"{ENV_VAR} must be a whole number of seconds since 1970-01-01 UTC "
            f"(0 .. {MAX_EPOCH_S}), got {text!r}"
        )
    value = int(raw)
    if value > MAX_EPOCH_S:
        raise EnvironmentSettingError(
            f"{ENV_VAR} is out of range (0 .. {MAX_EPOCH_S} s, up to 9999-12-31), got {text!r}"
        )
    return value


def issue_time() -> _dt.datetime:
    """Return a report's issue time: ``SOURCE_DATE_EPOCH`` if set, else now; UTC, whole seconds.

    The one clock of every report (``check``, ``lot``, ``compare``, the dossier): taken once
    per run, so the PDF, HTML and JSON of one run carry the same time.

    Raises
    ------
    EnvironmentSettingError
        ``SOURCE_DATE_EPOCH`` is set to an invalid value.

    References
    ----------
    reproducible-builds.org, "SOURCE_DATE_EPOCH" specification.
    """
    epoch_s = source_date_epoch()
    if epoch_s is not None:
        return _dt.datetime.fromtimestamp(epoch_s, _dt.UTC)
    return _dt.datetime.now(_dt.UTC).replace(microsecond=0)


def issue_text(issued: _dt.datetime) -> str:
    """Return ``issued`` as ISO 8601 UTC: ``2025-11-14T09:30:00Z``."""
    return issued.astimezone(_dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
