"""``rfcheck verify DOSSIER.pdf [--inputs DIR]``: re-check a dossier PDF against its inputs."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..errors import EXIT_FAIL, EXIT_INPUT_ERROR, EXIT_PASS, RfcheckError
from ..textsafe import printable
from ._common import echo, report_error

if TYPE_CHECKING:
    from ..record.verify import FileCheck

__all__ = ["verify_cmd"]


def _line(check: FileCheck) -> str:
    from ..record.verify import FileStatus

    path = printable(check.path)  # paths come from an untrusted PDF
    if check.status is FileStatus.MATCH:
        return f"match    {path}"
    if check.status is FileStatus.MISSING:
        return f"MISSING  {path}"
    return (
        f"DIFFERS  {path} (expected sha256 {check.expected_sha256[:16]}…, "
        f"found {check.found_sha256[:16] if check.found_sha256 else ''}…)"
    )


@click.command(
    "verify",
    epilog="""\b
Exit codes:
  0  every input listed in the manifest is present and byte-identical, and
     re-judging them with the embedded settings gives the recorded verdict
  1  an input differs or is missing (one line each names it), or the verdict
     no longer stands
  2  usage error
  3  the PDF cannot be read or carries no valid embedded manifest""",
)
@click.argument("dossier", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--inputs",
    "inputs_dir",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    default=Path("."),
    show_default=True,
    help="Folder the dossier was made from: the manifest's paths are relative to it.",
)
def verify_cmd(dossier: Path, inputs_dir: Path) -> None:
    """Re-hash the inputs listed in DOSSIER.pdf's embedded manifest and say which match.

    Reads the manifest.json attached to the PDF (every input with its SHA-256), hashes each
    file found under --inputs from its bytes on disk, and prints one line per input:
    'match', 'DIFFERS' or 'MISSING', then a summary line. When every input matches, the
    unit is judged again with the embedded settings and a last line says whether the
    recorded verdict stands.
    """
    # imported here: the record package loads reportlab, pypdf and matplotlib, which every
    # other command's start-up should not pay for
    from ..product.record import can_rejudge, rejudge
    from ..record.verify import FileStatus, read_manifest, verify_pdf

    try:
        judge = can_rejudge(read_manifest(dossier).settings)
        result = verify_pdf(
            dossier,
            inputs_dir,
            (lambda m, settings: rejudge(m, settings, inputs_dir)) if judge else None,
        )
    except RfcheckError as err:
        report_error(err)
        sys.exit(EXIT_INPUT_ERROR)
    for check in result.files:
        echo(_line(check))
    n_ok = sum(1 for c in result.files if c.status is FileStatus.MATCH)
    rid = printable(result.manifest.report_id.text)
    echo(f"{n_ok} of {len(result.files)} inputs match the manifest of {rid}")
    judged = result.rejudged
    if not judge:
        echo("not re-judged: the manifest carries no dossier settings (hashes only)")
    elif judged is None:
        echo("not re-judged: the inputs differ from the manifest")
    elif judged.stands:
        echo(f"re-judged with the embedded settings: {judged.found}, the recorded verdict stands")
    else:
        recorded = printable(judged.recorded or "none")
        echo(
            f"re-judged with the embedded settings: {judged.found}, "
            f"the recorded verdict ({recorded}) does NOT stand"
        )
    sys.exit(EXIT_PASS if result.ok else EXIT_FAIL)
