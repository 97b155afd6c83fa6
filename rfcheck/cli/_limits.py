"""``rfcheck limits list|show ID|validate FILE``: the shipped limit library and user files.

FCC id naming: the suffix is the device class, not the CFR paragraph letter
(``fcc-15.107-a`` = Class A = 47 CFR 15.107(b); ``fcc-15.109-b`` = Class B @ 3 m = 15.109(a)).
"""

from __future__ import annotations

import json

import click

from ..frequency import mhz_number
from ..limits import LimitTable, load_limit_file, load_shipped, resolve_limit, shipped_ids
from ..textsafe import json_safe
from ._common import echo, handle_errors, output_option

__all__ = ["limits_group"]

NAMING_NOTE = (
    "FCC ids: the suffix is the device CLASS, not the CFR paragraph letter - "
    "fcc-15.107-a = Class A (47 CFR 15.107(b)), fcc-15.107-b = Class B (15.107(a)), "
    "fcc-15.109-a = Class A @ 10 m (15.109(b)), fcc-15.109-b = Class B @ 3 m (15.109(a))."
)


@click.group("limits")
def limits_group() -> None:
    """Use the limit library: list the shipped tables, show one, validate a user file."""


@limits_group.command("list")
@output_option("text", "json")
@handle_errors
def list_cmd(output_format: str) -> None:
    """List the shipped limit tables (id, port, distance, status, title)."""
    tables = [load_shipped(i) for i in shipped_ids()]
    if output_format == "json":
        rows = [
            {
                k: t.describe()[k]
                for k in ("id", "title", "source", "port", "distance_m", "unit", "status", "lines")
            }
            for t in tables
        ]
        echo(
            json_safe(
                json.dumps({"naming": NAMING_NOTE, "limits": rows}, indent=2, ensure_ascii=False)
            )
        )
        return
    for t in tables:
        dist = f"{t.distance_m:g} m" if t.distance_m else "-"
        lines = "/".join(t.line_names)
        echo(f"{t.id:<24} {t.port:<10} {dist:<6} {lines:<9} {t.status:<12} {t.title}")
    echo("")
    echo(NAMING_NOTE)
    echo("Status: P primary text, S secondary source, D derived, UNCONFIRMED not verified.")


def _show_text(t: LimitTable) -> str:
    out = [
        f"id:        {t.id}",
        f"title:     {t.title}",
        f"source:    {t.source}",
        f"edition:   {t.edition}",
        f"retrieved: {t.retrieved}",
        f"port:      {t.port}" + (f", specified at {t.distance_m:g} m" if t.distance_m else ""),
        f"unit:      {t.unit.value} (values printed in the file as {t.native_unit})",
        f"status:    {t.status}",
        f"edge rule: {t.edge_rule} (the lower limit applies at a shared segment edge)",
        "lines:     " + ", ".join(f"{ln.name} = {ln.detector.value}" for ln in t.lines),
    ]
    if t.port == "radiated":
        rule = (
            "re-expressed at other distances by 47 CFR 15.31(f)"
            if t.distance_rule == "fcc-15.31f"
            else "not re-expressed at other distances"
        )
        out.append(f"distance:  {rule}")
    if t.notes:
        out.append(f"notes:     {t.notes}")
    out.append("")
    out.append(f"{'FROM MHz':>10} {'TO MHz':>10}  {'INTERP':<7} LEVELS [{t.unit.value}]")
    for s in t.segments:
        levels = []
        for name, lv in s.levels.items():
            val = (
                f"{lv.start_db:.2f}"
                if lv.start_db == lv.stop_db
                else f"{lv.start_db:.2f}->{lv.stop_db:.2f}"
            )
            flag = " UNCONFIRMED" if lv.status == "UNCONFIRMED" else f" [{lv.status}]"
            levels.append(f"{name} {val}{flag}")
        start = mhz_number(s.start_hz) if s.include_start else f">{mhz_number(s.start_hz)}"
        span = f"{start:>10} {mhz_number(s.stop_hz):>10}"
        out.append(f"{span}  {s.interpolation:<7} " + "; ".join(levels))
    if not all(s.include_start for s in t.segments):
        out.append(">FROM: the segment starts just above FROM (FROM itself is not in it)")
    for u in t.unconfirmed():
        out.append(f"WARNING: {u}")
    if t.id.startswith("fcc-"):
        out.append("")
        out.append(NAMING_NOTE)
    return "\n".join(out)


@limits_group.command("show")
@click.argument("limit", metavar="ID|FILE")
@output_option("text", "json")
@handle_errors
def show_cmd(limit: str, output_format: str) -> None:
    """Show a limit table: provenance, lines, segments, status of every value."""
    t = resolve_limit(limit)
    if output_format == "json":
        doc = t.describe()
        doc["segments"] = [
            {
                "start_hz": s.start_hz,
                "stop_hz": s.stop_hz,
                "include_start": s.include_start,
                "interpolation": s.interpolation,
                "status": s.status,
                "levels": {
                    n: {
                        "start": round(lv.start_db, 4),
                        "stop": round(lv.stop_db, 4),
                        "status": lv.status,
                    }
                    for n, lv in s.levels.items()
                },
            }
            for s in t.segments
        ]
        echo(json_safe(json.dumps(doc, indent=2, ensure_ascii=False)))
        return
    echo(_show_text(t))


@limits_group.command("validate")
@click.argument("file", metavar="FILE")
@handle_errors
def validate_cmd(file: str) -> None:
    """Check a user limit file; prints one line and exits 0, or the error and exits 3.

    A file that takes a shipped table's id must hold that table itself.
    """
    t = load_limit_file(file)
    n = len(t.segments)
    # a shipped id loads only when the file holds the shipped table itself
    copy = (
        "; the same table as the shipped one"
        if t.id in shipped_ids()
        else " as the file states: its form is checked, not its values against the regulation"
    )
    echo(
        f"{file}: OK: {t.id} ({t.port}, {'/'.join(t.line_names)}, {n} segment{'s' * (n != 1)}, "
        f"status {t.status}{copy})"
    )
    for u in t.unconfirmed():
        echo(f"WARNING: {u}", err=True)
