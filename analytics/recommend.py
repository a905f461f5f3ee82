"""Investigate next: which career one more informational interview would tell you the most about.

**The value of one more interview (the knowledge gradient).** Every career carries the belief the Career
fit page shows (:mod:`analytics.beliefs`): a normal belief about its fit with mean ``m`` and sd ``s``. One
more interview that rates every weighted criterion would shrink that sd to ``s_after`` (exactly, from the
same model), so it moves the mean by a normal amount with sd ``s̃ = sqrt(s² - s_after²)``. The priority is
the expected gain in the best believed fit from that interview (Frazier, Powell & Dayanik 2008):

    z        = -|m - best other mean| / s̃
    gain     = s̃ x (z Φ(z) + φ(z))          in fit points, never negative

One interview often moves a belief too little to matter on its own where a few would, so the priority is the
best expected gain *per interview* over runs of 1, 2, 3 or 5 interviews (KG*, Frazier & Powell). It
rewards *upside* (a mean close to, or above, the best) and *uncertainty*, and sinks careers already known
to fit poorly. Ties (many careers at about 0) are broken by the optimistic end of the belief,
``m + 1.645 s``, then by name. A career about which nothing is known yet starts from the neutral prior.

**The questions.** For each career, the criteria to ask about are those that add most to the uncertainty of
its fit: effective weight x the belief's sd on that criterion, so an unrated, heavily weighted criterion
comes first. Up to three criteria with at least half the top need each get a question from
:mod:`analytics.questions`, plus one general question (a day in the role before any interview; an insight,
trend or advice question after): two to four in all. Which question of a criterion's list a career gets
depends only on the career's and criterion's names.

**Groups.** When O*NET career families are available, each career's family is its ``cluster``; otherwise
``cluster`` is null (grouping a handful of the user's own careers measured as noise).

Everything is deterministic: the same data gives the same list, whatever order the rows were written in.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from .beliefs.choice import knowledge_gradient, normal_cdf
from .beliefs.model import moments_of, sds_after_runs
from .beliefs.ranking import BAND_Z, Assessment, CareerScore, assess
from .models import Criterion
from .numbers import shown
from .questions import QUESTION_CATEGORIES, TIARA_QUESTIONS, questions_for_criterion

if TYPE_CHECKING:
    from .store import Store

MAX_FOCUS = 3

METHOD = """
**How the list is ordered.** For each career we keep a best guess of its fit and how unsure that guess is
(the band on the Career fit page: the same numbers). The priority is the number of fit points one more
interview is expected to add to your best option: high when the career could plausibly beat your current
best and is still uncertain, about zero when it is already known to fit poorly. The suggested questions aim
at what matters most to you and is least known about that career.
""".strip()


@dataclass(frozen=True)
class NextStep:
    """One career in the investigate-next list."""

    career_id: int
    career: str
    cluster: str | None
    priority: float  # expected gain in the best option's fit from one more interview (fit points)
    reason: str
    questions: tuple[str, ...]
    focus: tuple[str, ...]  # the criteria the questions aim at
    belief_mean: float
    belief_sd: float
    chance_better: float | None  # chance the career fits better than the current best one (None: it is it)
    fit: float | None = None
    low: float | None = None
    high: float | None = None
    expected_fit: float | None = None
    interviews: int = 0
    coverage: float = 0.0

    def as_json(self) -> dict[str, object]:
        """The shape of ``career-fit next --json``."""
        return {
            "career": self.career,
            "cluster": self.cluster,
            "priority": round(self.priority, 3),
            "reason": self.reason,
            "questions": list(self.questions),
        }


@dataclass(frozen=True)
class Exploration:
    """Everything the Explore next page draws, from one read of the store."""

    steps: tuple[NextStep, ...]
    families: Mapping[int, str] = field(default_factory=dict)  # career id -> its O*NET career family


@dataclass(frozen=True)
class Value:
    """What one more interview about a career is worth, from its belief."""

    mean: float
    sd: float
    change_sd: float
    priority: float


# One interview often moves a belief too little to change the decision on its own, while a few would; the
# priority is the best expected gain *per interview* over a short run of them (the KG* of Frazier & Powell).
LOOKAHEAD = (1, 2, 3, 5)


def interview_values(assessment: Assessment) -> dict[int, Value]:
    """Career id -> the value of interviewing it next (see the module docstring)."""
    beliefs = assessment.beliefs
    moments = dict(zip(beliefs, moments_of(list(beliefs.values()), assessment.weights), strict=True))
    # the best and the second-best believed fit: every career is compared with the best of the others
    ranked = sorted(((m, career) for career, (m, _) in moments.items()), reverse=True)
    # every career's sd after each run of interviews, worked out for all careers at once
    careers = list(beliefs)
    sds_after = {
        count: dict(zip(careers, sds, strict=True))
        for count, sds in sds_after_runs(list(beliefs.values()), assessment.weights, LOOKAHEAD).items()
    }
    values: dict[int, Value] = {}
    for career in careers:
        mean, sd = moments[career]
        others = [m for m, other in ranked[:2] if other != career]
        best_other = others[0] if others else mean
        best = (0.0, 0.0)
        for count in LOOKAHEAD:
            after = sds_after[count][career]
            change = math.sqrt(max(sd * sd - after * after, 0.0))
            per_interview = knowledge_gradient(mean, change, best_other) / count
            if count == 1:
                best = (per_interview, change)
            elif per_interview > best[0]:
                best = (per_interview, best[1])
        values[career] = Value(mean, sd, best[1], best[0])
    return values


def investigate_next(store: Store, limit: int | None = None) -> list[NextStep]:
    """The investigate-next list of a store, first to investigate first (at most ``limit`` entries)."""
    steps = list(explore(store).steps)
    return steps if limit is None else steps[:limit]


def explore(store: Store) -> Exploration:
    """Score the store as ``career-fit rank`` does, then order its careers by the value of one more interview."""
    assessment = assess(store)
    families = _families(assessment)
    return Exploration(tuple(rank_next(assessment, families)), families)


def rank_next(assessment: Assessment, families: Mapping[int, str] | None = None) -> list[NextStep]:
    """Order careers by the knowledge gradient, each with its reason and questions."""
    families = families or {}
    values = interview_values(assessment)
    scores = [s for s in assessment.scores if s.career_id in values]
    if not scores:
        return []
    believed = sorted(scores, key=lambda s: (-values[s.career_id].mean, s.career.casefold(), s.career_id))
    top, runner_up = believed[0], believed[1] if len(believed) > 1 else believed[0]
    by_id = {c.id: c for c in assessment.criteria}
    steps = []
    for score in scores:
        value = values[score.career_id]
        rival = runner_up if score is top else top
        rival_value = values[rival.career_id]
        if score is top:
            chance = None
        else:
            spread = math.sqrt(value.sd**2 + rival_value.sd**2)
            gap = value.mean - rival_value.mean
            chance = normal_cdf(gap / spread) if spread > 0 else float(gap > 0)
        focus = _focus(assessment, score.career_id, by_id)
        steps.append(
            _step(
                score, value, chance, rival, rival_value, score is top, focus, assessment, families.get(score.career_id)
            )
        )
    steps.sort(key=lambda s: (-s.priority, -(s.belief_mean + BAND_Z * s.belief_sd), s.career.casefold(), s.career_id))
    return steps


def _families(assessment: Assessment) -> dict[int, str]:
    """Career id -> the name of its O*NET career family, where O*NET data can place it."""
    from .onet.families import career_families  # loads the packaged O*NET tables: only when the list is asked for

    codes = {s.career_id: s.onet_code for s in assessment.scores}
    inputs = assessment.inputs
    ids, profiles = [], []
    for career_id, belief in assessment.beliefs.items():
        expected = inputs.expectations.get(career_id, {})
        ids.append(career_id)
        profiles.append(  # the belief's shares on the criteria that were rated or expected
            {
                k: share
                for k, share, rated in zip(belief.criteria, belief.mean.tolist(), belief.counts.tolist(), strict=True)
                if rated > 0 or k in expected
            }
        )
    found = career_families([codes[c] for c in ids], assessment.criteria, profiles)
    return {career_id: family.name for career_id, family in zip(ids, found, strict=True) if family is not None}


def _focus(assessment: Assessment, career_id: int, by_id: Mapping[int, Criterion]) -> list[Criterion]:
    """The criteria that add most to the uncertainty of this career's fit (up to :data:`MAX_FOCUS`).

    Need = effective weight x the belief's sd on the criterion; ties by name. Criteria with less than half
    the top need are left out, so the questions stay on what matters.
    """
    belief = assessment.beliefs[career_id]
    spreads = np.sqrt(np.maximum(np.diagonal(belief.covariance), 0.0)).tolist()
    sds = dict(zip(belief.criteria, spreads, strict=True))
    ranked = sorted(
        ((-weight * sds.get(k, 0.0), by_id[k].name.casefold(), k) for k, weight in assessment.weights.items()),
    )
    if not ranked:
        return []
    threshold = 0.5 * ranked[0][0]
    return [by_id[k] for need, _, k in ranked[:MAX_FOCUS] if need <= threshold]


def _pick(options: Sequence[str], *key: str) -> str:
    """One of ``options``, chosen by a stable hash of ``key`` (same names, same question)."""
    return options[zlib.crc32("\x1f".join(key).casefold().encode()) % len(options)]


_AFTER_FIRST = (*TIARA_QUESTIONS["Insights"], *TIARA_QUESTIONS["Trends"], *TIARA_QUESTIONS["Advice"])


def suggest_questions(career: str, focus: Sequence[Criterion], interviewed: bool) -> tuple[str, ...]:
    """Two to four questions: one per focus criterion, then a general one (see the module docstring)."""
    questions: list[str] = []
    for criterion in focus[:MAX_FOCUS]:
        question = _pick(questions_for_criterion(criterion.name, criterion.dimension), career, criterion.name)
        if question not in questions:
            questions.append(question)
    general = [_pick(_AFTER_FIRST if interviewed else QUESTION_CATEGORIES["A day in the role"], career)]
    if len(questions) < 1:
        general.append(_pick(TIARA_QUESTIONS["Advice"], career, "advice"))
    for question in general:
        if question not in questions and len(questions) < 4:
            questions.append(question)
    return tuple(questions)


def _and(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _step(
    score: CareerScore,
    value: Value,
    chance: float | None,
    rival: CareerScore,
    rival_value: Value,
    is_top: bool,
    focus: Sequence[Criterion],
    assessment: Assessment,
    family: str | None,
) -> NextStep:
    """The entry of one career, with its plain-language reason."""
    sentences: list[str] = []
    if score.interviews:
        times = "interview" if score.interviews == 1 else "interviews"
        sentences.append(
            f"Fit {shown(score.fit)} (likely {shown(score.low)}-{shown(score.high)}) from {score.interviews} {times}."
        )
    elif score.fit is not None:
        sentences.append(
            f"Not interviewed yet; estimated {shown(score.fit)} (likely {shown(score.low)}-{shown(score.high)}) "
            f"from {score.basis}."
        )
    else:
        sentences.append("Not interviewed yet, and nothing recorded about it: anything is possible.")
    if is_top:
        if rival is score:
            sentences.append("It is your only career so far: another interview shows how sure its fit is.")
        else:
            sentences.append(
                f"It is your best option so far; another interview would show whether it is really ahead of "
                f"{_rival_text(rival, rival_value)}."
            )
    elif chance is not None and chance < 0.02:
        sentences.append(
            f"It is very unlikely to fit better than {_rival_text(rival, rival_value)}, so another interview would "
            "change little."
        )
    elif chance is not None:
        sentences.append(f"Chance it fits you better than {_rival_text(rival, rival_value)}: about {_percent(chance)}.")
    names = [c.name for c in focus]
    if names and value.priority >= 0.01:
        belief = assessment.beliefs[score.career_id]
        rated = {k for k, n in zip(belief.criteria, belief.counts.tolist(), strict=True) if n > 0}
        unrated = [c.name for c in focus if c.id not in rated]
        if not score.interviews:
            sentences.append(f"Start with {_and(names)}: they matter most to you and are least known.")
        elif unrated:
            matter = "it matters" if len(unrated) == 1 else "they matter"
            sentences.append(f"No interview has rated {_and(unrated)} yet, and {matter} to you.")
        else:
            sentences.append(f"Ask about {_and(names)}: they weigh most in your fit and are still the least sure.")
    return NextStep(
        career_id=score.career_id,
        career=score.career,
        cluster=family,
        priority=value.priority,
        reason=" ".join(sentences),
        questions=suggest_questions(score.career, focus, score.interviews > 0),
        focus=tuple(names),
        belief_mean=value.mean,
        belief_sd=value.sd,
        chance_better=chance,
        fit=score.fit,
        low=score.low,
        high=score.high,
        expected_fit=score.expected_fit,
        interviews=score.interviews,
        coverage=score.coverage,
    )


def _rival_text(rival: CareerScore, value: Value) -> str:
    return f"{rival.career} (fit {shown(value.mean)})"


def _percent(chance: float) -> str:
    if chance > 0.98:
        return "98%+"
    return f"{max(chance, 0.02) * 100:.0f}%"
