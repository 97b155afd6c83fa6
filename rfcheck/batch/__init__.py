"""``rfcheck batch``: judge every capture in one or more folder trees.

Flow: :func:`discover_inputs` finds the inputs (:mod:`~rfcheck.batch.discover`), one
picklable :class:`BatchJob` per input is run by :func:`run_job` (:mod:`~rfcheck.batch.job`;
reusing up-to-date outputs, :mod:`~rfcheck.batch.state`) in this process, a local process pool
or on a Dask cluster (:mod:`~rfcheck.batch.runner`), and the rows (:mod:`~rfcheck.batch.results`;
the units, :mod:`~rfcheck.batch.groups`) are written as ``summary.csv``, ``summary.json``,
``summary_groups.csv`` and ``index.html`` by :mod:`rfcheck.report.summary`. A bad input never
aborts the batch: it becomes an ERROR row.

The batch contract (output layout, folder names, discovery, grouping and resume rules) is
``docs/batch.md``.
"""

from __future__ import annotations

from .discover import (
    OUTPUT_MARKER,
    BatchInput,
    DiscoveryStats,
    FolderListError,
    UnlistedFolder,
    capture_folder_names,
    compile_group_pattern,
    discover,
    discover_inputs,
    glob_match,
    write_output_marker,
)
from .groups import GroupResult
from .job import BatchJob, JobOutcome, missing_limit_message, run_job
from .output import OutputFolderError, OutputWriteError
from .results import BatchResult, SummaryRow
from .runner import CAPTURES_DIR, BatchProgress, BatchSchedulerError, default_jobs, run_batch
from .state import STATE_FILE, settings_digest

__all__ = [
    "BatchInput",
    "BatchJob",
    "BatchProgress",
    "BatchResult",
    "BatchSchedulerError",
    "DiscoveryStats",
    "FolderListError",
    "GroupResult",
    "JobOutcome",
    "OutputFolderError",
    "OutputWriteError",
    "SummaryRow",
    "UnlistedFolder",
    "compile_group_pattern",
    "default_jobs",
    "discover",
    "discover_inputs",
    "glob_match",
    "missing_limit_message",
    "capture_folder_names",
    "settings_digest",
    "run_job",
    "run_batch",
    "write_output_marker",
    "STATE_FILE",
    "CAPTURES_DIR",
    "OUTPUT_MARKER",
]
