"""Map calibration for each reflectance law (closed forms for uniform maps) and the haze model's limits."""

from __future__ import annotations

import numpy as np
import pytest

from viewer.render.albedo import albedo_scale, geometric_albedo
from viewer.sim import haze

UNIFORM = np.full((180, 360, 3), 0.5)


@pytest.mark.parametrize(("m", "expected"), [(2.0, 2.0 / 3.0), (1.0, 1.0), (1.9, 2.0 / 2.9)])
def test_uniform_map_geometric_albedo_matches_closed_forms(m, expected) -> None:
    """A uniform map of normal albedo a has p = 2a/3 (Lambert, m = 2), a (Lommel–Seeliger, m = 1) and
    2a/(2k+1) (Minnaert, m = 2k; k = 0.95)."""
    assert geometric_albedo(UNIFORM, m) == pytest.approx(0.5 * expected, rel=2e-4)


def test_albedo_scale_calibrates_to_the_published_value() -> None:
    rng = np.random.default_rng(3)
    m = rng.uniform(0.1, 0.9, (90, 180, 3))
    for law in (1.0, 1.9, 2.0):
        assert geometric_albedo(m * albedo_scale(m, 0.52, law), law) == pytest.approx(0.52, rel=1e-12)
    with pytest.raises(ValueError, match="black"):
        albedo_scale(np.zeros((4, 8, 3)), 0.5)


def test_haze_disc_thin_limit_and_night() -> None:
    """For τ/μ ≪ 1 the haze glows ϖP/4·τ/μ and the clouds lose τ(1/μ0 + 1/μ); nothing on the night side."""
    trans, glow = haze.disc(0.8, 0.5, 1e-4, 71492.0)
    assert glow == pytest.approx(haze.W_P_OVER_4 * 1e-4 / 0.5, rel=1e-3)
    assert trans == pytest.approx(1.0 - 1e-4 * (1 / 0.8 + 1 / 0.5), rel=1e-6)
    assert haze.disc(-0.1, 0.5, 0.03, 71492.0) == (1.0, 0.0)
    # Grazing: the air mass is capped by the Chapman factor, not 1/mu.
    _, grazing = haze.disc(1.0, 1e-6, 0.03, 71492.0)
    assert 0.0 < float(grazing) < haze.W_P_OVER_4


def test_haze_limb_profile() -> None:
    """Optically thick at the limb seen edge-on (τ√(2πr/H) ≈ 3.9), falling with the scale height above."""
    r, tau = 71492.0, haze.TAU_LOW_LATITUDES
    h = np.array([0.0, 27.0, 54.0, 270.0, -1.0])
    prof = haze.limb(h, 1.0, tau, r)
    assert prof[0] > 0.9 * haze.W_P_OVER_4 * (1 - np.exp(-tau * np.sqrt(2 * np.pi * r / 27.0)))
    assert prof[0] > prof[1] > prof[2] > 0.0
    # Thin far up: the radiance falls by e per scale height.
    thin = haze.W_P_OVER_4 * tau * np.exp(-10) * np.sqrt(2 * np.pi * r / 27)
    assert prof[3] == pytest.approx(thin, rel=1e-3)
    assert prof[4] == 0.0
    assert float(haze.limb(10.0, -0.2, tau, r)) == 0.0  # the limb point is in night: no sunlit haze
    assert float(haze.vertical_tau(0.0)) == haze.TAU_LOW_LATITUDES
    assert float(haze.vertical_tau(1.0)) == haze.TAU_HIGH_LATITUDES
