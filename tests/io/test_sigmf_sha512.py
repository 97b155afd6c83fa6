"""SigMF ``core:sha512`` is checked: a data file cut short, swapped or altered is refused.

It was ignored ("it would read the whole dataset"), though provenance hashing reads the
whole data file anyway: a recording whose data was cut to half was judged with no word.
The digest covers the dataset file, or the data member of a ``.sigmf``
archive (SigMF v1.2, ``core:sha512``).
"""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
from pathlib import Path

import numpy as np
import pytest

from rfcheck.errors import CaptureFormatError
from rfcheck.io import load_capture

from .test_io_iq import write_sigmf

DATA = np.arange(64, dtype=np.float32).tobytes()  # 32 cf32 samples


def _recording(tmp_path: Path, data: bytes, stated_for: bytes) -> Path:
    sha = hashlib.sha512(stated_for).hexdigest()
    return write_sigmf(tmp_path, "rec", data, "cf32_le", extra_global={"core:sha512": sha})


def test_matching_sha512_is_read(tmp_path: Path) -> None:
    cap = load_capture(_recording(tmp_path, DATA, DATA))
    assert cap.time_series[0].samples.shape == (32,)


@pytest.mark.parametrize(
    "data", [DATA[: len(DATA) // 2], DATA[8:] + DATA[:8]], ids=["cut", "swapped"]
)
@pytest.mark.parametrize("named", ["rec.sigmf-meta", "rec.sigmf-data"])
def test_data_that_is_not_the_stated_sha512_is_refused(
    tmp_path: Path, data: bytes, named: str
) -> None:
    _recording(tmp_path, data, DATA)
    with pytest.raises(CaptureFormatError) as info:
        load_capture(tmp_path / named)
    found, stated = hashlib.sha512(data).hexdigest(), hashlib.sha512(DATA).hexdigest()
    assert str(info.value) == (
        f"{tmp_path / 'rec.sigmf-data'}: the data's SHA-512 is {found[:16]}..., the "
        f"metadata's core:sha512 {stated[:16]}...: the data is not the recording the "
        "metadata describes (cut short, swapped or altered)"
    )


def _archive(path: Path, data: bytes, stated_for: bytes) -> Path:
    glob = {
        "core:datatype": "cf32_le",
        "core:version": "1.2.0",
        "core:sample_rate": 1e6,
        "core:sha512": hashlib.sha512(stated_for).hexdigest(),
    }
    meta = {"global": glob, "captures": [{"core:sample_start": 0, "core:frequency": 1e8}]}
    with tarfile.open(path, "w") as tar:
        for name, payload in (
            ("r/r.sigmf-meta", json.dumps(meta).encode()),
            ("r/r.sigmf-data", data),
        ):
            info = tarfile.TarInfo(name)
            info.size = len(payload)
            tar.addfile(info, io.BytesIO(payload))
    return path


def test_archive_data_member_is_checked(tmp_path: Path) -> None:
    assert load_capture(_archive(tmp_path / "ok.sigmf", DATA, DATA)).time_series
    bad = _archive(tmp_path / "bad.sigmf", DATA[:64], DATA)
    with pytest.raises(
        CaptureFormatError, match=r"^.*bad\.sigmf: SigMF data member: the data's SHA-512 is "
    ):
        load_capture(bad)


def test_uppercase_stated_digest_matches(tmp_path: Path) -> None:
    meta = write_sigmf(
        tmp_path, "rec", DATA, "cf32_le",
        extra_global={"core:sha512": hashlib.sha512(DATA).hexdigest().upper()},
    )  # fmt: skip
    assert load_capture(meta).time_series
