"""Discover page (AppTest): ranked occupations, filters, Add to my list, related careers, the map, attribution."""

from __future__ import annotations

from pathlib import Path

from analytics.onet import ATTRIBUTION
from analytics.onet.discover import discover
from analytics.store import Store
from tests.support.apptest_tools import STORE_KEY, charts, ok, texts


def test_discover_ranks_occupations_with_reasons_and_the_attribution(empty_db: Path, open_app) -> None:
    at = ok(open_app("discover"))
    assert at.title[0].value == "Discover"
    store: Store = at.session_state[STORE_KEY]
    expected = discover(store.criteria(), store.dimension_weights(), store.careers())
    text = texts(at)
    assert f"**1. {expected[0].title}** · fit **" in text
    assert expected[0].reasons[0] in text
    assert [b.label for b in at.button].count("Add to my list") == 25
    assert ATTRIBUTION in text
    assert "Related to my best careers" in [s.value for s in at.subheader]


def test_filters_narrow_the_list(empty_db: Path, open_app) -> None:
    at = ok(open_app("discover"))
    store: Store = at.session_state[STORE_KEY]
    profile = (store.criteria(), store.dimension_weights(), store.careers())
    at.selectbox(key="discover_zone").set_value(2).run()
    zone_two = discover(*profile, zone=2)
    assert f"{len(zone_two)} occupations match" in texts(ok(at))
    entries = [c.value for c in at.caption if " · job zone " in c.value]
    assert len(entries) == min(25, len(zone_two)) and all("job zone 2 ·" in entry for entry in entries)
    at.selectbox(key="discover_zone").set_value("Any").run()
    at.text_input(key="discover_text").set_value("nurse").run()
    nurses = discover(*profile, text="nurse")
    assert f"{len(nurses)} occupations match" in texts(ok(at))
    assert "Registered Nurses" in texts(at)
    family = zone_two[0].family
    at.selectbox(key="discover_family").set_value(family).run()
    assert f"{len(discover(*profile, text='nurse', family=family))} occupations match" in texts(ok(at))


def test_add_to_my_list_adds_and_links_the_career(empty_db: Path, open_app) -> None:
    at = ok(open_app("discover"))
    store: Store = at.session_state[STORE_KEY]
    first = discover(store.criteria(), store.dimension_weights(), store.careers())[0]
    at.button(key=f"add_{first.code}").click().run()
    ok(at)
    assert [(c.name, c.onet_code) for c in store.careers()] == [(first.title, first.code)]
    assert f"Added {first.title} to your list" in texts(at)
    assert at.button(key=f"add_{first.code}").label == "On your list"
    assert at.button(key=f"add_{first.code}").disabled
    # now the related section offers O*NET's related occupations of that career
    related = [b for b in at.button if b.key and b.key.startswith("add_related_")]
    assert related
    related[0].click().run()
    assert len(store.careers()) == 2 and all(c.onet_code for c in store.careers())


def test_the_map_shows_every_occupation_the_top_and_my_careers(empty_db: Path, open_app) -> None:
    with Store(empty_db) as store:
        store.link_career("Nursing", "29-1141.00")
    at = ok(open_app("discover"))
    (spec,) = charts(at)
    traces = {trace.get("name"): trace for trace in spec["data"]}
    families = [t for name, t in traces.items() if name not in ("Top discoveries", "My careers")]
    assert sum(len(t["customdata"]) for t in families) == 873 and len(families) == 10
    assert len(traces["Top discoveries"]["customdata"]) == 10
    assert traces["My careers"]["text"] == ["Nursing"]
    assert "fit " in traces["My careers"]["customdata"][0][0]


def test_without_linked_criteria_the_page_says_what_to_do(empty_db: Path, open_app) -> None:
    with Store(empty_db) as store:
        store.link_criteria({c.id: None for c in store.criteria()})
    at = ok(open_app("discover"))
    assert "nothing to score" in at.info[0].value
    assert not charts(at)
    assert ATTRIBUTION in texts(at)


def test_a_career_of_your_own_keeps_its_name_and_links_to_the_best_match(empty_db: Path, open_app) -> None:
    at = ok(open_app("discover"))
    store: Store = at.session_state[STORE_KEY]
    at.text_input(key="discover_own").set_value("UX researcher").run()
    link = at.radio(key="discover_own_link")
    assert link.value == "15-1255.00" and link.options[-1] == "no O*NET link"
    assert "Web and Digital Interface Designers (15-1255.00), as UX Researcher" in link.options
    at.button(key="discover_own_add").click().run()
    ok(at)
    assert [(c.name, c.onet_code) for c in store.careers()] == [("UX researcher", "15-1255.00")]
    assert "Added UX researcher to your list, linked to O*NET 15-1255.00." in texts(at)
    at.text_input(key="discover_own").set_value("Gardening my way").run()
    at.radio(key="discover_own_link").set_value("-").run()
    at.button(key="discover_own_add").click().run()
    assert {c.name: c.onet_code for c in ok(at).session_state[STORE_KEY].careers()}["Gardening my way"] is None
