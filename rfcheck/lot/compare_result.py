"""The result of ``rfcheck compare`` as data; :mod:`rfcheck.lot.compare_render` formats it.

Sign convention: ``margin_db = limit - level`` (positive = below the limit);
``delta_db = level_b - level_a`` (negative = B lower).

JSON (keys stable; ``docs/lot.md``)::

    {"rfcheck_version", "margin_sign", "delta_sign", "tolerance_hz",
     "a": {"path", "verdict", "worst_margin_db", "worst_frequency_hz", "worst_limit", ...},
     "b": {...},
     "pairs": [{"frequency_hz_a", "frequency_hz_b", "detector", "level_a", "level_b",
                "delta_db", "bound", "limit_id", "line", ...}],
     "only_in_a": [{"frequency_hz", "readings": [{..., "frequency_hz"}]}], "only_in_b": [...],

Each reading is labelled with the frequency it was taken at (:func:`reading_frequency_hz`):
a pair's ``frequency_hz_a``/``frequency_hz_b`` and an unpaired reading's ``frequency_hz``
are its own, not the peak's the emission was found at.
     "distances": [{"port", "limit_id", "distance_m", "basis", "measured", ...}],
     "notes": [...],
     "report_id": {"id", "sha256", "revision"},
     "inputs": [{"role", "path", "sha256"}], "settings", "command"}
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .. import report_id as _rid
from .._version import __version__
from ..outcome import MARGIN_SIGN
from ..results import InputFile
from .distance import LevelDistance
from .emissions import EmissionList
from .json_numbers import json_margin, json_number
from .matching import Matched
from .readings import Reading
from .report_ids import result_id, unhashed_captures

__all__ = ["CompareResult", "reading_frequency_hz"]


def reading_frequency_hz(freq_hz: float, reading: Reading) -> float:
    """Return where ``reading`` of the emission found at ``freq_hz`` was taken [Hz].

    An emission is found at a peak of one trace (a prescan's grid point) and each line is
    read from the best trace near it (:meth:`~rfcheck.lot.emissions.EmissionList.reading_at`):
    a quasi-peak final 280 kHz from a 1001-point prescan's grid point reads the emission's QP
    line at its own frequency, and is labelled with it, not the grid point's
    (:attr:`~rfcheck.lot.readings.Reading.frequency_hz`); ``freq_hz`` when it is not known.
    """
    return freq_hz if reading.frequency_hz is None else reading.frequency_hz


@dataclass(frozen=True, eq=False)
class CompareResult:
    """Two captures of one port, their emissions paired (``rfcheck compare``).

    ``inputs`` lists every file the result depends on (each capture of either side, the
    setup, limit and transducer files) with its SHA-256, in the shape of ``check``'s and
    ``lot``'s; ``captures`` the capture paths of side A then side B, as given; ``settings``
    the comparison's parameters and each capture's effective settings; ``names`` the two
    sides' display names (``compare --names``; not part of the report id).
    """

    a: EmissionList
    b: EmissionList
    matched: Matched
    command: str = ""
    inputs: tuple[InputFile, ...] = ()
    captures: tuple[str, ...] = ()
    settings: dict[str, Any] = field(default_factory=dict)
    names: tuple[str, str] = ("A", "B")
    #: per radiated limit, the one distance both sides' levels are taken at (members A, B)
    distances: tuple[LevelDistance, ...] = ()
    #: each limit table's notes, as ``check`` prints them (a CISPR 32 table is not an FCC
    #: basis; the device class): :func:`rfcheck.judged_limits.settings_table_notes`
    notes: tuple[str, ...] = ()

    def distance_notes(self) -> list[str]:
        """Return the distance of the levels, per radiated limit, the sides by their names."""
        names = dict(zip(("A", "B"), self.names, strict=True))
        return [d.text(lambda m: names.get(m, m), "sides") for d in self.distances]

    @property
    def exit_code(self) -> int:
        """Always 0: the verdict of each side is reported, not re-decided."""
        return 0

    @property
    def unhashed(self) -> list[str]:
        """Captures of either side that could not be hashed (not in ``inputs``)."""
        return unhashed_captures(self.inputs, self.captures)

    @property
    def report_id(self) -> _rid.ReportId:
        """The id of this result, as ``check`` and ``lot`` derive theirs.

        SHA-256 of every input, the settings and the rfcheck version: two comparisons share
        it only when all of these are equal.
        """
        return result_id(self.inputs, self.unhashed, self.settings)

    def to_json(self) -> dict[str, Any]:
        """Return the comparison as JSON-ready data."""

        def only(items: Any) -> list[dict[str, Any]]:
            out = []
            for e in items:
                w = e.worst
                doc = e.to_json()
                # each reading names the frequency it was taken at (a final's own)
                for r, rj in zip(e.readings, doc["readings"], strict=True):
                    rj["frequency_hz"] = json_number(reading_frequency_hz(e.frequency_hz, r), 1)
                out.append(
                    {
                        **doc,
                        "worst_margin_db": json_margin(w.margin_db) if w else None,
                        "worst_bound": w.bound.value if w else None,
                    }
                )
            return out

        return {
            "rfcheck_version": __version__,
            "margin_sign": MARGIN_SIGN,
            "delta_sign": "b_minus_a",
            "names": {"a": self.names[0], "b": self.names[1]},
            "tolerance_hz": json_number(self.matched.tolerance_hz, 1),
            "a": self.a.to_json(),
            "b": self.b.to_json(),
            "pairs": [p.to_json() for p in self.matched.pairs],
            "only_in_a": only(self.matched.only_in_a),
            "only_in_b": only(self.matched.only_in_b),
            "distances": [d.to_json() for d in self.distances],
            "notes": list(self.notes),
            "report_id": self.report_id.as_dict(),
            "inputs": [i.to_json() for i in self.inputs],
            "settings": self.settings,
            "command": self.command,
        }
