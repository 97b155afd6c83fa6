"""``rfcheck formats`` and ``rfcheck info``: what rfcheck reads, and what a file holds."""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path
from typing import Any

import click

from ..capture import Capture, Detector
from ..errors import EXIT_INPUT_ERROR, RfcheckError
from ..frequency import format_hz
from ..textsafe import json_safe, printable
from ..units import LevelUnit
from ._common import (
    DETECTOR_TYPE,
    INPUT_PATH,
    UNIT_TYPE,
    echo,
    output_option,
    rbw_option,
    report_error,
)


@click.command("formats")
@output_option("text", "json")
def formats_cmd(output_format: str) -> None:
    """List the capture readers, with the extensions and signatures they detect."""
    from ..io import READERS  # deferred: keeps ``rfcheck --help`` light

    rows: list[dict[str, Any]] = [
        {
            "name": r.name,
            "title": r.title,
            "extensions": list(r.extensions),
            "signature": r.signature,
            "priority": r.priority,
        }
        for r in READERS
    ]
    if output_format == "json":
        echo(json_safe(json.dumps(rows, indent=2, ensure_ascii=False)))
        return
    for row in rows:
        exts = " ".join(row["extensions"])
        echo(f"{row['name']:<18} {row['title']}")
        echo(f"{'':<18} extensions: {exts}")
        echo(f"{'':<18} detects:    {row['signature']}")


def capture_summary(cap: Capture) -> dict[str, Any]:
    """JSON-ready description of a capture (the ``info -o json`` schema)."""
    from ..io.iq_scale import missing_scale_notes  # deferred: ``rfcheck --help`` light
    from ..verdict.reads_low import reads_low_reasons

    prov = cap.provenance
    inst = cap.instrument
    return {
        "path": prov.path if prov else None,
        "sha256": prov.sha256 if prov else None,
        "format": prov.format if prov else None,
        "size_bytes": prov.size_bytes if prov else None,
        "companions": [{"path": c[0], "sha256": c[1]} for c in prov.companions] if prov else [],
        "instrument": {
            "vendor": inst.vendor,
            "model": inst.model,
            "serial": inst.serial,
            "firmware": inst.firmware,
        },
        "timestamp": cap.timestamp,
        "traces": [
            {
                "name": t.name,
                "detector": t.detector.value,
                "unit": t.unit.value if t.unit else None,
                "mode": t.mode.value,
                "points": t.n_points,
                "start_hz": t.start_hz,
                "stop_hz": t.stop_hz,
                "rbw_hz": t.rbw_hz,
                "vbw_hz": t.vbw_hz,
                "sweep_time_s": t.sweep_time_s,
                "dwell_s": t.dwell_s,
                # settings the file states that let it read low (a gated sweep, a narrow VBW):
                # its readings bound no line from above (docs/verdict.md, "Trace mode")
                "reads_low": reads_low_reasons(t),
            }
            for t in cap.traces
        ],
        "time_series": [
            {
                "name": ts.name,
                "kind": ts.kind.value,
                "samples": ts.n_samples,
                "sample_rate_hz": ts.sample_rate_hz,
                "center_freq_hz": ts.center_freq_hz,
                "duration_s": ts.duration_s,
                "band_hz": list(ts.band_hz),
                "volts_per_unit": ts.volts_per_unit,
                "unit": ts.unit.value if ts.unit else None,
                "rbw_hz": ts.rbw_hz,
                "dtype": str(ts.samples.dtype),
                "sample_format": ts.sample_format or None,
            }
            for ts in cap.time_series
        ],
        # a recording's missing scale, noted alike whatever its format (the iq-tar reader notes
        # it itself, SigMF's leaves it to the runs that measure the recording)
        "warnings": missing_scale_notes(cap.metadata, cap.warnings),
    }


def _finite(obj: Any) -> Any:
    """JSON has no NaN/inf: an unknown number (e.g. an unstated centre frequency) is null."""
    if isinstance(obj, float) and not math.isfinite(obj):
        return None
    if isinstance(obj, dict):
        return {k: _finite(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_finite(v) for v in obj]
    return obj


def _printable_tree(obj: Any) -> Any:
    """Every string of a summary made one printable line (file metadata is untrusted)."""
    if isinstance(obj, str):
        return printable(obj)
    if isinstance(obj, dict):
        return {k: _printable_tree(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_printable_tree(v) for v in obj]
    return obj


def _print_text(summary: dict[str, Any]) -> None:
    s = _printable_tree(summary)
    echo(f"{s['path']}")
    echo(f"  format:     {s['format']}")
    inst = s["instrument"]
    ident = " ".join(x for x in (inst["vendor"], inst["model"]) if x) or "unknown"
    if inst["serial"]:
        ident += f", s/n {inst['serial']}"
    if inst["firmware"]:
        ident += f", firmware {inst['firmware']}"
    echo(f"  instrument: {ident}")
    if s["timestamp"]:
        echo(f"  timestamp:  {s['timestamp']}")
    echo(f"  sha256:     {s['sha256']}")
    for comp in s["companions"]:
        echo(f"  also read:  {comp['path']} (sha256 {comp['sha256']})")
    for i, t in enumerate(s["traces"], 1):
        unit = t["unit"] or "unknown (state it with --unit)"
        echo(
            f"  trace {i} {_cut(_file_name(i, t['name'])):<10} detector={t['detector']} "
            f"mode={t['mode']} unit={unit} "
            f"points={t['points']} {format_hz(t['start_hz'])} .. {format_hz(t['stop_hz'])} "
            f"RBW={format_hz(t['rbw_hz'])}"
            + (f" VBW={format_hz(t['vbw_hz'])}" if t["vbw_hz"] else "")
            + (f" sweep={t['sweep_time_s']:g} s" if t["sweep_time_s"] else "")
            + (f" dwell={t['dwell_s']:g} s" if t["dwell_s"] else "")
        )
        for why in t["reads_low"]:
            echo(f"    reads low: {_cut(why)}: no upper bound from it")
    for i, ts in enumerate(s["time_series"], 1):
        echo(f"  recording {i} {_cut(str(ts['name']))} {_recording_text(ts)}")
    for w in s["warnings"]:
        echo(f"  note: {w}")


#: Longest file-supplied text ``info`` prints on a line (a recording's ``core:description``
#: can be 100 kB); ``-o json`` keeps all of it. [characters, as printed]
MAX_TEXT_CHARS = 200


def _cut(text: str, limit: int = MAX_TEXT_CHARS) -> str:
    """Return ``text`` cut to ``limit`` characters, saying how many were cut."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}... [{len(text) - limit:,} more characters cut; -o json has them all]"


def _file_name(index: int, name: str) -> str:
    """Return the file's name of trace ``index``, "" where it only repeats ``trace <index>``.

    A file that names its traces by number (``Trace1``, ``TRACE 1``, a tinySA's ``trace 1``)
    would read ``trace 1 trace 1``; a name that says more (``Trace A``, ``Peak``) or another
    number (``trace 3 TRACE 4``: the file's fourth trace is the third read) stays.
    """
    same = "".join(name.split()).lower() == f"trace{index}"
    return "" if same else name


def _recording_text(ts: dict[str, Any]) -> str:
    """Return a recording's fields for the text output.

    The sample format is the file's (``ci16_le``), not the in-memory dtype; an unstated
    centre frequency (NaN) is said in words, and so is the band it leaves unknown.
    """
    centre_hz, (lo_hz, hi_hz) = ts["center_freq_hz"], ts["band_hz"]
    if math.isfinite(centre_hz):
        where = f"centre={format_hz(centre_hz)}"
        band = f" band={format_hz(lo_hz)} .. {format_hz(hi_hz)}"
    else:
        where, band = "centre frequency not stated", ""
    stored = ts["sample_format"] or "not stated"
    return (
        f"kind={ts['kind']} samples={ts['samples']} fs={format_hz(ts['sample_rate_hz'])} "
        f"{where} duration={ts['duration_s']:.6g} s{band} sample_format={stored}"
    )


@click.command("info")
@click.argument("captures", nargs=-1, required=True, type=INPUT_PATH)
@click.option(
    "--format", "fmt", metavar="NAME", help="Reader to use (skip detection); see 'rfcheck formats'."
)
@click.option(
    "--unit", type=UNIT_TYPE, help="Level unit for files that state none (dBm, dBuV, dBuV/m, ...)."
)
@click.option("--detector", type=DETECTOR_TYPE, help="Detector for traces whose file states none.")
@rbw_option()
@output_option("text", "json")
def info_cmd(
    captures: tuple[Path, ...],
    fmt: str | None,
    unit: LevelUnit | None,
    detector: Detector | None,
    rbw: float | None,
    output_format: str,
) -> None:
    """Print what was read from each CAPTURE: format, instrument, traces, recordings, SHA-256.

    Exit code 0 when every file was read, 3 when any could not be (each such file gets one
    line on stderr; the others are still printed; with -o json it also has an entry of its
    own, {"path", "format", "error", "line"}, in its place in the list; "format" is the
    format its first bytes name, null when none does).
    """
    from ..io import detected_format_name, load_capture  # deferred: ``rfcheck --help`` light

    summaries: list[dict[str, Any]] = []
    failed = False
    for path in captures:
        try:
            cap = load_capture(path, fmt, unit=unit, detector=detector, rbw_hz=rbw)
        except RfcheckError as err:
            report_error(err)
            failed = True
            # every file given has its entry: a reader of the JSON alone sees which failed
            summaries.append(
                {
                    "path": str(path),
                    "format": fmt or detected_format_name(path),
                    "error": err.message,
                    "line": err.line,
                }
            )
            continue
        summaries.append(capture_summary(cap))
        if output_format == "text":
            _print_text(summaries[-1])
    if output_format == "json":
        echo(
            json_safe(json.dumps(_finite(summaries), indent=2, ensure_ascii=False, allow_nan=False))
        )
    if failed:
        sys.exit(EXIT_INPUT_ERROR)
