"""The back of the check's PDF report: correction chain, limit tables, provenance appendix.

The correction chain as applied to each group of captures and the transducer files with
their SHA-256; each limit table applied with its source clause, status and segments at the
measurement distance; then every file the run read with its SHA-256, the rfcheck version,
the command, the decision rule and the settings (per capture where they differ).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, PageBreak, Paragraph, Spacer

from ..outcome import Verdict
from ..results import InputFile, RunResult
from . import _common as C
from . import _pdfkit as K
from ._limit_tables import LIMIT_SEGMENT_HEADERS, limit_tables
from .fonts import BOLD
from .pdftext import markup_escape

__all__ = ["chain_and_limits", "appendix"]


def chain_and_limits(run: RunResult, width: float, st: dict[str, ParagraphStyle]) -> list[Any]:
    """Return the correction chain section and the limit tables section."""
    out: list[Any] = [
        PageBreak(),
        K.p("Correction chain", st["h1"]),
        K.p(
            "Level = reading + \u03a3 corrections (antenna factor, cable loss, LISN "
            "factor, attenuator; preamplifier gain subtracted).",
            st["small"],
        ),
    ]
    chains: dict[tuple[str, ...], list[str]] = {}
    for c in run.captures:
        chains.setdefault(c.corrections, []).append(c.path)
    for chain, paths in chains.items():
        who = "all captures" if len(paths) == len(run.captures) else ", ".join(paths)
        out.append(K.p(f"Applied to {who}:", st["h2"]))
        if not chain:
            out.append(K.p("No correction applied (readings taken as levels).", st["small"]))
        for k, item in enumerate(chain, 1):
            out.append(K.p(f"{k}. {item}", st["small"]))
    files = [i for i in run.inputs if i.role == "transducer"]
    if files:
        out.append(K.p("Transducer files used", st["h2"]))
        rows: list[list[Any]] = [[Paragraph(h, st["head"]) for h in ("File", "SHA-256")]]
        rows += [[K.p(i.path, st["cellwrap"]), K.p(i.sha256, st["mono"])] for i in files]
        out.append(K.table(rows, [0.44 * width, 0.56 * width]))

    out += [Spacer(1, 4 * mm), K.p("Limit tables", st["h1"])]
    tables = limit_tables(run)
    if not tables:
        out.append(K.p("No limit table was applied.", st["small"]))
    else:
        out.append(K.p(C.STATUS_LEGEND, st["muted"]))
    for lid, desc, segment_rows in tables:
        block = _limit_block(lid, desc, segment_rows, width, st)
        out.append(KeepTogether(block[:3]))
        out += block[3:]
    return out


def _limit_block(
    lid: str,
    desc: dict[str, Any],
    segment_rows: Sequence[Sequence[str]],
    width: float,
    st: dict[str, ParagraphStyle],
) -> list[Any]:
    """Return one limit table: heading, UNCONFIRMED note, source facts, segments, note."""
    _lid, title, info, unconfirmed = C.describe_limit(desc)
    block: list[Any] = [K.p(f"{lid} \u2014 {title}" if title else lid, st["h2"])]
    if unconfirmed:
        block.append(
            Paragraph(
                f'<font name="{BOLD}" color="{C.VERDICT_COLOURS[Verdict.INCONCLUSIVE]}">'
                "UNCONFIRMED: at least one value of this table is not confirmed "
                "from the primary source; verify before relying on it.</font>",
                st["small"],
            )
        )
    if info:
        block.append(K.table(_item_rows(info, st), [0.24 * width, 0.76 * width]))
        block.append(Spacer(1, 2 * mm))
    if segment_rows:
        seg: list[list[Any]] = [
            [Paragraph(markup_escape(h), st["head"]) for h in LIMIT_SEGMENT_HEADERS]
        ]
        seg += [[K.p(x, st["cell"]) for x in r] for r in segment_rows]
        block.append(K.table(seg, [f * width for f in (0.1, 0.16, 0.14, 0.14, 0.16, 0.16, 0.14)]))
        block.append(
            K.p(
                "Values at the measurement distance, as applied; where start and "
                "end differ the limit falls linearly with log(frequency). At a "
                "boundary frequency the lower limit applies.",
                st["muted"],
            )
        )
    return block


def appendix(run: RunResult, rid: str, width: float, st: dict[str, ParagraphStyle]) -> list[Any]:
    """Return the provenance appendix: every input with its SHA-256, the run's facts, settings."""
    out: list[Any] = [
        PageBreak(),
        K.p("Appendix: provenance", st["h1"]),
        K.p(
            "Every file this analysis read, with its SHA-256. The results apply "
            "only to these captures.",
            st["small"],
        ),
        Spacer(1, 2 * mm),
    ]
    rows: list[list[Any]] = [[Paragraph(h, st["head"]) for h in ("Role", "File", "SHA-256")]]
    inputs = list(run.inputs)
    listed = {(i.role, i.path) for i in inputs}
    for c in run.captures:  # captures the pipeline did not list (e.g. unreadable ones)
        if ("capture", c.path) not in listed:
            inputs.insert(0, InputFile("capture", c.path, c.sha256 or "unreadable"))
    for i in inputs:
        rows.append(
            [K.p(i.role, st["cell"]), K.p(i.path, st["cellwrap"]), K.p(i.sha256, st["mono"])]
        )
    out += [K.table(rows, [0.13 * width, 0.31 * width, 0.56 * width]), Spacer(1, 4 * mm)]
    info = [
        ("Report id", rid),
        ("rfcheck version", run.version),
        ("Issued (UTC)", C.issued_text(run)),
        ("Margin sign", C.MARGIN_NOTE),
        ("Decision rule", C.decision_rule_text(run)),
        *(("Warning", w) for w in run.explain_warnings),
    ]
    rows = _item_rows(info, st)
    rows.append([K.p("Command", st["cell"]), K.p(run.command or "not recorded", st["mono"])])
    if run.settings or run.settings_note:
        rows.append([K.p("Settings", st["cell"]), K.p(C.settings_note(run), st["cellwrap"])])
    for k, val in C.settings_rows(run.settings):
        rows.append([K.p(f"Setting: {k}", st["cell"]), K.p(val, st["cellwrap"])])
    out.append(K.table(rows, [0.22 * width, 0.78 * width]))
    if C.capture_settings_differ(run):
        for c in run.captures:
            if not c.settings:
                continue
            rows = _item_rows(C.settings_rows(c.settings), st, item="Effective setting")
            out += [
                Spacer(1, 3 * mm),
                K.p(f"Settings used for {c.path}", st["h2"]),
                K.table(rows, [0.22 * width, 0.78 * width]),
            ]
    return out


def _item_rows(
    items: Sequence[tuple[str, str]], st: dict[str, ParagraphStyle], *, item: str = "Item"
) -> list[list[Any]]:
    """Return the rows of a two-column table: an ``item``/``Value`` heading, one row per pair."""
    rows: list[list[Any]] = [[Paragraph(item, st["head"]), Paragraph("Value", st["head"])]]
    rows += [[K.p(k, st["cell"]), K.p(v, st["cellwrap"])] for k, v in items]
    return rows
