"""Builds the belief model's inputs from plain ratings in memory, as the store's SQL does from its tables.

The app always reads its inputs with :func:`analytics.db.belief_stats.read_belief_inputs`. This builder
exists for the calibration benchmark, which simulates thousands of interview histories and cannot afford a
database round trip for each; a test checks that both give the same numbers on the same ratings.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

from ..db.belief_stats import BeliefInputs, Pattern, PooledSpread

Rating = tuple[int, int, int, float]  # (career, interview, criterion, rating on 1-5)


def inputs_from_ratings(
    ratings: Iterable[Rating], expectations: Mapping[int, Mapping[int, float]] | None = None
) -> BeliefInputs:
    """The :class:`BeliefInputs` of interview ``ratings`` and ``expectations`` (career -> criterion -> 1-5)."""
    by_interview: dict[tuple[int, int], dict[int, float]] = defaultdict(dict)
    for career, interview, criterion, value in ratings:
        by_interview[(career, interview)][criterion] = float(value)
    counts: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    totals: dict[int, dict[int, float]] = defaultdict(lambda: defaultdict(float))
    squares: dict[tuple[int, int], float] = defaultdict(float)
    pattern_sums: dict[tuple[int, tuple[int, ...]], list[float]] = {}
    for (career, _), answers in sorted(by_interview.items()):
        for criterion, value in answers.items():
            counts[career][criterion] += 1
            totals[career][criterion] += value
            squares[(career, criterion)] += value * value
        key = (career, tuple(sorted(answers)))
        entry = pattern_sums.setdefault(key, [0, 0.0])
        entry[0] += 1
        entry[1] += sum(answers.values())
    patterns: dict[int, list[Pattern]] = defaultdict(list)
    for (career, pattern), (interviews, total) in sorted(pattern_sums.items()):
        patterns[career].append(Pattern(pattern, int(interviews), total))

    spreads: dict[int, PooledSpread] = {}
    for career, per_criterion in counts.items():
        within = 0.0
        within_df = 0
        for criterion, n in per_criterion.items():
            if n >= 2:
                total = totals[career][criterion]
                within += (squares[(career, criterion)] * n - total * total) / n
                within_df += n - 1
        if within_df:
            spreads[career] = PooledSpread(within, within_df)
    for (career, _), answers in by_interview.items():
        deviations = []
        shrink = 0.0
        for criterion, value in answers.items():
            n = counts[career][criterion]
            if n >= 2:
                deviations.append((value * n - totals[career][criterion]) / n)
                shrink += 1.0 - 1.0 / n
        if deviations and career in spreads:
            k = len(deviations)
            cross = sum(deviations) ** 2 - sum(d * d for d in deviations)
            spreads[career] = spreads[career] + PooledSpread(0.0, 0, cross, k * (k - 1), int(k >= 2), shrink, k)
    return BeliefInputs(
        counts={c: dict(v) for c, v in counts.items()},
        totals={c: dict(v) for c, v in totals.items()},
        expectations={c: dict(v) for c, v in (expectations or {}).items()},
        patterns=dict(patterns),
        interviews={c: sum(p.interviews for p in items) for c, items in patterns.items()},
        spreads=spreads,
    )
