"""A text file held once as bytes, with a lazily built index of its line starts.

Headers are read line by line while a numeric block is handed whole to pandas (see
:mod:`._blocks`): reading a header never scans the data below it (8 bytes of index per
line, built a growing chunk at a time as far as a line is asked for).
"""

from __future__ import annotations

import mmap
import os
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from ..errors import CaptureFormatError
from . import _files

__all__ = ["TextLines"]

_NL = 10
_CR = 13
_CHUNK_BYTES = 1 << 24
_FIRST_SCAN = 1 << 16


#: The UTF-8 byte-order mark some Windows programs write before the first line.
_UTF8_BOM = b"\xef\xbb\xbf"


class TextLines:
    """Random access to the lines of a text file held as bytes, without splitting it.

    Line starts are indexed lazily, a growing chunk at a time, as far as a line is asked
    for: reading a header never scans the data below it, and a data block running to the
    end of the file is parsed by pandas straight from ``path`` without any line index.

    Parameters
    ----------
    raw : bytes or mmap.mmap
        File content (NUL bytes already removed where a format pads with them).
    path : Path
        File named in error messages.
    direct : bool
        True when ``raw`` is the file's bytes unmodified, so a block running to the end of
        the file may be parsed by pandas straight from ``path`` (its fastest route).
    """

    def __init__(self, raw: bytes | mmap.mmap, path: Path, *, direct: bool = True) -> None:
        self.raw = raw
        self.path = path
        self.direct = direct
        self.size = len(raw)
        self._parts: list[NDArray[np.int64]] = [np.zeros(1, dtype=np.int64)]
        self._known = 1  #: line starts indexed so far
        self._starts_cache: NDArray[np.int64] | None = None
        self._scanned = 0  #: bytes ``[0, _scanned)`` indexed
        self._step = _FIRST_SCAN

    @classmethod
    def open(cls, path: Path) -> TextLines:
        """``path`` mapped read-only (only pages read are loaded); a context manager.

        Raises
        ------
        CaptureFormatError
            ``path`` is not a regular file, or is larger than
            :data:`~rfcheck.io._files.MAX_TEXT_BYTES`.
        """
        with _files.open_regular(path) as fh:
            size = os.fstat(fh.fileno()).st_size
            if size > _files.MAX_TEXT_BYTES:
                raise CaptureFormatError(
                    f"file is {size} bytes, more than the {_files.MAX_TEXT_BYTES} bytes a text "
                    "capture may hold",
                    path,
                )
            try:
                raw: bytes | mmap.mmap = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
            except (ValueError, OSError):  # empty file, or one that cannot be mapped
                raw = fh.read()
        return cls(raw, path)

    def __enter__(self) -> TextLines:
        return self

    def __exit__(self, *exc: object) -> None:
        if isinstance(self.raw, mmap.mmap):
            try:
                self.raw.close()
            except BufferError:  # pragma: no cover - a view still exported; GC frees it
                pass

    @property
    def _starts(self) -> NDArray[np.int64]:
        if self._starts_cache is None or self._starts_cache.size != self._known:
            self._starts_cache = np.concatenate(self._parts)
            self._parts = [self._starts_cache]
        return self._starts_cache

    def _index(self, i: int) -> None:
        """Index line starts until the start of line ``i + 1`` is known or the file ends."""
        while self._known <= i + 1 and self._scanned < self.size:
            end = min(self._scanned + self._step, self.size)
            chunk = np.frombuffer(
                self.raw, dtype=np.uint8, count=end - self._scanned, offset=self._scanned
            )
            found = np.flatnonzero(chunk == _NL) + (self._scanned + 1)
            del chunk  # hold no view on a mapping
            self._parts.append(found)
            self._known += found.size
            self._scanned = end
            self._step = min(self._step * 4, _CHUNK_BYTES)

    @property
    def n_lines(self) -> int:
        """Number of lines (a final newline opens no extra line); indexes the whole file."""
        self._index(self.size + 1)
        ends_nl = self.size > 0 and self.raw[self.size - 1] == _NL
        return self._known - int(ends_nl)

    def has_line(self, i: int) -> bool:
        """``i < n_lines``, indexing only as far as line ``i``."""
        self._index(i)
        return i < self._known - 1 or (self._scanned >= self.size and i < self.n_lines)

    def span(self, i: int) -> tuple[int, int]:
        """Byte range ``[start, end)`` of line ``i`` (0-based), without its line break."""
        self._index(i)
        starts = self._starts
        start = int(starts[i])
        end = int(starts[i + 1]) - 1 if i + 1 < starts.size else self.size
        if i == 0 and self.raw[:3] == _UTF8_BOM:  # a byte-order mark is no part of line 1
            start = min(3, end)
        if end > start and self.raw[end - 1] == _CR:
            end -= 1
        return start, end

    def text(self, i: int) -> str:
        """Line ``i`` (0-based) as UTF-8, else ISO-8859-1 (R&S writes ``dBµV`` in Latin-1)."""
        start, end = self.span(i)
        chunk = self.raw[start:end]
        try:
            return chunk.decode("utf-8")
        except UnicodeDecodeError:
            return chunk.decode("latin-1")

    def is_blank(self, i: int) -> bool:
        start, end = self.span(i)
        return not self.raw[start:end].strip()

    def lead_bytes(self, first: int, stop: int) -> NDArray[np.uint8]:
        """First byte of each line in ``[first, stop)``; a line break byte for empty lines."""
        self._index(stop)
        buf = np.frombuffer(self.raw, dtype=np.uint8)
        starts = self._starts[first:stop]
        out = np.full(starts.size, _NL, dtype=np.uint8)
        inside = starts < buf.size
        out[inside] = buf[starts[inside]]
        return out

    def tail_blank(self, count: int) -> bool:
        """Return True when the last ``count`` lines of the file are blank (whitespace only)."""
        end = self.size - int(self.size > 0 and self.raw[self.size - 1] == _NL)
        for _ in range(count):
            nl = self.raw.rfind(b"\n", 0, end)
            if nl < 0 or self.raw[nl + 1 : end].strip():
                return False
            end = nl
        return True

    def last_line_bytes(self) -> int:
        """Length of the last non-blank line with its line break (0 when none is near the end)."""
        tail = self.raw[max(self.size - 4096, 0) : self.size].rstrip()
        cut = tail.rfind(b"\n")
        return len(tail) - cut + 1 if cut >= 0 else 0
