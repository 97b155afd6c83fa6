"""Setup, limit and transducer files with wrong types or non-physical values (issue 17).

Every bad value is refused with ``<file>: [table] key: problem``; none is read as another
value (``distance_m = true`` was read as 1 m and turned a FAIL into a PASS). The CLI refuses
non-physical ``--distance`` and non-finite ``--suspect-window`` with exit code 2.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from rfcheck.cli import main
from rfcheck.errors import LimitFileError, SetupFileError
from rfcheck.limits import DISTANCE_RANGE_M, load_shipped
from rfcheck.settings import load_setup

RADIATED = "fcc-15.109-b"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            "[check]\ndistance_m = true",
            "[check] distance_m: expected a number, got true (a boolean)",
        ),
        (
            "[check]\ndistance_m = 1e-9",
            "[check] distance_m: must be >= 0.1 m and <= 1000 m, got 1e-09",
        ),
        ("[check]\ndistance_m = inf", "[check] distance_m: must be a finite number, got inf"),
        (
            "[check]\nlimits = 3",
            "[check] limits: expected a string or a list of strings, got 3 (an integer)",
        ),
        (
            '[check]\nlimits = ["a", 3]',
            "[check] limits: item 2: expected a string, got 3 (an integer)",
        ),
        (
            "[check]\nlimit_files = 3",
            "[check] limit_files: expected a string or a list of strings, got 3 (an integer)",
        ),
        ("[check]\nmax_suspects = -1", "[check] max_suspects: must be >= 0, got -1"),
        (
            "[check]\nmax_suspects = 2.5",
            "[check] max_suspects: expected an integer, got 2.5 (a number)",
        ),
        (
            "[check]\nsuspect_window_db = nan",
            "[check] suspect_window_db: must be a finite number, got nan",
        ),
        (
            "[check]\nsuspect_window_db = -inf",
            "[check] suspect_window_db: must be a finite number, got -inf",
        ),
        (
            "[check]\nantenna_factor = true",
            "[check] antenna_factor: expected a file path or a number of dB, got true (a boolean)",
        ),
        (
            "[check]\ncable_loss = [0.5, nan]",
            "[check] cable_loss: must be a finite number of dB, got nan",
        ),
        (
            "[check]\nlisn = [1, 2]",
            "[check] lisn: expected a file path or a number of dB, got [1, 2] (a list)",
        ),
        ("[check]\nvolts_per_unit = 0", "[check] volts_per_unit: must be > 0 V, got 0"),
        (
            '[check]\nattenuator_db = "10"',
            "[check] attenuator_db: expected a number, got '10' (a string)",
        ),
        ("[check]\nunit = 5", "[check] unit: expected a string, got 5 (an integer)"),
        (
            '[[rule]]\nmatch = "*"\ndistance_m = false',
            "[[rule]] #1 distance_m: expected a number, got false (a boolean)",
        ),
        ("rule = 3", "[[rule]] must be an array of tables ([[rule]] headers)"),
        (
            "[batch]\ninclude = 3",
            "[batch] include: expected a string or a list of strings, got 3 (an integer)",
        ),
        (
            "[batch]\ngroup_pattern = 1",
            "[batch] group_pattern: expected a string, got 1 (an integer)",
        ),
    ],
)
def test_setup_value_of_wrong_type_or_range_is_refused(
    tmp_path: Path, body: str, message: str
) -> None:
    setup = tmp_path / "setup.toml"
    setup.write_text(body + "\n", encoding="utf-8")
    with pytest.raises(SetupFileError) as exc:
        load_setup(setup)
    assert str(exc.value) == f"{setup}: {message}"


def test_distance_true_in_setup_is_exit_3_not_a_pass(tmp_path: Path, fixtures_dir: Path) -> None:
    setup = tmp_path / "setup.toml"
    setup.write_text(f'[check]\nlimits = ["{RADIATED}"]\ndistance_m = true\n', encoding="utf-8")
    cap = fixtures_dir / "check/rad_dbuv_peak.csv"
    result = CliRunner().invoke(main, ["check", str(cap), "--setup", str(setup)])
    assert result.exit_code == 3
    assert result.stderr == (
        f"rfcheck: error: {setup}: [check] distance_m: expected a number, got true (a boolean)\n"
    )


@pytest.mark.parametrize("command", ["check", "batch"])
@pytest.mark.parametrize("distance", ["1e-9", "0", "-3", "nan", "inf", "1e6"])
def test_non_physical_distance_is_a_usage_error(
    tmp_path: Path, fixtures_dir: Path, command: str, distance: str
) -> None:
    target = (
        fixtures_dir / "check/rad_dbuv_peak.csv" if command == "check" else fixtures_dir / "check"
    )
    extra = ["--out", str(tmp_path / "out")] if command == "batch" else []
    result = CliRunner().invoke(
        main, [command, str(target), "--limit", RADIATED, "--distance", distance, *extra]
    )
    assert result.exit_code == 2, result.output
    assert "Invalid value for '--distance'" in result.stderr
    assert not (tmp_path / "out").exists()


def test_distance_range_is_checked_by_the_limit_table() -> None:
    lo, hi = DISTANCE_RANGE_M
    table = load_shipped(RADIATED)
    table.check_distance(lo)
    table.check_distance(hi)
    with pytest.raises(
        LimitFileError, match=r"^measurement distance must be 0\.1 \.\. 1000 m, got 1e-09 m$"
    ):
        table.check_distance(1e-9)


@pytest.mark.parametrize("window", ["nan", "-inf", "inf"])
def test_non_finite_suspect_window_is_a_usage_error(fixtures_dir: Path, window: str) -> None:
    result = CliRunner().invoke(
        main,
        [
            "check",
            str(fixtures_dir / "check/cond_3det_fail.csv"),
            "--limit",
            "fcc-15.107-b",
            "--suspect-window",
            window,
        ],
    )
    assert result.exit_code == 2
    assert (
        f"Invalid value for '--suspect-window': must be a finite number of dB, got '{window}'"
        in (result.stderr)
    )


def test_negative_max_suspects_is_a_usage_error(fixtures_dir: Path) -> None:
    result = CliRunner().invoke(
        main,
        [
            "check",
            str(fixtures_dir / "check/cond_3det_fail.csv"),
            "--limit",
            "fcc-15.107-b",
            "--max-suspects",
            "-1",
        ],
    )
    assert result.exit_code == 2 and "Invalid value for '--max-suspects'" in result.stderr


@pytest.mark.parametrize("unit", ["dBm", "dBuV", "dBµV", "dBmV", "dBW"])
def test_transducer_table_in_a_level_unit_is_refused(
    tmp_path: Path, fixtures_dir: Path, unit: str
) -> None:
    table = tmp_path / "cable.csv"
    table.write_text(f"Frequency (MHz),Loss ({unit})\n0.1,0.5\n100,1.0\n", encoding="utf-8")
    cap = fixtures_dir / "check/cond_3det_fail.csv"
    result = CliRunner().invoke(
        main, ["check", str(cap), "--limit", "fcc-15.107-b", "--cable-loss", str(table)]
    )
    assert result.exit_code == 3
    assert (
        f"{table}:1: value unit 'Loss ({unit})' is a level (d{unit[1:]}), not a correction in dB"
        in (result.stderr)
    )


# ------------------------------------------------------------------ generated setup files
_CHECK_KEYS = [
    "limits",
    "limit_files",
    "distance_m",
    "antenna_factor",
    "cable_loss",
    "lisn",
    "preamp_gain",
    "attenuator_db",
    "unit",
    "detector",
    "rbw_hz",
    "format",
    "max_suspects",
    "suspect_window_db",
    "volts_per_unit",
    "highest_frequency_hz",
]


def _toml(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return (
            "nan"
            if math.isnan(value)
            else ("inf" if value > 0 else "-inf")
            if math.isinf(value)
            else repr(value)
        )
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False).replace(
            "\x7f", "\\u007f"
        )  # a TOML basic string
    assert isinstance(value, list)
    return "[" + ", ".join(_toml(v) for v in value) + "]"


_SCALARS = (
    st.booleans()
    | st.integers(-(10**6), 10**6)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=8)
)
_VALUES = _SCALARS | st.lists(_SCALARS, max_size=3)


@settings(
    deadline=None, max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(key=st.sampled_from(_CHECK_KEYS), value=_VALUES)
@example(key="limit_files", value="~0")  # "~user" of no user: was an internal error
def test_any_check_value_is_accepted_or_refused_with_a_setup_error(
    tmp_path: Path, key: str, value: object
) -> None:
    setup = tmp_path / "gen.toml"
    setup.write_text(f"[check]\n{key} = {_toml(value)}\n", encoding="utf-8")
    try:
        loaded = load_setup(setup)
    except SetupFileError as err:
        assert str(err).startswith(f"{setup}: [check]")
        assert "\n" not in str(err)
        return
    fields = {k: v for k, v in vars(loaded.check).items() if isinstance(v, float)}
    assert all(math.isfinite(v) for v in fields.values()), fields
    if key == "distance_m":
        assert loaded.check.distance_m is not None and not isinstance(value, bool)
        assert DISTANCE_RANGE_M[0] <= loaded.check.distance_m <= DISTANCE_RANGE_M[1]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("max_suspects", -1, "max_suspects must be an integer >= 0, got -1"),
        ("max_suspects", True, "max_suspects must be an integer >= 0, got True"),
        ("suspect_window_db", math.nan, "suspect_window_db must be a finite number of dB, got nan"),
        (
            "suspect_window_db",
            -math.inf,
            "suspect_window_db must be a finite number of dB, got -inf",
        ),
        ("attenuator_db", math.inf, "attenuator_db must be a finite number of dB, got inf"),
        ("volts_per_unit", 0.0, "volts_per_unit must be a finite number > 0, got 0.0"),
        ("rbw_hz", 0.0, "rbw_hz must be a finite number > 0, got 0.0"),
        ("rbw_hz", math.nan, "rbw_hz must be a finite number > 0, got nan"),
        ("distance_m", 1e-9, "distance_m must be 0.1 .. 1000 m, got 1e-09"),
        ("distance_m", True, "distance_m must be 0.1 .. 1000 m, got True"),
    ],
)
def test_check_settings_refuse_unusable_values(field: str, value: object, message: str) -> None:
    from rfcheck.errors import AnalysisError
    from rfcheck.settings import CheckSettings

    with pytest.raises(AnalysisError) as exc:
        CheckSettings(**{field: value})  # type: ignore[arg-type]
    assert str(exc.value) == message
