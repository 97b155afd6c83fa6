"""The product test record (``rfcheck dossier``): a folder of captures judged as one product.

Modules by concept: :mod:`~rfcheck.product.plan` (the setup's ``[dut]``/``[plan]`` and the
required matrix from the plan-rules data file), :mod:`~rfcheck.product.assign` (captures to
ports, error rows), :mod:`~rfcheck.product.cells` (each cell judged from the port's pooled
measurement), :mod:`~rfcheck.product.final_table` (six highest emissions per port),
:mod:`~rfcheck.product.dossier` (the unit and its verdict) and :mod:`~rfcheck.product.run`
(the command's steps). The contract is in ``docs/dossier.md``.
"""

from __future__ import annotations

from .cells import Cell, CellState
from .dossier import UnitDossier, judge_unit
from .final_table import FinalRow, final_table
from .plan import RequiredCell, TestPlan, plan_from_setup, required_cells
from .run import place_captures, plan_view, run_dossier

__all__ = [
    "Cell",
    "CellState",
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
