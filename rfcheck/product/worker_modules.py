"""What every dossier worker runs, imported once by the pool's fork server.

``rfcheck dossier`` judges and writes its units in a process pool whose fork server imports
this module (``set_forkserver_preload``); each worker starts as a copy of that server, with
the text loaders, the judgement and the renderers imported (~0.7 s it does not pay again).
They are imported with the garbage collector paused and then frozen
(:func:`rfcheck.allocator.imports_uncollected`): ~0.1 s of the server's start went to the
collector's full passes over the objects the imports were making.

What every worker did again on its first unit is done here once too (~35 ms per worker,
measured on the sample rig): the PDF faces registered (reportlab parses the three DejaVu
TrueType files, ~23 ms), matplotlib's style library read (the port plots are drawn in its
``default`` style, ~7 ms), PIL's image plugins (the record's photos) and pypdf's stream
filters (sealing) imported.
"""

from __future__ import annotations

from ..allocator import imports_uncollected

__all__: list[str] = []

with imports_uncollected():
    import matplotlib.style  # noqa: F401  the port plots' default style
    import pandas  # noqa: F401  the text loaders' fast path
    import pypdf.filters  # noqa: F401  sealing each record (rfcheck.record.pages), decoding
    from PIL import Image

    from ..record import story  # noqa: F401
    from ..report.dossier import html, pdf, plots  # noqa: F401
    from ..report.fonts import register_fonts
    from . import dossier, record  # noqa: F401

    Image.preinit()  # the photos' formats (PNG, JPEG, ...), as opening the first one would
    register_fonts()  # every PDF's faces, parsed once
