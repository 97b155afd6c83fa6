"""Where a value of the dossier comes from: an instrument's reading or rfcheck's receiver model.

A trace that rfcheck's CISPR 16-1-1 receiver model computed from an I/Q recording carries
that recording (:attr:`rfcheck.capture.Trace.computed_from`) through correction and
pooling; each value of the final table and each cell's worst point take it from the trace
they were read from. Its verdict weight is that of a measured value (or bound) of the
trace's detector: only the label changes. A measured value is printed ``computed
(receiver model, <recording>)`` instead of ``measured``, a bound gets the same suffix; the
JSON names the recording and the model's version. A value from one channel of a
multi-channel recording names that channel too (:attr:`rfcheck.capture.Trace.channel`,
``Channel 2``), as ``rfcheck check`` does. See ``docs/dossier.md``.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .._version import __version__
from ..outcome import Bound
from ..plotted import PlotTrace
from ..verdict import CorrectedTrace

__all__ = [
    "ORIGIN_INSTRUMENT",
    "ORIGIN_RECEIVER_MODEL",
    "TraceOrigin",
    "receiver_model_name",
    "basis_text",
    "origin_json",
    "origin_at",
]

#: JSON ``origin`` of a value an instrument read.
ORIGIN_INSTRUMENT = "instrument"
#: JSON ``origin`` of a value rfcheck's receiver model computed from an I/Q recording.
ORIGIN_RECEIVER_MODEL = "receiver model"


@dataclass(frozen=True)
class TraceOrigin:
    """The trace a value was read from: its I/Q recording and channel.

    Attributes
    ----------
    computed_from : str
        The I/Q recording rfcheck's receiver model computed the trace from; "" for an
        instrument's trace.
    channel : str
        The channel of a multi-channel recording (``Channel 2``); "" for a single-channel
        recording or an instrument's trace.
    capture : str
        The capture file the trace was read from ("" when not known).
    """

    computed_from: str = ""
    channel: str = ""
    capture: str = ""


def receiver_model_name() -> str:
    """Return the receiver model with its version: ``rfcheck 1.4.0 CISPR 16-1-1 receiver model``."""
    return f"rfcheck {__version__} CISPR 16-1-1 receiver model"


def basis_text(bound: Bound, computed_from: str, channel: str = "") -> str:
    """Return how a value was obtained, as the tables print it.

    ``measured`` / ``upper bound`` for an instrument's reading; for a value the receiver
    model computed, ``computed by the receiver model from rig_L1_burst.sigmf-meta`` in
    place of ``measured`` and ``upper bound, computed by the receiver model from ...`` for
    a bound; from one channel of a multi-channel recording, ``computed by the receiver
    model from Channel 2 of dut_L1_rec.sigmf-meta``. No brackets: the reason lines put a
    basis in brackets (``-9.77 dB at 1.392 MHz (computed by the receiver model from ...)``).
    """
    if not computed_from:
        return bound.value
    source = os.path.basename(computed_from)
    if channel:
        source = f"{channel} of {source}"
    computed = f"computed by the receiver model from {source}"
    return computed if bound is Bound.MEASURED else f"{bound.value}, {computed}"


def origin_json(computed_from: str, channel: str = "") -> dict[str, Any]:
    """Return a value's origin fields for the JSON.

    ``origin`` (:data:`ORIGIN_INSTRUMENT` or :data:`ORIGIN_RECEIVER_MODEL`), the
    ``recording`` computed from, its ``channel`` (``Channel 2``; None for a single-channel
    recording) and the ``receiver_model`` with its version (all three None for an
    instrument's reading).
    """
    if not computed_from:
        return {
            "origin": ORIGIN_INSTRUMENT,
            "recording": None,
            "channel": None,
            "receiver_model": None,
        }
    return {
        "origin": ORIGIN_RECEIVER_MODEL,
        "recording": computed_from,
        "channel": channel or None,
        "receiver_model": receiver_model_name(),
    }


def origin_at(
    traces: Sequence[PlotTrace | CorrectedTrace],
    unit: str,
    frequency_hz: float,
    level: float,
    captures: Sequence[str] | None = None,
) -> TraceOrigin:
    """Return the origin of the trace a value was read from (empty if none is found).

    The trace of ``unit`` with a point at ``frequency_hz`` (within 0.5 Hz) whose level
    there is nearest ``level`` [dBµV or dBµV/m]: the value was read from one of them, the
    same point of the same pooled trace. ``captures``: the capture each trace was read from
    (one per trace), named in the origin.
    """
    files = list(captures) if captures is not None else [""] * len(traces)
    best: tuple[float, TraceOrigin] | None = None
    for t, capture in zip(traces, files, strict=True):
        if str(getattr(t.unit, "value", t.unit)) != unit or not t.freq_hz.size:
            continue
        i = int(np.argmin(np.abs(t.freq_hz - frequency_hz)))
        if abs(float(t.freq_hz[i]) - frequency_hz) > 0.5 or not np.isfinite(t.level[i]):
            continue
        off = abs(float(t.level[i]) - level)
        if best is None or off < best[0]:
            best = (off, TraceOrigin(t.computed_from, t.channel, capture))
    return TraceOrigin() if best is None else best[1]
