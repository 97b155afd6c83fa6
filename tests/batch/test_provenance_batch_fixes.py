"""Test provenance and batch robustness.

SigMF companion-file provenance, batch pool fallback and internal errors, earlier output
never read as input, receiver band checks, constant antenna factor.
"""

from __future__ import annotations

import hashlib
import json
import tarfile
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
import pytest
from click.testing import CliRunner

import rfcheck.batch.pool as batch_pool
from rfcheck.analysis import run_check
from rfcheck.batch import OUTPUT_MARKER, run_batch
from rfcheck.cli import main
from rfcheck.cli._receiver import parse_frequency
from rfcheck.corrections import build_chain
from rfcheck.io import companion_files, companion_hashes, load_capture
from rfcheck.io.sigmf_reader import DEFAULT_SCALE_NOTE
from rfcheck.settings import CheckSettings, Setup, load_setup

FS = 1.2e6  # [Hz]


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _sigmf(
    folder: Path, name: str = "rec", *, amp: float = 0.01, glob: dict[str, Any] | None = None
) -> Path:
    """Write a short real CW recording at 500 kHz (volts); return the ``.sigmf-meta`` path."""
    folder.mkdir(parents=True, exist_ok=True)
    t = np.arange(int(FS * 0.05)) / FS
    x = (amp * np.sin(2 * np.pi * 500e3 * t)).astype("<f4")
    (folder / f"{name}.sigmf-data").write_bytes(x.tobytes())
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
    path = folder / f"{name}.sigmf-meta"
    path.write_text(json.dumps(meta), encoding="utf-8")
    return path


def _flip_data(meta: Path) -> Path:
    """Change the data file's bytes without changing its size."""
    data = meta.with_name(meta.name.replace(".sigmf-meta", ".sigmf-data"))
    raw = bytearray(data.read_bytes())
    raw[100] ^= 0x01
    data.write_bytes(bytes(raw))
    return data


def _cli(*args: str | Path, env: dict[str, str] | None = None) -> Any:
    return CliRunner().invoke(main, [str(a) for a in args], env=env)


# --- 1: SigMF data file in the provenance ------------------------------------------------


def test_sigmf_provenance_lists_the_data_file(tmp_path: Path) -> None:
    meta = _sigmf(tmp_path)
    data = tmp_path / "rec.sigmf-data"
    prov = load_capture(meta).provenance
    assert prov is not None
    assert prov.sha256 == _sha(meta)  # the named file only
    assert prov.companions == ((str(data), _sha(data)),)
    before = prov.companions
    _flip_data(meta)
    prov2 = load_capture(meta).provenance
    assert prov2 is not None and prov2.sha256 == prov.sha256
    assert prov2.companions != before and prov2.companions[0][1] == _sha(data)
    by_data = load_capture(data).provenance  # the data file named: the metadata is the companion
    assert by_data is not None and by_data.sha256 == _sha(data)
    assert by_data.companions == ((str(meta), _sha(meta)),)


def test_single_file_formats_have_no_companions(tmp_path: Path, batch_tree: ModuleType) -> None:
    csv = batch_tree.passing(tmp_path / "a.csv")
    assert companion_files(csv) == [] and load_capture(csv).provenance.companions == ()  # type: ignore[union-attr]
    meta = _sigmf(tmp_path / "arch")
    archive = tmp_path / "rec.sigmf"
    with tarfile.open(archive, "w") as tar:
        for f in (meta, meta.with_suffix(".sigmf-data")):
            tar.add(f, arcname=f"rec/{f.name}")
    assert load_capture(archive).provenance.companions == ()  # type: ignore[union-attr]
    assert companion_files(tmp_path / "missing.sigmf-meta") == []


def test_check_inputs_and_json_list_the_data_file(tmp_path: Path) -> None:
    meta = _sigmf(tmp_path)
    data = tmp_path / "rec.sigmf-data"
    run = run_check([meta], CheckSettings(limit_ids=("fcc-15.107-b",)))
    roles = {(i.role, i.path): i.sha256 for i in run.inputs}
    assert roles[("capture", str(meta))] == _sha(meta)
    assert roles[("capture-data", str(data))] == _sha(data)
    assert companion_hashes(meta) == [(str(data), _sha(data))]
    result = _cli("check", meta, "--limit", "fcc-15.107-b", "-o", "json")
    doc = json.loads(result.stdout)
    assert {"role": "capture-data", "path": str(data), "sha256": _sha(data)} in [
        {k: i[k] for k in ("role", "path", "sha256")} for i in doc["inputs"]
    ]


def test_batch_resume_recomputes_when_the_data_file_changes(
    tmp_path: Path, batch_tree: ModuleType
) -> None:
    root = tmp_path / "d"
    meta = _sigmf(root)
    batch_tree.passing(root / "a.csv")
    setup = Setup(check=CheckSettings(limit_ids=("fcc-15.107-b",)))
    out = tmp_path / "out"
    first = run_batch([root], out, setup=setup, formats=(), jobs=1)
    assert (first.computed, first.reused) == (2, 0)
    again = run_batch([root], out, setup=setup, formats=(), jobs=1)
    assert (again.computed, again.reused) == (0, 2)
    data = _flip_data(meta)
    after = run_batch([root], out, setup=setup, formats=(), jobs=1)
    assert (after.computed, after.reused) == (1, 1)
    state = json.loads(next(out.glob("captures/rec*/.rfcheck-state.json")).read_text("utf-8"))
    assert state["input_sha256"] == _sha(meta)
    assert state["companions"] == [[str(data), _sha(data)]]


# --- 2: process pool failure, internal errors --------------------------------------------


class _RefusingPool:
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        pass

    def __enter__(self) -> _RefusingPool:
        return self

    def __exit__(self, *exc: Any) -> None:
        pass

    def submit(self, fn: Any, *args: Any) -> Future[Any]:
        raise ConnectionRefusedError(111, "Connection refused")

    def shutdown(self, wait: bool = True, cancel_futures: bool = False) -> None:
        pass


class _BrokenPool(_RefusingPool):
    def submit(self, fn: Any, *args: Any) -> Future[Any]:
        fut: Future[Any] = Future()
        fut.set_exception(BrokenProcessPool("a child process terminated abruptly"))
        return fut


@pytest.mark.parametrize("pool", [_RefusingPool, _BrokenPool])
def test_pool_failure_falls_back_in_process(
    tmp_path: Path, batch_tree: ModuleType, monkeypatch: pytest.MonkeyPatch, pool: type
) -> None:
    monkeypatch.setattr(batch_pool, "ProcessPoolExecutor", pool)
    root = tmp_path / "d"
    batch_tree.passing(root / "a.csv")
    batch_tree.passing(root / "b.csv")
    result = _cli(
        "batch", root, "--out", tmp_path / "out", "--limit", "fcc-15.107-b", "--jobs", "2"
    )
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    notes = [ln for ln in result.stderr.splitlines() if "process pool unavailable" in ln]
    assert len(notes) == 1 and notes[0].startswith("rfcheck: note: ")
    assert "running the 2 remaining input(s) in this process" in notes[0]


def test_unexpected_exception_is_one_line_exit_3(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import rfcheck.batch  # the command imports run_batch from here when it runs

    def boom(*args: Any, **kwargs: Any) -> Any:
        raise KeyError("surprise")

    monkeypatch.setattr(rfcheck.batch, "run_batch", boom)
    args = ("batch", tmp_path, "--out", tmp_path / "o", "--limit", "fcc-15.107-b")
    result = _cli(*args, env={"RFCHECK_DEBUG": ""})
    assert result.exit_code == 3
    assert result.stderr == (
        "rfcheck: internal error: KeyError: 'surprise' (set RFCHECK_DEBUG=1 for the traceback)\n"
    )
    debug = _cli(*args, env={"RFCHECK_DEBUG": "1"})
    assert isinstance(debug.exception, KeyError)  # the traceback is shown
    assert _cli("batch", tmp_path, "--bogus").exit_code == 2  # usage errors unchanged


# --- 3: earlier output is never an input; hidden entries are counted ----------------------


def test_batch_skips_earlier_output_and_notes_hidden(
    tmp_path: Path, batch_tree: ModuleType
) -> None:
    d1 = tmp_path / "d1"
    batch_tree.passing(d1 / "a.csv")
    batch_tree.failing(d1 / "sub" / "b.csv")
    (d1 / ".notes.csv").write_text("x", encoding="utf-8")
    (d1 / ".git").mkdir()
    (d1 / ".git" / "c.csv").write_text("x", encoding="utf-8")
    limit = ("--limit", "fcc-15.107-b", "--jobs", "1", "--report", "json,csv,html")
    first = _cli("batch", d1, "--out", d1 / "inside", *limit)  # refused: would mark d1
    assert first.exit_code == 2 and "is inside the input folder" in first.stderr, first.output
    earlier = _cli(
        "check", d1 / "a.csv", "--limit", "fcc-15.107-b", "--report", "json", "--out", d1 / "inside"
    )
    assert earlier.exit_code == 0 and (d1 / "inside" / OUTPUT_MARKER).is_file()
    # a check report folder inside the tree is marked too
    checked = _cli(
        "check", d1 / "a.csv", "--limit", "fcc-15.107-b", "--report", "json", "--out", d1 / "rep"
    )
    assert checked.exit_code == 0, checked.output
    assert (d1 / "rep" / OUTPUT_MARKER).is_file()
    second = _cli("batch", d1, "--out", tmp_path / "o4", *limit)
    assert second.exit_code == 1, second.output
    doc = json.loads((tmp_path / "o4" / "summary.json").read_text("utf-8"))
    paths = sorted(Path(r["path"]).relative_to(d1).as_posix() for r in doc["rows"])
    assert paths == ["a.csv", "sub/b.csv"]
    assert "ERROR" not in [r["verdict"] for r in doc["rows"]]
    hidden = [ln for ln in second.stderr.splitlines() if "hidden" in ln]
    assert hidden == ["rfcheck: note: skipped 2 hidden file(s)/folder(s) (names starting with '.')"]
    assert "earlier rfcheck output" in second.stderr and "d1/inside" in second.stderr


# --- 4: receiver frequencies within the band, no float artefacts --------------------------


@pytest.mark.parametrize(
    "args,option,text",
    [
        (
            ["--band", "C", "--freq", "500k"],
            "'--freq'",
            "500 kHz is outside band C (30 MHz .. 300 MHz)",
        ),
        (
            ["--band", "B", "--freq", "900M"],
            "'--freq'",
            "900 MHz is outside band B (150 kHz .. 30 MHz)",
        ),
        (
            ["--band", "B", "--start", "100k", "--stop", "500k"],
            "'--start'",
            "100 kHz is outside band B",
        ),
    ],
)
def test_receiver_frequency_outside_band_is_usage_error(
    tmp_path: Path, args: list[str], option: str, text: str
) -> None:
    result = _cli("receiver", _sigmf(tmp_path), *args)
    assert result.exit_code == 2, result.output
    assert option in result.stderr and text in result.stderr


def test_receiver_frequencies_are_rounded(tmp_path: Path) -> None:
    assert parse_frequency("1.3927341M") == 1392734.1
    assert parse_frequency("0.15M") == 150000.0
    meta = _sigmf(tmp_path)
    result = _cli(
        "receiver", meta, "--band", "B", "--freq", "500.0001k", "--detector", "pk", "-o", "json"
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["frequencies_hz"] == [500000.1]
    assert doc["companions"] == [
        {"path": str(tmp_path / "rec.sigmf-data"), "sha256": _sha(tmp_path / "rec.sigmf-data")}
    ]


# --- 5: SigMF default scale is stated -----------------------------------------------------


def test_receiver_notes_the_default_volts_scale(tmp_path: Path) -> None:
    meta = _sigmf(tmp_path)
    args = ("receiver", meta, "--band", "B", "--freq", "500k", "--detector", "pk", "-o", "json")
    doc = json.loads(_cli(*args).stdout)
    assert DEFAULT_SCALE_NOTE in doc["warnings"]
    assert (
        DEFAULT_SCALE_NOTE
        not in json.loads(_cli(*args, "--volts-per-unit", "1").stdout)["warnings"]
    )
    ext = {
        "core:extensions": [{"name": "rfcheck", "version": "0.1.0", "optional": True}],
        "rfcheck:volts_per_unit": 1.0,
    }
    stated = _sigmf(tmp_path / "s", glob=ext)
    doc = json.loads(_cli("receiver", stated, *args[2:]).stdout)
    assert doc["warnings"] == []  # declared extension: no note at all


# --- 6: constant antenna factor -----------------------------------------------------------


def _radiated_csv(path: Path) -> Path:
    freqs = np.geomspace(30e6, 1e9, 40)
    lines = ["Frequency (Hz),QP (dBuV)"] + [f"{f:.1f},10.00" for f in freqs]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_constant_antenna_factor(tmp_path: Path) -> None:
    chain = build_chain(antenna_factor=20.0)
    assert chain.describe() == ["antenna factor: constant 20 dB/m (added)"]
    np.testing.assert_allclose(chain.correction_db(np.array([50e6, 500e6])), [20.0, 20.0])
    cap = _radiated_csv(tmp_path / "rad.csv")
    result = _cli("check", cap, "--limit", "fcc-15.109-b", "--antenna-factor", "20")
    assert result.exit_code == 5, result.output  # INCOMPLETE: a 40-point QP list, no 1-40 GHz
    assert "antenna factor: constant 20 dB/m (added)" in result.stdout
    setup = tmp_path / "s.toml"
    setup.write_text(
        '[check]\nlimits = ["fcc-15.109-b"]\nantenna_factor = 12.5\n', encoding="utf-8"
    )
    assert load_setup(setup).check.antenna_factor == 12.5
    out = tmp_path / "out"
    ok = _cli(
        "batch",
        cap,
        "--out",
        out,
        "--limit",
        "fcc-15.109-b",
        "--antenna-factor",
        "20 dB",
        "--jobs",
        "1",
    )
    assert ok.exit_code == 5, ok.output
    missing = _cli(
        "batch",
        cap,
        "--out",
        out,
        "--limit",
        "fcc-15.109-b",
        "--antenna-factor",
        tmp_path / "no.csv",
    )
    assert missing.exit_code == 2 and "no such file" in missing.stderr
