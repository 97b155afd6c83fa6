"""The one HTML page skeleton and style sheet.

Shared by the per-capture report, the batch summary page and the ``lot`` and ``compare``
pages (and any later HTML page).

Every page is self-contained: inline CSS, no scripts, no remote resources, and a
Content-Security-Policy that forbids them as a second line of defence. Every string read from
a file or a setup goes through :func:`esc`. The verdict colours are those of the plots and the
PDF (``VERDICT_COLOURS``): ``.PASS`` etc. colour a banner, ``.v-PASS`` etc. a word.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape

from ..textsafe import printable
from ._common import VERDICT_COLOURS

__all__ = ["CSP", "CSS", "esc", "page", "table"]

_LAYOUT_CSS = """
:root{--ink:#1d2733;--muted:#5f6368;--rule:#c9ced6;--head:#27374d;--zebra:#f3f5f8}
*{box-sizing:border-box}
body{font-family:"DejaVu Sans",Verdana,Arial,sans-serif;color:var(--ink);margin:0 auto;
max-width:60rem;padding:1.5rem;font-size:13px;line-height:1.45}
h1{font-size:1.6rem;margin:.2rem 0}h2{font-size:1.2rem;margin:2rem 0 .5rem;
border-bottom:2px solid var(--head);padding-bottom:.2rem}h3{font-size:1rem;margin:1.2rem 0 .4rem}
.muted{color:var(--muted)}.sub{color:var(--muted);font-size:1.05rem}
.mono{font-family:"DejaVu Sans Mono",Consolas,monospace;font-size:.82rem;word-break:break-all}
.verdict{color:#fff;padding:.8rem 1.2rem;margin:1rem 0}
.verdict .big{font-size:2rem;font-weight:bold;text-align:center;letter-spacing:.03em}
.verdict p{margin:.2rem 0}
"""

_TABLE_CSS = """.statement{border:1.5px solid var(--ink);background:var(--zebra);
padding:.6rem .9rem;margin:1rem 0}
.warn{color:#b86e00;font-weight:bold}
table{border-collapse:collapse;width:100%;margin:.4rem 0 1rem;font-size:.85rem}
th{background:var(--head);color:#fff;text-align:left;padding:.25rem .4rem;font-weight:bold}
td{padding:.22rem .4rem;border-bottom:1px solid var(--rule);vertical-align:top}
tbody tr:nth-child(even) td{background:var(--zebra)}
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.grid2{display:grid;grid-template-columns:1fr 1fr;gap:1rem}
table.kv td:first-child{width:40%;color:var(--muted)}
.notstated{color:var(--muted);font-style:italic}
pre,code{font-family:"DejaVu Sans Mono",Consolas,monospace}
pre{font-size:.78rem;background:var(--zebra);padding:.6rem .8rem;overflow-x:auto}
code{font-size:.82rem;word-break:break-all}
figure{margin:.5rem 0}figure svg,figure img{width:100%;height:auto;display:block}
figcaption{color:var(--muted);font-size:.8rem}
footer{margin-top:2rem;border-top:1px solid var(--rule);padding-top:.4rem;color:var(--muted);
font-size:.8rem}
@page{size:A4;margin:14mm}
@media print{body{max-width:none;padding:0;font-size:10px}
pre{white-space:pre-wrap;overflow-wrap:anywhere;overflow:visible}
section.capture,section.appendix{break-before:page}thead{display:table-header-group}
tr,figure{break-inside:avoid}.verdict,"""


def _verdict_css() -> tuple[str, str, str]:
    """Banner classes, word classes and the print-colour selector list, one per verdict."""
    banners = "".join(f".{v.value}{{background:{c}}}" for v, c in VERDICT_COLOURS.items())
    words = "".join(
        f".v-{v.value}{{color:{c};font-weight:bold}}" for v, c in VERDICT_COLOURS.items()
    )
    selectors = ",".join(f".{v.value}" for v in VERDICT_COLOURS)
    return banners, words, selectors


def _css() -> str:
    banners, words, selectors = _verdict_css()
    return (
        _LAYOUT_CSS
        + banners
        + "\n"
        + words
        + "\n"
        + _TABLE_CSS
        + selectors
        + ",th{\n-webkit-print-color-adjust:exact;print-color-adjust:exact}}\n"
    )


#: The style sheet of every rfcheck HTML page.
CSS = _css()

#: Content-Security-Policy of every rfcheck HTML page: no scripts, no remote resources.
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


def esc(x: object) -> str:
    """Escape ``str(x)`` for HTML text and attribute values (quotes included).

    Then every control and bidi character shown as a visible escape
    (:func:`rfcheck.textsafe.printable`).
    """
    return printable(escape(str(x), quote=True))


def table(
    head: Sequence[str], rows: Iterable[Sequence[str]], cls: str = "", num: Sequence[int] = ()
) -> str:
    """Build a table from *already escaped* cells.

    Parameters
    ----------
    head : sequence of str
        Header cells (escaped HTML).
    rows : iterable of sequence of str
        Body rows (escaped HTML).
    cls : str
        CSS class of the table ("" = none).
    num : sequence of int
        Indexes of right-aligned numeric columns.
    """
    out = [f'<table class="{cls}">' if cls else "<table>", "<thead><tr>"]
    out += [f"<th>{h}</th>" for h in head]
    out.append("</tr></thead><tbody>")
    for r in rows:
        cells = [
            f'<td class="num">{c}</td>' if i in num else f"<td>{c}</td>" for i, c in enumerate(r)
        ]
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def page(title: str, body: Sequence[str], *, version: str) -> bytes:
    """Build a complete HTML5 page around ``body``.

    Parameters
    ----------
    title : str
        Page title (plain text; escaped here).
    body : sequence of str
        The page's HTML parts (escaped by the caller), joined by line feeds.
    version : str
        rfcheck version, for the ``generator`` meta tag.

    Returns
    -------
    bytes
        UTF-8 document with :data:`CSS` inline, :data:`CSP`, ending in a line feed.
    """
    head = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta name="generator" content="rfcheck {esc(version)}">',
        f"<title>{esc(title)}</title><style>{CSS}</style></head><body>",
    ]
    return ("\n".join([*head, *body]) + "</body></html>\n").encode("utf-8")
