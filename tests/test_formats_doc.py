"""docs/formats.md describes every reader, and each of its illustrations reads as it says.

Every reader ``rfcheck formats`` lists has a ``## `name` `` section, in the listed order,
naming the reader's extensions and holding at least one illustration. An illustration is a
fenced block tagged ``illustration=<reader>`` (``illustration=<reader>:<id>`` when a section
has several), written under a line starting ``*Illustration*``. Each is written to a file (an
I/Q header with zero samples added: the metadata of a SigMF pair, the XML header of an iq-tar)
that must be detected as that reader and read. The block tagged ``info=<same key>`` after it
holds lines ``rfcheck info`` prints for that file: each must be printed, in that order.
"""

from __future__ import annotations

import io
import json
import re
import tarfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from rfcheck.cli import main
from rfcheck.io import READERS, detect_format, load_capture

REPO = Path(__file__).resolve().parent.parent
DOC = REPO / "docs" / "formats.md"
TEXT = DOC.read_text(encoding="utf-8")

#: A reader's section heading: ``## `rs-ascii`: Rohde & Schwarz ...``.
_HEADING = re.compile(r"^## `([\w-]+)`", re.M)
#: A tagged fenced block: the language, the tag, the key (``rigol:pairs``) and the body.
_FENCE = re.compile(r"^```(\w*) (illustration|info)=([\w-]+(?::[\w-]+)?)\n(.*?)^```$", re.M | re.S)
#: Samples written beside a SigMF illustration's metadata.
SIGMF_SAMPLES = 2000


@dataclass(frozen=True)
class Block:
    """One tagged fenced block of the page."""

    tag: str  #: ``illustration`` or ``info``
    key: str  #: ``rigol:pairs``
    body: str
    start: int  #: offset of the fence in the page

    @property
    def reader(self) -> str:
        return self.key.split(":")[0]

    @property
    def line(self) -> int:
        return TEXT.count("\n", 0, self.start) + 1


def _blocks(tag: str) -> list[Block]:
    return [
        Block(m.group(2), m.group(3), m.group(4), m.start())
        for m in _FENCE.finditer(TEXT)
        if m.group(2) == tag
    ]


ILLUSTRATIONS = _blocks("illustration")
INFOS = _blocks("info")


def _section_of(offset: int) -> str:
    """Return the reader whose section holds ``offset`` ("" before the first)."""
    found = ""
    for m in _HEADING.finditer(TEXT):
        if m.start() > offset:
            break
        found = m.group(1)
    return found


def _sections() -> dict[str, str]:
    """Reader name -> the text of its section."""
    heads = list(_HEADING.finditer(TEXT))
    return {
        m.group(1): TEXT[m.start() : heads[i + 1].start() if i + 1 < len(heads) else len(TEXT)]
        for i, m in enumerate(heads)
    }


def _iq_tar(xml: str, path: Path) -> Path:
    """Write an iq-tar: the XML header, then the zero samples its header declares."""
    sizes = {"int8": 1, "int16": 2, "int32": 4, "int64": 8, "float32": 4, "float64": 8}

    def element(tag: str) -> str:
        m = re.search(rf"<{tag}[^>]*>([^<]*)</{tag}>", xml)
        assert m is not None, f"the illustration has no <{tag}>"
        return m.group(1).strip()

    channels = int(element("NumberOfChannels")) if "<NumberOfChannels" in xml else 1
    width = (2 if element("Format") == "complex" else 1) * sizes[element("DataType")]
    members = (
        ("rec.xml", xml.encode("utf-8")),
        (element("DataFilename"), bytes(int(element("Samples")) * width * channels)),
    )
    with tarfile.open(path, "w", format=tarfile.USTAR_FORMAT) as tar:
        for name, data in members:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def _sigmf(meta: str, folder: Path) -> Path:
    """Write a SigMF pair: the metadata, and :data:`SIGMF_SAMPLES` zero samples."""
    glob = json.loads(meta)["global"]
    m = re.match(r"^([rc])[fiu](8|16|32|64)", glob["core:datatype"])
    assert m is not None
    width = (2 if m.group(1) == "c" else 1) * int(m.group(2)) // 8
    channels = int(glob.get("core:num_channels", 1))
    (folder / "rec.sigmf-data").write_bytes(bytes(SIGMF_SAMPLES * width * channels))
    path = folder / "rec.sigmf-meta"
    path.write_text(meta, encoding="utf-8")
    return path


def _write(block: Block, folder: Path) -> Path:
    """Write an illustration as the file it shows."""
    if block.reader == "rs-iqtar":
        return _iq_tar(block.body, folder / "rec.iq.tar")
    if block.reader == "sigmf":
        return _sigmf(block.body, folder)
    path = folder / ("illustration.DAT" if block.reader == "rs-ascii" else "illustration.csv")
    path.write_bytes(block.body.encode("utf-8"))
    return path


def test_every_reader_has_a_section_in_the_order_rfcheck_formats_lists_them() -> None:
    assert _HEADING.findall(TEXT) == [r.name for r in READERS]


def test_each_section_names_its_readers_extensions() -> None:
    sections = _sections()
    missing = [
        f"{r.name}: {ext}"
        for r in READERS
        for ext in r.extensions
        if f"`{ext}`" not in sections[r.name]
    ]
    assert missing == []


def test_every_reader_has_an_illustration_marked_as_one_in_its_section() -> None:
    assert {b.reader for b in ILLUSTRATIONS} == {r.name for r in READERS}
    for block in ILLUSTRATIONS:
        caption = TEXT[: block.start].rstrip().split("\n\n")[-1]  # the paragraph above it
        assert caption.startswith("*Illustration*"), f"line {block.line}: {caption!r}"
        assert _section_of(block.start) == block.reader, f"line {block.line}"


def test_every_illustration_has_its_info_lines_and_no_info_block_is_orphaned() -> None:
    illustrated = [b.key for b in ILLUSTRATIONS]
    assert len(set(illustrated)) == len(illustrated)
    assert sorted(b.key for b in INFOS) == sorted(illustrated)


@pytest.mark.parametrize("block", ILLUSTRATIONS, ids=[b.key for b in ILLUSTRATIONS])
def test_an_illustration_is_read_as_the_format_it_illustrates(block: Block, tmp_path: Path) -> None:
    path = _write(block, tmp_path)
    assert detect_format(path).name == block.reader
    capture = load_capture(path)
    assert capture.traces or capture.time_series


@pytest.mark.parametrize("block", INFOS, ids=[b.key for b in INFOS])
def test_the_info_lines_shown_are_what_rfcheck_info_prints(block: Block, tmp_path: Path) -> None:
    (illustration,) = [b for b in ILLUSTRATIONS if b.key == block.key]
    result = CliRunner().invoke(main, ["info", str(_write(illustration, tmp_path))])
    assert result.exit_code == 0, result.output
    printed = iter(line.rstrip() for line in result.output.splitlines())
    for shown in block.body.splitlines():
        assert shown.rstrip() in printed, (
            f"line {block.line}: {shown!r} not printed in order:\n{result.output}"
        )


def test_the_readme_points_to_this_page_from_what_rfcheck_reads() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    start = readme.index("### 2. What rfcheck reads")
    section = readme[start : readme.index("\n### ", start + 1)]
    assert "[docs/formats.md](docs/formats.md)" in section
