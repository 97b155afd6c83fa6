"""Report building blocks.

Atomic writes, envelope decimation, limit segments, naming, frequency ticks, PDF header text
fitting, user-facing setting names and the limit block.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
from matplotlib.figure import Figure

from rfcheck.errors import ReportError
from rfcheck.outcome import Verdict
from rfcheck.plotted import PlotLimit, PlotTrace
from rfcheck.report import _common as C
from rfcheck.report import atomic, write_reports
from rfcheck.report._common import fmt_freq_mhz, limit_segments, sanitise_stem
from rfcheck.report._pdfkit import fit_text
from rfcheck.report._ticks import freq_ticks, linear_ticks
from rfcheck.report.fonts import FONT, register_fonts
from rfcheck.report.plots import MAX_BINS, envelope, plot_png
from rfcheck.results import CaptureResult, RunResult


def test_atomic_write_leaves_no_temp(tmp_path: Path) -> None:
    p = atomic.write_atomic(tmp_path / "r.json", b"{}")
    assert p.read_bytes() == b"{}"
    assert [x.name for x in tmp_path.iterdir()] == ["r.json"]


def test_atomic_write_failure_keeps_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "r.pdf"
    target.write_bytes(b"old")

    def boom(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError, match="disk full"):
        atomic.write_atomic(target, b"new content")
    assert target.read_bytes() == b"old"
    assert [x.name for x in tmp_path.iterdir()] == ["r.pdf"]


def test_render_failure_writes_the_other_reports(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rfcheck.report import pdf

    def boom(*_a: object, **_k: object) -> bytes:
        raise RuntimeError("render failed")

    monkeypatch.setattr(pdf, "render_pdf", boom)
    run = RunResult("0.1.0", (CaptureResult("a.csv", None, None, Verdict.ERROR),))
    with pytest.raises(
        ReportError, match=r"^report not written: a\.pdf: RuntimeError: render failed$"
    ) as exc:
        write_reports(run, tmp_path / "out", ["json", "pdf"])
    assert exc.value.written == (tmp_path / "out" / "a.json",)
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["a.json"]


def test_envelope_keeps_extremes_of_a_million_points() -> None:
    f = np.linspace(150e3, 30e6, 1_000_000)
    rng = np.random.default_rng(0)
    y = rng.normal(0, 1, f.size)
    y[123_456] = 50.0
    y[654_321] = -40.0
    fe, ye = envelope(f, y)
    assert fe.size <= 2 * MAX_BINS
    assert np.all(np.diff(fe) > 0)
    assert ye.max() == 50.0 and ye.min() == -40.0
    assert f[123_456] in fe


def test_envelope_short_trace_unchanged_but_filtered() -> None:
    f = np.array([0.0, 1e6, 2e6, 3e6])
    y = np.array([1.0, np.nan, 3.0, 4.0])
    fe, ye = envelope(f, y)
    assert fe.tolist() == [2e6, 3e6] and ye.tolist() == [3.0, 4.0]


def test_huge_trace_plots_quickly() -> None:
    f = np.geomspace(30e6, 1e9, 1_000_000)
    y = 30 + np.random.default_rng(1).normal(0, 3, f.size)
    cap = CaptureResult(
        "big.csv",
        "0" * 64,
        "x",
        Verdict.PASS,
        plot_traces=(PlotTrace("T1", "peak", f, y, "dBµV/m"),),
        plot_limits=(
            PlotLimit(
                "fcc-15.109-b",
                "QP",
                "quasi-peak",
                np.array([30e6, 88e6, 88e6, 1e9]),
                np.array([40.0, 40.0, 43.5, 43.5]),
                "dBµV/m",
            ),
        ),
    )
    png = plot_png(cap, dpi=50)
    assert png.startswith(b"\x89PNG") and len(png) < 300_000


def test_limit_segments_from_dense_log_f_line() -> None:
    f = np.concatenate([np.geomspace(150e3, 500e3, 200), [500e3, 5e6, 5e6, 30e6]])
    y = np.concatenate(
        [
            66 - 20 * np.log10(np.geomspace(150e3, 500e3, 200) / 150e3) / np.log10(500 / 150) * 0.5,
            [56, 56, 60, 60],
        ]
    )
    segs = limit_segments(PlotLimit("x", "QP", "quasi-peak", f, y, "dBµV"))
    assert len(segs) == 3
    assert segs[0][0] == pytest.approx(150e3) and segs[0][2] == pytest.approx(66)
    assert segs[0][3] == pytest.approx(56)
    assert segs[2] == (5e6, 30e6, 60.0, 60.0)


@pytest.mark.parametrize(
    ("path", "stem"),
    [
        ("a/b/EUT L1 (peak).csv", "EUT_L1_peak"),
        # a backslash separates folders on Windows only; on POSIX it is part of the name
        ("C:\\x\\y.DAT", "y" if os.name == "nt" else "C_x_y"),
        ("N$\\frac$x.DAT", "frac_x" if os.name == "nt" else "N_frac_x"),
        ("a/M$\\frac$x.DAT + b.DAT", "combined-frac_x" if os.name == "nt" else "combined-M_frac_x"),
        ("rec.sigmf-meta", "rec"),
        ("cap.iq.tar", "cap"),
        ("Blow_0.5.sigmf-meta", "Blow_0.5"),
        ("rig.v2.sigmf-data", "rig.v2"),
        ("b.1.sigmf", "b.1"),
        ("run.3.iq.tar", "run.3"),
        ("scan_0.5M.csv", "scan_0.5M"),
        ("../..", "capture"),
    ],
)
def test_sanitise_stem(path: str, stem: str) -> None:
    assert sanitise_stem(path) == stem


def test_frequency_format() -> None:
    assert fmt_freq_mhz(150e3) == "0.1500"
    assert fmt_freq_mhz(45.12e6) == "45.120"
    assert fmt_freq_mhz(None) == "\u2013"


# --- report cosmetics: user-facing setting names, the limit block --------------------------------
def test_settings_rows_use_user_facing_names() -> None:
    names = [
        k
        for k, _ in C.settings_rows(
            {
                "fmt": "csv",
                "limit_ids": ["x"],
                "lisn": None,
                "suspect_window_db": 6.0,
                "attenuator_db": 10,
            }
        )
    ]
    assert names == ["attenuator [dB]", "format", "limits", "LISN", "suspect window [dB]"]


def test_limit_block_is_a_readable_table() -> None:
    lim = {
        "id": "fcc-15.109-b", "title": "T", "source": "47 CFR 15.109(a)", "edition": "E",
        "retrieved": "2026-11-26", "port": "radiated", "distance_m": 3.0,
        "measurement_distance_m": None, "distance_note": "no conversion", "status": "D",
        "unconfirmed": [], "path": "rfcheck.limit_tables/fcc-15.109-b.toml", "sha256": "ab12",
        "lines": {"QP": "quasi-peak"}, "unit": "dBµV/m", "edge_rule": "tighter",
    }  # fmt: skip
    _, title, rows, unconfirmed = C.describe_limit(lim)
    assert title == "T" and not unconfirmed
    assert rows == [
        ("Title", "T"),
        ("Regulation (clause)", "47 CFR 15.109(a)"),
        ("Text checked", "2026-11-26"),
        ("Edition and sources", "E"),
        ("Port", "radiated"),
        ("Distance and conversion", "3 m; no conversion"),
        ("Status", "D"),
        (
            "File + SHA-256",
            "limits/fcc-15.109-b.toml (installed as rfcheck.limit_tables/fcc-15.109-b.toml)  ab12",
        ),
    ]
    assert C.describe_limit({"id": "u", "unconfirmed": ["QP is UNCONFIRMED"]})[3]


def test_header_title_is_ellipsized() -> None:
    register_fonts()
    title = "Hashcore HC-3: FCC Part 15 Class B pre-compliance \u2014 " * 4
    out = fit_text(title, FONT, 7.5, 200.0)
    assert out.endswith("\u2026") and len(out) < len(title)
    from reportlab.pdfbase.pdfmetrics import stringWidth

    assert stringWidth(out, FONT, 7.5) <= 200.0
    assert fit_text("short", FONT, 7.5, 200.0) == "short"


def test_narrow_span_gets_linear_tick_labels() -> None:
    ticks, nd = linear_ticks(1.2975, 1.482)
    assert len(ticks) >= 2 and all(1.2975 <= t <= 1.482 for t in ticks) and nd == 2
    fig = Figure()
    ax = fig.add_subplot()
    ax.set_xscale("log")
    ax.set_xlim(1.2975, 1.482)
    major = freq_ticks([ax], 1.2975, 1.482)
    assert len(major) >= 2
    labels = [ax.xaxis.get_major_formatter()(t, 0) for t in major]
    assert labels == [f"{t:.2f}" for t in major]


def _labelled_ticks(fmin_mhz: float, fmax_mhz: float) -> tuple[list[str], tuple[float, float]]:
    """Return the labels freq_ticks chooses on a fresh log axis and the axis range after it."""
    fig = Figure()
    ax = fig.add_subplot()
    ax.set_xscale("log")
    ax.set_xlim(fmin_mhz, fmax_mhz)
    major = freq_ticks([ax], fmin_mhz, fmax_mhz)
    lo, hi = ax.get_xlim()
    assert all(lo <= t <= hi for t in major), (major, lo, hi)  # every chosen tick is drawn
    return [ax.xaxis.get_major_formatter()(t, 0) for t in major], (lo, hi)


@pytest.mark.parametrize(
    ("fmin_mhz", "fmax_mhz"),
    [(30.0, 1000.0), (30.0, 999.5), (30.0, 998.0), (30.01, 1000.0), (29.99, 1000.5)],
)
def test_decade_axis_labels_both_round_band_ends(fmin_mhz: float, fmax_mhz: float) -> None:
    """30-1000 MHz: '30' and '1000' are labelled even when the sweep stops a hair short."""
    labels, (lo, hi) = _labelled_ticks(fmin_mhz, fmax_mhz)
    assert labels == ["30", "100", "300", "1000"]
    assert lo == min(fmin_mhz, 30.0) and hi == max(fmax_mhz, 1000.0)  # widened onto the ends


def test_decade_axis_labels_a_round_end_outside_the_tick_table() -> None:
    assert _labelled_ticks(30.0, 990.0)[0] == ["30", "50", "100", "200", "300", "500", "990"]
    assert _labelled_ticks(1000.0, 40000.0)[0] == ["1000", "3000", "6000", "18000", "40000"]
    # an end that is not round is neither labelled nor moved; 1000 lies outside the data
    assert _labelled_ticks(30.0, 997.0) == (["30", "50", "100", "200", "300", "500"], (30.0, 997.0))


def test_a_round_end_drops_a_tick_crowding_it() -> None:
    labels, _ = _labelled_ticks(0.15, 31.0)  # 30 sits 0.7 % of the axis from the end, 31
    assert labels == ["0.15", "0.5", "1", "5", "10", "31"]


def test_every_document_colours_a_verdict_from_the_one_palette() -> None:
    """Check report, dossier (PDF matrix and banner, HTML), record checklist, lot plot agree."""
    from rfcheck.lot.plots import _VERDICT as LOT_VERDICT
    from rfcheck.outcome import Verdict
    from rfcheck.record import _pdfstyle as R
    from rfcheck.report.dossier._rows import PASS_ON_WHAT_WAS_READ
    from rfcheck.report.dossier.html import _CSS
    from rfcheck.report.dossier.pdf import _COLOURS as DOSSIER_PDF
    from rfcheck.report.fonts import VERDICT_COLOURS

    named = {v.value: c for v, c in VERDICT_COLOURS.items()}
    own = {PASS_ON_WHAT_WAS_READ: DOSSIER_PDF[PASS_ON_WHAT_WAS_READ]}  # the matrix's own (F7)
    assert DOSSIER_PDF == {**named, "MISSING": VERDICT_COLOURS[Verdict.INCOMPLETE], **own}
    assert own[PASS_ON_WHAT_WAS_READ] not in VERDICT_COLOURS.values()
    for state, colour in DOSSIER_PDF.items():
        assert f".{state}{{background:{colour}}}" in _CSS
    assert [c.hexval() for c in (R.GREEN, R.RED, R.AMBER, R.GREY)] == [
        "0x" + VERDICT_COLOURS[v][1:]
        for v in (Verdict.PASS, Verdict.FAIL, Verdict.INCONCLUSIVE, Verdict.ERROR)
    ]
    assert LOT_VERDICT == {v: VERDICT_COLOURS[v] for v in (Verdict.PASS, Verdict.FAIL)}


def test_settings_rows_print_numbers_without_a_trailing_point_zero() -> None:
    from rfcheck.report._fields import settings_rows

    rows = dict(settings_rows({"highest_frequency_hz": 700e6, "distance_m": 3.0, "x": 0.1 + 0.2}))
    assert rows["highest frequency [Hz]"] == "700000000"
    assert rows["distance [m]"] == "3"
    assert rows["x"] == "0.3"  # 15 significant digits: no 0.30000000000000004


def test_the_needs_cell_names_the_record_or_dwell_still_needed() -> None:
    from rfcheck.report.tabular import _needs_cell

    assert _needs_cell([150000.0], [], record_s=1.605) == "150000.0; record>=1.605s"
    assert _needs_cell([150000.0], [[1e6, 2e6]], dwell_s=1.0) == (
        "150000.0; 1000000.0-2000000.0; dwell>=1s"
    )


def test_every_effective_setting_has_a_user_facing_name() -> None:
    """The reports' settings table never prints an internal field name ("range hz")."""
    from rfcheck.analysis import settings_summary
    from rfcheck.report._fields import SETTING_NAMES, settings_rows
    from rfcheck.settings import CheckSettings

    summary = settings_summary(CheckSettings(limit_ids=("fcc-15.107-b",), range_hz=(1e6, 2e6)))
    assert set(summary) <= set(SETTING_NAMES), set(summary) - set(SETTING_NAMES)
    names = dict(settings_rows(summary))
    assert names["judged range [Hz]"] == "1000000, 2000000"
    assert "range hz" not in names and "u lab db" not in names
