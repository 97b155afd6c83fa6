"""Imported by the dossier pool's fork server (``BLOCK_PRELOAD``, see ``_blocking_unit``).

It says so (the file ``BLOCKED``) and waits, still importing, until the command's process
is gone (at most a minute): a Ctrl-C sent meanwhile reaches a server in its preload.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

_command = os.getppid()
Path(os.environ["BLOCKED"]).touch()
_until = time.monotonic() + 60.0
while os.getppid() == _command and time.monotonic() < _until:
    time.sleep(0.1)
