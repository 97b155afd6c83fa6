"""Tests of the limit tables and their loader.

Limit tables: every breakpoint (on it and a hair either side), the log-f slope, distance conversion
by 47 CFR 15.31(f), and the loader's validation. Expected numbers are from docs/references.md (CFR
text, CISPR 32 Table A.4/A.5).
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import numpy as np
import pytest

from rfcheck.errors import LimitFileError
from rfcheck.limits import (
    distance_offset_db,
    load_limit_file,
    load_shipped,
    parse_limit_text,
    resolve_limit,
    shipped_ids,
)
from rfcheck.limits.sources import shipped_root
from rfcheck.units import LevelUnit

HAIR = 1.0  # Hz either side of a breakpoint
DB = 0.005  # tolerance [dB]

EXPECTED_IDS = {
    "fcc-15.107-a",
    "fcc-15.107-b",
    "fcc-15.109-a",
    "fcc-15.109-b",
    "cispr32-a-mains",
    "cispr32-b-mains",
    "cispr32-a-rad-10m",
    "cispr32-b-rad-10m",
    "cispr32-a-rad-3m",
    "cispr32-b-rad-3m",
    "cispr32-a-rad-above-1g",
    "cispr32-b-rad-above-1g",
}


def lv(limit_id: str, line: str, f_hz: float, distance: float | None = None) -> float:
    return float(load_shipped(limit_id).level_at(line, [f_hz], distance)[0])


def test_shipped_ids_exact() -> None:
    assert set(shipped_ids()) == EXPECTED_IDS


@pytest.mark.parametrize("limit_id", sorted(EXPECTED_IDS))
def test_every_shipped_table_loads_with_provenance(limit_id: str) -> None:
    t = load_shipped(limit_id)
    assert t.id == limit_id and t.source and t.edition and t.retrieved and t.sha256
    assert t.edge_rule == "tighter"
    assert (t.port == "radiated") == (t.unit is LevelUnit.DBUV_M)


def test_fcc_naming_is_by_class_and_says_so() -> None:
    assert (
        "15.107(b)" in load_shipped("fcc-15.107-a").source
        and "Class A" in load_shipped("fcc-15.107-a").title
    )
    assert (
        "15.107(a)" in load_shipped("fcc-15.107-b").source
        and "Class B" in load_shipped("fcc-15.107-b").title
    )
    assert (
        load_shipped("fcc-15.109-a").distance_m == 10.0
        and "15.109(b)" in load_shipped("fcc-15.109-a").source
    )
    assert (
        load_shipped("fcc-15.109-b").distance_m == 3.0
        and "15.109(a)" in load_shipped("fcc-15.109-b").source
    )


# --- 15.107 Class B (fcc-15.107-b): 66->56 / 56->46 log f, 56/46, 60/50 ----------------------
@pytest.mark.parametrize(
    ("f_mhz", "qp", "av"),
    [
        (0.15, 66.00, 56.00),
        (0.20, 63.61, 53.61),
        (0.25, 61.76, 51.76),
        (0.30, 60.24, 50.24),
        (0.40, 57.85, 47.85),
        (0.50, 56.00, 46.00),
        (5.0, 56.00, 46.00),  # lower limit at the 5 MHz band edge, not 60/50
        (30.0, 60.00, 50.00),
    ],
)
def test_15107_class_b_points(f_mhz: float, qp: float, av: float) -> None:
    for lid in ("fcc-15.107-b", "cispr32-b-mains"):
        assert lv(lid, "QP", f_mhz * 1e6) == pytest.approx(qp, abs=DB)
        assert lv(lid, "AV", f_mhz * 1e6) == pytest.approx(av, abs=DB)


def test_15107_class_b_slope_is_19_12_db_per_decade() -> None:
    k = 10 / math.log10(0.5 / 0.15)
    assert k == pytest.approx(19.1249, abs=1e-4)
    for f in (0.2e6, 0.3e6, 0.4e6):
        assert lv("fcc-15.107-b", "QP", f) == pytest.approx(
            66 - k * math.log10(f / 0.15e6), abs=1e-9
        )


def test_15107_class_b_around_breakpoints() -> None:
    assert lv("fcc-15.107-b", "QP", 0.5e6 - HAIR) == pytest.approx(56.0, abs=DB)
    assert lv("fcc-15.107-b", "QP", 0.5e6 + HAIR) == 56.0
    assert lv("fcc-15.107-b", "QP", 5e6 - HAIR) == 56.0
    assert lv("fcc-15.107-b", "QP", 5e6 + HAIR) == 60.0
    assert lv("fcc-15.107-b", "AV", 5e6 + HAIR) == 50.0
    assert math.isnan(lv("fcc-15.107-b", "QP", 0.15e6 - HAIR))
    assert math.isnan(lv("fcc-15.107-b", "QP", 30e6 + HAIR))


# --- 15.107 Class A (fcc-15.107-a): flat 79/66, 73/60 ----------------------------------------
@pytest.mark.parametrize(
    ("f_hz", "qp", "av"),
    [
        (0.15e6, 79, 66),
        (0.3e6, 79, 66),
        (0.5e6 - HAIR, 79, 66),
        (0.5e6, 73, 60),
        (0.5e6 + HAIR, 73, 60),
        (5e6, 73, 60),
        (30e6, 73, 60),
    ],
)
def test_15107_class_a(f_hz: float, qp: float, av: float) -> None:
    for lid in ("fcc-15.107-a", "cispr32-a-mains"):
        assert lv(lid, "QP", f_hz) == qp
        assert lv(lid, "AV", f_hz) == av


# --- 15.109 radiated, values printed in uV/m --------------------------------------------------
B3 = {"30-88": 40.00, "88-216": 43.52, "216-960": 46.02, ">960": 53.98}
A10 = {"30-88": 39.08, "88-216": 43.52, "216-960": 46.44, ">960": 49.54}


@pytest.mark.parametrize(
    ("f_hz", "b3", "a10"),
    [
        (30e6, B3["30-88"], A10["30-88"]),
        (88e6 - HAIR, B3["30-88"], A10["30-88"]),
        (88e6, B3["30-88"], A10["30-88"]),  # tighter limit at the edge
        (88e6 + HAIR, B3["88-216"], A10["88-216"]),
        (216e6 - HAIR, B3["88-216"], A10["88-216"]),
        (216e6, B3["88-216"], A10["88-216"]),
        (216e6 + HAIR, B3["216-960"], A10["216-960"]),
        (960e6 - HAIR, B3["216-960"], A10["216-960"]),
        (960e6, B3["216-960"], A10["216-960"]),
        (960e6 + HAIR, B3[">960"], A10[">960"]),
        (1000e6, B3[">960"], A10[">960"]),
    ],
)
def test_15109_qp_breakpoints(f_hz: float, b3: float, a10: float) -> None:
    assert lv("fcc-15.109-b", "QP", f_hz) == pytest.approx(b3, abs=DB)
    assert lv("fcc-15.109-a", "QP", f_hz) == pytest.approx(a10, abs=DB)


def test_15109_above_1ghz_av_and_pk_20db_above() -> None:
    # 15.35(b): "above 1000 MHz" -> exactly 1000 MHz is the QP line's, not the AV/PK lines'
    assert math.isnan(lv("fcc-15.109-b", "AV", 1000e6)) and math.isnan(
        lv("fcc-15.109-a", "PK", 1000e6)
    )
    for f in (1000e6 + HAIR, 3e9, 40e9):
        assert lv("fcc-15.109-b", "AV", f) == pytest.approx(53.98, abs=DB)
        assert lv("fcc-15.109-b", "PK", f) == pytest.approx(73.98, abs=DB)
        assert lv("fcc-15.109-a", "AV", f) == pytest.approx(49.54, abs=DB)
        assert lv("fcc-15.109-a", "PK", f) == pytest.approx(69.54, abs=DB)
    assert math.isnan(lv("fcc-15.109-b", "QP", 1000e6 + HAIR))
    assert math.isnan(lv("fcc-15.109-b", "AV", 1000e6 - HAIR))
    assert load_shipped("fcc-15.109-b").native_unit == "uV/m"


def test_500_uv_per_m_is_53_98_not_54() -> None:
    assert lv("fcc-15.109-b", "QP", 980e6) == pytest.approx(53.9794, abs=1e-4)


# --- distance: 15.31(f) ------------------------------------------------------------------------
def test_distance_10m_to_3m_is_plus_10_46_db() -> None:
    assert float(distance_offset_db([100e6], 10, 3)[0]) == pytest.approx(10.4576, abs=1e-4)
    assert float(distance_offset_db([10e6], 10, 3)[0]) == pytest.approx(20.9151, abs=1e-4)  # (f)(2)
    assert float(distance_offset_db([30e6], 10, 3)[0]) == pytest.approx(
        10.4576, abs=1e-4
    )  # (f)(1) at 30 MHz


@pytest.mark.parametrize(
    ("f_hz", "a3"),
    [(30e6, 49.54), (100e6, 53.98), (300e6, 56.90), (980e6, 60.00), (2e9, 60.00)],
)
def test_class_a_re_expressed_at_3m(f_hz: float, a3: float) -> None:
    assert lv("fcc-15.109-a", "QP" if f_hz <= 1e9 else "AV", f_hz, 3.0) == pytest.approx(a3, abs=DB)


def test_class_b_re_expressed_at_10m() -> None:
    assert lv("fcc-15.109-b", "QP", 50e6, 10.0) == pytest.approx(29.54, abs=DB)
    assert lv("fcc-15.109-b", "QP", 100e6, 10.0) == pytest.approx(33.06, abs=DB)
    note = load_shipped("fcc-15.109-b").distance_note(10.0)
    assert "15.31(f)(1)" in note and "-10.46 dB" in note


def test_distance_note_and_conducted() -> None:
    assert "no distance conversion" in load_shipped("fcc-15.109-b").distance_note(3.0)
    assert "does not apply" in load_shipped("fcc-15.107-b").distance_note(3.0)
    assert lv("fcc-15.107-b", "QP", 1e6, 3.0) == 56.0


def test_cispr_tables_are_not_re_expressed() -> None:
    with pytest.raises(LimitFileError, match="not re-expressed"):
        load_shipped("cispr32-b-rad-10m").check_distance(3.0)
    load_shipped("cispr32-b-rad-10m").check_distance(10.0)


# --- CISPR 32 radiated ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("lid", "lo", "hi"),
    [
        ("cispr32-b-rad-10m", 30, 37),
        ("cispr32-a-rad-10m", 40, 47),
        ("cispr32-b-rad-3m", 40, 47),
        ("cispr32-a-rad-3m", 50, 57),
    ],
)
def test_cispr32_radiated_230mhz_edge(lid: str, lo: float, hi: float) -> None:
    assert lv(lid, "QP", 30e6) == lo
    assert lv(lid, "QP", 230e6 - HAIR) == lo
    assert lv(lid, "QP", 230e6) == lo  # lower limit at the transition frequency
    assert lv(lid, "QP", 230e6 + HAIR) == hi
    assert lv(lid, "QP", 1000e6) == hi


def test_cispr32_above_1g_3ghz_edge() -> None:
    for line, lo, hi in (("AV", 50, 54), ("PK", 70, 74)):
        assert lv("cispr32-b-rad-above-1g", line, 1e9 + HAIR) == lo
        assert lv("cispr32-b-rad-above-1g", line, 3e9 - HAIR) == lo
        assert lv("cispr32-b-rad-above-1g", line, 3e9) == lo
        assert lv("cispr32-b-rad-above-1g", line, 3e9 + HAIR) == hi
        assert lv("cispr32-b-rad-above-1g", line, 6e9) == hi


#: CISPR 32 Annex A table number -> the class it holds (docs/references.md §3a, §3b, §3c:
#: A.4/A.5 quoted for Class B; A.2/A.3 from a contents list for Class A; A.9/A.10 mains).
CISPR32_TABLE_CLASS = {2: "a", 3: "a", 4: "b", 5: "b", 9: "a", 10: "b"}

_TABLE_RE = re.compile(r"\bA\.(\d+)\b|\bA(\d+)\.\d\b")  # 'Table A.4', 'clause A4.1'


def foreign_cispr32_tables(limit_id: str, *texts: str) -> list[str]:
    """Annex A tables named in ``texts`` that hold the other class than ``limit_id``'s."""
    own = limit_id.split("-")[1]
    out = []
    for text in texts:
        for m in _TABLE_RE.finditer(text):
            number = int(m.group(1) or m.group(2))
            if CISPR32_TABLE_CLASS.get(number, own) != own:
                out.append(m.group(0))
    return out


@pytest.mark.parametrize("limit_id", sorted(i for i in EXPECTED_IDS if i.startswith("cispr32-")))
def test_cispr32_provenance_names_only_its_own_class_tables(limit_id: str) -> None:
    t = load_shipped(limit_id)
    assert foreign_cispr32_tables(limit_id, t.title, t.source, t.edition) == []
    assert f"Class {limit_id.split('-')[1].upper()}" in t.title


@pytest.mark.parametrize("limit_id", sorted(i for i in EXPECTED_IDS if i.startswith("cispr32-")))
def test_cispr32_file_comments_name_only_its_own_class_tables(limit_id: str) -> None:
    """The whole shipped file, comments included (a Class A file's edge comment cited A.5/A.4)."""
    text = (shipped_root() / f"{limit_id}.toml").read_text(encoding="utf-8")
    assert foreign_cispr32_tables(limit_id, text) == []


def test_an_edition_naming_the_other_class_table_is_caught() -> None:
    # the shape of the defect: a Class A table whose edition cited the Class B Table A.4
    assert foreign_cispr32_tables(
        "cispr32-a-rad-10m", "CISPR 32:2012 Table A.4 as quoted; sources: docs/references.md §3a"
    ) == ["A.4"]
    assert foreign_cispr32_tables("cispr32-a-rad-3m", "Table A.4, clause A4.2") == ["A.4", "A4.2"]
    assert foreign_cispr32_tables("cispr32-b-rad-3m", "CISPR 32:2012 Table A.4") == []


#: The FCC paragraph of each class: Class B limits are 15.107(a)/15.109(a), Class A (b).
_FCC_PARAGRAPH_RE = re.compile(r"15\.10[79]\(([ab])\)")


def foreign_fcc_paragraphs(limit_id: str, *texts: str) -> list[str]:
    """47 CFR 15.107/15.109 paragraphs named in ``texts`` that hold the other class's limits."""
    own = limit_id.split("-")[-1] if limit_id.startswith("fcc-") else limit_id.split("-")[1]
    paragraph = {"a": "b", "b": "a"}[own]  # Class A is paragraph (b), Class B paragraph (a)
    return [
        m.group(0) for t in texts for m in _FCC_PARAGRAPH_RE.finditer(t) if m.group(1) != paragraph
    ]


@pytest.mark.parametrize("limit_id", sorted(EXPECTED_IDS))
def test_provenance_names_only_the_fcc_paragraph_of_its_own_class(limit_id: str) -> None:
    t = load_shipped(limit_id)
    assert foreign_fcc_paragraphs(limit_id, t.title, t.source, t.edition, t.notes) == []


def test_an_edition_naming_the_other_class_fcc_paragraph_is_caught() -> None:
    # the shape of the defect: the Class A mains table's edition said "identical to 15.107(a)"
    text = "the EN 55022 table, identical to 47 CFR 15.107(a)"
    assert foreign_fcc_paragraphs("cispr32-a-mains", text) == ["15.107(a)"]
    assert foreign_fcc_paragraphs("cispr32-b-mains", text) == []
    assert foreign_fcc_paragraphs("fcc-15.109-a", "47 CFR 15.109(a)") == ["15.109(a)"]


def test_class_a_above_1g_is_flagged_unconfirmed() -> None:
    t = load_shipped("cispr32-a-rad-above-1g")
    assert t.status == "UNCONFIRMED"
    assert len(t.unconfirmed()) == 4
    assert all(lvl.status == "UNCONFIRMED" for s in t.segments for lvl in s.levels.values())
    assert not load_shipped("cispr32-b-rad-above-1g").unconfirmed()


def test_sample_draws_steps_and_slopes() -> None:
    t = load_shipped("fcc-15.107-b")
    f, level = t.sample("QP")
    assert f[0] == 0.15e6 and f[-1] == 30e6
    assert np.all(np.diff(f) >= 0)
    assert level.max() == 66.0 and level.min() == 56.0
    assert (f < 0.5e6).sum() > 20  # the log slope is drawn with many points


# --- loader validation --------------------------------------------------------------------------
GOOD = """
id = "x"
title = "t"
source = "s"
edition = "e"
retrieved = "2026-11-26"
port = "conducted"
unit = "dBuV"
status = "D"
[lines]
QP = "quasi-peak"
[[segment]]
start_mhz = 0.15
stop_mhz = 30
QP = 50
"""


def test_user_file_roundtrip(fixtures_dir: Path) -> None:
    t = load_limit_file(fixtures_dir / "check" / "user_limit.toml")
    assert t.id == "lab-internal-50" and t.level_at("QP", [1e6])[0] == 50.0
    assert resolve_limit(str(fixtures_dir / "check" / "user_limit.toml")).id == "lab-internal-50"
    assert parse_limit_text(GOOD).id == "x"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("QP = 50\n", "QP = 50\nXX = 1\n"), r"unknown key\(s\) \['XX'\]"),
        (('QP = "quasi-peak"', 'QP = "wobble"'), "unknown detector 'wobble'"),
        (('unit = "dBuV"', 'unit = "furlongs"'), "unknown unit 'furlongs'"),
        (('status = "D"', 'status = "maybe"'), "status 'maybe'"),
        (("stop_mhz = 30", "stop_mhz = 0.1"), "start < stop"),
        (('port = "conducted"', 'port = "radiated"'), "does not fit port"),
        (("start_mhz = 0.15", "start_mhz = 0.15\nstart_hz = 150000"), "exactly one of"),
        (('id = "x"\n', ""), r"missing required key\(s\) \['id'\]"),
        (("QP = 50\n", 'QP = 50\ninterpolation = "cubic"\n'), "interpolation 'cubic'"),
        (
            ("QP = 50\n", 'QP = 50\ninterpolation = "log-f"\n'),
            "needs \\[level_start, level_stop\\]",
        ),
        (("QP = 50\n", "QP = [50, 40]\n"), "interpolation is 'flat'"),
        (("[lines]", "bogus = 1\n[lines]"), r"unknown key\(s\) \['bogus'\]"),
        (("QP = 50\n", "QP = 50 50\n"), "not a valid TOML"),
    ],
)
def test_malformed_limit_text(change: tuple[str, str], message: str) -> None:
    text = GOOD.replace(*change, 1)
    with pytest.raises(LimitFileError, match=message):
        parse_limit_text(text, "user.toml")


def test_overlap_and_gap_are_errors(fixtures_dir: Path) -> None:
    with pytest.raises(LimitFileError, match="segments overlap") as err:
        load_limit_file(fixtures_dir / "check" / "bad_limit.toml")
    assert "bad_limit.toml" in str(err.value)
    gap = GOOD + "[[segment]]\nstart_mhz = 40\nstop_mhz = 50\nQP = 50\n"
    with pytest.raises(LimitFileError, match="gap between 30 and 40 MHz"):
        parse_limit_text(gap)


def test_unknown_id_lists_known() -> None:
    with pytest.raises(LimitFileError, match="unknown limit id 'fcc-15.999'.*fcc-15.107-a"):
        load_shipped("fcc-15.999")


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(LimitFileError, match="cannot read limit file"):
        load_limit_file(tmp_path / "nope.toml")


def _shipped_text(limit_id: str) -> str:
    from rfcheck.limits.sources import shipped_root

    return (shipped_root() / f"{limit_id}.toml").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "edit",
    [
        ("QP = [66.0, 56.0]", "QP = [166.0, 156.0]"),  # louder values
        ('title = "', 'title = "Lab copy: '),  # the values alone are not the table
        ('status = "P"', 'status = "S"'),
    ],
)
def test_a_user_file_cannot_take_a_shipped_id_for_another_table(
    tmp_path: Path, edit: tuple[str, str]
) -> None:
    text = _shipped_text("fcc-15.107-b")
    assert edit[0] in text
    fake = tmp_path / "fake.toml"
    fake.write_text(text.replace(*edit, 1), encoding="utf-8")
    with pytest.raises(LimitFileError) as err:
        load_limit_file(fake)
    assert str(err.value) == (
        f"{fake}: id 'fcc-15.107-b' is a shipped table's, but this file holds another table: "
        "give it an id of its own (or use --limit fcc-15.107-b for the shipped one)"
    )


def test_a_copy_of_a_shipped_table_is_that_table(tmp_path: Path) -> None:
    copy = tmp_path / "copy.toml"
    copy.write_text("# the lab's copy\n" + _shipped_text("fcc-15.109-b"), encoding="utf-8")
    t = load_limit_file(copy)
    shipped = load_shipped("fcc-15.109-b")
    assert (t.id, t.path, t.shipped) == ("fcc-15.109-b", str(copy), False)
    assert t.segments == shipped.segments and t.sha256 != shipped.sha256


@pytest.mark.parametrize(
    ("lid", "line", "edge_hz", "lower"),
    [
        ("fcc-15.107-b", "QP", 5e6, 56.0),
        ("fcc-15.107-b", "AV", 5e6, 46.0),
        ("fcc-15.107-b", "QP", 0.5e6, 56.0),
        ("fcc-15.107-a", "QP", 0.5e6, 73.0),
        ("fcc-15.109-b", "QP", 88e6, 40.0),
        ("fcc-15.109-b", "QP", 216e6, 43.52),
        ("fcc-15.109-b", "QP", 960e6, 46.02),
        ("cispr32-b-rad-3m", "QP", 230e6, 40.0),
    ],
)
def test_a_computed_frequency_a_float_hair_off_an_edge_takes_the_lower_limit(
    lid: str, line: str, edge_hz: float, lower: float
) -> None:
    """``numpy.linspace(0.15, 30, 5971)`` holds 5.000000000000001 MHz: the edge, not above it."""
    for f in (np.nextafter(edge_hz, np.inf), edge_hz * (1 + 1e-14), edge_hz * (1 - 1e-14)):
        assert lv(lid, line, f) == pytest.approx(lower, abs=0.01), (f, lv(lid, line, f))
    f5 = float(np.linspace(0.15, 30, 5971)[970] * 1e6)  # a generic CSV's MHz column, in Hz
    assert f5 != 5e6 and abs(f5 - 5e6) < 1e-6
    table = load_shipped("fcc-15.107-b")
    assert table.level_at("QP", f5)[0] == pytest.approx(56.0)
    assert table.status_at("QP", f5) == table.status_at("QP", 5e6)


def test_on_edges_reads_an_increasing_axis_as_any_other_order() -> None:
    """An increasing axis is bisected near each edge; any other order is compared point by point."""
    table = load_shipped("fcc-15.109-b")
    grid = np.arange(30.0, 1000.0, 0.05) * 1e6  # 88.00000000000082 MHz, 216..., 960...
    shuffled = np.random.default_rng(7).permutation(grid)
    snapped = table.on_edges(grid)
    assert np.array_equal(np.sort(table.on_edges(shuffled)), snapped)
    moved = grid[snapped != grid]
    assert moved.size >= 3 and np.all(np.abs(moved / np.rint(moved / 1e6) / 1e6 - 1) < 1e-11)
    short = np.array([30e6, 88e6 * (1 + 1e-14), 100e6])  # a short axis: the general path
    assert table.on_edges(short).tolist() == [30e6, 88e6, 100e6]
