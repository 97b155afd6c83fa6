"""A file no reader recognises is refused by its size first, then by what its bytes look like.

A sparse 1 GiB file of zero bytes (``truncate -s 1G``) was called "UTF-16 text (no BOM)":
the NULs look like UTF-16's high bytes. Above the text cap no text reader would read it,
whatever its head, so the size is the reason given; and a head of NULs only is
binary data, never UTF-16 text.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from rfcheck.errors import CaptureFormatError
from rfcheck.io import MAX_TEXT_BYTES, load_capture


def _refusal(path: Path) -> str:
    with pytest.raises(CaptureFormatError) as info:
        load_capture(path)
    return str(info.value)


def test_a_sparse_file_above_the_text_cap_is_refused_by_its_size(tmp_path: Path) -> None:
    path = tmp_path / "sparse.csv"
    with path.open("wb") as fh:  # sparse: no disk space used
        fh.truncate(1 << 30)
    assert _refusal(path) == (
        f"{path}: file is {1 << 30} bytes, more than the {MAX_TEXT_BYTES} bytes a text capture "
        "may hold, and no binary format recognises it (name one with --format; see "
        "'rfcheck formats')"
    )


def test_a_small_file_of_zero_bytes_is_binary_not_utf16(tmp_path: Path) -> None:
    path = tmp_path / "zeros.csv"
    path.write_bytes(bytes(4096))
    assert _refusal(path) == (
        f"{path}: unrecognised capture format: binary data, not a text export (first bytes "
        "00 00 00 00 00 00 00 00 00 00 00 00); name it with --format (see 'rfcheck formats')"
    )


def test_utf16_without_a_bom_is_still_named(tmp_path: Path) -> None:
    path = tmp_path / "u16.csv"
    path.write_bytes("# a\nFrequency (Hz),Level (dBuV)\n1e6,3\n".encode("utf-16-le"))
    assert _refusal(path) == f"{path}: file is UTF-16 text (no BOM); re-save it as UTF-8 or ASCII"


def test_a_generic_csv_header_after_8_kib_of_comments_is_read(tmp_path: Path) -> None:
    """Comments longer than the 8 KiB every reader sniffs made it 'unrecognised'."""
    comments = "".join(f"# note {i}: " + "x" * 80 + "\n" for i in range(150))  # ~14 KiB
    path = tmp_path / "comments.csv"
    path.write_text(comments + "# rbw_hz: 9000\nFrequency (MHz),Peak (dBuV)\n0.15,40\n30,30\n")
    capture = load_capture(path)
    assert capture.provenance is not None and capture.provenance.format == "generic-csv"
    assert capture.traces[0].freq_hz.tolist() == [150e3, 30e6]
    assert capture.traces[0].rbw_hz == 9000


def test_a_head_of_comments_only_names_the_header_limit(tmp_path: Path) -> None:
    """A header beyond the first 64 KiB: the limit is named, not 'unrecognised'."""
    path = tmp_path / "long.csv"
    path.write_text("# instrument: " + "y" * 100_000 + "\nFrequency (MHz),Peak (dBuV)\n0.15,40\n")
    assert _refusal(path) == (
        f"{path}: no column-header row in the first 64 KiB (only comments or blank lines)"
    )
