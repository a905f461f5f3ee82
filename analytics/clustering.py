"""Career clusters and the 2-D career map of the "Explore next" page.

Careers are grouped by their *criterion profiles*: how much each career offers each criterion that matters
to the user. The choices, and why:

* **Profile values.** A career's value on a criterion is the mean of its interview ratings; where it has
  none, the user's own expectation for that career and criterion; where it has neither, the criterion's
  mean over the careers that have a value (mean imputation: it places the career in the middle on what is
  unknown, so a missing rating neither pulls it towards nor away from any group). Criteria without any
  value, with weight 0 or without a dimension (they count in no fit) are left out, and so are careers
  with no value at all: there is nothing to place them by (they get no cluster).
* **Distance = what matters to the user.** Ratings are put on the fit's 0-1 share scale and multiplied by
  the square root of the criterion's weight in the fit (criterion weight within its dimension times the
  dimension weight, summing to 1). The squared distance between two careers is then the weighted sum of
  their squared differences: two careers differing on a heavily weighted criterion are further apart
  than two differing on a minor one. Nothing is standardised: all criteria share the 1-5 scale, and
  standardising would blow up criteria on which the careers barely differ.
* **Clusters.** scikit-learn's k-means, with a fixed ``random_state``, one thread, and the careers sorted by
  name and criteria by name, so neither row order, insertion order nor the machine changes the result.
  The number of clusters k is the one (2 to 8, at most half the careers) with the best silhouette score,
  the smaller k on a tie; with more than 1,000 careers the silhouette uses a fixed random sample of 1,000.
  Fewer than three careers with a profile: no clustering, and :attr:`Clustering.reason` says why.
* **Names.** A cluster is named by the criteria on which its careers are rated highest compared with all
  careers ("Analytical - Independent"), falling back to what they offer least ("Less social").
* **Map.** Principal components of the same weighted profiles, computed with a singular value
  decomposition in numpy (two components need no estimator), with each axis signed so that its largest
  loading is positive and described in plain words by its strongest criteria at either end.

Speed: importing scikit-learn costs about two seconds, more than scoring a million ratings. The result of
a clustering depends only on the profiles, so it is memoised in the store's settings under
:data:`CACHE_SETTING`, keyed by a SHA-256 fingerprint of exactly the inputs (careers, criteria, weights,
profile values and :data:`CLUSTERING_VERSION`). Any change of the data changes the fingerprint and the
clustering is recomputed; an unchanged store answers without importing scikit-learn. scikit-learn and numpy
are imported inside the functions that need them, never at module import, so the app starts fast.
"""

from __future__ import annotations

import contextlib
import hashlib
import math
import struct
import warnings
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .models import DIMENSIONS, Career, Criterion, RatingAggregate

if TYPE_CHECKING:
    from .store import Store

CLUSTERING_VERSION = 1
CACHE_SETTING = "cache.clustering"
MIN_CAREERS = 3
MAX_CLUSTERS = 8
SILHOUETTE_SAMPLE = 1000
RANDOM_STATE = 0
# A trait names a cluster when its careers differ from all careers by at least this much (1-5 scale).
NAME_MIN_DIFFERENCE = 0.25

# What a cluster rated high on a default criterion is like, for its name.
CRITERION_ADJECTIVES: dict[str, str] = {
    "realistic": "Hands-on",
    "investigative": "Analytical",
    "artistic": "Creative",
    "social": "Social",
    "enterprising": "Enterprising",
    "conventional": "Orderly",
    "writing": "Writing",
    "speaking": "Presenting",
    "data analysis": "Data-driven",
    "problem solving": "Problem-solving",
    "teamwork": "Team-based",
    "leadership": "Leading",
    "technical/programming": "Technical",
    "organising": "Organised",
    "achievement": "Accomplishing",
    "independence": "Independent",
    "recognition": "Prestigious",
    "relationships": "Collegial",
    "support": "Supported",
    "working conditions": "Comfortable",
}


# -- records --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Profiles:
    """The matrix that is clustered: one row per career with data, one column per criterion used."""

    career_ids: tuple[int, ...]
    careers: tuple[str, ...]
    sources: tuple[str, ...]  # per career: "interviews" or "expectations" (what its profile comes from)
    criteria: tuple[str, ...]
    criterion_ids: tuple[int, ...]
    weights: tuple[float, ...]  # each criterion's share of the fit; they sum to 1
    ratings: tuple[tuple[float, ...], ...]  # 1-5, missing values imputed
    imputed: int  # how many cells were imputed with the criterion's mean
    unplaced: tuple[str, ...]  # careers with no rating or expectation on any criterion used
    counted: int = 0  # criteria of the profile that count in the fit (rated or not)

    def fingerprint(self) -> str:
        """SHA-256 of exactly what the clustering depends on."""
        digest = hashlib.sha256(f"v{CLUSTERING_VERSION}\x1e".encode())
        digest.update("\x1f".join(self.careers).encode())
        digest.update(b"\x1e" + struct.pack(f"<{len(self.career_ids)}q", *self.career_ids))
        digest.update(("\x1e" + "\x1f".join(self.sources)).encode())
        digest.update(("\x1e" + "\x1f".join(self.criteria)).encode())
        digest.update(b"\x1e" + struct.pack(f"<{len(self.weights)}d", *self.weights))
        for row in self.ratings:
            digest.update(struct.pack(f"<{len(row)}d", *row))
        digest.update(("\x1e" + "\x1f".join(self.unplaced) + f"\x1e{self.counted}").encode())
        return digest.hexdigest()


@dataclass(frozen=True)
class Trait:
    """How a cluster's careers differ from all careers on one criterion, in rating points (1-5 scale)."""

    criterion: str
    difference: float


@dataclass(frozen=True)
class Cluster:
    number: int  # 1, 2, ... in the order the clusters' first careers appear alphabetically
    name: str
    members: tuple[str, ...]
    traits: tuple[Trait, ...]  # the largest differences, highest first

    @property
    def description(self) -> str:
        """One plain sentence on what sets the cluster apart."""
        higher = [t for t in self.traits if t.difference >= NAME_MIN_DIFFERENCE][:3]
        lower = sorted((t for t in self.traits if t.difference <= -NAME_MIN_DIFFERENCE),
                       key=lambda t: t.difference)[:2]
        parts = []
        if higher:
            parts.append("rated higher than your other careers on " + _and(
                f"{t.criterion} ({t.difference:+.1f})" for t in higher))
        if lower:
            parts.append("lower on " + _and(f"{t.criterion} ({t.difference:+.1f})" for t in lower))
        if not parts:
            return "Close to the average of your careers on every criterion."
        text = "; ".join(parts)
        return text[0].upper() + text[1:] + " (points on the 1-5 scale)."


@dataclass(frozen=True)
class MapPoint:
    career_id: int
    career: str
    cluster: int | None
    x: float
    y: float
    source: str


@dataclass(frozen=True)
class MapAxis:
    title: str  # short, for the chart axis
    explanation: str  # one plain sentence
    share: float  # share of the differences between careers this axis shows (0-1)


@dataclass(frozen=True)
class Clustering:
    """Clusters of careers and their 2-D map; ``reason`` says why there are no clusters, if so."""

    clusters: tuple[Cluster, ...] = ()
    points: tuple[MapPoint, ...] = ()
    axes: tuple[MapAxis, ...] = ()
    silhouette: float | None = None
    reason: str | None = None
    unplaced: tuple[str, ...] = ()
    imputed: int = 0

    @property
    def ok(self) -> bool:
        return bool(self.clusters)

    def assignments(self) -> dict[int, Cluster]:
        """Career id -> its cluster (careers without one are absent)."""
        by_number = {c.number: c for c in self.clusters}
        return {p.career_id: by_number[p.cluster] for p in self.points if p.cluster in by_number}

    def as_json(self) -> dict[str, Any]:
        return {
            "clusters": [
                {"number": c.number, "name": c.name, "members": list(c.members),
                 "traits": [[t.criterion, t.difference] for t in c.traits]}
                for c in self.clusters
            ],
            "points": [[p.career_id, p.career, p.cluster, p.x, p.y, p.source] for p in self.points],
            "axes": [[a.title, a.explanation, a.share] for a in self.axes],
            "silhouette": self.silhouette,
            "reason": self.reason,
            "unplaced": list(self.unplaced),
            "imputed": self.imputed,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Clustering:
        return cls(
            clusters=tuple(
                Cluster(int(c["number"]), str(c["name"]), tuple(c["members"]),
                        tuple(Trait(str(name), float(diff)) for name, diff in c["traits"]))
                for c in data["clusters"]
            ),
            points=tuple(
                MapPoint(int(i), str(name), None if cluster is None else int(cluster), float(x), float(y), str(s))
                for i, name, cluster, x, y, s in data["points"]
            ),
            axes=tuple(MapAxis(str(t), str(e), float(s)) for t, e, s in data["axes"]),
            silhouette=None if data["silhouette"] is None else float(data["silhouette"]),
            reason=data["reason"],
            unplaced=tuple(data["unplaced"]),
            imputed=int(data["imputed"]),
        )


# -- profiles -------------------------------------------------------------------------------------


def fit_weights(criteria: Iterable[Criterion], dimension_weights: Mapping[str, float]) -> dict[int, float]:
    """Each criterion's share of the fit: its weight within its dimension times the dimension's share.

    Only criteria with a dimension and a weight above 0 in a dimension weighted above 0 count; the shares
    sum to 1 (empty when nothing counts).
    """
    by_dimension: dict[str, list[Criterion]] = defaultdict(list)
    for criterion in criteria:
        if criterion.dimension in DIMENSIONS and criterion.weight > 0 \
                and dimension_weights.get(criterion.dimension, 1.0) > 0:
            by_dimension[criterion.dimension].append(criterion)
    total = math.fsum(dimension_weights.get(d, 1.0) for d in by_dimension)
    shares: dict[int, float] = {}
    for dimension, members in by_dimension.items():
        inner = math.fsum(c.weight for c in members)
        for criterion in members:
            shares[criterion.id] = dimension_weights.get(dimension, 1.0) / total * criterion.weight / inner
    return shares


AggregateRow = tuple[int, int, str, int, float, float]


def aggregate_rows(aggregates: Iterable[RatingAggregate | AggregateRow]) -> list[AggregateRow]:
    """Rating aggregates as plain (career, criterion, source, count, sum, sum of squares) tuples."""
    if isinstance(aggregates, list) and not any(isinstance(a, RatingAggregate) for a in aggregates[:1]):
        return aggregates  # already rows (the store's :meth:`Store.rating_total_rows`)
    return [
        (a.career_id, a.criterion_id, a.source, a.count, a.total, a.total_squares)
        if isinstance(a, RatingAggregate) else a
        for a in aggregates
    ]


def build_profiles(
    careers: Iterable[Career],
    criteria: Iterable[Criterion],
    aggregates: Iterable[RatingAggregate | AggregateRow],
    dimension_weights: Mapping[str, float] | None = None,
) -> Profiles:
    """The criterion profile of every career that has data (see the module docstring for the rules).

    ``aggregates`` are :class:`RatingAggregate` records or the same fields as tuples
    (:meth:`Store.rating_total_rows`).
    """
    criteria = list(criteria)
    dimension_weights = dimension_weights or {d: 1.0 for d in DIMENSIONS}
    counted = fit_weights(criteria, dimension_weights)
    interview: dict[tuple[int, int], float] = {}
    expected: dict[tuple[int, int], float] = {}
    for career_id, criterion_id, source, count, total, _ in aggregate_rows(aggregates):
        if criterion_id in counted and count > 0:
            (interview if source == "interview" else expected)[(career_id, criterion_id)] = total / count
    has_interview = {career for career, _ in interview}
    has_expectation = {career for career, _ in expected}
    observed_criteria = {k for _, k in interview} | {k for _, k in expected}
    used = sorted(
        (c for c in criteria if c.id in observed_criteria), key=lambda c: (c.name.casefold(), c.id)
    )
    # Re-normalise the shares over the criteria that are used, so they still sum to 1.
    total = math.fsum(counted[c.id] for c in used)
    weights = tuple(counted[c.id] / total for c in used) if total > 0 else ()
    ordered = sorted(careers, key=lambda c: (c.name.casefold(), c.id))
    placed = [c for c in ordered if c.id in has_interview or c.id in has_expectation]
    raw: list[list[float | None]] = []
    for career in placed:
        row: list[float | None] = []
        for criterion in used:
            key = (career.id, criterion.id)
            row.append(interview.get(key, expected.get(key)))
        raw.append(row)
    means = []
    for j in range(len(used)):
        values = [row[j] for row in raw if row[j] is not None]
        means.append(math.fsum(values) / len(values) if values else 3.0)  # type: ignore[arg-type]
    imputed = sum(1 for row in raw for v in row if v is None)
    ratings = tuple(tuple(means[j] if v is None else v for j, v in enumerate(row)) for row in raw)
    return Profiles(
        career_ids=tuple(c.id for c in placed),
        careers=tuple(c.name for c in placed),
        sources=tuple("interviews" if c.id in has_interview else "expectations" for c in placed),
        criteria=tuple(c.name for c in used),
        criterion_ids=tuple(c.id for c in used),
        weights=weights,
        ratings=ratings,  # type: ignore[arg-type]
        imputed=imputed,
        unplaced=tuple(c.name for c in ordered if c.id not in has_interview and c.id not in has_expectation),
        counted=len(counted),
    )


# -- clustering -----------------------------------------------------------------------------------


def cluster_profiles(profiles: Profiles) -> Clustering:
    """Cluster the profiles with scikit-learn k-means and lay them out on a 2-D map (pure, deterministic)."""
    n = len(profiles.careers)
    common = {"unplaced": profiles.unplaced, "imputed": profiles.imputed}
    if profiles.counted == 0 and profiles.unplaced:
        return Clustering(
            reason="None of your criteria counts in the fit yet, so there is nothing to group careers by: give "
            "criteria a dimension and a weight above 0 in your profile.",
            **common,
        )
    if n < MIN_CAREERS:
        have = {0: "No career has", 1: "Only 1 career has"}.get(n, f"Only {n} careers have")
        return Clustering(
            reason=f"{have} ratings or expectations yet; grouping careers needs at least {MIN_CAREERS}. "
            "Rate a career after an interview, or add your expectations for careers you have not explored.",
            points=_unclustered_points(profiles),
            **common,
        )

    import numpy as np

    ratings = np.asarray(profiles.ratings, dtype=float)
    scale = np.sqrt(np.asarray(profiles.weights, dtype=float)) / 4.0
    points = (ratings - 1.0) * scale  # squared distance = sum of weight x squared share difference
    distinct = len(np.unique(np.round(points, 12), axis=0))
    if distinct < 2:
        labels = np.zeros(n, dtype=int)
        silhouette = None
    else:
        labels, silhouette = _best_kmeans(points, distinct)
    labels = _relabel(labels)
    coords, axes = _map(points, profiles.criteria)
    clusters = _describe(labels, ratings, profiles)
    map_points = tuple(
        MapPoint(profiles.career_ids[i], profiles.careers[i], int(labels[i]) + 1,
                 round(float(coords[i, 0]), 6), round(float(coords[i, 1]), 6), profiles.sources[i])
        for i in range(n)
    )
    return Clustering(clusters=clusters, points=map_points, axes=axes, silhouette=silhouette, **common)


def _unclustered_points(profiles: Profiles) -> tuple[MapPoint, ...]:
    return tuple(
        MapPoint(i, name, None, 0.0, 0.0, source)
        for i, name, source in zip(profiles.career_ids, profiles.careers, profiles.sources, strict=True)
    )


def _best_kmeans(points: Any, distinct: int) -> tuple[Any, float | None]:
    """k-means for each k from 2 up; keep the labels with the best silhouette (ties: the smaller k)."""
    from sklearn.cluster import KMeans
    from sklearn.metrics import silhouette_score
    from threadpoolctl import threadpool_limits

    n = len(points)
    k_max = min(MAX_CLUSTERS, distinct, max(2, n // 2), n - 1)
    sample = SILHOUETTE_SAMPLE if n > SILHOUETTE_SAMPLE else None
    best_labels, best_score = None, -math.inf
    # One thread: the same sums in the same order on every machine, and at these sizes (careers x criteria)
    # faster than waking OpenMP threads, which on a busy machine cost tens of milliseconds per fit.
    with warnings.catch_warnings(), threadpool_limits(limits=1):
        warnings.simplefilter("ignore")  # e.g. "fewer distinct clusters than k": handled below
        for k in range(2, k_max + 1):
            model = KMeans(n_clusters=k, n_init=10 if n <= 500 else 3, random_state=RANDOM_STATE)
            labels = model.fit_predict(points)
            if len(set(labels.tolist())) < 2:
                continue
            score = float(silhouette_score(points, labels, sample_size=sample, random_state=RANDOM_STATE))
            if score > best_score + 1e-12:
                best_labels, best_score = labels, score
    if best_labels is None:
        import numpy as np

        return np.zeros(n, dtype=int), None
    return best_labels, round(best_score, 6)


def _relabel(labels: Any) -> list[int]:
    """Number clusters by their first career in alphabetical order, whatever labels k-means chose."""
    values = [int(v) for v in (labels.tolist() if hasattr(labels, "tolist") else labels)]
    order: dict[int, int] = {}
    for value in values:
        order.setdefault(value, len(order))
    return [order[value] for value in values]


def _map(points: Any, criteria: Sequence[str]) -> tuple[Any, tuple[MapAxis, ...]]:
    """The first two principal components (numpy SVD), signed so that the largest loading is positive."""
    import numpy as np

    centred = points - points.mean(axis=0)
    _, singular, components = np.linalg.svd(centred, full_matrices=False)
    total = float(np.sum(singular**2))
    coords = np.zeros((len(points), 2))
    axes = []
    for j in range(2):
        if j >= len(singular) or total <= 0 or singular[j] ** 2 / total < 1e-12:
            axes.append(MapAxis("(no further differences)", "Your careers do not differ along this direction.", 0.0))
            continue
        loading = components[j]
        if loading[int(np.argmax(np.abs(loading)))] < 0:
            loading = -loading
        coords[:, j] = centred @ loading
        axes.append(_axis(loading.tolist(), criteria, float(singular[j] ** 2 / total), "right" if j == 0 else "up"))
    return coords, tuple(axes)


def _axis(loading: Sequence[float], criteria: Sequence[str], share: float, direction: str) -> MapAxis:
    ranked = sorted(zip(loading, criteria, strict=True), key=lambda p: (-abs(p[0]), p[1].casefold()))
    strong = [(v, name) for v, name in ranked if abs(v) >= 0.2] or ranked[:1]
    positive = [name for v, name in strong if v > 0][:2]
    negative = [name for v, name in strong if v < 0][:2]
    opposite = {"right": "left", "up": "down"}[direction]
    title = f"more {positive[0]} →" if positive else ""
    if negative:
        title = f"← more {negative[0]}   ·   {title}"
    explanation = f"Further {direction}: careers offering more {_and(positive)}"
    if negative:
        explanation += f"; further {opposite}: more {_and(negative)}"
    explanation += f". This direction shows {share:.0%} of the differences between your careers."
    return MapAxis(title, explanation, round(share, 6))


def _describe(labels: Sequence[int], ratings: Any, profiles: Profiles) -> tuple[Cluster, ...]:
    """Each cluster's members, its traits (difference from all careers per criterion) and a unique name."""
    overall = ratings.mean(axis=0)
    weight_of = dict(zip(profiles.criteria, profiles.weights, strict=True))
    result = []
    taken: set[str] = set()
    for number in range(max(labels) + 1):
        rows = [i for i, label in enumerate(labels) if label == number]
        centre = ratings[rows].mean(axis=0)
        traits = sorted(
            (Trait(name, round(float(centre[j] - overall[j]), 4)) for j, name in enumerate(profiles.criteria)),
            key=lambda t: (-t.difference, -weight_of[t.criterion], t.criterion.casefold()),
        )
        name = _name(traits, taken, number)
        taken.add(name)
        higher = [t for t in traits if t.difference >= NAME_MIN_DIFFERENCE][:3]
        lower = [t for t in reversed(traits) if t.difference <= -NAME_MIN_DIFFERENCE][:2]
        shown = tuple(higher + lower[::-1]) or tuple(traits[:1])
        result.append(Cluster(number + 1, name, tuple(profiles.careers[i] for i in rows), shown))
    return tuple(result)


def _name(traits: Sequence[Trait], taken: set[str], number: int) -> str:
    """Two words for what sets a cluster apart: its highest traits, else what it offers least."""
    higher = [_word(t.criterion) for t in traits if t.difference >= NAME_MIN_DIFFERENCE]
    lower = [f"Less {_word(t.criterion).lower()}" for t in reversed(traits) if t.difference <= -NAME_MIN_DIFFERENCE]
    words = higher + lower
    if not words:
        name = "Middle ground"
        return name if name not in taken else f"{name} {number + 1}"
    for length in range(min(2, len(words)), len(words) + 1):
        candidate = " - ".join(words[:length])
        if candidate not in taken:
            return candidate
    return f"{' - '.join(words[:2])} {number + 1}"


def _word(criterion: str) -> str:
    return CRITERION_ADJECTIVES.get(criterion.casefold(), criterion)


def _and(items: Iterable[str]) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


# -- with the store -------------------------------------------------------------------------------


def cached_clustering(store: Store | None, profiles: Profiles) -> Clustering:
    """:func:`cluster_profiles`, memoised in the store's settings by the profiles' fingerprint.

    The cache is an optimisation only: a missing, stale or unreadable entry is recomputed, and a store
    that cannot be written (read-only file) still gets its answer.
    """
    if store is None:
        return cluster_profiles(profiles)
    fingerprint = profiles.fingerprint()
    try:
        cached = store.get_setting(CACHE_SETTING)
        if isinstance(cached, dict) and cached.get("fingerprint") == fingerprint:
            return Clustering.from_json(cached["result"])
    except Exception:  # a broken cache entry is simply recomputed
        pass
    result = cluster_profiles(profiles)
    with contextlib.suppress(Exception):  # caching is best effort (e.g. a read-only store)
        store.set_setting(CACHE_SETTING, {"fingerprint": fingerprint, "result": result.as_json()})
    return result


def cluster_careers(store: Store, *, cache: bool = True) -> Clustering:
    """Cluster the careers of a store (see the module docstring)."""
    profiles = build_profiles(
        store.careers(), store.criteria(), store.rating_aggregates(), store.dimension_weights()
    )
    return cached_clustering(store if cache else None, profiles)
