"""Find a batch's inputs and name their units.

Walking folders, include/exclude globs, the output marker, safe per-capture folder names,
and the group pattern that names each input's unit.

The discovery, naming and grouping rules are stated in ``docs/batch.md``.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..errors import RfcheckError
from ..settings import CheckSettings, Setup
from ..textfile import resolved, user_path

__all__ = [
    "OUTPUT_MARKER",
    "BatchInput",
    "DiscoveryStats",
    "FolderListError",
    "UnlistedFolder",
    "write_output_marker",
    "setup_files",
    "discover",
    "discover_inputs",
    "glob_match",
    "capture_folder_names",
    "compile_group_pattern",
    "group_key",
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
    # DOTALL: a name may hold a newline, and "**" must span it (such a capture
    # was once silently left out of the batch)
    return re.compile("".join(out) + r"\Z", re.DOTALL)


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
    """Return True for a folder rfcheck wrote (its marker file is in it).

    A folder that cannot be entered (no execute permission: ``is_file`` raises
    ``PermissionError`` on Python 3.11) is not known to be one: the walk then lists it
    and reports it as a folder it cannot list, with an ERROR row.
    """
    try:
        return (folder / OUTPUT_MARKER).is_file()
    except OSError:
        return False


def _is_folder(path: Path) -> bool:
    """Return whether a path given to walk is a folder (following links).

    Anything else named on the command line is an input: a file, and also a path that is
    missing, a dangling link or a link loop, a FIFO or a device. Reading it gives its
    ERROR row, naming what it is (``no such file``, ``is a FIFO (named pipe), not a capture
    file``, ``cannot read: Too many levels of symbolic links``), as for the same entry met in
    a walked folder; the batch goes on.
    """
    try:
        return path.is_dir()
    except OSError:  # pragma: no cover - is_dir answers False for what it cannot stat
        return False


class FolderListError(RfcheckError):
    """A folder to walk for inputs cannot be listed: its files would go unjudged, unseen."""


@dataclass(frozen=True)
class UnlistedFolder:
    """A folder the walk could not list (no permission, gone, an I/O error)."""

    path: Path  #: the folder, as walked (under the root as given)
    rel: str  #: POSIX path relative to its root ("." for the root itself)
    reason: str  #: the system's reason, e.g. ``Permission denied``

    @property
    def message(self) -> str:
        """The error of its summary row: why, and that nothing in it was judged."""
        return f"cannot list folder: {self.reason} (no file in it was judged)"


@dataclass
class DiscoveryStats:
    """What :func:`discover_inputs` skipped besides the ``skip`` list and the globs."""

    hidden: int = 0  #: hidden files and folders (``.name``; a folder counts once)
    output_folders: list[Path] = dataclasses.field(default_factory=list)  #: holding the marker
    #: symbolic links to folders that were followed: (link, target)
    followed_links: list[tuple[Path, Path]] = dataclasses.field(default_factory=list)
    #: symbolic links to folders not followed: already walked (a loop, or a second path)
    repeated_links: list[tuple[Path, Path]] = dataclasses.field(default_factory=list)
    #: folders that could not be listed: never silently skipped (see :func:`discover_inputs`)
    unlisted: list[UnlistedFolder] = dataclasses.field(default_factory=list)

    def notes(self) -> list[str]:
        """One line per kind of skipped or followed entry (none when there was none)."""
        out = []
        if self.followed_links:
            out.append(
                f"followed {len(self.followed_links)} symbolic link(s) to folders: "
                + ", ".join(f"{a.as_posix()} -> {b.as_posix()}" for a, b in self.followed_links)
            )
        if self.repeated_links:
            out.append(
                f"did not follow {len(self.repeated_links)} symbolic link(s) to folders "
                "already walked (a loop, or a second path to the same folder): "
                + ", ".join(f"{a.as_posix()} -> {b.as_posix()}" for a, b in self.repeated_links)
            )
        if self.hidden:
            out.append(f"skipped {self.hidden} hidden file(s)/folder(s) (names starting with '.')")
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


@dataclass
class _Walk:
    """The state of one :func:`discover_inputs` call: what to skip, what was found."""

    skip: set[Path]
    stats: DiscoveryStats
    seen: set[Path] = dataclasses.field(default_factory=set)
    found: list[BatchInput] = dataclasses.field(default_factory=list)
    #: folders walked, by (device, inode): a symbolic link to one of them is not followed
    walked: set[tuple[int, int]] = dataclasses.field(default_factory=set)

    def add(self, path: Path, root: Path, rel: str) -> None:
        """Take ``path`` as an input unless it was taken already or is to be skipped.

        A symbolic link that cannot be resolved (a loop) is still an input, under its own
        absolute path: reading it gives its ERROR row, as a dangling link's does.
        """
        key = resolved(path)
        if key not in self.seen and key not in self.skip:
            self.seen.add(key)
            self.found.append(BatchInput(path=path, root=root, rel=rel))

    def kept_folders(self, here: Path, names: Iterable[str]) -> list[str]:
        """Return the sub-folders of ``here`` to descend into.

        Hidden folders and output folders are counted in the stats, not descended into.
        """
        kept = []
        for n in sorted(names):
            if n.startswith("."):
                self.stats.hidden += 1
            elif resolved(here / n) in self.skip:
                continue
            elif _is_output_folder(here / n):
                self.stats.output_folders.append(here / n)
            else:
                kept.append(n)
        return kept

    def candidate_files(self, here: Path, root: Path, filenames: list[str]) -> Iterable[str]:
        """Return the relative paths of the files of ``here`` that may be inputs.

        Hidden files and the data half of a SigMF pair are left out.
        """
        names = set(filenames)
        for name in filenames:
            if name.startswith("."):
                self.stats.hidden += 1
            elif not (name.endswith(".sigmf-data") and name[: -len("data")] + "meta" in names):
                yield (here / name).relative_to(root).as_posix()


def _folder_key(folder: Path) -> tuple[int, int] | None:
    """(device, inode) of a folder (following links); None when it cannot be read."""
    try:
        st = folder.stat()
    except OSError:
        return None
    return st.st_dev, st.st_ino


@dataclass
class _Root:
    """One folder given on the command line: what its walk found so far."""

    root: Path
    include: Sequence[str]
    exclude: Sequence[str]
    rels: list[str] = dataclasses.field(default_factory=list)
    links: list[Path] = dataclasses.field(default_factory=list)  #: linked folders to follow


def _walk_tree(walk: _Walk, top: Path, r: _Root) -> None:
    """Walk ``top`` without following links.

    ``top`` is the root, or a linked folder under it. Collect the matching files, queue
    the symbolic links to folders, and record the folders that cannot be listed.
    """

    def unlisted(err: OSError) -> None:
        folder = Path(err.filename if err.filename is not None else top)
        rel = folder.relative_to(r.root).as_posix() if folder.is_relative_to(r.root) else "."
        reason = err.strerror or type(err).__name__
        walk.stats.unlisted.append(UnlistedFolder(folder, rel, reason))

    for dirpath, dirnames, filenames in os.walk(top, onerror=unlisted):
        here = Path(dirpath)
        key = _folder_key(here)
        if key is not None:
            walk.walked.add(key)
        kept = walk.kept_folders(here, dirnames)
        r.links.extend(here / n for n in kept if (here / n).is_symlink())
        dirnames[:] = [n for n in kept if not (here / n).is_symlink()]
        for rel in walk.candidate_files(here, r.root, filenames):
            if any(glob_match(rel, g) for g in r.include) and not any(
                glob_match(rel, g) for g in r.exclude
            ):
                r.rels.append(rel)


def _follow_links(walk: _Walk, r: _Root) -> None:
    """Walk the linked folders queued under a root, each real folder once (loop-safe)."""
    while r.links:
        link = r.links.pop(0)
        key = _folder_key(link)
        if key is None:
            continue
        target = link.resolve()
        if key in walk.walked:
            walk.stats.repeated_links.append((link, target))
            continue
        walk.stats.followed_links.append((link, target))
        _walk_tree(walk, link, r)


def discover_inputs(
    dirs: Sequence[str | Path],
    include: Sequence[str] = ("**/*",),
    exclude: Sequence[str] = (),
    *,
    skip: Iterable[str | Path] = (),
    stats: DiscoveryStats | None = None,
) -> list[BatchInput]:
    """Walk folders for capture files (see "Discovery rule" in ``docs/batch.md``).

    Symbolic links to folders are followed after the real folders are walked, each real
    folder once: a link to a folder already walked (a loop, or a second path) is not
    followed, and noted in ``stats``. A folder that cannot be listed (no permission, an
    I/O error) is never skipped silently: it is recorded in ``stats.unlisted`` when
    ``stats`` is given (the caller reports it: ``rfcheck batch`` gives it an ERROR row),
    else :class:`FolderListError` is raised.

    Parameters
    ----------
    dirs : sequence of path
        Folders to walk (recursively) or individual files. Whatever is not a folder is an
        input as it is, even one that is missing or cannot be read: its reading says why.
    include, exclude : sequence of str
        Globs on the path relative to each folder.
    skip : iterable of path
        Files and folders never taken as inputs (the output folder, the setup file...).
    stats : DiscoveryStats, optional
        Filled with the hidden entries and output-marker folders skipped, the links
        followed, and the folders that could not be listed.

    Returns
    -------
    list of BatchInput
        In deterministic order: by root (as given), then by relative path; each file once.

    Raises
    ------
    FolderListError
        Without ``stats``: a folder could not be listed (the first one, naming it).
    """
    own_stats = stats is None
    walk = _Walk(
        skip={resolved(s) for s in skip},
        stats=stats if stats is not None else DiscoveryStats(),
    )
    roots: list[_Root | Path] = []
    for d in dirs:  # the real folders first, so a link never hides a folder's own path
        root = Path(d)
        if not _is_folder(root):  # a file, or what reading it will name: its row says what
            roots.append(root)
        elif _is_output_folder(root):
            walk.stats.output_folders.append(root)
        else:
            tree = _Root(root, include, exclude)
            roots.append(tree)
            _walk_tree(walk, root, tree)
    for r in roots:
        if isinstance(r, Path):
            walk.add(r, r, r.name)
            continue
        _follow_links(walk, r)
        for rel in sorted(r.rels):
            walk.add(r.root / rel, r.root, rel)
    if own_stats and walk.stats.unlisted:
        first = walk.stats.unlisted[0]
        raise FolderListError(first.message, first.path.as_posix())
    return walk.found


def discover(
    dirs: Sequence[str | Path], include: Sequence[str] = ("**/*",), exclude: Sequence[str] = ()
) -> list[Path]:
    """Return the input files under ``dirs``, in deterministic order.

    See :func:`discover_inputs`.
    """
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


# --------------------------------------------------------------------------- grouping
def compile_group_pattern(pattern: str | None) -> re.Pattern[str] | None:
    """Compile a group pattern, checking it has the named group ``unit``.

    Raises
    ------
    ValueError
        Not a valid regular expression, or no ``(?P<unit>...)`` group.
    """
    if pattern is None:
        return None
    try:
        rx = re.compile(pattern)
    except re.error as err:
        raise ValueError(f"group pattern {pattern!r} is not a valid regex: {err}") from None
    if "unit" not in rx.groupindex:
        raise ValueError(f"group pattern {pattern!r} needs a named group (?P<unit>...)")
    return rx


def group_key(rel: str, pattern: re.Pattern[str]) -> str | None:
    """Return the ``unit`` the pattern finds in a relative path, or None when it does not match.

    The pattern is matched against the file name, or against the whole relative path when
    the pattern contains ``/``.
    """
    subject = rel if "/" in pattern.pattern else rel.rsplit("/", 1)[-1]
    m = pattern.search(subject)
    if m is None or not m.group("unit"):
        return None
    return m.group("unit")


# --------------------------------------------------------------------------- setup
def setup_files(setup: Setup) -> list[Path]:
    """Return the setup file and every table and photo it names (never batch inputs).

    The photos: ``[[photo]] file`` and ``[compliance] label_photo`` (relative to the setup's
    folder, as the record reads them); a malformed entry is the record's to report.
    """
    files: list[Path] = [setup.path] if setup.path else []
    for s in [setup.check] + [CheckSettings().override(**r.overrides) for r in setup.rules]:
        files.extend(s.limit_files)
        files.extend(s.transducer_paths())
    base = setup.path.parent if setup.path else None
    photos = setup.record.get("photo")
    named = (
        [t.get("file") for t in photos if isinstance(t, Mapping)]
        if isinstance(photos, list)
        else []
    )
    compliance = setup.record.get("compliance")
    if isinstance(compliance, Mapping):
        named.append(compliance.get("label_photo"))
    for text in named:
        if isinstance(text, str) and text.strip():
            p = user_path(text.strip())
            files.append(p if p.is_absolute() or base is None else base / p)
    return files
