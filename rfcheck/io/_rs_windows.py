"""The windows of an R&S FSW/FPL ASCII export, and a zero-span window beside a sweep.

The FSW/FPL manuals' export writes window by window (``Window;n;<type>``), trace by trace
(``Trace n;;``). The first window's settings are the file's own header; a later window's
settings, up to its first trace, are its own block, which its traces read over the file's
(:func:`open_window`, :func:`window_header`). A window whose x axis is time (a zero span:
``x-Unit;s;``, a ``Zero Span`` window type, or, with no ``x-Unit`` of its own, ``Start``/
``Stop`` in seconds) is no spectrum: in a file of several windows its traces are dropped with
a note and the others read; a file whose every window is one is refused
(:class:`ZeroSpanWindows`). ``docs/formats.md``, ``rs-ascii``.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import CaptureFormatError
from ._rs_axis import time_axis
from ._rs_sections import Section

__all__ = ["WINDOW_FIELDS", "ZeroSpanWindows", "open_window", "window_header"]


def open_window(
    vals: list[str], line: int, current: Section, glob: Section, window_sec: Section | None
) -> tuple[Section, Section | None, str]:
    """Start the block of a ``Window;n;<type>`` line at 1-based ``line``.

    Returns the section the next lines go to, the window's block (None for the first window)
    and the prefix of its traces' names (``Window 2 ``). The window type (``Frequency
    Sweep``, ``Zero Span``) is kept as the field ``window_type``: the first window's in the
    global header.
    """
    number = vals[0].strip()
    kind = ([v for v in vals[1:] if v.strip()], line)
    if number == "1" and window_sec is None:
        glob.fields.setdefault("window_type", kind)
        return current, None, ""
    block = Section(f"Window {number}", {"window_type": kind}, line=line, is_window=True)
    return block, block, f"Window {number} "  # a trace of a second window is another trace


def window_header(glob: Section, sec: Section) -> Section:
    """Return the header a trace reads its settings from: its window's block over the file's."""
    if sec.window is None:
        return glob
    return Section(glob.name, {**glob.fields, **sec.window.fields})


#: Settings of the file's header that are the first window's, not the file's: a later window
#: does not inherit them from a zero-span first window (its axis, bandwidths and timing).
WINDOW_FIELDS = frozenset(
    {
        "x_unit",
        "start_hz",
        "stop_hz",
        "rbw_hz",
        "vbw_hz",
        "sweep_time_s",
        "dwell_s",
        "n_points",
        "detector",
        "trace_mode",
        "step_hz",
        "step_mode",
        "window_type",
    }
)


class ZeroSpanWindows:
    """The traces of a several-window export dropped for a time axis, and the refusal.

    Parameters
    ----------
    path : Path
        The file, for the refusal.
    windowed : bool
        Whether the file has windows past the first: a single window's zero span is refused
        by the trace's own axis checks, as before.
    """

    def __init__(self, path: Path, windowed: bool) -> None:
        self.path = path
        self.windowed = windowed
        #: (trace name, what says its axis is time, 1-based line), in file order
        self.seen: list[tuple[str, str, int]] = []
        self._noted: set[str] = set()

    def header(self, glob: Section, sec: Section, warnings: list[str]) -> Section:
        """Return the header trace ``sec`` reads its settings from (:func:`window_header`).

        The file's header holds the first window's settings. When that window is a zero span
        (its ``x-Unit`` in s, its type, or its ``Start``/``Stop`` in seconds), a later window
        that states its own axis or a sweep window type does not inherit its axis, bandwidths
        or timing (:data:`WINDOW_FIELDS`): a sweep window that does not restate its RBW has
        none stated, rather than the zero span's, noted once per window. A later window that
        states neither reads the header as before (a time record like window 1: dropped).
        """
        if not self.windowed or sec.window is None:
            return window_header(glob, sec)
        if time_axis(glob.fields, glob.fields, self.path) is None:
            return window_header(glob, sec)
        own = {**sec.window.fields, **sec.fields}
        kind = " ".join(own.get("window_type", ([], 0))[0]).lower()
        if not any(k in own for k in ("x_unit", "start_hz", "stop_hz")) and "sweep" not in kind:
            # a window that states neither its axis nor a sweep type: as the file's header
            # says, a time record like window 1 (dropped), never a 0-0.02 Hz spectrum
            return window_header(glob, sec)
        inherited = {k: v for k, v in glob.fields.items() if k not in WINDOW_FIELDS}
        name = sec.window.name
        if name not in self._noted:
            self._noted.add(name)
            warnings.append(
                f"{name}: window 1 is a zero-span window: its settings in the file's header "
                "(x-Unit, Start, Stop, RBW, VBW, SWT, ...) are not read as this window's; it "
                "reads only what it states itself"
            )
        return Section(glob.name, {**inherited, **sec.window.fields})

    def dropped(self, header: Section, sec: Section, warnings: list[str]) -> bool:
        """Whether trace ``sec`` (read over ``header``) is a zero-span window's: noted if so."""
        if not self.windowed:
            return False
        own = {**(sec.window.fields if sec.window else {}), **sec.fields}
        timed = time_axis({**header.fields, **sec.fields}, own, self.path)
        if timed is None:
            return False
        why, line = timed
        name = sec.name if sec.window is not None else f"Window 1 {sec.name}"
        self.seen.append((name, why, line))
        warnings.append(
            f"{name}: dropped: {why} (line {line}): a zero-span window, whose x axis is "
            "time, not frequency; the other windows are read"
        )
        return True

    def refuse_if_all_dropped(self) -> None:
        """Refuse a file left with no trace because every window was a zero-span one.

        Raises
        ------
        CaptureFormatError
            Naming the first dropped trace, what said its axis is time, and its line.
        """
        if self.seen:
            name, why, line = self.seen[0]
            raise CaptureFormatError(
                f"{name}: {why}: every window is a zero-span one (a time record, not a "
                "spectrum): zero-span exports are not supported",
                self.path,
                line,
            )
