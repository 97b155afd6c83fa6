"""The hand check of the SigMF schema refuses exactly what the ``sigmf`` package refuses."""

from __future__ import annotations

import json
import subprocess
import sys
import warnings
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sigmf import schema, validate

from rfcheck.errors import CaptureFormatError
from rfcheck.io import load_capture
from rfcheck.io import sigmf_reader as sr
from rfcheck.io import sigmf_schema as ss

SCHEMA = schema.get_schema()
_GLOBAL = SCHEMA["properties"]["global"]["properties"]
_CAPTURE = SCHEMA["properties"]["captures"]["items"]["properties"]


def _sigmf_verdict(meta: dict[str, Any]) -> tuple[bool, list[str]]:
    """(refused, warnings) of the sigmf package's validation."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            validate.validate(meta, SCHEMA)
        except jsonschema.exceptions.ValidationError:
            return True, []
    return False, [str(w.message) for w in caught]


def _hand_verdict(meta: dict[str, Any]) -> tuple[bool, list[str]]:
    try:
        return False, ss.check_metadata(meta)
    except ss.SchemaViolation:
        return True, []


@pytest.mark.parametrize(
    ("pattern", "where"),
    [
        (ss.DATATYPE_PATTERN, _GLOBAL["core:datatype"]),
        (ss.DATASET_PATTERN, _GLOBAL["core:dataset"]),
        (ss.SHA512_PATTERN, _GLOBAL["core:sha512"]),
        (ss.VERSION_PATTERN, _GLOBAL["core:version"]),
        (ss.DATETIME_PATTERN, _CAPTURE["core:datetime"]),
    ],
)
def test_patterns_are_the_installed_schema_s(pattern: str, where: dict[str, Any]) -> None:
    assert pattern == where["pattern"]


def test_ranges_and_required_keys_are_the_installed_schema_s() -> None:
    assert SCHEMA["required"] == ["global", "captures", "annotations"]
    assert SCHEMA["properties"]["global"]["required"] == ["core:datatype", "core:version"]
    assert set(_GLOBAL) == set(ss._GLOBAL)
    assert set(_CAPTURE) == set(ss._CAPTURE)
    assert set(SCHEMA["properties"]["annotations"]["items"]["properties"]) == set(ss._ANNOTATION)
    rate = _GLOBAL["core:sample_rate"]
    assert (rate["exclusiveMinimum"], rate["maximum"]) == (0, ss._FREQ_LIMIT)
    assert _CAPTURE["core:frequency"]["maximum"] == ss._FREQ_LIMIT
    assert _GLOBAL["core:num_channels"]["maximum"] == ss.INT64_MAX


_VALUE = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(
        ["", "cf32_le", "ri16", "cf32", "xf32_le", "1.2.0", "1.2", "a/b", "ok.dat", "a" * 128]
    ),
    st.sampled_from(["2026-12-05T10:00:00Z", "2026-13-01", "f" * 128, "Point"]),
    st.lists(st.floats(allow_nan=False, allow_infinity=False), max_size=4),
    st.just({"type": "Point", "coordinates": [1.0, 2.0]}),
    st.just([{"name": "rfcheck", "version": "0.1.0", "optional": True}]),
    st.just([{"name": "rfcheck", "version": "0.1.0"}]),
)
_GLOBAL_KEYS = st.sampled_from([*_GLOBAL, "rfcheck:volts_per_unit", "other:thing", "nocolon"])
_SEGMENT_KEYS = st.sampled_from([*_CAPTURE, "core:sample_count", "core:label", "x:y"])


@settings(max_examples=400, deadline=None, database=None)
@given(
    glob=st.dictionaries(_GLOBAL_KEYS, _VALUE, max_size=4),
    captures=st.lists(st.dictionaries(_SEGMENT_KEYS, _VALUE, max_size=3), max_size=3),
    annotations=st.lists(st.dictionaries(_SEGMENT_KEYS, _VALUE, max_size=3), max_size=2),
    drop=st.sampled_from([None, "core:datatype", "core:version"]),
)
def test_hand_check_refuses_what_the_schema_refuses(
    glob: dict[str, Any],
    captures: list[dict[str, Any]],
    annotations: list[dict[str, Any]],
    drop: str | None,
) -> None:
    base: dict[str, Any] = {"core:datatype": "cf32_le", "core:version": "1.2.0"}
    full = {**base, **glob}
    if drop is not None:
        full.pop(drop, None)
    meta = {"global": full, "captures": captures, "annotations": annotations}
    assert _hand_verdict(meta) == _sigmf_verdict(meta)


@pytest.mark.parametrize(
    "meta",
    [
        [],
        {"global": {}, "captures": [], "annotations": []},
        {"global": {"core:datatype": "cf32_le", "core:version": "1.2.0"}, "captures": []},
        {
            "global": {"core:datatype": "cf32_le", "core:version": "1.2.0"},
            "captures": [],
            "annotations": [],
            "extra": 1,
        },
        {
            "global": {"core:datatype": "cf32_le", "core:version": "1.2.0"},
            "captures": [{"core:sample_start": 5}, {"core:sample_start": 2}],
            "annotations": [],
        },
        {
            "global": {"core:datatype": "cf32_le", "core:version": "1.2.0"},
            "captures": [{"core:sample_start": 0}],
            "annotations": [{"core:sample_start": 0, "core:freq_lower_edge": 2e12}],
        },
        {
            "global": {
                "core:datatype": "cf32_le",
                "core:version": "1.2.0",
                "core:geolocation": {"type": "Point", "coordinates": [1, 2, 3, 4]},
            },
            "captures": [],
            "annotations": [],
        },
        {
            "global": {
                "core:datatype": "cf32_le",
                "core:version": "1.2.0",
                "core:extensions": [{"name": "a", "version": "1", "optional": 1}],
            },
            "captures": [],
            "annotations": [],
        },
    ],
    ids=[
        "not-object",
        "global-empty",
        "no-annotations",
        "extra-top-key",
        "captures-out-of-order",
        "edge-out-of-range",
        "too-many-coordinates",
        "optional-not-bool",
    ],
)
def test_each_refusal_matches_the_schema(meta: Any) -> None:
    assert _sigmf_verdict(meta)[0] is True
    with pytest.raises(ss.SchemaViolation):
        ss.check_metadata(meta)


def test_reader_names_the_path_of_the_bad_value(tmp_path: Path) -> None:
    meta = {
        "global": {"core:datatype": "cf32_le", "core:version": "1.2.0", "core:sample_rate": 1e6},
        "captures": [{"core:sample_start": 0, "core:header_bytes": -1}],
        "annotations": [],
    }
    path = tmp_path / "r.sigmf-meta"
    path.write_text(json.dumps(meta))
    (tmp_path / "r.sigmf-data").write_bytes(b"\0" * 64)
    with pytest.raises(CaptureFormatError) as exc:
        load_capture(path)
    assert str(exc.value) == (
        f"{path}: invalid SigMF metadata at captures/0/core:header_bytes: "
        "-1 is less than the minimum of 0"
    )


def test_large_metadata_goes_through_the_sigmf_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sr, "FAST_SCHEMA_MAX_BYTES", 10)
    calls: list[object] = []
    real = validate.validate

    def counted(*args: Any) -> None:
        calls.append(args)
        real(*args)

    monkeypatch.setattr(validate, "validate", counted)
    meta = {
        "global": {"core:datatype": "cf32_le", "core:version": "1.2.0", "core:sample_rate": 1e6},
        "captures": [{"core:sample_start": 0, "core:frequency": 1e8}],
        "annotations": [],
    }
    path = tmp_path / "r.sigmf-meta"
    path.write_text(json.dumps(meta))
    (tmp_path / "r.sigmf-data").write_bytes(b"\0" * 64)
    assert load_capture(path).time_series[0].sample_rate_hz == 1e6
    assert len(calls) == 1
    monkeypatch.setattr(sr, "FAST_SCHEMA_MAX_BYTES", 1 << 16)
    load_capture(path)
    assert len(calls) == 1


def test_reading_small_metadata_imports_neither_jsonschema_nor_sigmf(tmp_path: Path) -> None:
    meta = {
        "global": {"core:datatype": "rf32_le", "core:version": "1.2.0", "core:sample_rate": 1e6},
        "captures": [{"core:sample_start": 0}],
        "annotations": [],
    }
    path = tmp_path / "r.sigmf-meta"
    path.write_text(json.dumps(meta))
    (tmp_path / "r.sigmf-data").write_bytes(b"\0" * 64)
    probe = (
        "import sys\nfrom rfcheck.io import load_capture\n"
        f"load_capture({str(path)!r})\n"
        "print(sorted(m for m in ('jsonschema', 'sigmf') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], check=True, capture_output=True, text=True
    ).stdout
    assert out.strip().splitlines()[-1] == "[]"
