"""The fast write path (issue 10): a write rewrites the summaries of the careers whose ratings it changed, and
none when it changed no rating, whether the ratings come from a saved interview, expectations or an import.

A summary row rewritten gets a new row id, so the row ids of the summary tables tell which careers a write
refreshed."""

from __future__ import annotations

from datetime import date

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
    from analytics.db import rating_writes

    first = (
        b"career,interviewee,date,criterion,rating,organisation\n"
        b"Nurse,Ann,2026-01-05,Pay,4,City Hospital\nVet,Bo,2026-01-06,Pay,5,\n"
    )
    second = (
        b"career,interviewee,date,criterion,rating,organisation,role\n"
        b"Nurse,ann,2026-01-05,Pay,4,Town Clinic,\nNurse,Cy,2026-02-01,Pay,2,,Nurse\nVet,Bo,2026-03-01,Pay,3,,Vet\n"
    )
    outcomes = []
    for limit in (200, 0):
        monkeypatch.setattr(rating_writes, "_LISTED_KEYS", limit)
        with Store() as store:
            import_bytes(store, first, "first.csv")
            report = import_bytes(store, second, "second.csv")
            contacts = sorted((c.name, c.organisation, c.role) for c in store.contacts())
            interviews = sorted((i.interviewee, str(i.held_on), i.contact_id is not None) for i in store.interviews())
            outcomes.append((report.new_contacts, report.new_interviews, contacts, interviews))
    assert outcomes[0] == outcomes[1]
    assert outcomes[0][:3] == (
        1,
        2,
        [("Ann", "Town Clinic", ""), ("Bo", "", "Vet"), ("Cy", "", "Nurse")],
    )
