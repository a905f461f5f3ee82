"""Career clusters: profiles (interviews, expectations, imputation), deterministic k-means, names, map, cache."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from analytics import clustering as clustering_module
from analytics.clustering import (
    CACHE_SETTING,
    Clustering,
    build_profiles,
    cluster_careers,
    fit_weights,
)
from analytics.models import Criterion
from tests.store_fixtures import profile_store

ROOT = Path(__file__).resolve().parent.parent

# Two kinds of career: analytical and independent, or social and collegial.
ANALYTICAL = {"Investigative": 5, "Data analysis": 5, "Independence": 5, "Technical/programming": 4,
              "Social": 1, "Relationships": 2, "Speaking": 2, "Teamwork": 2}
SOCIAL = {"Investigative": 2, "Data analysis": 1, "Independence": 2, "Technical/programming": 1,
          "Social": 5, "Relationships": 5, "Speaking": 5, "Teamwork": 5}


def profile(base: dict[str, int], shift: int = 0) -> dict[str, float]:
    """``base`` nudged by ``shift`` (kept inside 1-5); the other criteria stay unrated."""
    return {name: float(min(5, max(1, value + shift))) for name, value in base.items()}


def rows(career: str, values: dict[str, float], interviewee: str | None = "Alex", day: str = "2026-01-05",
         source: str = "interview") -> list[dict[str, object]]:
    out = []
    for criterion, rating in values.items():
        row: dict[str, object] = {"career": career, "criterion": criterion, "rating": rating, "source": source}
        if source == "interview":
            row.update({"interviewee": interviewee, "date": day})
        out.append(row)
    return out


def two_groups() -> list[dict[str, object]]:
    data: list[dict[str, object]] = []
    data += rows("Data Scientist", profile(ANALYTICAL))
    data += rows("Data Scientist", profile(ANALYTICAL, -1), "Sam", "2026-02-01")
    data += rows("Statistician", profile(ANALYTICAL, -1))
    data += rows("Actuary", profile(ANALYTICAL), source="expectation")
    data += rows("Teacher", profile(SOCIAL))
    data += rows("Nurse", profile(SOCIAL, -1))
    data += rows("Social Worker", profile(SOCIAL), source="expectation")
    return data


def summary(result: Clustering) -> list[tuple[str, str | None, float, float, str]]:
    names = {c.number: c.name for c in result.clusters}
    return [(p.career, names.get(p.cluster), p.x, p.y, p.source) for p in result.points]


def test_two_clear_groups_are_found_and_named_by_what_sets_them_apart() -> None:
    with profile_store(two_groups()) as store:
        result = cluster_careers(store, cache=False)
    assert result.ok and result.reason is None
    assert len(result.clusters) == 2
    members = {frozenset(c.members) for c in result.clusters}
    assert members == {frozenset({"Actuary", "Data Scientist", "Statistician"}),
                       frozenset({"Nurse", "Social Worker", "Teacher"})}
    by_member = {m: c for c in result.clusters for m in c.members}
    assert "Analytical" in by_member["Actuary"].name or "Data-driven" in by_member["Actuary"].name
    assert "Social" in by_member["Teacher"].name or "Collegial" in by_member["Teacher"].name
    assert by_member["Teacher"].name != by_member["Actuary"].name
    assert "higher" in by_member["Teacher"].description
    assert result.silhouette is not None and result.silhouette > 0.5
    # the map: two labelled axes, and the groups apart along the first one
    assert len(result.axes) == 2 and all(a.title and a.explanation for a in result.axes)
    xs = {p.career: p.x for p in result.points}
    assert (xs["Teacher"] > 0) != (xs["Data Scientist"] > 0)
    assert {p.source for p in result.points if p.career in ("Actuary", "Social Worker")} == {"expectations"}


def test_same_data_in_any_insertion_order_gives_the_same_clusters_and_map() -> None:
    results = []
    for seed in (None, 1, 2):
        with profile_store(two_groups(), shuffle=seed) as store:
            results.append(cluster_careers(store, cache=False))
    first = results[0]
    for other in results[1:]:
        assert summary(other) == summary(first)
        assert [(c.name, c.members, c.traits) for c in other.clusters] == [
            (c.name, c.members, c.traits) for c in first.clusters
        ]
        assert other.axes == first.axes and other.silhouette == first.silhouette


@pytest.mark.parametrize("count", [0, 1, 2])
def test_fewer_than_three_careers_are_not_clustered_and_the_reason_says_why(count: int) -> None:
    data: list[dict[str, object]] = []
    for i, base in enumerate([ANALYTICAL, SOCIAL][:count]):
        data += rows(f"Career {i}", profile(base))
    with profile_store(data) as store:
        store.add_career("Not yet rated")
        result = cluster_careers(store)
    assert not result.ok and result.clusters == ()
    assert result.reason and "at least 3" in result.reason
    assert all(p.cluster is None for p in result.points) and len(result.points) == count
    assert result.unplaced == ("Not yet rated",)


def test_three_careers_make_two_groups() -> None:
    data = rows("A", profile(ANALYTICAL)) + rows("B", profile(ANALYTICAL, -1)) + rows("C", profile(SOCIAL))
    with profile_store(data) as store:
        result = cluster_careers(store)
    assert result.ok and len(result.clusters) == 2
    assert {c.members for c in result.clusters} == {("A", "B"), ("C",)}


def test_identical_profiles_form_one_group() -> None:
    data = [r for name in ("A", "B", "C") for r in rows(name, profile(ANALYTICAL))]
    with profile_store(data) as store:
        result = cluster_careers(store, cache=False)
    assert len(result.clusters) == 1 and result.clusters[0].members == ("A", "B", "C")
    assert result.silhouette is None


def test_profiles_use_interviews_then_expectations_then_the_criterions_mean() -> None:
    criteria = [Criterion(1, "Investigative", "interest", 3), Criterion(2, "Social", "interest", 1),
                Criterion(3, "Realistic", "interest", 0), Criterion(4, "Unsorted", None, 3)]
    from analytics.models import Career, RatingAggregate

    careers = [Career(2, "beta"), Career(1, "Alpha"), Career(3, "Gamma"), Career(4, "Empty")]
    aggregates = [
        RatingAggregate(1, 1, "interview", 2, 9.0, 41.0),  # Alpha: Investigative 4.5 from interviews
        RatingAggregate(1, 1, "expectation", 1, 1.0, 1.0),  # ... its expectation is not used
        RatingAggregate(1, 2, "expectation", 1, 2.0, 4.0),  # Alpha: Social only expected: 2
        RatingAggregate(2, 2, "interview", 1, 5.0, 25.0),  # beta: Social 5, Investigative unknown
        RatingAggregate(3, 1, "expectation", 1, 1.0, 1.0),  # Gamma: expectations only
        RatingAggregate(3, 3, "interview", 1, 5.0, 25.0),  # weight 0: ignored
        RatingAggregate(4, 4, "interview", 1, 5.0, 25.0),  # no dimension: ignored, so Empty has no profile
    ]
    profiles = build_profiles(careers, criteria, aggregates)
    assert profiles.careers == ("Alpha", "beta", "Gamma")  # sorted by name, case-insensitively
    assert profiles.criteria == ("Investigative", "Social")  # only weighted criteria with a dimension
    assert profiles.sources == ("interviews", "interviews", "expectations")
    assert profiles.unplaced == ("Empty",)
    mean_investigative = (4.5 + 1.0) / 2
    mean_social = (2.0 + 5.0) / 2
    assert profiles.ratings == ((4.5, 2.0), (mean_investigative, 5.0), (1.0, mean_social))
    assert profiles.imputed == 2
    assert profiles.weights == pytest.approx((0.75, 0.25))
    assert sum(fit_weights(criteria, {"interest": 1, "skill": 1, "value": 1}).values()) == pytest.approx(1)


def test_the_clustering_is_kept_in_the_store_until_the_data_changes(monkeypatch: pytest.MonkeyPatch) -> None:
    with profile_store(two_groups()) as store:
        first = cluster_careers(store)
        assert store.get_setting(CACHE_SETTING)["result"] == first.as_json()

        def must_not_run(profiles: object) -> Clustering:
            raise AssertionError("clustered again although nothing changed")

        monkeypatch.setattr(clustering_module, "cluster_profiles", must_not_run)
        assert cluster_careers(store) == first
        store.add_career("Unrated career")  # no profile yet: the result changes only in who is unplaced
        with pytest.raises(AssertionError, match="clustered again"):
            cluster_careers(store)
        monkeypatch.undo()
        store.set_setting(CACHE_SETTING, {"fingerprint": "x", "result": {"broken": True}})
        assert cluster_careers(store).unplaced == ("Unrated career",)


def test_importing_the_engine_does_not_import_scikit_learn() -> None:
    code = ("import sys; import analytics.recommend, analytics.clustering; "
            "assert 'sklearn' not in sys.modules and 'numpy' not in sys.modules")
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, timeout=60)


def test_a_profile_where_nothing_counts_says_so() -> None:
    data = rows("A", profile(ANALYTICAL)) + rows("B", profile(SOCIAL)) + rows("C", profile(SOCIAL, -1))
    with profile_store(data) as store:
        for criterion in store.criteria():
            store.update_criterion(criterion.id, weight=0)
        result = cluster_careers(store)
    assert not result.ok and "weight above 0" in (result.reason or "")
    assert result.unplaced == ("A", "B", "C")
