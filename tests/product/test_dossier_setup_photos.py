"""The photos the setup names are no captures: the dossier (and batch, lot) skip them.

A ``[[photo]]`` or ``[compliance] label_photo`` file kept beside the captures was an error row
of the dossier (``fits no cell: no [[rule]] matching it names a port``), while the setup's
transducer and limit tables were skipped (:func:`rfcheck.batch.discover.setup_files`).
"""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

from click.testing import CliRunner

from rfcheck.batch.discover import setup_files
from rfcheck.cli import main
from rfcheck.settings import load_setup


def test_the_setups_photos_are_not_captures(rig: ModuleType, tmp_path: Path) -> None:
    root = rig.write_rig(tmp_path / "in")
    (root / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    setup = rig.write_setup(root / "setup.toml", rig.COMPLETE_RECORD)
    assert root / "photo.png" in setup_files(load_setup(setup))
    res = CliRunner().invoke(
        main, ["dossier", str(root), "--setup", str(setup), "--dry-run"], catch_exceptions=False
    )
    assert "photo.png" not in res.output
    assert res.stdout.splitlines()[1] == "unit: 8 capture(s)"
