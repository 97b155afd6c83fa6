"""The --setup TOML file: paths relative to the file, rules, overrides, clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from rfcheck.capture import Detector
from rfcheck.errors import SetupFileError
from rfcheck.settings import CheckSettings, load_setup, parse_file_or_db
from rfcheck.units import LevelUnit

SETUP = """
[dut]
manufacturer = "Hashcore"
model = "HC-3"

[check]
limits = ["fcc-15.107-b"]
cable_loss = ["cable.csv", 0.5]
lisn = 0.3
unit = "dBm"
detector = "peak"

[[rule]]
match = "radiated/*"
limits = ["fcc-15.109-b"]
antenna_factor = "af.csv"
distance_m = 3

[batch]
exclude = ["malformed/*"]
group_pattern = "(?P<unit>.+?)_(?:L1|N|H|V)"
"""


def test_load_setup(tmp_path: Path) -> None:
    f = tmp_path / "rig.toml"
    f.write_text(SETUP, encoding="utf-8")
    setup = load_setup(f)
    assert setup.dut["model"] == "HC-3"
    assert setup.sha256 and len(setup.sha256) == 64
    s = setup.check
    assert s.limit_ids == ("fcc-15.107-b",)
    assert s.cable_loss == (tmp_path / "cable.csv", 0.5)
    assert s.lisn == 0.3
    assert s.unit is LevelUnit.DBM and s.detector is Detector.PEAK
    rad = setup.settings_for("radiated/rig_3m_H.csv")
    assert rad.limit_ids == ("fcc-15.109-b",)
    assert rad.antenna_factor == tmp_path / "af.csv"
    assert rad.distance_m == 3.0
    assert rad.cable_loss == s.cable_loss  # inherited from [check]
    assert setup.settings_for("conducted/rig_L1.csv") == s
    assert setup.batch.exclude == ("malformed/*",)


def test_override_keeps_unset_fields() -> None:
    s = CheckSettings(limit_ids=("a",), distance_m=3.0)
    t = s.override(distance_m=None, limit_ids=(), attenuator_db=10.0)
    assert t.limit_ids == ("a",) and t.distance_m == 3.0 and t.attenuator_db == 10.0


def test_u_lab_is_found_by_port_label_before_kind() -> None:
    # docs/explain.md: u_lab_db is "one per port: conducted, radiated or a port label"
    s = CheckSettings(u_lab_db=(("conducted", 3.4), ("L2", 10.4)))
    assert s.for_port("L2").u_lab_for("conducted") == 10.4
    assert s.for_port("L1").u_lab_for("conducted") == 3.4  # no label entry: by kind
    assert s.for_port(None) == s  # check: no port label
    assert s.u_lab_for("conducted") == 3.4
    one = CheckSettings(u_lab_db=(("", 4.9),))
    assert one.for_port("H").u_lab_for("radiated") == 4.9


def test_parse_file_or_db() -> None:
    assert parse_file_or_db("0.5") == 0.5
    assert parse_file_or_db("1.5 dB") == 1.5
    assert parse_file_or_db(2) == 2.0
    assert parse_file_or_db("cable.csv") == Path("cable.csv")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[check\n", "not a valid TOML setup file"),
        ("[bogus]\nx = 1\n", "unknown table(s) ['bogus']"),
        ("[check]\nlimitz = []\n", "unknown key(s) ['limitz']"),
        ('[check]\nunit = "furlongs"\n', "unknown level unit"),
        ('[check]\ndetector = "magic"\n', "unknown detector"),
        ("[[rule]]\nlimits = []\n", "needs a 'match' glob"),
        ('[batch]\ngroup_pattern = "("\n', "not a valid regex"),
        ('[batch]\ngroup_pattern = "x"\n', "named group (?P<unit>"),
        (
            '[batch]\ngroup_patern = "(?P<unit>x)"\ninclde = []\n',
            "[batch]: unknown key(s) ['group_patern', 'inclde'] (did you mean 'group_pattern' "
            "for 'group_patern', 'include' for 'inclde'?)",
        ),
        ('[dut]\nserail = "1"\n', "[dut]: unknown key(s) ['serail'] (did you mean 'serial'?)"),
        ('[dut]\nzzz = "1"\n', "[dut]: unknown key(s) ['zzz'] (known: ['class', "),
        ('[check]\nmatch = "x"\n', "[check]: unknown key(s) ['match']"),
        ('[[rule]]\nmatch = "x"\nrole = "ambient"\nlimts = []\n', "did you mean 'limits'?"),
        ("[dut]\nserials = 3\n", "[dut] serials: expected a table of unit = serial, got 3"),
        ('[dut.serials]\na = ""\n', "[dut.serials] a: must not be empty"),
        (
            '[dut.serials]\na = "S-1"\nb = " s-1"\n',
            "[dut.serials]: serial S-1 is given to units a, b",
        ),
    ],
)
def test_setup_errors(tmp_path: Path, text: str, message: str) -> None:
    f = tmp_path / "bad.toml"
    f.write_text(text, encoding="utf-8")
    with pytest.raises(SetupFileError) as exc:
        load_setup(f)
    assert message in str(exc.value)
    assert str(f) in str(exc.value)


def test_record_tables_are_accepted_and_kept_for_the_dossier(tmp_path: Path) -> None:
    """Issue 11: the customs-record tables load (they were "unknown table(s)").

    They are kept as given; the names equal the record package's own list.
    """
    import rfcheck.record
    from rfcheck.settings import RECORD_TABLES

    assert RECORD_TABLES == rfcheck.record.RECORD_TABLES
    p = tmp_path / "setup.toml"
    p.write_text(
        '[lab]\nname = "L"\n[[equipment]]\ntype = "LISN"\n[compliance]\nauthorization = "sdoc"\n'
        "[entry]\nquantity = 2\n",
        encoding="utf-8",
    )
    setup = load_setup(p)
    assert setup.record == {
        "compliance": {"authorization": "sdoc"},
        "entry": {"quantity": 2},
        "equipment": [{"type": "LISN"}],
        "lab": {"name": "L"},
    }
    p.write_text("[nope]\n", encoding="utf-8")
    with pytest.raises(SetupFileError, match=r"unknown table\(s\) \['nope'\]"):
        load_setup(p)
