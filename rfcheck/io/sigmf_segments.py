"""SigMF capture segments: where each lies in the data, and what its time series is named.

A SigMF recording's ``captures`` array divides the dataset into segments, each running from
its ``core:sample_start`` to the next one's (the last to the end of the data), each with its
own ``core:frequency`` and ``core:datetime``; ``core:header_bytes`` precede a segment's
samples in a non-conforming dataset. rfcheck measures every segment on its own: a later
segment may be retuned or discontinuous in time (a recorder starts one at an overflow or a
timestamp tag), and one at the same frequency holds more of the recording, which the verdict
must see (a second half 24 dB over the limit, unread, once read PASS).

References
----------
SigMF specification v1.2, "Captures Array" (``core:sample_start``, ``core:header_bytes``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import CaptureFormatError
from ._iq import SampleLayout
from .sigmf_files import Source

__all__ = [
    "MAX_SEGMENTS",
    "Segment",
    "annotations_past_end",
    "named",
    "segments",
    "series_name",
    "whole_number",
]


def whole_number(
    value: Any, key: str, path: Path, *, minimum: int = 0, maximum: int | None = None
) -> int:
    """Return a whole-number field (``core:num_channels``, ``core:header_bytes``...) in range."""
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not math.isfinite(value)
        or value != int(value)
    ):
        raise CaptureFormatError(f"{key}: not a whole number: {value!r}", path)
    if value < minimum or (maximum is not None and value > maximum):
        top = "" if maximum is None else f"..{maximum}"
        raise CaptureFormatError(f"{key}: {value!r} is outside {minimum}{top}", path)
    return int(value)


#: Capture segments measured at most: each is its own record (a time series per channel),
#: judged on its own; a recording of more is refused (split it), never judged in part.
MAX_SEGMENTS = 64


@dataclass(frozen=True)
class Segment:
    """The bytes of one capture segment's samples."""

    index: int  #: its place in ``captures``
    offset: int  #: from the start of the data file or archive [B]
    n_bytes: int  #: [B]
    start: int  #: its first sample (``core:sample_start``)


def segments(
    meta: Mapping[str, Any], src: Source, layout: SampleLayout, what: str, notes: list[str]
) -> list[Segment]:
    """Locate every capture segment in the data, checking sizes and sample indices.

    A segment runs from its ``core:sample_start`` to the next one's (the last to the end of
    the data); ``core:header_bytes`` precede a segment's samples (a non-conforming
    dataset's headers). Each segment is measured on its own: a later one may be retuned or
    discontinuous in time (an overflow, a timestamp tag), and one at the same frequency
    holds more of the recording, which the verdict must see.

    Raises
    ------
    CaptureFormatError
        Header/trailing bytes larger than the data, a size that is not whole samples, no
        samples, a segment outside the data or holding none, more than
        :data:`MAX_SEGMENTS` segments.
    """
    glob = meta["global"]
    where = src.data_path
    captures = list(meta.get("captures") or [{"core:sample_start": 0}])
    headers = [
        whole_number(c.get("core:header_bytes", 0), f"captures[{i}].core:header_bytes", where)
        for i, c in enumerate(captures)
    ]
    trailing = whole_number(glob.get("core:trailing_bytes", 0), "core:trailing_bytes", where)
    skipped = sum(headers) + trailing
    total = src.data_size - skipped
    if total < 0:
        raise CaptureFormatError(
            f"data is {src.data_size} bytes but the metadata skips {skipped} header/trailing bytes",
            where,
        )
    if total % layout.frame_bytes:
        raise CaptureFormatError(
            f"{named(what)}size {total} bytes is not a multiple of the sample size "
            f"{layout.frame_bytes} bytes ({layout.label}, {layout.n_channels} channel(s)); "
            "the file is "
            "truncated or core:datatype is wrong",
            where,
        )
    n_total = total // layout.frame_bytes
    if n_total == 0:
        raise CaptureFormatError(f"{named(what)}holds no samples", where)
    start = whole_number(
        captures[0].get("core:sample_start", 0), "captures[0].core:sample_start", where
    )
    starts = [start] + [
        whole_number(c.get("core:sample_start", n_total), f"captures[{k}].core:sample_start", where)
        for k, c in enumerate(captures[1:], 1)
    ]
    check_starts(starts, n_total, where)
    if len(starts) > MAX_SEGMENTS:
        raise CaptureFormatError(
            f"recording has {len(starts)} capture segments; rfcheck measures at most "
            f"{MAX_SEGMENTS}, each on its own (split the recording, or merge segments that "
            "are one continuous record)",
            where,
        )
    if start:
        notes.append(
            f"captures[0].core:sample_start is {start}: the first {start} samples of the data "
            "come before the first capture segment and are not used"
        )
    stops = [*starts[1:], n_total]
    if len(starts) > 1:
        notes.append(
            f"recording has {len(starts)} capture segments: each is measured on its own "
            "(a later segment may be retuned or discontinuous in time), named "
            + ("'Segment N'" if layout.n_channels == 1 else "'Channel M, segment N'")
        )
    return [
        Segment(
            k,
            src.data_offset + sum(headers[: k + 1]) + a * layout.frame_bytes,
            (b - a) * layout.frame_bytes,
            a,
        )
        for k, (a, b) in enumerate(zip(starts, stops, strict=True))
    ]


def named(what: str) -> str:
    """Return ``what`` as a message's opening (``"SigMF data member: "``), "" for none."""
    return f"{what}: " if what else ""


def check_starts(starts: list[int], n_total: int, where: Path) -> None:
    """Refuse a capture segment starting at or past the end of the data, or an empty segment 0.

    ``starts``: ``core:sample_start`` of every capture segment, in order; ``n_total``: the
    samples the data holds. A segment starting at ``n_total`` holds no sample of the data: the
    metadata and the data disagree (a sign that the data are not what the metadata say), as
    for a start beyond it.
    """
    for k, s in enumerate(starts):
        if s >= n_total:
            raise CaptureFormatError(
                f"captures[{k}].core:sample_start {s} is past the end of the data, which holds "
                f"{n_total} samples (0..{n_total - 1})",
                where,
            )
    for k in range(1, len(starts)):
        if starts[k] <= starts[k - 1]:
            raise CaptureFormatError(
                f"captures[{k}].core:sample_start {starts[k]} is not after "
                f"captures[{k - 1}].core:sample_start {starts[k - 1]}: capture segment "
                f"{k - 1} holds no sample",
                where,
            )


def series_name(
    description: str, channel: int, n_channels: int, segment: int, n_segments: int
) -> str:
    """Return a time series' name: the description alone, else its channel and segment.

    ``Channel 2``, ``Segment 3``, ``Channel 2, segment 3`` (counting from 1), as the receiver's
    traces and notes are then named.
    """
    if n_segments == 1:
        return description if n_channels == 1 else f"Channel {channel + 1}"
    if n_channels == 1:
        return f"Segment {segment + 1}"
    return f"Channel {channel + 1}, segment {segment + 1}"


def annotations_past_end(meta: Mapping[str, Any], n_samples: int) -> str:
    """Return a note on annotations that reach past the data's last sample ("" if none).

    An annotation (``core:sample_start`` + ``core:sample_count``) of samples the data do not
    hold can be the only sign of a copy cut short on a whole sample; the samples there
    are read as they are (docs/receiver.md, "Capture segments").
    """
    past = []
    for k, ann in enumerate(meta.get("annotations") or []):
        if not isinstance(ann, Mapping):
            continue
        start, count = ann.get("core:sample_start"), ann.get("core:sample_count", 0)
        if not all(isinstance(v, int) and not isinstance(v, bool) for v in (start, count)):
            continue
        if start + count > n_samples:
            past.append((k, start + count))
    if not past:
        return ""
    k, end = past[0]
    more = f" (and {len(past) - 1} more)" if len(past) > 1 else ""
    return (
        f"annotations[{k}] runs to sample {end - 1}{more}, past the data's last sample "
        f"{n_samples - 1}: the data may be a copy cut short; the samples it holds are read"
    )
