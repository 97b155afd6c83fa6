"""The comment lines of a generic CSV: which keys are read, which are noted, which are refused.

``# key: value`` lines above the column-header row (``rfcheck.io.generic_csv``, "Comment
lines"): the numeric keys are checked as numbers, every key is kept in the capture's
metadata but rfcheck's own names (which would rescale a recording), a key rfcheck does not
read is noted with its line, and a key naming a measurement distance is refused (a capture
carries none: ``--distance`` or the setup's ``distance_m`` states it). See docs/formats.md,
"generic-csv".
"""

from __future__ import annotations

import re
from pathlib import Path

from ..capture import Detector
from ..errors import CaptureFormatError
from ..units import LevelUnit
from ._common import parse_float
from ._generic_labels import column_reading, label_detector_name
from .iq_scale import FIELD_KEY, PER_KEY, SOURCE_KEY

__all__ = [
    "NUMERIC_KEYS",
    "comment_detector",
    "instrument_model",
    "read_comments",
    "unused_detector_comment",
]

#: Comment keys -> canonical numeric fields (units in the names).
NUMERIC_KEYS: dict[str, str] = {
    "rbw_hz": "rbw_hz",
    "vbw_hz": "vbw_hz",
    "sweep_time_s": "sweep_time_s",
    "dwell_s": "dwell_s",
    "center_freq_hz": "center_freq_hz",
}
_COMMENT_RE = re.compile(r"^#\s*([A-Za-z][\w .()\[\]/-]*?)\s*[:=]\s*(.*)$")
#: Comment keys rfcheck reads (the module docstring): other keys are kept and noted. The
#: free-text keys (``note``, ``comment``...) are read as text, for ``rfcheck info``.
_KNOWN_KEYS = frozenset(
    {
        *NUMERIC_KEYS,
        "detector",
        "unit",
        "mode",
        "instrument",
        "vendor",
        "model",
        "serial",
        "firmware",
        "dut_serial",
        "dut_model",
        "dut_firmware",
        "timestamp",
        "date",
        "note",
        "notes",
        "comment",
        "comments",
        "description",
        "title",
        "operator",
    }
)
#: Metadata names rfcheck's own readers set and its receiver reads (a recording's sample
#: scale, SigMF segments): a comment of that name is not kept, so it cannot rescale levels.
_RESERVED_KEYS = frozenset({"sample_unit_scale", "captures", SOURCE_KEY, FIELD_KEY, PER_KEY})
#: The most words a comment key has (``# test engineer: ...``); more is a sentence.
_KEY_WORDS = 3
#: A distance, in a comment key or line: rfcheck reads none from a capture.
_DISTANCE_WORD = re.compile(r"distance", re.IGNORECASE)


def instrument_model(comments: dict[str, str]) -> str:
    """Return the model: ``# model``, with ``# instrument`` beside it when it says more.

    ``# instrument: Acme EMI-9000 s/n 1234`` with ``# model: EMI-9000`` reads ``EMI-9000
    (Acme EMI-9000 s/n 1234)``: the free description is never dropped for the model.
    """
    model, described = comments.get("model", ""), comments.get("instrument", "")
    if not model or not described or described == model:
        return model or described
    return f"{model} ({described})"


def read_comments(lines: list[str], path: Path, notes: list[str]) -> dict[str, str]:
    """``# key: value`` lines above the header row (numeric keys checked as numbers).

    Every key is kept but those naming rfcheck's own metadata (:data:`_RESERVED_KEYS`,
    ``# sample_unit_scale:``, which would rescale a recording); a key rfcheck does not read
    (``# foo: bar``, ``# antenna_factor: 12``) is noted in ``notes`` with its line, and a
    comment line that is prose mentioning a distance too. A ``key: value`` line with more
    than :data:`_KEY_WORDS` words before the colon is prose (``# Measured by J. Smith at
    site B: chamber 2``): kept, not noted.

    Raises
    ------
    CaptureFormatError
        A numeric key that is not a number; a distance key (``# distance_m: 10``): a capture
        carries no measurement distance, so its limits would be taken at the table's own.
    """
    comments: dict[str, str] = {}
    unknown: list[tuple[int, str]] = []
    prose_distance: list[int] = []
    for n, line in enumerate(lines, 1):
        text = line.strip()
        m = _COMMENT_RE.match(text)
        if m is not None:
            key = m.group(1).strip().lower().replace(" ", "_")
            if key not in _RESERVED_KEYS:  # noted below as not read
                comments[key] = m.group(2).strip()
            if key in NUMERIC_KEYS:
                parse_float(m.group(2), path, n, key)
        if m is None or len(m.group(1).split()) > _KEY_WORDS:
            if text.startswith("#") and _DISTANCE_WORD.search(text):
                prose_distance.append(n)
            continue
        if _DISTANCE_WORD.search(key):
            raise CaptureFormatError(
                f"'{text[:60]}': rfcheck reads no measurement distance from a capture (its "
                "limits would be taken at the limit table's own distance): give it with "
                "--distance (or the setup's distance_m) and delete this line",
                path,
                n,
            )
        if key not in _KNOWN_KEYS and re.sub(r"[\s-]+", "_", key) not in _KNOWN_KEYS:
            unknown.append((n, key))
    if unknown:
        where = ", ".join(str(n) for n, _ in unknown)
        keys = ", ".join(repr(k) for _, k in unknown)
        notes.append(
            f"comment line(s) {where}: key(s) {keys} not read by rfcheck (a correction "
            "such as an antenna factor or cable loss is given with "
            "--antenna-factor, --cable-loss... or the setup; the keys read are listed in "
            "docs/formats.md, 'generic-csv')"
        )
    if prose_distance:
        notes.append(
            f"comment line(s) {', '.join(map(str, prose_distance))} mention a distance: "
            "rfcheck reads no measurement distance from a capture; give it with --distance "
            "(or the setup's distance_m), else the limit table's own distance is used"
        )
    return comments


def unused_detector_comment(
    columns: list[tuple[str, LevelUnit | None, Detector]],
    comments: dict[str, str],
    comment_used: bool,
) -> list[str]:
    """Say so when ``# detector:`` applies to no column and a column's label contradicts it.

    The comment is the default for columns whose label names no detector (and states the
    scale of an average whose label states none); when it applies to no column, a label
    naming another detector (``Peak (dBuV)`` under ``# detector: cispr-average``) means the
    file contradicts itself: the label is read, as documented, and the reader says which.
    Never silent, since a peak column read as an average (or the reverse) moves a verdict.
    """
    stated = label_detector_name(comments["detector"]) if "detector" in comments else None
    if stated is None or comment_used:
        return []
    other = [(label, det) for label, _, det in columns if det is not stated]
    if not other:
        return []
    shown = ", ".join(f"column {label!r}: {det.value}" for label, det in other)
    return [
        f"'# detector: {comments['detector']}' applies to no column, and the labels name "
        f"another detector ({shown}): each column is read as its label says"
    ]


def comment_detector(comments: dict[str, str], path: Path) -> Detector | None:
    """Return the detector ``# detector:`` names (the default of columns whose label states none).

    Raises
    ------
    CaptureFormatError
        The comment names two detectors (``QP peak``): read by its first word, it made every
        unlabelled column quasi-peak; which one the columns hold is never guessed.
    """
    if "detector" not in comments:
        return None
    two = column_reading(comments["detector"]).conflict
    if two:
        raise CaptureFormatError(
            f"'# detector: {comments['detector']}' names {len(two)} detectors "
            f"({', '.join(d.value for d in two)}): name the one the columns state none of "
            "(or state each column's in its label)",
            path,
        )
    return label_detector_name(comments["detector"])
