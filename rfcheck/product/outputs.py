"""What ``rfcheck dossier`` can write per unit.

A light module: the CLI parses ``--format`` with it before anything heavy is imported.
"""

from __future__ import annotations

__all__ = ["ENTRY_FILES", "FORMATS", "RECORD_FILES", "SUMMARY_NAME", "entry_document"]

#: Outputs per unit, in writing order; every one by default.
FORMATS = ("json", "html", "pdf", "plots")
#: The file with one entry per unit, in ``OUT``.
SUMMARY_NAME = "summary.json"
#: The record's file of each document format, in a unit's folder (its plots: ``plot_*.png``).
RECORD_FILES = {"json": "dossier.json", "html": "dossier.html", "pdf": "dossier.pdf"}
#: The entry cover sheet's file of each document format, in ``OUT`` (one per run, only with
#: the setup's ``[entry]``: :mod:`rfcheck.product.entry`).
ENTRY_FILES = {"json": "entry.json", "html": "entry.html", "pdf": "entry.pdf"}


def entry_document(formats: tuple[str, ...] | list[str]) -> str | None:
    """Return the entry cover sheet a run with ``formats`` writes: PDF, else HTML, else JSON.

    ``None`` when it writes none (``--format plots``).
    """
    return next((ENTRY_FILES[f] for f in ("pdf", "html", "json") if f in formats), None)
