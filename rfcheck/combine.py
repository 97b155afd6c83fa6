"""Combined measurement: several captures of one port judged as one (``check --combine``).

A quasi-peak final measurement settles the bounds a peak prescan leaves open, a second
band extends the first; the members' corrected traces are pooled per level unit and judged
together (:func:`~rfcheck.verdict.judge_pool`), so the result is one
:class:`~rfcheck.results.CaptureResult` identified by :func:`combined_sha256`. The product
record (:mod:`rfcheck.product`) and lots judge each port this way.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .analysis import (
    build_settings_chain,
    error_message,
    input_sha256,
    instrument_info,
    port_tables,
    recording_scale,
)
from .capture import Capture, Trace
from .corrections import CorrectionChain
from .errors import AnalysisError, CoverageError, RfcheckError
from .frequency import format_mhz
from .io import load_capture
from .io.iq_centre import reader_notes
from .judged_limits import load_limits, table_rule_notes, with_limit_status
from .limits import LimitTable
from .outcome import Verdict
from .results import CaptureResult, ErrorRecord
from .settings import CheckSettings
from .textfile import resolved
from .units import LevelUnit
from .verdict import CorrectedTrace, Judged, corrected_traces, judge_pool, no_overlap

__all__ = ["analyse_combined", "analyse_members", "check_combinable", "combined_sha256"]


def combined_sha256(digests: Sequence[str]) -> str:
    r"""Return the SHA-256 identifying a combined measurement.

    Parameters
    ----------
    digests : sequence of str
        The members' SHA-256 hex digests (lower case), in the order the files were given.

    Returns
    -------
    str
        ``sha256("\\n".join(digests).encode("ascii")).hexdigest()``: the digests joined by
        one line feed each, no trailing newline. Anyone holding the member files (listed with
        their own digests in ``RunResult.inputs``) can recompute it; another order gives
        another digest.
    """
    return hashlib.sha256("\n".join(digests).encode("ascii")).hexdigest()


def _limits_key(
    settings: CheckSettings,
) -> tuple[tuple[str, ...], tuple[str, ...], float | None, float | None]:
    """Return what members of a combined judgement must share.

    Limits, distance, and the highest frequency that sets the 47 CFR 15.33(b)(1) measurement range.
    """
    files = tuple(sorted(str(resolved(f)) for f in settings.limit_files))
    return (
        tuple(sorted(settings.limit_ids)),
        files,
        settings.distance_m,
        settings.highest_frequency_hz,
    )


def _describe_limits(settings: CheckSettings) -> str:
    ids, files, dist, highest = _limits_key(settings)
    parts = list(ids) + [Path(f).name for f in files]
    return (
        (", ".join(parts) or "no limit")
        + (f" at {dist:g} m" if dist is not None else "")
        + (f", highest frequency {format_mhz(highest)}" if highest is not None else "")
    )


def check_combinable(paths: Sequence[str | Path], settings: Sequence[CheckSettings]) -> None:
    """Check that captures can be judged as one measurement (``check --combine``).

    Every member must resolve to the same limit ids, limit files and distance; transducers,
    format, unit and detector may differ per member (each is corrected by its own chain).

    Parameters
    ----------
    paths : sequence of path
    settings : sequence of CheckSettings
        One per path, in the same order.

    Raises
    ------
    AnalysisError
        No path, lengths differ, or two members resolve to different limits or distance
        (the message names both files).
    """
    if not paths or len(paths) != len(settings):
        raise AnalysisError("combine: give one settings object per capture (at least one)")
    seen: dict[Path, str | Path] = {}
    for p in paths:
        key = resolved(p)
        if key in seen:  # one file counted twice would double its traces' weight of evidence
            raise AnalysisError(
                f"cannot combine {seen[key]} with itself ({p}): give each file once"
            )
        seen[key] = p
    first = _limits_key(settings[0])
    for p, s in zip(paths[1:], settings[1:], strict=True):
        if _limits_key(s) != first:
            raise AnalysisError(
                f"cannot combine {paths[0]} ({_describe_limits(settings[0])}) with {p} "
                f"({_describe_limits(s)}): combined files must be judged against the same "
                "limits and distance (one port / polarisation)"
            )


def _member_names(paths: Sequence[Path]) -> list[str]:
    names = [p.name for p in paths]
    return [n if names.count(n) == 1 else str(p) for n, p in zip(names, paths, strict=True)]


def analyse_members(
    paths: Sequence[Path],
    settings: Sequence[CheckSettings],
    label: str,
    base_dir: str | Path | None = None,
    captures: Sequence[Capture | None] | None = None,
    readings: list[CorrectedTrace] | None = None,
) -> tuple[CaptureResult, list[tuple[str, str | None]]]:
    """Return the combined result plus each member's (path, SHA-256) for ``RunResult.inputs``.

    ``captures``: the members already loaded from ``paths`` with these settings (None for
    one not loaded), so they are not read again. ``readings``: extended with each member's
    corrected traces, member by member (a reader of the readings need not correct again).
    """
    check_combinable(paths, settings)
    joined = " + ".join(str(p) for p in paths)
    errors: list[ErrorRecord] = []  # the run's own, then each member's
    limits: list[LimitTable] = []
    try:
        limits = load_limits(settings[0], base_dir=base_dir)
    except RfcheckError as err:
        errors.append(ErrorRecord(joined, error_message(err, joined)))
    pooled = _Pooled({t.unit: [] for t in limits}, errors)
    given = list(captures) if captures is not None else [None] * len(paths)
    for p, s, name, ready in zip(paths, settings, _member_names(paths), given, strict=True):
        pooled.add(p, s, name, ready, limits, base_dir, readings)
    members = [(str(p), sha) for p, sha in zip(paths, pooled.shas, strict=True)]
    known = [h for h in pooled.shas if h is not None]
    head = functools.partial(
        CaptureResult,
        path=joined,
        sha256=combined_sha256(known) if len(known) == len(pooled.shas) else None,
        format="+".join(pooled.formats),
        label=label,
    )
    limits = [t for t in limits if t.id in pooled.used] or limits
    judged = None if pooled.errors else _judge_pooled(pooled, limits, settings[0], joined)
    if pooled.errors or judged is None:
        return head(verdict=Verdict.ERROR, errors=tuple(pooled.errors)), members
    judged = judged._replace(checks=with_limit_status(judged.checks, limits))
    first = pooled.loaded[0][1]
    instrument = instrument_info(first)
    instrument["note"] = "combined measurement; instruments: " + "; ".join(
        f"{n}: {c.instrument.describe()}" + (f" ({c.timestamp})" if c.timestamp else "")
        for n, c, _ in pooled.loaded
    )
    result = head(
        instrument=instrument,
        timestamp=first.timestamp,
        corrections=tuple(f"{n}: {d}" for n, _, chain in pooled.loaded for d in chain.describe()),
        limits=tuple(
            t.describe(settings[0].distance_m, settings[0].highest_frequency_hz) for t in limits
        ),
        scale="; ".join(pooled.scales),
        **judged._asdict(),
    )
    return result, members


@dataclass
class _Pooled:
    """What the members of a combined measurement contribute, member by member.

    ``pool`` holds the corrected traces per level unit, ``errors`` a record per member that
    could not be read or corrected (and the run's own), ``shas`` and ``formats`` one entry
    per member, ``loaded`` each member read (name, capture, transducer chain).
    """

    pool: dict[LevelUnit, list[CorrectedTrace]]
    errors: list[ErrorRecord]
    warnings: list[str] = field(default_factory=list)
    traces: list[Trace] = field(default_factory=list)
    loaded: list[tuple[str, Capture, CorrectionChain]] = field(default_factory=list)
    scales: list[str] = field(default_factory=list)  #: "name: scale" of each recording
    #: Ids of the tables some member is judged against (its port's: ``port_tables``).
    used: dict[str, None] = field(default_factory=dict)
    shas: list[str | None] = field(default_factory=list)
    formats: list[str] = field(default_factory=list)

    def add(
        self,
        p: Path,
        s: CheckSettings,
        name: str,
        ready: Capture | None,
        limits: list[LimitTable],
        base_dir: str | Path | None,
        readings: list[CorrectedTrace] | None,
    ) -> None:
        """Read (unless ``ready``) and correct one member into the pool; record an error."""
        capture: Capture | None = None
        try:
            capture = ready or load_capture(
                p, s.fmt, unit=s.unit, detector=s.detector, rbw_hz=s.rbw_hz, base_dir=base_dir
            )
            chain = build_settings_chain(s, base_dir=base_dir)
            if limits:
                # limits of both ports: the member's port's tables (analysis.port_tables)
                mine, port_note = port_tables(limits, capture, chain)
                corrected, traces, notes = corrected_traces(capture, s, mine, chain, prefix=name)
                notes += [port_note] if port_note else []
                self.used.update(dict.fromkeys(t.id for t in mine))
                if not any(corrected.values()):
                    raise no_overlap(traces, limits)
                for unit, cts in corrected.items():
                    self.pool[unit].extend(cts)
                if readings is not None:
                    readings.extend(t for cts in corrected.values() for t in cts)
                self.traces.extend(traces)
                stated = s.center_frequency_hz is not None
                self.warnings.extend(
                    f"{name}: {w}" for w in reader_notes(capture.warnings, stated) + notes
                )
                self.loaded.append((name, capture, chain))
                if scale := recording_scale(capture, s):
                    self.scales.append(f"{name}: {scale}")
        except RfcheckError as err:  # a member that overlaps no limit is a usage error (2)
            usage = isinstance(err, CoverageError)
            self.errors.append(ErrorRecord(str(p), error_message(err, str(p)), usage))
        except OSError as err:
            self.errors.append(ErrorRecord(str(p), f"cannot read: {err.strerror or err}"))
        prov = capture.provenance if capture is not None else None
        self.shas.append(prov.sha256 if prov else input_sha256(p, base_dir))
        self.formats.append((prov.format if prov else s.fmt) or "unknown")


def _judge_pooled(
    pooled: _Pooled, limits: list[LimitTable], settings: CheckSettings, joined: str
) -> Judged | None:
    """Judge every limit line once over the pooled traces; None (and an error) on failure."""
    try:
        pooled.warnings += table_rule_notes(
            limits, pooled.pool, settings.distance_m, settings.device_class
        )
        judged = judge_pool(limits, pooled.pool, settings, pooled.warnings)
        if judged is None:
            raise no_overlap(pooled.traces, limits)
    except RfcheckError as err:
        pooled.errors.append(
            ErrorRecord(joined, error_message(err, joined), isinstance(err, CoverageError))
        )
        return None
    return judged


def analyse_combined(
    paths: Sequence[str | Path],
    settings: Sequence[CheckSettings],
    *,
    label: str = "",
    captures: Sequence[Capture | None] | None = None,
    readings: list[CorrectedTrace] | None = None,
) -> CaptureResult:
    """Judge several captures of one port / polarisation as one measurement.

    Each member is loaded and corrected with its own settings (its own transducer chain);
    the corrected traces are pooled, each named ``"<file name>: <trace name>"``, and every
    limit line is judged once over the pool (so a quasi-peak file settles a peak prescan
    "at that frequency", see :mod:`rfcheck.verdict`).

    Parameters
    ----------
    paths : sequence of path
        The members, in order (the order fixes ``path`` and ``sha256``).
    settings : sequence of CheckSettings
        One per member. All must resolve to the same limits and distance; the suspect
        threshold and cap of the first member apply to the pool.
    label : str
        Port / polarisation for titles.
    captures : sequence of Capture or None, optional
        The members already loaded (from ``paths``, with ``settings``): not read again.
    readings : list of CorrectedTrace, optional
        Extended with every member's corrected traces (with their readings), in member
        order.

    Returns
    -------
    CaptureResult
        ``path`` = member paths joined by ``" + "``; ``sha256`` = :func:`combined_sha256`
        of the members' digests (None if a member cannot be read); ``format`` = member
        formats joined by ``"+"``; ``warnings`` and ``corrections`` prefixed with the
        member's file name; ``instrument`` of the first member plus a ``note`` listing all.
        Verdict ERROR, with every member's error in ``errors``, if any member cannot be read
        or analysed: never a judgement of the remaining members alone.

    Raises
    ------
    AnalysisError
        The members resolve to different limits or distance (:func:`check_combinable`).
    """
    members = [Path(p) for p in paths]
    return analyse_members(members, list(settings), label, captures=captures, readings=readings)[0]
