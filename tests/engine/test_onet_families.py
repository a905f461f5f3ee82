"""Career families: deterministic clustering of O*NET occupations, and a family for every career."""

from __future__ import annotations

import math
import random

import pytest

from analytics.models import Career, Criterion
from analytics.onet import Family, career_family
from analytics.onet.clustering import K_RANGE, cluster_occupations, family_name
from analytics.onet.data import packaged
from analytics.onet.families import career_families, family_of, nearest_families, nearest_family


def _profiles() -> tuple[list[str], list[list[float]], list[str]]:
    """The packaged occupations' clustering profiles, as the build script assembles them."""
    data = packaged()
    features = data.features
    values = data.values([(f.element_id, f.scale) for f in features])
    codes = sorted(code for code, o in data.occupations.items() if o.family_id is not None)
    rows = [[values[code][(f.element_id, f.scale)][0] for f in features] for code in codes]
    blocks = [data.elements[f.element_id].kind for f in features]
    return codes, rows, blocks


def test_same_families_whatever_the_row_order() -> None:
    codes, rows, blocks = _profiles()
    subset = list(range(0, len(codes), 3))  # 291 occupations keep the test quick
    codes = [codes[i] for i in subset]
    rows = [rows[i] for i in subset]
    first = cluster_occupations(codes, rows, blocks, k_range=range(3, 7))
    again = cluster_occupations(codes, rows, blocks, k_range=range(3, 7))
    order = list(range(len(codes)))
    random.Random(3).shuffle(order)
    shuffled = cluster_occupations([codes[i] for i in order], [rows[i] for i in order], blocks, k_range=range(3, 7))
    assert again == first
    assert shuffled.codes == first.codes
    assert shuffled.labels == first.labels
    assert shuffled.k == first.k
    assert [v for point in shuffled.projection for v in point] == pytest.approx(
        [v for point in first.projection for v in point]
    )
    assert shuffled.typical == first.typical
    assert first.silhouette == max(first.silhouettes.values())
    sizes = [first.labels.count(family) for family in range(1, first.k + 1)]
    assert sizes == sorted(sizes, reverse=True)  # families are numbered largest first


def test_shipped_families_are_what_the_clustering_gives() -> None:
    codes, rows, blocks = _profiles()
    result = cluster_occupations(codes, rows, blocks)
    data = packaged()
    assert result.k == len(data.families) and result.k in K_RANGE
    assert {code: label for code, label in zip(result.codes, result.labels, strict=True)} == {
        code: o.family_id for code, o in data.occupations.items() if o.family_id is not None
    }
    for family_id, profile in data.families.items():
        assert profile.typical_code == result.typical[family_id - 1]
        assert profile.centroid == pytest.approx(result.centroids[family_id - 1])


def test_family_names_come_from_riasec_and_a_typical_occupation() -> None:
    assert family_name([0.1, 1.5, -0.2, 0.9, -1.0, 0.0], "Chemists") == "Investigative-Social (like Chemists)"
    assert family_name([1.2, -0.5, -0.2, -0.9, -1.0, -0.1], "Roofers") == "Realistic (like Roofers)"
    names = [profile.family.name for profile in packaged().families.values()]
    assert len(set(names)) == len(names)
    typical = {
        profile.family.id: packaged().occupations[profile.typical_code].title
        for profile in packaged().families.values()
    }
    assert all(name.endswith(f"(like {typical[i + 1]})") for i, name in enumerate(names))


def test_clustering_refuses_unusable_input() -> None:
    with pytest.raises(ValueError, match="unique"):
        cluster_occupations(["a", "a"], [[1.0], [2.0]], ["x"])
    with pytest.raises(ValueError, match="too few"):
        cluster_occupations(["a", "b", "c"], [[1.0], [2.0], [3.0]], ["x"], k_range=range(5, 8))


CRITERIA = [
    Criterion(1, "Investigative", "interest", 5, onet_element="1.B.1.b"),
    Criterion(2, "Social", "interest", 5, onet_element="1.B.1.d"),
    Criterion(3, "Realistic", "interest", 5, onet_element="1.B.1.a"),
    Criterion(4, "Science", "skill", 5, onet_element="2.A.1.f"),
    Criterion(5, "Remote work", "value", 4),
]


def test_a_linked_career_takes_its_occupations_family() -> None:
    nurse = Career(1, "Nursing", onet_code="29-1141.00")
    family = career_family(nurse, CRITERIA, {})
    assert isinstance(family, Family)
    assert family == family_of("29-1141.00")
    assert family.name == packaged().families[packaged().occupations["29-1141.00"].family_id].family.name


def test_an_unlinked_career_takes_the_nearest_family_by_its_shares() -> None:
    data = packaged()
    physicist = family_of("19-2012.00")
    shares = {}
    values = data.occupation_values("19-2012.00")
    for criterion in CRITERIA[:4]:
        element = data.elements[criterion.onet_element]
        scale = data.scales[element.scale]
        raw = values[(element.id, element.scale)][0]
        shares[criterion.id] = (raw - scale.minimum) / (scale.maximum - scale.minimum)
    assert career_family(Career(2, "Lab research"), CRITERIA, shares) == physicist
    carer = {1: 0.1, 2: 1.0, 3: 0.2, 4: 0.2}
    assert nearest_family(CRITERIA, carer) != physicist
    # a career linked to an occupation O*NET does not fully profile falls back on its shares
    assert career_family(Career(3, "Web design", onet_code="15-1255.00"), CRITERIA, shares) == physicist


def test_no_family_without_a_link_or_linked_shares() -> None:
    assert career_family(Career(4, "Gardening"), CRITERIA, {}) is None
    assert career_family(Career(4, "Gardening"), CRITERIA, {5: 0.9}) is None  # Remote work is not linked
    assert career_family(Career(5, "Unknown", onet_code="99-9999.99"), CRITERIA, {}) is None


def _exact_nearest(criteria: list[Criterion], shares: dict[int, float]) -> Family | None:
    """The rule written out for one profile: the mean O*NET value per feature, the exact (``math.fsum``) distance
    to each family's centre, the nearest first and ties to the lower family id."""
    data = packaged()
    position = {(f.element_id, f.scale): i for i, f in enumerate(data.features)}
    gathered: dict[int, list[float]] = {}
    for criterion in criteria:
        element = data.elements.get(criterion.onet_element or "")
        if element is None or criterion.id not in shares or (element.id, element.scale) not in position:
            continue
        scale = data.scales[element.scale]
        raw = scale.minimum + ((1.0 + 4.0 * shares[criterion.id]) - 1.0) * (scale.maximum - scale.minimum) / 4.0
        gathered.setdefault(position[(element.id, element.scale)], []).append(raw)
    if not gathered:
        return None
    point = {i: math.fsum(v) / len(v) for i, v in gathered.items()}
    distances = [
        (math.fsum(((point[i] - p.centroid[i]) / data.features[i].scale_factor) ** 2 for i in sorted(point)), f)
        for f, p in data.families.items()
    ]
    return data.families[min(distances)[1]].family


def test_many_careers_are_placed_at_once_as_each_would_be_alone() -> None:
    """The families of 400 careers worked out together are those the exact rule gives each; linked careers keep
    their occupation's family."""
    rng = random.Random(17)
    profiles = []
    for _ in range(400):
        rated = rng.sample(CRITERIA, rng.randint(0, len(CRITERIA)))
        profiles.append({c.id: rng.choice([rng.random(), 0.25, 0.5, 0.75, 1.0]) for c in rated})
    found = nearest_families(CRITERIA, profiles)
    assert found == [_exact_nearest(CRITERIA, shares) for shares in profiles]
    assert any(family is None for family in found) and len({f for f in found if f}) > 2
    codes = ["29-1141.00" if n % 7 == 0 else None for n in range(400)]
    placed = career_families(codes, CRITERIA, profiles)
    nurse = family_of("29-1141.00")
    assert placed == [nurse if n % 7 == 0 else found[n] for n in range(400)]
