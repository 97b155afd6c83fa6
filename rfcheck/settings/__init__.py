"""What a check is asked to do: the settings as data, and the ``--setup`` TOML file.

:mod:`.model` holds :class:`CheckSettings` (everything ``check`` needs besides the capture) and
:class:`Setup` with its :class:`Rule` and :class:`BatchSettings`; :mod:`.setup_file` reads and
validates a setup file into them (:func:`load_setup`; its docstring holds the schema, the
README "Setup file" an example).
"""

from __future__ import annotations

from .model import BatchSettings, CheckSettings, PowerSource, Rule, Setup, parse_file_or_db
from .setup_file import RECORD_TABLES, load_setup

__all__ = [
    "RECORD_TABLES",
    "BatchSettings",
    "CheckSettings",
    "PowerSource",
    "Rule",
    "Setup",
    "load_setup",
    "parse_file_or_db",
]
