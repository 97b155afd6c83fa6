"""A spreadsheet's re-save of a text export, undone before the export is read.

Opening an instrument's CSV in a spreadsheet and saving it again pads every line with
separators up to the widest row (``# rbw_hz: 9000,,``), quotes a comment that holds a
separator (``"# note: run 1, L1",,``), writes lines of separators only (``,,,``) and, for
another locale, a first line ``sep=;``. :func:`as_written` gives the lines back as the
instrument wrote them (docs/formats.md, "generic-csv").
"""

from __future__ import annotations

import re

__all__ = ["as_written"]

#: A first field in quotes, then empty fields only: a spreadsheet's re-save of a comment
#: holding a separator (``"# note: run 1, L1",,``) or of every field quoted.
_QUOTED_LINE = re.compile(r'^\s*"((?:[^"]|"")*)"[\s,;\t"]*$')
#: The empty fields a spreadsheet pads a short row with, up to the widest row's count.
_PADDING = re.compile(r'[,;\t][\s,;\t"]*$')
#: Excel's separator line (``sep=;``), first in a file it writes for another locale.
_SEP_LINE = re.compile(r"^\s*sep=([,;\t])\s*$", re.IGNORECASE)


def as_written(lines: list[str]) -> tuple[list[str], str | None]:
    """Return the head's lines as written before a spreadsheet re-saved them, and its ``sep=``.

    Comment lines lose their padding separators and the quotes around a whole comment; a
    line of empty fields only becomes blank; a first line ``sep=;`` becomes blank and its
    separator is returned. Other lines are as read (lines keep their numbers).
    """
    out: list[str] = []
    sep = None
    for i, line in enumerate(lines):
        m = _QUOTED_LINE.match(line)
        if m and m.group(1).lstrip().startswith("#"):
            line = m.group(1).replace('""', '"')
        stripped = line.strip()
        if i == 0 and (hint := _SEP_LINE.match(line.lstrip("\ufeff"))):
            sep, line = hint.group(1), ""
        elif not stripped.strip(',;\t" '):
            line = ""
        elif stripped.startswith("#"):
            line = _PADDING.sub("", line)
        out.append(line)
    return out, sep
