"""The end of a batch run: the rows grouped, the summary written, old report folders noted.

Every input gets its row (an input an interrupt left unfinished its INCOMPLETE row, a
folder that could not be listed its ERROR row); the summary files are written once; and the
report folders of inputs no longer present, removed or left in place, are named in a
short note each (:func:`note_tidied`). See ``docs/batch.md``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..outcome import Verdict
from .discover import BatchInput, UnlistedFolder
from .groups import group_rows
from .job import BatchJob, JobOutcome, not_run_row
from .output import CAPTURES_DIR, cannot_write
from .results import BatchResult, SummaryRow

__all__ = ["NOTE_NAMES", "STALE_KEPT_UNLISTED", "Found", "note_tidied", "summarise"]


#: Why report folders of inputs not found were kept: the summary's ``stale_kept``.
STALE_KEPT_UNLISTED = "a folder could not be listed: the inputs they were made from may be in it"


#: A note names at most this many report folders; the rest are counted.
NOTE_NAMES = 5


def _some(names: Sequence[str], rest: str) -> str:
    """Name the first :data:`NOTE_NAMES` folders; count the others (``rest`` says where all are)."""
    shown = ", ".join(names[:NOTE_NAMES])
    more = len(names) - NOTE_NAMES
    return shown if more <= 0 else f"{shown} (+{more:,} more{rest})"


def note_tidied(
    notes: Callable[[str], None],
    removed: Sequence[str],
    stale: Sequence[str],
    *,
    complete: bool = True,
) -> None:
    """Say which report folders of inputs no longer present were removed or left.

    One line each, naming a few folders: thousands of them would bury every other line of
    a terminal or a CI log. The stale ones are all in ``summary.json`` (``stale_captures``)
    and ``index.html``.
    """
    listed = '; every one in summary.json "stale_captures"'
    if removed:
        notes(
            f"removed {len(removed):,} report folder(s) of inputs no longer in this batch: "
            + _some(removed, "")
        )
    if stale and not complete:
        notes(
            f"{len(stale):,} folder(s) under {CAPTURES_DIR}/ belong to no input found in this "
            f"batch; left in place, listed as stale, because {STALE_KEPT_UNLISTED}: "
            + _some(stale, listed)
        )
    elif stale:
        notes(
            f"{len(stale):,} folder(s) under {CAPTURES_DIR}/ belong to no input of this batch "
            "and hold files rfcheck did not record writing; left in place, listed as stale: "
            + _some(stale, listed)
        )


@dataclass(frozen=True)
class Found:
    """What discovery found: the inputs, and the folders it could not list."""

    items: Sequence[BatchInput]
    unlisted: Sequence[UnlistedFolder]


def _unlisted_row(folder: UnlistedFolder) -> SummaryRow:
    """Return the ERROR row of a folder that could not be listed: its files were not judged."""
    return SummaryRow(
        path=folder.path.as_posix(),
        sha256=None,
        format=None,
        verdict=Verdict.ERROR,
        coverage="none",
        error=folder.message,
    )


def summarise(
    out: Path,
    jobs: Sequence[BatchJob],
    outcomes: Sequence[JobOutcome | None],
    found: Found,
    pattern: re.Pattern[str] | None,
    notes: Sequence[str],
    stale: Sequence[str],
) -> BatchResult:
    """Group the rows, write the summary files, and return the result.

    An input an interrupt left unfinished gets its INCOMPLETE row; a folder that could
    not be listed its ERROR row, after the inputs' rows.
    """
    from ..report.summary import write_summary

    finished = [o for o in outcomes if o is not None]
    interrupted = len(finished) < len(outcomes)
    computed = sum(o.computed for o in finished)
    all_rows = [
        o.row if o is not None else not_run_row(j) for o, j in zip(outcomes, jobs, strict=True)
    ]
    all_rows += [_unlisted_row(f) for f in found.unlisted]
    rels = [it.rel for it in found.items] + [f.rel for f in found.unlisted]
    rows, groups = group_rows(all_rows, rels, pattern)
    try:
        files = write_summary(
            out,
            rows,
            groups,
            pattern=pattern.pattern if pattern else None,
            interrupted=interrupted,
            stale=stale,
            stale_kept=STALE_KEPT_UNLISTED if found.unlisted and stale else "",
        )
    except OSError as err:
        raise cannot_write(out, err) from None
    return BatchResult(
        out=out,
        rows=tuple(rows),
        groups=tuple(groups),
        computed=computed,
        reused=len(finished) - computed,
        files=tuple(files),
        notes=tuple(notes),
        interrupted=interrupted,
        not_run=len(outcomes) - len(finished),
        stale=tuple(stale),
        unlisted=len(found.unlisted),
    )
