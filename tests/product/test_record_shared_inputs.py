"""A record lists the other units' files its shared-content check set a capture aside for.

A unit's capture whose content another unit's folder also holds is set aside (one
measurement filed under two units), so the unit's verdict rests on that other file too. The
manifest once listed only the unit's own inputs: the same report id was issued for a FAIL
and for the INCOMPLETE record made when another unit's file became a copy, and ``verify`` of
the untouched record failed without naming a cause. The other unit's file is
now an input of role ``shared-content`` (so it enters the report id), verify re-hashes it,
and a file the record does not list that now holds a listed capture's content is named.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from types import ModuleType
from typing import Any

from click.testing import CliRunner, Result

from rfcheck.cli import main

GROUPS = '\n[batch]\ngroup_pattern = "^(?P<unit>rig[A-Z])_"\n'
MINE = "radiated/rigA_V_30M-1G.csv"
THEIRS = "radiated/rigB_V_30M-1G.csv"


def _run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def _two_units(rig: ModuleType, tmp: Path) -> Path:
    """Write units rigA and rigB, each V capture a content of its own; return the folder."""
    root = tmp / "in"
    rig.write_rig(root, unit="rigA")
    rig.write_rig(root, unit="rigB")
    for u in "AB":
        f = root / f"radiated/rig{u}_V_30M-1G.csv"
        f.write_text(f"# unit {u}\n" + f.read_text("utf-8"), encoding="utf-8")
    rig.write_setup(tmp / "setup.toml", GROUPS)
    return root


def _dossier(tmp: Path, out: str) -> Path:
    res = _run(
        "dossier", str(tmp / "in"), "--setup", str(tmp / "setup.toml"), "--out", str(tmp / out)
    )
    assert res.exit_code in (0, 1, 5), res.output
    return tmp / out


def _unit(out: Path, unit: str) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads((out / unit / "dossier.json").read_text("utf-8"))
    return doc


def test_the_other_units_file_is_an_input_and_changes_the_id(
    rig: ModuleType, tmp_path: Path
) -> None:
    root = _two_units(rig, tmp_path)
    before = _unit(_dossier(tmp_path, "out1"), "rigA")
    original = (root / THEIRS).read_bytes()
    shutil.copyfile(root / MINE, root / THEIRS)  # rigB's V is now rigA's: one measurement
    after = _unit(_dossier(tmp_path, "out2"), "rigA")

    assert before["units"][0]["verdict"] != after["units"][0]["verdict"] == "INCOMPLETE"
    assert before["report_id"]["id"] != after["report_id"]["id"]  # two results, two ids
    shared = [i for i in after["units"][0]["inputs"] if i["role"] == "shared-content"]
    assert [i["path"] for i in shared] == [f"in/{THEIRS}"]
    assert not [i for i in before["units"][0]["inputs"] if i["role"] == "shared-content"]

    # the untouched FAIL/PASS record against the folder where rigB now holds the copy
    res = _run("verify", str(tmp_path / "out1/rigA/dossier.pdf"), "--inputs", str(tmp_path))
    assert res.exit_code == 1, res.output
    assert (
        f"SHARED  in/{MINE}: in/{THEIRS}, which the record does not list, holds the same content"
    ) in res.output
    assert "INCOMPLETE, the recorded verdict" in res.output

    # the INCOMPLETE record stands against its own inputs ...
    res = _run("verify", str(tmp_path / "out2/rigA/dossier.pdf"), "--inputs", str(tmp_path))
    assert res.exit_code == 0, res.output
    assert "SHARED" not in res.output
    # ... and names the other unit's file once it changes back
    (root / THEIRS).write_bytes(original)
    res = _run("verify", str(tmp_path / "out2/rigA/dossier.pdf"), "--inputs", str(tmp_path))
    assert res.exit_code == 1, res.output
    assert f"DIFFERS  in/{THEIRS} (another unit's file" in res.output
