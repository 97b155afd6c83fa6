"""Rohde & Schwarz iq-tar recordings (``.iq.tar``), file format versions 1 and 2.

An iq-tar is an uncompressed tar holding an XML header (root ``RS_IQ_TAR_FileFormat``),
the binary samples (``<name>.<complex|real|polar>.<N>ch.<int8|int16|int32|float32|float64>``)
and usually an ``.xslt`` stylesheet for web browsers (ignored). The samples are
memory-mapped read-only at the tar member's data offset (see :mod:`rfcheck.io._iq`).

Header map
----------
==================  =====================================================================
XML element          Use
==================  =====================================================================
Samples              Samples per channel; the data member must hold at least that many.
Clock (unit Hz)      Sample rate. [Hz]
Format               ``complex`` -> IQ series; ``real`` -> REAL series (RF waveform, 0 Hz
                     baseband: a UserData centre above fs/2 is refused, the samples would be
                     a real IF); ``polar`` is refused (magnitude/phase pairs).
DataType             int8, int16, int32, int64, float32, float64 (little-endian).
ScalingFactor (V)    Volts per raw sample value (R&S: value x ScalingFactor = volts; int16
                     with 1 V full scale has 1/2**15). Becomes ``volts_per_unit``. Absent:
                     1 V per unit, with a warning.
NumberOfChannels     Interleaved channels; one TimeSeries per channel (``Channel 1`` ...).
DataFilename         The data member's name.
DateTime, Name       Timestamp and instrument model.
UserData             Searched for a centre frequency element (``CenterFrequency``,
                     ``CentreFrequency``, ``Center_Frequency``, ``CenterFreq``,
                     ``RFFrequency``, ``Frequency``; ``unit`` attribute Hz/kHz/MHz/GHz).
PreviewData          Ignored (the instrument's spectrum/PvT preview, not measurement data).
==================  =====================================================================

Archive members
---------------
Every member must be a regular file or a folder with a relative name: an absolute name,
a ``..`` component, a symbolic or hard link, a device and a sparse member (GNU or PAX) are
refused, since the samples are mapped straight from the member's bytes in the archive.
The header XML is parsed with ``defusedxml`` (no DTDs, entities or external references).

Unknown centre frequency
------------------------
iq-tar has no standard centre-frequency element; R&S analysers put it in ``UserData``.
When none is found the IQ series gets ``center_freq_hz = nan`` (never a guessed 0), the
capture's warnings and ``metadata["center_freq"] = "unknown"`` say so, and ``rfcheck
receiver`` refuses to scan unless ``--center-freq`` states it.

References
----------
R&S FSW/FSV/ESR user manuals, annex "I/Q Data File Format (iq-tar)".
"""

from __future__ import annotations

import math
import re
import tarfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import defusedxml.ElementTree as DefusedET
import numpy as np
from defusedxml import DefusedXmlException

from ..capture import Capture, Instrument, SampleKind, TimeSeries
from ..errors import CaptureFormatError
from ..frequency import format_hz
from ._files import check_regular
from ._iq import (
    MAX_CHANNELS,
    SampleLayout,
    check_sample_rate,
    check_volts_per_unit,
    map_samples,
)
from ._registry import Reader
from ._tar import check_member
from .iq_centre import real_centre_note, real_centre_refusal, unknown_centre_note
from .iq_scale import DEFAULT_SOURCE, FIELD_KEY, PER_KEY, SOURCE_KEY, missing_scale_note

__all__ = ["read_rs_iqtar", "READER"]

ROOT_TAG = "RS_IQ_TAR_FileFormat"
_KNOWN_VERSIONS = ("1", "2")
_DATATYPES = {
    "int8": "<i1",
    "int16": "<i2",
    "int32": "<i4",
    "int64": "<i8",
    "float32": "<f4",
    "float64": "<f8",
}
_CENTER_TAGS = re.compile(
    r"^(cent(er|re)_?freq(uency)?|rf_?freq(uency)?|frequency)$", re.IGNORECASE
)
_FREQ_UNITS = {"hz": 1.0, "khz": 1e3, "mhz": 1e6, "ghz": 1e9}
#: The header element stating the scale, as the notes name it.
_SCALING = "<ScalingFactor>"
#: Largest XML header read. [B]
_MAX_XML_BYTES = 16 * 1024 * 1024


@dataclass(frozen=True)
class _Members:
    """Where the header and the samples sit inside the archive."""

    xml_name: str
    xml_raw: bytes
    data_name: str
    data_offset: int  #: byte offset of the samples in the archive file [B]
    data_size: int  #: [B]


@dataclass(frozen=True)
class _Header:
    """The header fields that decide how the samples are read."""

    version: str
    fmt: str  #: ``complex`` or ``real``
    dtype_name: str
    sample_rate_hz: float  #: [Hz]
    n_samples: int
    n_channels: int
    scaling_v: float  #: volts per raw sample value [V]


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _text(root: ET.Element, tag: str) -> str | None:
    el = root.find(tag)
    if el is None or el.text is None or not el.text.strip():
        return None
    return el.text.strip()


def _float(
    root: ET.Element, tag: str, path: Path, *, required: bool, positive: bool = False
) -> float | None:
    raw = _text(root, tag)
    if raw is None:
        if required:
            raise CaptureFormatError(f"iq-tar header: <{tag}> is missing or empty", path)
        return None
    try:
        value = float(raw)
    except ValueError:
        raise CaptureFormatError(f"iq-tar header: <{tag}> is not a number: {raw!r}", path) from None
    if not math.isfinite(value) or (positive and value <= 0):
        raise CaptureFormatError(
            f"iq-tar header: <{tag}> must be a positive number, got {raw!r}", path
        )
    return value


#: Largest ``<Samples>`` / ``<NumberOfChannels>`` read as a whole number (2**53).
_MAX_COUNT = 2.0**53


def _count(root: ET.Element, tag: str, path: Path, *, default: int | None) -> int:
    """Return a positive whole number (``<Samples>``, ``<NumberOfChannels>``)."""
    value = _float(root, tag, path, required=default is None, positive=True)
    if value is None:
        return int(default or 0)
    if value > _MAX_COUNT:  # beyond exact integers: no file holds that many
        raise CaptureFormatError(f"iq-tar header: <{tag}> {_text(root, tag)!r} is too large", path)
    if value != int(value):
        raise CaptureFormatError(
            f"iq-tar header: <{tag}> must be a whole number, got {_text(root, tag)!r}", path
        )
    return int(value)


def _center_frequency(root: ET.Element, path: Path) -> float | None:
    user = root.find("UserData")
    if user is None:
        return None
    candidates = [el for el in user.iter() if _CENTER_TAGS.match(_local(el.tag))]
    # Prefer explicit centre-frequency spellings over a bare <Frequency>.
    candidates.sort(key=lambda el: _local(el.tag).lower() == "frequency")
    for el in candidates:
        raw = (el.text or "").strip()
        if not raw:
            continue
        unit = el.get("unit", "Hz").strip().lower()
        if unit not in _FREQ_UNITS:
            raise CaptureFormatError(
                f"iq-tar UserData <{_local(el.tag)}>: unknown unit {unit!r}", path
            )
        try:
            value = float(raw) * _FREQ_UNITS[unit]
        except ValueError:
            raise CaptureFormatError(
                f"iq-tar UserData <{_local(el.tag)}>: not a number: {raw!r}", path
            ) from None
        if math.isfinite(value) and value >= 0:
            return value
        raise CaptureFormatError(
            f"iq-tar UserData <{_local(el.tag)}>: invalid frequency {raw!r}", path
        )
    return None


def _parse_header(raw: bytes, member: str, path: Path) -> ET.Element:
    """Return the XML header's root element, parsed with ``defusedxml`` (no DTD, entities, URLs)."""
    try:
        root: ET.Element = DefusedET.fromstring(raw, forbid_dtd=True)
    except ET.ParseError as err:
        line = err.position[0] if err.position else None
        raise CaptureFormatError(
            f"iq-tar header {member}: malformed XML ({err})", path, line
        ) from None
    except DefusedXmlException as err:
        raise CaptureFormatError(
            f"iq-tar header {member}: refused XML construct ({type(err).__name__})", path
        ) from None
    if _local(root.tag) != ROOT_TAG:
        raise CaptureFormatError(
            f"iq-tar header {member}: root element is <{_local(root.tag)}>, not <{ROOT_TAG}>", path
        )
    return root


def _find_header(
    tar: tarfile.TarFile, members: list[tarfile.TarInfo], path: Path
) -> tuple[str, bytes]:
    """Return the XML member holding the ``RS_IQ_TAR_FileFormat`` root (else the first XML)."""
    xmls = [m for m in members if m.name.lower().endswith(".xml")]
    if not xmls:
        raise CaptureFormatError("iq-tar holds no XML header (*.xml member)", path)
    first: tuple[str, bytes] | None = None
    for m in xmls:
        if m.size > _MAX_XML_BYTES:
            raise CaptureFormatError(
                f"iq-tar XML member {m.name!r} is {m.size} bytes (more than {_MAX_XML_BYTES})", path
            )
        fh = tar.extractfile(m)
        raw = fh.read() if fh is not None else b""
        if ROOT_TAG.encode() in raw:
            return m.name, raw
        first = first or (m.name, raw)
    return first or (xmls[0].name, b"")


def _open_members(path: Path) -> tuple[_Members, ET.Element]:
    """Check every member, read the XML header and locate the data member.

    Raises
    ------
    CaptureFormatError
        Not a tar, a refused member, no header, no data member, truncated archive.
    """
    try:
        with tarfile.open(path, "r:") as tar:
            all_members = tar.getmembers()
            for m in all_members:
                check_member(m, path, "iq-tar")
            members = [m for m in all_members if m.isfile()]
            xml_name, xml_raw = _find_header(tar, members, path)
    except tarfile.TarError as err:
        raise CaptureFormatError(
            f"not a readable (uncompressed) iq-tar file: {err} (truncated?)", path
        ) from None
    root = _parse_header(xml_raw, xml_name, path)
    data_name = _text(root, "DataFilename")
    if data_name is None:
        raise CaptureFormatError(f"iq-tar header {xml_name}: <DataFilename> is missing", path)
    wanted = PurePosixPath(xml_name).parent / data_name
    data = [m for m in members if PurePosixPath(m.name) == wanted]
    data = data or [m for m in members if PurePosixPath(m.name).name == data_name]
    if not data:
        raise CaptureFormatError(
            f"iq-tar has no data member {data_name!r} (named by <DataFilename>)", path
        )
    found = _Members(xml_name, xml_raw, data_name, data[0].offset_data, data[0].size)
    if found.data_offset + found.data_size > check_regular(path).st_size:
        raise CaptureFormatError(
            f"iq-tar is truncated: data member {data_name!r} ends past the end of the file", path
        )
    return found, root


def _read_header(root: ET.Element, path: Path, notes: list[str]) -> _Header:
    """Validate the fields that decide how the samples are read (see the header map)."""
    version = root.get("fileFormatVersion", "")
    if version not in _KNOWN_VERSIONS:
        notes.append(f"iq-tar fileFormatVersion {version!r} is not 1 or 2; read as version 2")
    fmt = (_text(root, "Format") or "").lower()
    if fmt not in ("complex", "real"):
        raise CaptureFormatError(
            f"iq-tar <Format> {fmt or '(missing)'!r} is not supported (complex or real)", path
        )
    dtype_name = (_text(root, "DataType") or "").lower()
    if dtype_name not in _DATATYPES:
        raise CaptureFormatError(
            f"iq-tar <DataType> {dtype_name or '(missing)'!r} is not supported "
            f"({', '.join(_DATATYPES)})",
            path,
        )
    clock_el = root.find("Clock")
    clock_unit = (clock_el.get("unit", "Hz") if clock_el is not None else "Hz").strip().lower()
    clock = _float(root, "Clock", path, required=True, positive=True)
    if clock_unit not in _FREQ_UNITS:
        raise CaptureFormatError(f"iq-tar <Clock>: unknown unit {clock_unit!r}", path)
    fs = check_sample_rate(float(clock or 0.0) * _FREQ_UNITS[clock_unit], "iq-tar <Clock>", path)
    n_channels = _count(root, "NumberOfChannels", path, default=1)
    if n_channels > MAX_CHANNELS:
        raise CaptureFormatError(
            f"iq-tar <NumberOfChannels> {n_channels} is more than {MAX_CHANNELS}", path
        )
    return _Header(
        version=version,
        fmt=fmt,
        dtype_name=dtype_name,
        sample_rate_hz=fs,
        n_samples=_count(root, "Samples", path, default=None),
        n_channels=n_channels,
        scaling_v=_scaling(root, path, notes),
    )


def _scaling(root: ET.Element, path: Path, notes: list[str]) -> float:
    """Return ``<ScalingFactor>`` in volts per raw value; 1 V with a note when absent."""
    scaling = _float(root, "ScalingFactor", path, required=False, positive=True)
    if scaling is None:
        notes.append(missing_scale_note(_SCALING))
        return 1.0
    sf_el = root.find("ScalingFactor")
    sf_unit = sf_el.get("unit", "V") if sf_el is not None else "V"
    if sf_unit.strip() != "V":
        raise CaptureFormatError(f"iq-tar <ScalingFactor> unit {sf_unit!r} is not V", path)
    return check_volts_per_unit(scaling, "iq-tar <ScalingFactor>", path)


def _check_data_size(
    members: _Members, hdr: _Header, layout: SampleLayout, path: Path, notes: list[str]
) -> None:
    """Check that the data member holds whole frames and at least the declared samples."""
    size, name = members.data_size, members.data_name
    if size < hdr.n_samples * layout.frame_bytes:
        raise CaptureFormatError(
            f"iq-tar data member {name!r} holds {size} bytes, fewer than the "
            f"{hdr.n_samples} samples x {layout.frame_bytes} bytes declared by <Samples> "
            "(truncated?)",
            path,
        )
    if size % layout.frame_bytes:
        raise CaptureFormatError(
            f"iq-tar data member {name!r}: size {size} bytes is not a multiple of the "
            f"sample size {layout.frame_bytes} bytes ({layout.label}, {hdr.n_channels} channel(s))",
            path,
        )
    if size > hdr.n_samples * layout.frame_bytes:
        extra = size // layout.frame_bytes - hdr.n_samples
        notes.append(
            f"data member holds {extra} samples more than the {hdr.n_samples} declared by "
            "<Samples>; they are not used"
        )


def _centre(
    root: ET.Element, hdr: _Header, path: Path, notes: list[str]
) -> tuple[SampleKind, float]:
    """Return the sample kind and centre frequency in Hz (nan when I/Q states none).

    Real samples are the RF waveform itself (centre 0 Hz): a UserData centre in (0, fs/2] is
    noted, one above fs/2 refused (:func:`~rfcheck.io.iq_centre.real_centre_refusal`).
    """
    center = _center_frequency(root, path)
    if hdr.fmt == "real":
        if center:  # real samples are the RF waveform itself: a centre above fs/2 contradicts
            stated = f"iq-tar UserData centre frequency {format_hz(center, digits=10)}"
            refusal = real_centre_refusal(stated, center, hdr.sample_rate_hz, "Format complex")
            if refusal:
                raise CaptureFormatError(refusal, path)
            notes.append(real_centre_note(stated, hdr.sample_rate_hz))
        return SampleKind.REAL, 0.0
    if center is None:
        notes.append(unknown_centre_note("no centre frequency in the iq-tar UserData"))
        return SampleKind.IQ, math.nan
    return SampleKind.IQ, center


def read_rs_iqtar(path: Path) -> Capture:
    """Read an R&S iq-tar recording.

    Parameters
    ----------
    path : Path
        The ``.iq.tar`` file.

    Returns
    -------
    Capture
        One :class:`~rfcheck.capture.TimeSeries` per channel; ``samples`` are read-only
        memmaps, ``volts_per_unit`` = ScalingFactor [V], ``center_freq_hz`` from UserData
        (nan when absent, see the module docstring). [Hz]

    Raises
    ------
    CaptureFormatError
        Not a tar, a refused member (absolute, ``..``, link, sparse), no/corrupt XML header,
        missing data member, unsupported Format or DataType, a sample rate, sample count or
        channel count out of range, data size not a multiple of the sample size, fewer
        samples than declared.
    """
    notes: list[str] = []
    members, root = _open_members(path)
    hdr = _read_header(root, path, notes)
    layout = SampleLayout(
        np.dtype(_DATATYPES[hdr.dtype_name]),
        hdr.fmt == "complex",
        hdr.n_channels,
        f"{hdr.fmt} {hdr.dtype_name}",
    )
    _check_data_size(members, hdr, layout, path, notes)
    channels = map_samples(
        path,
        members.data_offset,
        members.data_size - members.data_size % layout.frame_bytes,
        layout,
        n_samples=hdr.n_samples,
        what=f"iq-tar data member {members.data_name!r}",
    )
    kind, center_hz = _centre(root, hdr, path, notes)
    if hdr.n_channels > 1:
        notes.append(f"recording has {hdr.n_channels} channels: one time series each")
    series = tuple(
        TimeSeries(
            samples=ch,
            sample_rate_hz=hdr.sample_rate_hz,
            kind=kind,
            center_freq_hz=center_hz,
            volts_per_unit=hdr.scaling_v,
            name=f"Channel {i + 1}",
            sample_format=layout.label,
            full_scale=layout.full_scale if layout.is_integer else None,
        )
        for i, ch in enumerate(channels)
    )
    metadata = {
        "file_format_version": hdr.version,
        "header_member": members.xml_name,
        "data_member": members.data_name,
        "datatype": layout.label,
        "scaling_factor_v": repr(hdr.scaling_v),
        SOURCE_KEY: _SCALING if _text(root, "ScalingFactor") is not None else DEFAULT_SOURCE,
        FIELD_KEY: _SCALING,
        PER_KEY: "raw count" if layout.is_integer else "sample value 1.0",
        "sample_unit_scale": "1.0",
        "center_freq": "unknown" if math.isnan(center_hz) else repr(center_hz),
        "preview_data": "ignored" if root.find("PreviewData") is not None else "absent",
    }
    comment = _text(root, "Comment")
    if comment:
        metadata["comment"] = comment
    name = _text(root, "Name") or ""
    return Capture(
        time_series=series,
        instrument=Instrument(vendor="Rohde & Schwarz", model=name) if name else Instrument(),
        timestamp=_text(root, "DateTime"),
        metadata=metadata,
        warnings=tuple(notes),
    )


def _tar_checksum_ok(block: bytes) -> bool:
    """Validate a tar header block's checksum (ustar and pre-POSIX v7 headers alike)."""
    if len(block) < 512:
        return False
    field = block[148:156].replace(b"\x00", b" ").strip()
    try:
        stored = int(field, 8)
    except ValueError:
        return False
    return stored == sum(block[:148]) + 8 * 32 + sum(block[156:512])


def _sniff(head: bytes, path: Path) -> bool:
    if not _tar_checksum_ok(head[:512]):
        return False
    first = head[:100].split(b"\x00", 1)[0].lower()
    return first.endswith((b".xml", b".xslt")) and b"RS_IQ_TAR" in head


READER = Reader(
    name="rs-iqtar",
    title="Rohde & Schwarz iq-tar I/Q recording (.iq.tar)",
    extensions=(".iq.tar",),
    signature="tar whose first member is .xml/.xslt and whose head holds RS_IQ_TAR",
    sniff=_sniff,
    read=read_rs_iqtar,
    priority=40,
)
