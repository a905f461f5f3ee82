"""Data page (AppTest): upload, preview, problems by row and column, skip-invalid, import, downloads, history."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from analytics.backup import list_backups
from analytics.beliefs import rank
from analytics.store import Store
from tests.support.apptest_tools import STORE_KEY, ok, texts

GOOD = (
    b"career,interviewee,date,criterion,rating\n"
    b"Park Ranger,Ann Ode,2026-09-01,Investigative,5\n"
    b"Park Ranger,Ann Ode,2026-09-01,Social,5\n"
    b"Park Ranger,Ann Ode,2026-09-01,Writing,4\n"
    b"Park Ranger,Ann Ode,2026-09-01,Achievement,5\n"
)
BAD = (
    b"career,interviewee,date,criterion,rating\n"
    b"Park Ranger,Ann Ode,2026-09-01,Investigative,5\n"
    b"Park Ranger,Ann Ode,2026-09-01,Social,9\n"
    b"Park Ranger,Ann Ode,2026-09-01,Writing,4\n"
)


def upload(at: AppTest, name: str, data: bytes) -> AppTest:
    at.file_uploader[0].set_value((name, data, "text/csv"))
    return at.run()


def test_the_data_page_draws_on_the_demo_and_on_an_empty_store(tmp_path: Path, monkeypatch, open_app) -> None:
    for name in ("demo", "empty"):
        path = tmp_path / f"{name}.duckdb"
        monkeypatch.setenv("CAREER_FIT_DB", str(path))
        if name == "empty":
            with Store(path) as store:
                store.set_setting("first_run_done", True)
        at = ok(open_app("data"))
        assert [b.label for b in at.get("download_button")] == [
            "Everything (workbook .xlsx)",
            "Ratings (.csv)",
            "Empty template (.xlsx)",
        ]
        assert "No imports yet" in texts(at)


def test_an_upload_previews_then_imports_and_the_career_is_ranked(app_db: Path, open_app) -> None:
    at = ok(open_app("data"))
    store: Store = at.session_state[STORE_KEY]
    ok(upload(at, "park.csv", GOOD))
    assert "park.csv" in texts(at)
    columns = at.dataframe[0].value
    assert list(columns["Column in the file"]) == ["career", "interviewee", "date", "criterion", "rating"]
    assert "not used" not in set(columns["Read as"])
    assert store.counts()["careers"] == 9  # a preview writes nothing
    ok(at.button(key="data_import").click().run())
    assert "Imported park.csv" in texts(at)
    assert texts(at).count("park.csv") == 1  # the file named once, not again in the summary
    park = next(s for s in rank(store) if s.career == "Park Ranger")
    assert park.fit is not None and park.interviews == 1
    history = at.dataframe[-1].value
    assert history["File"].iloc[0] == "park.csv" and history["New ratings"].iloc[0] == 4
    assert not at.file_uploader[0].value  # cleared for the next file
    fit = ok(open_app("career_fit"))
    assert "Park Ranger" in list(fit.dataframe[0].value["Career"])


def test_a_bad_upload_lists_problems_by_row_and_column_and_writes_nothing(app_db: Path, open_app) -> None:
    at = open_app("data")
    store: Store = at.session_state[STORE_KEY]
    before = store.counts()
    upload(at, "bad.csv", BAD)
    assert not at.exception
    problems = next(d.value for d in at.dataframe if list(d.value.columns) == ["Row", "Column", "Problem"])
    assert list(problems["Row"]) == [3]
    assert list(problems["Column"]) == ["rating"]
    assert "9" in problems["Problem"].iloc[0]
    assert at.button(key="data_import").disabled
    assert store.counts() == before
    assert store.imports() == []


def test_skipping_invalid_rows_imports_the_rest(app_db: Path, open_app) -> None:
    at = open_app("data")
    store: Store = at.session_state[STORE_KEY]
    upload(at, "bad.csv", BAD)
    at.checkbox(key="data_skip_invalid").check().run()
    assert not at.button(key="data_import").disabled
    at.button(key="data_import").click().run()
    assert not at.exception
    assert "Imported bad.csv" in texts(at)
    park = next(c for c in store.careers() if c.name == "Park Ranger")
    [interview] = store.interviews(park.id)
    assert len(store.interview_ratings(interview.id)) == 2
    assert store.imports()[0]["skipped_rows"] == 1


def test_an_empty_file_is_a_message_not_a_traceback(app_db: Path, open_app) -> None:
    at = open_app("data")
    upload(at, "empty.csv", b"")
    assert not at.exception
    assert at.error
    assert not any(b.key == "data_import" for b in at.button)


def test_past_interviews_imported_as_already_thanked_raise_no_thank_you_reminder(app_db: Path, open_app) -> None:
    from datetime import date

    from analytics import pipeline

    at = ok(open_app("data"))
    store: Store = at.session_state[STORE_KEY]
    at.checkbox(key="data_thanked").check()
    ok(upload(at, "park.csv", GOOD))
    ok(at.button(key="data_import").click().run())
    [park] = [i for i in store.interviews() if i.career == "Park Ranger"]
    assert park.stage == "thanked" and park.thanked_on is not None
    reminders = pipeline.reminders(store, today=date(2026, 9, 3))
    assert not [r for r in reminders if "Park Ranger" in r.message]


def test_a_selected_file_is_parsed_once_and_a_rerun_never_waits_for_the_write_lock(
    app_db: Path, open_app, monkeypatch
) -> None:
    """The preview is cached per file (its bytes' hash), scale and data version: reruns while the file stays
    selected reuse it, so they neither parse the file again nor take the store's write lock."""
    import threading

    from analytics.spreadsheets import ingest

    parsed: list[tuple[str, str]] = []
    real_preview = ingest.preview_bytes

    def counting_preview(data: bytes, file_name: str, **options):  # the real importer, counted
        parsed.append((file_name, options["scale"]))
        return real_preview(data, file_name, **options)

    monkeypatch.setattr(ingest, "preview_bytes", counting_preview)
    at = ok(open_app("data"))
    store: Store = at.session_state[STORE_KEY]
    ok(upload(at, "park.csv", GOOD))
    assert parsed == [("park.csv", "1-5")]
    ok(at.checkbox(key="data_thanked").check().run())  # other widgets rerun the page
    ok(at.run())
    assert parsed == [("park.csv", "1-5")]

    held, release = threading.Event(), threading.Event()

    def hold_the_write_lock() -> None:
        with store.write_lock():
            held.set()
            release.wait(60)

    holder = threading.Thread(target=hold_the_write_lock)
    holder.start()
    try:
        assert held.wait(10)
        ok(at.run())  # a preview that took the lock would wait here until the run times out
        assert "park.csv" in texts(at) and at.dataframe[0].value["Column in the file"].iloc[0] == "career"
    finally:
        release.set()
        holder.join()
    assert parsed == [("park.csv", "1-5")]

    ok(at.radio(key="data_scale").set_value("1-10").run())  # another option: another preview
    assert parsed == [("park.csv", "1-5"), ("park.csv", "1-10")]
    ok(upload(at, "park.csv", BAD))  # the same name, other bytes: parsed again
    assert len(parsed) == 3


def test_a_file_that_finds_every_reader_busy_says_so_and_is_read_on_the_next_run(
    app_db: Path, open_app, monkeypatch
) -> None:
    """Other visitors' files hold every reader: the preview says "busy" in one line, and that answer is not
    kept as the file's (the preview cache keeps the others), so the next run reads the file."""
    import threading

    from analytics.spreadsheets import sandbox

    monkeypatch.setattr(sandbox, "IN_PROCESS_CSV_BYTES", 0)  # (this small file, too, goes to a reader process)
    monkeypatch.setattr(sandbox, "QUEUE_SECONDS", 0.2)
    slots = threading.BoundedSemaphore(1)
    monkeypatch.setattr(sandbox, "_reading_slots", slots)
    at = ok(open_app("data"))
    assert slots.acquire()  # another visitor's file is being read
    try:
        ok(upload(at, "park.csv", GOOD))  # (a warning, not an error: the file itself is fine)
        (warning,) = at.warning
        assert "busy reading other files just now" in warning.value and "try again in a minute" in warning.value
        assert not at.dataframe  # no preview
    finally:
        slots.release()
    ok(at.button(key="data_try_again").click().run())
    assert at.dataframe[0].value["Column in the file"].iloc[0] == "career"
    assert not at.warning
    store: Store = at.session_state[STORE_KEY]
    assert slots.acquire()  # busy again when Import is pressed: nothing is imported, and the user is told why
    try:
        ok(at.button(key="data_import").click().run())
        assert any("Nothing was imported" in w.value and "busy" in w.value for w in at.warning)
        assert store.counts()["careers"] == 9
    finally:
        slots.release()
    sandbox._stop_all()


def test_back_up_now_lists_the_new_backup_with_its_message_next_to_it(app_db: Path, open_app) -> None:
    at = ok(open_app("data"))
    assert "No backups yet." in texts(at)
    ok(at.button(key="data_backup_now").click().run())
    kept = next(d.value for d in at.dataframe if "Kept" in d.value.columns)
    assert len(kept) == 1
    ok(at.button(key="data_backup_now").click().run())
    newest = list_backups(at.session_state[STORE_KEY])[0]
    assert at.selectbox(key="data_backup_pick").value == newest.file_name  # the backup just made is picked
    assert any("A copy of your data was saved" in s.value for s in at.success)  # shown by the backups section
