"""Fixtures for the record tests.

The documented example setup, written to a folder with small generated PNG photos, and a factory for
dossier PDFs with a manifest.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from rfcheck.record import (
    Attachment,
    CoverFacts,
    build_manifest,
    input_file,
    load_record,
    write_record_pdf,
)

DOCS = Path(__file__).resolve().parents[2] / "docs" / "record.md"


@pytest.fixture(scope="session")
def example_toml() -> str:
    """Return the ```toml example block of docs/record.md (the tests keep the page honest)."""
    found = re.search(r"```toml\n(.*?)```", DOCS.read_text(encoding="utf-8"), re.S)
    assert found is not None
    return found.group(1)


@pytest.fixture
def setup_dir(tmp_path: Path, example_toml: str) -> Path:
    """Return a folder with ``setup.toml`` (the docs example), its photos and two capture files."""
    root = tmp_path / "rig"
    (root / "photos").mkdir(parents=True)
    (root / "conducted").mkdir()
    (root / "setup.toml").write_text(example_toml, encoding="utf-8")
    for name, colour in (("conducted_setup", "red"), ("radiated_setup", "blue"), ("label", "grey")):
        Image.new("RGB", (64, 48), colour).save(root / "photos" / f"{name}.png")
    (root / "conducted" / "HC3_L1.csv").write_text("freq_hz,level\n150000,40.0\n", encoding="utf-8")
    (root / "conducted" / "HC3_L2.csv").write_text("freq_hz,level\n150000,41.0\n", encoding="utf-8")
    return root


@pytest.fixture
def make_setup(setup_dir: Path, example_toml: str) -> Callable[[Callable[[str], str]], Path]:
    """Write a variant of the example setup: ``edit(text) -> text``; returns its path."""

    def make(edit: Callable[[str], str]) -> Path:
        path = setup_dir / "variant.toml"
        path.write_text(edit(example_toml), encoding="utf-8")
        return path

    return make


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def make_dossier(setup_dir: Path) -> Callable[..., Path]:
    """Write a record PDF for ``setup_dir`` with a manifest of its captures and setup."""

    def make(
        setup: Path | None = None,
        *,
        paper: str = "letter",
        verdict: str = "PASS",
        settings: dict[str, Any] | None = None,
        name: str = "dossier.pdf",
        assumed: tuple[str, ...] = (),
    ) -> Path:
        setup = setup or setup_dir / "setup.toml"
        record = load_record(setup)
        files = sorted(setup_dir.glob("conducted/*.csv"))
        inputs = [input_file(p, setup_dir, _sha(p)) for p in files]
        inputs.append(input_file(setup, setup_dir, _sha(setup), role="setup"))
        manifest = build_manifest(
            inputs, settings or {"distance_m": 3.0}, verdict=verdict, revision=record.test.revision
        )
        out = setup_dir.parent / name
        write_record_pdf(
            out,
            record,
            CoverFacts(verdict=verdict, report_id=manifest.report_id.text, assumed=assumed),
            manifest=manifest,
            paper=paper,
            attachments=[
                Attachment(  # what the record's JSON must agree with
                    "dossier.json",
                    json.dumps(
                        {"verdict": verdict, "report_id": manifest.report_id.as_dict()}
                    ).encode(),
                ),
                Attachment("summary.csv", b"unit,verdict\nHC3,PASS\n"),
            ],
            measurements=lambda index: [],
        )
        return out

    return make
