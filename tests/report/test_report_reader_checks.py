"""Test what a reader can check in a report (issue 12).

Ids that follow the result, suspect rows
that add up, complete ``needs_hz``, UNCONFIRMED deciding values, limit provenance.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from rfcheck.cli import main
from rfcheck.limits import load_shipped, shipped_ids
from rfcheck.report import _common as C

ROOT = Path(__file__).resolve().parents[2]
S = ROOT / "sample_captures"
T = S / "transducers"
RAD_V = S / "radiated" / "rig_3m_V_30M-1G_rs.DAT"
RAD_V_HIGH = S / "radiated" / "rig_3m_V_1G-6G_rs.DAT"
L1_PEAK = S / "conducted" / "rig_L1_peak_keysight.csv"
L1_BURST = S / "conducted" / "rig_L1_burst.sigmf-meta"
N_RECEIVER = S / "conducted" / "rig_N_receiver_rs.DAT"

RAD_ARGS = [
    "--antenna-factor", str(T / "antenna_factor_bilog_30M-1G.csv"),
    "--cable-loss", str(T / "cable_loss.csv"),
]  # fmt: skip
L1_ARGS = ["--lisn", str(T / "lisn_factor.csv"), "--cable-loss", "0.2"]


def _run(*args: str, code: int | None = None) -> str:
    res = CliRunner().invoke(main, ["check", *args])
    if code is not None:
        assert res.exit_code == code, res.output
    return res.stdout


def _json(*args: str) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(_run(*args, "-o", "json"))
    return doc


def _csv(*args: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(_run(*args, "-o", "csv"))))


# --- report ids --------------------------------------------------------------------------------


def test_report_id_differs_when_only_the_distance_differs() -> None:
    common = [str(RAD_V), "--limit", "fcc-15.109-a", *RAD_ARGS]
    at_3 = _json(*common, "--distance", "3")
    at_10 = _json(*common, "--distance", "10")
    assert at_3["verdict"] == "INCOMPLETE" and at_10["verdict"] == "FAIL"  # opposite results
    assert at_3["report_id"]["id"] != at_10["report_id"]["id"]
    assert re.fullmatch(r"RFC-[0-9A-F]{20}", at_3["report_id"]["id"])
    assert at_3["report_id"]["sha256"].upper().startswith(at_3["report_id"]["id"][4:])
    assert _json(*common, "--distance", "3")["report_id"] == at_3["report_id"]  # reproducible
    rows = _csv(*common, "--distance", "10")
    assert rows and {r["report_id"] for r in rows} == {at_10["report_id"]["id"]}


def test_html_report_carries_the_json_report_id(tmp_path: Path) -> None:
    args = [str(RAD_V), "--limit", "fcc-15.109-b", *RAD_ARGS]
    rid = _json(*args)["report_id"]["id"]
    _run(*args, "--report", "html,csv", "--out", str(tmp_path), code=1)
    assert f"Report {rid}" in (tmp_path / "rig_3m_V_30M-1G_rs.html").read_text(encoding="utf-8")


def test_report_id_is_the_one_record_ids_use() -> None:
    from rfcheck import record, report_id

    assert record.report_id is report_id.report_id  # one home for report ids


# --- the suspect table adds up -----------------------------------------------------------------

CAPTURES = {
    "radiated dBm": [str(RAD_V), "--limit", "fcc-15.109-b", *RAD_ARGS],
    "conducted dBuV": [str(L1_PEAK), "--limit", "fcc-15.107-b", *L1_ARGS],
    "receiver recording": [str(L1_BURST), "--limit", "fcc-15.107-b", *L1_ARGS],
    "receiver scan": [str(N_RECEIVER), "--limit", "fcc-15.107-b", *L1_ARGS],
}
#: The conversion each capture's reading unit needs (dBm -> dBµV at 50 Ω: 10 log10(50e-3) + 120).
CONVERSION_DB = {"dBm": 106.99, "dBµV": 0.0}


@pytest.mark.parametrize("name", CAPTURES)
def test_every_suspect_row_adds_up_in_json(name: str) -> None:
    args = [*CAPTURES[name], "--max-suspects", "20", "--suspect-window", "20"]
    suspects = [s for c in _json(*args)["captures"] for s in c["suspects"]]
    assert suspects, name
    for s in suspects:
        total = s["reading"] + s["conversion_db"] + s["correction_db"]
        assert abs(total - s["level"]) <= 0.01 + 1e-9, s
        assert s["conversion_db"] == CONVERSION_DB[s["reading_unit"]], s


@pytest.mark.parametrize("name", CAPTURES)
def test_every_suspect_csv_row_adds_up(name: str, tmp_path: Path) -> None:
    from rfcheck.analysis import run_check
    from rfcheck.report.tabular import SUSPECT_COLUMNS, suspects_csv
    from rfcheck.settings import CheckSettings

    args = CAPTURES[name]
    path, limit = args[0], args[2]
    kw: dict[str, Any] = {"limit_ids": (limit,), "max_suspects": 20, "suspect_window_db": 20.0}
    if "--antenna-factor" in args:
        kw |= {
            "antenna_factor": T / "antenna_factor_bilog_30M-1G.csv",
            "cable_loss": (T / "cable_loss.csv",),
            "distance_m": 3.0,
        }
    else:
        kw |= {"lisn": T / "lisn_factor.csv", "cable_loss": (0.2,)}
    run = run_check([path], CheckSettings(**kw))
    rows = list(csv.DictReader(io.StringIO(suspects_csv(run))))
    assert rows and list(rows[0]) == list(SUSPECT_COLUMNS)
    for r in rows:
        total = float(r["reading"]) + float(r["conversion_db"]) + float(r["correction_db"])
        assert abs(total - float(r["level"])) <= 0.01 + 1e-9, r
        assert r["report_id"] == run.report_id.text


def test_text_and_html_suspect_tables_print_the_conversion(tmp_path: Path) -> None:
    args = [str(RAD_V), "--limit", "fcc-15.109-b", *RAD_ARGS, "--max-suspects", "2"]
    text = _run(*args, code=1)
    assert "LEVEL = READING + CONV + CORR" in text
    row = next(line for line in text.splitlines() if line.strip().startswith("375 MHz"))
    assert re.search(r"-75\.00 dBm\s+\+106\.99\s+17\.26\s+49\.25", row), row
    _run(*args, "--report", "html", "--out", str(tmp_path), code=1)
    html = (tmp_path / "rig_3m_V_30M-1G_rs.html").read_text(encoding="utf-8")
    assert "Conv. [dB]" in html and '<td class="num">+106.99</td>' in html
    assert "Level = reading + conversion + correction" in html


# --- needs_hz ----------------------------------------------------------------------------------


def test_needs_hz_is_complete_in_json_and_csv_and_abbreviated_in_text() -> None:
    args = [str(L1_PEAK), "--limit", "fcc-15.107-b", *L1_ARGS]
    checks = {c["line"]: c for c in _json(*args)["captures"][0]["checks"]}
    assert "needs" not in checks["AV"]
    av = checks["AV"]["needs_hz"]
    assert len(av) == 21 and av[0] == 1388775.0
    assert all(isinstance(f, float) for f in av) and len(set(av)) == 21
    rows = {r["line"]: r for r in _csv(*args)}
    assert rows["AV"]["needs_hz"].split("; ") == [f"{f:.1f}" for f in av]
    text = _run(*args, code=4)
    needs = next(line for line in text.splitlines() if "needs: cispr-average" in line)
    assert needs.count(" MHz") == 5 and "(+16 more) [21 frequencies in JSON/CSV]" in needs


# --- UNCONFIRMED deciding values ---------------------------------------------------------------

HIGH_ARGS = [
    str(RAD_V_HIGH), "--antenna-factor", str(T / "antenna_factor_horn_1-6G.csv"),
    "--cable-loss", str(T / "cable_loss.csv"), "--preamp-gain", str(T / "preamp_gain_1-6G.csv"),
]  # fmt: skip


def test_a_verdict_resting_on_unconfirmed_values_says_so(tmp_path: Path) -> None:
    args = [*HIGH_ARGS, "--limit", "cispr32-a-rad-above-1g"]
    doc = _json(*args)
    cap = doc["captures"][0]
    assert cap["verdict"] == "PASS"
    assert cap["unconfirmed_limit_lines"] == [
        "cispr32-a-rad-above-1g AV",
        "cispr32-a-rad-above-1g PK",
    ]
    assert {c["limit_status"] for c in cap["checks"]} == {"UNCONFIRMED"}
    text = _run(*args, code=0)
    assert (
        "   verdict: PASS (deciding limit values UNCONFIRMED: cispr32-a-rad-above-1g AV, PK)"
        in text.splitlines()
    )
    assert text.splitlines()[-1] == "overall verdict: PASS (rests on UNCONFIRMED limit values)"
    _run(*args, "--report", "pdf,html", "--out", str(tmp_path), code=0)
    html = (tmp_path / "rig_3m_V_1G-6G_rs.html").read_text(encoding="utf-8")
    assert "OVERALL RESULT: PASS (UNCONFIRMED LIMIT VALUES)" in html
    assert "deciding limit values UNCONFIRMED: cispr32-a-rad-above-1g AV, PK" in html
    page1 = PdfReader(tmp_path / "rig_3m_V_1G-6G_rs.pdf").pages[0].extract_text()
    assert "OVERALL RESULT: PASS (UNCONFIRMED LIMIT VALUES)" in " ".join(page1.split())


def test_a_confirmed_table_is_not_flagged(tmp_path: Path) -> None:
    args = [*HIGH_ARGS, "--limit", "cispr32-b-rad-above-1g"]
    cap = _json(*args)["captures"][0]
    assert cap["unconfirmed_limit_lines"] == []
    assert {c["limit_status"] for c in cap["checks"]} == {"P"}
    text = _run(*args)
    assert "UNCONFIRMED" not in text.split("verdict:")[-1]


def test_limit_status_of_the_deciding_value_at_band_edges() -> None:
    t = load_shipped("fcc-15.109-b")
    assert t.status_at("QP", 1e9) == "P" and t.status_at("AV", 1e9) == ""  # "above 1000 MHz"
    assert t.status_at("PK", 1.5e9) == "D"  # AV + 20 dB, 15.35(b)
    assert t.status_over("QP", [(30e6, 1e9)]) == "P"
    assert t.status_over("PK", [(1e9, 5e9)]) == "D"
    assert load_shipped("cispr32-a-rad-above-1g").status_at("AV", 3e9) == "UNCONFIRMED"


def test_status_letters_get_a_legend(tmp_path: Path) -> None:
    args = [str(RAD_V), "--limit", "fcc-15.109-b", *RAD_ARGS]
    assert C.STATUS_KEY in _run(*args)
    _run(*args, "--report", "html", "--out", str(tmp_path), code=1)
    html = (tmp_path / "rig_3m_V_30M-1G_rs.html").read_text(encoding="utf-8")
    assert "D = derived by a stated formula" in html and "UNCONFIRMED = not found" in html


# --- limit provenance --------------------------------------------------------------------------

_MIRRORS = re.compile(
    r"hallikainen|ecfr\.io|\.org\b|\.com\b|limits\.py|OpenConverters|mirror", re.I
)


@pytest.mark.parametrize("lid", shipped_ids())
def test_limit_provenance_cites_the_regulation_not_a_mirror(lid: str) -> None:
    _, _, rows, _ = C.describe_limit(load_shipped(lid).describe())
    info = dict(rows)
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", info["Text checked"])
    assert re.search(r"docs/references\.md §\d", info["Edition and sources"])
    assert (ROOT / "docs" / "references.md").is_file()
    assert info["Regulation (clause)"].startswith(("47 CFR", "CISPR 32"))
    assert info["File + SHA-256"].startswith(f"limits/{lid}.toml ")
    assert (ROOT / "limits" / f"{lid}.toml").is_file()
    assert not _MIRRORS.search(" ".join(info.values())), info
