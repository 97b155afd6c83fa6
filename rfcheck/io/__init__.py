"""Capture readers: one module per instrument format, an explicit registry, and sniffing.

Detection is deterministic: each reader declares a header signature (``sniff``) and a
priority; readers are consulted in priority order (most specific first, generic CSV last)
and the first whose signature matches reads the file. ``--format NAME`` skips detection.
No reader is ever tried "to see if it works". The registry lives in :mod:`._registry`,
provenance hashing in :mod:`._provenance`, and safe file opening (regular files only, text
read up to :data:`MAX_TEXT_BYTES`) in :mod:`._files`.
"""

from __future__ import annotations

import dataclasses
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

from ..capture import Capture, Detector, Provenance, SampleKind, Trace, trace_label
from ..errors import CaptureFormatError, RfcheckError, UnitError
from ..textfile import path_as_given, path_to_open
from ..units import LevelUnit
from ._applied import states_own_corrections
from ._common import check_level_range, check_unit_agrees, unit_advice_given
from ._files import MAX_TEXT_BYTES, check_regular
from ._provenance import companion_files, companion_hashes, file_sha256, hash_files
from ._rbw_definition import envelope_with_rbw, trace_with_rbw
from ._registry import HEAD_BYTES, Reader, detect_format, get_reader, readers

__all__ = [
    "file_sha256",
    "Reader",
    "READERS",
    "get_reader",
    "detect_format",
    "detected_format_name",
    "load_capture",
    "companion_files",
    "companion_hashes",
    "instrument_applied_corrections",
    "HEAD_BYTES",
    "MAX_TEXT_BYTES",
]

#: Every registered reader, most specific signature first.
READERS: tuple[Reader, ...] = readers()


def instrument_applied_corrections(capture: Capture) -> bool:
    """Return whether the capture's file states that its instrument applied a transducer.

    An R&S export's ``Transducer`` switched on, a Keysight N9343C's ``Apply Corrections,ON``:
    the levels already hold the transducer's factors (the reader's note says so).
    """
    return states_own_corrections(capture.warnings)


def load_capture(
    path: str | Path,
    fmt: str | None = None,
    *,
    unit: LevelUnit | None = None,
    detector: Detector | None = None,
    rbw_hz: float | None = None,
    require_unit: bool = False,
    base_dir: str | Path | None = None,
) -> Capture:
    """Read a capture file and record its provenance.

    Parameters
    ----------
    path : str or Path
        Capture file (for SigMF, the ``.sigmf-meta`` or ``.sigmf-data`` file).
    fmt : str, optional
        Reader name; skips detection.
    unit : LevelUnit, optional
        Level unit for traces whose file states none. A file that states a different
        unit is an error (nothing is silently re-interpreted).
    detector : Detector, optional
        Detector for traces whose file states none (likewise never overrides).
    rbw_hz : float, optional
        RBW (-6 dB) for traces and zero-span envelopes whose file states none (likewise: a
        file stating another is an error). [Hz]
    require_unit : bool
        Raise when a trace's unit is still unknown after applying ``unit``.
    base_dir : str or Path, optional
        The directory a relative ``path`` is relative to (a Dask worker's client's); the
        file is opened there (:func:`~rfcheck.textfile.path_to_open`) and named as given.

    Returns
    -------
    Capture
        With ``provenance`` (path as given, SHA-256 of the bytes, format, and the companion
        files with their own SHA-256) filled in.

    Raises
    ------
    CaptureFormatError, UnitError
        Also for a path that is not a regular file (directory, FIFO, device). The error
        names the file as given.
    """
    opened = path_to_open(path, base_dir)
    try:
        capture = _load(
            opened, fmt, unit=unit, detector=detector, rbw_hz=rbw_hz, require_unit=require_unit
        )
    except RfcheckError as err:
        if err.path is None:
            raise
        raise err.naming(path_as_given(err.path, path, base_dir)) from None
    prov = capture.provenance
    if prov is None or opened == Path(path):
        return capture
    companions = tuple((str(path_as_given(c, path, base_dir)), h) for c, h in prov.companions)
    shown = dataclasses.replace(prov, path=str(Path(path)), companions=companions)
    return dataclasses.replace(capture, provenance=shown)


def _load(
    p: Path,
    fmt: str | None,
    *,
    unit: LevelUnit | None,
    detector: Detector | None,
    rbw_hz: float | None,
    require_unit: bool,
) -> Capture:
    """Read the capture at ``p`` and record its provenance, naming files as opened."""
    check_regular(p)
    reader = get_reader(fmt) if fmt else detect_format(p)
    companions = companion_files(p, reader.name)
    # Hash the bytes (the file and its companions) on a second thread while the reader
    # parses: hashlib releases the GIL on large buffers, so provenance costs (almost) no
    # wall time on a multi-core machine.
    with ThreadPoolExecutor(max_workers=1) as pool:
        digest = pool.submit(hash_files, [p, *companions])
        capture = reader.read(p)
        try:
            (sha, size), *others = digest.result()
        except OSError as err:  # a companion vanished or is unreadable after the read
            where = err.filename or p  # named as a field: shown as given by load_capture
            raise CaptureFormatError(
                f"cannot hash for provenance: {err.strerror or err}", where
            ) from None
    traces = tuple(
        trace_with_rbw(
            _apply_overrides(tr, p, unit=unit, detector=detector, require_unit=require_unit),
            p,
            rbw_hz,
            capture.warnings,
        )
        for tr in capture.traces
    )
    series = tuple(envelope_with_rbw(ts, p, rbw_hz) for ts in capture.time_series)
    _check_level_ranges(capture, p)
    warnings = capture.warnings
    if unit is not None:  # every trace now has a unit (a contradiction raised above)
        warnings = tuple(unit_advice_given(w, unit.value) for w in warnings)
    prov = Provenance(
        path=str(p),
        sha256=sha,
        format=reader.name,
        size_bytes=size,
        companions=tuple((str(c), h) for c, (h, _) in zip(companions, others, strict=True)),
    )
    return dataclasses.replace(
        capture, traces=traces, time_series=series, provenance=prov, warnings=warnings
    )


def _check_level_ranges(capture: Capture, path: Path) -> None:
    """Refuse any trace or envelope level of implausible magnitude, whatever the reader.

    Raises
    ------
    CaptureFormatError
        A level outside :data:`rfcheck.units.LEVEL_RANGE` (``1e308``).
    """
    for i, tr in enumerate(capture.traces):
        check_level_range(tr.level, path, trace_label(tr.name or str(i + 1)))
    for ts in capture.time_series:
        if ts.kind is SampleKind.ENVELOPE:
            check_level_range(np.asarray(ts.samples), path, f"envelope {ts.name or 1}")


def _apply_overrides(
    tr: Trace,
    path: Path,
    *,
    unit: LevelUnit | None,
    detector: Detector | None,
    require_unit: bool,
) -> Trace:
    """``tr`` with the user's unit/detector filled in where the file states none.

    Raises
    ------
    UnitError, CaptureFormatError
        The user's value contradicts the file's, or (``require_unit``) no unit is known.
    """
    changes: dict[str, object] = {}
    if unit is not None:
        if tr.unit is None:
            changes["unit"] = unit
        else:
            check_unit_agrees(
                unit, tr.unit, f"--unit {unit.value}", trace_label(tr.name or "1"), path
            )
    if detector is not None:
        if tr.detector is Detector.UNKNOWN:
            changes["detector"] = detector
        elif tr.detector is not detector:
            raise CaptureFormatError(
                f"--detector {detector.value} contradicts the file's detector "
                f"{tr.detector.value} for {trace_label(tr.name or '1')}",
                path,
            )
    tr = dataclasses.replace(tr, **changes) if changes else tr  # type: ignore[arg-type]
    if require_unit and tr.unit is None:
        raise UnitError(
            f"the file states no level unit for {trace_label(tr.name or '1')}; "
            "state it with --unit",
            path,
        )
    return tr


def detected_format_name(path: str | Path, base_dir: str | Path | None = None) -> str | None:
    """Return the format ``path``'s first bytes name, or ``None`` (none, or unreadable).

    For the results of a file a reader refused after detecting it: its format
    is still known. ``base_dir`` as :func:`load_capture`'s.
    """
    try:
        return detect_format(path_to_open(path, base_dir)).name
    except (RfcheckError, OSError):
        return None
