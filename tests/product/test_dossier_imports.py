"""A dossier or a check imports only what it uses.

The dossier's parent process finds the captures before it starts the workers' server, and
that loads neither the judging code nor a renderer (the parent then runs only the receiver,
on the first units' recordings); judging never loads ``scipy.signal`` or
``scipy.stats`` (the peak search and the comb chance test are numpy and math). Times are
for ``benchmarks/dossier.py`` and ``benchmarks/startup.py``; this pins the causes.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

SAMPLES = Path(__file__).resolve().parents[2] / "sample_captures"
WATCH = (
    "rfcheck.report.dossier",
    "scipy.signal",
    "scipy.stats",
    "reportlab",
    "matplotlib",
    "pypdf",
    "pandas",
    "rfcheck.analysis",
    "rfcheck.verdict.judge",
)


def _loaded_after(code: str) -> list[str]:
    probe = (
        f"{code}\nimport json, sys\n"
        f"print(json.dumps(sorted(n for n in {WATCH!r} if n in sys.modules)))"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], check=True, capture_output=True, text=True
    ).stdout
    return list(json.loads(out.splitlines()[-1]))


def test_dossier_parent_loads_no_judging_and_no_renderer() -> None:
    code = (
        "import rfcheck.cli._dossier, rfcheck.product.run, rfcheck.product.record\n"
        "from rfcheck.settings import load_setup\n"
        "from rfcheck.product.record import record_of\n"
        "from rfcheck.product.run import place_captures\n"
        f"setup = load_setup({str(SAMPLES / 'dossier-setup.toml')!r})\n"
        "record_of(setup)\n"
        f"place_captures([{str(SAMPLES)!r}], setup)\n"
    )
    assert _loaded_after(code) == []


def test_pool_dossier_parent_loads_no_renderer_and_no_table_parser(tmp_path: Path) -> None:
    """With workers, the parent runs the receiver on the recording, but no renderer, no pandas.

    Nor the judging modules: ``summary.json`` is written with ``write_atomic`` itself, not
    through the renderers' package, which named them (70-90 ms of the parent, after the last
    record was in place).
    """
    code = (
        "from rfcheck.cli import main\n"
        "try:\n"
        f"    main(['dossier', {str(SAMPLES)!r}, '--setup', "
        f"{str(SAMPLES / 'dossier-setup.toml')!r}, '--out', {str(tmp_path / 'out')!r}, "
        "'--jobs', '2', '--format', 'json'], prog_name='rfcheck')\n"
        "except SystemExit:\n    pass\n"
    )
    assert _loaded_after(code) == []


def test_dossier_workers_modules_do_not_load_urllib_http_or_email() -> None:
    """~35 ms of the fork server's start, before any worker runs.

    ``xml.sax.saxutils`` would import ``urllib.request``, ``http.client`` and ``email``.
    pypdf is preloaded: every worker seals its records with it (``rfcheck.record.pages``).
    """
    from rfcheck.product.workers import WORKER_PRELOAD

    probe = (
        "import sys\n"
        + "".join(f"import {m}\n" for m in WORKER_PRELOAD)
        + "print(sorted(m for m in ('urllib.request', 'http.client', 'email.message') "
        "if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], check=True, capture_output=True, text=True
    ).stdout
    assert out.splitlines()[-1] == "[]"


def test_sample_dossier_does_not_load_scipy_signal_or_stats(tmp_path: Path) -> None:
    code = (
        "from rfcheck.cli import main\n"
        "try:\n"
        f"    main(['dossier', {str(SAMPLES)!r}, '--setup', "
        f"{str(SAMPLES / 'dossier-setup.toml')!r}, '--out', {str(tmp_path / 'out')!r}, "
        "'--jobs', '1', '--format', 'json'], prog_name='rfcheck')\n"
        "except SystemExit:\n    pass\n"
    )
    assert not {"scipy.signal", "scipy.stats"} & set(_loaded_after(code))


def test_check_with_comb_inference_does_not_load_scipy_signal_or_stats() -> None:
    capture = SAMPLES / "radiated" / "rig_3m_V_30M-1G_rs.DAT"
    af = SAMPLES / "transducers" / "antenna_factor_bilog_30M-1G.csv"
    code = (
        "from rfcheck.cli import main\n"
        "try:\n"
        f"    main(['check', {str(capture)!r}, '--limit', 'fcc-15.109-b', '--distance', '3', "
        f"'--antenna-factor', {str(af)!r}], prog_name='rfcheck')\n"
        "except SystemExit:\n    pass\n"
    )
    assert not {"scipy.signal", "scipy.stats"} & set(_loaded_after(code))
