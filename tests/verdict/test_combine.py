"""``rfcheck check --combine``: several files of one port / polarisation judged as one.

Captures are small generic CSV files (see :mod:`rfcheck.io.generic_csv`) written into
``tmp_path`` and judged against ``fcc-15.107-b`` (QP 56 dBµV and AV 46 dBµV at 0.5-5 MHz):

* a peak prescan, 0.15-30 MHz: 40 dBµV everywhere (below every limit) with a 60 dBµV hump
  around 1 MHz (over QP and AV, so a peak reading cannot decide: INCONCLUSIVE alone);
* "final" measurements around the hump (quasi-peak) or over the whole band (average).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner, Result

from rfcheck.analysis import analyse_file, run_check
from rfcheck.cli import main
from rfcheck.combine import analyse_combined, combined_sha256
from rfcheck.errors import AnalysisError
from rfcheck.results import CaptureResult, LineCheck
from rfcheck.settings import CheckSettings

LIMIT = "fcc-15.107-b"
HUMP_MHZ = 1.0


def _write(
    path: Path, freq_mhz: np.ndarray, columns: dict[str, np.ndarray], *comments: str
) -> Path:
    """Return a generic CSV capture: RBW 9 kHz, one level column per entry (``"QP (dBuV)"``).

    ``comments``: more ``# key: value`` lines (``"mode: max-hold"``: a swept prescan).
    """
    lines = [
        "# instrument: Acme EMI-9000 s/n 1234",
        "# rbw_hz: 9000",
        *(f"# {c}" for c in comments),
        ",".join(["Frequency (MHz)", *columns]),
    ]
    for i, f in enumerate(freq_mhz):
        lines.append(",".join([f"{f:.6f}", *(f"{c[i]:.2f}" for c in columns.values())]))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _hump(f: np.ndarray, floor: float, top: float) -> np.ndarray:
    """``floor`` everywhere, ``top`` within 20 kHz of the hump."""
    return np.where(np.abs(f - HUMP_MHZ) <= 0.02, top, floor)


def _prescan(tmp: Path, name: str = "L1_peak.csv") -> Path:
    f = np.linspace(0.15, 30.0, 2986)
    return _write(tmp / name, f, {"Peak (dBuV)": _hump(f, 40.0, 60.0)}, "mode: max-hold")


def _qp_final(tmp: Path, qp_top: float, name: str = "L1_qp.csv") -> Path:
    """Return the final receiver measurements around the hump: quasi-peak and CISPR-average."""
    f = np.arange(0.95, 1.05 + 1e-9, 0.005)
    return _write(
        tmp / name, f, {"QP (dBuV)": _hump(f, 38.0, qp_top), "CAvg (dBuV)": _hump(f, 30.0, 40.0)}
    )


def _avg_sweep(tmp: Path, av_top: float, name: str = "L1_avg.csv") -> Path:
    f = np.linspace(0.15, 30.0, 2986)
    return _write(tmp / name, f, {"Avg (dBuV)": _hump(f, 30.0, av_top)})


def _run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def _check(result: CaptureResult, line: str) -> LineCheck:
    (c,) = [c for c in result.checks if (c.limit_id, c.line) == (LIMIT, line)]
    return c


SETTINGS = CheckSettings(limit_ids=(LIMIT,))


# --- verdicts ---------------------------------------------------------------------------------


def test_prescan_inconclusive_alone_settled_by_a_passing_qp(tmp_path: Path) -> None:
    peak, qp = _prescan(tmp_path), _qp_final(tmp_path, qp_top=44.0)
    assert analyse_file(peak, SETTINGS).verdict.value == "INCONCLUSIVE"
    res = analyse_combined([peak, qp], [SETTINGS, SETTINGS])
    assert res.verdict.value == "PASS", res.checks
    qp_line = _check(res, "QP")
    assert qp_line.verdict.value == "PASS" and qp_line.needs == ""
    assert qp_line.worst_margin_db == pytest.approx(12.0, abs=0.01)  # 56 - 44, measured
    assert qp_line.worst_frequency_hz == pytest.approx(HUMP_MHZ * 1e6, abs=25e3)
    assert _check(res, "AV").verdict.value == "PASS"  # CISPR-AV measured at the hump
    cli = _run("check", str(peak), str(qp), "--limit", LIMIT, "--combine")
    assert cli.exit_code == 0, cli.output
    assert "overall verdict: PASS" in cli.stdout
    assert f"== {peak} + {qp}" in cli.stdout


def test_combined_with_a_qp_over_the_limit_fails(tmp_path: Path) -> None:
    peak, qp = _prescan(tmp_path), _qp_final(tmp_path, qp_top=58.0)
    res = analyse_combined([peak, qp], [SETTINGS, SETTINGS])
    assert res.verdict.value == "FAIL"
    qp_line = _check(res, "QP")
    assert qp_line.verdict.value == "FAIL"
    assert qp_line.worst_margin_db == pytest.approx(-2.0, abs=0.01)
    assert qp_line.worst_bound is not None and qp_line.worst_bound.value == "measured"
    assert _run("check", str(peak), str(qp), "--limit", LIMIT, "--combine").exit_code == 1


def test_average_over_the_av_limit_fails_on_av(tmp_path: Path) -> None:
    peak, avg = _prescan(tmp_path), _avg_sweep(tmp_path, av_top=48.0)
    res = analyse_combined([peak, avg], [SETTINGS, SETTINGS])
    assert res.verdict.value == "FAIL"
    av_line = _check(res, "AV")
    assert av_line.verdict.value == "FAIL"
    assert av_line.worst_margin_db == pytest.approx(-2.0, abs=0.01)
    assert av_line.worst_frequency_hz == pytest.approx(HUMP_MHZ * 1e6, abs=25e3)
    # an average reading only bounds QP from below: the QP line stays open
    assert _check(res, "QP").verdict.value == "INCONCLUSIVE"


def test_each_member_keeps_its_own_transducers(tmp_path: Path) -> None:
    """Same limits, different cable loss per file: corrections are per member."""
    peak, qp = _prescan(tmp_path), _qp_final(tmp_path, qp_top=44.0)
    s_peak = SETTINGS.override(cable_loss=(0.5,))
    s_qp = SETTINGS.override(cable_loss=(3.0,))
    res = analyse_combined([peak, qp], [s_peak, s_qp])
    assert res.verdict.value == "PASS"
    assert res.corrections == (
        "L1_peak.csv: cable loss: constant 0.5 dB (added)",
        "L1_qp.csv: cable loss: constant 3 dB (added)",
    )
    # QP 44 + 3 dB cable at the hump; the prescan (40 + 0.5 dB) is >= 15.5 dB below elsewhere
    assert _check(res, "QP").worst_margin_db == pytest.approx(56.0 - 47.0, abs=0.01)


# --- usage and input errors ---------------------------------------------------------------------


def _setup_with_rules(tmp: Path, second_limit: str, second_distance: str = "") -> Path:
    setup = tmp / "setup.toml"
    setup.write_text(
        '[[rule]]\nmatch = "L1_peak*"\nlimits = ["fcc-15.107-b"]\n\n'
        f'[[rule]]\nmatch = "L1_qp*"\nlimits = ["{second_limit}"]\n{second_distance}',
        encoding="utf-8",
    )
    return setup


def test_mismatched_limits_are_a_usage_error(tmp_path: Path) -> None:
    peak, qp = _prescan(tmp_path), _qp_final(tmp_path, qp_top=44.0)
    setup = _setup_with_rules(tmp_path, "fcc-15.107-a")
    res = _run("check", str(peak), str(qp), "--setup", str(setup), "--combine")
    assert res.exit_code == 2
    assert "cannot combine" in res.stderr
    assert str(peak) in res.stderr and str(qp) in res.stderr
    assert "fcc-15.107-a" in res.stderr and "fcc-15.107-b" in res.stderr
    # without --combine the same files are judged one by one, each against its own limit
    assert _run("check", str(peak), str(qp), "--setup", str(setup)).exit_code == 4
    with pytest.raises(AnalysisError, match="same limits and distance"):
        analyse_combined([peak, qp], [SETTINGS, SETTINGS.override(limit_ids=("fcc-15.107-a",))])


def test_mismatched_distance_is_a_usage_error(tmp_path: Path) -> None:
    peak, qp = _prescan(tmp_path), _qp_final(tmp_path, qp_top=44.0)
    with pytest.raises(AnalysisError, match="at 3 m"):
        analyse_combined([peak, qp], [SETTINGS, SETTINGS.override(distance_m=3.0)])


def test_an_unreadable_member_makes_the_combination_an_error(tmp_path: Path) -> None:
    peak, qp = _prescan(tmp_path), _qp_final(tmp_path, qp_top=44.0)
    broken = tmp_path / "L1_broken.csv"
    broken.write_bytes(b"")
    missing = tmp_path / "L1_missing.csv"
    res = _run(
        "check", str(peak), str(broken), str(qp), str(missing), "--limit", LIMIT, "--combine"
    )
    assert res.exit_code == 3, res.output
    err = res.stderr.strip().splitlines()
    assert len(err) == 2, err  # one line per unreadable member, each naming its file
    assert err[0].startswith(f"rfcheck: error: {broken}: ") and "file is empty" in err[0]
    assert err[1].startswith(f"rfcheck: error: {missing}: ")
    assert "overall verdict: ERROR" in res.stdout
    # never a partial judgement of the readable members
    run = run_check([peak, broken, qp], SETTINGS, combine=True)
    (cap,) = run.captures
    assert cap.verdict.value == "ERROR" and not cap.checks
    assert [e.path for e in cap.errors] == [str(broken)]
    assert cap.sha256 == combined_sha256(
        [hashlib.sha256(p.read_bytes()).hexdigest() for p in (peak, broken, qp)]
    )


def test_a_member_outside_every_limit_is_an_error(tmp_path: Path) -> None:
    peak = _prescan(tmp_path)
    far = _write(
        tmp_path / "far.csv", np.linspace(40.0, 50.0, 11), {"Peak (dBuV)": np.full(11, 20.0)}
    )
    res = analyse_combined([peak, far], [SETTINGS, SETTINGS])
    assert res.verdict.value == "ERROR"
    assert [e.path for e in res.errors] == [str(far)]
    assert "overlaps any requested limit line" in res.errors[0].message


# --- the result -------------------------------------------------------------------------------


def test_json_output_of_a_combined_check(tmp_path: Path) -> None:
    peak, qp = _prescan(tmp_path), _qp_final(tmp_path, qp_top=44.0)
    single = json.loads(_run("check", str(peak), "--limit", LIMIT, "-o", "json").stdout)
    res = _run("check", str(peak), str(qp), "--limit", LIMIT, "--combine", "-o", "json")
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert set(doc) == set(single)  # JSON keys unchanged
    (cap,) = doc["captures"]
    assert set(cap) == set(single["captures"][0])
    assert set(cap["checks"][0]) == set(single["captures"][0]["checks"][0])
    assert cap["verdict"] == doc["verdict"] == "PASS"
    assert cap["path"] == f"{peak} + {qp}"
    assert cap["format"] == "generic-csv+generic-csv"
    digests = [hashlib.sha256(p.read_bytes()).hexdigest() for p in (peak, qp)]
    assert cap["sha256"] == hashlib.sha256("\n".join(digests).encode("ascii")).hexdigest()
    captures = [i for i in doc["inputs"] if i["role"] == "capture"]
    assert captures == [
        {"role": "capture", "path": str(p), "sha256": d}
        for p, d in zip((peak, qp), digests, strict=True)
    ]
    assert "L1_qp.csv" in cap["instrument"]["note"]
    assert doc["command"].endswith("--combine -o json")
    assert "True" not in doc["command"]


def test_trace_names_and_warnings_name_their_file(tmp_path: Path) -> None:
    peak, qp = _prescan(tmp_path), _qp_final(tmp_path, qp_top=44.0)
    res = analyse_combined([peak, qp], [SETTINGS, SETTINGS], label="L1")
    assert res.label == "L1"
    names = [t.label for t in res.plot_traces]
    assert names and all(n.startswith(("L1_peak.csv: ", "L1_qp.csv: ")) for n in names)
    assert {n.split(": ")[0] for n in names} == {"L1_peak.csv", "L1_qp.csv"}
    alone = analyse_file(qp, SETTINGS)
    for w in alone.warnings:
        if "not evaluated" not in w:
            assert f"L1_qp.csv: {w}" in res.warnings


def test_the_text_header_of_a_combined_check_names_every_members_instrument(
    tmp_path: Path,
) -> None:
    """It named the first member's instrument only; the PDF's instrument cell lists all."""
    peak = _prescan(tmp_path)
    qp = _qp_final(tmp_path, qp_top=44.0)
    qp.write_text(
        qp.read_text(encoding="utf-8").replace("Acme EMI-9000 s/n 1234", "Other RX-2 s/n 9"),
        encoding="utf-8",
    )
    cli = _run("check", str(peak), str(qp), "--limit", LIMIT, "--combine")
    head = cli.stdout.split(f"== {peak} + {qp}\n")[1].splitlines()[:2]
    assert head[0].startswith("   format generic-csv+generic-csv, sha256 ")
    assert head[1] == (
        f"   instruments: {peak.name}: Acme EMI-9000 s/n 1234; {qp.name}: Other RX-2 s/n 9"
    )
