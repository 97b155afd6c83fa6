"""PDF streams written binary: no ASCII85 layer over the compressed data.

reportlab wraps every compressed stream (page content, images, fonts) in ASCII85 by default,
a 7-bit encoding for mail-safe PDFs that makes streams 25 % larger; without reportlab's
optional C accelerator it runs in pure Python, where it costs most of the time of a report
with a plot (about 0.3 s for one 200-dpi image). PDF files are binary anyway (they start
with a binary comment line), and every reader decodes the plain ``FlateDecode`` streams.

References
----------
ISO 32000-1:2008, 7.4 "Filters": ``ASCII85Decode`` is optional, ``FlateDecode`` alone is a
complete stream encoding.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from reportlab import rl_config

__all__ = ["binary_streams"]


@contextmanager
def binary_streams() -> Iterator[None]:
    """Build PDFs inside this block with binary (not ASCII85-encoded) streams."""
    before = rl_config.useA85
    rl_config.useA85 = 0
    try:
        yield
    finally:
        rl_config.useA85 = before
