"""Many captures of one model.

Compare two captures (before/after, unit vs unit), and judge a lot of units against the tested
(golden) unit with the CISPR 80/80 rule.

- :mod:`~rfcheck.lot.emissions`: the narrowband emission list of a corrected capture (what
  a capture says about a limit line at one frequency: :mod:`~rfcheck.lot.readings`);
- :mod:`~rfcheck.lot.matching`: emissions of two captures paired, deltas with their bounds;
- :mod:`~rfcheck.lot.fingerprint`: strongest emissions and harmonic families, unit vs golden;
- :mod:`~rfcheck.lot.distance`: one distance for the levels of units (or sides) measured at
  different distances (47 CFR 15.31(f), as each unit's verdict converts its limit);
- :mod:`~rfcheck.lot.distance_groups`: a port measured at two distances (10 m up to 1 GHz,
  3 m above), pooled per distance and joined, each pool judged at its own;
- :mod:`~rfcheck.lot.statistics`: CISPR TR 16-4-3 non-central t and binomial methods;
- :mod:`~rfcheck.lot.discovery`: a lot's units, and each capture's port (the setup's port
  rules, as the dossier places captures, else the file name);
- :mod:`~rfcheck.lot.stated`: the DUT model and serial capture headers state (another model:
  left out; one serial for two units: refused);
- :mod:`~rfcheck.lot.judgement`: the 80/80 rows and the lot verdict (a unit over a limit fails
  the lot);
- :mod:`~rfcheck.lot.compare` / :mod:`~rfcheck.lot.survey`: ``rfcheck compare`` / ``rfcheck lot``;
- :mod:`~rfcheck.lot.results` (what a verdict takes on trust: :mod:`~rfcheck.lot.assumptions`),
  :mod:`~rfcheck.lot.render` (the lot's text, JSON, CSV; the words of its verdict:
  :mod:`~rfcheck.lot.verdict_text`), :mod:`~rfcheck.lot.compare_result`
  and :mod:`~rfcheck.lot.compare_render` (``compare``'s), :mod:`~rfcheck.lot.plots` (``lot``'s
  plot), :mod:`~rfcheck.lot.overlay_plot` (``compare``'s), :mod:`~rfcheck.lot.plot_parts`,
  :mod:`~rfcheck.lot.pdf`, :mod:`~rfcheck.lot.files` (report files).

The rules are stated in ``docs/lot.md``.
"""

from __future__ import annotations

from .compare import run_compare
from .compare_result import CompareResult
from .emission_search import emission_list
from .emissions import Emission, EmissionList
from .fingerprint import (
    Difference,
    Fingerprint,
    FingerprintComparison,
    compare_fingerprints,
    fingerprint,
    fingerprint_comparison,
)
from .matching import DeltaBound, Matched, Pair, match
from .readings import Reading
from .results import LotResult, StatRow, UnitResult
from .statistics import Method, StatOutcome, binomial_allowance, evaluate, k_factor
from .survey import run_lot

__all__ = [
    "run_compare",
    "run_lot",
    "Emission",
    "EmissionList",
    "Reading",
    "emission_list",
    "Difference",
    "Fingerprint",
    "FingerprintComparison",
    "compare_fingerprints",
    "fingerprint",
    "fingerprint_comparison",
    "DeltaBound",
    "Matched",
    "Pair",
    "match",
    "CompareResult",
    "LotResult",
    "StatRow",
    "UnitResult",
    "Method",
    "StatOutcome",
    "binomial_allowance",
    "evaluate",
    "k_factor",
]
