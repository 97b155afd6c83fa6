"""Report ids that mean something: SHA-256 of the inputs, effective settings and rfcheck version.

Two runs share an id only when every input file (role, path, SHA-256), every effective
setting and the rfcheck version are equal, i.e. when they are the same result; the lab's
revision number is appended so a re-issue is told apart (a dossier's revision is a line of its
setup file, a hashed input, so a bumped revision comes with another digest too). The full digest
is kept for the JSON; the printed id carries its first 20 hex digits (80 bits).
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import hashlib
import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import Enum
from pathlib import PurePath
from typing import Any

from ._version import __version__

__all__ = ["InputFile", "ReportId", "canonical_settings", "plain", "report_id"]

#: Printed length of the digest. [hex digits]
ID_HEX_DIGITS = 20


@dataclass(frozen=True)
class InputFile:
    """One input of a result.

    Its role (``capture``, ``setup``, ``transducer``, ``photo``...), its path relative to the inputs
    folder (POSIX separators) and the SHA-256 of its bytes.
    """

    path: str
    sha256: str
    role: str = "capture"
    size_bytes: int | None = None

    def as_dict(self) -> dict[str, Any]:
        """``{"role", "path", "sha256"[, "size_bytes"]}`` as the manifest stores it."""
        out: dict[str, Any] = {"role": self.role, "path": self.path, "sha256": self.sha256}
        if self.size_bytes is not None:
            out["size_bytes"] = self.size_bytes
        return out


@dataclass(frozen=True)
class ReportId:
    """A report id: ``digest`` (64 hex), the lab's ``revision`` (None: not stated)."""

    digest: str
    revision: int | None

    @property
    def text(self) -> str:
        """``RFC-<20 hex>-r<revision>`` (no ``-r`` part when the revision is not stated)."""
        base = f"RFC-{self.digest[:ID_HEX_DIGITS].upper()}"
        return base if self.revision is None else f"{base}-r{self.revision}"

    def as_dict(self) -> dict[str, Any]:
        """``{"id", "sha256", "revision"}`` for the JSON and the manifest."""
        return {"id": self.text, "sha256": self.digest, "revision": self.revision}


def plain(value: Any) -> Any:
    """Return ``value`` as JSON-able data with one spelling per value.

    Dataclasses and mappings become objects, enums their value, paths POSIX strings, dates ISO
    strings, integral floats integers.
    """
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Enum):
        return plain(value.value)
    if isinstance(value, PurePath):
        return value.as_posix()
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [plain(v) for v in value]
        return sorted(items, key=json.dumps) if isinstance(value, set | frozenset) else items
    if isinstance(value, float):
        if not math.isfinite(value):
            return repr(value)
        return int(value) if value.is_integer() else value
    if value is None or isinstance(value, bool | int | str):
        return value
    return repr(value)


def canonical_settings(settings: Any) -> str:
    """One canonical JSON text for settings (dataclass, mapping, or nested mix of them).

    Equal settings give equal text whatever their container or key order; ``3`` and ``3.0``
    are the same setting.
    """
    return json.dumps(plain(settings), sort_keys=True, separators=(",", ":"), ensure_ascii=True)


def report_id(
    inputs: Iterable[InputFile],
    settings: Any,
    *,
    revision: int | None = None,
    version: str = __version__,
) -> ReportId:
    """Return the id of the result of judging ``inputs`` with ``settings`` by rfcheck ``version``.

    Parameters
    ----------
    inputs : iterable of InputFile
        Every file the result depends on (order does not matter).
    settings : dataclass or Mapping
        The effective settings (after the setup's rules and the command-line overrides).
    revision : int, optional
        The lab's revision number (``[test] revision``); not part of the digest itself (the
        setup file that states it is, when it is an input).
    version : str
        rfcheck version that produced the result.
    """
    payload = {
        "rfcheck_version": version,
        "inputs": sorted(
            ({"role": f.role, "path": f.path, "sha256": f.sha256} for f in inputs),
            key=lambda d: (d["path"], d["role"], d["sha256"]),
        ),
        "settings": json.loads(canonical_settings(settings)),
    }
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return ReportId(digest=hashlib.sha256(text.encode("utf-8")).hexdigest(), revision=revision)
