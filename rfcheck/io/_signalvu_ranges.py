"""The frequency ranges of a Tektronix SignalVu-PC EMC-EMI display export.

The ``[Parameters]`` section states the scan's ranges as a ``Ranges,,A,,B,,`` row and a
column per range (``Enabled``, ``Start Frequency``, ``Stop Frequency``, ``RBW``). The scan
exports one trace across every enabled range, each measured with its own RBW (typically
9 kHz below 30 MHz, 120 kHz above): :class:`EmcRanges` says which span the ranges cover
(data that do not reach it are noted) and splits a trace per range when their RBWs differ,
as the R&S reader splits a scan per ``Scan n:`` range (:mod:`rfcheck.io._scan_ranges`).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np

from ..capture import Trace
from ..frequency import format_hz
from ._common import parse_optional_float
from ._scan_ranges import RangeSpan, rows_by_range

__all__ = ["EmcRanges"]


#: An EMC-EMI trace reaches its ranges' Start/Stop within one point spacing, or this much of
#: the frequency (a file exported with its ranges' frequencies rounded).
_RANGE_SLACK_REL = 1e-6


class EmcRanges:
    """The EMC-EMI display's frequency ranges (``Ranges,,A,,B,,`` and a column per range).

    The scan exports one trace across every enabled range, each measured with its own RBW
    (typically 9 kHz below 30 MHz, 120 kHz above). When the ranges' RBWs differ the trace is
    split per range (:meth:`split`), each part with its range's RBW, as the R&S reader splits
    a scan per ``Scan n:`` range; the first range's RBW alone would be wrong for the rest.
    """

    _KEYS = {
        "Enabled": "enabled",
        "Start Frequency": "start",
        "Stop Frequency": "stop",
        "RBW": "rbw",
    }

    def __init__(self) -> None:
        self.names: list[str] = []
        self.values: dict[str, list[str]] = {}

    def add(self, parts: list[str]) -> None:
        """Read one ``[Parameters]`` row: the ``Ranges`` row or a per-range value row."""
        if parts[0] == "Ranges":
            self.names = [n for n in parts[2::2] if n]
        elif self.names and parts[0] in self._KEYS and self._KEYS[parts[0]] not in self.values:
            cells = parts[2::2][: len(self.names)]
            if len(cells) == len(self.names):
                self.values[self._KEYS[parts[0]]] = cells

    def _enabled(self) -> list[int]:
        flags = self.values.get("enabled", ["true"] * len(self.names))
        return [k for k, f in enumerate(flags) if f.lower() != "false"]

    def span(self, path: Path) -> tuple[float, float] | None:
        """Return the enabled ranges' lowest Start and highest Stop [Hz] (None: not stated)."""
        starts, stops = self.values.get("start"), self.values.get("stop")
        enabled = self._enabled()
        if starts is None or stops is None or not enabled:
            return None
        lo = [parse_optional_float(starts[k], path, "Start Frequency") for k in enabled]
        hi = [parse_optional_float(stops[k], path, "Stop Frequency") for k in enabled]
        los, his = [x for x in lo if x is not None], [x for x in hi if x is not None]
        if len(los) != len(enabled) or len(his) != len(enabled):
            return None
        return min(los), max(his)

    def unreached(self, traces: list[Trace], path: Path) -> list[str]:
        """Return a note per data span that falls short of the enabled ranges' Start/Stop.

        As the Spectrum display's XStart/XStop are checked against its data: a trace whose
        first point is above the ranges' lowest Start, or whose last is below their highest
        Stop, by more than one point spacing (:data:`_RANGE_SLACK_REL` of the frequency at
        least), was cut or exported in part. Its readings stand; the range it does not
        reach is not measured (coverage says so), and the note says why.
        """
        span = self.span(path)
        if span is None:
            return []
        lo, hi = span
        short: dict[tuple[float, float], list[str]] = {}
        for tr in traces:
            f = tr.freq_hz
            step = float(np.max(np.diff(f))) if f.size > 1 else 0.0
            first, last = float(f[0]), float(f[-1])
            if first - lo > max(step, _RANGE_SLACK_REL * lo) or hi - last > max(
                step, _RANGE_SLACK_REL * hi
            ):
                short.setdefault((first, last), []).append(tr.name or "1")
        enabled = self._enabled()
        names = ", ".join(self.names[k] for k in enabled)
        plural = len(enabled) > 1
        return [
            f"{'trace' if len(n) == 1 else 'traces'} {', '.join(repr(x) for x in n)}: the data "
            f"cover {format_hz(first)} to {format_hz(last)}, but the enabled EMC-EMI "
            f"range{'s' if plural else ''} {names} span{'' if plural else 's'} {format_hz(lo)} to "
            f"{format_hz(hi)} (Start/Stop Frequency): the data do not reach the ranges' span "
            "(file cut, or exported in part?)"
            for (first, last), n in short.items()
        ]

    def rbws_differ(self, path: Path) -> bool:
        """Whether more than one enabled range states an RBW, and they differ."""
        rbws = self.values.get("rbw")
        if rbws is None or len(self._enabled()) < 2:
            return False
        stated = {parse_optional_float(rbws[k], path, "RBW") for k in self._enabled()}
        return len(stated - {None}) > 1

    def split(self, tr: Trace, path: Path, warnings: list[str]) -> list[Trace]:
        """Return ``tr`` split per enabled range, each part with its range's RBW as stated.

        Rows a range's Start/Stop cannot place (a range without them, a row outside every
        range, overlapping ranges) keep the trace whole with no RBW, noted.
        """
        enabled = self._enabled()
        starts, stops = self.values.get("start"), self.values.get("stop")
        spans: list[RangeSpan] = []
        if starts is not None and stops is not None:
            for k in enabled:
                lo = parse_optional_float(starts[k], path, "Start Frequency")
                hi = parse_optional_float(stops[k], path, "Stop Frequency")
                if lo is not None and hi is not None:
                    spans.append(RangeSpan(k, lo, hi))
        placed = rows_by_range(tr.freq_hz, spans) if len(spans) == len(enabled) else None
        rbws = self.values["rbw"]
        if placed is None:
            stated = ", ".join(f"range {self.names[k]} RBW {rbws[k]} Hz" for k in enabled)
            warnings.append(
                f"trace {tr.name!r}: the EMC-EMI ranges state different RBWs ({stated}) and "
                "their Start/Stop do not place every point in one range: the trace has no "
                "single RBW"
            )
            return [dataclasses.replace(tr, rbw_hz=None)]
        parts = []
        for k, rows in placed:
            part = f"{tr.name} range {self.names[k]}"
            rbw = parse_optional_float(rbws[k], path, "RBW")
            parts.append(
                dataclasses.replace(
                    tr,
                    freq_hz=np.ascontiguousarray(tr.freq_hz[rows]),
                    level=np.ascontiguousarray(tr.level[rows]),
                    name=part,
                    rbw_hz=rbw,
                )
            )
        return parts
