"""Inputs of a batch: folder discovery, safe per-capture folder names, and the settings
digest that decides whether a capture's outputs are up to date. The rules are stated in
:mod:`rfcheck.batch`.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from pathlib import Path, PurePosixPath
from typing import Any

from ._version import __version__
from .io import file_sha256
from .settings import CheckSettings, Setup

__all__ = [
    "OUTPUT_MARKER",
    "BatchInput",
    "DiscoveryStats",
    "write_output_marker",
    "input_companions",
    "setup_files",
    "absolute_paths",
    "discover",
    "discover_inputs",
    "glob_match",
    "capture_folder_names",
    "settings_digest",
    "no_limit_message",
    "display_pairs",
    "display_run",
]

_MAX_NAME = 120

#: Written into every folder rfcheck writes reports to (``batch --out``, ``check --out``);
#: discovery never descends into a folder holding it, so earlier output is never an input.
OUTPUT_MARKER = ".rfcheck-output"
_MARKER_TEXT = (
    "This folder holds rfcheck output. 'rfcheck batch' skips it when walking for captures.\n"
)
_WINDOWS_DEVICES = {"con", "prn", "aux", "nul"} | {
    f"{p}{i}" for p in ("com", "lpt") for i in range(1, 10)
}


# --------------------------------------------------------------------------- discovery
def _glob_regex(pattern: str) -> re.Pattern[str]:
    out, i, n = [], 0, len(pattern)
    while i < n:
        c = pattern[i]
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif c == "*":
            out.append("[^/]*")
            i += 1
        elif c == "?":
            out.append("[^/]")
            i += 1
        elif c == "[" and "]" in pattern[i + 2 :]:
            j = pattern.index("]", i + 2)
            body = pattern[i + 1 : j]
            body = "^" + body[1:] if body.startswith("!") else body
            out.append("[" + body.replace("\\", "\\\\") + "]")
            i = j + 1
        else:
            out.append(re.escape(c))
            i += 1
    return re.compile("".join(out) + r"\Z")


def glob_match(rel_path: str, pattern: str) -> bool:
    """Whether a relative POSIX path matches a batch include/exclude glob.

    ``*``/``?`` match within one path component, ``**`` spans components (``**/x`` also
    matches ``x`` at the top level); a pattern without ``/`` is matched against the last
    component (the file name) only. Case-sensitive.
    """
    if "/" not in pattern:
        return _glob_regex(pattern).match(PurePosixPath(rel_path).name) is not None
    return _glob_regex(pattern.lstrip("/")).match(rel_path) is not None


def write_output_marker(folder: str | Path) -> None:
    """Mark ``folder`` (created if needed) as rfcheck output (:data:`OUTPUT_MARKER`)."""
    marker = Path(folder) / OUTPUT_MARKER
    if not marker.is_file():
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.write_text(_MARKER_TEXT, encoding="utf-8")


def _is_output_folder(folder: Path) -> bool:
    return (folder / OUTPUT_MARKER).is_file()


@dataclass
class DiscoveryStats:
    """What :func:`discover_inputs` skipped besides the ``skip`` list and the globs."""

    hidden: int = 0  #: hidden files and folders (``.name``; a folder counts once)
    output_folders: list[Path] = dataclasses.field(default_factory=list)  #: holding the marker

    def notes(self) -> list[str]:
        """One line per kind of skipped entry (none when nothing was skipped)."""
        out = []
        if self.hidden:
            out.append(
                f"skipped {self.hidden} hidden file(s)/folder(s) (names starting with '.')"
            )
        if self.output_folders:
            names = ", ".join(p.as_posix() for p in self.output_folders)
            out.append(
                f"skipped {len(self.output_folders)} folder(s) holding earlier rfcheck output "
                f"({OUTPUT_MARKER}): {names}"
            )
        return out


@dataclass(frozen=True)
class BatchInput:
    """One discovered input: the file, its root folder and its path relative to the root."""

    path: Path
    root: Path
    rel: str  #: POSIX path relative to ``root``

    @property
    def display(self) -> str:
        """The path shown in the summary: the root as given joined with ``rel`` (POSIX)."""
        if self.path == self.root:
            return self.path.as_posix()
        return (PurePosixPath(self.root.as_posix()) / self.rel).as_posix()


def discover_inputs(
    dirs: Sequence[str | Path],
    include: Sequence[str] = ("**/*",),
    exclude: Sequence[str] = (),
    *,
    skip: Iterable[str | Path] = (),
    stats: DiscoveryStats | None = None,
) -> list[BatchInput]:
    """Walk folders for capture files (see the module's "Discovery rule").

    Parameters
    ----------
    dirs : sequence of path
        Folders to walk (recursively) or individual files.
    include, exclude : sequence of str
        Globs on the path relative to each folder.
    skip : iterable of path
        Files and folders never taken as inputs (the output folder, the setup file...).
    stats : DiscoveryStats, optional
        Filled with the hidden entries and output-marker folders skipped.

    Returns
    -------
    list of BatchInput
        In deterministic order: by root (as given), then by relative path; each file once.
    """
    skip_resolved = {Path(s).resolve() for s in skip}
    st = stats if stats is not None else DiscoveryStats()
    seen: set[Path] = set()
    found: list[BatchInput] = []

    def add(path: Path, root: Path, rel: str) -> None:
        key = path.resolve()
        if key not in seen and key not in skip_resolved:
            seen.add(key)
            found.append(BatchInput(path=path, root=root, rel=rel))

    for d in dirs:
        root = Path(d)
        if root.is_file():
            add(root, root, root.name)
            continue
        rels: list[str] = []
        if _is_output_folder(root):
            st.output_folders.append(root)
            continue
        for dirpath, dirnames, filenames in os.walk(root):
            here = Path(dirpath)
            kept = []
            for n in sorted(dirnames):
                if n.startswith("."):
                    st.hidden += 1
                elif (here / n).resolve() in skip_resolved:
                    continue
                elif _is_output_folder(here / n):
                    st.output_folders.append(here / n)
                else:
                    kept.append(n)
            dirnames[:] = kept
            names = set(filenames)
            for name in filenames:
                if name.startswith("."):
                    st.hidden += 1
                    continue
                if name.endswith(".sigmf-data") and name[: -len("data")] + "meta" in names:
                    continue
                rel = (here / name).relative_to(root).as_posix()
                if any(glob_match(rel, g) for g in include) and not any(
                    glob_match(rel, g) for g in exclude
                ):
                    rels.append(rel)
        for rel in sorted(rels):
            add(root / rel, root, rel)
    return found


def discover(
    dirs: Sequence[str | Path], include: Sequence[str] = ("**/*",), exclude: Sequence[str] = ()
) -> list[Path]:
    """The input files under ``dirs``, in deterministic order (see :func:`discover_inputs`)."""
    return [item.path for item in discover_inputs(dirs, include, exclude)]


# --------------------------------------------------------------------------- naming
def _short_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]


def _sanitise(rel: str) -> str:
    parts = [
        p for p in PurePosixPath(rel.replace("\\", "/")).parts if p not in ("/", "", ".", "..")
    ]
    joined = "__".join(parts) or "_"
    name = "".join(c if (c.isascii() and (c.isalnum() or c in "._-+")) else "_" for c in joined)
    if name[0] in ".-":
        name = "_" + name
    if name.endswith("."):
        name = name + "_"
    if name.split(".")[0].lower() in _WINDOWS_DEVICES:
        name = "_" + name
    if len(name) > _MAX_NAME:
        name = name[: _MAX_NAME - 9] + "-" + _short_hash(rel)
    return name


def capture_folder_names(items: Sequence[BatchInput]) -> list[str]:
    """One unique, safe folder name per input (see the module docstring).

    Names that would collide case-insensitively (same relative path under two roots, or
    paths that sanitise alike) all get ``-<8 hex digits of SHA-256(displayed path)>``.
    """
    names = [_sanitise(item.rel) for item in items]
    counts: dict[str, int] = {}
    for n in names:
        counts[n.lower()] = counts.get(n.lower(), 0) + 1
    return [
        f"{n}-{_short_hash(item.display)}" if counts[n.lower()] > 1 else n
        for n, item in zip(names, items, strict=True)
    ]


# --------------------------------------------------------------------------- digest
def _canonical(value: Any, file_hashes: dict[Path, str]) -> Any:
    if isinstance(value, Path):
        if value not in file_hashes:
            try:  # only a regular file: a FIFO would block, /dev/zero never end
                file_hashes[value] = file_sha256(value) if value.is_file() else "unreadable:" + str(value)
            except OSError:
                file_hashes[value] = "unreadable:" + str(value)
        return {"file_sha256": file_hashes[value]}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, Mapping):
        return {str(k): _canonical(v, file_hashes) for k, v in sorted(value.items())}
    if isinstance(value, list | tuple):
        return [_canonical(v, file_hashes) for v in value]
    if value is None or isinstance(value, str | int | bool):
        return value
    return str(value)


def settings_digest(
    settings: CheckSettings,
    *,
    formats: Sequence[str] = (),
    setup: Setup | None = None,
    display_path: str = "",
    file_hashes: dict[Path, str] | None = None,
) -> str:
    """SHA-256 over everything besides the input bytes that shapes a capture's outputs.

    Covers every :class:`~rfcheck.settings.CheckSettings` field (files by content hash),
    the report formats, the setup's ``[dut]``/``[lab]``/``[test]`` tables, the displayed
    input path and the rfcheck version. ``file_hashes`` caches file hashes across calls.
    """
    cache = {} if file_hashes is None else file_hashes
    doc = {
        "rfcheck_version": __version__,
        "settings": {
            f.name: _canonical(getattr(settings, f.name), cache)
            for f in dataclasses.fields(settings)
        },
        "formats": list(formats),
        "setup": _canonical(
            {"dut": setup.dut, "lab": setup.lab, "test": setup.test} if setup else {}, cache
        ),
        "path": display_path,
    }
    text = json.dumps(doc, sort_keys=True, ensure_ascii=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("ascii")).hexdigest()


# --------------------------------------------------------------------------- helpers
def input_companions(path: str, fmt: str | None) -> list[list[str]]:
    """``[path, sha256]`` of the files an input is read from besides itself (SigMF data)."""
    from .io import companion_hashes

    return [[p, h] for p, h in companion_hashes(path, fmt)]


def setup_files(setup: Setup) -> list[Path]:
    """The setup file and every table it names (never batch inputs)."""
    files: list[Path] = [setup.path] if setup.path else []
    for s in [setup.check] + [CheckSettings().override(**r.overrides) for r in setup.rules]:
        files.extend(s.limit_files)
        files.extend(s.transducer_paths())
    return files


def absolute_paths(s: CheckSettings) -> CheckSettings:
    """``s`` with every file path made absolute (for remote Dask workers)."""

    def fix(v: Any) -> Any:
        return v.resolve() if isinstance(v, Path) else v

    return dataclasses.replace(
        s,
        limit_files=tuple(p.resolve() for p in s.limit_files),
        antenna_factor=fix(s.antenna_factor),
        cable_loss=tuple(fix(c) for c in s.cable_loss),
        lisn=fix(s.lisn),
        preamp_gain=fix(s.preamp_gain),
    )


def no_limit_message(settings: CheckSettings, setup: Setup, rel: str) -> str:
    """Why no limit applies to the input at ``rel`` ("" when one does): no setup ``[[rule]]``
    matches it and ``[check]`` (and the command line) names none."""
    if settings.limit_ids or settings.limit_files:
        return ""
    if setup.path is None:
        return (
            f"no limit applies to '{rel}': no --setup file and no --limit given "
            "(use --limit ID or --limit-file FILE)"
        )
    return (
        f"no limit applies: no [[rule]] in {setup.path.as_posix()} matches '{rel}' and "
        "[check] names no limit (use --limit, or add a rule)"
    )


def display_pairs(local: CheckSettings, remote: CheckSettings) -> tuple[tuple[str, str], ...]:
    """``(absolute, as given)`` for every file path :func:`absolute_paths` changed, longest
    first, so reports made by remote workers show the paths a local run shows."""
    a, b = local.transducer_paths(), remote.transducer_paths()
    pairs = dict(zip((str(p) for p in b), (str(p) for p in a), strict=False))
    pairs.update(zip((str(p) for p in remote.limit_files), (str(p) for p in local.limit_files),
                     strict=False))
    return tuple(sorted(((k, v) for k, v in pairs.items() if k != v), key=lambda kv: -len(kv[0])))


def _swap(value: Any, pairs: Sequence[tuple[str, str]]) -> Any:
    if isinstance(value, Enum):
        return value
    if isinstance(value, str):
        for old, new in pairs:
            value = value.replace(old, new)
        return value
    if isinstance(value, Mapping):
        return {k: _swap(v, pairs) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_swap(v, pairs) for v in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        names = [f.name for f in dataclasses.fields(value) if f.init]
        changes = {n: _swap(getattr(value, n), pairs) for n in names
                   if isinstance(getattr(value, n), str | list | tuple | Mapping)}
        return dataclasses.replace(value, **changes)
    return value


def display_run(run: Any, pairs: Sequence[tuple[str, str]]) -> Any:
    """``run`` (a :class:`~rfcheck.results.RunResult`) with every path a worker used replaced
    by the path as displayed (``pairs``: ``(used, displayed)``); unchanged without pairs."""
    pairs = [(old, new) for old, new in pairs if old and old != new]
    return _swap(run, pairs) if pairs else run
