"""What identifies a capture's measured values whatever else its file's bytes hold.

A copy of a capture re-saved by a spreadsheet (CRLF line ends, other number formatting) or
with an edited header line (``# dut_serial:``) has other bytes than the file it copies, but
the same readings. :func:`readings_key` finds them cheaply, from the end of a text file
only (the run's parent process checks every capture before any is judged, so a file is never
parsed whole here): the last :data:`ROWS` complete data rows of its last :data:`TAIL_BYTES`
bytes, a data row being a line of numbers only (separators ``,`` ``;`` tab and spaces; a NUL
is a space), each number read as a float, so ``50.0``, ``50.00`` and ``5e1`` are one reading
and line ends and white space do not count. In a line separated by ``;`` or tabs a number
with a decimal comma (``-73,25``) is read as ``-73.25``; a decimal-comma file separated by
spaces is not (its rows are then not data rows here: no key, the bytes are still compared).

The key is given only when the rows are enough to tell measurements apart: every number of
:data:`ROWS` rows, at least :data:`MIN_DISTINCT` distinct values among the columns but the
axis (the first strictly increasing or decreasing column: the frequency). Two measurements on
one frequency grid whose last rows are all one level (a blank trace's sentinel, a clamped
floor) have no key, so they are never matched. Two real measurements never agree to the
last digit on every reading of 32 rows.

A binary recording's measurement is its samples: :func:`sample_parts` names them (a SigMF
recording's ``.sigmf-data``; the data member of an uncompressed SigMF archive or R&S iq-tar),
and :func:`samples_digest` hashes them, so a recording whose metadata was edited is still
the recording it copies. Samples that are one byte repeated have no digest.

References
----------
47 CFR 2.938(b): the record of the equipment tested; CISPR TR 16-4-3: the 80/80 rule assumes
independent units (``docs/dossier.md``, ``docs/lot.md``).
"""

from __future__ import annotations

import hashlib
import re
import struct
import tarfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "MIN_DISTINCT",
    "ROWS",
    "TAIL_BYTES",
    "SamplePart",
    "readings_key",
    "sample_parts",
    "samples_digest",
]

#: Bytes read from the end of a text capture. [bytes]
TAIL_BYTES = 8192
#: Data rows a readings key covers (the last ones of the file).
ROWS = 32
#: Distinct values the non-axis columns of those rows must hold for a key.
MIN_DISTINCT = 8

#: Every character a data row may hold: digits, signs, points, exponents, separators.
_ROW_CHARS = "0123456789+-.eE,; \t"
_DECIMAL_COMMA = re.compile(r"[+-]?\d+,\d+(?:[eE][+-]?\d+)?")
_LINE_END = re.compile(r"\r\n|\r|\n")
_COMMA_OR_SPACE = re.compile(r"[,\s]+")
_FIELD = re.compile(r"[;\t]")
#: An R&S iq-tar data member: ``<name>.<complex|real|polar>.<N>ch.<type>``.
_IQTAR_DATA = re.compile(r"\.(?:complex|real|polar)\.\d+ch\.\w+$")
_SIGMF_META, _SIGMF_DATA, _SIGMF_ARCHIVE = ".sigmf-meta", ".sigmf-data", ".sigmf"
_BLOCK = 1 << 20


def _row(line: str) -> tuple[float, ...] | None:
    """Return the numbers of a data row; None when the line holds anything else."""
    if not line or line.strip(_ROW_CHARS):  # a character no data row holds: at once
        return None
    if ";" in line or "\t" in line:
        fields = [f.strip() for f in _FIELD.split(line)]
        fields = [f.replace(",", ".") if _DECIMAL_COMMA.fullmatch(f) else f for f in fields]
        tokens = [t for f in fields for t in f.split()]
    else:
        tokens = [t for t in _COMMA_OR_SPACE.split(line) if t]
    try:  # float() of these characters takes exactly the numbers ("e", "1.2.3" raise)
        # + 0.0: -0.00 and 0.00 are one reading
        return tuple(float(t) + 0.0 for t in tokens) or None
    except ValueError:
        return None


def _tail_rows(path: Path, size: int) -> list[tuple[float, ...]]:
    """Return the last :data:`ROWS` complete data rows of the file's last :data:`TAIL_BYTES`.

    Fewer when the window holds fewer; in file order.
    """
    start = max(0, size - TAIL_BYTES)
    with path.open("rb") as fh:
        fh.seek(start)
        raw = fh.read(TAIL_BYTES)
    lines = _LINE_END.split(raw.replace(b"\0", b" ").decode("latin-1"))
    if start:  # the first line may begin before the window
        lines = lines[1:]
    rows: list[tuple[float, ...]] = []
    for line in reversed(lines):  # from the end: the rows a key needs, no more
        row = _row(line)
        if row is not None:
            rows.append(row)
            if len(rows) == ROWS:
                break
    return rows[::-1]


def _axis(column: Sequence[float]) -> bool:
    """Whether a column strictly increases or strictly decreases (a frequency axis)."""
    steps = [b - a for a, b in zip(column, column[1:], strict=False)]
    return all(s > 0 for s in steps) or all(s < 0 for s in steps)


def _distinct_readings(rows: Sequence[tuple[float, ...]]) -> int:
    """Distinct values in the rows of the most common width, their axis column left out.

    The axis: the first column that strictly increases or decreases (the frequency; a
    level falling smoothly over the rows, as a filter's skirt does, is a reading).
    """
    width = Counter(len(r) for r in rows).most_common(1)[0][0]
    columns = list(zip(*(r for r in rows if len(r) == width), strict=True))
    axis = next((c for c in columns if _axis(c)), None)
    return len({v for c in columns if c is not axis for v in c})


def readings_key(path: Path, size: int) -> str | None:
    """Return the SHA-256 of the numbers of a text capture's last :data:`ROWS` data rows.

    Parameters
    ----------
    path : Path
        A regular file (the caller checked; never a FIFO).
    size : int
        Its size. [bytes]

    Returns
    -------
    str or None
        The hex digest of the rows' numbers (each row: its count, then each number as a
        little-endian float64); None when the file cannot be read, has fewer data rows, or
        its readings are too uniform to tell measurements apart (:data:`MIN_DISTINCT`).
    """
    try:
        rows = _tail_rows(path, size)
    except OSError:
        return None
    if len(rows) < ROWS or _distinct_readings(rows) < MIN_DISTINCT:
        return None
    packed = b"".join(struct.pack(f"<I{len(r)}d", len(r), *r) for r in rows)
    return hashlib.sha256(packed).hexdigest()


@dataclass(frozen=True)
class SamplePart:
    """A byte range of a file holding a recording's samples."""

    path: Path
    offset: int
    size: int


def _tar_parts(path: Path) -> tuple[SamplePart, ...] | None:
    try:
        with tarfile.open(path, "r:") as tar:
            members = [m for m in tar.getmembers() if m.isfile()]
    except (OSError, tarfile.TarError):
        return None
    parts = tuple(
        SamplePart(path, m.offset_data, m.size)
        for m in members
        if m.name.endswith(_SIGMF_DATA) or _IQTAR_DATA.search(m.name)
    )
    return parts or None


def sample_parts(path: Path) -> tuple[SamplePart, ...] | None:
    """Return where a binary recording's samples are; None for any other capture.

    A SigMF metadata file: its ``.sigmf-data`` file (as
    :func:`rfcheck.shared_content.capture_files` pairs them); a SigMF archive (``.sigmf``) or
    an R&S iq-tar (``.tar``): its data members, located from the tar headers only.
    """
    name = path.name.lower()
    if name.endswith(_SIGMF_META):
        data = path.with_name(path.name[: -len(_SIGMF_META)] + _SIGMF_DATA)
        try:
            return (SamplePart(data, 0, data.stat().st_size),) if data.is_file() else None
        except OSError:
            return None
    if name.endswith((_SIGMF_ARCHIVE, ".tar")):
        return _tar_parts(path)
    return None


def samples_digest(parts: Sequence[SamplePart]) -> str | None:
    """Return the SHA-256 of the samples; None when unreadable or one byte repeated."""
    h = hashlib.sha256()
    first: int | None = None
    varied = False
    try:
        for part in parts:
            with part.path.open("rb") as fh:
                fh.seek(part.offset)
                left = part.size
                while left > 0:
                    block = fh.read(min(_BLOCK, left))
                    if not block:
                        return None  # truncated: its reader says
                    first = block[0] if first is None else first
                    varied = varied or block.count(first) != len(block)
                    h.update(block)
                    left -= len(block)
    except OSError:
        return None
    return h.hexdigest() if varied else None
