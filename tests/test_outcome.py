"""Test the verdict precedence (rfcheck.outcome.combine_verdicts) the README states.

README §Exit codes: "precedence FAIL > ERROR > INCONCLUSIVE > INCOMPLETE > PASS"; the worst
verdict of several decides (docs/verdict.md).
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest

from rfcheck.outcome import Verdict, combine_verdicts

REPO = Path(__file__).resolve().parents[1]
#: Worst first, as the README prints it.
ORDER = (Verdict.FAIL, Verdict.ERROR, Verdict.INCONCLUSIVE, Verdict.INCOMPLETE, Verdict.PASS)


def test_the_order_is_the_one_the_readme_states() -> None:
    text = " ".join((REPO / "README.md").read_text(encoding="utf-8").split())
    stated = set(re.findall(r"precedence ((?:[A-Z]+ > )+[A-Z]+)", text))
    assert stated == {" > ".join(v.value for v in ORDER)}
    assert set(ORDER) == set(Verdict)


@pytest.mark.parametrize(
    ("worse", "better"),
    list(itertools.combinations(ORDER, 2)),
    ids=lambda v: v.value,
)
def test_the_worse_of_each_pair_decides(worse: Verdict, better: Verdict) -> None:
    assert combine_verdicts([worse, better]) is worse
    assert combine_verdicts((better, worse)) is worse
    assert combine_verdicts([better, Verdict.PASS, worse, better]) is worse


@pytest.mark.parametrize("verdict", ORDER, ids=lambda v: v.value)
def test_one_verdict_is_its_own_combination(verdict: Verdict) -> None:
    assert combine_verdicts([verdict]) is verdict
    assert combine_verdicts([verdict, verdict]) is verdict


def test_nothing_to_combine_is_an_error() -> None:
    assert combine_verdicts([]) is Verdict.ERROR
