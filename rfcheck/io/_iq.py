"""Sample-file plumbing shared by the I/Q recording readers (SigMF, R&S iq-tar).

Samples are never loaded whole: a recording becomes a read-only :class:`numpy.memmap`
over the file bytes (at any byte offset, e.g. a tar member's data). Layouts numpy can view
directly in the machine's byte order (signed int and float reals, complex float32/float64)
are mapped zero-copy. The others are converted once, block by block, into an anonymous
temporary file that is then memory-mapped: complex integers (no ``complex int16`` dtype
exists), unsigned integers (mid-scale offset 2**(bits-1) removed) and foreign-byte-order
samples (big-endian on x86/ARM). 8/16-bit integers and float32 become ``float32`` /
``complex64``; 32-bit integers and float64 become ``float64``/``complex128`` (exact).
Converted values keep their integer magnitude (no scaling), so ``volts_per_unit`` means
the same thing for the raw and the converted layout.

Sample rates are validated against :data:`MIN_SAMPLE_RATE_HZ` and
:data:`MAX_SAMPLE_RATE_HZ` (:func:`check_sample_rate`) before anything is allocated.
"""

from __future__ import annotations

import math
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from ..errors import CaptureFormatError

__all__ = [
    "SampleLayout",
    "map_samples",
    "check_sample_rate",
    "MIN_SAMPLE_RATE_HZ",
    "MAX_SAMPLE_RATE_HZ",
    "MAX_CHANNELS",
    "MAX_VOLTS_PER_UNIT",
    "check_volts_per_unit",
]

#: Slowest sample rate a recording may state: 1 Hz. [Hz]
MIN_SAMPLE_RATE_HZ = 1.0
#: Fastest sample rate a recording may state: 1 THz, above any digitiser made. [Hz]
MAX_SAMPLE_RATE_HZ = 1e12
#: Most interleaved channels a recording may declare.
MAX_CHANNELS = 1024
#: Largest scale a recording may state (volts per sample unit): 1 TV, the receiver's own
#: sample-magnitude bound; beyond it its arithmetic overflows. [V]
MAX_VOLTS_PER_UNIT = 1e12


def check_volts_per_unit(value: float, what: str, path: Path) -> float:
    """Return ``value`` [V], refusing a scale above :data:`MAX_VOLTS_PER_UNIT`."""
    if value > MAX_VOLTS_PER_UNIT:
        raise CaptureFormatError(
            f"{what} {value:g} V per unit is above the {MAX_VOLTS_PER_UNIT:g} V the receiver "
            "computes with",
            path,
        )
    return value


#: Samples converted per block when a layout has to be rewritten (bounds memory use).
_BLOCK = 1 << 22


@dataclass(frozen=True)
class SampleLayout:
    """How samples are stored in a binary file.

    Parameters
    ----------
    component : numpy.dtype
        dtype of one component (I, Q or a real value), with its byte order.
    is_complex : bool
        Interleaved I/Q pairs (True) or one real value per sample (False).
    n_channels : int
        Interleaved channels (channel 0, 1, ... of sample 0, then of sample 1, ...).
    label : str
        The format's own name for the layout (``ci16_le``, ``complex int16``), for messages.
    """

    component: np.dtype[np.generic]
    is_complex: bool
    n_channels: int = 1
    label: str = ""

    @property
    def sample_bytes(self) -> int:
        """Bytes of one sample of one channel."""
        return self.component.itemsize * (2 if self.is_complex else 1)

    @property
    def frame_bytes(self) -> int:
        """Bytes of one sample of every channel."""
        return self.sample_bytes * self.n_channels

    @property
    def is_integer(self) -> bool:
        return self.component.kind in "iu"

    @property
    def full_scale(self) -> float:
        """2**(bits-1) for integer components (the SigMF full scale), 1 for floats."""
        return float(2 ** (8 * self.component.itemsize - 1)) if self.is_integer else 1.0


def check_sample_rate(rate_hz: float, field: str, path: Path) -> float:
    """Return ``rate_hz`` [Hz] if finite and within MIN/MAX_SAMPLE_RATE_HZ.

    The limits are inclusive.

    Raises
    ------
    CaptureFormatError
        A non-finite, tiny or huge rate (1e-300 or 1e308 Hz would make every later
        computation overflow, hang or allocate without bound).
    """
    if not math.isfinite(rate_hz) or not MIN_SAMPLE_RATE_HZ <= rate_hz <= MAX_SAMPLE_RATE_HZ:
        raise CaptureFormatError(
            f"{field}: sample rate {rate_hz!r} Hz is outside "
            f"{MIN_SAMPLE_RATE_HZ:g}..{MAX_SAMPLE_RATE_HZ:g} Hz",
            path,
        )
    return float(rate_hz)


def _direct_dtype(layout: SampleLayout) -> np.dtype[np.generic] | None:
    """Return the dtype numpy can map without conversion (native byte order only), or None."""
    comp = layout.component
    if not comp.isnative and comp.itemsize > 1:
        return None
    if layout.is_complex:
        if comp.kind == "f":
            return np.dtype(comp.byteorder + f"c{2 * comp.itemsize}")
        return None
    if comp.kind in "if":
        return comp
    return None


def map_samples(
    path: Path,
    offset: int,
    n_bytes: int,
    layout: SampleLayout,
    *,
    n_samples: int | None = None,
    what: str = "sample data",
) -> list[NDArray[np.generic]]:
    """Memory-map the samples of every channel, read-only.

    Parameters
    ----------
    path : Path
        File holding the samples (also named in errors).
    offset : int
        Byte offset of the first sample in ``path``. [B]
    n_bytes : int
        Bytes of sample data available from ``offset``. [B]
    layout : SampleLayout
    n_samples : int, optional
        Samples to map per channel; default all of ``n_bytes``.
    what : str
        How to name the data in messages (``iq-tar data member 'x'``); "" when the error's
        path names it already.

    Returns
    -------
    list of ndarray
        One read-only 1-D array per channel (a strided view when there are several).

    Raises
    ------
    CaptureFormatError
        Size not a multiple of the sample size, or no samples.
    """
    frame = layout.frame_bytes
    lead = f"{what}: " if what else ""  # "": the error's path names the data already
    if n_bytes % frame:
        raise CaptureFormatError(
            f"{lead}size {n_bytes} bytes is not a multiple of the sample size {frame} bytes "
            f"({layout.label}, {layout.n_channels} channel(s)); the file is truncated or the "
            "datatype is wrong",
            path,
        )
    available = n_bytes // frame
    n = available if n_samples is None else n_samples
    if n > available:
        raise CaptureFormatError(
            f"{lead}holds {available} samples but {n} are declared (truncated file?)", path
        )
    if n <= 0:
        raise CaptureFormatError(f"{lead}holds no samples", path)
    direct = _direct_dtype(layout)
    if direct is not None:
        mm = np.memmap(path, dtype=direct, mode="r", offset=offset, shape=(n * layout.n_channels,))
        if layout.n_channels == 1:
            return [mm]
        frames = mm.reshape(n, layout.n_channels)
        return [frames[:, ch] for ch in range(layout.n_channels)]
    n_comp = 2 if layout.is_complex else 1
    raw = np.memmap(
        path,
        dtype=layout.component,
        mode="r",
        offset=offset,
        shape=(n, layout.n_channels, n_comp),
    )
    return [_convert(raw, ch, layout) for ch in range(layout.n_channels)]


def _convert(raw: NDArray[np.generic], ch: int, layout: SampleLayout) -> NDArray[np.generic]:
    """Rewrite one channel in a native layout into a temporary file and map it read-only.

    8/16-bit integers become float32/complex64, 32-bit integers float64/complex128 (exact);
    foreign-order floats keep their size.
    """
    n = raw.shape[0]
    comp = layout.component
    # float32 holds 8/16-bit integers and float32 exactly; wider values need float64
    wide = comp.itemsize == 8 or (comp.kind in "iu" and comp.itemsize == 4)
    work = np.dtype(np.float64 if wide else np.float32)
    out_dtype = np.result_type(work, np.complex64) if layout.is_complex else work
    offset = layout.full_scale if comp.kind == "u" else 0.0
    with tempfile.TemporaryFile(prefix="rfcheck-samples-") as fh:
        for start in range(0, n, _BLOCK):
            block = raw[start : start + _BLOCK, ch, :].astype(work)
            if offset:
                block -= work.type(offset)
            if layout.is_complex:
                out = np.empty(block.shape[0], dtype=out_dtype)
                out.real = block[:, 0]
                out.imag = block[:, 1]
            else:
                out = block[:, 0]
            fh.write(np.ascontiguousarray(out).tobytes())
        fh.flush()
        # mmap duplicates the descriptor: the mapping outlives ``fh`` and the anonymous
        # file's storage is released when the array is garbage-collected.
        return np.memmap(fh, dtype=out_dtype, mode="r", shape=(n,))
