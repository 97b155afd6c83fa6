"""The report renderers' shared vocabulary: one namespace over the modules that hold it.

The renderers (text, HTML, PDF, plots, dossier) import it as ``from . import _common as C``.
Each concept lives in its own module:

- :mod:`._verdict_text`: the scope statement, sign convention, verdict colours, status
  legend, the deciding line and the verdict explained in words;
- :mod:`._coverage`: the ranges not evaluated, and the partial-coverage note;
- :mod:`._tables`: the summary, per-line and suspect tables as rows;
- :mod:`._fields`: the device, laboratory/test, equipment and settings tables, plot title;
- :mod:`._limit_tables`: each applied limit table described (:func:`describe_limit`);
- :mod:`._naming`: the report id, capture file stems, issue time;
- :mod:`._format`: numbers and frequencies as printed.

Nothing here decides a verdict; it only selects and formats what :mod:`rfcheck.results`
holds. Sign convention everywhere: ``margin_db = limit - level`` (positive = below the limit).
"""

from __future__ import annotations

from ..results import deciding_check
from ._coverage import capped_ranges, coverage_note, measured_ranges, not_evaluated_text
from ._fields import (
    CHECK_TITLE,
    NOT_STATED,
    SETTING_NAMES,
    Field,
    basis_lines,
    capture_port,
    capture_settings_differ,
    dut_fields,
    equipment_rows,
    judged_limits,
    plan_scope_lines,
    plot_title,
    running_header,
    settings_note,
    settings_rows,
    standard_and_class,
    suspect_window_db,
    test_fields,
    title_lines,
)
from ._format import fmt_freq_mhz, fmt_margin, fmt_num, fmt_range_mhz, margin_relation
from ._limit_tables import describe_limit
from ._naming import issued_text, report_id, sanitise_stem, unique_stems
from ._segments import limit_segments
from ._tables import (
    CHECK_HEADERS,
    SUMMARY_HEADERS,
    SUSPECT_FORMULA,
    Row,
    check_row,
    summary_row,
    suspect_headers,
    suspect_rows,
    suspect_sources,
)
from ._verdict_text import (
    MARGIN_NOTE,
    STATE_COLOURS,
    STATEMENT,
    STATUS_KEY,
    STATUS_LEGEND,
    VERDICT_COLOURS,
    assumed_dwell_note,
    assumed_scale_note,
    decision_rule_text,
    run_assumed_dwell,
    run_assumed_scale,
    run_unconfirmed,
    unconfirmed_note,
    verdict_qualifiers,
    verdict_summary,
    worst_check,
    worst_measured_check,
)

__all__ = [
    "STATEMENT",
    "STATUS_LEGEND",
    "STATUS_KEY",
    "SUSPECT_FORMULA",
    "unconfirmed_note",
    "assumed_dwell_note",
    "run_unconfirmed",
    "run_assumed_dwell",
    "run_assumed_scale",
    "assumed_scale_note",
    "verdict_qualifiers",
    "MARGIN_NOTE",
    "VERDICT_COLOURS",
    "STATE_COLOURS",
    "report_id",
    "sanitise_stem",
    "unique_stems",
    "issued_text",
    "fmt_freq_mhz",
    "fmt_margin",
    "margin_relation",
    "fmt_num",
    "fmt_range_mhz",
    "NOT_STATED",
    "CHECK_TITLE",
    "title_lines",
    "capture_port",
    "Field",
    "basis_lines",
    "plan_scope_lines",
    "dut_fields",
    "test_fields",
    "equipment_rows",
    "judged_limits",
    "verdict_summary",
    "worst_check",
    "worst_measured_check",
    "deciding_check",
    "capped_ranges",
    "coverage_note",
    "measured_ranges",
    "not_evaluated_text",
    "SETTING_NAMES",
    "settings_rows",
    "capture_settings_differ",
    "settings_note",
    "Row",
    "SUMMARY_HEADERS",
    "CHECK_HEADERS",
    "summary_row",
    "check_row",
    "suspect_headers",
    "suspect_rows",
    "suspect_sources",
    "decision_rule_text",
    "limit_segments",
    "suspect_window_db",
    "plot_title",
    "running_header",
    "standard_and_class",
    "describe_limit",
]
