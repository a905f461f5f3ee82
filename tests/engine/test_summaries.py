"""The summary tables are refreshed only for the careers a write touched; they must still always equal the
aggregate of the raw ratings, and a rebuild from scratch, whatever sequence of writes (single saves, deletes,
moves, imports, weight changes, restores from a backup) ran."""

from __future__ import annotations

import contextlib
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analytics.beliefs.inputs import inputs_from_ratings
from analytics.db.belief_stats import read_belief_inputs
from analytics.db.summaries import refresh_totals
from analytics.errors import InvalidInputError
from analytics.spreadsheets.ingest import import_bytes
from analytics.store import SCHEMA_VERSION, Store
from tests.support.store_fixtures import csv_of

CAREERS = ("Nurse", "Pilot", "Baker", "Coder")
PEOPLE = ("Ann", "Bo", "Cy")
DAYS = (date(2026, 1, 5), date(2026, 2, 9), None)

pick = st.integers(min_value=0, max_value=10_000)
rating = st.integers(min_value=1, max_value=5)
# rows of interviews, each (career, interviewee, day, criterion, rating): written in bulk or imported as a sheet
interview_rows = st.lists(
    st.tuples(st.sampled_from(CAREERS), st.sampled_from(PEOPLE), st.sampled_from(DAYS[:2]), pick, rating),
    min_size=1,
    max_size=6,
)
actions = st.one_of(
    st.tuples(
        st.just("rate"),
        st.sampled_from(CAREERS),
        st.sampled_from(PEOPLE),
        st.sampled_from(DAYS),
        st.dictionaries(pick, rating, min_size=1, max_size=4),
    ),
    st.tuples(st.just("unrate"), pick, pick),
    st.tuples(st.just("move"), pick, pick),
    st.tuples(st.just("stage"), pick),
    st.tuples(st.just("expect"), st.sampled_from(CAREERS), st.dictionaries(pick, st.none() | rating, max_size=3)),
    st.tuples(st.just("delete_interview"), pick),
    st.tuples(st.just("delete_career"), pick),
    st.tuples(st.just("delete_criterion"), pick),
    st.tuples(st.just("drop_from_profile"), pick),
    st.tuples(st.just("reweigh"), pick, st.integers(min_value=0, max_value=5)),
    st.tuples(st.just("rename_career"), pick),
    st.tuples(st.just("restore"), st.sampled_from(CAREERS), rating),
    st.tuples(st.just("bulk"), interview_rows),
    st.tuples(st.just("import"), interview_rows),
)


def fetched(store: Store, sql: str) -> list[tuple[Any, ...]]:
    with store.cursor() as cur:
        return cur.execute(sql).fetchall()


def repeated_keys(store: Store) -> list[tuple[Any, ...]]:
    """Rating keys the store holds more than once: the writers keep one rating per key (its table has no index)."""
    return fetched(
        store,
        "SELECT career_id, criterion_id, source, interview_id, count(*) FROM ratings GROUP BY ALL HAVING count(*) > 1",
    )


def raw_aggregates(store: Store) -> list[tuple[Any, ...]]:
    return fetched(
        store,
        "SELECT career_id, criterion_id, source, count(*), CAST(sum(value) AS DOUBLE),"
        " CAST(sum(value * value) AS DOUBLE) FROM ratings GROUP BY ALL ORDER BY ALL",
    )


SUMMARY_TABLES = ("rating_totals", "career_totals", "rating_patterns", "rating_spreads")


def summary_rows(cur: duckdb.DuckDBPyConnection) -> dict[str, list[tuple[Any, ...]]]:
    """Every summary table's rows, in order, as the cursor sees them."""
    return {table: cur.execute(f"SELECT * FROM {table} ORDER BY ALL").fetchall() for table in SUMMARY_TABLES}


def summary_tables(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    with store.cursor() as cur:
        return summary_rows(cur)


def rebuilt_from_scratch(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    """The summary tables as a rebuild of every career from the ratings makes them (then rolled back)."""
    with store.cursor() as cur:
        cur.execute("BEGIN TRANSACTION")
        try:
            refresh_totals(cur)
            return summary_rows(cur)
        finally:
            cur.execute("ROLLBACK")


def assert_beliefs_read_as_from_the_ratings(store: Store) -> None:
    """What ranking reads from the summaries equals what the in-memory builder makes of the raw ratings."""
    with store.cursor() as cur:
        ratings = cur.execute(
            "SELECT career_id, interview_id, criterion_id, CAST(value AS DOUBLE) FROM ratings"
            " WHERE source = 'interview' ORDER BY ALL"
        ).fetchall()
    read, built = read_belief_inputs(store), inputs_from_ratings(ratings)
    assert read.counts == built.counts and read.totals == built.totals and read.interviews == built.interviews
    assert {c: [(p.criteria, p.interviews, p.rating_total) for p in items] for c, items in read.patterns.items()} == {
        c: [(p.criteria, p.interviews, p.rating_total) for p in items] for c, items in built.patterns.items()
    }
    assert sorted(read.spreads) == sorted(built.spreads)
    for career, spread in read.spreads.items():
        for mine, theirs in zip(spread.values(), built.spreads[career].values(), strict=True):
            assert mine == pytest.approx(theirs, rel=1e-9, abs=1e-6)


def counted_ratings(store: Store) -> dict[str, int]:
    """The interview ratings and expectations, counted in the ratings table itself."""
    with store.cursor() as cur:
        found = cur.execute(
            "SELECT count(*) FILTER (WHERE source = 'interview'), count(*) FILTER (WHERE source = 'expectation')"
            " FROM ratings"
        ).fetchone()
    assert found is not None
    return {"ratings": found[0], "expectations": found[1]}


def interviews_with_ratings(store: Store) -> dict[int, int]:
    counts: dict[int, int] = {}
    for interview in store.interviews():
        if interview.ratings:
            counts[interview.career_id] = counts.get(interview.career_id, 0) + 1
    return counts


def apply(store: Store, action: tuple[Any, ...]) -> None:
    kind, *args = action
    criteria = [c.id for c in store.criteria()]
    names = [c.name for c in store.criteria()]
    interviews = store.interviews()
    careers = store.careers()
    if kind == "rate" and criteria:
        career, person, day, ratings = args
        store.save_interview(career, person, day, ratings={criteria[k % len(criteria)]: v for k, v in ratings.items()})
    elif kind == "unrate" and interviews and criteria:
        chosen = interviews[args[0] % len(interviews)]
        store.save_interview(
            chosen.career_id,
            chosen.interviewee,
            chosen.held_on,
            interview_id=chosen.id,
            ratings={criteria[args[1] % len(criteria)]: None},
        )
    elif kind == "move" and interviews:
        chosen = interviews[args[0] % len(interviews)]
        with contextlib.suppress(InvalidInputError):  # the same person and day already exist for that career
            store.save_interview(
                careers[args[1] % len(careers)].id, chosen.interviewee, chosen.held_on, interview_id=chosen.id
            )
    elif kind == "stage" and interviews:
        store.update_interview(interviews[args[0] % len(interviews)].id, stage="thanked")
    elif kind == "expect" and criteria:
        career, ratings = args
        store.save_expectations(career, {criteria[k % len(criteria)]: v for k, v in ratings.items()})
    elif kind == "delete_interview" and interviews:
        store.delete_interview(interviews[args[0] % len(interviews)].id)
    elif kind == "delete_career" and careers:
        store.delete_career(careers[args[0] % len(careers)].id)
    elif kind == "delete_criterion" and len(criteria) > 3:
        store.delete_criterion(criteria[args[0] % len(criteria)])
    elif kind == "drop_from_profile" and len(criteria) > 3:
        dropped = args[0] % len(criteria)
        store.save_criteria(
            [
                {"id": c.id, "name": c.name, "dimension": c.dimension, "weight": c.weight}
                for n, c in enumerate(store.criteria())
                if n != dropped
            ]
        )
    elif kind == "reweigh" and criteria:
        store.update_criterion(criteria[args[0] % len(criteria)], weight=args[1])
    elif kind == "rename_career" and careers:
        chosen = careers[args[0] % len(careers)]
        with contextlib.suppress(InvalidInputError):
            store.update_career(chosen.id, name=f"{chosen.name} II")
    elif kind == "import" and names:
        rows = [
            {"career": c, "interviewee": p, "date": d, "criterion": names[k % len(names)], "rating": r}
            for c, p, d, k, r in args[0]
        ]
        with contextlib.suppress(InvalidInputError):  # the same key twice with two values is refused whole
            import_bytes(store, csv_of(rows), "some.csv")
    elif kind == "bulk" and names:
        store.add_interview_ratings_bulk([(c, p, d, names[k % len(names)], r) for c, p, d, k, r in args[0]])
    elif kind == "restore" and criteria:
        career, value = args
        with tempfile.TemporaryDirectory() as folder:
            backup = Path(folder) / "backup.duckdb"
            store.backup_to(backup)
            store.save_interview(career, "After the backup", date(2026, 3, 2), ratings={criteria[0]: value})
            store.replace_from(backup)  # the interview saved after the backup goes again


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True)
@given(st.lists(actions, min_size=1, max_size=12))
def test_after_any_writes_the_summaries_equal_the_raw_aggregate(steps: list[tuple[Any, ...]]) -> None:
    with Store() as store:
        for step, action in enumerate(steps):
            apply(store, action)
            summary = [
                (a.career_id, a.criterion_id, a.source, a.count, a.total, a.total_squares)
                for a in store.rating_aggregates()
            ]
            assert repeated_keys(store) == [], f"after {action[0]} at step {step}"  # one rating per key
            assert summary == raw_aggregates(store), f"after {action[0]} at step {step}"
            assert store.interview_counts() == interviews_with_ratings(store), f"after {action[0]} at step {step}"
            assert summary_tables(store) == rebuilt_from_scratch(store), f"after {action[0]} at step {step}"
            counted = counted_ratings(store)  # the store's counts read the summary
            assert {k: store.counts()[k] for k in counted} == counted, f"after {action[0]} at step {step}"
        assert_beliefs_read_as_from_the_ratings(store)


def test_a_write_that_changes_no_rating_leaves_the_summaries_alone() -> None:
    """A weight, a name, a stage: nothing in the summary tables is rewritten (their row ids stay)."""
    with Store() as store:
        social = store.criteria()[0].id
        interview = store.save_interview("Nurse", "Ann", date(2026, 1, 5), ratings={social: 4})
        with store.cursor() as cur:
            before = cur.execute("SELECT rowid, * FROM rating_totals ORDER BY ALL").fetchall()
        store.update_criterion(social, weight=1)
        store.update_career(store.careers()[0].id, name="Head Nurse")
        store.update_interview(interview, stage="thanked")
        store.save_interview("Nurse", "Bo", date(2026, 1, 6))  # an interview without ratings yet
        store.save_criteria(
            [{"id": c.id, "name": c.name, "dimension": c.dimension, "weight": 2} for c in store.criteria()]
        )
        with store.cursor() as cur:
            assert cur.execute("SELECT rowid, * FROM rating_totals ORDER BY ALL").fetchall() == before


def test_a_store_of_the_previous_schema_is_upgraded_and_its_belief_summaries_filled(tmp_path: Path) -> None:
    """A store written before the belief summaries existed gets them, filled from its ratings, on opening."""
    path = tmp_path / "older.duckdb"
    with Store(path) as store:
        ids = [c.id for c in store.criteria()]
        for person, answers in enumerate(({0: 4, 1: 2, 2: 5}, {0: 3, 1: 3}, {1: 5, 2: 1, 3: 4}, {0: 2})):
            store.save_interview(
                "Nurse" if person % 2 else "Pilot",
                f"P{person}",
                DAYS[0],
                ratings={ids[k]: v for k, v in answers.items()},
            )
        store.save_expectations("Pilot", {ids[0]: 5})
        expected = summary_tables(store)
        with store.cursor() as cur:  # back to schema 4: what an older Career Fit left on disk
            cur.execute("DROP TABLE rating_patterns")
            cur.execute("DROP TABLE rating_spreads")
            cur.execute("DELETE FROM schema_version WHERE version >= 5")
    with Store(path) as store:
        assert store.schema_version() == SCHEMA_VERSION
        assert summary_tables(store) == expected and expected["rating_patterns"] and expected["rating_spreads"]
        assert_beliefs_read_as_from_the_ratings(store)


def test_a_refresh_of_many_careers_equals_a_rebuild_whether_or_not_other_careers_have_ratings(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Over the listing limit, the careers are joined (others have ratings) or all rebuilt (none has)."""
    from analytics.db import summaries

    monkeypatch.setattr(summaries, "_LISTED_CAREERS", 1)
    first = [
        {"career": c, "interviewee": p, "date": "2026-01-05", "criterion": "Social", "rating": 1 + n % 5}
        for n, (c, p) in enumerate((c, p) for c in CAREERS[:3] for p in PEOPLE)
    ]
    with Store() as store:
        import_bytes(store, csv_of(first), "first.csv")  # three careers, none rated before: all rebuilt
        assert summary_tables(store) == rebuilt_from_scratch(store)
        later = [dict(row, rating=5) for row in first if row["career"] != CAREERS[0]]
        later += [{**first[0], "career": CAREERS[3], "rating": 2}]
        import_bytes(store, csv_of(later), "later.csv")  # three careers touched, one not: joined
        assert summary_tables(store) == rebuilt_from_scratch(store)
        assert_beliefs_read_as_from_the_ratings(store)
