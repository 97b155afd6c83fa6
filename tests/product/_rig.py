"""A hand-built product folder for the dossier tests: small generic CSV captures.

Levels are already corrected (conducted in dBµV at the LISN port, radiated in dBµV/m), so
the setup needs no transducers. The rig ``rig`` (FCC Part 15 Class B, highest internal
frequency 700 MHz, so radiated to 5 GHz per 47 CFR 15.33(b)(1)) has eight captures:

* ``conducted/rig_L1_prescan.csv``, ``rig_L2_prescan.csv``: peak, 0.15-30 MHz, 44 dBµV
  (over the AV limit at 5-30 MHz: a peak reading cannot decide AV alone);
* ``conducted/rig_L1_final.csv``, ``rig_L2_final.csv``: QP 38 and CISPR-average 28 dBµV over
  0.15-30 MHz with emissions at 0.5, 1, 2, 4, 8, 16 and 24 MHz (QP 48 / AV 38);
* ``radiated/rig_H_30M-1G.csv``, ``rig_V_30M-1G.csv``: QP 25 dBµV/m, emissions of 36 dBµV/m
  at 100, 200, 300, 400 MHz;
* ``radiated/rig_H_1G-6G.csv``, ``rig_V_1G-6G.csv``: peak 45 and CISPR-average 35 dBµV/m
  (limits 73.98 and 53.98), 1-6 GHz.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

SETUP = """\
[dut]
model = "Test rig"
class = "B"
highest_internal_frequency_hz = 700e6

[plan]
regulation = "fcc-part15b"
mains_lines = ["L1", "L2"]
polarisations = ["H", "V"]
distance_m = 3

[[rule]]
match = "conducted/*"
port_regex = "_(?P<port>L1|L2)_"

[[rule]]
match = "radiated/*"
port_regex = "_(?P<port>[HV])_"
"""

#: Emission frequencies of the final conducted scans. [MHz]
CONDUCTED_EMISSIONS_MHZ = (0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 24.0)


def write_csv(
    path: Path,
    freq_mhz: np.ndarray,
    columns: dict[str, np.ndarray],
    rbw_hz: float = 9e3,
    note: str = "",
) -> Path:
    """Write a generic CSV capture, one level column per entry (``"QP (dBuV)"``).

    Frequencies in MHz, the RBW in Hz; ``note``: a header line ``# note: ...`` (none if "").
    A final scan (a quasi-peak or CISPR-average column) states its receiver's 1 s dwell per
    frequency, as a receiver's export does: its readings are then measurements, nothing
    assumed (``tests/product/test_dossier_assumptions.py`` takes it out).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    final = any(c.startswith(("QP", "CAvg")) for c in columns)
    lines = [
        "# instrument: Acme EMI-9000 s/n 1234",
        *([f"# note: {note}"] if note else []),
        *(["# dwell_s: 1"] if final else []),
        f"# rbw_hz: {rbw_hz:g}",
        ",".join(["Frequency (MHz)", *columns]),
    ]
    for i, f in enumerate(freq_mhz):
        lines.append(",".join([f"{f:.6f}", *(f"{c[i]:.2f}" for c in columns.values())]))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _bumps(f: np.ndarray, floor: float, top: float, at_mhz: tuple[float, ...]) -> np.ndarray:
    out = np.full(f.shape, floor)
    for a in at_mhz:
        out[np.argmin(np.abs(f - a))] = top
    return out


def _grid(lo_mhz: float, hi_mhz: float, rbw_hz: float, points: int | None) -> np.ndarray:
    """``points`` frequencies, else one per RBW (a step over the RBW leaves gaps unmeasured)."""
    if points is not None:
        return np.linspace(lo_mhz, hi_mhz, points)
    return np.linspace(lo_mhz, hi_mhz, int(np.ceil((hi_mhz - lo_mhz) * 1e6 / rbw_hz)) + 1)


def write_rig(
    root: Path,
    *,
    points: int | None = None,
    unit: str = "unit",
    skip: tuple[str, ...] = (),
    av_fail_l2_mhz: float | None = None,
) -> Path:
    """Write the rig's captures under ``root``.

    ``skip`` names files (without ``unit_``) to leave out; ``av_fail_l2_mhz`` puts one 50 dBµV
    average point (AV limit 46) on L2. A ``unit`` other than ``"unit"`` is named in each
    capture's header (``# note: measured on rigA``), and each port in its files' headers
    (``# note: port L2``): two units' (ports') captures are two measurements, never one file
    content filed under two units or two ports of one unit (which the dossier sets aside).
    """
    on = "" if unit == "unit" else f"measured on {unit}, "

    def note_of(port: str) -> str:
        return f"{on}port {port}"

    fc = _grid(0.15, 30.0, 9e3, points)
    for line in ("L1", "L2"):
        if f"{line}_prescan" not in skip:
            write_csv(
                root / "conducted" / f"{unit}_{line}_prescan.csv",
                fc,
                {"Peak (dBuV)": np.full(fc.shape, 44.0)},
                note=note_of(line),
            )
        if f"{line}_final" not in skip:
            av = _bumps(fc, 28.0, 38.0, CONDUCTED_EMISSIONS_MHZ)
            if line == "L2" and av_fail_l2_mhz is not None:
                av[np.argmin(np.abs(fc - av_fail_l2_mhz))] = 50.0
            write_csv(
                root / "conducted" / f"{unit}_{line}_final.csv",
                fc,
                {"QP (dBuV)": _bumps(fc, 38.0, 48.0, CONDUCTED_EMISSIONS_MHZ), "CAvg (dBuV)": av},
                note=note_of(line),
            )
    f_lo, f_hi = _grid(30.0, 1000.0, 120e3, points), _grid(1000.0, 6000.0, 1e6, points)
    for pol in ("H", "V"):
        if f"{pol}_30M-1G" not in skip:
            write_csv(
                root / "radiated" / f"{unit}_{pol}_30M-1G.csv",
                f_lo,
                {"QP (dBuV/m)": _bumps(f_lo, 25.0, 36.0, (100.0, 200.0, 300.0, 400.0))},
                120e3,
                note_of(pol),
            )
        if f"{pol}_1G-6G" not in skip:
            write_csv(
                root / "radiated" / f"{unit}_{pol}_1G-6G.csv",
                f_hi,
                {
                    "Peak (dBuV/m)": np.full(f_hi.shape, 45.0),
                    "CAvg (dBuV/m)": np.full(f_hi.shape, 35.0),
                },
                1e6,
                note_of(pol),
            )
    return root


def write_setup(path: Path, extra: str = "") -> Path:
    path.write_text(SETUP + extra, encoding="utf-8")
    return path


#: A record for the rig with every 2.938(b) checklist item present (the instrument its
#: captures name is listed), for ``unit`` = serial S-1: the record reads complete unless a
#: cross-check finds a gap.
COMPLETE_RECORD = """
[dut.serials]
unit = "S-1"

[test]
dates = [2025-11-12]
procedure = "ANSI C63.4-2014"
operating_mode = "full load"
configuration = "table top"
modifications = "none"
support_equipment = "none"
tester = "T. Tester"

[lab]
name = "Test Lab (fictional)"
ownership_statement = "not owned by a prohibited entity"

[[equipment]]
type = "EMI test receiver"
manufacturer = "Acme"
model = "EMI-9000"
serial = "1234"

[[equipment]]
type = "LISN"
manufacturer = "Example"
model = "LN-50"
serial = "L-77"

[[cable]]
type = "mains cord"
length_m = 1.5
arrangement = "bundled"

[[photo]]
file = "photo.png"
shows = "highest-conducted"

[[photo]]
file = "photo.png"
shows = "highest-radiated"

[compliance]
authorization = "sdoc"
label_text = "This device complies with part 15 of the FCC Rules."
label_photo = "photo.png"

[compliance.responsible_party]
name = "Party"
address = "1 Road, Austin, TX 78701, USA"
phone = "1"
"""

#: The picture the complete record's photos name.
PHOTO = Path(__file__).resolve().parents[2] / "sample_captures" / "photos" / "label.png"


def write_complete_setup(path: Path, record: str = COMPLETE_RECORD) -> Path:
    """Write the rig's setup with ``record`` (and a trade name), its photo beside it."""
    text = SETUP.replace('model = "Test rig"', 'trade_name = "Example"\nmodel = "Test rig"')
    path.write_text(text + record, encoding="utf-8")
    (path.parent / "photo.png").write_bytes(PHOTO.read_bytes())
    return path
