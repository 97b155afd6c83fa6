"""Test capture provenance (rfcheck.io): the companion files a capture is read with.

A SigMF recording's data file is listed with its own SHA-256 in the capture's provenance and
in ``check``'s inputs and JSON; single-file formats list none. (A batch recomputes when the
data file changes: tests/batch/test_state.py.)
"""

from __future__ import annotations

import hashlib
import json
import tarfile
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

from click.testing import CliRunner

from rfcheck.analysis import run_check
from rfcheck.cli import main
from rfcheck.io import companion_files, companion_hashes, load_capture
from rfcheck.settings import CheckSettings


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _flip_data(meta: Path) -> Path:
    """Change the data file's bytes without changing its size."""
    data = meta.with_name(meta.name.replace(".sigmf-meta", ".sigmf-data"))
    raw = bytearray(data.read_bytes())
    raw[100] ^= 0x01
    data.write_bytes(bytes(raw))
    return data


def _cli(*args: str | Path, env: dict[str, str] | None = None) -> Any:
    return CliRunner().invoke(main, [str(a) for a in args], env=env)


def test_sigmf_provenance_lists_the_data_file(
    tmp_path: Path, sigmf_cw: Callable[..., Path]
) -> None:
    meta = sigmf_cw(tmp_path)
    data = tmp_path / "rec.sigmf-data"
    prov = load_capture(meta).provenance
    assert prov is not None
    assert prov.sha256 == _sha(meta)  # the named file only
    assert prov.companions == ((str(data), _sha(data)),)
    before = prov.companions
    _flip_data(meta)
    prov2 = load_capture(meta).provenance
    assert prov2 is not None and prov2.sha256 == prov.sha256
    assert prov2.companions != before and prov2.companions[0][1] == _sha(data)
    by_data = load_capture(data).provenance  # the data file named: the metadata is the companion
    assert by_data is not None and by_data.sha256 == _sha(data)
    assert by_data.companions == ((str(meta), _sha(meta)),)


def test_single_file_formats_have_no_companions(
    tmp_path: Path, sigmf_cw: Callable[..., Path], batch_tree: ModuleType
) -> None:
    csv = batch_tree.passing(tmp_path / "a.csv")
    assert companion_files(csv) == [] and load_capture(csv).provenance.companions == ()  # type: ignore[union-attr]
    meta = sigmf_cw(tmp_path / "arch")
    archive = tmp_path / "rec.sigmf"
    with tarfile.open(archive, "w") as tar:
        for f in (meta, meta.with_suffix(".sigmf-data")):
            tar.add(f, arcname=f"rec/{f.name}")
    assert load_capture(archive).provenance.companions == ()  # type: ignore[union-attr]
    assert companion_files(tmp_path / "missing.sigmf-meta") == []


def test_check_inputs_and_json_list_the_data_file(
    tmp_path: Path, sigmf_cw: Callable[..., Path]
) -> None:
    meta = sigmf_cw(tmp_path)
    data = tmp_path / "rec.sigmf-data"
    run = run_check([meta], CheckSettings(limit_ids=("fcc-15.107-b",)))
    roles = {(i.role, i.path): i.sha256 for i in run.inputs}
    assert roles[("capture", str(meta))] == _sha(meta)
    assert roles[("capture-data", str(data))] == _sha(data)
    assert companion_hashes(meta) == [(str(data), _sha(data))]
    result = _cli("check", meta, "--limit", "fcc-15.107-b", "-o", "json")
    doc = json.loads(result.stdout)
    assert {"role": "capture-data", "path": str(data), "sha256": _sha(data)} in [
        {k: i[k] for k in ("role", "path", "sha256")} for i in doc["inputs"]
    ]
