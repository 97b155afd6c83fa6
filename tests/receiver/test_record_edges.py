"""The record's edges: the span the detectors read in full, and events outside it.

The receiver detects only IF outputs whose window lies inside the record, so an event in the
first or last IF response is read low or not at all. Such an event makes every reading a
lower bound, with a warning naming the edge and the time; CW, noise and a steady pulse train
do not trigger it.
"""

from __future__ import annotations

import numpy as np
import pytest

from rfcheck.capture import SampleKind, TimeSeries
from rfcheck.frequency import format_hz
from rfcheck.outcome import Bound
from rfcheck.receiver import measure, scan_traces
from rfcheck.receiver.edges import seconds_text
from rfcheck.receiver.ifilter import if_duration_s

FS, FC = 400e3, 1e6
AREA_B = 0.158e-6  # Band B reference impulse area [V s]
DETS = ("peak", "quasi-peak", "cispr-average", "rms-average")


def _impulses(at_s: list[float], dur_s: float = 2.0, fs: float = FS) -> TimeSeries:
    x = np.zeros(int(round(dur_s * fs)), np.complex64)
    for t in at_s:
        x[int(round(t * fs))] = 2 * AREA_B * fs
    return TimeSeries(x, fs, SampleKind.IQ, center_freq_hz=FC)


@pytest.mark.parametrize(
    ("at_s", "edge"),
    [(0.0, "start"), (20e-6, "start"), (200e-6, "start"), (2.0 - 20e-6, "end")],
)
def test_an_impulse_in_an_edge_span_makes_every_reading_a_lower_bound(
    at_s: float, edge: str
) -> None:
    """Before: read -34.6 dBµV (at 0 s) or 57 dBµV (at 200 µs) for 66.61, labelled measured."""
    res = measure(_impulses([at_s]), "B", [FC], DETS)
    assert res.readings_dbuv["peak"][0] < 66.0  # read low: the reason for the bound
    assert {res.bound(d) for d in DETS} == {Bound.LOWER}
    (note,) = res.edge_warnings
    assert f"({edge} edge" in note
    assert f"an event at {seconds_text(at_s)} s" in note
    assert "every reading is a lower bound" in note
    assert note in res.warnings


def test_an_impulse_in_the_observed_span_is_measured_in_full() -> None:
    res = measure(_impulses([1.0]), "B", [FC], DETS)
    assert res.readings_dbuv["peak"][0] == pytest.approx(66.61, abs=0.05)
    assert res.edge_warnings == ()
    assert {res.bound(d) for d in ("peak", "cispr-average")} == {Bound.MEASURED}


def test_seconds_are_written_without_exponent() -> None:
    assert [seconds_text(t) for t in (0.0, 17.5e-6, 0.0002, 2.5)] == [
        "0",
        "0.0000175",
        "0.0002",
        "2.5",
    ]


def test_the_observed_span_is_the_record_less_one_if_response_at_each_end() -> None:
    """It was the record less half the response, where events read low."""
    full = if_duration_s(9e3)  # Band B: 0.475 ms
    res = measure(_impulses([1.0]), "B", [FC], ("peak",))
    span = res.observed
    assert span is not None and span.record_s == 2.0
    assert full - 0.05e-3 < span.start_s <= full
    assert 2.0 - full <= span.stop_s < 2.0 - full + 0.05e-3
    # Band A: 21.4 ms
    res_a = measure(_impulses([1.0], fs=10e3), "A", [FC], ("peak",))
    assert res_a.observed is not None
    assert res_a.observed.start_s == pytest.approx(if_duration_s(200.0), abs=1e-3)


@pytest.mark.parametrize("at_s", [0.26e-3, 0.30e-3, 2.0 - 0.26e-3])
def test_an_impulse_within_one_if_response_of_an_end_is_a_lower_bound(at_s: float) -> None:
    """0.26 ms in, inside the half response stated before, QP read 1.9 dB low.

    The detectors see it only from the first settled output on, whose window begins at
    the record's start: the impulse's IF response before that is lost.
    """
    res = measure(_impulses([at_s]), "B", [FC], DETS)
    mid = measure(_impulses([1.0]), "B", [FC], DETS)
    assert res.readings_dbuv["quasi-peak"][0] < mid.readings_dbuv["quasi-peak"][0] + 0.05
    (note,) = res.edge_warnings
    assert {res.bound(d) for d in DETS} == {Bound.LOWER}
    assert "one IF response" in note


def test_a_record_too_short_for_any_event_to_be_read_in_full_says_so() -> None:
    """Under two IF responses no event lies wholly inside the settled outputs."""
    n = int(1.5 * if_duration_s(9e3) * FS)
    x = np.zeros(n, np.complex64)
    x[n // 2] = 2 * AREA_B * FS
    res = measure(TimeSeries(x, FS, SampleKind.IQ, center_freq_hz=FC), "B", [FC], ("peak",))
    assert res.bound("peak") is Bound.LOWER
    assert any("too short for any event to be read in full" in w for w in res.edge_warnings)


def test_a_pulse_train_cw_and_noise_with_samples_in_the_edges_are_not_flagged() -> None:
    # 100 Hz train with a pulse in each edge span: same size as those in the observed span
    train = _impulses([k / 100 + 10e-6 for k in range(200)] + [2.0 - 10e-6])
    t = np.arange(int(FS * 2)) / FS
    cw = TimeSeries(
        (1e-3 * np.exp(2j * np.pi * 1234.5 * t)).astype(np.complex64),
        FS,
        SampleKind.IQ,
        center_freq_hz=FC,
    )
    rng = np.random.default_rng(1)
    noise_x = (rng.standard_normal(t.size) + 1j * rng.standard_normal(t.size)) * 1e-6
    noise = TimeSeries(noise_x.astype(np.complex64), FS, SampleKind.IQ, center_freq_hz=FC)
    real = TimeSeries(
        (1e-3 * np.cos(2 * np.pi * 150e3 * t)).astype(np.float32), FS, SampleKind.REAL
    )
    for ts in (train, cw, noise, real):
        res = measure(ts, "B", [150e3 if ts is real else FC], DETS)
        assert res.edge_warnings == ()
        assert res.bound("peak") is Bound.MEASURED


def test_a_strong_edge_event_above_a_cw_is_flagged() -> None:
    """A burst 20 dB above the CW in the last 0.1 ms: not read in full, so a bound."""
    t = np.arange(int(FS * 2)) / FS
    x = (1e-3 * np.exp(2j * np.pi * 1234.5 * t)).astype(np.complex64)
    x[-40:] *= 10
    res = measure(TimeSeries(x, FS, SampleKind.IQ, center_freq_hz=FC), "B", [FC], ("peak",))
    (note,) = res.edge_warnings
    assert "end edge" in note and "20.0 dB above" in note


def test_check_traces_of_an_edge_event_are_unsettled_and_noted() -> None:
    notes: list[str] = []
    traces = scan_traces(_impulses([20e-6]), ("peak", "quasi-peak"), notes=notes)
    assert traces and all(tr.settled is False for tr in traces)
    assert any("start edge" in n for n in notes)
    assert any(
        n.startswith("receiver band B (CISPR 16-1-1 B6 9 kHz; quasi-peak charge 1 ms, discharge ")
        and "): the detectors read events in 0.0004" in n
        and "(one IF response, 0.4" in n
        for n in notes
    )
    clean: list[str] = []
    traces = scan_traces(_impulses([1.0]), ("peak",), notes=clean)
    assert all(tr.settled is None for tr in traces)
    assert not any("edge" in n for n in clean)
    assert len(clean) == 1  # the observed span of band B, once


def test_a_check_note_states_how_each_band_was_measured() -> None:
    """No check output named the band's B6, time constants, rate or centre."""
    notes: list[str] = []
    scan_traces(_impulses([1.0]), ("peak", "quasi-peak"), notes=notes)
    (band,) = [n for n in notes if n.startswith("receiver band B")]
    fs = format_hz(FS, digits=10).replace("Hz", "S/s")
    assert (
        f"(CISPR 16-1-1 B6 9 kHz; quasi-peak charge 1 ms, discharge 160 ms; meter 160 ms; "
        f"I/Q record {_impulses([1.0]).duration_s:.6g} s at {fs}, centre "
        f"{format_hz(FC, digits=10)}): "
    ) in band


def _burst(start_s: float, length_s: float, dur_s: float = 2.0) -> TimeSeries:
    """Return a 66.99 dBµV tone at FC (I/Q magnitude 3.162 mV crest) on for ``length_s``."""
    x = np.zeros(int(round(dur_s * FS)), np.complex64)
    a, b = int(round(start_s * FS)), int(round((start_s + length_s) * FS))
    x[a:b] = 10 ** ((66.99 - 120.0) / 20.0) * np.sqrt(2.0)
    return TimeSeries(x, FS, SampleKind.IQ, center_freq_hz=FC)


@pytest.mark.parametrize("before_end_s", [0.0, 0.1])
def test_a_burst_at_the_records_end_leaves_the_meters_rising_lower_bounds(
    before_end_s: float,
) -> None:
    """A 20 ms burst ending at the last sample read QP 22.9 for 66.4, 'measured'.

    The QP and average meters had not swung yet: their readings are lower bounds, with a
    warning; the same burst mid-record reads the same QP as measured and warns of nothing.
    """
    res = measure(_burst(2.0 - 0.02 - before_end_s, 0.02), "B", [FC], DETS)
    mid = measure(_burst(1.0, 0.02), "B", [FC], DETS)
    assert res.bound("quasi-peak") is Bound.LOWER and "quasi-peak" in res.rising
    assert res.readings_dbuv["quasi-peak"][0] < mid.readings_dbuv["quasi-peak"][0] - 1.0
    assert any(
        "quasi-peak: the meter was still rising at the record's end" in w for w in res.warnings
    )
    assert res.bound("peak") is Bound.MEASURED  # the peak detector has no meter
    assert mid.rising == () and {mid.bound(d) for d in DETS} == {Bound.MEASURED}


@pytest.mark.parametrize("kind", ["cw", "noise"])
def test_a_steady_signal_leaves_no_meter_rising(kind: str) -> None:
    """CW and noise have settled meters at the end: no reading becomes a bound."""
    rng = np.random.default_rng(1)
    n = int(2.0 * FS)
    if kind == "cw":
        x = np.full(n, 1e-3, np.complex64)
    else:
        x = ((rng.standard_normal(n) + 1j * rng.standard_normal(n)) * 1e-4).astype(np.complex64)
    freqs = FC + np.arange(-20, 21) * 4.5e3
    res = measure(TimeSeries(x, FS, SampleKind.IQ, center_freq_hz=FC), "B", freqs, DETS)
    assert res.rising == ()


def _cw_near_edge(f_hz: float) -> TimeSeries:
    """Return a steady 47 dBµV CW at ``f_hz``, 3 s of 200 kS/s I/Q centred at FC."""
    fs = 200e3
    t = np.arange(int(3.0 * fs)) / fs
    a = np.sqrt(2.0) * 10 ** ((47.0 - 120.0) / 20.0)
    x = (a * np.exp(2j * np.pi * (f_hz - FC) * t)).astype(np.complex64)
    return TimeSeries(x, fs, SampleKind.IQ, center_freq_hz=FC)


@pytest.mark.parametrize("f_hz", [1.0909e6, 0.9065e6])
def test_a_steady_cw_scan_leaves_no_meter_rising_at_noise_level_finals(f_hz: float) -> None:
    """A CW beyond the grid's last maximum left finals only at noise-level maxima.

    Those channels, 126-140 dB under the CW, were their own run's strongest readings: float
    rounding there tripped "the meter was still rising" and made every QP reading a lower
    bound. The 60 dB window is now the whole scan's.
    """
    notes: list[str] = []
    traces = scan_traces(_cw_near_edge(f_hz), ("peak", "quasi-peak", "cispr-average"), notes=notes)
    assert not any("still rising" in n or "already on at the record's start" in n for n in notes)
    assert {tr.settled for tr in traces} == {None}


def test_the_meter_tests_take_their_window_from_a_stated_reference() -> None:
    """Channels far under a stronger reading elsewhere are not tested (rounding, not events).

    Alone, a burst ending at the record's end and one cut by its start are lower bounds;
    measured with a reference 61 dB above them (the whole scan's strongest reading) neither
    test looks at them.
    """
    for ts in (_burst(2.0 - 0.02, 0.02), _burst(0.0, 0.02)):
        assert measure(ts, "B", [FC], DETS).rising != ()
        assert measure(ts, "B", [FC], DETS, reference_dbuv=66.99 + 61.0).rising == ()
