"""The band's honesty, pinned: a short run of the calibration benchmark's simulated worlds.

The full table (``python benchmarks/calibration.py``) runs 400 careers per scenario and interview count; this
runs fewer, so it allows a wider range than the 85-95% target, but still fails if the band is grossly too
narrow (a false sense of certainty) or so wide that it always holds the truth (useless).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest

SPEC = importlib.util.spec_from_file_location(
    "calibration", Path(__file__).resolve().parents[2] / "benchmarks" / "calibration.py"
)
assert SPEC is not None and SPEC.loader is not None
calibration = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(calibration)


@pytest.mark.parametrize("scenario", ["full", "heaviest only", "divided"])
def test_the_band_holds_the_true_fit_about_nine_times_in_ten(scenario: str) -> None:
    rng = np.random.default_rng(2024)
    inside = total = 0
    for count in (1, 3, 5):
        for _ in range(6):
            world = calibration.World(rng, 10, scenario)
            for career in range(10):
                for _ in range(count):
                    world.interview(career)
            for score in world.assess().scores:
                truth = world.true_fit(score.career_id - 1)
                inside += score.low <= truth <= score.high
                total += 1
    assert 0.80 <= inside / total <= 0.99, f"{scenario}: {inside}/{total} inside the band"
