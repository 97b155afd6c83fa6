"""What a capture's summary row shows: the deciding line and the tightest measured margin.

``worst_*`` is the line that decides the verdict (FAIL > INCONCLUSIVE > INCOMPLETE > PASS, then
the smallest margin), even when it is still open or was not measured; ``tightest_*`` is the
smallest margin whose level is measured or an upper bound, so nothing measured is lost
(docs/batch.md, "Summary rows").
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from rfcheck.batch.groups import group_rows
from rfcheck.batch.results import SummaryRow, row_from_capture, tightest_check
from rfcheck.outcome import Bound, Verdict
from rfcheck.report.summary import GROUP_COLUMNS, SUMMARY_COLUMNS, write_summary
from rfcheck.results import CaptureResult, LineCheck

LIMIT = "fcc-15.107-b"


def _line(
    line: str, verdict: Verdict, margin_db: float | None, f_hz: float | None, bound: Bound | None
) -> LineCheck:
    evaluated = ((150e3, 30e6),) if margin_db is not None else ()
    return LineCheck(LIMIT, line, line, verdict, margin_db, f_hz, bound, evaluated_hz=evaluated)


#: an average sweep: QP open (the AV reading is only a lower bound on QP), AV measured
AVG_SWEEP = (
    _line("QP", Verdict.INCONCLUSIVE, 12.71, 194775.0, Bound.LOWER),
    _line("AV", Verdict.PASS, 2.71, 194775.0, Bound.MEASURED),
)
#: a radiated peak scan: QP bounded from above, AV and PK lines not measured at all
RADIATED = (
    _line("QP", Verdict.PASS, 2.86, 375029000.0, Bound.UPPER),
    _line("AV", Verdict.INCOMPLETE, None, None, None),
    _line("PK", Verdict.INCOMPLETE, None, None, None),
)


def _row(checks: tuple[LineCheck, ...], path: str = "x.csv") -> SummaryRow:
    verdict = Verdict.INCONCLUSIVE if checks is AVG_SWEEP else Verdict.INCOMPLETE
    cap = CaptureResult(path=path, sha256=None, format="generic", verdict=verdict, checks=checks)
    return row_from_capture(cap, path=path, sha256=None)


def test_open_deciding_line_keeps_the_measured_margin_beside_it() -> None:
    row = _row(AVG_SWEEP)
    assert (row.worst_margin_db, row.worst_bound, row.worst_limit) == (
        12.71,
        "lower bound",
        f"{LIMIT} QP",
    )
    assert (row.tightest_margin_db, row.tightest_bound, row.tightest_limit) == (
        2.71,
        "measured",
        f"{LIMIT} AV",
    )
    assert row.tightest_frequency_hz == 194775.0


def test_unmeasured_deciding_line_does_not_lose_the_measured_margins() -> None:
    row = _row(RADIATED)
    assert row.worst_margin_db is None and row.worst_limit == f"{LIMIT} AV"
    assert (row.tightest_margin_db, row.tightest_bound, row.tightest_limit) == (
        2.86,
        "upper bound",
        f"{LIMIT} QP",
    )


def test_a_lower_bound_margin_is_never_the_tightest_measured() -> None:
    only_lower = (_line("QP", Verdict.INCONCLUSIVE, 1.0, 2e5, Bound.LOWER),)
    assert tightest_check(only_lower) is None
    assert tightest_check((*only_lower, AVG_SWEEP[1])) is AVG_SWEEP[1]


def test_summary_files_append_the_tightest_columns(tmp_path: Path) -> None:
    assert SUMMARY_COLUMNS[12:16] == (
        "tightest_margin_db",
        "tightest_frequency_hz",
        "tightest_bound",
        "tightest_limit",
    )
    assert SUMMARY_COLUMNS[:12] == (  # the earlier columns keep their place and meaning
        "path",
        "sha256",
        "format",
        "verdict",
        "coverage",
        "worst_margin_db",
        "worst_frequency_hz",
        "worst_bound",
        "worst_limit",
        "group",
        "reports",
        "error",
    )
    assert GROUP_COLUMNS[10:15] == (
        "tightest_margin_db",
        "tightest_frequency_hz",
        "tightest_bound",
        "tightest_limit",
        "tightest_path",
    )
    rows, groups = group_rows(
        [_row(AVG_SWEEP, "dut/avg.csv"), _row(RADIATED, "dut/h.csv")],
        ["dut/avg.csv", "dut/h.csv"],
        re.compile(r"(?P<unit>[^/]+)/"),
    )
    out = tmp_path / "out"
    write_summary(out, rows, groups, pattern="(?P<unit>[^/]+)/")
    avg, rad = csv.DictReader(io.StringIO((out / "summary.csv").read_text(encoding="utf-8")))
    assert (avg["tightest_margin_db"], avg["tightest_limit"]) == ("2.71", f"{LIMIT} AV")
    assert (rad["worst_margin_db"], rad["tightest_margin_db"]) == ("", "2.86")
    (group,) = csv.DictReader(io.StringIO((out / "summary_groups.csv").read_text(encoding="utf-8")))
    assert (group["tightest_margin_db"], group["tightest_path"]) == ("2.71", "dut/avg.csv")
    assert SummaryRow.from_json(rows[1].to_json()) == rows[1]
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "<th>Tightest measured</th>" in page
    assert ">\u2265 +2.86 dB</td>" in page


def test_index_prints_positive_margins_with_their_sign(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_summary(out, [_row(AVG_SWEEP, "avg.csv")], [])
    page = (out / "index.html").read_text(encoding="utf-8")
    assert ">+2.71 dB</td>" in page  # as -3.23 dB is printed with its sign
    assert ">\u2264 +12.71 dB</td>" in page
    assert ">2.71 dB</td>" not in page
