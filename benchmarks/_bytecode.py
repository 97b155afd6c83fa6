"""Run benchmark subprocesses as an installed rfcheck runs: with its compiled bytecode.

``pip install .`` compiles every module to bytecode at install time, so a user's process
reads ``.pyc`` files. A development checkout run with ``PYTHONDONTWRITEBYTECODE=1`` (as on
this project's shared machines) compiles every rfcheck module from source in every
process instead, about 0.3-0.45 s more start-up on two cores. The start-up benchmarks give
their subprocesses :func:`installed_env`: bytecode written to and read from a folder of
their own (``PYTHONPYCACHEPREFIX``, so the checkout stays clean), filled by their warm-up
run.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["installed_env"]


def installed_env(cache_dir: Path, env: dict[str, str] | None = None) -> dict[str, str]:
    """Return ``env`` (default: this process's) with bytecode on, cached under ``cache_dir``."""
    out = dict(os.environ if env is None else env)
    out.pop("PYTHONDONTWRITEBYTECODE", None)
    out["PYTHONPYCACHEPREFIX"] = str(cache_dir)
    return out
