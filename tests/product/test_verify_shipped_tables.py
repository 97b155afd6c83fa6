"""``rfcheck verify`` compares the tables a record was judged by with the installed ones.

With the plan's mains cell cut to 20 MHz in the installed plan rules, verify
re-judged by them and printed "re-judged with the embedded settings: ... stands", exit 0,
though the manifest holds the SHA-256 of the plan rules the record was judged by.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from types import ModuleType
from typing import Any

from click.testing import CliRunner

from rfcheck.cli import main
from rfcheck.limits import shipped_root
from rfcheck.product import plan_rules
from rfcheck.product.plan_rules import load_plan_rules
from rfcheck.product.rejudge import installed_sha256


def _run(*args: str) -> Any:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def _dossier(rig: ModuleType, run: Path) -> Path:
    rig.write_rig(run / "in")
    setup = rig.write_setup(run / "setup.toml")
    out = run / "out"
    res = _run("dossier", str(run / "in"), "--setup", str(setup), "--out", str(out), "--jobs", "1")
    assert res.exit_code in (0, 5), res.output
    return out / "unit" / "dossier.pdf"


def test_a_plan_rules_file_changed_since_issue_is_named_and_not_judged_by(
    rig: ModuleType, tmp_path: Path, lab_plans: Path
) -> None:
    shipped = shipped_root().joinpath("plans", "fcc-part15b.toml").read_bytes()
    (lab_plans / "fcc-part15b.toml").write_bytes(shipped)
    pdf = _dossier(rig, tmp_path)
    res = _run("verify", str(pdf), "--inputs", str(tmp_path))
    assert res.exit_code == 0, res.output
    assert res.output.splitlines()[-1] == (
        "re-judged with the embedded settings: PASS, the recorded verdict stands"
    )
    plan = lab_plans / "fcc-part15b.toml"
    issued = hashlib.sha256(plan.read_bytes()).hexdigest()
    plan.write_text(plan.read_text().replace("stop_hz = 30e6", "stop_hz = 20e6"))
    now = hashlib.sha256(plan.read_bytes()).hexdigest()
    load_plan_rules.cache_clear()
    res = _run("verify", str(pdf), "--inputs", str(tmp_path))
    assert res.exit_code == 1, res.output
    lines = res.output.splitlines()
    assert lines[-2:] == [
        "CHANGED  plan rules fcc-part15b.toml (shipped with rfcheck) changed since the record "
        f"was issued (expected sha256 {issued[:16]}…, installed {now[:16]}…)",
        "not re-judged: the installed rfcheck's tables differ from those the record was judged "
        "by (plan rules fcc-part15b.toml)",
    ]
    assert not any("re-judged with the embedded settings" in ln for ln in lines)


def test_a_changed_limit_table_and_a_plan_no_longer_shipped_are_named(
    rig: ModuleType, tmp_path: Path
) -> None:
    """The manifest's SHA-256 of fcc-15.109-b is not the installed one; cispr32 is not shipped."""
    from rfcheck.record import Attachment, embed_attachments, parse_manifest, read_attachments

    pdf = _dossier(rig, tmp_path)
    manifest = json.loads(parse_manifest(read_attachments(pdf)["manifest.json"]).to_json())
    shipped = manifest["settings"]["shipped"]
    assert set(shipped) == {
        "limit:fcc-15.107-b.toml",
        "limit:fcc-15.109-b.toml",
        "plan:fcc-part15b.toml",
    }
    shipped["limit:fcc-15.109-b.toml"] = "0" * 64
    shipped["plan:cispr32.toml"] = shipped.pop("plan:fcc-part15b.toml")
    forged = tmp_path / "forged.pdf"
    forged.write_bytes(
        embed_attachments(
            pdf.read_bytes(), [Attachment("manifest.json", json.dumps(manifest).encode())]
        )
    )
    res = _run("verify", str(forged), "--inputs", str(tmp_path))
    assert res.exit_code == 1, res.output
    installed = installed_sha256("limit", "fcc-15.109-b.toml")
    assert installed is not None
    lines = res.output.splitlines()
    assert lines[-4:-1] == [
        "CHANGED  limit table fcc-15.109-b.toml (shipped with rfcheck) changed since the record "
        f"was issued (expected sha256 {'0' * 16}…, installed {installed[:16]}…)",
        "MISSING  plan rules cispr32.toml (shipped with rfcheck): the installed rfcheck ships no "
        "such file",
        "not re-judged: the installed rfcheck's tables differ from those the record was judged "
        "by (limit table fcc-15.109-b.toml, plan rules cispr32.toml)",
    ]
    # the shipped hashes are settings, hashed into the id: the edited manifest's own id no
    # longer recomputes
    assert any(ln.startswith("ALTERED  report id: the manifest's inputs") for ln in lines)
    assert lines[-1].startswith("NOT AS ISSUED: the record embedded in this PDF contradicts")


def test_installed_sha256_reads_only_a_shipped_table_by_its_listed_name() -> None:
    limit = hashlib.sha256((shipped_root() / "fcc-15.109-b.toml").read_bytes()).hexdigest()
    plan = hashlib.sha256(plan_rules.plans_root().joinpath("fcc-part15b.toml").read_bytes())
    assert installed_sha256("limit", "fcc-15.109-b.toml") == limit
    assert installed_sha256("plan", "fcc-part15b.toml") == plan.hexdigest()
    assert installed_sha256("limit", "fcc-part15b.toml") is None
    assert installed_sha256("plan", "../fcc-15.109-b.toml") is None
    assert installed_sha256("limit", "fcc-15.109-b") is None
    assert installed_sha256("photo", "fcc-15.109-b.toml") is None
