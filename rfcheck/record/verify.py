"""``rfcheck verify``: check a record PDF's pages and re-hash (and re-judge) the inputs it lists.

The manifest embedded in the PDF (:mod:`rfcheck.record.manifest`) names every input with
its SHA-256, relative to the folder the dossier was made from; each file under
``inputs_dir`` is re-hashed from its bytes on disk, and the copies beside the PDF compared,
by :mod:`.on_disk` (:func:`~rfcheck.record.on_disk.verify_inputs`).

The PDF itself is checked twice, independently: the digest of what its pages show (and the
SHA-256 of its other attachments) against those sealed into the manifest at issue
(:class:`PagesCheck`, :class:`AttachmentsCheck`, :mod:`.pages`), and the verdict page 1
shows against the recorded one (:class:`ShownVerdict`).

The tables shipped with rfcheck that the judgement read (limit tables, plan rules: the
manifest's ``settings["shipped"]``) are compared with those the installed rfcheck ships
(:class:`ShippedCheck`), through ``installed(role, name) -> SHA-256``.

The record is also checked against itself (:mod:`.selfcheck`): its seal is there, the report
id recomputed from the manifest equals the recorded one and the one the pages print, and the
attached data (``dossier.json``, ``entry.json``, ``summary.csv``) agree with the manifest
(:class:`~rfcheck.record.selfcheck.SelfCheck`).

Re-judging is pluggable: pass ``rejudge(manifest, settings) -> verdict`` to
:func:`verify_pdf`; it is called only when every input and every shipped table matches. It
raises :class:`EmbeddedSettingsDiffer` when an input whose SHA-256 matches contradicts the
embedded settings (the setup's plan): the manifest was altered, not the input.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import RecordFileError
from ..textfile import non_regular_kind, open_nonblocking
from .attachments import attachments_of, read_pdf
from .manifest import MANIFEST_NAME, SHIPPED_TABLE_ROLES, Manifest, parse_manifest
from .on_disk import (
    BesideCheck,
    FileCheck,
    FileStatus,
    copies_beside,
    file_status,
    record_pdf_beside,
    verify_inputs,
)
from .pages import attachments_sha256, pages_sha256, shown_verdicts
from .selfcheck import SelfCheck, self_check

if TYPE_CHECKING:
    from pypdf import PdfReader

__all__ = [
    "Installed",
    "ShippedCheck",
    "AttachmentsCheck",
    "EmbeddedSettingsDiffer",
    "PagesCheck",
    "PagesStatus",
    "Rejudge",
    "RejudgeOutcome",
    "ShownVerdict",
    "VerifyResult",
    "read_manifest",
    "verify_pdf",
    "verify_shipped",
    "outside_files",
]

#: ``rejudge(manifest, settings) -> verdict string`` (``PASS``, ``FAIL``...), or the verdict
#: with the captures found beside the listed ones and not judged (relative paths), and
#: optionally the ``(listed capture, unlisted file)`` pairs of :attr:`RejudgeOutcome.shared`.
Rejudge = Callable[
    [Manifest, Mapping[str, Any]],
    str | tuple[str, tuple[str, ...]] | tuple[str, tuple[str, ...], tuple[tuple[str, str], ...]],
]
#: ``installed(role, name) -> SHA-256`` of the file the installed rfcheck ships as ``name``
#: (a limit table or plan rules); ``None`` when it ships none by that name.
Installed = Callable[[str, str], str | None]


class EmbeddedSettingsDiffer(RecordFileError):
    """An input whose SHA-256 matches the manifest contradicts the manifest's embedded settings.

    Raised by a ``rejudge`` callback (the setup's ``[plan]`` is not the embedded plan): the
    input is as issued, so the embedded record was altered (``verify`` says ALTERED, exit 1).
    """


@dataclass(frozen=True)
class ShippedCheck:
    """A table shipped with rfcheck that the judgement read, at issue and installed now.

    ``role`` is ``limit`` or ``plan``, ``name`` the file name (``fcc-part15b.toml``);
    ``found_sha256`` is ``None`` when the installed rfcheck ships no file of that name.
    """

    role: str
    name: str
    expected_sha256: str
    found_sha256: str | None

    @property
    def status(self) -> FileStatus:
        """``missing`` (not shipped now), ``match`` or ``differs`` (changed since issue)."""
        return file_status(self.expected_sha256, self.found_sha256)


@dataclass(frozen=True)
class RejudgeOutcome:
    """The verdict recorded in the manifest and the one found by re-judging the inputs."""

    recorded: str | None
    found: str
    #: Captures of the unit in the folder the manifest does not list (not judged).
    unlisted: tuple[str, ...] = ()
    #: ``(listed capture, file)``: a listed capture set aside when re-judged because a file
    #: the manifest does not list (another unit's) now holds the same content.
    shared: tuple[tuple[str, str], ...] = ()

    @property
    def stands(self) -> bool:
        """Whether re-judging found the recorded verdict."""
        return self.recorded is not None and self.found == self.recorded


class PagesStatus(StrEnum):
    """The record's pages against the digest sealed into its manifest at issue."""

    UNCHANGED = "unchanged"
    ALTERED = "altered"
    #: the manifest carries no ``pages_sha256``: its seal was removed (every rfcheck version
    #: seals; :func:`rfcheck.record.selfcheck.seal_problems` says it)
    NOT_CHECKED = "not checked"


@dataclass(frozen=True)
class PagesCheck:
    """The pages' digest recorded at issue (``None``: none recorded) and the one found now."""

    expected_sha256: str | None
    found_sha256: str

    @property
    def status(self) -> PagesStatus:
        """``not checked``, ``unchanged`` or ``altered``."""
        if self.expected_sha256 is None:
            return PagesStatus.NOT_CHECKED
        if self.found_sha256 == self.expected_sha256:
            return PagesStatus.UNCHANGED
        return PagesStatus.ALTERED


@dataclass(frozen=True)
class AttachmentsCheck:
    """The record's other attachments: their SHA-256 sealed at issue and found now, by name.

    ``expected`` is ``None`` when the manifest carries no ``attachments_sha256`` (its seal was
    removed: :attr:`VerifyResult.self_check` says it).
    """

    expected: Mapping[str, str] | None
    found: Mapping[str, str]

    @property
    def altered(self) -> tuple[str, ...]:
        """Names attached at issue whose bytes differ or are gone, and names attached since."""
        if self.expected is None:
            return ()
        names = sorted(set(self.expected) | set(self.found))
        return tuple(n for n in names if self.expected.get(n) != self.found.get(n))


@dataclass(frozen=True)
class ShownVerdict:
    """The verdict recorded in the manifest and those page 1 shows (banner, cover fact)."""

    recorded: str | None
    shown: tuple[str, ...]

    @property
    def agrees(self) -> bool:
        """Whether page 1 shows the recorded verdict, and only it (no recorded verdict: yes)."""
        if self.recorded is None:
            return True
        return bool(self.shown) and set(self.shown) == {self.recorded}


def _read_record_pdf(pdf_path: str | Path) -> PdfReader:
    """:func:`read_pdf`, naming the record PDF beside a file that is not a PDF."""
    try:
        return read_pdf(pdf_path)
    except RecordFileError as err:
        beside = None if _is_pdf(pdf_path) else record_pdf_beside(pdf_path)
        if beside is None:
            raise
        inputs = f" --inputs {beside.parent}" if beside.name == "entry.pdf" else ""
        raise RecordFileError(
            f"{err.message}; verify the record PDF beside it: rfcheck verify {beside}{inputs}",
            err.path,
        ) from None


def _is_pdf(path: str | Path) -> bool:
    """Whether ``path`` starts as a PDF does (unreadable, or not a file: taken as one)."""
    try:
        fd = open_nonblocking(path)
    except (OSError, ValueError):
        return True
    if non_regular_kind(os.fstat(fd).st_mode) is not None:  # a folder: fdopen refuses it
        os.close(fd)
        return True
    with os.fdopen(fd, "rb") as fh:
        return fh.read(5) == b"%PDF-"


@dataclass(frozen=True)
class VerifyResult:
    """Everything ``verify`` found.

    ``ok`` when every input matches, the PDF is as issued (pages, attachments, page 1's
    verdict) and (when re-judged) the verdict stands.
    """

    manifest: Manifest
    files: tuple[FileCheck, ...]
    rejudged: RejudgeOutcome | None = None
    pages: PagesCheck | None = None
    shown: ShownVerdict | None = None
    attachments: AttachmentsCheck | None = None
    #: The shipped tables the judgement read against the installed ones (empty: not checked).
    shipped: tuple[ShippedCheck, ...] = ()
    #: ``(role, name)`` of the lab's files the judgement read from outside the record's folder
    #: (a transducer, a photo): named in the manifest with their SHA-256 but not under
    #: ``--inputs``, so not re-hashed.
    outside: tuple[tuple[str, str], ...] = ()
    #: The record against itself: seal, report id, attached data (None: not checked).
    self_check: SelfCheck | None = None
    #: Why re-judging found the embedded settings altered (:class:`EmbeddedSettingsDiffer`).
    settings_differ: str | None = None
    #: The copies of its attachments beside the PDF (``dossier.json``, ``entry.json``).
    beside: tuple[BesideCheck, ...] = ()

    @property
    def all_match(self) -> bool:
        """Whether every input is present and byte-identical."""
        return all(f.status is FileStatus.MATCH for f in self.files)

    @property
    def shipped_match(self) -> bool:
        """Whether the installed rfcheck ships every table the judgement read, unchanged."""
        return all(c.status is FileStatus.MATCH for c in self.shipped)

    @property
    def as_issued(self) -> bool:
        """Whether the PDF is the one issued, as far as ``verify`` can tell.

        The pages and the other attachments are not altered, page 1 shows the recorded
        verdict, the record agrees with itself (its seal is there, its report id and attached
        data agree with its manifest) and no input contradicts the embedded settings.
        """
        altered = self.pages is not None and self.pages.status is PagesStatus.ALTERED
        return (
            not altered
            and (self.attachments is None or not self.attachments.altered)
            and (self.shown is None or self.shown.agrees)
            and (self.self_check is None or self.self_check.agrees)
            and self.settings_differ is None
        )

    @property
    def only_inputs_absent(self) -> bool:
        """The PDF is as issued and nothing contradicts it, but none of its inputs was found.

        What a reader holding the PDF alone gets (a customs broker handed the record): the
        pages, page 1's verdict and the attachments were checked, the measurements could
        not be (not re-hashed, not re-judged). Any input found, differing or not, any
        shipped table changed, any copy beside the PDF that differs: not this case.
        """
        return (
            bool(self.files)
            and all(c.status is FileStatus.MISSING for c in self.files)
            and self._all_but_inputs_ok
        )

    @property
    def _all_but_inputs_ok(self) -> bool:
        """All :attr:`ok` asks but the inputs and the re-judged verdict.

        The PDF as issued, the shipped tables unchanged, nothing read from outside the
        record's folder, and every copy beside the PDF the attached one.
        """
        return (
            self.shipped_match
            and not self.outside
            and self.as_issued
            and all(c.status is FileStatus.MATCH for c in self.beside)
        )

    @property
    def ok(self) -> bool:
        """All inputs and shipped tables match, the pages are as issued, the verdict stands.

        The verdict is checked when it was re-judged.
        """
        return (
            self.all_match
            and self._all_but_inputs_ok
            and (self.rejudged is None or self.rejudged.stands)
        )


def read_manifest(pdf_path: str | Path) -> Manifest:
    """Return the manifest embedded in a dossier PDF.

    Raises
    ------
    RecordFileError
        The PDF cannot be read, has no ``manifest.json`` attachment, or the manifest is invalid.
    """
    return _manifest_of(_read_record_pdf(pdf_path), pdf_path)


def _manifest_of(reader: PdfReader, pdf_path: str | Path) -> Manifest:
    return parse_manifest(
        _raw_manifest(attachments_of(reader, pdf_path), pdf_path),
        source=f"{pdf_path}:{MANIFEST_NAME}",
    )


def _raw_manifest(files: Mapping[str, bytes], pdf_path: str | Path) -> bytes:
    if MANIFEST_NAME not in files:
        raise RecordFileError(
            f"no embedded {MANIFEST_NAME} (not an rfcheck dossier PDF?)", pdf_path
        )
    return files[MANIFEST_NAME]


def verify_shipped(manifest: Manifest, installed: Installed) -> tuple[ShippedCheck, ...]:
    """Compare the shipped tables the manifest names with those ``installed`` finds now.

    Only the roles of :data:`SHIPPED_TABLE_ROLES` are compared (a photo outside the inputs
    folder is also named in ``settings["shipped"]``, by its own role).
    """
    return tuple(
        ShippedCheck(role, name, sha, installed(role, name))
        for role, name, sha in manifest.named_by_name()
        if role in SHIPPED_TABLE_ROLES
    )


def outside_files(manifest: Manifest) -> tuple[tuple[str, str], ...]:
    """Return ``(role, name)`` of the lab's files the manifest names outside its folder."""
    return tuple(
        (role, name)
        for role, name, _ in manifest.named_by_name()
        if role not in SHIPPED_TABLE_ROLES
    )


def verify_pdf(
    pdf_path: str | Path,
    inputs_dir: str | Path,
    rejudge: Rejudge | None = None,
    installed: Installed | None = None,
) -> VerifyResult:
    """Check a dossier PDF's pages, and its inputs under ``inputs_dir``.

    Parameters
    ----------
    pdf_path : str or Path
        The dossier PDF (with the ``manifest.json`` attachment).
    inputs_dir : str or Path
        The folder the manifest's relative paths start from (the folder the dossier was run on).
    rejudge : callable, optional
        ``rejudge(manifest, settings) -> verdict``: judges the inputs again with the embedded
        effective settings (``manifest.settings``) and returns the verdict string (``PASS``,
        ``FAIL``, ``INCONCLUSIVE``, ``INCOMPLETE``). It is called only when every input
        matches (judging other bytes would not re-check the recorded result); its verdict is
        compared with the recorded ``manifest.verdict``. It may raise
        :class:`~rfcheck.errors.RfcheckError` for an input it cannot read. ``None``: hashes only.
    installed : callable, optional
        ``installed(role, name) -> SHA-256`` of the limit table or plan rules the installed
        rfcheck ships as ``name`` (None: none). With it, the shipped tables the manifest names
        are compared (``shipped``), and the unit is re-judged only when they all match:
        judging by changed rules would not re-check the recorded result either.

    Returns
    -------
    VerifyResult
        The inputs' hashes, the pages' digest against the one sealed at issue
        (``pages``), the other attachments against theirs (``attachments``), the verdicts
        page 1 shows against the recorded one (``shown``), the shipped tables against the
        installed ones (``shipped``), the record against itself (``self_check``: seal,
        report id, attached data) and the re-judged verdict (``settings_differ`` instead
        when an input contradicts the embedded settings).

    Raises
    ------
    RecordFileError
        The PDF is unreadable or carries no valid manifest.
    """
    reader = _read_record_pdf(pdf_path)
    attachments = attachments_of(reader, pdf_path)
    raw = _raw_manifest(attachments, pdf_path)
    manifest = parse_manifest(raw, source=f"{pdf_path}:{MANIFEST_NAME}")
    attached = AttachmentsCheck(manifest.attachments_sha256, attachments_sha256(attachments))
    try:
        pages = PagesCheck(manifest.pages_sha256, pages_sha256(reader))
    except RecordFileError as err:
        raise err.naming(pdf_path) from None
    shown = ShownVerdict(manifest.verdict, shown_verdicts(reader))
    files = verify_inputs(manifest, inputs_dir)
    result = VerifyResult(
        manifest=manifest,
        files=files,
        pages=pages,
        shown=shown,
        attachments=attached,
        shipped=() if installed is None else verify_shipped(manifest, installed),
        outside=outside_files(manifest),
        self_check=self_check(manifest, raw, attachments, reader),
        beside=copies_beside(pdf_path, attachments),
    )
    if rejudge is None or not (result.all_match and result.shipped_match):
        return result
    try:
        found = rejudge(manifest, manifest.settings)
    except EmbeddedSettingsDiffer as err:
        return dataclasses.replace(result, settings_differ=err.message)
    outcome = _rejudge_outcome(manifest.verdict, found)
    return dataclasses.replace(result, rejudged=outcome)


def _rejudge_outcome(
    recorded: str | None,
    found: str | tuple[str, tuple[str, ...]] | tuple[str, tuple[str, ...], tuple[Any, ...]],
) -> RejudgeOutcome:
    """Return what a :data:`Rejudge` callable found as a :class:`RejudgeOutcome`."""
    if isinstance(found, str):
        return RejudgeOutcome(recorded, found)
    verdict, unlisted, *rest = found
    shared = tuple((str(a), str(b)) for a, b in rest[0]) if rest else ()
    return RejudgeOutcome(recorded, verdict, unlisted, shared)
