"""The question bank: complete for the default profile, open questions, and the selection functions."""

from __future__ import annotations

import pytest

from analytics.profile_defaults import DEFAULT_CRITERIA
from analytics.questions import (
    CRITERION_QUESTIONS,
    CRITERION_TEMPLATES,
    DIMENSION_QUESTIONS,
    QUESTION_CATEGORIES,
    TIARA_QUESTIONS,
    questions_for_category,
    questions_for_criterion,
    questions_for_dimension,
    tiara_questions,
)


def every_question() -> list[str]:
    banks = [
        *QUESTION_CATEGORIES.values(),
        *TIARA_QUESTIONS.values(),
        *CRITERION_QUESTIONS.values(),
        *DIMENSION_QUESTIONS.values(),
    ]
    return [q for bank in banks for q in bank]


def test_every_default_criterion_has_its_own_questions() -> None:
    assert set(CRITERION_QUESTIONS) == {name for name, _, _ in DEFAULT_CRITERIA}
    for name, dimension, _ in DEFAULT_CRITERIA:
        questions = questions_for_criterion(name, dimension)
        assert len(questions) >= 2
        assert questions == list(CRITERION_QUESTIONS[name])


def test_the_pipeline_categories_and_tiara_are_all_there() -> None:
    assert list(QUESTION_CATEGORIES) == [
        "A day in the role",
        "The path in",
        "Skills that matter",
        "Trends",
        "Advice",
        "Resources",
        "Who else to talk to",
    ]
    assert list(TIARA_QUESTIONS) == ["Trends", "Insights", "Advice", "Resources", "Assignments"]
    assert all(len(questions) >= 2 for questions in QUESTION_CATEGORIES.values())
    assert [part for part, _ in tiara_questions()][::3] == ["Trends", "Insights", "Advice", "Resources", "Assignments"]
    assert len(tiara_questions()) == sum(len(q) for q in TIARA_QUESTIONS.values())


def test_questions_are_open_plain_and_distinct_within_a_list() -> None:
    for question in every_question():
        assert question.endswith("?"), question
        assert question == question.strip() and "{" not in question
        assert not question.lower().startswith(("is ", "are ", "do ", "does ", "would ")), question
    for bank in [*QUESTION_CATEGORIES.values(), *CRITERION_QUESTIONS.values()]:
        assert len(set(bank)) == len(bank)


def test_a_default_criterion_matches_whatever_its_case_and_spacing() -> None:
    assert questions_for_criterion("  data   ANALYSIS ") == list(CRITERION_QUESTIONS["Data analysis"])


@pytest.mark.parametrize("dimension", ["interest", "skill", "value", None, "nonsense"])
def test_a_criterion_of_the_users_own_gets_questions_naming_it(dimension: str | None) -> None:
    questions = questions_for_criterion("Travel", dimension)
    assert len(questions) >= 2
    assert all("Travel" in q and q.endswith("?") for q in questions)
    expected = CRITERION_TEMPLATES.get(dimension if dimension in DIMENSION_QUESTIONS else None)
    assert questions == [t.format(criterion="Travel") for t in expected]


def test_dimension_and_category_lookups() -> None:
    assert questions_for_dimension("value") == list(DIMENSION_QUESTIONS["value"])
    assert questions_for_category("The path in") == list(QUESTION_CATEGORIES["The path in"])
    assert questions_for_category("Assignments") == list(TIARA_QUESTIONS["Assignments"])
    with pytest.raises(ValueError, match="interest, skill or value"):
        questions_for_dimension("hobby")
    with pytest.raises(ValueError, match="A day in the role"):
        questions_for_category("Gossip")
