"""Placing captures: recordings told apart by their format, and scanned ahead of judging."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from rfcheck.capture import Capture, SampleKind, TimeSeries
from rfcheck.combine import analyse_combined
from rfcheck.product.assign import Assigned, Found, is_recording, with_receiver_traces
from rfcheck.product.run import place_captures
from rfcheck.settings import Setup, load_setup
from rfcheck.verdict.traces import computed_levels_note

SAMPLES = Path(__file__).resolve().parents[2] / "sample_captures"
SIGMF = SAMPLES / "conducted" / "rig_L1_burst.sigmf-meta"


@pytest.fixture(scope="module")
def setup() -> Setup:
    return load_setup(SAMPLES / "dossier-setup.toml")


@pytest.fixture(scope="module")
def recording(setup: Setup) -> Assigned:
    """Return the sample rig's SigMF recording, placed in L1 as the dossier places it."""
    placement = place_captures([SAMPLES], setup)
    assigned, _ = placement.assign_unit("rig", setup)
    (a,) = [a for a in assigned if a.path.name == SIGMF.name]
    return a


def _found(path: Path) -> Found:
    return Found(path, path.relative_to(SAMPLES).as_posix(), "rig")


def test_a_recording_is_told_by_its_format(setup: Setup) -> None:
    assert is_recording(_found(SIGMF), setup)
    assert not is_recording(_found(SAMPLES / "conducted" / "rig_L1_peak_keysight.csv"), setup)
    assert not is_recording(_found(SAMPLES / "radiated" / "rig_3m_V_1G-6G_rs.DAT"), setup)


def test_an_unreadable_file_is_no_recording(setup: Setup, tmp_path: Path) -> None:
    empty = tmp_path / "rig_L1_x.csv"
    empty.write_bytes(b"")
    assert not is_recording(Found(empty, empty.name, "rig"), setup)


def test_receiver_traces_replace_the_samples(recording: Assigned) -> None:
    assert recording.capture is not None and recording.capture.is_time_domain
    scanned = with_receiver_traces(recording)
    assert scanned.capture is not None
    assert scanned.capture.time_series == ()
    assert [t.detector.value for t in scanned.capture.traces] == [
        "peak",
        "quasi-peak",
        "cispr-average",
    ]
    # what the record reads from the capture is kept
    assert scanned.capture.instrument == recording.capture.instrument
    assert scanned.capture.provenance == recording.capture.provenance
    assert (scanned.port, scanned.span_hz) == (recording.port, recording.span_hz)


def test_receiver_traces_judge_as_the_recording(recording: Assigned) -> None:
    scanned = with_receiver_traces(recording)

    def judged(a: Assigned) -> dict[str, object]:
        r = analyse_combined([a.path], [a.settings], label="L1", captures=[a.capture])
        plotted = [(t.label, t.freq_hz.tolist(), t.level.tolist()) for t in r.plot_traces]
        return {**r.to_json(), "plotted": plotted}

    assert json.dumps(judged(scanned)) == json.dumps(judged(recording))


def test_a_capture_of_traces_is_returned_as_it_is(recording: Assigned) -> None:
    scanned = with_receiver_traces(recording)
    assert with_receiver_traces(scanned) is scanned


def test_a_recording_the_receiver_cannot_judge_is_returned_as_it_is(
    recording: Assigned,
) -> None:
    # 40 µs: shorter than the 9 kHz IF filter's response, so judging reports it
    ts = TimeSeries(np.zeros(400, np.complex64), 10e6, SampleKind.IQ, center_freq_hz=1.4e6)
    short = dataclasses.replace(recording, capture=Capture(time_series=(ts,)))
    assert with_receiver_traces(short) is short


def test_the_receivers_notes_follow_the_capture_as_judging_reports_them(
    recording: Assigned,
) -> None:
    # 0.3 s of a CW: long enough for the IF filter, too short for the quasi-peak meter
    fs = 200e3
    t = np.arange(int(0.3 * fs)) / fs
    cw = (1e-3 * np.exp(2j * np.pi * 20e3 * t)).astype(np.complex64)
    ts = TimeSeries(cw, fs, SampleKind.IQ, center_freq_hz=1.4e6)
    assert recording.capture is not None
    short = dataclasses.replace(
        recording, capture=dataclasses.replace(recording.capture, time_series=(ts,))
    )
    scanned = with_receiver_traces(short)
    assert scanned.capture is not None and scanned.capture.time_series == ()
    notes = scanned.capture.warnings
    assert notes[0] == computed_levels_note()  # what the levels are, then why they are low
    # after it the span the receiver observed (docs/receiver.md, "The record's edges")
    assert notes[1].startswith("receiver band B (CISPR 16-1-1 B6 9 kHz; ")
    assert "): the detectors read events in " in notes[1]
    assert notes[2:] and all("lower bound only" in n for n in notes[2:])

    def judged(a: Assigned) -> dict[str, Any]:
        r = analyse_combined([a.path], [a.settings], label="L1", captures=[a.capture])
        return r.to_json()

    once, scanned_first = judged(short), judged(scanned)
    assert scanned_first == once
    assert [w for w in once["warnings"] if "lower bound" in w]
