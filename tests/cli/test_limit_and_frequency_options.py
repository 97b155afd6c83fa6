"""The ``--limit`` id and ``--highest-frequency`` checks: one function each, one message.

``check``, ``batch`` and ``compare`` call :func:`rfcheck.cli._common.check_limit_ids`, and
``check`` and ``batch`` :func:`rfcheck.cli._common.check_highest_frequency` (47 CFR
15.33(b)(1)); the commands' exit code and message are pinned in ``test_usage_errors.py``.
"""

from __future__ import annotations

import click
import pytest

from rfcheck.cli._common import check_highest_frequency, check_limit_ids
from rfcheck.limits import shipped_ids


def test_check_limit_ids_accepts_every_shipped_id() -> None:
    check_limit_ids(tuple(shipped_ids()))
    check_limit_ids(())


def test_check_limit_ids_names_the_first_unknown_id_and_lists_the_known() -> None:
    with pytest.raises(click.BadParameter) as info:
        check_limit_ids(("fcc-15.109-b", "fcc-15.999", "nope"))
    assert info.value.param_hint == "'--limit'"
    assert info.value.message == (
        f"unknown limit id 'fcc-15.999' (known: {', '.join(shipped_ids())})"
    )


@pytest.mark.parametrize("freq_hz", [None, 9e3, 150e3, 1.2e9])
def test_check_highest_frequency_accepts_none_and_radio_frequencies(freq_hz: float | None) -> None:
    check_highest_frequency(freq_hz)


@pytest.mark.parametrize(
    ("freq_hz", "shown"), [(1.0, "1 Hz"), (700.0, "700 Hz"), (8999.0, "8.999 kHz")]
)
def test_check_highest_frequency_refuses_below_9_khz(freq_hz: float, shown: str) -> None:
    """Below 9 kHz there is no radio frequency energy (47 CFR 15.3): a unit slip (700 for 700M)."""
    with pytest.raises(click.BadParameter) as info:
        check_highest_frequency(freq_hz)
    assert info.value.param_hint == "'--highest-frequency'"
    assert info.value.message == (
        f"highest frequency {shown} is below 9 kHz, where a device generates no radio "
        "frequency energy (47 CFR 15.3); give it with its unit (700M)"
    )


@pytest.mark.parametrize("freq_hz", [0.0, -1.0, -700e6])
def test_check_highest_frequency_refuses_zero_and_negative(freq_hz: float) -> None:
    with pytest.raises(click.BadParameter) as info:
        check_highest_frequency(freq_hz)
    assert info.value.param_hint == "'--highest-frequency'"
    assert info.value.message == "must be > 0 Hz"
