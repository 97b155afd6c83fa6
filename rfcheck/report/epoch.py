"""``SOURCE_DATE_EPOCH``: the fixed generation time of reproducible reports.

The variable follows the reproducible-builds.org specification: a decimal integer number
of seconds since 1970-01-01 00:00:00 UTC. Set, it makes the PDF byte-identical and dates the
HTML/PDF; unset, reports carry no (HTML) or the current (PDF) time. A value that is empty,
not an integer, or outside 0 .. 253402300799 (9999-12-31T23:59:59Z) is refused with one
line, before any work starts (``rfcheck check --report``, ``rfcheck batch``): exit code 2.
"""

from __future__ import annotations

import os

from ..errors import EnvironmentSettingError

__all__ = ["ENV_VAR", "MAX_EPOCH_S", "source_date_epoch"]

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
