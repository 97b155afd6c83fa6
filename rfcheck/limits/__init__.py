"""Emission limit tables: the model, the TOML loader/validator, and the rules around them.

- :mod:`~rfcheck.limits.model`: lines, segments, :class:`LimitTable` (levels, edges);
- :mod:`~rfcheck.limits.loader`: the limit-file parser and validator (format in
  ``limits/README.md``);
- :mod:`~rfcheck.limits.sources`: the shipped tables (``limits/`` data files, installed as
  ``rfcheck.limit_tables``) and user limit files;
- :mod:`~rfcheck.limits.distance`: 47 CFR 15.31(f) distance re-expression and its guards;
- :mod:`~rfcheck.limits.measurement_range`: the 15.33(b)(1) upper measurement frequency.

Id naming: the suffix of the FCC ids is the device **class**, not the CFR paragraph letter:
``fcc-15.107-a`` = Class A = 47 CFR 15.107(b); ``fcc-15.107-b`` = Class B = 15.107(a);
``fcc-15.109-a`` = Class A @ 10 m = 15.109(b); ``fcc-15.109-b`` = Class B @ 3 m = 15.109(a).

Edge rule: where two segments of a line meet, the tighter (lower) limit applies at the
shared frequency (47 CFR 15.107(a)/(b), 15.109(c); CISPR 32 "the lower limit shall apply at
the transition frequencies"). A segment with ``include_start = false`` starts just above its
start frequency ("above 1000 MHz": 15.35(b), CISPR 32 Table A.5), so the frequency itself
belongs to the table below.

References
----------
47 CFR 15.107, 15.109, 15.35(b), 15.31(f)(1)-(2), 15.33(b)(1); CISPR 32:2012 Tables A.4, A.5;
docs/references.md.
"""

from __future__ import annotations

from .distance import DISTANCE_RANGE_M, F_DISTANCE_SPLIT_HZ, distance_offset_db
from .loader import parse_limit_text
from .measurement_range import UPPER_FREQUENCY_RULES, upper_measurement_frequency_hz
from .model import STATUSES, LimitTable, LineLevel, LineSpec, Segment
from .sources import load_limit_file, load_shipped, resolve_limit, shipped_ids, shipped_root

__all__ = [
    "DISTANCE_RANGE_M",
    "STATUSES",
    "F_DISTANCE_SPLIT_HZ",
    "LineSpec",
    "LineLevel",
    "Segment",
    "LimitTable",
    "parse_limit_text",
    "load_limit_file",
    "shipped_ids",
    "shipped_root",
    "load_shipped",
    "resolve_limit",
    "distance_offset_db",
    "upper_measurement_frequency_hz",
    "UPPER_FREQUENCY_RULES",
]
