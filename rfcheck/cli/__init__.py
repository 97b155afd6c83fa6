"""The ``rfcheck`` command line: a Click group with one verb per subcommand.

Exit codes (stable, documented in the README): 0 pass, 1 at least one FAIL,
2 usage error, 3 an input could not be read or analysed (and none failed),
4 no FAIL and no error but at least one INCONCLUSIVE.
"""

from __future__ import annotations

import click

from .._version import __version__
from ._batch import batch_cmd
from ._check import check_cmd
from ._info import formats_cmd, info_cmd
from ._limits import limits_group
from ._receiver import receiver_cmd

__all__ = ["main"]


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, "--version", prog_name="rfcheck")
def main() -> None:
    """rfcheck: judge RF emissions captures against FCC Part 15 and CISPR 32 limits.

    Typical flow: 'rfcheck info' to see what a file holds, 'rfcheck check' to judge it,
    'rfcheck receiver' to compute CISPR detector readings from a time-domain recording,
    'rfcheck batch' for a whole folder.
    """


main.add_command(formats_cmd)
main.add_command(info_cmd)
main.add_command(check_cmd)
main.add_command(limits_group)
main.add_command(receiver_cmd)
main.add_command(batch_cmd)
