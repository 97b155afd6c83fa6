"""Writers for the instrument export formats the sample captures emulate.

Each function returns the exact bytes an instrument (or its PC software) would write, in the
layouts of the real exports in ``../shared/real_captures`` (see its ``SOURCES.md``): the
Keysight X-series CSV (N9038A MXE), the R&S receiver ASCII export (ESRP-7) and SigMF 1.2.
Used by ``generate.py``; numbers arrive already rounded, so formatting is deterministic.
"""

from __future__ import annotations

import hashlib
import json
import math

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float64]

__all__ = ["keysight_csv", "rs_ascii", "rs_grid", "sigmf_pair"]


def _num(x: float) -> str:
    """Keysight number style: integers bare, others with 15 significant digits."""
    return f"{x:.0f}" if float(x).is_integer() else f"{x:.15g}"


def keysight_csv(
    freq_hz: Array,
    level: Array,
    *,
    unit: str,
    rbw_hz: float,
    vbw_hz: float,
    sweep_time_s: float,
    detector: str,
    trace_type: str,
    trace_name: str,
    average_type: str = "Voltage",
    preamp: str = "Off",
    attenuation_db: int = 10,
    phase_noise: str = "Narrow",
) -> bytes:
    """Return a Keysight X-series (N9038A MXE, Swept SA) one-trace CSV export.

    Layout as the instrument writes it: ``Trace``, ``Swept SA``, firmware/model and option
    lines, ``key,value`` settings, a ``DATA`` line (LF only) and ``freq,amp`` rows (CRLF).
    """
    head = [
        "Trace",
        "Swept SA",
        "A.26.08,N9038A",
        "526 CR3 DP2 EDP EMC LSN NFE P26 PFR TDS ,01",
        "Segment,0",
        f"Number of Points,{freq_hz.size}",
        f"Sweep Time,{sweep_time_s:.12g}",
        f"Start Frequency,{_num(freq_hz[0])}",
        f"Stop Frequency,{_num(freq_hz[-1])}",
        "Average Count,0",
        f"Average Type,{average_type}",
        f"RBW,{_num(rbw_hz)}",
        "RBW Filter,Gaussian",
        "RBW Filter BW,6dB",
        f"VBW,{_num(vbw_hz)}",
        "Sweep Type,Swept",
        "X Axis Scale,Lin",
        f"PreAmp State,{preamp}",
        "PreAmp Band,Low" if preamp == "Off" else "PreAmp Band,Full",
        "Trigger Source,Free",
        "Trigger Level,1.2",
        "Trigger Slope,Positive",
        "Trigger Delay,0",
        f"Phase Noise Optimization,{phase_noise}",
        "Swept If Gain,Low",
        "FFT If Gain,Autorange",
        "RF Coupling,DC",
        "FFT Width,411900",
        "Ext Ref,10000000",
        "Input,RF",
        "RF Calibrator,Off",
        f"Attenuation,{attenuation_db}",
        "Ref Level Offset,0",
        "External Gain,0",
        f"Trace Type,{trace_type}",
        f"Detector,{detector}",
        "Trace Math,Off",
        "Trace Math Oper1,Trace5",
        "Trace Math Oper2,Trace6",
        "Trace Math Offset,0",
        "Normalize,Off",
        f"Trace Name,{trace_name}",
        "X Axis Units,Hz",
        f"Y Axis Units,{unit}",
    ]
    rows = [f"{_num(f)},{_num(v)}" for f, v in zip(freq_hz, level, strict=True)]
    return ("\r\n".join(head) + "\r\nDATA\n" + "\r\n".join(rows) + "\r\n").encode("ascii")


def rs_ascii(
    freq_hz: Array,
    traces: dict[int, tuple[str, Array]],
    *,
    unit: str,
    step_hz: float,
    rbw_hz: float,
    meas_time_s: float,
    att_db: float,
    preamp_db: float,
    date: str,
) -> bytes:
    """Return an R&S EMI receiver (ESRP-7, Receiver mode) "Export traces in ASCII" file.

    ``;``-separated, trailing ``;``, CRLF, ISO-8859-1 (the µ of dBµV is byte 0xB5). Six
    ``TRACE n:`` blocks; those not in ``traces`` are written ``Trace Mode;BLANK;``.
    """
    f0, f1 = freq_hz[0], freq_hz[-1]
    lines = [
        "Type;ESRP-7;",
        "Version;3.36 SP1;",
        f"Date;{date};",
        "Mode;Receiver;",
        f"Start;{f0:.6f};Hz",
        f"Stop;{f1:.6f};Hz",
        "x-Axis;LIN;",
        "x-Unit;Hz;",
        f"y-Unit;{unit};",
        "Scan Count;1;",
        "Transducer;;;;;;;;",
        "Scan 1:",
        f"Start;{f0:.6f};Hz",
        f"Stop;{f1:.6f};Hz",
        f"Step;{step_hz:.6f};Hz",
        f"RBW;{rbw_hz:.6f};Hz",
        f"Meas Time;{meas_time_s:.6f};s",
        "Auto Ranging;OFF;",
        f"RF Att;{att_db:.6f};dB",
        "Auto Preamp;OFF;",
        f"Preamp;{preamp_db:.6f};dB",
    ]
    for k in range(1, 7):
        lines.append(f"TRACE {k}:")
        if k not in traces:
            lines.append("Trace Mode;BLANK;")
            continue
        detector, level = traces[k]
        lines += ["Trace Mode;CLR/WRITE;", f"Detector;{detector};", f"Values;{freq_hz.size};"]
        lines += [f"{f:.6f};{v:.6f};" for f, v in zip(freq_hz, level, strict=True)]
    return ("\r\n".join(lines) + "\r\n").encode("latin-1")


def rs_grid(start_hz: float, stop_hz: float, step_hz: float) -> Array:
    """R&S receiver scan points: ``start + k*step`` below ``stop``, then ``stop`` itself."""
    n = int(math.floor((stop_hz - start_hz) / step_hz - 1e-9)) + 1
    return np.append(start_hz + step_hz * np.arange(n), stop_hz)


def sigmf_pair(
    iq: NDArray[np.complex64],
    *,
    sample_rate_hz: float,
    center_hz: float,
    burst_samples: int,
    description: str,
) -> tuple[bytes, bytes]:
    """SigMF v1.2 metadata (JSON) and dataset (``cf32_le``) of an I/Q recording.

    Parameters
    ----------
    iq : ndarray of complex64
        Samples, volts at the receiver input. [V]
    sample_rate_hz, center_hz : float
        Sample rate and centre frequency. [Hz]
    burst_samples : int
        Length of the annotation written at each burst onset (where ``|iq|`` first
        exceeds 1 mV).
    description : str
        ``core:description``.

    Returns
    -------
    (bytes, bytes)
        The ``.sigmf-meta`` JSON (sorted keys, ``rfcheck:volts_per_unit = 1.0`` stated
        explicitly) and the ``.sigmf-data`` bytes.
    """
    data = iq.astype("<c8").tobytes()
    burst_starts = [  # annotate the bursts: where the envelope first exceeds 1 mV
        int(i) for i in np.flatnonzero(np.abs(iq) > 1e-3) if i == 0 or abs(iq[i - 1]) <= 1e-3
    ]
    meta = {
        "global": {
            "core:datatype": "cf32_le",
            "core:sample_rate": sample_rate_hz,
            "core:version": "1.2.0",
            "core:num_channels": 1,
            "core:sha512": hashlib.sha512(data).hexdigest(),
            "core:description": description,
            "core:author": "rfcheck sample_captures/generate.py (synthetic)",
            "core:recorder": "Keysight N9038A MXE I/Q analyzer, 200 kHz span -> SigMF",
            "core:hw": "Keysight N9038A MXE via 50 uH LISN (L1), 0.2 dB cable",
            "core:license": "https://spdx.org/licenses/MIT.html",
            "core:extensions": [{"name": "rfcheck", "version": "0.1.0", "optional": True}],
            "rfcheck:volts_per_unit": 1.0,
        },
        "captures": [
            {
                "core:sample_start": 0,
                "core:frequency": center_hz,
                "core:datetime": "2025-11-12T14:03:27.000000Z",
            }
        ],
        "annotations": [
            {
                "core:sample_start": s,
                "core:sample_count": burst_samples,
                "core:freq_lower_edge": center_hz - 20e3,
                "core:freq_upper_edge": center_hz + 20e3,
                "core:label": "burst",
                "core:comment": "fan load-switch edge ringing the harness",
            }
            for s in burst_starts
        ],
    }
    text = json.dumps(meta, indent=4, sort_keys=True) + "\n"
    return text.encode("utf-8"), data
