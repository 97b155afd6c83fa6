"""A PNG placed in a reportlab PDF as it is: its compressed rows become the image stream.

A PDF image stream compressed with ``FlateDecode`` and the PNG predictors (``/Predictor 15``)
holds exactly what a PNG's ``IDAT`` chunks hold, so a non-interlaced 8-bit RGB or grey PNG is
embedded without being decoded and compressed again (reportlab's own path decodes it with
Pillow and deflates the pixels anew: about a third of a report's image cost). Other PNGs (an
alpha channel, a palette, interlacing) go through reportlab's :class:`~reportlab.platypus.Image`.

References
----------
ISO 32000-1:2008, 7.4.4.4 "LZW and Flate predictor functions" (``Predictor`` 15, ``Colors``,
``BitsPerComponent``, ``Columns``) and 8.9.5 "Image dictionaries"; ISO/IEC 15948:2004, 11.2.2
``IHDR`` and 11.2.4 ``IDAT``.
"""

from __future__ import annotations

import hashlib
import io
import struct
from dataclasses import dataclass
from typing import Any

from reportlab.pdfbase import pdfdoc
from reportlab.platypus import Flowable, Image

__all__ = ["PngData", "png_flowable", "read_png"]

_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_COLOUR_SPACES = {0: ("DeviceGray", 1), 2: ("DeviceRGB", 3)}  # PNG colour type -> space, channels


@dataclass(frozen=True)
class PngData:
    """What a PDF image stream needs from a PNG.

    Attributes
    ----------
    width_px, height_px : int
        Size. [pixel]
    colour_type : int
        PNG colour type (0 grey, 2 RGB, 3 palette, 4 grey + alpha, 6 RGBA).
    bit_depth : int
        Bits per sample.
    interlaced : bool
    idat : bytes
        The ``IDAT`` chunks' data, joined: one zlib stream of filtered rows.
    """

    width_px: int
    height_px: int
    colour_type: int
    bit_depth: int
    interlaced: bool
    idat: bytes

    @property
    def embeddable(self) -> bool:
        """Return True when the rows can become a PDF image stream unchanged."""
        return self.colour_type in _COLOUR_SPACES and self.bit_depth == 8 and not self.interlaced


def read_png(png: bytes) -> PngData:
    """Return the header fields and the joined ``IDAT`` data of a PNG file.

    Raises
    ------
    ValueError
        Not a PNG, or a chunk runs past the end of the data.
    """
    if not png.startswith(_SIGNATURE):
        raise ValueError("not a PNG file (no PNG signature)")
    pos = len(_SIGNATURE)
    header: tuple[int, ...] | None = None
    idat: list[bytes] = []
    while pos + 8 <= len(png):
        (length,) = struct.unpack(">I", png[pos : pos + 4])
        kind = png[pos + 4 : pos + 8]
        data = png[pos + 8 : pos + 8 + length]
        if len(data) != length:
            raise ValueError(f"PNG chunk {kind!r} runs past the end of the file")
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", data)
        elif kind == b"IDAT":
            idat.append(data)
        elif kind == b"IEND":
            break
        pos += 12 + length  # length, type, data, CRC
    if header is None:
        raise ValueError("PNG file without an IHDR chunk")
    w, h, depth, colour, _compression, _filter, interlace = header
    return PngData(w, h, colour, depth, bool(interlace), b"".join(idat))


class _PngXObject(pdfdoc.PDFImageXObject):  # type: ignore[misc]  # reportlab is untyped
    """An image XObject whose stream is a PNG's ``IDAT`` data, with the PNG predictor."""

    def __init__(self, name: str, png: PngData) -> None:
        super().__init__(name)
        self.width = png.width_px
        self.height = png.height_px
        self.bitsPerComponent = png.bit_depth
        self.colorSpace, self._colours = _COLOUR_SPACES[png.colour_type]
        self._filters = ("FlateDecode",)
        self.streamContent = png.idat
        self.mask = None

    def format(self, document: Any) -> bytes:
        """Return the stream object: image dictionary with the PNG predictor parameters."""
        stream = pdfdoc.PDFStream(content=self.streamContent)
        d = stream.dictionary
        d["Type"] = pdfdoc.PDFName("XObject")
        d["Subtype"] = pdfdoc.PDFName("Image")
        d["Width"] = self.width
        d["Height"] = self.height
        d["BitsPerComponent"] = self.bitsPerComponent
        d["ColorSpace"] = pdfdoc.PDFName(self.colorSpace)
        d["Filter"] = pdfdoc.PDFArray([pdfdoc.PDFName("FlateDecode")])
        parms = {
            "Predictor": 15,
            "Colors": self._colours,
            "BitsPerComponent": self.bitsPerComponent,
            "Columns": self.width,
        }
        # one parameter dictionary per filter: an array, as Filter is one
        d["DecodeParms"] = pdfdoc.PDFArray([pdfdoc.PDFDictionary(parms)])
        out: bytes = stream.format(document)
        return out


class _PngFlowable(Flowable):  # type: ignore[misc]  # reportlab is untyped
    """A PNG drawn at ``width`` x ``height`` [pt], embedded as :class:`_PngXObject`."""

    def __init__(self, png: PngData, width: float, height: float) -> None:
        super().__init__()
        self._png = png
        self._name = hashlib.sha256(png.idat).hexdigest()[:32]
        self.drawWidth = width
        self.drawHeight = height

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        """Return the drawn size [pt] (fixed)."""
        return self.drawWidth, self.drawHeight

    def draw(self) -> None:
        """Register the image with the document once, and draw it on the canvas."""
        canv = self.canv
        doc = canv._doc
        reg = doc.getXObjectName(self._name)
        if doc.idToObject.get(reg) is None:  # first use in this document (as drawImage does)
            obj = _PngXObject(self._name, self._png)
            canv._setXObjects(obj)
            doc.Reference(obj, reg)
            doc.addForm(self._name, obj)
        canv._currentPageHasImages = 1
        canv.saveState()
        canv.scale(self.drawWidth, self.drawHeight)
        canv._code.append(f"/{reg} Do")
        canv.restoreState()
        canv._formsinuse.append(self._name)


def png_flowable(png: bytes, width: float, height: float) -> Flowable:
    """Return a flowable drawing ``png`` at ``width`` x ``height`` [pt].

    An 8-bit, non-interlaced grey or RGB PNG is embedded as it is (no decoding); any other is
    decoded by reportlab (:class:`~reportlab.platypus.Image`).
    """
    data = read_png(png)
    if data.embeddable:
        return _PngFlowable(data, width, height)
    return Image(io.BytesIO(png), width=width, height=height)
