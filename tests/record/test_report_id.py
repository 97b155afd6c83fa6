"""Report ids: derived from inputs, effective settings and version; the revision is appended."""

from __future__ import annotations

from pathlib import Path

from rfcheck.record import InputFile, canonical_settings, report_id
from rfcheck.settings import CheckSettings

_INPUTS = [InputFile("conducted/HC3_L1.csv", "a" * 64), InputFile("radiated/HC3_H.csv", "b" * 64)]


def test_different_distance_gives_a_different_id() -> None:
    at_3m = report_id(_INPUTS, CheckSettings(distance_m=3.0, limit_ids=("fcc-15.109-b",)))
    at_10m = report_id(_INPUTS, CheckSettings(distance_m=10.0, limit_ids=("fcc-15.109-b",)))
    assert at_3m.digest != at_10m.digest
    assert at_3m.text != at_10m.text


def test_same_result_same_id_whatever_the_order_or_spelling() -> None:
    a = report_id(_INPUTS, {"distance_m": 3, "limits": ["x"], "af": Path("t/af.csv")})
    b = report_id(list(reversed(_INPUTS)), {"af": "t/af.csv", "limits": ("x",), "distance_m": 3.0})
    assert a == b
    assert canonical_settings({"b": 1.0, "a": [Path("x/y")]}) == '{"a":["x/y"],"b":1}'


def test_one_changed_input_byte_or_version_changes_the_id() -> None:
    base = report_id(_INPUTS, {})
    changed = [_INPUTS[0], InputFile("radiated/HC3_H.csv", "c" * 64)]
    assert report_id(changed, {}).digest != base.digest
    assert report_id(_INPUTS, {}, version="0.0.0-other").digest != base.digest
    role = [InputFile("conducted/HC3_L1.csv", "a" * 64, role="setup"), _INPUTS[1]]
    assert report_id(role, {}).digest != base.digest


def test_revision_is_appended_not_hashed() -> None:
    r1 = report_id(_INPUTS, {}, revision=1)
    r2 = report_id(_INPUTS, {}, revision=2)
    assert r1.digest == r2.digest
    assert r1.text == f"RFC-{r1.digest[:20].upper()}-r1"
    assert r2.text.endswith("-r2")
    assert report_id(_INPUTS, {}).text == f"RFC-{r1.digest[:20].upper()}"
    assert r1.as_dict() == {"id": r1.text, "sha256": r1.digest, "revision": 1}
