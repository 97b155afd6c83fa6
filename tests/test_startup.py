"""``import rfcheck`` and ``rfcheck --help`` load none of the heavy libraries.

Start-up time itself is measured by ``benchmarks/startup.py`` (a ratio to ``python -c
pass``), not by a timed test; this pins the cause of a slow start: a module-level import of
pandas, matplotlib or numba (or of the readers, the receiver, the batch runner or the
renderers) reachable from the package or the command group.
"""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = ("pandas", "matplotlib", "numba", "scipy", "reportlab", "dask", "jsonschema")
#: rfcheck modules a start-up must not reach: the readers, the receiver, the batch runner, the
#: check pipeline and the renderers (the report-format registry itself is light and parses
#: ``--report`` while the options are parsed).
LAZY_PARTS = (
    "rfcheck.io",
    "rfcheck.receiver",
    "rfcheck.batch",
    "rfcheck.analysis",
    "rfcheck.report.plots",
    "rfcheck.report.pdf",
    "rfcheck.report.html",
)


def _loaded_after(code: str) -> list[str]:
    probe = (
        f"{code}\nimport json, sys\n"
        f"names = {HEAVY + LAZY_PARTS!r}\n"
        "print(json.dumps(sorted(n for n in names if n in sys.modules)))"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], check=True, capture_output=True, text=True
    ).stdout
    return list(json.loads(out.splitlines()[-1]))


def test_import_rfcheck_is_light() -> None:
    assert _loaded_after("import rfcheck") == []


def test_help_is_light() -> None:
    code = (
        "import sys\nfrom rfcheck.cli import main\n"
        "try:\n    main(['--help'], prog_name='rfcheck')\nexcept SystemExit:\n    pass\n"
    )
    assert _loaded_after(code) == []


def test_lazy_names_resolve_to_their_modules() -> None:
    import rfcheck
    import rfcheck.analysis
    import rfcheck.io

    assert rfcheck.load_capture is rfcheck.io.load_capture
    assert rfcheck.run_check is rfcheck.analysis.run_check
    assert "load_capture" in rfcheck.__all__


def test_dir_lists_every_public_name_without_importing_it() -> None:
    """Tab completion and ``help(rfcheck)`` see the lazy entry points (``run_check``, ...)."""
    import rfcheck

    assert set(rfcheck.__all__) <= set(dir(rfcheck))
    assert {"run_check", "load_capture", "measure", "run_batch"} <= set(dir(rfcheck))
    assert dir(rfcheck) == sorted(dir(rfcheck))
    assert _loaded_after("import rfcheck\nnames = dir(rfcheck)") == []


def test_every_command_help_is_light() -> None:
    code = (
        "from rfcheck.cli import main\n"
        "for cmd in ('check', 'batch', 'info', 'receiver', 'limits', 'formats'):\n"
        "    try:\n        main([cmd, '--help'], prog_name='rfcheck')\n"
        "    except SystemExit:\n        pass\n"
    )
    assert [m for m in _loaded_after(code) if m in HEAVY] == []


def test_compiled_receiver_run_does_not_import_scipy_signal() -> None:
    """``scipy.signal`` (~0.7 s to import) is only for the numpy reference path."""
    code = (
        "import sys\nimport numpy as np\nfrom rfcheck.capture import SampleKind, TimeSeries\n"
        "from rfcheck.receiver import measure\nfrom rfcheck.receiver._kernels import HAVE_NUMBA\n"
        "x = np.random.default_rng(0).standard_normal(200_000)\n"
        "measure(TimeSeries(x, 1e6, SampleKind.REAL), 'B', [2e5])\n"
        "print(int(HAVE_NUMBA), int('scipy.signal' in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True
    ).stdout.split()
    assert out[-1] == "0" or out[-2] == "0"  # without numba the numpy path needs lfilter


def test_judging_an_instrument_qp_trace_does_not_load_the_receiver() -> None:
    """The dwell rule asks how long a QP needs to settle: not the receiver's signal path.

    A dossier worker judging instrument traces paid the receiver's imports (scipy.fft,
    numba: ~0.3-0.5 s of CPU) for that one question.
    """
    code = (
        "from rfcheck.capture import Detector\n"
        "from rfcheck.verdict.settling_needs import dwell_needed_s\n"
        "assert dwell_needed_s(Detector.QUASI_PEAK, 150e3, 30e6) == 1.0\n"
    )
    loaded = _loaded_after(code)
    assert "numba" not in loaded
    assert not any(n.startswith("scipy") for n in loaded)
