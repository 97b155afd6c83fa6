"""Imported by the dossier pool's fork server (``BLOCK_PRELOAD``, see ``_blocking_unit``).

Once the command is starting its pool (the file ``BLOCKED.pool``: the server was started
before the captures were placed), it says so (the file ``BLOCKED``) and waits, still
importing, until the command's process is gone (at most a minute): a Ctrl-C sent meanwhile
reaches a server in its preload, and the command in its pool.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

_command = os.getppid()
_until = time.monotonic() + 60.0
while not Path(os.environ["BLOCKED"] + ".pool").exists() and time.monotonic() < _until:
    time.sleep(0.02)
Path(os.environ["BLOCKED"]).touch()
while os.getppid() == _command and time.monotonic() < _until:
    time.sleep(0.1)
