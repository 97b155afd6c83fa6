"""Page 1's "Decided by" names the deciding cells worst first, as the terminal does.

It listed them in matrix order (mains lines first), so a unit failing a radiated cell by
16 dB and an average line by 4 dB named the average line first, and with enough mains cells
the radiated one went into "and N more", while the terminal and the entry sheet name it.
"""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import numpy as np
from click.testing import CliRunner
from pypdf import PdfReader

from rfcheck.cli import main


def test_the_worst_failing_cell_leads_decided_by(rig: ModuleType, tmp_path: Path) -> None:
    root = rig.write_rig(tmp_path / "in", av_fail_l2_mhz=2.0)  # L2 AV: 50 against 46 dBµV
    f = np.linspace(30.0, 1000.0, 8084)
    level = np.full(f.shape, 20.0)
    level[np.argmin(np.abs(f - 100.0))] = 60.0  # 15.109(a) at 3 m: 43.5 dBµV/m, -16.5 dB
    rig.write_csv(root / "radiated" / "unit_H_30M-1G_b.csv", f, {"QP (dBuV/m)": level}, 120e3)
    setup = rig.write_setup(tmp_path / "setup.toml")
    out = tmp_path / "out"
    res = CliRunner().invoke(main, ["dossier", str(root), "--setup", str(setup), "--out", str(out)])
    assert res.exit_code == 1, res.output
    page1 = " ".join(PdfReader(out / "unit" / "dossier.pdf").pages[0].extract_text().split())
    decided = page1.split("Decided by", 1)[1]
    assert decided.index("H QP 30-1000 MHz") < decided.index("L2 AV 0.15-30 MHz")
    assert "unit: FAIL (H QP 30-1000 MHz" in res.stdout  # the terminal's deciding cell


def test_an_incomplete_units_cells_are_in_the_terminals_and_the_entry_sheets_order(
    rig: ModuleType, tmp_path: Path
) -> None:
    """INCOMPLETE: page 1 lists the cells not measured as the terminal and ``decided_by`` do.

    A 2 GHz highest frequency asks for 10 GHz (47 CFR 15.33(b)(1)) and the scans stop at 6 GHz:
    H AV, H PK, V AV, V PK are each missing 6000.5-10000 MHz. Page 1 ordered them by the
    margin of their measured part (V AV, 4 dB from its limit, first), the terminal and the
    entry sheet in matrix order (H AV first).
    """
    root = rig.write_rig(tmp_path / "in", skip=("V_1G-6G",))
    f = np.linspace(1000.0, 6000.0, 5001)
    rig.write_csv(
        root / "radiated" / "unit_V_1G-6G.csv",
        f,
        {"Peak (dBuV/m)": np.full(f.shape, 60.0), "CAvg (dBuV/m)": np.full(f.shape, 50.0)},
        1e6,
    )
    setup = tmp_path / "setup.toml"
    setup.write_text(rig.SETUP.replace("700e6", "2e9"), encoding="utf-8")
    out = tmp_path / "out"
    res = CliRunner().invoke(main, ["dossier", str(root), "--setup", str(setup), "--out", str(out)])
    assert res.exit_code == 5, res.output
    terminal = res.stdout.splitlines()[0]
    order = ["H AV", "H PK", "V AV", "V PK"]
    assert [terminal.index(c) for c in order] == sorted(terminal.index(c) for c in order)
    page1 = " ".join(PdfReader(out / "unit" / "dossier.pdf").pages[0].extract_text().split())
    decided = page1.split("Decided by", 1)[1]
    named = [f"{c} 1000-10000 MHz" for c in order]
    assert all(n in decided for n in named), decided
    assert [decided.index(n) for n in named] == sorted(decided.index(n) for n in named), decided
