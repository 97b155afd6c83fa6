"""The product test record (``rfcheck dossier``): a folder of captures judged as one product.

Modules by concept: :mod:`~rfcheck.product.plan` (the setup's ``[dut]``/``[plan]`` and the
required matrix), :mod:`~rfcheck.product.plan_rules` (the plan-rules data file, checked on
load: FCC Part 15 tables only), :mod:`~rfcheck.product.distance` (a radiated capture's
measurement distance: ``[plan] distance_m`` or ``distance_bands``),
:mod:`~rfcheck.product.assign` (captures to ports, error rows),
:mod:`~rfcheck.product.port_pool` (a port's captures pooled, one pool per distance),
:mod:`~rfcheck.product.cells` (each cell judged from the port's pooled measurement;
:mod:`~rfcheck.product.distance_cells` merges a cell judged at two distances),
:mod:`~rfcheck.product.final_table` (six highest emissions per port),
:mod:`~rfcheck.product.dossier` (the unit and its verdict) and :mod:`~rfcheck.product.run`
(the command's steps). The contract is in ``docs/dossier.md``.
"""

from __future__ import annotations

import importlib
from typing import Any

#: Public name -> the module that holds it (imported on first use: the CLI stays light).
_HOMES = {
    "Cell": "cells",
    "CellState": "cells",
    "DistanceBand": "distance",
    "FinalRow": "final_table",
    "final_table": "final_table",
    "RequiredCell": "plan",
    "TestPlan": "plan",
    "plan_from_setup": "plan",
    "required_cells": "plan",
    "UnitDossier": "dossier",
    "judge_unit": "dossier",
    "place_captures": "run",
    "plan_view": "dry_run",
    "run_dossier": "run",
}

__all__ = [
    "Cell",
    "CellState",
    "DistanceBand",
    "FinalRow",
    "RequiredCell",
    "TestPlan",
    "UnitDossier",
    "final_table",
    "judge_unit",
    "place_captures",
    "plan_from_setup",
    "plan_view",
    "required_cells",
    "run_dossier",
]


def __getattr__(name: str) -> Any:
    if name in _HOMES:
        return getattr(importlib.import_module(f".{_HOMES[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
