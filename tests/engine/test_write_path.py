"""The fast write path (issue 10): a write rewrites the summaries of the careers whose ratings it changed, and
none when it changed no rating, whether the ratings come from a saved interview, expectations or an import.

A summary row rewritten gets a new row id, so the row ids of the summary tables tell which careers a write
refreshed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from analytics.spreadsheets.ingest import import_bytes
from analytics.store import Store

SUMMARY_TABLES = ("rating_totals", "career_totals", "rating_patterns", "rating_spreads")
RATINGS = (
    b"career,interviewee,date,criterion,rating\n"
    b"Nurse,Ann,2026-01-05,Pay,4\nNurse,Ann,2026-01-05,Variety,2\n"
    b"Vet,Bo,2026-01-06,Pay,5\nVet,Bo,2026-01-06,Variety,3\nVet,Cy,2026-01-07,Pay,1\n"
)


def summary_rows(store: Store) -> dict[str, set[tuple[object, ...]]]:
    """Every summary row with its row id, by table (a list cell, a rating pattern, as a tuple)."""
    with store.cursor() as cur:
        return {
            table: {
                tuple(tuple(cell) if isinstance(cell, list) else cell for cell in row)
                for row in cur.execute(f"SELECT rowid, * FROM {table}").fetchall()
            }
            for table in SUMMARY_TABLES
        }


def careers_rewritten(store: Store, before: dict[str, set[tuple[object, ...]]]) -> set[object]:
    """The careers some summary row of which is not the row it was (career id: the first column after rowid)."""
    after = summary_rows(store)
    return {row[1] for table in SUMMARY_TABLES for row in after[table] ^ before[table]}


def alike_below_and_above_the_listing_limit(monkeypatch: pytest.MonkeyPatch, outcome: Callable[[Store], Any]) -> Any:
    """``outcome`` of a new store with the import's listing limit at 200 (a few careers and people named in its
    statements) and at 0 (always joined instead): asserted equal, and returned."""
    from analytics.db import rating_writes

    outcomes = []
    for limit in (200, 0):
        monkeypatch.setattr(rating_writes, "_LISTED_KEYS", limit)
        with Store() as store:
            outcomes.append(outcome(store))
    assert outcomes[0] == outcomes[1]
    return outcomes[0]


def test_writes_that_change_no_rating_rewrite_no_summary() -> None:
    with Store() as store:
        import_bytes(store, RATINGS, "ratings.csv")
        pay = next(c.id for c in store.criteria() if c.name == "Pay")
        nurse = next(c.id for c in store.careers() if c.name == "Nurse")
        ann = next(i for i in store.interviews() if i.interviewee == "Ann")
        before = summary_rows(store)
        assert all(before.values())
        assert import_bytes(store, RATINGS, "again.csv").unchanged_ratings == 5
        store.save_interview(nurse, "Ann", date(2026, 1, 5), interview_id=ann.id, ratings={pay: 4}, notes="same")
        store.add_interview(nurse, "Dee", date(2026, 2, 1), ratings={pay: None})
        store.save_expectations(nurse, {pay: None})
        store.delete_interview(next(i.id for i in store.interviews() if i.interviewee == "Dee"))
        assert careers_rewritten(store, before) == set()


def test_a_write_rewrites_the_summaries_of_the_careers_it_changed_only() -> None:
    with Store() as store:
        import_bytes(store, RATINGS, "ratings.csv")
        pay = next(c.id for c in store.criteria() if c.name == "Pay")
        careers = {c.name: c.id for c in store.careers()}
        ann = next(i for i in store.interviews() if i.interviewee == "Ann")
        before = summary_rows(store)
        store.save_interview(careers["Nurse"], "Ann", date(2026, 1, 5), interview_id=ann.id, ratings={pay: 3})
        assert careers_rewritten(store, before) == {careers["Nurse"]}
        before = summary_rows(store)
        changed = b"career,interviewee,date,criterion,rating\nVet,Cy,2026-01-07,Pay,2\nVet,Bo,2026-01-06,Pay,5\n"
        report = import_bytes(store, changed, "changed.csv")
        assert (report.updated_ratings, report.unchanged_ratings) == (1, 1)
        assert careers_rewritten(store, before) == {careers["Vet"]}
        before = summary_rows(store)
        store.add_interview(careers["Nurse"], "Dee", date(2026, 2, 1), ratings={pay: 5})
        store.save_expectations(careers["Nurse"], {pay: 4})
        assert careers_rewritten(store, before) == {careers["Nurse"]}


def test_a_file_naming_known_and_new_people_treats_them_alike_below_and_above_the_listing_limit(monkeypatch) -> None:
    """A small file names its people to the store (found by the index); a large one joins them: the same
    contacts, organisations and interviews either way."""
    first = (
        b"career,interviewee,date,criterion,rating,organisation\n"
        b"Nurse,Ann,2026-01-05,Pay,4,City Hospital\nVet,Bo,2026-01-06,Pay,5,\n"
    )
    second = (
        b"career,interviewee,date,criterion,rating,organisation,role\n"
        b"Nurse,ann,2026-01-05,Pay,4,Town Clinic,\nNurse,Cy,2026-02-01,Pay,2,,Nurse\nVet,Bo,2026-03-01,Pay,3,,Vet\n"
    )

    def outcome(store: Store) -> tuple[Any, ...]:
        import_bytes(store, first, "first.csv")
        report = import_bytes(store, second, "second.csv")
        contacts = sorted((c.name, c.organisation, c.role) for c in store.contacts())
        interviews = sorted((i.interviewee, str(i.held_on), i.contact_id is not None) for i in store.interviews())
        return report.new_contacts, report.new_interviews, contacts, interviews

    assert alike_below_and_above_the_listing_limit(monkeypatch, outcome)[:3] == (
        1,
        2,
        [("Ann", "Town Clinic", ""), ("Bo", "", "Vet"), ("Cy", "", "Nurse")],
    )


def test_an_import_of_new_interviews_gives_each_its_contact_and_links_a_known_interview_without_one() -> None:
    """Interviews an import creates get their contacts as they are written; an interview that was there already
    without a contact gets the file's interviewee linked (the step a file of new interviews only skips)."""
    with Store() as store:
        import_bytes(store, RATINGS, "ratings.csv")
        ann = next(i for i in store.interviews() if i.interviewee == "Ann")
        with store.transaction(touches_ratings=False) as cur:
            cur.execute("UPDATE interviews SET contact_id = NULL WHERE id = ?", [ann.id])
        again = b"career,interviewee,date,criterion,rating\nNurse,Ann,2026-01-05,Pay,4\nNurse,Dee,2026-03-01,Pay,2\n"
        report = import_bytes(store, again, "again.csv")
        assert (report.new_interviews, report.new_contacts, report.new_ratings) == (1, 1, 1)
        contacts = {c.id: c.name for c in store.contacts()}
        assert {i.interviewee: contacts.get(i.contact_id) for i in store.interviews()} == {
            "Ann": "Ann",
            "Bo": "Bo",
            "Cy": "Cy",
            "Dee": "Dee",
        }


def test_a_file_of_known_careers_lists_them_for_its_refresh_as_a_lookup_would(monkeypatch) -> None:
    """A file naming a few known careers refreshes their summaries by the ids it found while writing; above the
    listing limit they are looked up: the same summaries either way, equal to a rebuild from the ratings."""
    from analytics.db.summaries import refresh_totals

    later = (
        b"career,interviewee,date,criterion,rating\n"
        b"Nurse,Eve,2026-04-01,Pay,1\nNurse,Eve,2026-04-01,Variety,5\nVet,Flo,2026-04-02,Variety,4\n"
    )

    def outcome(store: Store) -> dict[str, set[tuple[object, ...]]]:
        import_bytes(store, RATINGS, "ratings.csv")
        before = summary_rows(store)
        report = import_bytes(store, later, "later.csv")
        assert (report.new_careers, report.new_ratings) == (0, 3)
        careers = {c.name: c.id for c in store.careers()}
        assert careers_rewritten(store, before) == {careers["Nurse"], careers["Vet"]}
        refreshed = {table: {row[1:] for row in rows} for table, rows in summary_rows(store).items()}
        with store.transaction(touches_ratings=False) as cur:
            refresh_totals(cur)  # every career's summaries, from the ratings
        assert {table: {row[1:] for row in rows} for table, rows in summary_rows(store).items()} == refreshed
        return refreshed

    alike_below_and_above_the_listing_limit(monkeypatch, outcome)


def test_a_small_file_with_blank_rows_counts_and_writes_only_the_rows_that_say_something() -> None:
    """A file with no problem skips the step that drops bad rows, unless blank rows (which name no career) are
    staged: they are dropped, and counted as read by neither path."""
    blank = b"career,interviewee,date,criterion,rating\nNurse,Ann,2026-01-05,Pay,4\n,,,,\nVet,Bo,2026-01-06,Pay,5\n"
    with Store() as store:
        report = import_bytes(store, blank, "blank.csv")
        assert (report.rows_read, report.new_ratings, report.skipped_rows) == (2, 2, 0)
        clean = b"career,interviewee,date,criterion,rating\nNurse,Cy,2026-01-07,Pay,3\n"
        report = import_bytes(store, clean, "clean.csv")
        assert (report.rows_read, report.new_ratings) == (1, 1)
        assert store.counts()["ratings"] == 3


def test_a_new_interview_s_ratings_go_in_at_once_and_a_key_given_twice_is_still_caught() -> None:
    """Ratings of an interview the import creates cannot be there already, so they are inserted without looking
    for old ones; the same rating given twice (same value) still counts once, and with two values it is a problem
    named by row and column, with nothing written."""
    from analytics.errors import InvalidInputError

    twice = (
        b"career,interviewee,date,criterion,rating\n"
        b"Nurse,Eve,2026-04-01,Pay,4\nNurse,Eve,2026-04-01,Variety,2\nNurse,Eve,2026-04-01,Pay,4\n"
    )
    clash = b"career,interviewee,date,criterion,rating\nVet,Flo,2026-04-02,Pay,4\nVet,Flo,2026-04-02,Pay,1\n"
    with Store() as store:
        import_bytes(store, RATINGS, "ratings.csv")
        report = import_bytes(store, twice, "twice.csv")
        assert (report.new_interviews, report.new_ratings, report.updated_ratings, report.unchanged_ratings) == (
            1,
            2,
            0,
            0,
        )
        before = (store.counts(), summary_rows(store))
        try:
            import_bytes(store, clash, "clash.csv")
        except InvalidInputError as problems:
            lines = [str(problem) for problem in problems.problems]
        else:
            raise AssertionError("a rating given two values was imported")
        assert lines == [
            "row 2, column rating: 4 conflicts with 1 in row 3 (same career, interviewee, date, criterion and source)",
            "row 3, column rating: 1 conflicts with 4 in row 2 (same career, interviewee, date, criterion and source)",
        ]
        assert (store.counts(), summary_rows(store)) == before
