"""SigMF recordings: a ``.sigmf-meta`` + ``.sigmf-data`` pair, or a ``.sigmf`` archive.

``name.sigmf-meta`` is JSON, ``name.sigmf-data`` the raw samples; an archive is an
uncompressed tar holding both.

The metadata is validated against the SigMF schema (by hand for metadata up to 64 KiB,
:mod:`rfcheck.io.sigmf_schema`; with the ``sigmf`` package above); the samples are
memory-mapped read-only (never loaded whole), see :mod:`rfcheck.io._iq`.

What is read
------------
- ``global.core:datatype``: ``r``/``c`` x ``f32 f64 i8 i16 i32 u8 u16 u32`` x ``_le``/``_be``.
  Real (``r*``) samples give a :class:`~rfcheck.capture.SampleKind` ``REAL`` series: the
  samples are the RF waveform itself (0 Hz baseband, ``center_freq_hz`` 0, band 0 … fs/2);
  a ``captures[0].core:frequency`` above fs/2 is refused (the samples would be a real IF or
  bandpass-sampled record), one in (0, fs/2] noted (docs/receiver.md, "Recording inputs:
  real samples").
  Complex (``c*``) samples give an ``IQ`` series centred on ``captures[0].core:frequency``.
- ``global.core:sample_rate`` [Hz] (required here), ``core:num_channels`` (interleaved
  channels, one frame holding one sample of every channel, as the schema and sigmf-python
  read them: one TimeSeries per channel, named ``Channel 1`` ... like an iq-tar's, so every
  channel is judged), ``core:hw`` (instrument), ``core:trailing_bytes``,
  ``core:dataset`` (non-conforming dataset file), ``captures[0].core:header_bytes``.
- ``captures[0].core:frequency`` [Hz] and ``captures[0].core:datetime``.
- Several capture segments: each is measured on its own, one time series per segment (and
  channel), named ``Segment N`` (``Channel M, segment N``), at its own ``core:frequency``
  (a segment stating none: the previous one's, noted); a later segment may be retuned or
  discontinuous in time, and one at the same frequency holds more of the recording
  (:mod:`rfcheck.io.sigmf_segments`). Every segment must start inside the data and after
  the one before (a ``captures[k].core:sample_start`` at or past its end, or not after the
  previous one, is refused); more than 64 segments are refused, never judged in part.
- ``global["ntia-algorithm:data_products"]`` (:data:`DATA_PRODUCT_KEYS`): the dataset holds
  processed data products (spectra, power statistics), not time samples; refused.
- Annotations are counted in the metadata and otherwise ignored.
- ``core:sha512``, when stated, is checked against the dataset's bytes (the data file, or
  the archive's data member): a data file cut short, swapped or altered is refused, naming
  both digests. It is read in 1 MiB blocks while provenance hashing reads the same file on
  another thread (one read from the disk, the second from the page cache).

Provenance: the file named is hashed into ``Provenance.sha256``; the other file of a pair
(the data file, or the metadata file when the data file is named) is declared by
:func:`sigmf_companions` and hashed separately into ``Provenance.companions``.

Scale: volts at the receiver input
----------------------------------
SigMF samples are taken as **volts at the receiver input**: a float sample of 1.0 is 1 V.
Integer samples follow the SigMF full-scale convention (as sigmf-python's ``autoscale``):
a signed ``b``-bit integer ``n`` stands for ``n / 2**(b-1)`` (full scale ±1.0), an
unsigned one for ``(n - 2**(b-1)) / 2**(b-1)``. The integers themselves are not rescaled in
memory; the scale is carried by ``TimeSeries.volts_per_unit``::

    volts = sample_value * volts_per_unit
    volts_per_unit = V / 2**(b-1)      (integer datatypes; unsigned: offset removed first)
    volts_per_unit = V                 (float datatypes)

where ``V`` [V] is the voltage of a normalised sample of 1.0: 1 V by default, or the
namespaced extension key ``global["rfcheck:volts_per_unit"]`` when the file states it (a
positive number, declared as ``{"name": "rfcheck", "version": "0.1.0", "optional": true}``
in ``core:extensions``), or the CLI ``--volts-per-unit`` (which replaces ``V``). The
factor 1/2**(b-1) is recorded in ``Capture.metadata["sample_unit_scale"]``. A file stating
no ``V`` gets no note of the reader's: every run that measures it says the scale it took
(:func:`rfcheck.io.iq_scale.scale_notes`), and ``rfcheck info`` notes the missing key in the
wording it uses for every recording format (:func:`rfcheck.io.iq_scale.missing_scale_notes`).

References
----------
SigMF specification v1.2 (``core:datatype``, ``core:sample_rate``, captures, extensions).
"""

from __future__ import annotations

import math
import re
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from ..capture import Capture, Instrument, SampleKind, TimeSeries
from ..errors import CaptureFormatError
from ..frequency import format_hz
from ._iq import (
    MAX_CHANNELS,
    SampleLayout,
    check_sample_rate,
    check_volts_per_unit,
    map_samples,
)
from ._registry import Reader, packed_kind
from .iq_centre import real_centre_note, real_centre_refusal, unknown_centre_note
from .iq_scale import DEFAULT_SOURCE, FIELD_KEY, PER_KEY, SOURCE_KEY, default_scale_note
from .sigmf_files import (
    ARCHIVE_EXT,
    DATA_EXT,
    META_EXT,
    Source,
    check_sha512,
    open_recording,
    sigmf_companions,
)
from .sigmf_schema import SchemaViolation, check_metadata, pattern_message
from .sigmf_segments import annotations_past_end, series_name, whole_number
from .sigmf_segments import segments as capture_segments

__all__ = ["read_sigmf", "sigmf_companions", "READER", "VOLTS_PER_UNIT_KEY", "DEFAULT_SCALE_NOTE"]

#: Namespaced extension key stating the volts of a normalised sample value of 1.0. [V]
VOLTS_PER_UNIT_KEY = "rfcheck:volts_per_unit"

#: Shown where ``rfcheck receiver`` measures a recording that states no scale (the
#: documented default); ``rfcheck check`` names its own route (:mod:`rfcheck.io.iq_scale`).
#: (Float samples; integer ones say ``full scale``.)
DEFAULT_SCALE_NOTE = default_scale_note(VOLTS_PER_UNIT_KEY, "--volts-per-unit")

_DATATYPE_RE = re.compile(
    r"^(?P<kind>[rc])(?P<num>[fiu])(?P<bits>8|16|32|64)(?:_(?P<order>le|be))?$"
)
_SUPPORTED = "r/c + f32, f64, i8, i16, i32, u8, u16, u32 (+ _le/_be above 8 bits)"


def parse_datatype(datatype: Any, path: Path) -> SampleLayout:
    """Map a SigMF ``core:datatype`` string to a :class:`SampleLayout` (one channel).

    Raises
    ------
    CaptureFormatError
        Unsupported or malformed datatype, naming the file and the raw value.
    """
    m = _DATATYPE_RE.match(str(datatype))
    bad = m is None
    if m is not None:
        num, bits, order = m["num"], int(m["bits"]), m["order"]
        bad = (
            (num == "f" and bits not in (32, 64))
            or (num in "iu" and bits == 64)
            or (bits > 8 and order is None)
            or (bits == 8 and order is not None)
        )
    if bad or m is None:
        raise CaptureFormatError(
            f"core:datatype: unsupported datatype {datatype!r} (supported: {_SUPPORTED})", path
        )
    byteorder = "<" if order in (None, "le") else ">"
    component = np.dtype(f"{byteorder}{num}{bits // 8}")
    return SampleLayout(component=component, is_complex=m["kind"] == "c", label=str(datatype))


#: Metadata up to this size is checked by :func:`rfcheck.io.sigmf_schema.check_metadata`
#: (the schema's constraints by hand, ~1 ms); larger metadata (thousands of annotations)
#: goes through the ``sigmf`` package's full JSON-schema pass. [B]
FAST_SCHEMA_MAX_BYTES = 1 << 16


def _validate(meta: dict[str, Any], path: Path, size_bytes: int) -> list[str]:
    """Schema-validate the metadata; return the validator's warnings as notes.

    Small metadata (``size_bytes`` <= :data:`FAST_SCHEMA_MAX_BYTES`) is checked by hand
    (:mod:`rfcheck.io.sigmf_schema`, same constraints), larger metadata with ``sigmf``.
    """
    meta = {"captures": [], "annotations": [], **meta}
    if size_bytes <= FAST_SCHEMA_MAX_BYTES:
        try:
            found = check_metadata(meta)
        except SchemaViolation as err:
            raise CaptureFormatError(
                f"invalid SigMF metadata at {err.where}: {err}", path
            ) from None
        return [f"SigMF validation: {w}" for w in found]
    import jsonschema  # sigmf dependency
    from sigmf import schema, validate

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            validate.validate(meta, schema.get_schema())
        except jsonschema.exceptions.ValidationError as err:
            where = "/".join(str(p) for p in err.absolute_path) or "metadata"
            message = err.message
            if err.validator == "pattern":  # in words, as the hand check says it
                message = pattern_message(err.instance, str(err.validator_value))
            raise CaptureFormatError(
                f"invalid SigMF metadata at {where}: {message}", path
            ) from None
    return [f"SigMF validation: {w.message}" for w in caught]


def _number(value: Any, key: str, path: Path, *, positive: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise CaptureFormatError(f"{key}: not a finite number: {value!r}", path)
    if positive and value <= 0:
        raise CaptureFormatError(f"{key}: must be positive, got {value!r}", path)
    return float(value)


#: Global keys by which SigMF metadata declare that the dataset holds processed data
#: products (spectra, power statistics), not time samples, with the extension that defines
#: them. Only these declarations are refused; nothing is guessed from the data.
DATA_PRODUCT_KEYS = {"ntia-algorithm:data_products": "the ntia-algorithm extension"}


def _refuse_data_products(glob: Mapping[str, Any], where: Path) -> None:
    """Refuse metadata that declare processed data products (:data:`DATA_PRODUCT_KEYS`).

    NTIA's ``ntia-algorithm:data_products`` lists what the dataset holds (a power spectral
    density in dBm/Hz, power against time in dBm, an APD): dB values, which read as
    volts would be a waveform that was never recorded.

    Raises
    ------
    CaptureFormatError
        Naming the key and the products it lists.
    """
    for key, source in DATA_PRODUCT_KEYS.items():
        products = glob.get(key)
        if not products:
            continue
        items = products if isinstance(products, list) else [products]
        names = [str(p.get("name", "?")) if isinstance(p, Mapping) else str(p) for p in items]
        raise CaptureFormatError(
            f"holds processed data products, not time samples: global {key} ({source}) "
            f"lists {', '.join(names)}; rfcheck reads recorded time samples only",
            where,
        )


def _instrument(glob: Mapping[str, Any]) -> Instrument:
    """``core:hw`` is free text (``USRP B210 + LNA``): it is kept whole as the model."""
    return Instrument(model=str(glob.get("core:hw", "") or "").strip())


def _layout(glob: Mapping[str, Any], where: Path) -> SampleLayout:
    """``core:datatype`` and ``core:num_channels`` as a :class:`SampleLayout`."""
    layout = parse_datatype(glob.get("core:datatype"), where)
    n_channels = whole_number(
        glob.get("core:num_channels", 1),
        "core:num_channels",
        where,
        minimum=1,
        maximum=MAX_CHANNELS,
    )
    return SampleLayout(layout.component, layout.is_complex, n_channels, layout.label)


def _centre(
    cap0: Mapping[str, Any],
    layout: SampleLayout,
    fs: float,
    where: Path,
    notes: list[str],
    glob: Mapping[str, Any],
    absent: str = "",
    index: int = 0,
) -> tuple[SampleKind, float]:
    """Return the sample kind and centre frequency in Hz (nan when I/Q states none).

    ``cap0``: capture segment ``index``'s object (``captures[index]``).

    ``fs``: the sample rate [Hz]; ``absent``: why there is no ``captures[0]`` ("captures is
    empty" / "... missing"), else "". Real samples are the RF waveform itself (centre 0 Hz):
    a ``core:frequency`` in (0, fs/2] is noted, one above fs/2 refused
    (:func:`~rfcheck.io.iq_centre.real_centre_refusal`).

    Raises
    ------
    CaptureFormatError
        A centre frequency that is not a finite number, or is negative (an I/Q recording's
        band would lie below 0 Hz), or above fs/2 for real samples.
    """
    key = f"captures[{index}].core:frequency"
    freq = cap0.get("core:frequency")
    centre = math.nan if freq is None else _number(freq, key, where)
    if centre < 0:
        raise CaptureFormatError(
            f"{key}: the centre frequency is negative ({centre:g} Hz); "
            "a recording is centred on a frequency of 0 Hz or more",
            where,
        )
    if not layout.is_complex:
        if centre > 0:
            stated = f"{key} {format_hz(centre, digits=10)}"
            refusal = real_centre_refusal(stated, centre, fs, "a c* core:datatype")
            if refusal:
                raise CaptureFormatError(refusal, where)
            notes.append(real_centre_note(stated, fs))
        return SampleKind.REAL, 0.0
    if freq is None:
        why = absent or f"captures[{index}] has no core:frequency"
        if "core:frequency" in glob:  # a common slip: SigMF states it per capture segment
            why += "; the global object has one, but SigMF puts core:frequency in captures[]"
        notes.append(unknown_centre_note(why))
    return SampleKind.IQ, centre


def read_sigmf(path: Path) -> Capture:
    """Read a SigMF recording (``.sigmf-meta``, ``.sigmf-data`` or ``.sigmf`` archive).

    Parameters
    ----------
    path : Path
        Either file of the pair, or the archive.

    Returns
    -------
    Capture
        One :class:`~rfcheck.capture.TimeSeries` per channel (``core:num_channels``) whose
        ``samples`` are a read-only memmap; ``volts_per_unit`` as described in the module
        docstring. [V]

    Raises
    ------
    CaptureFormatError
        Invalid JSON or schema, missing data/metadata file, a ``core:dataset`` outside the
        metadata file's folder, unsupported datatype, data size not a multiple of the sample
        size, missing, non-finite or out-of-range sample rate.
    """
    src, meta, where = open_recording(path)
    glob: dict[str, Any] = meta["global"]
    _refuse_data_products(glob, where)  # before the datatype: the samples are not volts
    layout = _layout(glob, where)  # clearer messages than the schema's
    notes = _validate(meta, where, len(src.meta_raw))
    if "core:sample_rate" not in glob:
        raise CaptureFormatError(
            "global core:sample_rate is missing: the sample rate is required", where
        )
    fs = check_sample_rate(
        _number(glob["core:sample_rate"], "core:sample_rate", where, positive=True),
        "core:sample_rate",
        where,
    )
    in_archive = path.name.endswith(ARCHIVE_EXT)
    # the error's path names the data file already (x.sigmf-data: size ...); a member of an
    # archive is named in the message
    data_what = "SigMF data member" if in_archive else ""
    check_sha512(glob, src, data_what)
    _refuse_packed(src, data_what)
    segments = capture_segments(meta, src, layout, data_what, notes)
    last = segments[-1]
    past = annotations_past_end(meta, last.start + last.n_bytes // layout.frame_bytes)
    notes += [past] if past else []
    if layout.n_channels > 1:
        notes.append(f"recording has {layout.n_channels} channels: one time series each")
    v_unit = 1.0
    if VOLTS_PER_UNIT_KEY in glob:
        v_unit = _number(glob[VOLTS_PER_UNIT_KEY], VOLTS_PER_UNIT_KEY, where, positive=True)
        v_unit = check_volts_per_unit(v_unit, VOLTS_PER_UNIT_KEY, where)
    unit_scale = 1.0 / layout.full_scale
    captures = meta.get("captures")
    cap0 = (captures or [{}])[0]
    absent = "" if captures else f"captures is {'empty' if 'captures' in meta else 'missing'}"
    kind, center = _centre(cap0, layout, fs, where, notes, glob, absent)
    description = str(glob.get("core:description", "") or "")
    series: list[TimeSeries] = []
    seg_centre = center
    for seg in segments:
        if seg.index:
            seg_centre = _later_centre(
                captures or [], seg.index, seg_centre, layout, fs, where, notes
            )
        channels = map_samples(src.data_path, seg.offset, seg.n_bytes, layout, what=data_what)
        series += [
            TimeSeries(
                samples=ch,
                sample_rate_hz=fs,
                kind=kind,
                center_freq_hz=seg_centre,
                volts_per_unit=v_unit * unit_scale,
                name=series_name(description, i, layout.n_channels, seg.index, len(segments)),
                sample_format=layout.label,
                full_scale=layout.full_scale if layout.is_integer else None,
            )
            for i, ch in enumerate(channels)
        ]
    metadata = {
        "datatype": layout.label,
        "sample_unit_scale": repr(unit_scale),
        SOURCE_KEY: VOLTS_PER_UNIT_KEY if VOLTS_PER_UNIT_KEY in glob else DEFAULT_SOURCE,
        FIELD_KEY: VOLTS_PER_UNIT_KEY,
        PER_KEY: "full scale" if layout.is_integer else "sample value 1.0",
        "data_file": str(src.data_path),
        "sigmf_version": str(glob.get("core:version", "")),
        "captures": str(len(segments)),
        "annotations": str(len(meta.get("annotations") or [])),
        "center_freq": "unknown" if math.isnan(center) else repr(center),
    }
    for key in ("core:author", "core:description", "core:recorder", "core:license"):
        if glob.get(key):
            metadata[key] = str(glob[key])
    dt = cap0.get("core:datetime")
    return Capture(
        time_series=tuple(series),
        instrument=_instrument(glob),
        timestamp=str(dt) if dt else None,
        metadata=metadata,
        warnings=tuple(notes),
    )


def _later_centre(
    captures: list[Any],
    index: int,
    previous: float,
    layout: SampleLayout,
    fs: float,
    where: Path,
    notes: list[str],
) -> float:
    """Return capture segment ``index``'s centre: its own ``core:frequency``, else the previous.

    A segment that states none (a recorder writes a new segment at a timestamp or an
    overflow, stating what changed) is taken at the previous segment's centre, noted.
    """
    cap = captures[index] if index < len(captures) else {}
    if cap.get("core:frequency") is None:
        if layout.is_complex and not math.isnan(previous):
            notes.append(
                f"captures[{index}] states no core:frequency: segment {index + 1} is taken at "
                f"the previous segment's centre, {format_hz(previous, digits=10)}"
            )
        return previous
    kind_notes: list[str] = []
    _, centre = _centre(cap, layout, fs, where, kind_notes, {}, index=index)
    notes += kind_notes
    return centre


def _refuse_packed(src: Source, what: str) -> None:
    """Refuse a compressed data file (a gzipped ``.sigmf-data``), named as such.

    Its bytes are not samples: read as them it met the size or the non-finite check, with
    advice on the scale that cannot help.
    """
    try:
        with open(src.data_path, "rb") as fh:
            fh.seek(src.data_offset)
            head = fh.read(8)
    except OSError:  # reading it reports the error
        return
    packed = packed_kind(head)
    if packed is not None:
        raise CaptureFormatError(
            f"{what or 'the data file'} is {packed}: SigMF samples are stored uncompressed; "
            "unpack it first",
            src.data_path,
        )


def _sniff(head: bytes, path: Path) -> bool:
    name = path.name.lower()
    if name.endswith((META_EXT, DATA_EXT, ARCHIVE_EXT)):
        return True
    return head.lstrip().startswith(b"{") and b'"core:datatype"' in head


READER = Reader(
    name="sigmf",
    title="SigMF recording (.sigmf-meta + .sigmf-data, or .sigmf archive)",
    extensions=(META_EXT, DATA_EXT, ARCHIVE_EXT),
    signature='file name ends .sigmf-meta/.sigmf-data/.sigmf, or JSON with "core:datatype"',
    sniff=_sniff,
    read=read_sigmf,
    priority=40,
    companions=sigmf_companions,
)
