"""PNGs placed in PDFs as they are: the embedded image shows the PNG's pixels."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image
from pypdf import PdfReader
from reportlab.platypus import Image as RlImage
from reportlab.platypus import SimpleDocTemplate

from rfcheck.report.pdfimage import png_flowable, read_png
from rfcheck.report.png import encode_png


def _pixels(h: int, w: int, alpha: bool = False) -> np.ndarray:
    rng = np.random.default_rng(5)
    rgba = rng.integers(0, 256, (h, w, 4), dtype=np.uint8)
    rgba[..., 3] = rng.integers(0, 256, (h, w), dtype=np.uint8) if alpha else 255
    return rgba


def _pdf_with(png: bytes) -> bytes:
    buf = io.BytesIO()
    SimpleDocTemplate(buf).build([png_flowable(png, 200.0, 150.0)])
    return buf.getvalue()


def test_read_png_returns_the_header_and_the_image_data() -> None:
    png = encode_png(_pixels(30, 40), 160.0)
    data = read_png(png)
    assert (data.width_px, data.height_px, data.colour_type, data.bit_depth) == (40, 30, 2, 8)
    assert not data.interlaced and data.embeddable
    assert data.idat in png


def test_read_png_rejects_other_data() -> None:
    with pytest.raises(ValueError, match="not a PNG file"):
        read_png(b"GIF89a....")
    with pytest.raises(ValueError, match="runs past the end"):
        read_png(encode_png(_pixels(3, 3), 72.0)[:-20])  # cut inside the image data


def test_an_rgb_png_is_embedded_unchanged_and_shows_the_same_pixels() -> None:
    rgba = _pixels(60, 80)
    png = encode_png(rgba, 160.0)
    pdf = _pdf_with(png)
    assert read_png(png).idat in pdf  # not decoded and compressed again
    (image,) = PdfReader(io.BytesIO(pdf)).pages[0].images
    shown = np.asarray(Image.open(io.BytesIO(image.data)).convert("RGB"))
    np.testing.assert_array_equal(shown, rgba[..., :3])


def test_a_png_with_transparency_goes_through_reportlab() -> None:
    png = encode_png(_pixels(20, 20, alpha=True), 160.0)
    assert read_png(png).colour_type == 6
    assert isinstance(png_flowable(png, 100.0, 100.0), RlImage)
