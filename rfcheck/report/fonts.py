"""The PDF documents' fonts and palette.

One home for every reportlab document rfcheck writes (per-capture reports, dossiers, the customs
record).

DejaVu Sans (shipped with matplotlib, a dependency) is registered as a TrueType font, so it is
embedded (subset) in every PDF and any Unicode in metadata or setup text renders.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib as mpl
from reportlab.lib import colors
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from ._verdict_text import VERDICT_COLOURS  # the verdict palette, for documents outside report/

__all__ = [
    "FONT",
    "BOLD",
    "MONO",
    "register_fonts",
    "INK",
    "MUTED",
    "RULE",
    "HEAD_BG",
    "ZEBRA",
    "VERDICT_COLOURS",
]

#: Registered face names: body, bold and monospace.
FONT, BOLD, MONO = "RfSans", "RfSans-Bold", "RfMono"

INK = colors.HexColor("#1d2733")
MUTED = colors.HexColor("#5f6368")
RULE = colors.HexColor("#c9ced6")
HEAD_BG = colors.HexColor("#27374d")
ZEBRA = colors.HexColor("#f3f5f8")


def register_fonts() -> None:
    """Register the DejaVu faces once per process (reportlab keeps a global registry)."""
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    ttf = Path(mpl.get_data_path()) / "fonts" / "ttf"
    pdfmetrics.registerFont(TTFont(FONT, str(ttf / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(BOLD, str(ttf / "DejaVuSans-Bold.ttf")))
    pdfmetrics.registerFont(TTFont(MONO, str(ttf / "DejaVuSansMono.ttf")))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=BOLD, italic=FONT, boldItalic=BOLD)
