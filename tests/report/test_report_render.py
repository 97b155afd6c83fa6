"""Test reports rendered from hand-built results.

Every format, for PASS / FAIL / INCONCLUSIVE /
ERROR captures, checked for content (not only existence) and reproducibility.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as _dt
import json
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from matplotlib import image as mpimg
from matplotlib.text import Annotation
from pypdf import PdfReader

from rfcheck.analysis import run_check
from rfcheck.capture import parse_detector
from rfcheck.outcome import Bound, Verdict
from rfcheck.plotted import PlotLimit, PlotTrace
from rfcheck.report import REPORT_FORMATS, report_id, write_reports
from rfcheck.report import _common as C
from rfcheck.report.plot_rendering import PNG_DPI
from rfcheck.report.plots import FIGSIZE_IN, margin_figure
from rfcheck.report.tabular import render_csv
from rfcheck.results import CaptureResult, ErrorRecord, InputFile, LineCheck, RunResult, Suspect
from rfcheck.settings import CheckSettings, Setup

HOSTILE = '<script>alert("x")</script> & Co'
LIMIT = "fcc-15.107-b"
QP_F = np.array([150e3, 500e3, 500e3, 5e6, 5e6, 30e6])
QP_L = np.array([66.0, 56.0, 56.0, 56.0, 60.0, 60.0])


def _sha(tag: str) -> str:
    return (tag * 64)[:64]


def _limit_at(f: float, av: bool) -> float:
    return float(np.interp(np.log10(f), np.log10(QP_F), QP_L)) - (10.0 if av else 0.0)


def make_capture(verdict: Verdict, path: str, sha: str, label: str = "L1") -> CaptureResult:
    """Build a conducted capture whose AV reading at 1.2340 MHz sits where ``verdict`` says."""
    if verdict is Verdict.ERROR:
        return CaptureResult(
            path,
            None,
            None,
            Verdict.ERROR,
            errors=(ErrorRecord(path, "line 3: no frequency axis"),),
        )
    offset = {Verdict.PASS: -8.0, Verdict.FAIL: 3.21, Verdict.INCONCLUSIVE: -4.0}[verdict]
    f = np.geomspace(150e3, 30e6, 2001)
    rng = np.random.default_rng(7)
    pk = 36 - 8 * np.log10(f / 150e3) + rng.normal(0, 1.5, f.size)
    f0 = 1.234e6
    i0 = int(np.argmin(np.abs(f - f0)))
    f[i0] = f0
    av_level = _limit_at(f0, True) + offset
    pk[i0] = av_level + 9.0
    av = pk - 9.0
    suspects = [
        Suspect(
            f0,
            av_level - 10.2,
            "dBµV",
            10.2,
            av_level,
            "dBµV",
            _limit_at(f0, True),
            _limit_at(f0, True) - av_level,
            "cispr-average",
            Bound.MEASURED,
            Verdict.FAIL if offset > 0 else Verdict.PASS,
            LIMIT,
            "AV",
        ),
        Suspect(
            f0,
            pk[i0] - 10.2,
            "dBµV",
            10.2,
            float(pk[i0]),
            "dBµV",
            _limit_at(f0, False),
            _limit_at(f0, False) - pk[i0],
            "peak",
            Bound.UPPER,
            Verdict.INCONCLUSIVE if pk[i0] > _limit_at(f0, False) else Verdict.PASS,
            LIMIT,
            "QP",
        ),
    ]
    qp_verdict = Verdict.INCONCLUSIVE if verdict is Verdict.INCONCLUSIVE else Verdict.PASS
    checks = (
        LineCheck(
            LIMIT,
            "QP",
            "quasi-peak",
            qp_verdict,
            _limit_at(f0, False) - pk[i0],
            f0,
            Bound.UPPER,
            needs="quasi-peak at 1.2340 MHz" if qp_verdict is Verdict.INCONCLUSIVE else "",
            evaluated_hz=((150e3, 30e6),),
        ),
        LineCheck(
            LIMIT,
            "AV",
            "cispr-average",
            Verdict.FAIL if verdict is Verdict.FAIL else Verdict.PASS,
            _limit_at(f0, True) - av_level,
            f0,
            Bound.MEASURED,
            evaluated_hz=((150e3, 30e6),),
        ),
    )
    return CaptureResult(
        path,
        sha,
        "keysight-csv",
        verdict,
        checks,
        tuple(suspects),
        warnings=("trace 2 blank, dropped",),
        instrument={"vendor": "Keysight", "model": HOSTILE, "serial": "MY123"},
        timestamp="2024-03-14T10:22:00",
        corrections=("LISN factor lisn.csv (0.1 to 0.6 dB)", "cable loss 0.5 dB"),
        limits=(
            {
                "id": LIMIT,
                "title": "FCC 15.107(b) Class B",
                "source": "47 CFR 15.107(b)",
                "unconfirmed": [],
            },
        ),
        plot_traces=(
            PlotTrace("Trace 1", "peak", f, pk, "dBµV"),
            PlotTrace("Trace 3", "cispr-average", f, av, "dBµV"),
        ),
        plot_limits=(
            PlotLimit(LIMIT, "QP", "quasi-peak", QP_F, QP_L, "dBµV"),
            PlotLimit(LIMIT, "AV", "cispr-average", QP_F, QP_L - 10, "dBµV"),
        ),
        label=label,
    )


def make_run(verdict: Verdict, n: int = 1) -> RunResult:
    caps = tuple(
        make_capture(verdict, f"caps/eut {k}.csv", _sha("0123456789abcdef"[k])) for k in range(n)
    )
    inputs = [InputFile("capture", c.path, c.sha256) for c in caps if c.sha256]
    inputs += [
        InputFile("limit", "limits/fcc-15.107-b.toml", _sha("b")),
        InputFile("transducer", "lisn.csv", _sha("c")),
        InputFile("setup", "setup.toml", _sha("d")),
    ]
    return RunResult(
        "0.1.0",
        caps,
        tuple(inputs),
        command="rfcheck check 'caps/eut 0.csv' --report pdf --out out",
    )


SETUP = Setup(
    dut={
        "manufacturer": "Acme",
        "model": HOSTILE,
        "serial": "SN-1",
        "highest_internal_frequency_hz": 480e6,
    },
    lab={"name": "Acme EMC", "operator": "J. Smith", "site": "Room 2"},
    test={"date": "2024-03-14", "standard": "FCC Part 15 Subpart B", "class": "B"},
)
VERDICTS = [Verdict.PASS, Verdict.FAIL, Verdict.INCONCLUSIVE, Verdict.ERROR]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[Verdict, dict[str, Path]]:
    out: dict[Verdict, dict[str, Path]] = {}
    mp = pytest.MonkeyPatch()
    mp.setenv("SOURCE_DATE_EPOCH", "1700000000")
    try:
        for v in VERDICTS:
            d = tmp_path_factory.mktemp(v.value)
            paths = write_reports(make_run(v), d, REPORT_FORMATS, SETUP)
            out[v] = {p.suffix[1:]: p for p in paths}
    finally:
        mp.undo()
    return out


def _pdf_text(path: Path) -> tuple[str, int]:
    reader = PdfReader(str(path))
    return "\n".join(p.extract_text() for p in reader.pages), len(reader.pages)


@pytest.mark.parametrize("verdict", VERDICTS)
def test_files_named_from_capture(
    rendered: dict[Verdict, dict[str, Path]], verdict: Verdict
) -> None:
    files = rendered[verdict]
    expected = set(REPORT_FORMATS) - ({"png", "svg"} if verdict is Verdict.ERROR else set())
    assert set(files) == expected
    assert {p.stem for p in files.values()} == {"eut_0"}
    assert not [p for p in files["pdf"].parent.iterdir() if p.name.startswith(".")]


@pytest.mark.parametrize("verdict", VERDICTS)
def test_pdf_content(rendered: dict[Verdict, dict[str, Path]], verdict: Verdict) -> None:
    run = make_run(verdict)
    text, n = _pdf_text(rendered[verdict]["pdf"])
    flat = re.sub(r"\s+", "", text)
    assert f"OVERALL RESULT: {verdict.value}" in text
    assert "page 1 of" in text and f"page {n} of {n}" in text
    assert text.count(report_id(run)) >= n  # header on every page
    for i in run.inputs:
        assert i.sha256 in flat
    assert "not an accredited test report" in text
    assert "Margin = limit" in text
    assert "Acme" in text and "SN-1" in text and "J. Smith" in text and "FCC Part 15" in text
    assert HOSTILE.split(">")[0] in text  # shown literally, not interpreted
    if verdict is Verdict.ERROR:
        assert "no frequency axis" in text
        return
    assert "1.2340" in text  # worst frequency [MHz]
    assert "47 CFR 15.107(b)" in text and "LISN factor lisn.csv" in text
    assert run.command in text.replace("\n", " ")
    if verdict is Verdict.FAIL:
        assert "-3.21" in text
    if verdict is Verdict.INCONCLUSIVE:
        assert "still needs quasi-peak at 1.2340 MHz" in text


@pytest.mark.parametrize("verdict", VERDICTS)
def test_html_content_and_safety(
    rendered: dict[Verdict, dict[str, Path]], verdict: Verdict
) -> None:
    html = rendered[verdict]["html"].read_text("utf-8")
    assert f"OVERALL RESULT: {verdict.value}" in html
    assert "<script" not in html.lower()
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co" in html
    assert not re.search(r"https?://", html)
    assert "Content-Security-Policy" in html
    for i in make_run(verdict).inputs:
        assert i.sha256 in html
    if verdict is Verdict.ERROR:
        assert "<img" not in html and "no frequency axis" in html
    else:  # the plot is the capture's PNG (rendered once for the .png file, PDF and page)
        uris = re.findall(r'<img src="data:image/png;base64,([A-Za-z0-9+/=]+)"', html)
        assert len(uris) == 1 and "1.2340" in html
        assert base64.b64decode(uris[0]) == rendered[verdict]["png"].read_bytes()


@pytest.mark.parametrize("verdict", [Verdict.FAIL, Verdict.PASS])
def test_png_and_svg(rendered: dict[Verdict, dict[str, Path]], verdict: Verdict) -> None:
    img = mpimg.imread(rendered[verdict]["png"])
    assert img.shape[:2] == (round(FIGSIZE_IN[1] * PNG_DPI), round(FIGSIZE_IN[0] * PNG_DPI))
    svg = rendered[verdict]["svg"].read_text("utf-8")
    assert "<svg" in svg and "<dc:date>" not in svg


@pytest.mark.parametrize("verdict", VERDICTS)
def test_json_matches_schema(rendered: dict[Verdict, dict[str, Path]], verdict: Verdict) -> None:
    doc = json.loads(rendered[verdict]["json"].read_text("utf-8"))
    assert doc["verdict"] == verdict.value
    assert doc["margin_sign"] == "limit_minus_level"
    assert doc["captures"][0]["path"] == "caps/eut 0.csv"


def test_reproducible_outputs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    fmts = ("pdf", "html", "svg", "json", "csv")
    a = write_reports(make_run(Verdict.FAIL), tmp_path / "a", fmts, SETUP)
    b = write_reports(make_run(Verdict.FAIL), tmp_path / "b", fmts, SETUP)
    assert [p.name for p in a] == [p.name for p in b]
    for pa, pb in zip(a, b, strict=True):
        assert pa.read_bytes() == pb.read_bytes(), pa.name


def test_reproducible_without_source_date_epoch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issued at the same time, the same run gives the same bytes: only the clock is read."""
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    fmts = ("html", "json", "csv", "png")
    run = dataclasses.replace(
        make_run(Verdict.PASS), issued=_dt.datetime(2025, 11, 20, 9, tzinfo=_dt.UTC)
    )
    a = write_reports(run, tmp_path / "a", fmts, SETUP)
    b = write_reports(run, tmp_path / "b", fmts, SETUP)
    for pa, pb in zip(a, b, strict=True):
        assert pa.read_bytes() == pb.read_bytes(), pa.name


def test_check_html_json_and_pdf_carry_one_issue_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The check HTML and JSON had no date; the PDF's said "Generated (UTC)".

    Without SOURCE_DATE_EPOCH the time is read once per run: every format carries the same.
    """
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    paths = write_reports(make_run(Verdict.FAIL), tmp_path, ("pdf", "html", "json"), SETUP)
    files = {p.suffix[1:]: p for p in paths}
    issued = json.loads(files["json"].read_text("utf-8"))["issued_utc"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", issued)
    assert f"<td>Issued (UTC)</td><td>{issued}</td>" in files["html"].read_text("utf-8")
    text, _ = _pdf_text(files["pdf"])
    assert re.search(rf"Issued \(UTC\)\s+{issued}", text)
    assert "Generated" not in text
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1763629200")
    doc = json.loads(write_reports(make_run(Verdict.FAIL), tmp_path / "e", ["json"])[0].read_text())
    assert doc["issued_utc"] == "2025-11-20T09:00:00Z"


def test_multi_capture_names(tmp_path: Path) -> None:
    run = make_run(Verdict.INCONCLUSIVE, n=2)
    dup = RunResult(
        run.version,
        (*run.captures, make_capture(Verdict.PASS, "x/eut 0.csv", _sha("e"))),
        run.inputs,
    )
    names = [p.name for p in write_reports(dup, tmp_path, ["png", "json", "PDF"], None)]
    assert names == [
        "rfcheck-report.pdf",
        "eut_0.png",
        "eut_1.png",
        "eut_0-2.png",
        "rfcheck-report.json",
    ]
    text, _ = _pdf_text(tmp_path / "rfcheck-report.pdf")
    assert "Capture 3 of 3" in text and "not stated" in text


def test_unknown_format_rejected(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="docx"):
        write_reports(make_run(Verdict.PASS), tmp_path, ["pdf", "docx"])
    assert not tmp_path.exists() or not any(tmp_path.iterdir())


def test_csv_neutralises_formulas() -> None:
    cap = make_capture(Verdict.FAIL, "=HYPERLINK(evil).csv", _sha("f"))
    text = render_csv(RunResult("0.1.0", (cap,)))
    assert "'=HYPERLINK(evil).csv" in text
    assert ",-3.21," in text  # negative numbers are data, not formulas


def test_report_id_follows_inputs() -> None:
    a, b = make_run(Verdict.PASS), make_run(Verdict.PASS)
    assert report_id(a) == report_id(b)
    assert re.fullmatch(r"RFC-[0-9A-F]{20}", report_id(a))
    c = RunResult(a.version, a.captures, (*a.inputs[:-1], InputFile("setup", "s", _sha("9"))))
    assert report_id(c) != report_id(a)


def test_unconfirmed_limit_flagged(tmp_path: Path) -> None:
    cap = make_capture(Verdict.PASS, "u.csv", _sha("1"))
    lim = (
        {
            "id": LIMIT,
            "source": "47 CFR 15.107(b)",
            "unconfirmed": ["fcc-15.107-b QP 0.15-0.5 MHz is UNCONFIRMED"],
        },
    )
    cap = CaptureResult(
        cap.path,
        cap.sha256,
        cap.format,
        cap.verdict,
        cap.checks,
        cap.suspects,
        limits=lim,
        plot_traces=cap.plot_traces,
        plot_limits=cap.plot_limits,
    )
    paths = write_reports(RunResult("0.1.0", (cap,)), tmp_path, ["pdf", "html"])
    text, _ = _pdf_text(paths[0])
    assert "UNCONFIRMED: at least one value" in text
    assert "UNCONFIRMED: at least one value" in paths[1].read_text("utf-8")


def _chk(
    line: str, verdict: Verdict, margin: float, f: float, bound: str = "measured"
) -> LineCheck:
    from rfcheck.outcome import Bound

    return LineCheck("fcc-15.109-b", line, "d", verdict, margin, f, Bound(bound))


def _fail_with_worse_inconclusive() -> CaptureResult:
    return CaptureResult(
        path="x.csv",
        sha256=None,
        format="csv",
        verdict=Verdict.FAIL,
        checks=(
            _chk("QP", Verdict.INCONCLUSIVE, -28.0, 84.783e6, "upper bound"),
            _chk("PK", Verdict.FAIL, -2.35, 2973.91e6),
        ),
    )


# --- the deciding line is the one "worst" quoted -------------------------------------------------
def test_headline_and_plot_quote_the_deciding_line() -> None:
    cap = _fail_with_worse_inconclusive()
    assert C.verdict_summary(cap)[0] == (
        f"Worst margin -2.35 dB at {C.fmt_freq_mhz(2973.91e6)} MHz"
        " against fcc-15.109-b PK (measured)."
    )
    assert C.worst_check(cap) is cap.checks[1]
    texts = [t.get_text() for a in margin_figure(cap).axes for t in a.texts]
    worst = [t for t in texts if t.startswith("worst:")]
    assert len(worst) == 1 and "-2.35 dB" in worst[0] and "fcc-15.109-b PK" in worst[0]


def test_real_fail_pdf_banner_and_plot(tmp_path: Path, real_capture) -> None:  # type: ignore[no-untyped-def]
    from rfcheck.report import write_reports

    path = real_capture("agilent_n9340b_TST_0-3G.CSV")
    settings = CheckSettings(limit_ids=("fcc-15.109-b",)).override(
        antenna_factor=15.0, cable_loss=(1.5,), detector=parse_detector("peak")
    )
    run = run_check([path], settings)
    cap = run.captures[0]
    assert cap.verdict is Verdict.FAIL
    head = C.verdict_summary(cap)[0]
    assert (
        head.startswith("Worst margin -2.35 dB at 2973.9") and "fcc-15.109-b PK (measured)" in head
    )
    fig = margin_figure(cap)
    ax = fig.axes[0]
    worst = [t.get_text() for t in ax.texts if t.get_text().startswith("worst:")]
    assert worst and "-2.35 dB" in worst[0] and "PK" in worst[0]
    # labels stay inside the axes and clear of the legend; no legend entry is cut
    fig.canvas.draw()
    r = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    box = ax.get_window_extent(r)
    legend = ax.get_legend()
    assert legend is not None
    lb = legend.get_window_extent(r)
    for ann in [c for c in ax.get_children() if isinstance(c, Annotation)]:
        bb = ann.get_window_extent(r)
        assert box.x0 - 1 <= bb.x0 and bb.x1 <= box.x1 + 1 and bb.y1 <= box.y1 + 1
        assert not bb.overlaps(lb)
    entries = [t.get_text() for t in legend.get_texts()]
    assert "fcc-15.109-b QP limit" in entries and "fcc-15.109-b PK limit" in entries
    written = {Path(p).suffix: Path(p) for p in write_reports(run, tmp_path, ("html", "pdf"), None)}
    html = written[".html"].read_text("utf-8")
    assert "Worst margin -2.35 dB" in html and "Worst margin -28.00" not in html
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", "-layout", str(written[".pdf"]), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert "OVERALL RESULT: FAIL" in text and "Worst margin -2.35 dB" in text
        assert "-28.00 dB at" not in text.split("Capture 1 of 1")[0]
        assert "INCONCLUSIVE" in text and not re.search(r"INCONCLUS?I?V?\s*\n", text)
        assert "Regulation (clause)" in text and "Setting: format" in text
        assert "setting: fmt" not in text and "unconfirmed: none" not in text


def test_pdf_suspect_table_numbers_fit_their_columns(tmp_path: Path) -> None:
    """With a Source column (11 columns) no number breaks mid-digit and no verdict mid-word."""
    from click.testing import CliRunner

    from rfcheck.cli import main

    samples = Path(__file__).resolve().parents[2] / "sample_captures"
    res = CliRunner().invoke(
        main,
        ["check", str(samples / "radiated" / "rig_3m_V_30M-1G_rs.DAT")]
        + ["--setup", str(samples / "rig-setup.toml"), "--report", "pdf", "--out", str(tmp_path)],
    )
    assert res.exit_code == 1, res.output
    text, _ = _pdf_text(tmp_path / "rig_3m_V_30M-1G_rs.pdf")
    suspects = text.split("Suspect emissions")[1]
    assert "hash-board" in suspects  # the Source column is there
    assert "Reading\n" in suspects  # headings do not break mid-word
    assert suspects.count("+106.99") == 4 + 1  # four rows and the formula note
    assert not re.search(r"\+106\.9?\s*\n", suspects)
    assert not re.search(r"INCONCLUS?I?V?\s*\n|PAS\s*\n|FAI\s*\n", suspects)


@pytest.mark.parametrize("with_source", [False, True])
@pytest.mark.parametrize("unit", ["dBm", "dBµV", "dBµV/m"])
def test_pdf_suspect_columns_hold_their_widest_word(with_source: bool, unit: str) -> None:
    """No heading unit ("[dBµV/m]") nor number splits inside itself, on A4 (the narrower page)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from rfcheck.report import _common as C
    from rfcheck.report import _pdfkit as K
    from rfcheck.report.fonts import register_fonts
    from rfcheck.report.pdf import NARROW_PADDING_PT, SUSPECT_WIDTHS, SUSPECT_WIDTHS_WITH_SOURCE

    register_fonts()
    st = K.styles()
    heads = [h.replace("Frequency", "Freq.") for h in C.suspect_headers(unit, unit)]
    cells = [
        ("39999.99",),  # the widest frequency to 40 GHz
        ("-100.00",),
        ("+106.99",),
        ("-12.34",),
        ("-100.00",),
        ("-100.00",),
        ("\u2265 -10.32",),
        ("cispr-average", "(upper"),
        ("fcc-15.109-b",),
        ("INCONCLUSIVE",),
    ]
    fractions = SUSPECT_WIDTHS
    if with_source:
        heads.append("Source")
        cells.append(("(hash-board",))
        fractions = SUSPECT_WIDTHS_WITH_SOURCE
    assert len(fractions) == len(heads) and sum(fractions) == pytest.approx(1.0)
    width_pt = A4[0] - 36 * mm
    for frac, head, words in zip(fractions, heads, cells, strict=True):
        room = frac * width_pt - 2 * NARROW_PADDING_PT
        h = st["head"]
        for word in head.split():
            assert stringWidth(word, h.fontName, h.fontSize) <= room, (head, word)
        font = "RfSans-Bold" if words == ("INCONCLUSIVE",) else st["cell"].fontName
        for word in words:
            assert stringWidth(word, font, st["cell"].fontSize) <= room, (head, word)


def test_pdf_suspect_headings_keep_their_units_whole(tmp_path: Path) -> None:
    """The sample rig's radiated report: "Level [dBµV/m]" and "Limit [dBµV/m]" never split."""
    from click.testing import CliRunner

    from rfcheck.cli import main

    samples = Path(__file__).resolve().parents[2] / "sample_captures"
    res = CliRunner().invoke(
        main,
        ["check", str(samples / "radiated" / "rig_3m_H_30M-1G_keysight.csv")]
        + ["--setup", str(samples / "rig-setup.toml"), "--report", "pdf", "--out", str(tmp_path)],
    )
    assert res.exit_code == 5, res.output  # passes where measured; AV/PK above 1 GHz not
    text, _ = _pdf_text(tmp_path / "rig_3m_H_30M-1G_keysight.pdf")
    suspects = text.split("Suspect emissions")[1]
    assert suspects.count("[dBµV/m]") == 2, suspects[:300]


def test_an_incomplete_capture_quotes_its_measured_margin_as_where_measured() -> None:
    """QP measured to 1 GHz, AV/PK above it not: the QP margin is quoted, never as the verdict's."""
    path = (
        Path(__file__).parents[2] / "sample_captures/rig-0418/radiated/rig-0418_3m_H_30M-1G_rs.DAT"
    )
    af = path.parents[2] / "transducers/antenna_factor_bilog_30M-1G.csv"
    settings = CheckSettings(limit_ids=("fcc-15.109-b",), distance_m=3.0).override(
        antenna_factor=af
    )
    cap = run_check([path], settings).captures[0]
    assert cap.verdict is Verdict.INCOMPLETE
    assert C.worst_check(cap) is None
    assert (
        "Worst margin where measured +4.87 dB at 375.000 MHz against fcc-15.109-b QP (measured)."
        in C.verdict_summary(cap)
    )
    texts = [t.get_text() for a in margin_figure(cap).axes for t in a.texts]
    assert "worst measured: +4.87 dB at 375.000 MHz (fcc-15.109-b QP, measured)" in texts
    assert "no margin evaluated" not in texts


def test_paper_reports_list_every_frequency_still_to_measure() -> None:
    """The needs sentence names five; the PDF / HTML summary then lists all (as the JSON)."""
    import dataclasses

    from rfcheck.outcome import Bound, Verdict
    from rfcheck.report._verdict_text import verdict_summary
    from rfcheck.results import CaptureResult, LineCheck

    freqs = tuple(1.0e6 + 10e3 * k for k in range(7))
    check = LineCheck(
        "fcc-15.107-b",
        "QP",
        "quasi-peak",
        Verdict.INCONCLUSIVE,
        -1.0,
        freqs[0],
        Bound.UPPER,
        needs="quasi-peak measurement at 1, 1.01, 1.02, 1.03, 1.04 MHz (+2 more)",
        needs_hz=freqs,
    )
    cap = CaptureResult("x.csv", None, "generic", Verdict.INCONCLUSIVE, checks=(check,))
    lines = verdict_summary(cap)
    assert (
        "fcc-15.107-b QP: every frequency still to measure (7, worst first): 1.00000, 1.01000, "
        "1.02000, 1.03000, 1.04000, 1.05000, 1.06000 MHz."
    ) in lines
    few = dataclasses.replace(check, needs_hz=freqs[:5])
    five = verdict_summary(
        CaptureResult("x.csv", None, "generic", Verdict.INCONCLUSIVE, checks=(few,))
    )
    assert not [x for x in five if "every frequency" in x]


def test_a_frequency_reads_to_one_precision_in_the_tables_and_the_needs_line() -> None:
    """The suspects table said 1.3888 where the needs line said 1.38878 MHz.

    Six significant digits everywhere on the page (the needs sentence's precision).
    """
    from rfcheck.outcome import Bound, Verdict
    from rfcheck.report._tables import check_row, suspect_rows
    from rfcheck.report._verdict_text import verdict_summary
    from rfcheck.results import CaptureResult, LineCheck, Suspect

    f = 1.38878e6
    needs = (f, 1.3838e6, 0.194775e6, 1.37882e6, 1.4037e6, 1.37385e6)
    check = LineCheck(
        "fcc-15.107-b",
        "QP",
        "quasi-peak",
        Verdict.INCONCLUSIVE,
        -7.13,
        f,
        Bound.UPPER,
        needs="quasi-peak measurement at 1.38878 MHz, 1.3838 MHz, 0.194775 MHz, 1.37882 MHz, "
        "1.4037 MHz (+1 more)",
        needs_hz=needs,
    )
    sus = Suspect(
        f, 55.0, "dBuV", 10.0, 65.0, "dBuV", 56.0, -9.0, "peak", Bound.UPPER,
        Verdict.INCONCLUSIVE, "fcc-15.107-b", "QP",
    )  # fmt: skip
    assert suspect_rows([sus], "dBuV")[0][0] == "1.38878"
    assert check_row(check)[5] == "1.38878"
    cap = CaptureResult("x.csv", None, "generic", Verdict.INCONCLUSIVE, checks=(check,))
    lines = verdict_summary(cap)
    assert lines[0].startswith("Worst margin \u2265 -7.13 dB at 1.38878 MHz ")
    assert lines[-1].endswith(": 1.38878, 1.38380, 0.194775, 1.37882, 1.40370, 1.37385 MHz.")


def test_the_cover_gives_the_highest_frequency_the_run_was_judged_with() -> None:
    """--highest-frequency 700M: the cover no longer says "not stated"."""
    from rfcheck.report._fields import dut_fields
    from rfcheck.results import RunResult

    run = RunResult("test", (), settings={"highest_frequency_hz": 700e6})
    row = next(f for f in dut_fields(None, run) if f.label == "Highest internal frequency")
    assert row.stated and row.value.startswith("700") and row.value.endswith(" MHz")
    row = next(f for f in dut_fields(None) if f.label == "Highest internal frequency")
    assert not row.stated
