"""``rfcheck verify DOSSIER.pdf [--inputs DIR]``: re-check a dossier PDF against its inputs."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..errors import EXIT_FAIL, EXIT_INCOMPLETE, EXIT_INPUT_ERROR, EXIT_PASS, RfcheckError
from ..textsafe import printable
from ._common import INPUT_PATH, echo, refuse_missing, report_error

if TYPE_CHECKING:
    from ..record.on_disk import FileCheck
    from ..record.verify import (
        AttachmentsCheck,
        PagesCheck,
        RejudgeOutcome,
        ShippedCheck,
        ShownVerdict,
        VerifyResult,
    )

__all__ = ["verify_cmd"]


def _line(check: FileCheck) -> str:
    from ..record.on_disk import FileStatus

    path = printable(check.path) + _role_note(check.role)  # paths come from an untrusted PDF
    if check.status is FileStatus.MATCH:
        return f"match    {path}"
    if check.status is FileStatus.MISSING:
        return f"MISSING  {path}"
    return (
        f"DIFFERS  {path} (expected sha256 {check.expected_sha256[:16]}…, "
        f"found {check.found_sha256[:16] if check.found_sha256 else ''}…)"
    )


#: How each key of the embedded plan (``TestPlan.to_json``) is named in a setup file.
_PLAN_KEY_NAMES = {
    "regulation": "[plan] regulation",
    "class": "[dut] class",
    "mains_lines": "[plan] mains_lines",
    "polarisations": "[plan] polarisations",
    "distance_m": "[plan] distance_m",
    "distance_bands": "[plan] distance_bands",
    "upper_frequency_hz": "upper frequency [Hz] (from [dut] highest_internal_frequency_hz)",
    "power": "[dut] power",
}
#: What a plan without the key means: only a battery device's plan carries ``power``.
_PLAN_DEFAULTS = {"power": "mains"}
#: Keys derived from the others (a battery device's ``not_required``): never named alone.
_PLAN_DERIVED = frozenset({"not_required"})


def _shown_value(v: object) -> str:
    if isinstance(v, list):
        return "[" + ", ".join(_shown_value(x) for x in v) + "]"
    if isinstance(v, dict):  # a distance band, keys sorted (as the manifest records them)
        return (
            "{ "
            + ", ".join(f"{printable(str(k))} = {_shown_value(x)}" for k, x in sorted(v.items()))
            + " }"
        )
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return "none" if v is None else printable(str(v))


def _setup_changes(check: FileCheck, result: VerifyResult, inputs_dir: Path) -> list[str]:
    """Name the embedded settings a DIFFERS setup file changed.

    The record embeds its plan (``settings["plan"]``: regulation, class, ports, distance,
    upper frequency); the setup found now is read and its plan compared key by key:
    ``         [plan] distance_m: recorded 3, now 10``. A setup whose plan is unchanged, or
    that cannot be read as a plan now, gets one line saying so. Nothing for another file.
    """
    from ..record.on_disk import FileStatus

    recorded = result.manifest.settings.get("plan")
    if (
        check.status is not FileStatus.DIFFERS
        or check.role != "setup"
        or check.path != result.manifest.settings.get("setup")
        or not isinstance(recorded, dict)
    ):
        return []
    from ..product.plan import plan_from_setup
    from ..settings import load_setup

    pad = " " * 9
    try:
        now = plan_from_setup(load_setup(inputs_dir / check.path)).to_json()
    except RfcheckError as err:
        return [f"{pad}its plan cannot be read now, so not compared: {printable(err.message)}"]
    was = {**_PLAN_DEFAULTS, **recorded}
    now = {**_PLAN_DEFAULTS, **now}
    changed = [
        f"{pad}{_PLAN_KEY_NAMES.get(k, printable(k))}: recorded {_shown_value(was.get(k))}, "
        f"now {_shown_value(now.get(k))}"
        for k in dict.fromkeys([*_PLAN_KEY_NAMES, *sorted(recorded), *now])
        if was.get(k) != now.get(k) and k not in _PLAN_DERIVED
    ]
    return changed or [
        f"{pad}the plan the record embeds (regulation, class, ports, distance, upper frequency) "
        "is unchanged: the change is elsewhere in the file (rules, transducers, record tables)"
    ]


def _role_note(role: str) -> str:
    """Say what an input of role ``shared-content`` is (another unit's file), else nothing."""
    from ..shared_content import SHARED_CONTENT_ROLE

    if role != SHARED_CONTENT_ROLE:
        return ""
    return (
        " (another unit's file that held the content of one of this unit's captures, which "
        "was set aside for it)"
    )


#: What each role of a table shipped with rfcheck is, in a verify line.
_SHIPPED_KIND = {"limit": "limit table", "plan": "plan rules"}


def _shipped_name(check: ShippedCheck) -> str:
    """Return ``plan rules fcc-part15b.toml`` (the name comes from an untrusted PDF)."""
    return f"{_SHIPPED_KIND.get(check.role, check.role)} {printable(check.name)}"


def _shipped_line(check: ShippedCheck) -> str | None:
    """Return the ``CHANGED``/``MISSING`` line of a shipped table; None when it is unchanged."""
    from ..record.on_disk import FileStatus

    name = f"{_shipped_name(check)} (shipped with rfcheck)"
    if check.status is FileStatus.MATCH:
        return None
    if check.status is FileStatus.MISSING:
        return f"MISSING  {name}: the installed rfcheck ships no such file"
    return (
        f"CHANGED  {name} changed since the record was issued "
        f"(expected sha256 {printable(check.expected_sha256)[:16]}…, "
        f"installed {(check.found_sha256 or '')[:16]}…)"
    )


def _rejudged_line(result: VerifyResult, judge: bool) -> str:
    """Return the last line, on re-judging: not done and why, or the verdict found."""
    from ..record.on_disk import FileStatus

    judged = result.rejudged
    if result.settings_differ is not None:
        return "not re-judged: the embedded settings were altered (the ALTERED line above)"
    if not judge:
        return "not re-judged: the manifest carries no dossier settings (hashes only)"
    if judged is None and not result.all_match:
        return "not re-judged: the inputs differ from the manifest"
    if judged is None:
        names = [_shipped_name(c) for c in result.shipped if c.status is not FileStatus.MATCH]
        return (
            "not re-judged: the installed rfcheck's tables differ from those the record was "
            f"judged by ({', '.join(names)})"
        )
    if judged.stands:
        return (
            f"re-judged with the embedded settings{_from_listed(judged)}: {judged.found}, "
            "the recorded verdict stands"
        )
    recorded = printable(judged.recorded or "none")
    return (
        f"re-judged with the embedded settings{_from_listed(judged)}: {judged.found}, "
        f"the recorded verdict ({recorded}) does NOT stand"
    )


def _version_line(result: VerifyResult) -> str:
    """Name the rfcheck that issued the record and the one checking (re-judging) it now.

    A verdict re-judged by another version may differ for that reason alone.
    """
    from .._version import __version__

    issued = printable(result.manifest.rfcheck_version) or "(not stated)"
    if result.rejudged is None:
        return f"version  issued by rfcheck {issued}, checked by {__version__}"
    line = f"version  issued by rfcheck {issued}, re-judged by {__version__}"
    if result.manifest.rfcheck_version != __version__:
        line += (
            ": another version judges by its own code, so the re-judged verdict may differ "
            "for that reason"
        )
    return line


def _self_check_lines(result: VerifyResult) -> list[str]:
    """``ALTERED`` lines: the record contradicts itself, or an input its embedded settings."""
    lines = [] if result.self_check is None else list(result.self_check.problems)
    if result.settings_differ is not None:
        lines.append(result.settings_differ)
    return [f"ALTERED  {line}" for line in lines]


def _from_listed(judged: RejudgeOutcome) -> str:
    """Say that only the listed captures were judged, when others lie beside them."""
    return " from the listed captures only" if judged.unlisted else ""


def _renamed_hint(check: FileCheck, result: VerifyResult, inputs_dir: Path) -> str:
    """``: its exact bytes are in <file> under --inputs (renamed or moved?)`` for MISSING."""
    from ..record.on_disk import FileStatus, same_content_under

    if check.status is not FileStatus.MISSING:
        return ""
    listed = frozenset(f.path for f in result.files)
    found = same_content_under(inputs_dir, check, listed)
    if not found:
        return ""
    shown = ", ".join(found[:_RENAMED_SHOWN])  # a wide --inputs (/tmp) held 150 copies
    more = f" and {len(found) - _RENAMED_SHOWN} more" if len(found) > _RENAMED_SHOWN else ""
    return (
        f": its exact bytes (the SHA-256 listed) are in {printable(shown)}{more} "
        "under --inputs (renamed or moved?)"
    )


#: Files named in a MISSING input's "its exact bytes are in ..." note; the rest are counted.
_RENAMED_SHOWN = 3


def _shared_lines(judged: RejudgeOutcome | None) -> list[str]:
    """``SHARED`` lines: a listed capture set aside because an unlisted file holds its content."""
    return [
        f"SHARED  {printable(listed)}: {printable(other)}, which the record does not list, holds "
        "the same content, so it was set aside when re-judged (one measurement filed under two "
        "units or ports); the record was judged without that file"
        for listed, other in (() if judged is None else judged.shared)
    ]


def _no_input_hint(result: VerifyResult, dossier: Path, inputs_dir: Path) -> str | None:
    """Say where the inputs are likely to be when none was found under ``inputs_dir``.

    A unit record's paths are relative to the folder its captures and setup were found in,
    an entry sheet's (``unit-record``) to the output folder that holds it: run from elsewhere
    with the default ``--inputs .``, every input reads MISSING.
    """
    from ..record.on_disk import FileStatus

    if not result.files or any(c.status is not FileStatus.MISSING for c in result.files):
        return None
    here = printable(str(inputs_dir))
    if all(c.role == "unit-record" for c in result.files):
        where = printable(str(dossier.parent))
        return (
            f"no input found under {here}: an entry sheet's inputs are the unit records beside "
            f"it: --inputs {where}"
        )
    return (
        f"no input found under {here}: --inputs must name the folder the record was made "
        "from (the manifest's paths are relative to it)"
    )


def _pages_line(pages: PagesCheck) -> str:
    from ..record.verify import PagesStatus

    if pages.status is PagesStatus.UNCHANGED:
        return "pages    as issued (their SHA-256 matches the one sealed in the manifest)"
    if pages.status is PagesStatus.NOT_CHECKED:
        return "pages    not checked: the manifest carries no page digest (its seal was removed)"
    return (
        "ALTERED  the record's pages differ from those it was issued with: altered after issue "
        f"(expected sha256 {printable(pages.expected_sha256 or '')[:16]}…, "
        f"found {pages.found_sha256[:16]}…)"
    )


def _shown_line(shown: ShownVerdict) -> str | None:
    recorded = printable(shown.recorded or "")
    if shown.recorded is None:
        return None
    if shown.agrees:
        return f"page 1   shows {recorded}, the recorded verdict"
    if not shown.shown:
        return (
            f"ALTERED  page 1 shows no verdict rfcheck can read; the recorded verdict is {recorded}"
        )
    found = " and ".join(dict.fromkeys(shown.shown))  # words read from an untrusted PDF's page
    return f"ALTERED  page 1 shows {found}, not the recorded verdict {recorded}"


def _attachment_lines(check: AttachmentsCheck) -> list[str]:
    expected = check.expected or {}
    lines = []
    for name in check.altered:
        shown = printable(name)  # names come from an untrusted PDF
        if name not in expected:
            lines.append(f"ALTERED  attachment {shown} was added after issue")
        elif name not in check.found:
            lines.append(f"ALTERED  attachment {shown} is gone (it was attached at issue)")
        else:
            lines.append(f"ALTERED  attachment {shown} differs from the one attached at issue")
    return lines


def _beside_lines(result: VerifyResult) -> list[str]:
    """One line per copy of an attachment beside the PDF: the same bytes, or DIFFERS."""
    from ..record.on_disk import FileStatus

    check = result.attachments
    altered = set(check.altered) if check is not None else set()
    issued = (check.expected or {}) if check is not None else {}
    lines = []
    for c in result.beside:
        path, name = printable(c.path), printable(c.name)
        found = (c.found_sha256 or "unreadable")[:16]
        if c.status is FileStatus.MATCH:
            lines.append(f"beside   {path}: the same bytes as the {name} attached to the PDF")
        elif c.name not in altered:
            lines.append(
                f"DIFFERS  {path} beside the PDF is not the {name} attached to it (attached "
                f"sha256 {c.expected_sha256[:16]}…, found {found}…): rely on the attached one"
            )
        elif c.found_sha256 is not None and c.found_sha256 == issued.get(c.name):
            lines.append(
                f"beside   {path}: the same bytes as the {name} attached at issue (its sha256 "
                "sealed in the record); the copy attached to the PDF was altered since (above)"
            )
        else:
            lines.append(
                f"DIFFERS  {path} beside the PDF is neither the {name} attached to it nor the "
                f"one attached at issue (found {found}…): rely on neither"
            )
    return lines


def _not_as_issued(result: VerifyResult) -> str:
    from ..record.verify import PagesStatus

    if result.pages is not None and result.pages.status is PagesStatus.ALTERED:
        return "NOT AS ISSUED: this PDF's pages were altered after issue; do not rely on them"
    if result.attachments is not None and result.attachments.altered:
        return "NOT AS ISSUED: this PDF's attachments were altered after issue"
    if result.shown is not None and not result.shown.agrees:
        return (
            "NOT AS ISSUED: page 1 and the record embedded in this PDF disagree; "
            "one of them was altered after issue"
        )
    return (
        "NOT AS ISSUED: the record embedded in this PDF contradicts itself or its inputs "
        "(the ALTERED lines); it was altered after issue"
    )


@click.command(
    "verify",
    epilog="""\b
Exit codes:
  0  the PDF's pages and attachments are those it was issued with, the record
     agrees with itself (its seal is there; the report id recomputed from the
     manifest is the recorded one and the one the pages print; the attached
     dossier.json, entry.json and summary.csv agree with the manifest) and
     page 1 shows the recorded verdict; every input listed
     in the manifest is present and byte-identical, and so is every limit
     table and plan rules file shipped with the installed rfcheck that the
     record was judged by; and re-judging them with the embedded settings
     gives the recorded verdict
  1  the pages or attachments were altered after issue, the seal was removed,
     the record contradicts itself or its embedded settings contradict an input
     that matches (ALTERED), or page 1 shows another verdict; an
     input differs or is missing, or a shipped limit table or plan rules file
     changed since the record was issued, or a lab's file was read from outside
     the record's folder and cannot be re-hashed (one line each names it); or
     the verdict no longer stands; or the dossier.json (entry.json) beside the
     PDF is not the one attached to it
  2  usage error
  3  the PDF cannot be read or carries no valid embedded manifest, or the
     --inputs folder does not exist or is a file
  5  the PDF is as issued (pages, page 1's verdict, attachments, and any
     copy beside it) but none of the inputs it lists was found under
     --inputs: the PDF alone was checked, not the measurements (exit 1
     when some inputs are found and others are not)""",
)
@click.argument("dossier", type=INPUT_PATH)
@click.option(
    "--inputs",
    "inputs_dir",
    type=INPUT_PATH,
    default=Path("."),
    show_default=True,
    help="Folder the dossier was made from: the manifest's paths are relative to it.",
)
def verify_cmd(dossier: Path, inputs_dir: Path) -> None:
    """Check DOSSIER.pdf's pages, re-hash the inputs its manifest lists and say which match.

    Reads the manifest.json attached to the PDF (every input with its SHA-256, the digest of
    the pages at issue). First two lines: whether the pages are those the record was issued
    with, and whether page 1 shows the recorded verdict. Then it hashes each file found
    under --inputs from its bytes on disk, and prints one line per input: 'match',
    'DIFFERS' or 'MISSING', then a summary line. A limit table or plan rules file shipped
    with rfcheck that changed since the record was issued (or is no longer shipped) gets a
    'CHANGED' ('MISSING') line. When every input and table matches, the unit is judged again
    with the embedded settings and a line says whether the recorded verdict stands; only
    the captures the record lists are judged, and one of the unit's captures found beside
    them that it does not list gets a 'NOT LISTED' line. The dossier.json (entry.json)
    beside the PDF is compared with the one attached to it ('beside' or 'DIFFERS').
    """
    # imported here: the record package loads reportlab, pypdf and matplotlib, which every
    # other command's start-up should not pay for
    from ..product.rejudge import can_rejudge, installed_sha256, rejudge
    from ..record.on_disk import FileStatus
    from ..record.verify import read_manifest, verify_pdf

    refuse_missing([inputs_dir], folders=True)  # exit 3, as an unreadable input (README Exit codes)
    try:
        judge = can_rejudge(read_manifest(dossier).settings)
        result = verify_pdf(
            dossier,
            inputs_dir,
            (lambda m, settings: rejudge(m, settings, inputs_dir)) if judge else None,
            installed_sha256 if judge else None,
        )
    except RfcheckError as err:
        report_error(err)
        sys.exit(EXIT_INPUT_ERROR)
    from ..record.verify import PagesStatus

    if result.pages is not None and result.pages.status is not PagesStatus.NOT_CHECKED:
        echo(_pages_line(result.pages))  # no digest: the self-check's "seal removed" line
    shown = None if result.shown is None else _shown_line(result.shown)
    if shown is not None:
        echo(shown)
    for line in [] if result.attachments is None else _attachment_lines(result.attachments):
        echo(line)
    for line in _self_check_lines(result):
        echo(line)
    for check in result.files:
        echo(_line(check) + _renamed_hint(check, result, inputs_dir))
        for line in _setup_changes(check, result, inputs_dir):
            echo(line)
    n_ok = sum(1 for c in result.files if c.status is FileStatus.MATCH)
    rid = printable(result.manifest.report_id.text)
    echo(f"{n_ok} of {len(result.files)} inputs match the manifest of {rid}")
    hint = _no_input_hint(result, dossier, inputs_dir)
    if hint:
        echo(hint)
    for line in _beside_lines(result):
        echo(line)
    echo(_version_line(result))
    for changed in filter(None, map(_shipped_line, result.shipped)):
        echo(changed)
    for role, name in result.outside:
        echo(
            f"NOT CHECKED  {printable(role)} {printable(name)}: read from outside the record's "
            "folder, so not under --inputs; its SHA-256 is in the manifest, re-hash it by hand"
        )
    for rel in () if result.rejudged is None else result.rejudged.unlisted:
        echo(
            f"NOT LISTED  {printable(rel)}: a capture of the unit in the folder that the record "
            "was not judged from; not judged now (a new dossier run would judge it)"
        )
    for line in _shared_lines(result.rejudged):
        echo(line)
    echo(_rejudged_line(result, judge))
    sys.exit(_conclusion(result))


def _conclusion(result: VerifyResult) -> int:
    """Echo the closing line where one is due; return the exit code (see the epilog)."""
    if not result.as_issued:
        echo(_not_as_issued(result))
    if result.only_inputs_absent:
        echo(
            "AS ISSUED, INPUTS NOT CHECKED: the PDF's pages, page 1's verdict and its "
            f"attachments are as issued; none of its {len(result.files)} inputs was found, so "
            "the measurements were neither re-hashed nor re-judged"
        )
        return EXIT_INCOMPLETE  # the measurements not checked: incomplete, not altered
    return EXIT_PASS if result.ok else EXIT_FAIL
