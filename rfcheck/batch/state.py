"""Resume state of a batch: what decides that a capture's outputs are up to date.

Each capture folder holds :data:`STATE_FILE`, written atomically after the reports: the
input's SHA-256, the SHA-256 of each companion file it is read from (a SigMF data file),
the :func:`settings_digest` and the summary row. The state is not trusted
on its own: it also holds the SHA-256 of every report file and a *record digest* binding the
row, the capture and those hashes, and is reused only when the reports on disk still hash to
those values and the digest matches (an edited verdict is recomputed). The resume rule is
stated in ``docs/batch.md``.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any

from .._version import __version__
from ..documents import load_json
from ..io import companion_hashes, file_sha256
from ..report import write_atomic
from ..settings import CheckSettings, Setup
from ..textsafe import json_safe
from .results import SummaryRow

__all__ = [
    "STATE_FILE",
    "CaptureState",
    "settings_digest",
    "input_companions",
    "load_state",
    "save_state",
    "earlier_reports",
    "remove_superseded",
]

#: Per-capture resume state, written last in each capture folder.
STATE_FILE = ".rfcheck-state.json"
#: 3: rows carry the judged and required ranges (a row saved without them is recomputed, so a
#: PASS over a requested range is never reused without saying so); 4: rows carry ``levels``
#: (where the judged levels come from; a row saved without it is recomputed); 5: rows carry
#: ``scale`` (the scale a recording's samples were taken at); 6: rows carry what the verdict
#: takes on trust (``assumed_dwell_lines``, ``assumed_dwell_s``, ``assumed_scale``: a PASS
#: saved without them is recomputed, never reused as a plain PASS).
_STATE_SCHEMA = 6


@dataclass(frozen=True)
class CaptureState:
    """What a capture's outputs were made from: compared with the job before reusing them.

    Attributes
    ----------
    input_sha256 : str or None
        SHA-256 of the input bytes (None: unreadable, never reused).
    companions : list of [path, sha256]
        The files the input is read from besides itself (:func:`input_companions`).
    settings_digest : str
        :func:`settings_digest` of the job.
    """

    input_sha256: str | None
    companions: list[list[str]]
    settings_digest: str


def _canonical(value: Any, file_hashes: dict[Path, str]) -> Any:
    if isinstance(value, Path):
        if value not in file_hashes:
            try:  # only a regular file: a FIFO would block, /dev/zero never end
                file_hashes[value] = (
                    file_sha256(value) if value.is_file() else "unreadable:" + str(value)
                )
            except OSError:
                file_hashes[value] = "unreadable:" + str(value)
        return {"file_sha256": file_hashes[value]}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, Mapping):
        return {str(k): _canonical(v, file_hashes) for k, v in sorted(value.items())}
    if isinstance(value, list | tuple):
        return [_canonical(v, file_hashes) for v in value]
    if value is None or isinstance(value, str | int | bool):
        return value
    return str(value)


def settings_digest(
    settings: CheckSettings,
    *,
    formats: Sequence[str] = (),
    setup: Setup | None = None,
    display_path: str = "",
    file_hashes: dict[Path, str] | None = None,
) -> str:
    """SHA-256 over everything besides the input bytes that shapes a capture's outputs.

    Covers every :class:`~rfcheck.settings.CheckSettings` field (files by content hash),
    the report formats, the setup's ``[dut]``/``[lab]``/``[test]`` tables, the displayed
    input path and the rfcheck version. ``file_hashes`` caches file hashes across calls.
    """
    cache = {} if file_hashes is None else file_hashes
    doc = {
        "rfcheck_version": __version__,
        "settings": {
            f.name: _canonical(getattr(settings, f.name), cache)
            for f in dataclasses.fields(settings)
        },
        "formats": list(formats),
        "setup": _canonical(
            {"dut": setup.dut, "lab": setup.lab, "test": setup.test} if setup else {}, cache
        ),
        "path": display_path,
    }
    text = json.dumps(doc, sort_keys=True, ensure_ascii=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("ascii")).hexdigest()


def input_companions(path: str, fmt: str | None) -> list[list[str]]:
    """``[path, sha256]`` of the files an input is read from besides itself (SigMF data)."""
    return [[p, h] for p, h in companion_hashes(path, fmt)]


def _report_hashes(row: SummaryRow, out_root: Path) -> dict[str, str] | None:
    """Return the SHA-256 of each report the row lists, or None when one is missing or unreadable.

    The paths are relative to ``out_root``.
    """
    hashes = {}
    for rel in row.reports:
        try:
            hashes[rel] = file_sha256(out_root / rel)
        except OSError:
            return None
    return hashes


def _record_digest(
    state: CaptureState, row: dict[str, Any], capture: Any, reports: dict[str, str]
) -> str:
    """SHA-256 binding the saved row and capture to the job's state and its report files."""
    doc = {
        "input_sha256": state.input_sha256,
        "companions": state.companions,
        "settings_digest": state.settings_digest,
        "row": row,
        "capture": capture,
        "reports_sha256": reports,
    }
    text = json.dumps(
        doc, sort_keys=True, ensure_ascii=True, allow_nan=False, separators=(",", ":")
    )
    return hashlib.sha256(text.encode("ascii")).hexdigest()


def _consistent(row: SummaryRow, capture: Any, out_root: Path) -> bool:
    """Return whether the row agrees with the saved capture and its own JSON report.

    Agrees: the same verdict and coverage as the saved capture and the capture's own JSON
    report (when one was written).
    """
    if capture is None:  # not analysed: an ERROR row, nothing evaluated
        return row.verdict.value == "ERROR"
    docs = [capture]
    for rel in row.reports:
        if rel.endswith(".json"):
            try:
                report = load_json((out_root / rel).read_bytes())
                docs.append(report["captures"][0])
            except (OSError, ValueError, KeyError, IndexError, TypeError):
                return False
    return all(
        isinstance(doc, dict)
        and doc.get("verdict") == row.verdict.value
        and doc.get("coverage", row.coverage) == row.coverage
        for doc in docs
    )


def load_state(folder: Path, expected: CaptureState, out_root: Path) -> SummaryRow | None:
    """Return the summary row saved in ``folder`` if its outputs are up to date, else None.

    Up to date: the saved state matches ``expected`` (same input and companion hashes, same
    settings digest), the input was readable, every report the row lists exists under
    ``out_root`` with the SHA-256 recorded when it was written, the saved row agrees with
    the saved capture (verdict, coverage), and the record digest over all of these matches
    (so a state file edited by hand, e.g. a verdict changed from FAIL to PASS, is not
    trusted: the capture is recomputed).
    """
    try:
        state = load_json((folder / STATE_FILE).read_bytes())
    except (OSError, ValueError):
        return None
    if not isinstance(state, dict) or state.get("schema") != _STATE_SCHEMA:
        return None
    if (
        expected.input_sha256 is None
        or state.get("input_sha256") != expected.input_sha256
        or state.get("settings_digest") != expected.settings_digest
        or state.get("companions", []) != expected.companions
    ):
        return None
    try:
        row = SummaryRow.from_json(state["row"])
        digest = _record_digest(expected, state["row"], state["capture"], state["reports_sha256"])
    except (KeyError, TypeError, ValueError):
        return None
    reports = _report_hashes(row, out_root)
    if (
        reports is None
        or reports != state["reports_sha256"]
        or digest != state.get("record_digest")
        or not _consistent(row, state["capture"], out_root)
    ):
        return None
    return row


def earlier_reports(folder: Path) -> dict[str, str]:
    """Return the reports an earlier run recorded writing for this capture, with their SHA-256.

    Read from the folder's resume state, whatever its schema or inputs (paths relative to
    the output root); empty when there is none or it cannot be read.
    """
    try:
        state = load_json((folder / STATE_FILE).read_bytes())
        reports = state["reports_sha256"]
    except (OSError, ValueError, KeyError, TypeError):
        return {}
    if not isinstance(reports, dict):
        return {}
    return {str(k): str(v) for k, v in reports.items()}


def remove_superseded(
    earlier: Mapping[str, str], written: Sequence[str], folder: Path, out_root: Path
) -> None:
    """Remove the earlier run's reports of a capture that this run did not write again.

    A report of the old verdict left beside the new one would contradict it (a FAIL CSV
    beside a PASS JSON). Only files in the capture's own folder whose bytes are still the
    ones the earlier state recorded are removed: a file edited since, or one rfcheck did
    not record writing, is left alone (docs/batch.md, "Output folder").
    """
    keep = set(written)
    home = folder.resolve()
    for rel, sha in earlier.items():
        path = out_root / rel
        if rel in keep or path.resolve().parent != home:
            continue
        try:
            if path.is_file() and not path.is_symlink() and file_sha256(path) == sha:
                path.unlink()
        except OSError:
            continue


def save_state(
    folder: Path,
    state: CaptureState,
    row: SummaryRow,
    capture_json: dict[str, Any] | None,
    out_root: Path,
) -> None:
    """Write the resume state atomically.

    The state holds the SHA-256 of each report the row lists, relative to ``out_root``;
    silently none is written when the input was unreadable, a report cannot
    be hashed or the state cannot be written (the capture is then recomputed next time).
    """
    reports = _report_hashes(row, out_root)
    if state.input_sha256 is None or reports is None:
        return
    try:
        row_json = json.loads(json.dumps(row.to_json(), allow_nan=False))
        capture = json.loads(json.dumps(capture_json, allow_nan=False))
        doc = {
            "schema": _STATE_SCHEMA,
            "input_sha256": state.input_sha256,
            "companions": state.companions,
            "settings_digest": state.settings_digest,
            "row": row_json,
            "capture": capture,
            "reports_sha256": reports,
            "record_digest": _record_digest(state, row_json, capture, reports),
        }
        data = json_safe(
            json.dumps(doc, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
        )
        write_atomic(folder / STATE_FILE, data.encode("utf-8"))
    except (OSError, ValueError):  # no state: recomputed next time, the row still counts
        pass
