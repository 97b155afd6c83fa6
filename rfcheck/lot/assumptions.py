"""What a unit's or a lot's verdict takes on trust: an assumed dwell or scale.

:class:`UnitAssumptions` and :class:`LotAssumptions` give
:class:`~rfcheck.lot.results.UnitResult` and :class:`~rfcheck.lot.results.LotResult` their
``assumed`` labels and ``assumptions`` sentences, worded as the dossier's
(:mod:`rfcheck.report.assumed_text`; ``docs/lot.md``, "Lot verdict").
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ..outcome import Verdict
from ..report.assumed_text import (
    ASSUMED_DWELL,
    ASSUMED_SCALE,
    assumed_dwell_line,
    assumed_scale_line,
    resting_on,
)
from ..results import LineCheck
from .emissions import EmissionList

__all__ = ["UnitAssumptions", "LotAssumptions"]


class UnitAssumptions:
    """What one unit's verdict takes on trust, from its verdict and its ports' captures."""

    unit: str
    verdict: Verdict
    captures: dict[str, EmissionList]

    def _dwell_basis(self) -> list[tuple[str, LineCheck]]:
        """Each port's lines whose verdict takes quasi-peak/CISPR-average readings as settled.

        Those :attr:`~rfcheck.results.CaptureResult.assumed_dwell_basis` names; none for a
        FAIL unit (a reading that has not settled reads low: the FAIL stands whatever the
        dwell) or an ERROR one, as :attr:`rfcheck.product.dossier.UnitDossier.assumptions`.
        """
        if self.verdict in (Verdict.FAIL, Verdict.ERROR):
            return []
        return [(p, c) for p, el in self.captures.items() for c in el.result.assumed_dwell_basis]

    @property
    def assumed_dwell_lines(self) -> tuple[str, ...]:
        """``L1 fcc-15.107-b QP``: each line whose verdict assumes a dwell no file states."""
        return tuple(f"{p} {c.limit_id} {c.line}" for p, c in self._dwell_basis())

    @property
    def assumed_dwell_text(self) -> str:
        """``L1 fcc-15.107-b QP, AV``: those lines, one port and table together ("": none)."""
        lines: dict[tuple[str, str], list[str]] = {}
        for port, c in self._dwell_basis():
            lines.setdefault((port, c.limit_id), []).append(c.line)
        return "; ".join(f"{p} {lid} {', '.join(ls)}" for (p, lid), ls in lines.items())

    @property
    def assumed_dwell_s(self) -> float | None:
        """The dwell per frequency those lines' readings need to have settled, or None [s]."""
        needs = [c.assumed_dwell_s or 0.0 for _, c in self._dwell_basis()]
        return max(needs) if needs else None

    @property
    def assumed_scale_ports(self) -> tuple[str, ...]:
        """The ports whose levels rest on a recording's default 1 V scale (none for ERROR)."""
        if self.verdict is Verdict.ERROR:
            return ()
        return tuple(p for p, el in self.captures.items() if el.result.assumed_scale)

    @property
    def assumed(self) -> tuple[str, ...]:
        """What the unit's verdict takes on trust, as labels (``ASSUMED DWELL``)."""
        return ((ASSUMED_DWELL,) if self.assumed_dwell_lines else ()) + (
            (ASSUMED_SCALE,) if self.assumed_scale_ports else ()
        )

    @property
    def assumptions(self) -> tuple[str, ...]:
        """What the unit's verdict takes on trust, one sentence each (also among its flags).

        ``ASSUMED DWELL: quasi-peak or CISPR-average readings with no stated dwell are taken
        as settled (which needs ≥ 1 s per frequency): L1 fcc-15.107-b QP, AV``, the lines of
        one port and table together, as the dossier words it
        (:mod:`rfcheck.report.assumed_text`); ``ASSUMED SCALE: ...: L1``.
        """
        out = []
        if self.assumed_dwell_text:
            out.append(assumed_dwell_line(self.assumed_dwell_s or 0.0, self.assumed_dwell_text))
        if self.assumed_scale_ports:
            out.append(assumed_scale_line(", ".join(self.assumed_scale_ports)))
        return tuple(out)


class LotAssumptions:
    """What a lot verdict takes on trust, from its verdict and its units' assumptions."""

    verdict: Verdict
    units: Sequence[UnitAssumptions]

    @property
    def assumed(self) -> tuple[str, ...]:
        """What the lot verdict takes on trust, as labels (the banner's ``(ASSUMED DWELL)``).

        As a check report's overall verdict: ``ASSUMED DWELL`` when a unit's verdict takes
        readings with no stated dwell as settled, unless the lot FAILs (or is ERROR), the
        shared rule :func:`rfcheck.report.assumed_text.resting_on`; ``ASSUMED SCALE`` when a
        unit's levels rest on a recording's default scale, unless the lot is ERROR. The scale
        keeps the lot's own rule: a lot FAIL carries it whenever a unit's levels rest on one
        (the 80/80 statistics take every unit's levels, so a FAIL of theirs rests on them),
        where ``resting_on`` would carry it only when every FAIL unit takes it.
        """
        if self.verdict is Verdict.ERROR:
            return ()
        dwell = bool(resting_on(self.units, self.verdict, ASSUMED_DWELL))
        scale = any(u.assumed_scale_ports for u in self.units)
        return ((ASSUMED_DWELL,) if dwell else ()) + ((ASSUMED_SCALE,) if scale else ())

    @property
    def assumptions(self) -> tuple[str, ...]:
        """The units whose verdict takes a dwell or a scale on trust, one sentence each.

        ``ASSUMED DWELL: quasi-peak or CISPR-average readings with no stated dwell are taken
        as settled (which needs ≥ 1 s per frequency): u1 (L1 fcc-15.107-b QP, AV); u2 (...)``
        (:attr:`UnitAssumptions.assumed_dwell_text`), ``ASSUMED SCALE: ...: u1 (L1); ...``:
        ``lot.json`` and page 1 of the PDF and HTML say it whenever a unit's verdict does.
        """
        return tuple(self.assumption_lines("; ".join))

    def assumption_lines(self, join: Callable[[list[str]], str]) -> list[str]:
        """Return :attr:`assumptions`, each line's units joined by ``join`` (the banner's cut)."""
        dwell = [u for u in self.units if u.assumed_dwell_lines]
        scale = [u for u in self.units if u.assumed_scale_ports]
        out = []
        if dwell:
            need = max(u.assumed_dwell_s or 0.0 for u in dwell)
            out.append(
                assumed_dwell_line(
                    need, join([f"{u.unit} ({u.assumed_dwell_text})" for u in dwell])
                )
            )
        if scale:
            which = join([f"{u.unit} ({', '.join(u.assumed_scale_ports)})" for u in scale])
            out.append(assumed_scale_line(which))
        return out
