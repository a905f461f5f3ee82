"""O*NET's view of a career, its fit, search, element links and discover, on the packaged data."""

from __future__ import annotations

import pytest

from analytics.beliefs.weights import combined_fit, effective_weights
from analytics.errors import InvalidInputError
from analytics.models import Career, Criterion
from analytics.onet import ATTRIBUTION, ONET_VERSION, OnetValue, career_view, occupation_title, onet_fit
from analytics.onet.data import packaged
from analytics.onet.discover import discover, find_family, related_to, score_occupations
from analytics.onet.elements import element_id_for, element_label, find_element
from analytics.onet.rescale import from_rating, se_to_rating, to_rating
from analytics.onet.search import search, words

WEIGHTS = {"interest": 1.0, "skill": 1.0, "value": 1.0}
RESEARCH_PROFILE = [
    Criterion(1, "Investigative", "interest", 5, onet_element="1.B.1.b"),
    Criterion(2, "Mathematics", "skill", 5, onet_element="2.A.1.e"),
    Criterion(3, "Science", "skill", 5, onet_element="2.A.1.f"),
    Criterion(4, "Independence", "value", 5, onet_element="1.B.2.f"),
]


def test_version_and_attribution() -> None:
    assert ONET_VERSION == "29.3"
    assert ATTRIBUTION.startswith("This site includes information from the O*NET 29.3 Database by the U.S.")
    assert "CC BY 4.0" in ATTRIBUTION and "has not approved, endorsed, or tested" in ATTRIBUTION


def test_rescaling_sends_each_scale_onto_1_to_5() -> None:
    scales = packaged().scales
    assert to_rating(1, scales["OI"]) == 1 and to_rating(7, scales["OI"]) == 5
    assert to_rating(4, scales["EX"]) == pytest.approx(3.0)
    assert to_rating(3.7, scales["IM"]) == pytest.approx(3.7)
    assert to_rating(3.5, scales["LV"]) == pytest.approx(3.0)
    assert se_to_rating(0.3, scales["OI"]) == pytest.approx(0.2)
    assert se_to_rating(0.3, scales["IM"]) == pytest.approx(0.3)
    assert se_to_rating(None, scales["IM"]) is None
    for scale in scales.values():
        for rating in (1.0, 2.5, 5.0):
            assert to_rating(from_rating(rating, scale), scale) == pytest.approx(rating)


def test_career_view_gives_onets_values_on_the_rating_scale() -> None:
    criteria = [
        *RESEARCH_PROFILE,
        Criterion(5, "Remote work", "value", 4),
        Criterion(6, "Biology", "skill", 3, onet_element="2.C.4.d"),
    ]
    view = career_view("19-2012.00", criteria)  # Physicists
    assert set(view) == {1, 2, 3, 4, 6}  # Remote work has no O*NET element
    raw = packaged().occupation_values("19-2012.00")
    assert view[1] == OnetValue(pytest.approx(1 + 4 * (raw[("1.B.1.b", "OI")][0] - 1) / 6), None)
    value, se = raw[("2.A.1.e", "IM")]
    assert view[2] == OnetValue(pytest.approx(value), pytest.approx(se))
    assert all(1 <= v.rating <= 5 for v in view.values())
    assert career_view("99-9999.99", criteria) == {}
    assert set(career_view("15-1255.00", criteria)) == {1}  # O*NET has interests only for this one


def test_onet_fit_uses_the_one_combination_rule() -> None:
    criteria = [
        *RESEARCH_PROFILE,
        Criterion(5, "Social", "interest", 1, onet_element="1.B.1.d"),
        Criterion(6, "Remote work", "value", 5),
    ]
    view = career_view("19-2012.00", criteria)
    shares = {k: (v.rating - 1) / 4 for k, v in view.items()}
    expected = combined_fit(shares, effective_weights(criteria, WEIGHTS, present=view.keys()))
    assert onet_fit("19-2012.00", criteria, WEIGHTS) == pytest.approx(expected)
    assert onet_fit("19-2012.00", criteria, WEIGHTS) > onet_fit("35-2014.00", criteria, WEIGHTS)  # cooks
    assert onet_fit("19-2012.00", [Criterion(6, "Remote work", "value", 5)], WEIGHTS) is None
    assert onet_fit("99-9999.99", criteria, WEIGHTS) is None


def test_occupation_titles() -> None:
    assert occupation_title("29-1141.00") == "Registered Nurses"
    assert occupation_title("00-0000.00") is None


@pytest.mark.parametrize(
    ("query", "code", "within"),
    [
        ("UX researcher", "15-1255.00", 1),
        ("product manager", "11-2021.00", 1),
        ("Genetic Counselor", "29-9092.00", 3),
        ("registered nurse", "29-1141.00", 3),
        ("data scientist", "15-2051.00", 1),
        ("Registered Nurses", "29-1141.00", 1),
    ],
)
def test_search_finds_occupations_by_what_people_call_them(query: str, code: str, within: int) -> None:
    hits = search(query, limit=10)
    assert code in [hit.code for hit in hits[:within]], [h.as_json() for h in hits[:5]]


def test_search_says_which_title_matched() -> None:
    first = search("UX researcher")[0]
    assert first.as_json() == {
        "code": "15-1255.00",
        "title": "Web and Digital Interface Designers",
        "matched": "UX Researcher",
    }
    assert search("registered nurs")[0].code == "29-1141.00"  # the last word matches while typing
    assert search("", limit=5) == [] and search("zzqx") == []
    assert len(search("manager", limit=4)) == 4
    assert words("Counselors, Nurses & Cafés") == ["counselor", "nurse", "cafe"]


def test_elements_by_id_or_name() -> None:
    assert find_element("investigative").id == "1.B.1.b"
    assert find_element("  Independence ").id == "1.B.2.f"  # the work value, not the sub-value 1.B.2.b.2
    assert find_element("Mathematics").id == "2.A.1.e"  # the skill wins over the knowledge area
    assert find_element("Mathematics (knowledge)").id == "2.C.4.a"
    assert find_element("2.C.4.a").kind == "knowledge"
    assert find_element("Remote work") is None
    assert element_id_for("Science") == "2.A.1.f"
    assert element_id_for("") is None and element_id_for(None) is None
    with pytest.raises(InvalidInputError, match="'Charisma' is not an O\\*NET"):
        element_id_for("Charisma")
    assert element_label("1.B.1.b") == "Investigative (interest)"
    assert element_label(None) == ""


def test_discover_puts_research_first_and_no_routine_service_work_near_the_top() -> None:
    found = discover(RESEARCH_PROFILE, WEIGHTS)
    assert len(found) == 873
    fits = [round(d.fit, 6) for d in found]
    assert fits == sorted(fits, reverse=True)
    top = found[:25]
    research = ("19-1", "19-2", "19-3", "15-2")  # life, physical and social scientists, mathematicians
    assert top[0].code.startswith(research)
    assert sum(d.code.startswith(research) for d in top[:10]) >= 8
    # SOC major groups: 35 food, 37 cleaning, 39 personal care, 41 sales, 43 office, 53 transport
    assert not [d.title for d in top if d.code[:2] in {"35", "37", "39", "41", "43", "53"}]
    first = top[0]
    assert 2 <= len(first.reasons) <= 3
    assert first.reasons[0].startswith("high ") and "which you weight 5" in first.reasons[0]
    assert " of 7)" in first.reasons[0] or " of 5)" in first.reasons[0]
    assert first.family and first.job_zone in (4, 5)


def test_discover_reasons_name_what_is_missing() -> None:
    last = discover(RESEARCH_PROFILE, WEIGHTS)[-1]
    assert any(reason.startswith("low ") for reason in last.reasons)


def test_discover_filters_by_zone_family_text_and_limit() -> None:
    everything = discover(RESEARCH_PROFILE, WEIGHTS)
    zone_two = discover(RESEARCH_PROFILE, WEIGHTS, zone=2)
    assert zone_two and all(d.job_zone == 2 for d in zone_two)
    assert [d.code for d in zone_two] == [d.code for d in everything if d.job_zone == 2]
    family = everything[0].family
    in_family = discover(RESEARCH_PROFILE, WEIGHTS, family=family)
    assert in_family and {d.family for d in in_family} == {family}
    assert discover(RESEARCH_PROFILE, WEIGHTS, family=family.split(" (like ")[1].rstrip(")")) == in_family
    nurses = discover(RESEARCH_PROFILE, WEIGHTS, text="nurse")
    assert "29-1141.00" in [d.code for d in nurses] and len(nurses) < 100
    assert len(discover(RESEARCH_PROFILE, WEIGHTS, limit=5)) == 5
    with pytest.raises(InvalidInputError, match="--zone 6"):
        discover(RESEARCH_PROFILE, WEIGHTS, zone=6)
    with pytest.raises(InvalidInputError, match="no family 'Astrology'"):
        find_family("Astrology")


def test_discover_marks_the_list_and_related_careers() -> None:
    careers = [
        Career(1, "Physics", onet_code="19-2012.00"),
        Career(2, "Stars", onet_code="19-2011.00"),
        Career(3, "Unlinked idea"),
    ]
    found = {d.code: d for d in discover(RESEARCH_PROFILE, WEIGHTS, careers)}
    assert found["19-2012.00"].on_list and not found["19-2031.00"].on_list
    related_of_physics = packaged().related["19-2012.00"]
    assert "19-2011.00" in related_of_physics
    assert "Physics" in found["19-2011.00"].related
    assert found["19-2012.00"].as_json()["on_list"] is True
    assert set(found["19-2012.00"].as_json()) == {
        "code",
        "title",
        "fit",
        "job_zone",
        "family",
        "reasons",
        "related",
        "on_list",
    }
    nearby = related_to(["19-2012.00"], exclude=["19-2011.00"])
    assert nearby and "19-2012.00" not in nearby and "19-2011.00" not in nearby
    assert nearby[0] == next(c for c in related_of_physics if c != "19-2011.00")


def test_no_linked_criteria_means_nothing_to_discover() -> None:
    assert discover([Criterion(1, "Remote work", "value", 5)], WEIGHTS) == []
    assert score_occupations([], WEIGHTS) == {}
