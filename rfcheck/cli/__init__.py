"""The ``rfcheck`` command line: a Click group with one verb per subcommand.

Exit codes (stable, documented in the README): 0 pass, 1 at least one FAIL,
2 usage error, 3 an input could not be read or analysed (and none failed) or an internal
error, 4 no FAIL and no error but at least one INCONCLUSIVE.

No exception escapes a command as a traceback with exit code 1 (which would read as FAIL):
an unexpected one prints ``rfcheck: internal error: <Type>: <message>`` and exits 3 (set
``RFCHECK_DEBUG=1`` to see the traceback instead). A reader that closes stdout early
(``rfcheck info F | head -1``) ends the command quietly: exit 0, or the command's own code
when it had already finished. Every message is printed through
:func:`rfcheck.textsafe.printable` (no raw control or bidi character from a file name).
"""

from __future__ import annotations

import errno
import os
import sys
from typing import Any

import click

from .._version import __version__
from ..allocator import keep_freed_memory
from ..errors import EXIT_INPUT_ERROR, RfcheckError
from ..textsafe import printable
from ._batch import EXIT_INTERRUPTED, batch_cmd
from ._check import check_cmd
from ._common import ARGV_META_KEY, echo, report_error, silence_stdout
from ._compare import compare_cmd
from ._dossier import dossier_cmd
from ._explain import explain_cmd
from ._info import formats_cmd, info_cmd
from ._limits import limits_group
from ._lot import lot_cmd
from ._receiver import receiver_cmd
from ._verify import verify_cmd

__all__ = ["main"]

#: Set to a non-empty value other than ``0`` to let unexpected exceptions show a traceback.
DEBUG_ENV = "RFCHECK_DEBUG"

#: Exit code when stdout closed under a write that :func:`~rfcheck.cli._common.echo` did not
#: make, so the command stopped before its verdict: 128 + SIGPIPE, what a shell reports for a
#: tool the closed pipe ended (never 0, which would read as PASS).
EXIT_STDOUT_CLOSED = 141


class _Group(click.Group):
    """The command group; maps exceptions escaping a command to documented exit codes."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        """Keep the arguments as typed (:func:`~rfcheck.cli._common.typed_command`)."""
        ctx.meta[ARGV_META_KEY] = tuple(args)
        return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            result = self._invoke_mapped(ctx)
        except SystemExit:
            _flush_stdout()  # the exit code stands even if the reader left early
            raise
        _flush_stdout()
        return result

    def _invoke_mapped(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except click.exceptions.NoArgsIsHelpError:
            raise  # a group called without a command: its help, our own text, several lines
        except click.exceptions.ClickException as err:  # usage errors (exit 2): click prints them
            err.message = printable(err.message)  # type: ignore[misc]  # click marks it Final
            raise
        except (click.exceptions.Exit, click.exceptions.Abort):
            raise  # explicit exits, an aborted prompt: click's own handling
        except KeyboardInterrupt:  # Ctrl-C: never click's "Aborted!" and 1, the FAIL code
            echo("rfcheck: interrupted (Ctrl-C): no verdict", err=True)
            sys.exit(EXIT_INTERRUPTED)
        except RfcheckError as err:
            report_error(err)
            sys.exit(EXIT_INPUT_ERROR)
        except Exception as err:
            if isinstance(err, OSError) and err.errno == errno.EPIPE:
                silence_stdout()  # written outside echo: the run cannot go on to its verdict
                silence_stdout(err=True)
                sys.exit(EXIT_STDOUT_CLOSED)
            if os.environ.get(DEBUG_ENV, "") not in ("", "0"):
                raise
            echo(
                f"rfcheck: internal error: {type(err).__name__}: {printable(err)} "
                f"(set {DEBUG_ENV}=1 for the traceback)",
                err=True,
            )
            sys.exit(EXIT_INPUT_ERROR)


def _flush_stdout() -> None:
    """Flush stdout now, where a closed pipe can be handled quietly."""
    try:
        sys.stdout.flush()
    except OSError as err:
        if err.errno != errno.EPIPE:
            raise
        silence_stdout()


@click.group(
    cls=_Group, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100}
)
@click.version_option(__version__, "--version", prog_name="rfcheck")
def main() -> None:
    """rfcheck: judge RF emissions captures against FCC Part 15 and CISPR 32 limits.

    Typical flow: 'rfcheck info' to see what a file holds, 'rfcheck check' to judge it,
    'rfcheck receiver' to compute CISPR detector readings from a time-domain recording,
    'rfcheck batch' for a whole folder.
    """
    keep_freed_memory()  # a command renders capture after capture: no page faults for each


main.add_command(formats_cmd)
main.add_command(info_cmd)
main.add_command(check_cmd)
main.add_command(limits_group)
main.add_command(receiver_cmd)
main.add_command(batch_cmd)
main.add_command(dossier_cmd)
main.add_command(compare_cmd)
main.add_command(lot_cmd)
main.add_command(verify_cmd)
main.add_command(explain_cmd)
