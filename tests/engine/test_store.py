"""The DuckDB store: schema, migrations, transactions and the messages users see."""

from __future__ import annotations

import contextlib
import subprocess
import sys
import textwrap
from datetime import date

import duckdb
import pytest

from analytics.errors import InvalidInputError, StoreError, StoreLockedError
from analytics.profile_defaults import DEFAULT_CRITERIA
from analytics.store import SCHEMA_VERSION, Store, resolve_db_path
from tests.support.store_fixtures import write_first_schema_store


def snapshot(store: Store) -> dict[str, object]:
    """Everything a user could see, to check that a failed write changed nothing."""
    return {
        "criteria": store.criteria(),
        "careers": store.careers(),
        "contacts": store.contacts(),
        "interviews": store.interviews(),
        "aggregates": store.rating_aggregates(),
        "weights": store.dimension_weights(),
    }


def test_a_new_store_starts_with_the_default_profile(tmp_path) -> None:
    with Store(tmp_path / "new.duckdb") as store:
        criteria = store.criteria()
        assert [c.name for c in criteria] == [name for name, _, _ in DEFAULT_CRITERIA]
        assert {c.dimension for c in criteria} == {"interest", "skill", "value"}
        assert all(c.weight == 3 and c.description for c in criteria)
        assert store.is_empty()
        assert store.schema_version() == SCHEMA_VERSION


def test_data_survives_a_restart(tmp_path) -> None:
    path = tmp_path / "keep.duckdb"
    with Store(path) as store:
        social = next(c.id for c in store.criteria() if c.name == "Social")
        store.save_interview("Nurse", "Ann Lee", date(2026, 10, 1), ratings={social: 5}, notes="Loves it")
    with Store(path) as store:
        [interview] = store.interviews()
        assert (interview.career, interview.interviewee, interview.held_on) == ("Nurse", "Ann Lee", date(2026, 10, 1))
        assert interview.notes == "Loves it" and interview.ratings == 1


def test_interviews_are_identified_by_career_person_and_date_trimmed_and_casefolded() -> None:
    with Store() as store:
        social = next(c.id for c in store.criteria() if c.name == "Social")
        first = store.save_interview("Nurse", "Ann Lee", date(2026, 10, 1), ratings={social: 2})
        again = store.save_interview("  nurse ", " ANN LEE", date(2026, 10, 1), ratings={social: 4})
        assert first == again
        assert len(store.careers()) == 1
        assert store.interview_ratings(first) == {social: 4.0}


def test_a_failed_write_leaves_the_store_unchanged() -> None:
    with Store() as store:
        social = next(c.id for c in store.criteria() if c.name == "Social")
        store.save_interview("Nurse", "Ann", ratings={social: 3})
        before = snapshot(store)
        with pytest.raises(InvalidInputError, match="outside the 1-5 scale"):
            # the career and interview would be created first; the bad rating must roll them back
            store.save_interview("Pilot", "Bob", ratings={social: 4, social + 1: 9})
        with pytest.raises(InvalidInputError):
            store.save_criteria([{"name": "A", "dimension": "interest", "weight": 1}, {"name": "a", "weight": 2}])
        with pytest.raises(InvalidInputError, match="outside 0-5"):
            store.save_criteria(
                [{"id": c.id, "name": c.name, "dimension": c.dimension, "weight": 7} for c in store.criteria()]
            )
        with pytest.raises(InvalidInputError):
            store.set_dimension_weights({"interest": 0, "skill": 0, "value": 0})
        assert snapshot(store) == before


def test_an_exception_inside_a_transaction_rolls_everything_back() -> None:
    with Store() as store:
        before = snapshot(store)
        with pytest.raises(RuntimeError), store.transaction() as cur:
            cur.execute("DELETE FROM criteria")
            raise RuntimeError("power cut")
        assert snapshot(store) == before


def test_save_criteria_edits_renames_adds_and_deletes_in_one_go() -> None:
    with Store() as store:
        social = next(c for c in store.criteria() if c.name == "Social")
        store.save_interview("Nurse", "Ann", ratings={social.id: 5})
        rows = [
            {"id": c.id, "name": c.name, "dimension": c.dimension, "weight": c.weight, "description": c.description}
            for c in store.criteria()
            if c.name != "Social"
        ]
        rows[0]["name"], rows[1]["name"] = rows[1]["name"], rows[0]["name"]  # a swap must not clash
        rows.append({"name": "  Travel ", "dimension": "value", "weight": 4, "description": "See the world"})
        store.save_criteria(rows)
        names = [c.name for c in store.criteria()]
        assert "Social" not in names and names[-1] == "Travel" and names[0] == rows[0]["name"]
        assert store.rating_aggregates() == []  # the deleted criterion's ratings went with it


def test_migrates_a_store_written_by_the_first_schema(tmp_path) -> None:
    path = str(tmp_path / "v1.duckdb")
    write_first_schema_store(path, date(2026, 10, 1))

    with Store(path) as store:
        assert store.schema_version() == SCHEMA_VERSION
        [interview] = store.interviews()
        assert interview.completed_on == date(2026, 10, 1) and interview.goals == ""
        assert [c.name for c in store.criteria()] == ["Social"]  # an old store is not re-seeded
        assert store.interview_ratings(interview.id) == {1: 4.0}
        store.update_interview(interview.id, stage="thanked", thanked_on=date(2026, 10, 2))
        assert store.interview(interview.id).thanked_on == date(2026, 10, 2)


def test_a_store_from_a_newer_version_is_refused_plainly(tmp_path) -> None:
    path = str(tmp_path / "future.duckdb")
    Store(path).close()
    con = duckdb.connect(path)
    con.execute("UPDATE schema_version SET version = 999")
    con.close()
    with pytest.raises(StoreError, match="newer Career Fit"):
        Store(path)


def test_a_file_that_is_not_a_store_gives_a_message(tmp_path) -> None:
    path = tmp_path / "notes.duckdb"
    path.write_text("these are my notes, not a database")
    with pytest.raises(StoreError, match="is not a Career Fit data file"):
        Store(path)
    assert path.read_text() == "these are my notes, not a database"


def test_a_store_held_by_another_process_gives_a_one_line_message(tmp_path) -> None:
    path = str(tmp_path / "held.duckdb")
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(f"""
            import sys, time
            from analytics.store import Store
            store = Store({path!r})
            print("ready", flush=True)
            sys.stdin.readline()
        """),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ready"
        with pytest.raises(StoreLockedError, match="Career Fit app is running") as caught:
            Store(path)
        assert "\n" not in str(caught.value)
    finally:
        holder.communicate("\n", timeout=30)


def test_db_path_comes_from_the_flag_then_the_environment_then_the_user_folder(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("CAREER_FIT_DB", str(tmp_path / "env.duckdb"))
    assert resolve_db_path("flag.duckdb") == "flag.duckdb"
    assert resolve_db_path(None) == str(tmp_path / "env.duckdb")
    monkeypatch.delenv("CAREER_FIT_DB")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    if sys.platform.startswith("linux"):
        assert resolve_db_path(None) == str(tmp_path / "xdg" / "career-fit" / "career-fit.duckdb")


def test_user_text_is_stored_as_given_never_run_as_sql() -> None:
    hostile = "Robert'); DROP TABLE careers;--"
    with Store() as store:
        store.add_career(f"  {hostile}  ", notes="<script>alert(1)</script>")
        [career] = store.careers()
        assert career.name == hostile and career.notes == "<script>alert(1)</script>"


def test_deleting_a_career_takes_its_interviews_and_ratings() -> None:
    with Store() as store:
        social = next(c.id for c in store.criteria() if c.name == "Social")
        store.save_interview("Nurse", "Ann", ratings={social: 5})
        store.save_expectations("Nurse", {social: 4})
        store.save_interview("Pilot", "Bob", ratings={social: 2})
        nurse = next(c.id for c in store.careers() if c.name == "Nurse")
        store.delete_career(nurse)
        assert [c.name for c in store.careers()] == ["Pilot"]
        assert store.counts()["ratings"] == 1 and store.counts()["expectations"] == 0


def test_reset_empties_the_store_and_restarts_the_profile() -> None:
    with Store() as store:
        store.save_interview("Nurse", "Ann")
        store.reset()
        assert store.is_empty() and len(store.criteria()) == len(DEFAULT_CRITERIA)


def raw_aggregates(store: Store) -> list[tuple]:
    with store.cursor() as cur:
        return cur.execute(
            "SELECT career_id, criterion_id, source, count(*), CAST(sum(value) AS DOUBLE),"
            " CAST(sum(value * value) AS DOUBLE) FROM ratings GROUP BY ALL ORDER BY ALL"
        ).fetchall()


def test_rating_summaries_always_match_the_ratings_whatever_the_writes() -> None:
    """The summary tables that make ranking fast are rebuilt by every write that touches ratings."""
    import random

    rng = random.Random(7)
    with Store() as store:
        ids = [c.id for c in store.criteria()]
        for step in range(60):
            action = rng.choice(
                ["rate", "rate", "expect", "delete_interview", "delete_career", "delete_criterion", "move", "unrate"]
            )
            careers = store.careers()
            interviews = store.interviews()
            if action == "rate":
                store.save_interview(
                    f"C{rng.randint(1, 4)}",
                    f"P{rng.randint(1, 5)}",
                    ratings={k: rng.randint(1, 5) for k in rng.sample(ids, 3)},
                )
            elif action == "expect":
                store.save_expectations(f"C{rng.randint(1, 4)}", {rng.choice(ids): rng.randint(1, 5)})
            elif action == "delete_interview" and interviews:
                store.delete_interview(rng.choice(interviews).id)
            elif action == "delete_career" and careers:
                store.delete_career(rng.choice(careers).id)
            elif action == "delete_criterion" and len(ids) > 5 and step % 10 == 0:
                store.delete_criterion(ids.pop())
            elif action == "move" and interviews and careers:
                chosen = rng.choice(interviews)
                # refused when the same person on the same day already exists for that career
                with contextlib.suppress(InvalidInputError):
                    store.save_interview(
                        rng.choice(careers).id, chosen.interviewee, chosen.held_on, interview_id=chosen.id
                    )
            elif action == "unrate" and interviews:
                chosen = rng.choice(interviews)
                store.save_interview(
                    chosen.career_id,
                    chosen.interviewee,
                    chosen.held_on,
                    interview_id=chosen.id,
                    ratings={rng.choice(ids): None},
                )
            summary = [
                (a.career_id, a.criterion_id, a.source, a.count, a.total, a.total_squares)
                for a in store.rating_aggregates()
            ]
            assert summary == raw_aggregates(store), f"after {action} at step {step}"
            counts = {}
            for interview in store.interviews():
                if interview.ratings:
                    counts[interview.career_id] = counts.get(interview.career_id, 0) + 1
            assert store.interview_counts() == counts
