"""What ``rfcheck dossier`` can write per unit.

A light module: the CLI parses ``--format`` with it before anything heavy is imported.
"""

from __future__ import annotations

__all__ = ["FORMATS", "RECORD_FILES", "SUMMARY_NAME"]

#: Outputs per unit, in writing order; every one by default.
FORMATS = ("json", "html", "pdf", "plots")
#: The file with one entry per unit, in ``OUT``.
SUMMARY_NAME = "summary.json"
#: The record's file of each document format, in a unit's folder (its plots: ``plot_*.png``).
RECORD_FILES = {"json": "dossier.json", "html": "dossier.html", "pdf": "dossier.pdf"}
