"""Test the CISPR 16-1-1 band table (rfcheck.cispr) against docs/references.md §4a/§4b.

Every band key ``rfcheck receiver --band`` accepts is checked, row by row: Bands C and D carry the
C/D constants (§4a: "Bands C and D share their constants") with their own edges.
"""

from __future__ import annotations

import math

import pytest

from rfcheck.cispr import BANDS, BandSpec, get_band

NAN = math.nan
# (f_lo, f_hi [Hz], B6 [Hz], tau_C, tau_D, tau_M [s], f_c [Hz], reference PRF [Hz], area [V s])
_CD_CONSTANTS = (120e3, 1e-3, 550e-3, 100e-3, 100.0, 100.0, 0.044e-6)
EXPECTED: dict[str, tuple[float, ...]] = {
    "A": (9e3, 150e3, 200.0, 45e-3, 500e-3, 160e-3, 10.0, 25.0, 13.5e-6),
    "B": (150e3, 30e6, 9e3, 1e-3, 160e-3, 160e-3, 100.0, 100.0, 0.316e-6),
    "C": (30e6, 300e6, *_CD_CONSTANTS),
    "D": (300e6, 1e9, *_CD_CONSTANTS),
    "CD": (30e6, 1e9, *_CD_CONSTANTS),
    "E": (1e9, 18e9, 1e6, NAN, NAN, 100e-3, 1e3, NAN, NAN),
}
_FIELDS = (
    "f_lo_hz",
    "f_hi_hz",
    "rbw_hz",
    "tau_charge_s",
    "tau_discharge_s",
    "tau_meter_s",
    "rms_corner_hz",
    "ref_prf_hz",
    "ref_pulse_vs",
)


def test_every_band_key_has_a_row() -> None:
    assert set(EXPECTED) == set(BANDS)


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_band_constants_match_the_references(key: str) -> None:
    spec: BandSpec = BANDS[key]
    assert spec.name == key
    for field, want in zip(_FIELDS, EXPECTED[key], strict=True):
        got = getattr(spec, field)
        if math.isnan(want):
            assert math.isnan(got), f"band {key} {field}: {got}"
        else:
            assert got == want, f"band {key} {field}: {got} (expected {want})"
    assert spec.has_qp is (key != "E")


@pytest.mark.parametrize("name", ["C/D", "c/d", "CD", "cd"])
def test_c_slash_d_is_the_cd_row(name: str) -> None:
    assert get_band(name) is BANDS["CD"]
