"""Career fit page (AppTest): the ranking chart and table, the breakdown, one career's detail, how scores work."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from analytics.beliefs import rank
from analytics.beliefs.explain import CALIBRATION_TEXT, MODEL_TEXT
from analytics.store import Store
from tests.support.apptest_tools import STORE_KEY, charts, ok, texts


def test_demo_ranking_chart_has_bands_evidence_expected_fit_chance_best_and_labelled_axes(
    app_db: Path, open_app
) -> None:
    at = ok(open_app("career_fit"))
    store: Store = at.session_state[STORE_KEY]
    scores = [s for s in rank(store) if s.fit is not None]
    ranking, breakdown = charts(at)
    fit, evidence, expected, chance = ranking["data"]
    assert fit["y"] == [s.career for s in scores]
    assert fit["x"] == [s.fit for s in scores]
    assert fit["error_x"]["array"] == [s.high - s.fit for s in scores]
    assert evidence["x"] == [s.evidence_fit for s in scores if s.evidence_fit is not None]
    assert expected["x"] == [s.expected_fit for s in scores if s.expected_fit is not None]
    assert chance["x"] == [100 * s.p_best for s in scores]
    assert abs(sum(chance["x"]) - 100) < 1e-6
    assert ranking["layout"]["xaxis"]["title"]["text"] == "Fit (0-100)"
    assert ranking["layout"]["yaxis"]["title"]["text"].startswith("Career")
    interviewed = [s for s in rank(store) if s.interviews]
    assert [t["name"] for t in breakdown["data"]] == [s.career for s in interviewed[:3]]
    assert breakdown["layout"]["yaxis"]["title"]["text"].startswith("Dimension score")
    table = at.dataframe[0].value
    assert list(table["Career"]) == [s.career for s in rank(store)]
    assert {"Fit", "Band", "Chance best", "Based on", "Evidence", "Expected fit", "Coverage"} <= set(table.columns)
    # one rounding rule: the table shows the same whole numbers as the CLI and the chart's hover text
    assert list(table["Fit"])[: len(scores)] == [
        int(Decimal(repr(s.fit)).quantize(Decimal(1), ROUND_HALF_UP)) for s in scores
    ]


def test_the_top_pick_sensitivity_is_said_in_one_sentence(app_db: Path, open_app) -> None:
    at = ok(open_app("career_fit"))
    [sentence] = [i.value for i in at.info if "stays first" in i.value]
    assert "If every weight moved by up to 1" in sentence


def test_how_scores_work_shows_the_model_its_formula_and_the_calibration(app_db: Path, open_app) -> None:
    at = ok(open_app("career_fit"))
    [expander] = [e for e in at.expander if e.label == "How scores work"]
    inside = "\n".join(m.value for m in expander.markdown)
    assert MODEL_TEXT in inside and CALIBRATION_TEXT in inside
    formulas = "\n".join(x.value for x in expander.get("latex"))
    assert r"\tilde w" in formulas and "1.645" in formulas


def test_one_careers_detail_lists_ratings_per_interviewee_disagreements_and_notes(app_db: Path, open_app) -> None:
    at = ok(open_app("career_fit"))
    store: Store = at.session_state[STORE_KEY]
    consultant = next(c.id for c in store.careers() if c.name == "Management Consultant")
    ok(at.selectbox(key="fit_detail_career").set_value(consultant).run())
    detail = at.dataframe[1].value
    people = {i.interviewee for i in store.interviews(consultant) if i.ratings}
    assert len(people) == 3
    assert sum(any(p in column for p in people) for column in detail.columns) == 3
    assert {"Criterion", "Dimension", "Weight", "Believed", "Likely", "Expected", "Mean", "Spread"} <= set(
        detail.columns
    )
    assert "Where interviewees disagree" in texts(at)
    assert {m.label for m in at.metric} == {"Estimated fit", "Band", "Chance best", "Expected fit", "Coverage"}


def test_comparing_no_career_is_fine(app_db: Path, open_app) -> None:
    at = ok(open_app("career_fit"))
    ok(at.multiselect(key="fit_compare").set_value([]).run())
    assert "Choose careers to compare" in texts(at)


def test_an_empty_store_explains_how_to_get_a_ranking(empty_db: Path, open_app) -> None:
    at = ok(open_app("career_fit"))
    assert "Nothing to rank yet" in texts(at)
    assert not charts(at)


def test_careers_without_interviews_are_ranked_with_the_others_and_say_so(empty_db: Path, open_app) -> None:
    with Store(empty_db) as store:
        social = next(c.id for c in store.criteria() if c.name == "Social")
        store.save_expectations("Teacher", {social: 5})
        store.save_expectations("Banker", {social: 2})
        store.add_career("Pilot")
    at = ok(open_app("career_fit"))
    table = at.dataframe[0].value
    assert list(table["Career"]) == ["Teacher", "Banker", "Pilot"]
    assert list(table["Based on"]) == ["your expectations only", "your expectations only", "nothing yet"]
    assert "Hollow dots: not interviewed yet" in texts(at)
    assert "no interview ratings yet" in texts(at)


def test_a_store_loaded_in_bulk_is_ranked_like_one_saved_interview_by_interview(empty_db: Path, open_app) -> None:
    from datetime import date

    with Store(empty_db) as store:
        names = [c.name for c in store.criteria()][:4]
        store.add_interview_ratings_bulk(
            [("Pilot", "Ann", date(2026, 1, 5), name, 5) for name in names]
            + [("Pilot", "Bo", date(2026, 2, 5), name, 4) for name in names]
            + [("Baker", " ann ", date(2026, 1, 5), name, 2) for name in names]
        )
        bulk = rank(store)
    with Store() as one_by_one:
        ids = {c.name: c.id for c in one_by_one.criteria()}
        for career, person, day, value in (
            ("Pilot", "Ann", date(2026, 1, 5), 5),
            ("Pilot", "Bo", date(2026, 2, 5), 4),
            ("Baker", "ann", date(2026, 1, 5), 2),
        ):
            one_by_one.save_interview(career, person, day, ratings={ids[n]: value for n in names})
        expected = rank(one_by_one)
    assert [(s.career, s.fit, s.low, s.high, s.interviews) for s in bulk] == [
        (s.career, s.fit, s.low, s.high, s.interviews) for s in expected
    ]
    at = ok(open_app("career_fit"))
    assert list(at.dataframe[0].value["Career"]) == ["Pilot", "Baker"]
