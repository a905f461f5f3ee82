"""Investigate next: which career one more informational interview would tell you the most about.

**The value of one more interview (the knowledge gradient).** We hold a normal belief about each career's
true fit (0-100), ``N(mean, sd²)``, and ask: if I hold one more interview about career *c* and then pick
the career with the best believed fit, how much better is that pick expected to be than my best pick now?
For a normal belief this has a closed form (Frazier, Powell & Dayanik 2008, the *knowledge gradient*):

    change  = sd² / sqrt(sd² + noise²)            how far one interview is expected to move the mean
    z       = -|mean - best other mean| / change
    priority = change x (z x Φ(z) + φ(z))         in fit points, never negative

where ``noise`` is how much a single interview's verdict scatters and "best other mean" is the highest
believed fit among the other careers (with a single career: its own mean, so the priority is the expected
size of the change). The priority rewards *upside* (a mean close to, or above, the best) and *uncertainty*
(a large sd), and it sinks careers already known to fit poorly: far below the best with a narrow band,
one interview cannot change the decision, and the priority is about 0. Ties (many careers at about 0) are
broken by the optimistic end of the belief, ``mean + 1.645 sd``, then by name.

**The beliefs.**

* Interviewed careers: mean = the fit; sd = the band's half-width / 1.645 (the band is a 90% range, see
  :data:`analytics.scoring.BAND_METHOD`), plus, for the share of the profile's weight that no interview
  has rated yet, ``(1 - coverage) x PRIOR_SD``. One interview's noise is ``sqrt(interviews) x`` the
  band's sd, the same model the band is built on, so a confirming interview narrows the belief exactly as
  it narrows the band and lowers the priority.
* Careers not interviewed yet start from their cluster: mean = the average fit of the interviewed careers
  in the same cluster (shrunk towards the average of all interviewed careers as if one more average
  career were in it, so a cluster with one interview does not speak with full confidence), sd =
  :data:`PRIOR_SD`. Without a cluster, the average fit of all interviewed careers, or 50 with none.
  The user's own expectations, when given, are one more noisy reading of the fit (sd
  :data:`EXPECTATION_SD`) combined with that prior by the usual precision weighting. So an uninterviewed
  career close to the user's best cluster, or one the user expects to fit well, is lifted; one in a
  cluster that fits poorly sinks. A single interview's noise is taken as
  :data:`analytics.scoring.SINGLE_INTERVIEW_SD`.

**The questions.** For each career, the criteria to ask about are those with the most weight in the fit and
the least evidence: ``share of the fit x sqrt((spread + 1) / (interviews that rated it + 1))`` on the 1-5
scale, so an unrated, heavily weighted criterion comes first and interviewees' disagreement counts too
(equal needs, as before any interview, go first to the criteria where the user's expectation is most
extreme: the assumptions that shape the expected fit most). Up to three criteria with at least half the top
need each get a question from :mod:`analytics.questions`, plus one general question (a day in the role
before any interview; an insight, trend or advice question after): two to four in all. Which question of a
criterion's list a career gets depends only on the career's and criterion's names.

Everything is deterministic: the same data gives the same list, whatever order the rows were written in.
"""

from __future__ import annotations

import math
import zlib
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .clustering import AggregateRow, Clustering, aggregate_rows, build_profiles, cached_clustering, fit_weights
from .models import DIMENSIONS, Career, Criterion, RatingAggregate
from .questions import QUESTION_CATEGORIES, TIARA_QUESTIONS, questions_for_criterion
from .scoring import BAND_Z, SINGLE_INTERVIEW_SD, CareerScore, rank, score_careers

if TYPE_CHECKING:
    from .store import Store

# How far a career's fit can sit from the average of its cluster before any interview (one sd, 0-100).
PRIOR_SD = 20.0
# How far the user's own expectation of a career can be off its true fit (one sd, 0-100).
EXPECTATION_SD = 30.0
# The fit assumed for a career when nothing at all has been interviewed yet.
NEUTRAL_FIT = 50.0
# Pseudo-careers of average fit added to each cluster's average (shrinkage towards the overall average).
CLUSTER_SHRINKAGE = 1.0
MAX_FOCUS = 3

METHOD = """
**How the list is ordered.** For each career we keep a best guess of its fit and how unsure that guess is
(the band). The priority is the number of fit points one more interview is expected to add to your best
option: high when the career could plausibly beat your current best and is still uncertain, about zero
when it is already known to fit poorly. Careers you have not interviewed start from how well the careers
in their cluster fit you, adjusted by your own expectations, so a promising unknown career near your best
ones rises to the top. The suggested questions aim at what matters most to you and is least known.
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
    """Everything the Explore next page draws: the list and the clusters, from one read of the store."""

    steps: tuple[NextStep, ...]
    clustering: Clustering
    best_cluster: str | None = None


# -- normal distribution helpers ------------------------------------------------------------------


def _pdf(z: float) -> float:
    return math.exp(-0.5 * z * z) / math.sqrt(2.0 * math.pi)


def _cdf(z: float) -> float:
    return 0.5 * math.erfc(-z / math.sqrt(2.0))


def knowledge_gradient(mean: float, sd: float, noise_sd: float, best_other: float) -> float:
    """Expected gain in the best believed fit from one more observation of this career (>= 0)."""
    if sd <= 0:
        return 0.0
    change = sd * sd / math.sqrt(sd * sd + noise_sd * noise_sd)
    if change <= 0:
        return 0.0
    z = -abs(mean - best_other) / change
    return max(0.0, change * (z * _cdf(z) + _pdf(z)))


# -- the ranking ----------------------------------------------------------------------------------


@dataclass
class _Belief:
    score: CareerScore
    mean: float
    sd: float
    noise: float
    cluster: str | None


def investigate_next(store: Store, limit: int | None = None) -> list[NextStep]:
    """The investigate-next list of a store, first to investigate first (at most ``limit`` entries)."""
    steps = list(explore(store).steps)
    return steps if limit is None else steps[:limit]


def explore(store: Store) -> Exploration:
    """Read the store once; score as ``career-fit rank`` does, cluster (memoised in the store) and rank."""
    scores = rank(store)
    criteria = store.criteria()
    dimension_weights = store.dimension_weights()
    rows = store.rating_total_rows()
    careers = [Career(s.career_id, s.career) for s in scores]
    clustering = cached_clustering(store, build_profiles(careers, criteria, rows, dimension_weights))
    steps, best_cluster = rank_next(scores, criteria, rows, clustering, dimension_weights)
    return Exploration(tuple(steps), clustering, best_cluster)


def explore_data(
    careers: Iterable[Career],
    criteria: Iterable[Criterion],
    aggregates: Iterable[RatingAggregate],
    interview_counts: Mapping[int, int],
    dimension_weights: Mapping[str, float] | None = None,
) -> Exploration:
    """:func:`explore` from plain data, without a store (and so without the clustering cache)."""
    careers, criteria, aggregates = list(careers), list(criteria), list(aggregates)
    dimension_weights = dict(dimension_weights or {d: 1.0 for d in DIMENSIONS})
    scores = score_careers(careers, criteria, aggregates, interview_counts, dimension_weights)
    clustering = cached_clustering(None, build_profiles(careers, criteria, aggregates, dimension_weights))
    steps, best_cluster = rank_next(scores, criteria, aggregates, clustering, dimension_weights)
    return Exploration(tuple(steps), clustering, best_cluster)


def rank_next(
    scores: Sequence[CareerScore],
    criteria: Sequence[Criterion],
    aggregates: Iterable[RatingAggregate | AggregateRow],
    clustering: Clustering,
    dimension_weights: Mapping[str, float],
) -> tuple[list[NextStep], str | None]:
    """Order careers by the knowledge gradient; return the list and the name of the best-fitting cluster."""
    if not scores:
        return [], None
    assignment = clustering.assignments()
    cluster_of = {s.career_id: (assignment[s.career_id].name if s.career_id in assignment else None)
                  for s in scores}
    fits = [s.fit for s in scores if s.fit is not None]
    overall = math.fsum(fits) / len(fits) if fits else NEUTRAL_FIT
    members: dict[str, list[float]] = defaultdict(list)
    for s in scores:
        if s.fit is not None and cluster_of[s.career_id] is not None:
            members[cluster_of[s.career_id]].append(s.fit)
    cluster_mean = {
        name: (math.fsum(values) + CLUSTER_SHRINKAGE * overall) / (len(values) + CLUSTER_SHRINKAGE)
        for name, values in members.items()
    }
    best_cluster = min(cluster_mean, key=lambda name: (-cluster_mean[name], name)) if cluster_mean else None
    beliefs = [_belief(s, cluster_of[s.career_id], cluster_mean, overall) for s in scores]

    # The best believed career (ties: by name) and the runner-up, to compare every career with.
    believed = sorted(range(len(beliefs)), key=lambda i: (-beliefs[i].mean, scores[i].career.casefold(),
                                                          scores[i].career_id))
    top = believed[0]
    runner_up = believed[1] if len(believed) > 1 else believed[0]

    evidence, expectations = _evidence(aggregates)
    best_members = tuple(s.career for s in scores if s.fit is not None and cluster_of[s.career_id] == best_cluster)
    context = _Context(best_cluster, best_members, cluster_mean, overall, bool(fits))
    shares = fit_weights(criteria, dimension_weights)
    by_id = {c.id: c for c in criteria}
    weighted = [(k, share, (by_id[k].name.casefold(), k)) for k, share in shares.items()]
    steps = []
    for i, belief in enumerate(beliefs):
        rival = beliefs[runner_up if i == top else top]
        priority = knowledge_gradient(belief.mean, belief.sd, belief.noise, rival.mean)
        if i == top:
            chance = None
        else:
            spread = math.sqrt(belief.sd**2 + rival.sd**2)
            chance = _cdf((belief.mean - rival.mean) / spread) if spread > 0 else float(belief.mean > rival.mean)
        career_evidence = evidence.get(belief.score.career_id, {})
        focus = _focus(career_evidence, expectations.get(belief.score.career_id, {}), weighted, by_id)
        steps.append(_step(belief, priority, chance, rival, i == top, focus, career_evidence, context))
    steps.sort(key=lambda s: (-s.priority, -(s.belief_mean + BAND_Z * s.belief_sd), s.career.casefold(),
                              s.career_id))
    return steps, best_cluster


def _belief(score: CareerScore, cluster: str | None, cluster_mean: Mapping[str, float], overall: float) -> _Belief:
    if score.fit is not None and score.low is not None and score.high is not None:
        band_sd = max(score.fit - score.low, score.high - score.fit) / BAND_Z
        unrated = max(0.0, 1.0 - score.coverage) * PRIOR_SD
        noise = band_sd * math.sqrt(max(score.interviews, 1))
        return _Belief(score, score.fit, math.sqrt(band_sd**2 + unrated**2), noise, cluster)
    prior = cluster_mean.get(cluster, overall) if cluster is not None else overall
    precision, weighted = 1.0 / PRIOR_SD**2, prior / PRIOR_SD**2
    if score.expected_fit is not None:
        precision += 1.0 / EXPECTATION_SD**2
        weighted += score.expected_fit / EXPECTATION_SD**2
    return _Belief(score, weighted / precision, math.sqrt(1.0 / precision), SINGLE_INTERVIEW_SD, cluster)


def _evidence(
    aggregates: Iterable[RatingAggregate | AggregateRow],
) -> tuple[dict[int, dict[int, tuple[int, float]]], dict[int, dict[int, float]]]:
    """Career -> criterion -> (interviews that rated it, their sample variance); and the expectations."""
    rated: dict[int, dict[int, tuple[int, float]]] = defaultdict(dict)
    expected: dict[int, dict[int, float]] = defaultdict(dict)
    for career_id, criterion_id, source, count, total, squares in aggregate_rows(aggregates):
        if source == "interview":
            spread = (squares - total * total / count) / (count - 1) if count > 1 else 0.0
            rated[career_id][criterion_id] = (count, spread if spread > 0.0 else 0.0)
        elif count:
            expected[career_id][criterion_id] = total / count
    return rated, expected


def _focus(
    evidence: Mapping[int, tuple[int, float]],
    expected: Mapping[int, float],
    weighted: Sequence[tuple[int, float, tuple[str, int]]],
    by_id: Mapping[int, Criterion],
) -> list[Criterion]:
    """The heavily weighted, least-evidenced criteria of one career (up to :data:`MAX_FOCUS`).

    ``weighted`` lists (criterion id, share of the fit, sort key by name) of every criterion in the fit.
    Need = share x sqrt((spread + 1) / (interviews that rated it + 1)). Equal needs (typically before any
    interview) go first to the criteria whose expectation is furthest from the middle of the scale: they
    shape the expected fit most, so they are the assumptions most worth testing.
    """
    ranked = []
    for criterion_id, share, key in weighted:
        stats = evidence.get(criterion_id)
        need = share * math.sqrt((stats[1] + 1.0) / (stats[0] + 1.0)) if stats else share
        assumption = expected.get(criterion_id)
        ranked.append((-need, 0.0 if assumption is None else -abs(assumption - 3.0), key))
    if not ranked:
        return []
    ranked.sort()
    threshold = 0.5 * ranked[0][0]
    return [by_id[key[1]] for need, _, key in ranked[:MAX_FOCUS] if need <= threshold]


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


def _fmt_band(score: CareerScore) -> str:
    return f"{score.low:.0f}-{score.high:.0f}"


def _and(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


@dataclass(frozen=True)
class _Context:
    """What every reason refers to: the clusters' fits and the best cluster's interviewed careers."""

    best_cluster: str | None
    best_members: tuple[str, ...]
    cluster_mean: Mapping[str, float]
    overall: float
    any_fit: bool


def _rival_text(rival: _Belief) -> str:
    if rival.score.fit is not None:
        return f"{rival.score.career} (fit {rival.score.fit:.0f})"
    return f"{rival.score.career} (estimated {rival.mean:.0f})"


def _step(
    belief: _Belief,
    priority: float,
    chance: float | None,
    rival: _Belief,
    is_top: bool,
    focus: Sequence[Criterion],
    evidence: Mapping[int, tuple[int, float]],
    context: _Context,
) -> NextStep:
    """The entry of one career, with its plain-language reason."""
    score = belief.score
    interviewed = score.fit is not None
    sentences: list[str] = []
    if interviewed:
        times = "interview" if score.interviews == 1 else "interviews"
        sentences.append(f"Fit {score.fit:.0f} (likely {_fmt_band(score)}) from {score.interviews} {times}.")
    elif score.expected_fit is not None:
        sentences.append(f"Not interviewed yet; you expect a fit of about {score.expected_fit:.0f}.")
    else:
        sentences.append("Not interviewed yet, and no expectations recorded.")
    if not interviewed:
        if belief.cluster is not None and belief.cluster == context.best_cluster:
            sentences.append(
                f"It sits in the “{belief.cluster}” group with your best-fitting careers "
                f"({_and(list(context.best_members[:2]))})."
            )
        elif belief.cluster is not None and belief.cluster in context.cluster_mean:
            sentences.append(
                f"Careers like it (the “{belief.cluster}” group) fit you about "
                f"{context.cluster_mean[belief.cluster]:.0f}."
            )
        elif belief.cluster is not None:
            sentences.append(f"No career in its group (“{belief.cluster}”) has been interviewed yet.")
        elif context.any_fit:
            sentences.append(f"Until you learn more it counts as an average career for you ({context.overall:.0f}).")
    if is_top:
        if rival is belief:
            sentences.append("It is your only career so far: another interview shows how sure its fit is.")
        else:
            sentences.append(
                f"It is your best option so far; another interview would show whether it is really ahead of "
                f"{_rival_text(rival)}."
            )
    elif chance is not None and chance < 0.02:
        sentences.append(
            f"It is very unlikely to fit better than {_rival_text(rival)}, so another interview would change little."
        )
    elif chance is not None:
        sentences.append(f"Chance it fits you better than {_rival_text(rival)}: about {_percent(chance)}.")
    names = [c.name for c in focus]
    if names and priority >= 0.01:
        if not interviewed and score.expected_fit is not None:
            sentences.append(f"Start with {_and(names)}: they matter to you and your expectation rests most on them.")
        elif not interviewed:
            sentences.append(f"Start with {_and(names)}: they matter most to you.")
        else:
            unrated = [c.name for c in focus if evidence.get(c.id, (0, 0.0))[0] == 0]
            disputed = [c.name for c in focus if evidence.get(c.id, (0, 0.0))[1] >= 1.0]
            if unrated:
                matter = "it matters" if len(unrated) == 1 else "they matter"
                sentences.append(f"No interview has rated {_and(unrated)} yet, and {matter} to you.")
            elif disputed:
                sentences.append(f"Interviewees disagreed about {_and(disputed)}: worth asking again.")
            else:
                sentences.append(f"Ask about {_and(names)}: they weigh most in your fit, so answers move it most.")
    return NextStep(
        career_id=score.career_id,
        career=score.career,
        cluster=belief.cluster,
        priority=priority,
        reason=" ".join(sentences),
        questions=suggest_questions(score.career, focus, interviewed),
        focus=tuple(names),
        belief_mean=belief.mean,
        belief_sd=belief.sd,
        chance_better=chance,
        fit=score.fit,
        low=score.low,
        high=score.high,
        expected_fit=score.expected_fit,
        interviews=score.interviews,
        coverage=score.coverage,
    )


def _percent(chance: float) -> str:
    if chance > 0.98:
        return "98%+"
    return f"{max(chance, 0.02) * 100:.0f}%"
