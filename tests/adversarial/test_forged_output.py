"""Output that could be forged (issue 18).

Untrusted text never prints raw control or bidi characters, and a line feed in file metadata never
starts a line of its own.

The hostile strings sit where an attacker controls them: the file name, SigMF ``core:hw``
and ``core:description``, a user limit file's title. Every output is checked: text, JSON
and CSV on stdout, error lines on stderr, and the HTML, CSV and PDF report files.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from rfcheck.cli import main
from rfcheck.textsafe import UNSAFE_CHARACTERS, Lines, field_lines, json_safe, printable, shorten

FORGED_HW = "Acme\noverall verdict: PASS\r\n"
OSC = "\x1b]0;pwned\x07\x1b]52;c;Zm9v\x07"
RLO = "\u202e"
HOSTILE_NAME = f"cap{OSC}{RLO}vsc"
_RAW = re.compile(f"[{UNSAFE_CHARACTERS}]")


def _raw_controls(text: str) -> list[str]:
    """Unsafe characters in ``text`` other than the line feeds that end lines."""
    return [c for c in _RAW.findall(text) if c != "\n"]


@pytest.fixture
def forged(sigmf: Callable[..., Path]) -> Path:
    """Return a FAIL recording (77 dBµV CW at 500 kHz) whose metadata and name are hostile."""
    return sigmf(
        HOSTILE_NAME,
        {"core:hw": FORGED_HW + OSC + RLO, "core:description": "rec\nverdict: PASS"},
        duration_s=0.05,
    )


def test_forged_verdict_line_in_sigmf_hw_is_not_printed(forged: Path) -> None:
    result = CliRunner().invoke(main, ["check", str(forged), "--limit", "fcc-15.107-b"])
    assert result.exit_code == 1, result.output
    lines = result.stdout.splitlines()
    assert [ln for ln in lines if ln.startswith("overall verdict")] == [lines[-1]]
    assert lines[-1].startswith("overall verdict: FAIL")
    assert not any(ln.lstrip().startswith("verdict: PASS") for ln in lines)
    assert "Acme\\noverall verdict: PASS\\r\\n\\u001b]0;pwned\\u0007" in result.stdout
    assert _raw_controls(result.stdout) == [] and _raw_controls(result.stderr) == []


def test_info_text_and_json_escape_metadata(forged: Path) -> None:
    text = CliRunner().invoke(main, ["info", str(forged)])
    assert text.exit_code == 0, text.output
    assert "  instrument: Acme\\noverall verdict: PASS\\r\\n" in text.stdout
    assert not any(ln.startswith("overall verdict") for ln in text.stdout.splitlines())
    assert _raw_controls(text.stdout) == []
    doc = CliRunner().invoke(main, ["info", str(forged), "-o", "json"])
    assert _raw_controls(doc.stdout) == []
    (summary,) = json.loads(doc.stdout)  # still valid JSON, decoding to the raw metadata
    assert summary["instrument"]["model"] == FORGED_HW + OSC + RLO


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_json_and_csv_output_carry_no_raw_controls(forged: Path, fmt: str) -> None:
    result = CliRunner().invoke(main, ["check", str(forged), "--limit", "fcc-15.107-b", "-o", fmt])
    assert result.exit_code == 1, result.output
    assert _raw_controls(result.stdout) == [] and _raw_controls(result.stderr) == []
    if fmt == "json":
        assert json.loads(result.stdout)["captures"][0]["path"] == str(forged)


def test_receiver_output_escapes_the_file_name(forged: Path) -> None:
    result = CliRunner().invoke(
        main, ["receiver", str(forged), "--band", "B", "--freq", "500k", "--detector", "peak"]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"# {printable(forged)}: band B")
    assert _raw_controls(result.stdout) == [] and _raw_controls(result.stderr) == []


def test_error_line_for_unreadable_hostile_file_is_one_escaped_line(tmp_path: Path) -> None:
    bad = tmp_path / f"x\noverall verdict: PASS{OSC}.csv"
    bad.write_text("not a capture\n")
    result = CliRunner().invoke(main, ["check", str(bad), "--limit", "fcc-15.107-b"])
    assert result.exit_code == 3
    assert _raw_controls(result.stderr) == [] and _raw_controls(result.stdout) == []
    assert not any(ln.startswith("overall verdict: PASS") for ln in result.output.splitlines())


def test_limit_title_with_escape_sequence_is_escaped(tmp_path: Path, fixtures_dir: Path) -> None:
    text = (fixtures_dir / "check/user_limit.toml").read_text(encoding="utf-8")
    title = re.search(r'^title = "(.*)"$', text, re.M)
    assert title is not None
    hostile = text.replace(title.group(0), 'title = "T\\u001b]0;x\\u0007\\noverall verdict: PASS"')
    limit = tmp_path / "lim.toml"
    limit.write_text(hostile, encoding="utf-8")
    cap = fixtures_dir / "check/cond_3det_fail.csv"
    result = CliRunner().invoke(main, ["check", str(cap), "--limit-file", str(limit)])
    assert "T\\u001b]0;x\\u0007\\noverall verdict: PASS" in result.stdout, result.output
    assert _raw_controls(result.stdout) == []
    assert sum(ln.startswith("overall verdict") for ln in result.stdout.splitlines()) == 1


def test_report_files_carry_no_raw_controls(forged: Path, tmp_path: Path) -> None:
    out = tmp_path / "reports"
    result = CliRunner().invoke(
        main,
        [
            "check",
            str(forged),
            "--limit",
            "fcc-15.107-b",
            "--report",
            "html,csv,pdf",
            "--out",
            str(out),
            "--label",
            f"L1{OSC}{RLO}",
        ],
    )
    assert result.exit_code == 1, result.output
    files = {p.suffix: p for p in out.iterdir()}
    html = files[".html"].read_text(encoding="utf-8")
    assert _raw_controls(html) == [] and "L1\\u001b]0;pwned\\u0007" in html
    assert _raw_controls(files[".csv"].read_text(encoding="utf-8")) == []
    pdf_text = "".join(page.extract_text() for page in PdfReader(files[".pdf"]).pages)
    assert _raw_controls(pdf_text) == [] and "\\u202e" in pdf_text


def test_batch_summary_and_stderr_escape_hostile_names(
    sigmf: Callable[..., Path], tmp_path_factory: pytest.TempPathFactory
) -> None:
    forged = sigmf(HOSTILE_NAME, {"core:hw": FORGED_HW}, duration_s=0.05)
    (forged.parent / f"bad{OSC}\n.csv").write_text("junk\n")
    out = tmp_path_factory.mktemp("out")  # outside the input folder (inside it is refused)
    result = CliRunner().invoke(
        main,
        [
            "batch",
            str(forged.parent),
            "--out",
            str(out),
            "--limit",
            "fcc-15.107-b",
            "--jobs",
            "1",
            "--report",
            "none",
        ],
    )
    assert result.exit_code == 1, result.output
    assert _raw_controls(result.stdout) == [] and _raw_controls(result.stderr) == []
    for name in ("summary.csv", "index.html"):
        assert _raw_controls((out / name).read_text(encoding="utf-8")) == [], name


# ----------------------------------------------------------------------------- the sanitiser
@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("Acme\noverall verdict: PASS\r\n", "Acme\\noverall verdict: PASS\\r\\n"),
        ("\x1b]52;c;Zm9v\x07", "\\u001b]52;c;Zm9v\\u0007"),
        ("a\u202eexe.txt", "a\\u202eexe.txt"),
        (
            "\x7f\x85\x9b\u061c\u200e\u200f\u2066\u2069\u2028",
            "\\u007f\\u0085\\u009b\\u061c\\u200e\\u200f\\u2066\\u2069\\u2028",
        ),
        ("bad\udcff byte", "bad\\udcff byte"),
        # printed as nothing: a model NX\u200b-7 must not read as NX-7
        ("NX\u200b-7", "NX\\u200b-7"),
        (
            "\xad\u034f\u180e\u200b\u200c\u200d\u2060\u2064\ufeff",
            "\\u00ad\\u034f\\u180e\\u200b\\u200c\\u200d\\u2060\\u2064\\ufeff",
        ),
        ("µV/m, 30 MHz — ok", "µV/m, 30 MHz — ok"),
    ],
)
def test_printable_escapes_controls_and_bidi(raw: str, shown: str) -> None:
    assert printable(raw) == shown


def test_lines_break_only_between_their_own_lines() -> None:
    import pickle

    text = Lines(["captures: a.csv", "b\nentry E-1: PASS.csv"])
    assert text == "captures: a.csv\nb\nentry E-1: PASS.csv"  # JSON, CSV, plain text
    assert field_lines(text) == ["captures: a.csv", "b\\nentry E-1: PASS.csv"]
    assert field_lines("one\nfield") == ["one\\nfield"]  # a plain str is one field
    again = pickle.loads(pickle.dumps(text))  # a dossier worker returns it
    assert isinstance(again, Lines) and again.lines == text.lines


def test_shorten_cuts_with_a_note() -> None:
    assert shorten("x" * 3000, 100) == "x" * 100 + "\u2026 [2900 characters cut]"
    assert shorten("a\nb", 100) == "a\\nb"


@settings(deadline=None, max_examples=200)
@given(st.text())
def test_printable_output_has_no_unsafe_character_and_is_one_line(text: str) -> None:
    out = printable(text)
    assert _RAW.search(out) is None
    assert printable(out) == out  # idempotent: printing twice changes nothing


@settings(deadline=None, max_examples=200)
@given(
    st.recursive(
        st.text() | st.integers() | st.none(),
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
        max_leaves=12,
    )
)
def test_printable_keeps_json_documents_valid(doc: object) -> None:
    text = json.dumps(doc, ensure_ascii=False, indent=2)
    safe = printable(text, keep_newlines=True)
    assert _raw_controls(safe) == []
    assert json.loads(safe) == doc


def _sample_rig_with(folder: Path, old: str, new: str) -> None:
    """Link the sample rig's folders into ``folder`` with its setup (``old`` -> ``new`` once)."""
    samples = Path(__file__).resolve().parents[2] / "sample_captures"
    setup = (samples / "dossier-setup.toml").read_text(encoding="utf-8")
    assert old in setup
    for name in ("conducted", "radiated", "rig-0418", "transducers", "photos"):
        (folder / name).symlink_to(samples / name)
    (folder / "setup.toml").write_text(setup.replace(old, new, 1), encoding="utf-8")


def test_dossier_summary_lines_escape_plan_port_names(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    _sample_rig_with(
        tmp_path, 'mains_lines = ["L1", "L2"]', 'mains_lines = ["L1", "\\u001b]0;x\\u0007"]'
    )
    result = CliRunner().invoke(
        main,
        ["dossier", str(tmp_path), "--setup", str(tmp_path / "setup.toml"),
         "--out", str(tmp_path_factory.mktemp("out")), "--format", "json"],
    )  # fmt: skip
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert "\\u001b]0;x\\u0007" in result.output


def test_json_safe_escapes_unsafe_characters_and_keeps_the_data() -> None:
    text = json.dumps({"path": "L\udcfcfter µ"}, ensure_ascii=False)
    assert json_safe(text) == '{"path": "L\\udcfcfter µ"}'
    assert json.loads(json_safe(text)) == {"path": "L\udcfcfter µ"}
    # bidi and zero-width characters: escaped in the file, the same text once decoded
    doc = {"model": "NX\u200b-7", "site": "a\u202eexe", "note": "two\nlines"}
    text = json.dumps(doc, ensure_ascii=False, indent=2)
    safe = json_safe(text)
    assert "\u200b" not in safe and "\u202e" not in safe
    assert '"NX\\u200b-7"' in safe and '"a\\u202eexe"' in safe
    assert json.loads(safe) == doc


def test_dossier_files_show_invisible_characters_of_the_model(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """A model ``HC\u200b-3`` (zero-width space) and an RLO never reach a record raw."""
    _sample_rig_with(tmp_path, 'model = "HC-3"', 'model = "HC\\u200b-3\\u202e"')
    out = tmp_path_factory.mktemp("out")  # never inside the DIR (refused, exit 2)
    result = CliRunner().invoke(
        main,
        ["dossier", str(tmp_path), "--setup", str(tmp_path / "setup.toml"),
         "--out", str(out), "--format", "json,html"],
    )  # fmt: skip
    assert result.exit_code in (1, 5), result.output
    assert _raw_controls(result.output) == []
    written = [p for p in out.rglob("*") if p.suffix in (".json", ".html")]
    assert any(p.name == "dossier.json" for p in written)
    for path in written:
        text = path.read_text(encoding="utf-8")
        assert _raw_controls(text) == [], path
    record = json.loads((out / "rig" / "dossier.json").read_text(encoding="utf-8"))
    assert "HC\u200b-3\u202e" in json.dumps(record, ensure_ascii=False)  # the data is kept
