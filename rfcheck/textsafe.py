r"""Untrusted text made safe to print: the one sanitiser of every output edge.

File names, instrument metadata, setup strings and limit titles come from files a lab or an
attacker wrote. Printed raw, a line feed in a SigMF ``core:hw`` forges an ``overall
verdict: PASS`` line, an OSC sequence (``ESC ] ... BEL``) rewrites the terminal title or
clipboard, and U+202E (right-to-left override) makes ``evil\u202egnp.exe`` read as another
name. :func:`printable` replaces each such character by a visible escape (``\n``,
``\u001b``, ``\u202e``); every renderer (text, HTML after HTML-escaping, PDF, CSV cells,
plot titles) and every stderr line passes untrusted text through it.

The escapes are also valid JSON string escapes, so a serialised JSON document passed through
``printable(doc, keep_newlines=True)`` stays valid and decodes to the same data.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

__all__ = [
    "CELL_MAX_CHARS",
    "FIELD_MAX_CHARS",
    "Lines",
    "display_width",
    "field_lines",
    "json_safe",
    "pad",
    "printable",
    "shorten",
    "UNSAFE_CHARACTERS",
]

#: Characters :func:`printable` escapes: C0 controls, DEL, C1 controls, the Unicode bidi
#: controls (LRM, RLM, ALM, LRE..RLO, LRI..PDI), the line/paragraph separators, lone
#: surrogates (undecodable file-name bytes, which a UTF-8 stream cannot encode), and the
#: characters that print as nothing (soft hyphen, combining grapheme joiner, Mongolian vowel
#: separator, zero-width space / non-joiner / joiner, word joiner and invisible operators,
#: zero-width no-break space): ``NX\u200b-7`` must not read as the model ``NX-7``.
UNSAFE_CHARACTERS = (
    "\x00-\x1f\x7f-\x9f\xad\u034f\u061c\u180e\u200b-\u200f\u2028\u2029\u202a-\u202e"
    "\u2060-\u2064\u2066-\u2069\ufeff\ud800-\udfff"
)
_UNSAFE = re.compile(f"[{UNSAFE_CHARACTERS}]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match[str]) -> str:
    ch = match.group()
    return _NAMED.get(ch) or f"\\u{ord(ch):04x}"


def _escape_but_newline(match: re.Match[str]) -> str:
    ch = match.group()
    return ch if ch == "\n" else _escape(match)


def printable(text: object, *, keep_newlines: bool = False) -> str:
    r"""Untrusted text with every control and bidi character replaced by a visible escape.

    Parameters
    ----------
    text : object
        The text (anything else is converted with :class:`str`).
    keep_newlines : bool
        Keep ``\n`` raw: for a whole rendered document whose fields were sanitised already.
        Default False: a field is one line (``\n`` becomes the two characters ``\n``).

    Returns
    -------
    str
        ``text`` where each character of :data:`UNSAFE_CHARACTERS` is written as ``\n``,
        ``\r``, ``\t`` or ``\uXXXX``; everything else (printable Unicode, spaces) is kept.

    Examples
    --------
    >>> printable("Acme\noverall verdict: PASS")
    'Acme\\noverall verdict: PASS'
    >>> printable("\x1b]52;c;Zm9v\x07name")
    '\\u001b]52;c;Zm9v\\u0007name'
    """
    s = text if isinstance(text, str) else str(text)
    return _UNSAFE.sub(_escape_but_newline if keep_newlines else _escape, s)


class Lines(str):
    r"""Text rfcheck writes on several lines, each line one field.

    The string is the lines joined with line feeds (what JSON, CSV and plain text show); a
    renderer that keeps line breaks (a PDF or HTML cell) breaks between :attr:`lines` only
    and shows a line feed inside one as ``\n`` (:func:`field_lines`), so a setup value or
    file name holding ``"\nentry X: PASS"`` cannot print a line of its own. A plain ``str``
    is one field.
    """

    lines: tuple[str, ...]

    def __new__(cls, lines: Iterable[object]) -> Lines:
        """Return the text of ``lines`` (each converted with :class:`str`)."""
        parts = tuple(str(line) for line in lines)
        text = super().__new__(cls, "\n".join(parts))
        text.lines = parts
        return text

    def __getnewargs__(self) -> tuple[tuple[str, ...]]:  # type: ignore[override]
        """Pickle as the lines (a batch or dossier worker returns them)."""
        return (self.lines,)


def field_lines(text: object) -> list[str]:
    r"""Return ``text`` as printable lines: each of :class:`Lines`, else the one field.

    Every line is :func:`printable` (a line feed inside a field is the two characters ``\n``);
    the caller joins them with its own line break (``<br/>``, ``<br>``).
    """
    if isinstance(text, Lines):
        return [printable(line) for line in text.lines]
    return [printable(text)]


#: Longest untrusted text in one PDF paragraph (a check report's field, a record's fact): a
#: longer one (a 3,000-character label, a 100 kB setup string) is cut with a note
#: (:func:`shorten`) so that a table row always fits on a page; the JSON keeps it whole.
FIELD_MAX_CHARS = 600

#: Longest untrusted text in one cell of a PDF table of narrow columns (a data row, the
#: record's equipment or cables): a narrow column wraps it one letter per line.
CELL_MAX_CHARS = 200


def shorten(text: object, max_chars: int) -> str:
    """:func:`printable` text cut to ``max_chars`` characters, with a note saying so.

    For report fields of bounded room (PDF cells, plot titles): a 3,000-character label is
    cut to ``max_chars`` and ends in ``… [N characters cut]``.
    """
    s = printable(text)
    if len(s) <= max_chars:
        return s
    cut = len(s) - max_chars
    return f"{s[:max_chars]}\u2026 [{cut} characters cut]"


def display_width(text: str) -> int:
    """Return the columns ``text`` takes on a terminal: wide (CJK) characters take two.

    East Asian wide and fullwidth characters take two columns, combining marks none
    (Unicode UAX #11; what terminals do), everything else one. For aligning tables of
    untrusted names (:func:`printable` text) in a fixed-width font.
    """
    return sum(
        0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1
        for c in text
    )


def pad(text: str, width: int) -> str:
    """Return ``text`` left-aligned in ``width`` terminal columns (:func:`display_width`)."""
    return text + " " * max(0, width - display_width(text))


def json_safe(document: str) -> str:
    r"""Return serialised JSON with every :data:`UNSAFE_CHARACTERS` character as its escape.

    ``json.dumps(..., ensure_ascii=False)`` escapes the C0 controls inside strings but keeps
    bidi controls, zero-width characters and lone surrogates raw. A file name with bytes that
    are not UTF-8 (``bad\xffname.csv``, a Latin-1 name from an old archive) reaches Python as
    a lone surrogate (``\udcff``), which no UTF-8 stream can encode: every JSON output
    stopped with a UnicodeEncodeError; a U+202E in a setup string reversed the text after it
    in a viewer. Written as ``\uXXXX`` each is valid JSON and decodes to the same string, so
    the JSON keeps the exact text and shows where the invisible characters are. Outside
    strings a JSON document holds only ASCII whitespace; its line feeds are kept.

    Examples
    --------
    >>> json_safe('{"path": "bad\udcffname.csv"}')
    '{"path": "bad\\udcffname.csv"}'
    >>> json_safe('{"model": "NX\u200b-7 \u202eabc"}')
    '{"model": "NX\\u200b-7 \\u202eabc"}'
    """
    return printable(document, keep_newlines=True)
