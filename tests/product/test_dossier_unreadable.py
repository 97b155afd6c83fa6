"""``rfcheck dossier``: a port whose only capture cannot be read is ERROR, naming the file.

The matrix once read "MISSING, captures none" for it while the error table named the file:
the record said nothing was captured. Every output (JSON, terminal, HTML, PDF, plot, dry
run) now says the capture could not be used, the error row why (it could not be read); the
unit verdict stays ERROR (exit 3) unless a cell fails (FAIL > ERROR > INCONCLUSIVE >
INCOMPLETE > PASS).
"""

from __future__ import annotations

import json
from pathlib import Path
from types import ModuleType
from typing import Any

from click.testing import CliRunner
from pypdf import PdfReader

from rfcheck.cli import main

BINARY = (
    "unrecognised capture format: binary data, not a text export (first bytes 00 01 02 6a 75 "
    "6e 6b); name it with --format (see 'rfcheck formats')"
)


def _rig(rig: ModuleType, tmp: Path, **kw: Any) -> tuple[Path, Path, Path]:
    """Write the rig with L1's captures replaced by one unreadable file: root, setup, file."""
    root = rig.write_rig(tmp / "in", skip=("L1_prescan", "L1_final"), **kw)
    junk = root / "conducted" / "unit_L1_final.csv"
    junk.write_bytes(b"\x00\x01\x02junk")
    return root, rig.write_setup(tmp / "setup.toml"), junk


def _run(*args: str) -> Any:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_a_port_whose_only_capture_is_unreadable_is_error_in_every_output(
    rig: ModuleType, tmp_path: Path
) -> None:
    root, setup, junk = _rig(rig, tmp_path)
    out = tmp_path / "out"
    res = _run("dossier", str(root), "--setup", str(setup), "--out", str(out), "--jobs", "1")
    assert res.exit_code == 3, res.output
    assert res.stdout.splitlines()[0] == (
        f"unit: ERROR (capture could not be used: L1 QP, AV from {junk}) (1 error row(s))"
    )
    assert res.stderr.splitlines() == [f"rfcheck: error: {junk}: {BINARY}"]

    doc = json.loads((out / "unit" / "dossier.json").read_text(encoding="utf-8"))
    (unit,) = doc["units"]
    assert unit["verdict"] == "ERROR"
    l1 = [c for c in unit["cells"] if c["port"] == "L1"]
    assert [(c["line"], c["verdict"]) for c in l1] == [("QP", "ERROR"), ("AV", "ERROR")]
    shown = junk.relative_to(tmp_path).as_posix()  # the record: as its manifest names it
    for c in l1:
        assert (c["captures"], c["missing_hz"], c["unreadable"]) == ([], [], [shown])
    assert unit["errors"] == [{"path": shown, "message": BINARY}]
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    (s,) = summary["units"]
    assert (s["verdict"], s["missing"], s["unreadable"]) == (
        "ERROR",
        [],
        [f"L1 QP, AV from {junk}"],
    )
    assert s["cells"] == {"ERROR": 2, "PASS": 8}

    html = (out / "unit" / "dossier.html").read_text(encoding="utf-8")
    assert (
        f"<li>L1 QP 0.15-30 MHz (fcc-15.107-b): capture could not be used: {shown} "
        "(see Errors)</li>"
    ) in html
    assert (
        "<td>L1</td><td>fcc-15.107-b\n47 CFR 15.107(a)/(b)</td><td>QP</td><td>0.15-30</td>"
        '<td class="v ERROR">ERROR'
        "</td><td></td><td></td><td>capture could not be used (see Errors)</td>"
        f"<td>{shown} (could not be used)</td><td></td></tr>"
    ) in html
    assert f"<p>Not judged: capture could not be used: {shown} (see Errors).</p>" in html
    assert "Not measured (no capture of L1)" not in html

    text = " ".join(
        " ".join(p.extract_text().split()) for p in PdfReader(out / "unit" / "dossier.pdf").pages
    )
    assert "L1 · fcc-15.107-b QP · 0.15-30 MHz: ERROR clause: 47 CFR 15.107(a)/(b): " in text
    assert "150 kHz-30 MHz captures: none judged capture could" in text
    assert "L1 · fcc-15.107-b QP · 0.15-30 MHz: MISSING" not in text
    assert "Not measured (no capture of L1)" not in text
    assert "ERROR capture could not be used (see Errors)" in text  # the matrix's Basis cell


def test_the_dry_run_names_the_unreadable_capture(rig: ModuleType, tmp_path: Path) -> None:
    root, setup, junk = _rig(rig, tmp_path)
    res = _run("dossier", str(root), "--setup", str(setup), "--dry-run")
    assert res.exit_code == 3, res.output  # a file that could not be used, judged or not
    lines = res.stdout.splitlines()
    assert f"  L1   fcc-15.107-b QP 0.15-30 MHz: ERROR (could not be used: {junk})" in lines
    (err,) = res.stderr.splitlines()
    assert err.startswith(f"rfcheck: error: {junk}: ")
    assert not [ln for ln in lines if ln.startswith("  L1 ") and "MISSING" in ln]


def test_a_failing_cell_still_decides_the_unit(rig: ModuleType, tmp_path: Path) -> None:
    root, setup, junk = _rig(rig, tmp_path, av_fail_l2_mhz=3.0)
    out = tmp_path / "out"
    res = _run("dossier", str(root), "--setup", str(setup), "--out", str(out), "--jobs", "1")
    assert res.exit_code == 1, res.output
    assert res.stdout.splitlines()[0].startswith(  # the failing cell first: it decides
        "unit: FAIL (L2 AV 0.15-30 MHz: -4.00 dB at 3.00271 MHz) "
        "(capture could not be used: L1 QP, AV"
    )
    doc = json.loads((out / "unit" / "dossier.json").read_text(encoding="utf-8"))
    verdicts = {(c["port"], c["line"]): c["verdict"] for c in doc["units"][0]["cells"]}
    assert (verdicts[("L1", "QP")], verdicts[("L2", "AV")]) == ("ERROR", "FAIL")


def test_the_plot_and_the_record_say_not_used_not_not_measured(
    rig: ModuleType, tmp_path: Path
) -> None:
    from rfcheck.product.dossier import judge_unit
    from rfcheck.product.record import data_shown
    from rfcheck.product.run import place_captures
    from rfcheck.report.dossier.plots import port_group_figure
    from rfcheck.settings import load_setup

    root, setup_path, junk = _rig(rig, tmp_path)
    setup = load_setup(setup_path)
    placement = place_captures([root], setup)
    assigned, errors = placement.assign_unit("unit", setup)
    d = judge_unit("unit", placement.plan, placement.cells, assigned, errors, setup)
    fig = port_group_figure(d, "L1", ("L1",))
    assert [t.get_text() for t in fig.texts] == [
        "unit: L1",
        "Not judged: the capture of L1 could not be used (see Errors).",
    ]
    shown = data_shown(d)
    assert shown.verdict == "ERROR"
    assert shown.detail == (
        f"L1 QP 0.15-30 MHz: capture could not be used ({junk}); "
        f"L1 AV 0.15-30 MHz: capture could not be used ({junk}); "
        "1 capture could not be used (see the error rows)"
    )


def test_a_folder_that_cannot_be_listed_refuses_the_dossier(
    rig: ModuleType, tmp_path: Path, monkeypatch: Any
) -> None:
    """A dossier never states its verdict over a folder whose files it could not see.

    The walk once skipped the folder silently: its port read MISSING (or its captures were
    simply absent from a PASS) with nothing saying the folder was never listed.
    """
    import os

    root = rig.write_rig(tmp_path / "in")
    setup = rig.write_setup(tmp_path / "setup.toml")
    locked = (root / "conducted").resolve()
    real = os.scandir

    def scandir(path: Any = ".") -> Any:
        if Path(path).resolve() == locked:
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    out = tmp_path / "o"
    res = CliRunner().invoke(main, ["dossier", str(root), "--setup", str(setup), "--out", str(out)])
    assert res.exit_code == 3, res.output
    assert res.stderr == (
        f"rfcheck: error: {(root / 'conducted').as_posix()}: cannot list folder: Permission "
        "denied (no file in it was judged)\n"
    )
    assert not out.exists()
