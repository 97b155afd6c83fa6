"""``rfcheck verify`` names a file holding a missing input's exact bytes.

A renamed capture read ``MISSING radiated/x.csv`` only, while ``x2.csv`` (or ``X.CSV``) under
the inputs folder held exactly the SHA-256 the manifest lists.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from click.testing import CliRunner

from rfcheck.cli import main
from rfcheck.record import CoverFacts, build_manifest, input_file, parse_record, write_record_pdf


def _record(root: Path) -> Path:
    """Write a record listing ``radiated/x.csv`` and ``radiated/y.csv``; return its PDF."""
    (root / "radiated").mkdir(parents=True)
    for name, level in (("x.csv", 40.0), ("y.csv", 41.0)):
        (root / "radiated" / name).write_bytes(f"freq_hz,level\n150000,{level}\n".encode())
    inputs = [
        input_file(p, root, hashlib.sha256(p.read_bytes()).hexdigest())
        for p in sorted((root / "radiated").iterdir())
    ]
    manifest = build_manifest(inputs, {}, verdict="PASS")
    pdf = root.parent / "dossier.pdf"
    write_record_pdf(
        pdf, parse_record({}), CoverFacts("PASS", manifest.report_id.text), manifest=manifest
    )
    return pdf


def test_a_missing_input_names_the_file_with_its_exact_bytes(tmp_path: Path) -> None:
    root = tmp_path / "in"
    pdf = _record(root)
    (root / "radiated" / "x.csv").rename(root / "radiated" / "x2.CSV")
    (root / "radiated" / "copy_of_y.csv").write_bytes((root / "radiated" / "y.csv").read_bytes())
    res = CliRunner().invoke(main, ["verify", str(pdf), "--inputs", str(root)])
    assert res.exit_code == 1, res.output  # still missing: the record names x.csv
    assert (
        "MISSING  radiated/x.csv: its exact bytes (the SHA-256 listed) are in radiated/x2.CSV "
        "under --inputs (renamed or moved?)"
    ) in res.output.splitlines()
    assert "match    radiated/y.csv" in res.output.splitlines()  # a listed file: not a candidate

    (root / "radiated" / "x2.CSV").unlink()  # gone for good: the line as before
    res = CliRunner().invoke(main, ["verify", str(pdf), "--inputs", str(root)])
    assert "MISSING  radiated/x.csv" in res.output.splitlines()


def test_many_copies_are_counted_not_all_named(tmp_path: Path) -> None:
    """A wide --inputs (/tmp) held 150 copies, all named on one line."""
    root = tmp_path / "in"
    pdf = _record(root)
    data = (root / "radiated" / "x.csv").read_bytes()
    (root / "radiated" / "x.csv").unlink()
    for i in range(6):
        (root / "radiated" / f"copy{i}.csv").write_bytes(data)
    res = CliRunner().invoke(main, ["verify", str(pdf), "--inputs", str(root)])
    assert res.exit_code == 1, res.output
    line = next(ln for ln in res.output.splitlines() if ln.startswith("MISSING  radiated/x.csv"))
    assert line.count("copy") == 3 and " and 3 more under --inputs" in line, line
