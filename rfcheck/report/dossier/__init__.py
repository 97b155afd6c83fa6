"""Renderers of the product test record (``rfcheck dossier``): JSON, HTML, PDF, plots.

:func:`write_unit` writes ``OUT/<unit>/dossier.json``, ``dossier.html``, ``dossier.pdf``
and ``plot_<port group>.png`` (one per mains line, one for the radiated polarisations
overlaid); :func:`write_summary` writes ``OUT/summary.json``. Every file is written
atomically.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from ..._version import __version__
from ...product.dossier import UnitDossier
from ...results import MARGIN_SIGN
from ...settings import Setup
from ..atomic import write_atomic
from ._rows import port_groups

__all__ = ["write_unit", "write_summary", "dossier_json"]


def dossier_json(d: UnitDossier) -> bytes:
    """``dossier.json`` of one unit (the issue-10 contract: ``units`` holds this unit)."""
    doc = {
        "rfcheck_version": __version__,
        "margin_sign": MARGIN_SIGN,
        "verdict": d.verdict.value,
        "units": [d.to_json()],
    }
    return json.dumps(doc, indent=2, ensure_ascii=False).encode("utf-8") + b"\n"


def write_unit(d: UnitDossier, folder: Path, formats: Sequence[str], setup: Setup | None) -> list[Path]:
    """Write the requested formats of one unit into ``folder`` (created)."""
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    plots: list[tuple[str, str]] = []
    pngs: list[tuple[str, bytes]] = []
    if "plots" in formats or "pdf" in formats:
        from .plots import port_group_png

        for name, ports in port_groups(d):
            title = f"{name} ({', '.join(ports)} overlaid)" if len(ports) > 1 else name
            png = port_group_png(d, title, ports)
            pngs.append((title, png))
            if "plots" in formats:
                fname = f"plot_{name}.png"
                written.append(write_atomic(folder / fname, png))
                plots.append((title, fname))
    if "json" in formats:
        written.append(write_atomic(folder / "dossier.json", dossier_json(d)))
    if "html" in formats:
        from .html import render_dossier_html

        written.append(write_atomic(
            folder / "dossier.html", render_dossier_html(d, setup.dut if setup else {}, plots)
        ))
    if "pdf" in formats:
        from .pdf import render_dossier_pdf

        written.append(write_atomic(folder / "dossier.pdf", render_dossier_pdf(d, setup, pngs)))
    return written


def write_summary(path: Path, data: bytes) -> Path:
    """Write ``OUT/summary.json`` atomically."""
    return write_atomic(path, data)
