"""Settings that contradict their limits are usage errors, found before any input is read.

- A setup stating a Class B device ([dut] class, else [test] class) with a Class A limit
  (47 CFR 15.107(a)/15.109(a): a Class B device must meet the Class B limits): ``check``,
  ``batch``, ``explain`` and ``compare`` exit 2 with one line naming the setup file, the class
  and the limit. A Class A device judged against the stricter Class B limits is judged, with a
  note saying what the result shows.
- A LISN factor with a radiated limit, as an antenna factor with a conducted one (exit 2).
- A single-valued transducer option given twice (``--antenna-factor``, ``--lisn``,
  ``--preamp-gain``, ``--attenuator``): refused, not the last one kept silently.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from rfcheck.cli import main

CLASS_B_WITH_CLASS_A_LIMIT = (
    'Error: {setup} [dut] class = "B", but fcc-15.109-a holds Class A limits: a Class B '
    "device must meet the Class B limits, and a PASS against Class A limits would not show it "
    "(Class B: fcc-15.109-b)"
)


def _invoke(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def _error_line(result: Result) -> str:
    lines = [ln for ln in result.stderr.splitlines() if ln.startswith("Error:")]
    assert len(lines) == 1, result.output
    return lines[0]


def _radiated(folder: Path, name: str = "scan.csv", level: float = 20.0) -> Path:
    """Write a QP scan in dBµV (RBW 120 kHz), 30-999.96 MHz every 60 kHz."""
    folder.mkdir(parents=True, exist_ok=True)
    rows = [f"{30.0 + 0.06 * i:.2f},{level:.2f}" for i in range(16167)]
    path = folder / name
    path.write_text(
        "# rbw_hz: 120000\nFrequency (MHz),QP (dBuV)\n" + "\n".join(rows) + "\n", encoding="utf-8"
    )
    return path


def _conducted(folder: Path) -> Path:
    """Write a QP + CAV scan in dBµV (RBW 9 kHz), 9 kHz-40 MHz: readings outside 0.15-30 MHz."""
    folder.mkdir(parents=True, exist_ok=True)
    freqs = [0.009 + 0.0045 * i for i in range(int((40.0 - 0.009) / 0.0045) + 1)]
    spikes = {0.1: 90.0, 35.0: 90.0}
    rows = []
    for f in freqs:
        v = next((lv for sf, lv in spikes.items() if abs(f - sf) < 0.002), 10.0)
        rows.append(f"{f:.4f},{v:.1f},{v:.1f}")
    path = folder / "wide.csv"
    path.write_text(
        "# rbw_hz: 9000\nFrequency (MHz),QP (dBuV),CAV (dBuV)\n" + "\n".join(rows) + "\n",
        encoding="utf-8",
    )
    return path


def _setup(folder: Path, dut_class: str, limit: str, *, table: str = "dut") -> Path:
    path = folder / "setup.toml"
    path.write_text(
        f'[{table}]\nclass = "{dut_class}"\n\n'
        f'[check]\nlimits = ["{limit}"]\nantenna_factor = 10.0\nhighest_frequency_hz = 100e6\n',
        encoding="utf-8",
    )
    return path


# --- device class ------------------------------------------------------------------------------
def test_check_refuses_a_class_b_device_judged_against_class_a_limits(
    tmp_path: Path, no_analysis: None
) -> None:
    scan = _radiated(tmp_path)
    setup = _setup(tmp_path, "B", "fcc-15.109-a")
    r = _invoke("check", scan, "--setup", setup)
    assert r.exit_code == 2
    assert _error_line(r) == CLASS_B_WITH_CLASS_A_LIMIT.format(setup=setup)
    assert r.stdout == ""


def test_the_class_stated_in_test_is_checked_too(tmp_path: Path, no_analysis: None) -> None:
    scan = _radiated(tmp_path)
    setup = _setup(tmp_path, "b", "fcc-15.109-a", table="test")
    r = _invoke("check", scan, "--setup", setup)
    assert r.exit_code == 2
    assert _error_line(r) == CLASS_B_WITH_CLASS_A_LIMIT.format(setup=setup).replace(
        "[dut] class", "[test] class"
    )


def test_a_command_line_limit_of_the_class_replaces_the_setups(tmp_path: Path) -> None:
    scan = _radiated(tmp_path)
    setup = _setup(tmp_path, "B", "fcc-15.109-a")
    r = _invoke("check", scan, "--setup", setup, "--limit", "fcc-15.109-b", "--distance", "3")
    assert r.exit_code == 0, r.output
    assert "Class" not in "".join(ln for ln in r.stdout.splitlines() if "note:" in ln)


def test_a_cispr32_class_a_table_names_the_class_b_table_at_its_distance(
    tmp_path: Path, no_analysis: None
) -> None:
    scan = _radiated(tmp_path)
    setup = _setup(tmp_path, "B", "cispr32-a-rad-10m")
    r = _invoke("check", scan, "--setup", setup)
    assert r.exit_code == 2
    assert _error_line(r).endswith("would not show it (Class B: cispr32-b-rad-10m)")


def test_batch_explain_and_compare_refuse_it_alike(tmp_path: Path) -> None:
    scan = _radiated(tmp_path / "in")
    other = _radiated(tmp_path / "in", "other.csv", 25.0)
    setup = _setup(tmp_path, "B", "fcc-15.109-a")
    expected = CLASS_B_WITH_CLASS_A_LIMIT.format(setup=setup)
    for args in (
        ("batch", tmp_path / "in", "--out", tmp_path / "out", "--setup", setup),
        ("explain", scan, "--setup", setup),
        ("compare", scan, other, "--setup", setup),
    ):
        r = _invoke(*args)
        assert r.exit_code == 2, (args[0], r.output)
        assert _error_line(r) == expected, args[0]
    assert not (tmp_path / "out").exists()


def test_a_class_a_device_judged_against_class_b_limits_is_judged_with_a_note(
    tmp_path: Path,
) -> None:
    scan = _radiated(tmp_path)
    setup = _setup(tmp_path, "A", "fcc-15.109-b")
    note = (
        "fcc-15.109-b: Class B limits, for a device stated as Class A: the stricter limits, so "
        "a PASS shows the Class A limits are met too, and a FAIL does not show a Class A "
        "failure (judge it against the Class A limits)"
    )
    r = _invoke("check", scan, "--setup", setup)
    assert r.exit_code == 0, r.output
    assert f"   note: {note}" in r.stdout.splitlines()
    doc = json.loads(_invoke("check", scan, "--setup", setup, "-o", "json").stdout)
    assert note in doc["captures"][0]["warnings"]
    assert doc["captures"][0]["settings"]["device_class"] == "A"


# --- transducers of the other port ---------------------------------------------------------------
def test_a_lisn_factor_with_a_radiated_limit_is_refused(tmp_path: Path, no_analysis: None) -> None:
    scan = _radiated(tmp_path)
    args = ("--limit", "fcc-15.109-b", "--antenna-factor", "10", "--lisn", "0.5")
    r = _invoke("check", scan, *args)
    assert r.exit_code == 2
    assert _error_line(r) == (
        f"Error: {scan}: fcc-15.109-b: radiated limit (dBµV/m) but a LISN factor was given: a "
        "LISN's voltage-division factor corrects a mains-port voltage, not a field strength"
    )
    r = _invoke("batch", tmp_path, "--out", tmp_path / "out", *args)
    assert r.exit_code == 2
    assert _error_line(r).startswith("Error: fcc-15.109-b: radiated limit (dBµV/m) but a LISN")


def test_a_setup_lisn_with_a_radiated_limit_is_refused(tmp_path: Path, no_analysis: None) -> None:
    scan = _radiated(tmp_path)
    setup = tmp_path / "setup.toml"
    setup.write_text('[check]\nlimits = ["fcc-15.109-b"]\nantenna_factor = 10.0\nlisn = 0.5\n')
    r = _invoke("check", scan, "--setup", setup)
    assert r.exit_code == 2
    assert "radiated limit (dBµV/m) but a LISN factor was given" in _error_line(r)


def test_an_antenna_factor_with_a_conducted_limit_is_refused_the_same_way(
    tmp_path: Path, no_analysis: None
) -> None:
    scan = _conducted(tmp_path)
    r = _invoke("check", scan, "--limit", "fcc-15.107-b", "--antenna-factor", "10")
    assert r.exit_code == 2
    assert _error_line(r) == (
        f"Error: {scan}: fcc-15.107-b: conducted limit (dBµV) but an antenna factor was given: "
        "a field strength cannot be judged against a conducted limit"
    )


# --- single-valued transducer options ------------------------------------------------------------
@pytest.mark.parametrize(
    ("option", "values"),
    [
        ("--antenna-factor", ("10", "af.csv")),
        ("--lisn", ("0.5", "0.7")),
        ("--preamp-gain", ("20", "21")),
        ("--attenuator", ("3", "6")),
    ],
)
@pytest.mark.parametrize("command", ["check", "batch"])
def test_a_single_valued_transducer_option_given_twice_is_refused(
    tmp_path: Path, no_analysis: None, command: str, option: str, values: tuple[str, str]
) -> None:
    scan = _radiated(tmp_path / "in")
    where = [scan] if command == "check" else [tmp_path / "in", "--out", tmp_path / "out"]
    args = [option, values[0], option, values[1]]
    r = _invoke(command, *where, "--limit", "fcc-15.109-b", *args)
    assert r.exit_code == 2
    assert _error_line(r) == (
        f"Error: Invalid value for '{option}': given 2 times ({values[0]}, {values[1]}); it "
        "takes one value (only --cable-loss is repeatable, one per cable)"
    )


def test_cable_loss_still_chains(tmp_path: Path) -> None:
    scan = _radiated(tmp_path)
    r = _invoke(
        "check", scan, "--limit", "fcc-15.109-b", "--distance", "3", "--antenna-factor", "10",
        "--cable-loss", "1", "--cable-loss", "2", "--highest-frequency", "100M", "-o", "json",
    )  # fmt: skip
    assert r.exit_code == 0, r.output
    corrections = json.loads(r.stdout)["captures"][0]["corrections"]
    assert [c for c in corrections if "cable" in c] == [
        "cable loss: constant 1 dB (added)",
        "cable loss: constant 2 dB (added)",
    ]


def test_a_dut_class_unlike_the_test_class_is_said_once(tmp_path: Path) -> None:
    """[dut] A with [test] B and Class A limits read PASS without a word."""
    setup = tmp_path / "setup.toml"
    setup.write_text(
        '[dut]\nclass = "A"\n[test]\nclass = "B"\n[check]\nlimits = ["fcc-15.107-a"]\n',
        encoding="utf-8",
    )
    capture = tmp_path / "l1.csv"
    capture.write_text("# rbw_hz: 9000\nFrequency (MHz),QP (dBuV)\n0.15,20\n0.2,20\n0.3,20\n")
    res = CliRunner().invoke(main, ["check", str(capture), "--setup", str(setup)])
    assert res.stderr.count("rfcheck: warning:") == 1
    assert (
        f'rfcheck: warning: {setup}: [dut] class = "A" but [test] class = "B": the device is '
        "judged as Class A ([dut]); state one class\n"
    ) in res.stderr
