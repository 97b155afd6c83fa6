"""Each summary row names the SHA-256 of its input's data files, as check's CSV does.

A SigMF recording's row is named by its ``.sigmf-meta``, whose ``sha256`` is the metadata
text's: recordings sharing one (same rate, centre and scale) had rows a summary saved alone
could not tell apart. ``data_sha256`` is the ``.sigmf-data``'s, and survives a resumed run.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from pathlib import Path

from rfcheck.batch import run_batch

SAMPLES = Path(__file__).resolve().parents[2] / "sample_captures"
OVERRIDES = {"limit_ids": ("fcc-15.107-b",), "lisn": SAMPLES / "transducers/lisn_factor.csv"}


def _rows(out: Path) -> tuple[dict[str, list[str]], dict[str, str]]:
    doc = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    by_json = {Path(r["path"]).name: r["data_sha256"] for r in doc["rows"]}
    text = (out / "summary.csv").read_text(encoding="utf-8")
    by_csv = {Path(r["path"]).name: r["data_sha256"] for r in csv.DictReader(io.StringIO(text))}
    return by_json, by_csv


def test_a_recording_s_row_names_its_data_file_and_keeps_it_on_resume(tmp_path: Path) -> None:
    src = SAMPLES / "conducted"
    data = hashlib.sha256((src / "rig_L1_burst.sigmf-data").read_bytes()).hexdigest()
    out = tmp_path / "out"
    for _ in range(2):  # the second run reuses the first one's results
        run_batch([src], out, overrides=OVERRIDES, formats=("json",), jobs=1)
        by_json, by_csv = _rows(out)
        assert by_json["rig_L1_burst.sigmf-meta"] == [data]
        assert by_csv["rig_L1_burst.sigmf-meta"] == data
        scan = "rig_L1_peak_keysight.csv"  # one file: no data file beside it
        assert by_json[scan] == [] and by_csv[scan] == ""
