"""The report's limit-table section as data.

Each applied table with its description (:func:`describe_limit`: title, clause, edition,
status, file and SHA-256) and its segment rows (HTML and PDF render the same rows).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..plotted import PlotLimit
from ..results import RunResult
from ._format import fmt_freq_mhz, fmt_num
from ._segments import limit_segments

__all__ = ["LIMIT_SEGMENT_HEADERS", "limit_tables", "describe_limit"]

LIMIT_SEGMENT_HEADERS = (
    "Line", "Detector", "From [MHz]", "To [MHz]", "Limit at start", "Limit at end", "Unit",
)  # fmt: skip


def limit_tables(run: RunResult) -> list[tuple[str, dict[str, Any], list[tuple[str, ...]]]]:
    """Return every limit table the run applied, in first-use order.

    Its id, its description (from
    the captures' ``limits``) and its segment rows (:data:`LIMIT_SEGMENT_HEADERS`), rebuilt
    from the plotted limit lines at the measurement distance.
    """
    seen: dict[str, dict[str, Any]] = {}
    plotted: dict[tuple[str, str], PlotLimit] = {}
    for c in run.captures:
        for lim in c.limits:
            seen.setdefault(str(lim.get("id", "")), dict(lim))
        for pl in c.plot_limits:
            plotted.setdefault((pl.limit_id, pl.line), pl)
    out: list[tuple[str, dict[str, Any], list[tuple[str, ...]]]] = []
    for lid in dict.fromkeys([*seen, *(k[0] for k in plotted)]):
        rows: list[tuple[str, ...]] = [
            (
                pl.line, pl.detector, fmt_freq_mhz(f0), fmt_freq_mhz(f1),
                fmt_num(y0), fmt_num(y1), pl.unit,
            )
            for (pid, _line), pl in plotted.items()
            if pid == lid
            for f0, f1, y0, y1 in limit_segments(pl)
        ]  # fmt: skip
        out.append((lid, seen.get(lid, {"id": lid}), rows))
    return out


#: Limit-table keys rendered by :func:`describe_limit` itself (the rest get a row each).
_LIMIT_KEYS_SHOWN = {
    "id", "title", "source", "edition", "retrieved", "port", "distance_m",
    "measurement_distance_m", "distance", "distance_note", "status", "unconfirmed", "path",
    "sha256", "lines", "unit", "native_unit", "edge_rule", "regime", "device_class",
}  # fmt: skip


def _limit_text(v: Any) -> str:
    if v is None or isinstance(v, bool):
        return "" if v is None else ("yes" if v else "no")
    if isinstance(v, float):
        return f"{v:g}"
    if isinstance(v, Mapping):
        return ", ".join(f"{a}: {b}" for a, b in v.items())
    if isinstance(v, list | tuple):
        return "; ".join(str(x) for x in v)
    return str(v).strip()


#: Package resource prefix of the shipped limit tables (``limits/`` in the repository).
_SHIPPED_PREFIX = "rfcheck.limit_tables/"


def _limit_file(path: str) -> str:
    """Name a limit table's file for the report.

    A shipped table by its place in the repository (``limits/fcc-15.109-b.toml``), with the
    installed resource it is read from; any other path as recorded.
    """
    if not path.startswith(_SHIPPED_PREFIX):
        return path
    name = path.removeprefix(_SHIPPED_PREFIX)
    return f"limits/{name} (installed as {path})"


def describe_limit(lim: Mapping[str, Any]) -> tuple[str, str, list[tuple[str, str]], bool]:
    """Return ``(id, title, [(label, value), ...], unconfirmed)`` for a limits entry.

    For a ``CaptureResult.limits`` entry: readable rows (Title, Regulation (clause), Text checked
    (the date), Edition and sources (where: the ``docs/references.md`` section), Port, Distance and
    conversion, Status, File + SHA-256, then any other key the loader records), empty values
    left out; ``unconfirmed`` is True when any value mentions it (``unconfirmed = true``, a
    non-empty ``unconfirmed`` list, ``status = "UNCONFIRMED"``).
    """
    t = {k: _limit_text(v) for k, v in lim.items()}
    unconfirmed = any(
        ("unconfirmed" in k.lower() and v is True) or "unconfirmed" in t[k].lower()
        for k, v in lim.items()
    )
    dist = f"{t['distance_m']} m" if t.get("distance_m") else t.get("distance", "")
    if t.get("measurement_distance_m"):
        dist += f"; measured at {t['measurement_distance_m']} m"
    status = t.get("status", "")
    if t.get("unconfirmed") and not isinstance(lim.get("unconfirmed"), bool):
        status = "; ".join(x for x in (status, f"unconfirmed: {t['unconfirmed']}") if x)
    elif lim.get("unconfirmed") is True:
        status = "; ".join(x for x in (status, "unconfirmed") if x)
    rows = [
        ("Title", t.get("title", "")),
        ("Regulation (clause)", t.get("source", "")),
        ("Text checked", t.get("retrieved", "")),
        ("Edition and sources", t.get("edition", "")),
        ("Port", t.get("port", "")),
        ("Distance and conversion", "; ".join(x for x in (dist, t.get("distance_note", "")) if x)),
        ("Status", status),
        (
            "File + SHA-256",
            "  ".join(x for x in (_limit_file(t.get("path", "")), t.get("sha256", "")) if x),
        ),
    ]
    rows += [
        (k.replace("_", " ").capitalize(), t[k]) for k in sorted(t) if k not in _LIMIT_KEYS_SHOWN
    ]
    return str(lim.get("id", "")), t.get("title", ""), [(k, v) for k, v in rows if v], unconfirmed
