"""What ``rfcheck dossier`` can write per unit.

A light module: the CLI parses ``--format`` with it before anything heavy is imported.
"""

from __future__ import annotations

__all__ = ["FORMATS", "SUMMARY_NAME"]

#: Outputs per unit, in writing order; every one by default.
FORMATS = ("json", "html", "pdf", "plots")
#: The file with one entry per unit, in ``OUT``.
SUMMARY_NAME = "summary.json"
