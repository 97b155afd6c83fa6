"""Plain-text rendering of an explanation (the ``rfcheck explain`` output).

Renders an :class:`~rfcheck.explain.results.Explanation`. Untrusted text (paths, clock names)
is shown with control characters escaped (:func:`rfcheck.textsafe.printable`).
"""

from __future__ import annotations

from ..report.margin_text import fmt_margin
from ..textsafe import printable
from ..verdict.decision import RuleKind
from .attribution import hz_text
from .families import Family
from .results import CaptureExplanation, Explanation, RowExplanation

__all__ = ["render_explanation"]

#: Members listed per family before "... (N in all)".
_MAX_MEMBERS = 8


#: Width of the families' source column: at least the narrow one, at most the wide one (a
#: longer clock name runs past the column, the rows under it stay aligned).
_SOURCE_WIDTH = (24, 48)


def _families(families: list[Family]) -> list[str]:
    """Return one aligned line per family: source, fundamental, harmonics."""
    names = [printable(f.source) for f in families]
    fits = [len(n) for n in names if len(n) <= _SOURCE_WIDTH[1]]
    width = max([_SOURCE_WIDTH[0], *fits])
    out = []
    for name, f in zip(names, families, strict=True):
        shown = ", ".join(f"{n}" for n in f.harmonics[:_MAX_MEMBERS])
        more = f", ... ({len(f.harmonics)} in all)" if len(f.harmonics) > _MAX_MEMBERS else ""
        out.append(f"    {name:<{width}} f0 {hz_text(f.f0_hz):<14} harmonics {shown}{more}")
    return out


def _row(r: RowExplanation, show_decision: bool) -> str:
    who = (
        "; ".join(f"{printable(c.label)} ({c.error_hz:+.0f} Hz)" for c in r.attribution[:3])
        or "unexplained"
    )
    if len(r.attribution) > 3:
        who += f"; +{len(r.attribution) - 3} more"
    parts = [
        f"    {hz_text(r.frequency_hz):<14} {r.verdict:<12} "
        f"{printable(r.limit_id)} {printable(r.line):<3}"
        f" {fmt_margin(r.margin_db, r.bound):>7} dB  {who}"
    ]
    if show_decision and r.decision is not None:
        parts.append(
            f"      decision: {r.decision.verdict.value} (effective margin "
            f"{fmt_margin(r.decision.effective_margin_db, r.bound)} dB)"
        )
    if r.ambient is not None:
        if r.ambient.ambient_db is None:
            parts.append("      ambient: not measured here")
        else:
            flag = (
                f"AMBIENT (within {r.ambient.threshold_db:g} dB)"
                if r.ambient.is_ambient
                else "above ambient"
            )
            parts.append(f"      ambient {r.ambient.ambient_db:.2f} {printable(r.unit)}: {flag}")
    return "\n".join(parts)


def _capture(c: CaptureExplanation, show_decision: bool) -> list[str]:
    out = [f"{printable(c.path)}  (resolution {hz_text(c.resolution_hz)})"]
    out.append("  families:" if c.families else "  families: none found")
    out += _families(list(c.families))
    out.append("  emissions:" if c.rows else f"  emissions: none in the suspect table: {c.no_rows}")
    out += [_row(r, show_decision) for r in c.rows]
    if c.unexplained_hz:
        out.append(
            "  unexplained: " + ", ".join(hz_text(f) for f in dict.fromkeys(c.unexplained_hz))
        )
    if c.ambient_path is not None:
        out.append(f"  ambient capture: {printable(c.ambient_path)}")
        o = c.ambient_outcome
        if o is not None and o.note:
            out.append(f"    {o.note}")
        if o is not None and o.ambient_limited:
            out.append(
                "    FAIL -> INCONCLUSIVE (ambient-limited): only emissions within the "
                "ambient fail, at " + ", ".join(hz_text(f) for f in o.frequencies_hz)
            )
        if c.ambient_near_limit_hz:
            out.append(
                "    ambient near the limit (a DUT emission could hide there): "
                + ", ".join(f"{hz_text(a)}-{hz_text(b)}" for a, b in c.ambient_near_limit_hz)
            )
    return out


def render_explanation(ex: Explanation) -> str:
    """Return the text report.

    Decision rule, clocks, then per capture families, rows (with the rule's verdict unless the rule
    is ``simple``, where it is the row's own), ambient.
    """
    lines = [f"decision rule: {ex.decision_rule.text}"]
    if ex.clocks:
        lines.append(
            "clocks: "
            + "; ".join(f"{printable(c.name)} {hz_text(c.frequency_hz)}" for c in ex.clocks)
        )
    else:
        lines.append("clocks: none declared (families inferred from the data)")
    for c in ex.captures:
        lines.append("")
        lines += _capture(c, ex.decision_rule.kind is not RuleKind.SIMPLE)
    if ex.warnings:
        lines.append("")
        lines += [f"warning: {printable(w)}" for w in ex.warnings]
    return "\n".join(lines) + "\n"
