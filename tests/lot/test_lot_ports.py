"""Tests of the ports of ``rfcheck lot``: the setup's port rules, as the dossier places captures.

Each unit has a peak prescan (Peak + CISPR-average, 150 kHz-30 MHz) and a quasi-peak final
(0.9-1.1 MHz) of mains line L1. With the setup's ``port_regex`` both are port L1 and judged as one
measurement: the QP final settles the prescan's peak bound at 1 MHz. Without port rules they are
the ports ``L1_prescan`` and ``L1_final`` (the file name without the unit text), each with a
bound-only line at 1 MHz, exactly as before.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from rfcheck.cli import main

CsvWriter = Callable[..., Path]

#: QP levels of the five units at 1 MHz [dBµV]: x̄ = 51.0, S_n = √0.625 = 0.7906, k(5) = 1.5139
#: -> x̄ + k·S_n = 52.20 <= 56.0 (47 CFR 15.107(b) QP, 0.5-5 MHz): PASS. AV = QP - 10 (41.0 ->
#: 42.20 <= 46.0: PASS); the prescan's peak is QP + 7 (57-59 dBµV): over the QP line, a bound.
QP_1M = (50.0, 51.0, 52.0, 50.5, 51.5)
#: The final measurement's grid: 0.9-1.1 MHz, 5 kHz steps, 9 kHz RBW. [Hz]
FINAL = (900e3, 1.1e6, 5e3, 9e3)

BASE_SETUP = """\
[[rule]]
match = "*"
limits = ["fcc-15.107-b"]
"""
BATCH = """
[batch]
group_pattern = "^(?P<unit>u[0-9]+)_"
"""
PORT_RULE = """
[[rule]]
match = "*_L1_*"
port_regex = "_(?P<port>L1|N)_"
"""


def _run(*args: str) -> Any:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def _write_units(folder: Path, csv_writer: CsvWriter) -> None:
    """Write each unit's prescan and QP final of L1."""
    comb = {n * 100e3: 20.0 - n for n in range(2, 9)}  # far below every line: not listed
    for i, qp in enumerate(QP_1M, 1):
        csv_writer(
            folder / f"u{i}_L1_prescan.csv",
            {
                "Peak": {**comb, 1e6: qp + 7.0},
                "CAVG": {**{f: v - 8.0 for f, v in comb.items()}, 1e6: qp - 10.0},
            },
        )
        csv_writer(folder / f"u{i}_L1_final.csv", {"QP": {1e6: qp}}, grid=FINAL)


@pytest.fixture
def lot(tmp_path: Path, csv_writer: CsvWriter) -> Path:
    """Return the lot folder, with a setup with port rules (``rules.toml``) and one without."""
    folder = tmp_path / "lot"
    _write_units(folder, csv_writer)
    (folder / "rules.toml").write_text(BASE_SETUP + PORT_RULE + BATCH, encoding="ascii")
    (folder / "names.toml").write_text(BASE_SETUP + BATCH, encoding="ascii")
    return folder


def _lot_json(folder: Path, setup: str) -> tuple[int, dict[str, Any]]:
    res = _run("lot", str(folder), "--golden", "u1", "--setup", str(folder / setup), "-o", "json")
    return res.exit_code, json.loads(res.stdout)


def _rows(doc: dict[str, Any]) -> list[tuple[Any, ...]]:
    return [
        (s["port"], s["line"], s["frequency_hz"], s["verdict"], s["value"])
        for s in doc["statistics"]
    ]


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_port_rules_pool_the_qp_final_with_the_peak_prescan(lot: Path) -> None:
    code, doc = _lot_json(lot, "rules.toml")
    assert code == 0
    assert doc["verdict"] == "PASS"
    assert doc["ports_from"] == "rules"
    # one port, L1, measured on both lines at 1 MHz: the QP final settles the peak bound
    assert _rows(doc) == [
        ("L1", "AV", 1e6, "PASS", 42.2),
        ("L1", "QP", 1e6, "PASS", 52.2),
    ]
    qp = doc["statistics"][1]
    assert (qp["method"], qp["n"], qp["mean"], qp["s_n"], qp["margin_db"]) == (
        "non-central t",
        5,
        51.0,
        0.79,
        3.8,
    )
    assert list(doc["tolerance_hz"]) == ["L1"]
    assert [u["identical"] for u in doc["units"]] == [True] * 5
    # each unit's pooled measurement is judged as check --combine judges it: PASS, not a bound
    assert [(u["verdict"], u["worst_margin_db"], u["worst_bound"]) for u in doc["units"]] == [
        ("PASS", 6.0, "measured"),
        ("PASS", 5.0, "measured"),
        ("PASS", 4.0, "measured"),
        ("PASS", 5.5, "measured"),
        ("PASS", 4.5, "measured"),
    ]
    members = [str(lot / "u1_L1_final.csv"), str(lot / "u1_L1_prescan.csv")]
    assert doc["units"][0]["ports"] == [{"port": "L1", "captures": members, "distances": []}]
    assert doc["units"][0]["captures"] == members


def test_without_port_rules_the_prescan_and_the_final_are_two_ports(lot: Path) -> None:
    code, doc = _lot_json(lot, "names.toml")
    assert code == 4
    assert doc["verdict"] == "INCONCLUSIVE"
    assert doc["ports_from"] == "file_name"
    # as before: each file its own port, a bound-only line at 1 MHz on each
    assert _rows(doc) == [
        ("L1_final", "AV", 1e6, "INCONCLUSIVE", None),
        ("L1_final", "QP", 1e6, "PASS", 52.2),
        ("L1_prescan", "AV", 1e6, "PASS", 42.2),
        ("L1_prescan", "QP", 1e6, "INCONCLUSIVE", None),
    ]
    assert doc["units"][0]["ports"] == [
        {"port": "L1_final", "captures": [str(lot / "u1_L1_final.csv")], "distances": []},
        {"port": "L1_prescan", "captures": [str(lot / "u1_L1_prescan.csv")], "distances": []},
    ]
    assert [u["verdict"] for u in doc["units"]] == ["INCONCLUSIVE"] * 5
    # the settings hashed into the report id are those of before (no key added)
    assert set(doc["settings"]) == {"lot", "captures"}
    assert doc["settings"]["lot"] == {"golden": "u1", "window_db": 10.0, "level_threshold_db": 10.0}


def test_without_port_rules_the_text_report_is_unchanged(lot: Path) -> None:
    res = _run("lot", str(lot), "--golden", "u1", "--setup", str(lot / "names.toml"))
    assert res.exit_code == 4
    # each INCONCLUSIVE unit's row names the lines it leaves undecided: the
    # lines under the rows; the rows themselves are as before
    flags = [line for line in res.stdout.splitlines() if line.startswith("      - ")]
    assert (
        "      - undecided: L1_final fcc-15.107-b AV at 1 MHz, margin \u2265 -5.00 dB; needs "
        in "\n".join(flags)
    )
    lines = [line for line in res.stdout.splitlines() if not line.startswith("      - ")]
    assert lines[:9] == [
        "rfcheck lot: 5 units, golden (tested) unit u1",
        "margin = limit - level; tolerance L1_final 10 kHz, L1_prescan 10 kHz "
        "(+100 ppm of f between units)",
        "",
        "   UNIT        SERIAL    IDENTICAL  VERDICT        WORST MARGIN  AT",
        "   u1          MISSING   golden     INCONCLUSIVE     \u2265 -4.00 dB  1 MHz (L1_final)",
        "   u2          MISSING   yes        INCONCLUSIVE     \u2265 -5.00 dB  1 MHz (L1_final)",
        "   u3          MISSING   yes        INCONCLUSIVE     \u2265 -6.00 dB  1 MHz (L1_final)",
        "   u4          MISSING   yes        INCONCLUSIVE     \u2265 -4.50 dB  1 MHz (L1_final)",
        "   u5          MISSING   yes        INCONCLUSIVE     \u2265 -5.50 dB  1 MHz (L1_final)",
    ]
    assert lines[9:11] == [
        "",
        "Statistics: CISPR TR 16-4-3 80/80 rule (80% of production compliant with 80% confidence)",
    ]
    assert not any(line.startswith("Ports") for line in lines)
    assert lines[-1].startswith("Verdict: INCONCLUSIVE (exit 4): u1: not measured: L1_final ")


def test_text_report_lists_each_units_port_and_its_captures(lot: Path) -> None:
    res = _run("lot", str(lot), "--golden", "u1", "--setup", str(lot / "rules.toml"))
    assert res.exit_code == 0
    lines = res.output.splitlines()
    start = lines.index(
        "Ports (the setup's [[rule]] port / port_regex, as the dossier places captures; a port "
        "of several captures judged as one measurement):"
    )
    assert lines[start + 1 : start + 6] == [
        f"   u{i}          L1: {lot}/u{i}_L1_final.csv + {lot}/u{i}_L1_prescan.csv"
        for i in range(1, 6)
    ]
    assert "   u1          MISSING   golden     PASS               +6.00 dB  1 MHz (L1)" in lines
    assert lines[-1] == "Verdict: PASS (exit 0)"


def test_reports_name_the_port_and_every_member(lot: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    args = ["lot", str(lot), "--golden", "u1", "--setup", str(lot / "rules.toml")]
    res = _run(*args, "--report", "png,json,csv,html,pdf", "--out", str(out))
    assert res.exit_code == 0
    names = sorted(p.name for p in out.iterdir())
    assert names == [
        "lot.html",
        "lot.json",
        "lot.pdf",
        "lot_L1.png",
        "lot_statistics.csv",
        "lot_units.csv",
    ]
    assert (out / "lot_L1.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    doc = json.loads((out / "lot.json").read_text(encoding="utf-8"))
    files = [lot / f"u{i}_L1_{kind}.csv" for i in range(1, 6) for kind in ("final", "prescan")]
    captures = [(i["path"], i["sha256"]) for i in doc["inputs"] if i["role"] == "capture"]
    assert captures == [(str(p), _sha(p)) for p in files]
    units = list(csv.DictReader(io.StringIO((out / "lot_units.csv").read_text(encoding="utf-8"))))
    assert units[0]["ports"] == f"L1: {files[0]} + {files[1]}"
    assert units[0]["report_id"] == doc["report_id"]["id"]
    stats = list(csv.DictReader(io.StringIO((out / "lot_statistics.csv").read_text("utf-8"))))
    assert [r["port"] for r in stats] == ["L1", "L1"]
    page = (out / "lot.html").read_text(encoding="utf-8")
    for p in files:
        assert f"<td>{p}</td><td><code>{_sha(p)}</code></td>" in page
    assert f"{files[0]} + {files[1]}" in page  # the ports list of the text report
    text = "".join(p.extract_text() for p in PdfReader(out / "lot.pdf").pages)
    flat = re.sub(r"\s+", "", text)  # long lines and table cells wrap
    assert re.sub(r"\s+", "", f"u1 L1: {files[0]} + {files[1]}") in flat
    for p in files:
        assert re.sub(r"\s+", "", str(p)) + _sha(p) in flat


def test_with_port_rules_two_files_of_one_port_are_pooled_not_an_error(
    lot: Path, tmp_path: Path
) -> None:
    """The no-rules error for two captures naming one port does not apply: the dossier pools."""
    (lot / "rerun").mkdir()
    (lot / "rerun" / "u2_L1_final.csv").write_bytes((lot / "u2_L1_final.csv").read_bytes())
    code, doc = _lot_json(lot, "rules.toml")
    assert code == 0
    assert doc["units"][1]["ports"] == [
        {
            "port": "L1",
            "captures": [  # in discovery order (docs/batch.md): a folder's files first
                str(lot / "rerun" / "u2_L1_final.csv"),
                str(lot / "u2_L1_final.csv"),
                str(lot / "u2_L1_prescan.csv"),
            ],
            "distances": [],
        }
    ]
    res = _run("lot", str(lot), "--golden", "u1", "--setup", str(lot / "names.toml"))
    assert res.exit_code == 3
    assert res.output == (
        f"rfcheck: error: {lot / 'names.toml'}: unit 'u2': rerun/u2_L1_final.csv and "
        "u2_L1_final.csv both name port 'L1_final' (the file name without the unit "
        "text); a lot compares one capture per port: rename one, or leave one out with "
        "[batch] exclude\n"
    )


def test_a_capture_no_rule_gives_a_port_is_the_units_error(lot: Path) -> None:
    """As the dossier's error row: neither judged nor silently dropped; hashed as an input."""
    notes = lot / "u3_notes.csv"
    notes.write_text("frequency,level\n", encoding="ascii")
    code, doc = _lot_json(lot, "rules.toml")
    assert code == 3
    assert doc["verdict"] == "ERROR"
    u3 = doc["units"][2]
    assert (u3["verdict"], u3["identical"]) == ("ERROR", False)
    assert u3["flags"] == [
        f"{notes}: no [[rule]] matching it names a port (port or port_regex)",
    ]
    assert u3["ports"][0]["port"] == "L1"
    assert str(notes) in u3["captures"]
    assert {"role": "capture", "path": str(notes), "sha256": _sha(notes)} in doc["inputs"]


def test_members_the_dossier_would_not_pool_are_the_units_error(lot: Path) -> None:
    """Members judged against different limits cannot be one measurement (check --combine)."""
    other = '\n[[rule]]\nmatch = "u2_*_final.csv"\nlimits = ["fcc-15.107-a"]\n'
    (lot / "mixed.toml").write_text(BASE_SETUP + other + PORT_RULE + BATCH, encoding="ascii")
    code, doc = _lot_json(lot, "mixed.toml")
    assert code == 3
    final, prescan = lot / "u2_L1_final.csv", lot / "u2_L1_prescan.csv"
    assert doc["units"][1]["flags"] == [
        f"{final} + {prescan}: cannot combine {final} (fcc-15.107-a) with {prescan} "
        "(fcc-15.107-b): combined files must be judged against the same limits and distance "
        "(one port / polarisation)"
    ]


def test_an_unreadable_member_makes_its_port_an_error(lot: Path) -> None:
    bad = lot / "u4_L1_final.csv"
    bad.write_text("garbage\n", encoding="ascii")
    code, doc = _lot_json(lot, "rules.toml")
    assert code == 3
    assert doc["units"][3]["flags"] == [
        f"{bad}: unrecognised capture format (first line 'garbage'); name it with --format "
        "(see 'rfcheck formats')"
    ]
    assert doc["verdict"] == "ERROR"
    # never a judgement of the prescan alone: u4 is left out of the statistics
    assert [(s["port"], s["n"]) for s in doc["statistics"]] == [("L1", 4), ("L1", 4)]


@pytest.mark.parametrize(
    ("regex", "problem"),
    [
        ("_(L1|N)_", "[[rule]] #2: port_regex needs a named group (?P<port>...)"),
        (
            "_(?P<port>L1",
            "[[rule]] #2: port_regex is not a valid regex: missing ), unterminated subpattern "
            "at position 1",
        ),
    ],
)
def test_a_malformed_port_regex_is_refused(lot: Path, regex: str, problem: str) -> None:
    rule = f'\n[[rule]]\nmatch = "*"\nport_regex = "{regex}"\n'
    setup = lot / "bad.toml"
    setup.write_text(BASE_SETUP + rule + BATCH, encoding="ascii")
    res = _run("lot", str(lot), "--golden", "u1", "--setup", str(setup))
    assert res.exit_code == 3
    assert res.output == f"rfcheck: error: {setup}: {problem}\n"


PLAN = """
[dut]
class = "B"

[plan]
regulation = "fcc-part15b"
mains_lines = ["L1", "N"]
polarisations = ["H", "V"]
distance_m = 3
"""


def test_with_a_plan_a_port_it_does_not_name_is_the_units_error(lot: Path) -> None:
    """As the dossier places it: a port the plan does not name fits no cell."""
    (lot / "u5_L1_final.csv").rename(lot / "u5_L2_final.csv")
    wide = '\n[[rule]]\nmatch = "*_L*_*"\nport_regex = "_(?P<port>L[0-9])_"\n'
    setup = lot / "plan.toml"
    setup.write_text(BASE_SETUP + wide + BATCH + PLAN, encoding="ascii")
    code, doc = _lot_json(lot, "plan.toml")
    assert code == 3
    # after what its own measurement leaves undecided, the capture's error
    assert doc["units"][4]["flags"][-1] == (
        f"{lot / 'u5_L2_final.csv'}: port 'L2' is not in [plan] (L1, N, H, V)"
    )
    own = [f for u in doc["units"] for f in u["flags"] if "[plan]" not in f]
    assert own and all(f.startswith(("undecided: ", "not measured: ")) for f in own)


def test_worker_processes_pool_the_same_way(lot: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764547200")  # one issue time for both runs
    setup = str(lot / "rules.toml")
    one = _run("lot", str(lot), "--golden", "u1", "--setup", setup, "-o", "json")
    two = _run("lot", str(lot), "--golden", "u1", "--setup", setup, "-o", "json", "--jobs", "2")
    assert (one.exit_code, two.exit_code) == (0, 0)
    a, b = json.loads(one.stdout), json.loads(two.stdout)
    assert b.pop("command") == a.pop("command") + " --jobs 2"  # recorded as typed
    assert b == a


def test_a_port_name_from_a_rule_is_escaped_in_every_report(lot: Path, tmp_path: Path) -> None:
    named = '\n[[rule]]\nmatch = "*_L1_*"\nport = "<b>L1</b>"\n'
    setup = lot / "named.toml"
    setup.write_text(BASE_SETUP + named + BATCH, encoding="ascii")
    out = tmp_path / "out"
    args = ["lot", str(lot), "--golden", "u1", "--setup", str(setup)]
    res = _run(*args, "--report", "png,svg,json,csv,html", "--out", str(out))
    assert res.exit_code == 0
    assert sorted(p.name for p in out.glob("lot_*.*g")) == [
        "lot__b_L1__b_.png",
        "lot__b_L1__b_.svg",
    ]
    page = (out / "lot.html").read_text(encoding="utf-8")
    assert "<b>" not in page
    assert f"   u1          &lt;b&gt;L1&lt;/b&gt;: {lot}/u1_L1_final.csv + " in page
    assert "<b>" not in (out / "lot__b_L1__b_.svg").read_text(encoding="utf-8")
    doc = json.loads((out / "lot.json").read_text(encoding="utf-8"))
    assert [s["port"] for s in doc["statistics"]] == ["<b>L1</b>", "<b>L1</b>"]
