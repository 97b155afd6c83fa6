"""What every dossier worker runs, imported once by the pool's fork server.

``rfcheck dossier`` judges and writes its units in a process pool whose fork server imports
this module (``set_forkserver_preload``); each worker starts as a copy of that server, with
the text loaders, the judgement and the renderers imported (~0.7 s it does not pay again).
They are imported with the garbage collector paused and then frozen
(:func:`rfcheck.allocator.imports_uncollected`): ~0.1 s of the server's start went to the
collector's full passes over the objects the imports were making.
"""

from __future__ import annotations

from ..allocator import imports_uncollected

__all__: list[str] = []

with imports_uncollected():
    import pandas  # noqa: F401  the text loaders' fast path
    import pypdf  # noqa: F401  sealing each record (rfcheck.record.pages): once, not per worker

    from ..record import story  # noqa: F401
    from ..report.dossier import html, pdf, plots  # noqa: F401
    from . import dossier, record  # noqa: F401
