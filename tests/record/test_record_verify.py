"""verify: re-hash the inputs a PDF's manifest lists; re-judge through a callback."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest

from rfcheck.errors import RecordFileError
from rfcheck.record import FileStatus, Manifest, parse_manifest, verify_pdf


def test_untouched_folder_matches(make_dossier: Callable[..., Path], setup_dir: Path) -> None:
    result = verify_pdf(make_dossier(), setup_dir)
    assert [(f.path, f.status) for f in result.files] == [
        ("conducted/HC3_L1.csv", FileStatus.MATCH),
        ("conducted/HC3_L2.csv", FileStatus.MATCH),
        ("setup.toml", FileStatus.MATCH),
    ]
    assert result.ok


def test_one_changed_byte_and_a_missing_file_are_named(
    make_dossier: Callable[..., Path], setup_dir: Path
) -> None:
    pdf = make_dossier()
    capture = setup_dir / "conducted" / "HC3_L2.csv"
    data = bytearray(capture.read_bytes())
    data[-3] ^= 0x01
    capture.write_bytes(bytes(data))
    (setup_dir / "conducted" / "HC3_L1.csv").unlink()
    result = verify_pdf(pdf, setup_dir)
    assert {f.path: f.status for f in result.files} == {
        "conducted/HC3_L1.csv": FileStatus.MISSING,
        "conducted/HC3_L2.csv": FileStatus.DIFFERS,
        "setup.toml": FileStatus.MATCH,
    }
    assert not result.ok


def test_rejudge_runs_only_on_matching_inputs_and_compares_verdicts(
    make_dossier: Callable[..., Path], setup_dir: Path
) -> None:
    calls: list[Mapping[str, Any]] = []

    def rejudge(manifest: Manifest, settings: Mapping[str, Any]) -> str:
        calls.append(settings)
        return "FAIL"

    pdf = make_dossier(settings={"distance_m": 10.0})
    result = verify_pdf(pdf, setup_dir, rejudge=rejudge)
    assert calls == [{"distance_m": 10}]
    assert result.rejudged is not None and result.rejudged.recorded == "PASS"
    assert not result.rejudged.stands and not result.ok
    assert verify_pdf(pdf, setup_dir, rejudge=lambda m, s: "PASS").ok
    (setup_dir / "setup.toml").write_text("changed", encoding="utf-8")
    calls.clear()
    assert verify_pdf(pdf, setup_dir, rejudge=rejudge).rejudged is None and calls == []


def _manifest(inputs: list[dict[str, Any]]) -> str:
    return json.dumps({"format": "rfcheck-manifest", "format_version": 1, "inputs": inputs})


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{", "manifest is not valid JSON"),
        ('{"format": "other"}', "not an rfcheck input manifest"),
        (
            _manifest([{"path": "../etc/passwd", "sha256": "0" * 64}]),
            "inputs[1]: path '../etc/passwd' is not relative to the inputs folder",
        ),
        (
            _manifest([{"path": "/etc/passwd", "sha256": "0" * 64}]),
            "inputs[1]: path '/etc/passwd' is not relative to the inputs folder",
        ),
        (
            _manifest([{"path": "a.csv", "sha256": "xyz"}]),
            "inputs[1]: sha256 must be 64 lowercase hex digits",
        ),
    ],
)
def test_malformed_manifests_are_rejected(text: str, message: str) -> None:
    with pytest.raises(RecordFileError) as err:
        parse_manifest(text, source="d.pdf:manifest.json")
    assert str(err.value).startswith(f"d.pdf:manifest.json: {message}")
