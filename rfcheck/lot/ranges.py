"""Which range a unit's verdict and the lot's statistics judged, when a range was requested.

The setup's ``range_hz`` (``[check]``) narrows every unit's own ``check`` verdict to part
of what the limit lines require; that verdict then reads ``PASS (over 30-500 MHz only, the
requested range; the lines are required over 30-1000 MHz)``
(:mod:`rfcheck.report.range_text`). The lot repeats it: the unit column carries the
qualifier, the 80/80 statistics judge no reading outside the requested range (as the units'
own verdicts do not) and say so, and a lot PASS names the range it holds over
(``docs/lot.md``, "Requested range").
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from ..frequency import format_mhz_range
from ..outcome import Verdict
from ..report.range_text import range_note
from .emissions import EmissionList

__all__ = [
    "narrowed_ports",
    "range_qualifier",
    "range_lines",
    "statistics_range_note",
    "statistics_range_line",
]

#: ``(judged, required)`` ranges [Hz] -> the ports judged over that range only.
Narrowed = dict[tuple[tuple[float, float], tuple[float, float]], list[str]]


def narrowed_ports(captures: Iterable[Mapping[str, EmissionList]]) -> Narrowed:
    """Return the ports a requested range narrows, by judged and required range.

    ``captures``: each unit's port -> emissions; a port is named once whatever the number
    of units it is narrowed on (a lot's units share their setup).
    """
    out: Narrowed = {}
    for caps in captures:
        for port, el in caps.items():
            judged, required = el.judged_range_hz, el.required_range_hz
            if judged is None or required is None:
                continue
            ports = out.setdefault((judged, required), [])
            if port not in ports:
                ports.append(port)
    return out


def _where(narrowed: Narrowed) -> str:
    """``H, V over 30-500 MHz only``; several ranges joined with ``; ``."""
    return "; ".join(
        f"{', '.join(ports)} over {format_mhz_range(*judged, apart=required)} only"
        for (judged, required), ports in narrowed.items()
    )


def range_qualifier(verdict: Verdict, captures: Iterable[Mapping[str, EmissionList]]) -> str:
    """Return what a PASS adds when a requested range narrows it ("" otherwise).

    ``H, V over 30-500 MHz only, the requested range`` beside a unit's or the lot's PASS
    (the unit column, the lot verdict line and banner); "" for another verdict, as
    :func:`rfcheck.report.range_text.range_note`.
    """
    narrowed = narrowed_ports(captures)
    if verdict is not Verdict.PASS or not narrowed:
        return ""
    return f"{_where(narrowed)}, the requested range"


def range_lines(verdict: Verdict, captures: Mapping[str, EmissionList]) -> tuple[str, ...]:
    """Return a PASS unit's qualifier per port, in the check report's words (() otherwise).

    ``H: PASS over 30-500 MHz only, the requested range; the lines are required over
    30-1000 MHz`` (:func:`rfcheck.report.range_text.range_note`), one line per range.
    """
    if verdict is not Verdict.PASS:
        return ()
    out = []
    for (judged, required), ports in narrowed_ports([captures]).items():
        note = range_note(Verdict.PASS, judged, required)
        out.append(f"{', '.join(ports)}: PASS {note}")
    return tuple(out)


def statistics_range_note(captures: Iterable[Mapping[str, EmissionList]]) -> str:
    """Return the note saying the statistics judge the requested range only ("": none asked).

    ``requested range (the setup's range_hz): the units' own verdicts and the 80/80
    statistics judge H, V over 30-500 MHz only (the lines are required over 30-1000 MHz); no
    reading outside it is judged, and the lot verdict says nothing of the rest``.
    """
    narrowed = narrowed_ports(captures)
    if not narrowed:
        return ""
    by_required: dict[tuple[float, float], list[str]] = {}
    for (_, req), ports in narrowed.items():
        named = by_required.setdefault(req, [])
        named += [p for p in ports if p not in named]
    required = (
        format_mhz_range(*next(iter(by_required)))
        if len(by_required) == 1
        else "; ".join(f"{', '.join(p)} {format_mhz_range(*r)}" for r, p in by_required.items())
    )
    return (
        "requested range (the setup's range_hz): the units' own verdicts and the 80/80 "
        f"statistics judge {_where(narrowed)} (the lines are required over {required}); no "
        "reading outside it is judged, and the lot verdict says nothing of the rest"
    )


def statistics_range_line(captures: Iterable[Mapping[str, EmissionList]]) -> str:
    """Return the line under the statistics' title when a range was requested ("": none).

    ``over the requested range only: H, V over 30-500 MHz only (the setup's range_hz); no
    reading outside it is judged, as no unit's own verdict judges one``.
    """
    narrowed = narrowed_ports(captures)
    if not narrowed:
        return ""
    return (
        f"over the requested range only: {_where(narrowed)} (the setup's range_hz); no reading "
        "outside it is judged, as no unit's own verdict judges one"
    )
