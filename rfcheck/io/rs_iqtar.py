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
                     baseband); ``polar`` is refused (magnitude/phase pairs).
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
from pathlib import Path, PurePosixPath

import numpy as np

from ..capture import Capture, Instrument, SampleKind, TimeSeries
from ..errors import CaptureFormatError
from ..frequency import FREQ_UNIT_SCALE
from . import Reader
from ._iq import SampleLayout, map_samples

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
_CENTER_TAGS = re.compile(r"^(cent(er|re)_?freq(uency)?|rf_?freq(uency)?|frequency)$", re.IGNORECASE)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _text(root: ET.Element, tag: str) -> str | None:
    el = root.find(tag)
    if el is None or el.text is None or not el.text.strip():
        return None
    return el.text.strip()


def _float(root: ET.Element, tag: str, path: Path, *, required: bool, positive: bool = False) -> float | None:
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
        raise CaptureFormatError(f"iq-tar header: <{tag}> must be a positive number, got {raw!r}", path)
    return value


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
        if unit not in FREQ_UNIT_SCALE:
            raise CaptureFormatError(f"iq-tar UserData <{_local(el.tag)}>: unknown unit {unit!r}", path)
        try:
            value = float(raw) * FREQ_UNIT_SCALE[unit]
        except ValueError:
            raise CaptureFormatError(
                f"iq-tar UserData <{_local(el.tag)}>: not a number: {raw!r}", path
            ) from None
        if math.isfinite(value) and value >= 0:
            return value
        raise CaptureFormatError(f"iq-tar UserData <{_local(el.tag)}>: invalid frequency {raw!r}", path)
    return None


def _parse_header(raw: bytes, member: str, path: Path) -> ET.Element:
    try:
        root = ET.fromstring(raw)
    except ET.ParseError as err:
        line = err.position[0] if err.position else None
        raise CaptureFormatError(f"iq-tar header {member}: malformed XML ({err})", path, line) from None
    if _local(root.tag) != ROOT_TAG:
        raise CaptureFormatError(f"iq-tar header {member}: root element is <{_local(root.tag)}>, not <{ROOT_TAG}>", path)
    return root


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
        Not a tar, no/corrupt XML header, missing data member, unsupported Format or
        DataType, data size not a multiple of the sample size, fewer samples than declared.
    """
    notes: list[str] = []
    try:
        with tarfile.open(path, "r:") as tar:
            members = [m for m in tar.getmembers() if m.isfile()]
            xmls = [m for m in members if m.name.lower().endswith(".xml")]
            if not xmls:
                raise CaptureFormatError("iq-tar holds no XML header (*.xml member)", path)
            header = None
            for m in xmls:
                fh = tar.extractfile(m)
                raw = fh.read() if fh is not None else b""
                if ROOT_TAG.encode() in raw or header is None:
                    header = (m, raw)
                if ROOT_TAG.encode() in raw:
                    break
            if header is None:  # pragma: no cover - xmls is non-empty
                raise CaptureFormatError("iq-tar holds no XML header", path)
            xml_member, xml_raw = header
            root = _parse_header(xml_raw, xml_member.name, path)
            data_name = _text(root, "DataFilename")
            if data_name is None:
                raise CaptureFormatError(f"iq-tar header {xml_member.name}: <DataFilename> is missing", path)
            wanted = PurePosixPath(xml_member.name).parent / data_name
            data = [m for m in members if PurePosixPath(m.name) == wanted]
            data = data or [m for m in members if PurePosixPath(m.name).name == data_name]
            if not data:
                raise CaptureFormatError(f"iq-tar has no data member {data_name!r} (named by <DataFilename>)", path)
            data_offset, data_size = data[0].offset_data, data[0].size
    except tarfile.TarError as err:
        raise CaptureFormatError(f"not a readable (uncompressed) iq-tar file: {err} (truncated?)", path) from None
    if data_offset + data_size > path.stat().st_size:
        raise CaptureFormatError(f"iq-tar is truncated: data member {data_name!r} ends past the end of the file", path)

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
    fs = _float(root, "Clock", path, required=True, positive=True)
    if clock_unit not in FREQ_UNIT_SCALE:
        raise CaptureFormatError(f"iq-tar <Clock>: unknown unit {clock_unit!r}", path)
    fs = float(fs or 0.0) * FREQ_UNIT_SCALE[clock_unit]
    samples = _float(root, "Samples", path, required=True, positive=True)
    n_samples = int(samples or 0)
    n_channels = int(_float(root, "NumberOfChannels", path, required=False, positive=True) or 1)
    scaling = _float(root, "ScalingFactor", path, required=False, positive=True)
    if scaling is None:
        scaling = 1.0
        notes.append("iq-tar has no <ScalingFactor>: samples taken as volts; state the scale with --volts-per-unit")
    else:
        sf_el = root.find("ScalingFactor")
        sf_unit = sf_el.get("unit", "V") if sf_el is not None else "V"
        if sf_unit.strip() != "V":
            raise CaptureFormatError(f"iq-tar <ScalingFactor> unit {sf_unit!r} is not V", path)

    layout = SampleLayout(np.dtype(_DATATYPES[dtype_name]), fmt == "complex", n_channels, f"{fmt} {dtype_name}")
    if data_size < n_samples * layout.frame_bytes:
        raise CaptureFormatError(
            f"iq-tar data member {data_name!r} holds {data_size} bytes, fewer than the "
            f"{n_samples} samples x {layout.frame_bytes} bytes declared by <Samples> (truncated?)",
            path,
        )
    if data_size % layout.frame_bytes:
        raise CaptureFormatError(
            f"iq-tar data member {data_name!r}: size {data_size} bytes is not a multiple of the "
            f"sample size {layout.frame_bytes} bytes ({layout.label}, {n_channels} channel(s))",
            path,
        )
    if data_size > n_samples * layout.frame_bytes:
        notes.append(f"data member holds more than the {n_samples} samples declared; the rest is ignored")
    channels = map_samples(
        path,
        data_offset,
        data_size,
        layout,
        n_samples=n_samples,
        what=f"iq-tar data member {data_name!r}",
    )

    center = _center_frequency(root, path)
    if fmt == "complex":
        kind = SampleKind.IQ
        if center is None:
            center_hz = math.nan
            notes.append(
                "no centre frequency in the iq-tar UserData: it is unknown; the receiver "
                "needs --center-freq"
            )
        else:
            center_hz = center
    else:
        kind = SampleKind.REAL
        center_hz = 0.0
        if center:
            notes.append(
                f"UserData centre frequency {center:g} Hz ignored: real samples are taken as "
                "the RF waveform itself (0 Hz baseband)"
            )
    if n_channels > 1:
        notes.append(f"recording has {n_channels} channels: one time series each")
    series = tuple(
        TimeSeries(
            samples=ch,
            sample_rate_hz=fs,
            kind=kind,
            center_freq_hz=center_hz,
            volts_per_unit=scaling,
            name=f"Channel {i + 1}",
        )
        for i, ch in enumerate(channels)
    )
    metadata = {
        "file_format_version": version,
        "header_member": xml_member.name,
        "data_member": data_name,
        "datatype": layout.label,
        "scaling_factor_v": repr(scaling),
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
