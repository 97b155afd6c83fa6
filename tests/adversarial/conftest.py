"""Builders for the adversarial tests: hostile SigMF recordings, setup and limit files.

Everything is generated in ``tmp_path``; nothing here reads the network or real files.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

FS = 1.2e6  # [Hz]
F_CW = 500e3  # [Hz]


def write_sigmf(
    path: Path, glob: dict[str, Any] | None = None, duration_s: float = 0.02, amp_v: float = 10e-3
) -> Path:
    """Return a real-sample SigMF CW at F_CW (Band B); ``glob`` adds global metadata keys."""
    t = np.arange(int(FS * duration_s)) / FS
    data = (amp_v * np.sin(2 * math.pi * F_CW * t)).astype("<f4")
    meta = {
        "global": {
            "core:datatype": "rf32_le",
            "core:sample_rate": FS,
            "core:version": "1.2.0",
            **(glob or {}),
        },
        "captures": [{"core:sample_start": 0}],
        "annotations": [],
    }
    path.with_suffix(".sigmf-data").write_bytes(data.tobytes())
    meta_path = path.with_suffix(".sigmf-meta")
    meta_path.write_text(json.dumps(meta), encoding="utf-8")
    return meta_path


@pytest.fixture
def sigmf(tmp_path: Path) -> Callable[..., Path]:
    """``sigmf(name, glob=None, ...)``: write a SigMF CW recording in tmp_path."""

    def make(name: str = "rec", glob: dict[str, Any] | None = None, **kw: Any) -> Path:
        return write_sigmf(tmp_path / name, glob, **kw)

    return make
