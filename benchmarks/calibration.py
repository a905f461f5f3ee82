"""Calibration of the fit's band, and which career to interview next, in simulated worlds with known truth.

Each world has a profile of 20 criteria (6 interests, 8 skills, 6 values; weights 1-5 at random) and careers
whose true share of every criterion is drawn independently around the middle of the scale (what the model
assumes). Interviewees answer ``round(1 + 4 x (truth + their own lean + noise))`` cut to 1-5: whole numbers,
as people rate, with a personal lean (sd 0.05 share) and noise (sd 0.15), which the model does not know and
estimates from the ratings. The scenarios vary what the model has to cope with:

* ``full``: every interview rates every criterion;
* ``random half``: each interview rates each criterion with probability 0.5;
* ``heaviest only``: each interview rates only the five heaviest criteria (what "ask about what matters
  most first" produces);
* ``divided``: interviewees come from two camps, one rating everything 0.15 higher than the other;
* ``shared lean``: all interviewees of a career lean the same way (sd 0.015, the floor the model assumes).

For 1, 2, 3, 5 and 10 interviews per career it prints the share of careers whose true fit lies in the band
(target 85-95%) and the band's mean half-width.

The policy table: worlds of 10 careers, 15 interviews to spend, each interview rating every criterion; after
the budget, the user picks the career with the best fit. It prints how often that is the truly best career
for this tool's next pick (the knowledge gradient on the same beliefs), top-fit-first, round-robin, random
and Thompson sampling. Seeds are fixed: the figures are the same on every run.

Run: ``python benchmarks/calibration.py`` (part of ``make bench``); ``--quick`` for fewer worlds.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from analytics.beliefs.choice import thompson_pick
from analytics.beliefs.inputs import inputs_from_ratings
from analytics.beliefs.ranking import Assessment, assess_data
from analytics.beliefs.weights import effective_weights
from analytics.models import Career, Criterion
from analytics.recommend import interview_values

DIMENSION_SIZES = (("interest", 6), ("skill", 8), ("value", 6))
DIMENSION_WEIGHTS = {"interest": 1.0, "skill": 1.0, "value": 1.0}
TRUTH_SD = 0.30
LEAN_SD = 0.05
NOISE_SD = 0.15
SHARED_LEAN_SD = 0.015
CAMP_GAP = 0.15
SCENARIOS = ("full", "random half", "heaviest only", "divided", "shared lean")
INTERVIEW_COUNTS = (1, 2, 3, 5, 10)


def profile(rng: np.random.Generator) -> list[Criterion]:
    criteria = []
    for dimension, size in DIMENSION_SIZES:
        for _ in range(size):
            k = len(criteria) + 1
            criteria.append(Criterion(k, f"c{k}", dimension, float(rng.integers(1, 6)), position=k))
    return criteria


class World:
    """Careers with true shares, and a way to hold one interview about a career."""

    def __init__(self, rng: np.random.Generator, careers: int, scenario: str) -> None:
        self.rng = rng
        self.scenario = scenario
        self.criteria = profile(rng)
        self.weights = effective_weights(self.criteria, DIMENSION_WEIGHTS)
        self.careers = [Career(c + 1, f"career {c + 1:02d}") for c in range(careers)]
        self.truth = np.clip(rng.normal(0.5, TRUTH_SD, size=(careers, len(self.criteria))), 0.0, 1.0)
        shared = SHARED_LEAN_SD if scenario == "shared lean" else 0.0
        self.shared = rng.normal(0.0, shared, size=careers) if shared else np.zeros(careers)
        heaviest = sorted(self.criteria, key=lambda c: (-c.weight, c.id))[:5]
        self.heaviest = {c.id for c in heaviest}
        self.ratings: list[tuple[int, int, int, float]] = []
        self.next_interview = 1

    def true_fit(self, career_index: int) -> float:
        return 100.0 * sum(w * self.truth[career_index, k - 1] for k, w in self.weights.items())

    def interview(self, career_index: int) -> None:
        lean = self.rng.normal(0.0, LEAN_SD) + self.shared[career_index]
        if self.scenario == "divided":
            lean += CAMP_GAP / 2 if self.rng.random() < 0.5 else -CAMP_GAP / 2
        for criterion in self.criteria:
            if self.scenario == "random half" and self.rng.random() >= 0.5:
                continue
            if self.scenario == "heaviest only" and criterion.id not in self.heaviest:
                continue
            share = self.truth[career_index, criterion.id - 1] + lean + self.rng.normal(0.0, NOISE_SD)
            rating = float(np.clip(np.round(1.0 + 4.0 * share), 1.0, 5.0))
            self.ratings.append((career_index + 1, self.next_interview, criterion.id, rating))
        self.next_interview += 1

    def assess(self) -> Assessment:
        return assess_data(self.careers, self.criteria, DIMENSION_WEIGHTS, inputs_from_ratings(self.ratings))


def calibration(worlds: int, careers: int = 10) -> list[tuple[str, int, float, float]]:
    """(scenario, interviews, share of true fits inside the band, mean half-width) per cell."""
    rows = []
    for scenario_number, scenario in enumerate(SCENARIOS):
        for count in INTERVIEW_COUNTS:
            rng = np.random.default_rng(1000 * scenario_number + count)
            inside = total = 0
            widths = []
            for _ in range(worlds):
                world = World(rng, careers, scenario)
                for c in range(careers):
                    for _ in range(count):
                        world.interview(c)
                for score in world.assess().scores:
                    truth = world.true_fit(score.career_id - 1)
                    assert score.low is not None and score.high is not None
                    inside += score.low <= truth <= score.high
                    total += 1
                    widths.append((score.high - score.low) / 2)
            rows.append((scenario, count, inside / total, float(np.mean(widths))))
    return rows


def _kg(world: World, assessment: Assessment, rng: np.random.Generator, step: int) -> int:
    values = interview_values(assessment)
    best = max(values, key=lambda c: (values[c].priority, values[c].mean + 1.645 * values[c].sd, -c))
    return best - 1


def _top(world: World, assessment: Assessment, rng: np.random.Generator, step: int) -> int:
    values = interview_values(assessment)
    return max(values, key=lambda c: (values[c].mean, -c)) - 1


def _round_robin(world: World, assessment: Assessment, rng: np.random.Generator, step: int) -> int:
    return step % len(world.careers)


def _random(world: World, assessment: Assessment, rng: np.random.Generator, step: int) -> int:
    return int(rng.integers(len(world.careers)))


def _thompson(world: World, assessment: Assessment, rng: np.random.Generator, step: int) -> int:
    values = interview_values(assessment)
    ids = sorted(values)
    return ids[thompson_pick([values[c].mean for c in ids], [values[c].sd for c in ids], rng)] - 1


POLICIES: dict[str, Callable[[World, Assessment, np.random.Generator, int], int]] = {
    "this tool's next pick (knowledge gradient)": _kg,
    "top fit first": _top,
    "round robin": _round_robin,
    "random": _random,
    "Thompson sampling": _thompson,
}


def policies(worlds: int, careers: int = 10, budget: int = 15) -> list[tuple[str, float, float]]:
    """(policy, share of worlds where the final pick is the truly best career, mean regret in fit points)."""
    rows = []
    for name, policy in POLICIES.items():
        rng = np.random.default_rng(7)  # every policy meets the same worlds
        choice_rng = np.random.default_rng(11)
        hits = 0
        regrets = []
        for _ in range(worlds):
            world = World(rng, careers, "full")
            truths = [world.true_fit(c) for c in range(careers)]
            for step in range(budget):
                world.interview(policy(world, world.assess(), choice_rng, step))
            final = world.assess()
            values = interview_values(final)
            pick = max(values, key=lambda c: (values[c].mean, -c)) - 1
            hits += pick == int(np.argmax(truths))
            regrets.append(max(truths) - truths[pick])
        rows.append((name, hits / worlds, float(np.mean(regrets))))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer worlds (a rough figure in seconds)")
    args = parser.parse_args()
    worlds, policy_worlds = (8, 40) if args.quick else (40, 300)
    start = time.perf_counter()
    print(f"Band calibration ({worlds} worlds x 10 careers per cell; target: 85-95% inside the band)")
    print(f"{'scenario':<15} {'interviews':>10} {'inside band':>12} {'half-width':>11}")
    for scenario, count, inside, width in calibration(worlds):
        print(f"{scenario:<15} {count:>10} {inside:>11.1%} {width:>10.1f}")
    print()
    print(f"Choosing the best of 10 careers with 15 interviews ({policy_worlds} worlds)")
    print(f"{'policy':<44} {'picked the best':>15} {'mean regret':>12}")
    for name, share, regret in policies(policy_worlds):
        print(f"{name:<44} {share:>15.1%} {regret:>12.2f}")
    print(f"\n({time.perf_counter() - start:.0f} s)")


if __name__ == "__main__":
    main()
