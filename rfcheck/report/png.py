"""A small, fast PNG encoder for rendered figures (8-bit RGB or RGBA, reproducible).

Pillow's encoder chooses a filter for every row and spends most of its time there; a plot is
mostly flat colour, for which the PNG "Up" filter (each row minus the one above, computed
here with numpy) followed by a fast deflate gives about the same file size in a small part of
the time. The deflate is ISA-L's level 0 (:mod:`isal.isal_zlib`, a zlib stream any PNG reader
inflates): 1.2 ms for a 1200 x 992 plot where zlib's fastest level takes 7-8 ms, for a file
about 30 % larger (247 kB against 190 kB; zlib level 6: 181 kB in 19 ms). Level 0, not 1:
ISA-L's levels 1-3 work in a second buffer (``level_buf``) and level 1 gave a different (valid)
stream for the same rows in about 0.3 % of fresh processes (6 of 2,000 and 1 of 500, measured
2026-12-06), which broke "identical pixels give identical bytes" and so the byte-identical
records of docs/record.md; level 0 has no such buffer and gave one stream in 700 processes at
the same speed. The RGB rows are packed out
of Agg's RGBA buffer by Pillow's raw encoder (0.7 ms; numpy's strided copy takes 4 ms). The
file holds ``IHDR``, ``pHYs`` (the resolution), one ``tEXt`` entry per metadata item, ``IDAT``
and ``IEND``: no timestamp, so identical pixels give identical bytes.

References
----------
ISO/IEC 15948:2004 (W3C "Portable Network Graphics (PNG) Specification, Second Edition"):
the chunk layout, filter method 0 with filter type 2 "Up", the ``pHYs`` and ``tEXt`` chunks.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Mapping

import numpy as np
from isal import isal_zlib
from numpy.typing import NDArray
from PIL import Image

__all__ = ["ZLIB_LEVEL", "encode_png"]

#: ISA-L deflate level of the image data: 0, the level whose output depends on the input only
#: (module docstring; 1-3 use a second work buffer and varied between processes).
ZLIB_LEVEL = 0
_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_UP = 2  # PNG filter type "Up"
_INCH_M = 0.0254


def _chunk(kind: bytes, data: bytes) -> bytes:
    return (
        struct.pack(">I", len(data))
        + kind
        + data
        + struct.pack(">I", zlib.crc32(data, zlib.crc32(kind)))
    )


def _rows(img: NDArray[np.uint8], opaque: bool) -> NDArray[np.uint8]:
    """Return the pixels as C-contiguous RGB (``opaque``) or RGBA rows."""
    if not opaque or img.size == 0:
        return img
    h, w = img.shape[:2]
    rgba = Image.frombuffer("RGBA", (w, h), img, "raw", "RGBA", 0, 1)  # shares the pixels
    return np.frombuffer(rgba.tobytes("raw", "RGB"), dtype=np.uint8)  # packed without alpha


def encode_png(rgba: NDArray[np.uint8], dpi: float, text: Mapping[str, str] | None = None) -> bytes:
    """Return PNG bytes of an ``(height, width, 4)`` RGBA image.

    Parameters
    ----------
    rgba : ndarray of uint8
        The pixels, rows top to bottom (what Agg renders).
    dpi : float
        Resolution stored in ``pHYs``. [pixel/in]
    text : mapping of str to str, optional
        ``tEXt`` entries (Latin-1), e.g. ``{"Software": "rfcheck 1.0"}``.

    Returns
    -------
    bytes
        RGB (colour type 2) when every pixel is opaque, RGBA (colour type 6) otherwise.
    """
    img = np.ascontiguousarray(rgba, dtype=np.uint8)
    h, w = img.shape[:2]
    # every alpha byte 255: as little-endian words, alpha is the high byte of each pixel
    opaque = img.size == 0 or int(img.view("<u4").min()) >= 0xFF000000
    channels = 3 if opaque else 4
    rows = _rows(img, opaque).reshape(h, w * channels)
    filtered = np.empty((h, w * channels + 1), dtype=np.uint8)
    filtered[:, 0] = _UP
    filtered[:1, 1:] = rows[:1]
    np.subtract(rows[1:], rows[:-1], out=filtered[1:, 1:])  # modulo 256 (uint8)
    ppm = round(dpi / _INCH_M)
    out = [
        _SIGNATURE,
        _chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2 if opaque else 6, 0, 0, 0)),
        _chunk(b"pHYs", struct.pack(">IIB", ppm, ppm, 1)),
    ]
    for key, value in (text or {}).items():
        out.append(_chunk(b"tEXt", key.encode("latin-1") + b"\0" + value.encode("latin-1")))
    out.append(_chunk(b"IDAT", isal_zlib.compress(filtered.data, ZLIB_LEVEL)))
    out.append(_chunk(b"IEND", b""))
    return b"".join(out)
