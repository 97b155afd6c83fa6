"""A SigMF ``core:dataset`` name the file system refuses (too long) is a format error naming
the file, not an OSError traceback (found by the hostile-input fuzz test)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rfcheck.errors import CaptureFormatError
from rfcheck.io import load_capture


def test_a_dataset_name_too_long_is_a_format_error(tmp_path: Path) -> None:
    meta = tmp_path / "a.sigmf-meta"
    doc = {"global": {"core:datatype": "cf32_le", "core:dataset": "x" * 400}, "captures": [], "annotations": []}
    meta.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(CaptureFormatError, match="SigMF data file x+ not found"):
        load_capture(meta)
