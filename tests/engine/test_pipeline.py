"""The interview pipeline engine: stages and their dates, reminders on fixed days, drafts, calendar
events, question sheets, what works, and ``career-fit reminders``. Every date is fixed: no wall clock."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from analytics import pipeline
from analytics.cli import main
from analytics.demo import load_demo
from analytics.errors import InvalidInputError
from analytics.models import Contact, Interview
from analytics.questions import QUESTION_CATEGORIES, questions_for_criterion
from analytics.recommend import investigate_next
from analytics.store import Store

DEMO_TODAY = date(2026, 11, 22)


@pytest.fixture
def store() -> Store:
    with Store() as s:
        yield s


@pytest.fixture(scope="module")
def demo() -> Store:
    with Store() as s:
        load_demo(s)
        yield s


def by_name(store: Store, name: str) -> Interview:
    return next(i for i in store.interviews() if i.interviewee == name)


def interview(**fields: object) -> Interview:
    base = Interview(id=1, career_id=1, career="Archivist", interviewee="Ada Byron", held_on=None, stage="identified")
    return replace(base, **fields)


# -- stages ----------------------------------------------------------------------------------------------


def test_allowed_moves_follow_the_path_with_declined_and_one_step_back() -> None:
    assert pipeline.allowed_moves("identified") == ("requested", "scheduled", "completed", "declined")
    assert pipeline.allowed_moves("requested") == ("scheduled", "completed", "declined", "identified")
    assert pipeline.allowed_moves("scheduled") == ("completed", "declined", "requested")
    assert pipeline.allowed_moves("completed") == ("thanked", "scheduled")
    assert pipeline.allowed_moves("thanked") == ("completed",)
    assert pipeline.allowed_moves("declined") == ("identified", "requested")
    assert [pipeline.next_stage(s) for s in pipeline.MAIN_STAGES] == [
        "requested",
        "scheduled",
        "completed",
        "thanked",
        None,
    ]
    assert pipeline.next_stage("declined") is None


def test_a_whole_cycle_records_the_date_of_each_step(store: Store) -> None:
    contact_id = store.save_contact(
        "Ada Byron", role="Archivist", organisation="County Record Office", how_found="alumni"
    )
    contact = next(c for c in store.contacts() if c.id == contact_id)
    iid = pipeline.add_to_pipeline(store, "Archivist", contact, on=date(2026, 11, 1), goals="What qualifications?")
    first = store.interview(iid)
    assert (first.stage, first.identified_on, first.goals, first.contact_id) == (
        "identified",
        date(2026, 11, 1),
        "What qualifications?",
        contact_id,
    )
    assert first.held_on is None

    pipeline.move_stage(store, iid, "requested", on=date(2026, 11, 2))
    appointment = datetime(2026, 11, 10, 14, 30)
    pipeline.move_stage(store, iid, "scheduled", on=date(2026, 11, 4), at=appointment)
    # marked completed two days late: the conversation still happened on its appointment day
    completed = pipeline.move_stage(store, iid, "completed", on=date(2026, 11, 12))
    assert completed.completed_on == date(2026, 11, 10)
    assert completed.held_on == date(2026, 11, 10)  # ratings of this interview are keyed on that date
    done = pipeline.move_stage(store, iid, "thanked", on=date(2026, 11, 12))
    assert done.stage == "thanked"
    assert pipeline.timeline(done) == [
        ("identified", date(2026, 11, 1)),
        ("requested", date(2026, 11, 2)),
        ("scheduled", appointment),
        ("completed", date(2026, 11, 10)),
        ("thanked", date(2026, 11, 12)),
    ]
    assert pipeline.stage_date(done, "scheduled") == date(2026, 11, 10)


def test_completing_early_uses_the_day_it_happened() -> None:
    fields = pipeline.transition_fields(
        interview(stage="scheduled", scheduled_for=datetime(2026, 12, 2, 14)), "completed", on=date(2026, 11, 30)
    )
    assert fields["completed_on"] == date(2026, 11, 30) and fields["held_on"] == date(2026, 11, 30)


def test_skipping_steps_fills_their_dates_but_invents_no_appointment() -> None:
    fields = pipeline.transition_fields(interview(identified_on=date(2026, 1, 1)), "completed", on=date(2026, 1, 5))
    assert fields == {
        "stage": "completed",
        "requested_on": date(2026, 1, 5),
        "completed_on": date(2026, 1, 5),
        "held_on": date(2026, 1, 5),
    }
    kept = pipeline.transition_fields(
        interview(stage="requested", requested_on=date(2026, 1, 2)), "completed", on=date(2026, 1, 5)
    )
    assert "requested_on" not in kept and "identified_on" not in kept  # earlier dates are never rewritten


def test_undo_forgets_the_steps_that_did_not_happen(store: Store) -> None:
    iid = pipeline.add_to_pipeline(store, "Archivist", "Ada Byron", on=date(2026, 3, 1))
    pipeline.move_stage(store, iid, "requested", on=date(2026, 3, 2))
    pipeline.move_stage(store, iid, "scheduled", on=date(2026, 3, 3), at=datetime(2026, 3, 9, 9))
    back = pipeline.move_stage(store, iid, "requested", on=date(2026, 3, 4))
    assert back.stage == "requested" and back.scheduled_for is None and back.requested_on == date(2026, 3, 2)
    pipeline.move_stage(store, iid, "completed", on=date(2026, 3, 10))
    pipeline.move_stage(store, iid, "thanked", on=date(2026, 3, 11))
    undone = pipeline.move_stage(store, iid, "completed", on=date(2026, 3, 11))
    assert undone.stage == "completed" and undone.thanked_on is None and undone.completed_on == date(2026, 3, 10)


def test_declined_and_trying_again(store: Store) -> None:
    iid = pipeline.add_to_pipeline(store, "Archivist", "Ada Byron", on=date(2026, 3, 1))
    pipeline.move_stage(store, iid, "requested", on=date(2026, 3, 2))
    declined = pipeline.move_stage(store, iid, "declined", on=date(2026, 3, 6))
    assert declined.stage == "declined" and declined.declined_on == date(2026, 3, 6)
    again = pipeline.move_stage(store, iid, "requested", on=date(2026, 5, 1))
    assert again.stage == "requested" and again.requested_on == date(2026, 5, 1) and again.declined_on is None


@pytest.mark.parametrize(
    ("stage", "to"),
    [
        ("thanked", "requested"),
        ("completed", "declined"),
        ("identified", "thanked"),
        ("requested", "requested"),
        ("identified", "nonsense"),
    ],
)
def test_impossible_moves_are_refused_with_a_message(stage: str, to: str) -> None:
    with pytest.raises(InvalidInputError):
        pipeline.transition_fields(interview(stage=stage), to, on=date(2026, 1, 1))


def test_scheduling_needs_a_date_and_time(store: Store) -> None:
    iid = pipeline.add_to_pipeline(store, "Archivist", "Ada Byron", on=date(2026, 3, 1))
    with pytest.raises(InvalidInputError, match="date and time"):
        pipeline.move_stage(store, iid, "scheduled", on=date(2026, 3, 2))
    assert store.interview(iid).stage == "identified"  # nothing written
    pipeline.reschedule(store, iid, datetime(2026, 3, 9, 11))
    assert pipeline.move_stage(store, iid, "scheduled", on=date(2026, 3, 2)).scheduled_for == datetime(2026, 3, 9, 11)


def test_one_open_conversation_per_person_and_career(store: Store) -> None:
    first = pipeline.add_to_pipeline(store, "Archivist", "Ada Byron", on=date(2026, 3, 1))
    with pytest.raises(InvalidInputError, match="already in your pipeline"):
        pipeline.add_to_pipeline(store, "archivist ", "ada byron", on=date(2026, 3, 2))
    other = pipeline.add_to_pipeline(store, "Librarian", "Ada Byron", on=date(2026, 3, 2))  # another career: fine
    assert other != first
    pipeline.move_stage(store, first, "completed", on=date(2026, 3, 5))
    again = pipeline.add_to_pipeline(store, "Archivist", "Ada Byron", on=date(2026, 4, 1))  # a second conversation
    assert again not in (first, other) and len(store.interviews()) == 3
    with pytest.raises(InvalidInputError):
        pipeline.add_to_pipeline(store, "", "Ada Byron", on=date(2026, 4, 1))


def test_board_groups_by_stage_newest_thanks_first(demo: Store) -> None:
    board = pipeline.board_view(pipeline.board_cards(demo), today=DEMO_TODAY, default_limit=50).shown
    assert [i.interviewee for i in board["scheduled"]] == ["Kwame Asante"]
    assert [i.interviewee for i in board["declined"]] == ["Marcus Feld"]
    thanked = [i.thanked_on for i in board["thanked"]]
    assert thanked == sorted(thanked, reverse=True) and len(thanked) == 13


# -- reminders -------------------------------------------------------------------------------------------


def test_demo_reminders_on_22_november(demo: Store) -> None:
    items = pipeline.reminders(demo, today=DEMO_TODAY)
    assert [(r.kind, r.interviewee, r.due, r.overdue) for r in items] == [
        ("follow-up", "Hannah Moreau", date(2026, 11, 16), True),
        ("thank-you", "Beatrice Nwosu", date(2026, 11, 21), True),
    ]
    assert "Hannah Moreau" in items[0].message and "6 days overdue" in items[0].message
    assert items[1].as_json() == {
        "kind": "thank-you",
        "due": "2026-11-21",
        "overdue": True,
        "interview_id": items[1].interview_id,
        "career": "Secondary School Teacher",
        "interviewee": "Beatrice Nwosu",
        "message": items[1].message,
    }


def test_upcoming_interview_window_is_the_next_seven_days(demo: Store) -> None:
    # Kwame Asante is scheduled for 2026-12-02 14:00
    assert "interview" not in {r.kind for r in pipeline.reminders(demo, today=date(2026, 11, 24))}
    upcoming = [r for r in pipeline.reminders(demo, today=date(2026, 11, 25)) if r.kind == "interview"]
    assert [(r.interviewee, r.due, r.overdue) for r in upcoming] == [("Kwame Asante", date(2026, 12, 2), False)]
    assert "14:00" in upcoming[0].message and "research the organisation" in upcoming[0].message
    on_the_day = [r.kind for r in pipeline.reminders(demo, today=date(2026, 12, 2)) if r.interviewee == "Kwame Asante"]
    assert on_the_day == ["interview"]
    after = [r for r in pipeline.reminders(demo, today=date(2026, 12, 3)) if r.interviewee == "Kwame Asante"]
    assert [(r.kind, r.overdue) for r in after] == [("record", True)]


def test_follow_up_is_due_seven_days_after_a_request_without_reply() -> None:
    asked = interview(stage="requested", requested_on=date(2026, 5, 1))
    assert pipeline.reminders_for([asked], today=date(2026, 5, 7)) == []
    [due] = pipeline.reminders_for([asked], today=date(2026, 5, 8))
    assert (due.kind, due.due, due.overdue) == ("follow-up", date(2026, 5, 8), False)
    assert "overdue" not in due.message
    replied = replace(asked, stage="scheduled", scheduled_for=datetime(2026, 6, 30, 9))
    assert pipeline.reminders_for([replied], today=date(2026, 5, 20)) == []


def test_thank_you_is_due_the_day_after_and_stops_once_thanked() -> None:
    held = interview(stage="completed", completed_on=date(2026, 5, 1), held_on=date(2026, 5, 1))
    [same_day] = pipeline.reminders_for([held], today=date(2026, 5, 1))
    assert (same_day.kind, same_day.due, same_day.overdue) == ("thank-you", date(2026, 5, 2), False)
    [late] = pipeline.reminders_for([held], today=date(2026, 5, 4))
    assert late.overdue and "2 days overdue" in late.message
    thanked = replace(held, stage="thanked", thanked_on=date(2026, 5, 2))
    declined = interview(stage="declined", requested_on=date(2026, 1, 1), declined_on=date(2026, 1, 3))
    assert pipeline.reminders_for([thanked, declined, interview()], today=date(2026, 5, 4)) == []


def test_no_thank_you_nagging_for_imported_or_long_past_interviews() -> None:
    imported = interview(stage="completed", held_on=date(2026, 5, 1))  # from a ratings spreadsheet
    logged_late = interview(stage="completed", completed_on=date(2026, 3, 1), held_on=date(2026, 3, 1))
    assert pipeline.reminders_for([imported, logged_late], today=date(2026, 5, 2)) == []
    [month] = pipeline.reminders_for([logged_late], today=date(2026, 3, 31))
    assert month.kind == "thank-you"


def test_reminders_sort_by_due_date_then_kind() -> None:
    items = pipeline.reminders_for(
        [
            interview(id=1, interviewee="Zoe", stage="completed", completed_on=date(2026, 5, 1)),
            interview(id=2, interviewee="Adam", stage="requested", requested_on=date(2026, 4, 25)),
            interview(id=3, interviewee="Bea", stage="scheduled", scheduled_for=datetime(2026, 5, 2, 9)),
        ],
        today=date(2026, 5, 2),
    )
    assert [(r.due, r.kind) for r in items] == [
        (date(2026, 5, 2), "thank-you"),
        (date(2026, 5, 2), "follow-up"),
        (date(2026, 5, 2), "interview"),
    ]


def test_cli_reminders_json(tmp_path, capsys) -> None:
    db = str(tmp_path / "cf.duckdb")
    assert main(["--db", db, "demo"]) == 0
    capsys.readouterr()
    assert main(["--db", db, "reminders", "--json", "--today", "2026-11-22"]) == 0
    items = json.loads(capsys.readouterr().out)
    assert [(i["kind"], i["interviewee"], i["due"]) for i in items] == [
        ("follow-up", "Hannah Moreau", "2026-11-16"),
        ("thank-you", "Beatrice Nwosu", "2026-11-21"),
    ]
    assert all(set(i) >= {"kind", "due", "message", "overdue", "career"} for i in items)

    assert main(["--db", db, "reminders", "--today", "2026-11-25"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[:2] for line in lines] == [
        ["2026-11-16", "follow-up"],
        ["2026-11-21", "thank-you"],
        ["2026-12-02", "interview"],
    ]
    assert main(["--db", db, "reminders", "--today", "22/11/2026"]) == 2
    assert "is not a date" in capsys.readouterr().err


def test_cli_reminders_when_nothing_is_due(tmp_path, capsys) -> None:
    assert main(["--db", str(tmp_path / "empty.duckdb"), "reminders", "--today", "2026-11-22"]) == 0
    assert "Nothing due" in capsys.readouterr().out


# -- drafts ----------------------------------------------------------------------------------------------

ME = pipeline.AboutMe(
    name="Sam Taylor",
    intro="a final-year psychology student at Hallam University",
    interests="research methods and how people use technology",
)


def test_outreach_draft_has_every_piece_and_stays_short() -> None:
    text = pipeline.outreach_draft(
        ME,
        contact_name="Maya Lindqvist",
        career="UX Researcher",
        role="Senior UX Researcher",
        organisation="Fernhill Software",
        connection="Jonah Park suggested I get in touch with you.",
    )
    for piece in (
        "Dear Maya,",
        "Sam Taylor",
        "final-year psychology student",
        "research methods",
        "UX Researcher",
        "Senior UX Researcher at Fernhill Software",
        "Jonah Park suggested",
        "15-30 minutes",
        "by phone or in person",
    ):
        assert piece in text
    assert text.rstrip().endswith("Sam Taylor")
    assert pipeline.word_count(text) < pipeline.DRAFT_WORD_LIMIT


def test_outreach_draft_without_details_still_reads_and_marks_the_gap() -> None:
    text = pipeline.outreach_draft(pipeline.AboutMe(), contact_name="", career="Archivist")
    assert "Dear there," in text and "[your name]" in text and "15-30 minutes" in text
    assert " ." not in text and ", ." not in text and ".." not in text


def test_request_draft_for_a_demo_interview(demo: Store) -> None:
    aisha = next(i for i in demo.interviews() if i.interviewee == "Aisha Bello")
    contact = pipeline.contact_of(demo, aisha)
    text = pipeline.outreach_draft(
        ME,
        contact_name=aisha.interviewee,
        career=aisha.career,
        role=contact.role,
        organisation=contact.organisation,
        connection=pipeline.connection_line(contact),
    )
    assert "Jonah Park suggested I get in touch with you." in text  # introduced_by wins over "friend"
    assert "User Researcher at Larkspur Bank" in text
    assert pipeline.word_count(text) < pipeline.DRAFT_WORD_LIMIT


@pytest.mark.parametrize(
    ("how_found", "introduced_by", "expected"),
    [
        ("alumni", "", "alumni network"),
        ("LinkedIn", "", "LinkedIn"),
        ("union", "", "union"),
        ("family", "", "family"),
        ("other", "", ""),
        ("", "Oliver Bright", "Oliver Bright suggested"),
    ],
)
def test_connection_line(how_found: str, introduced_by: str, expected: str) -> None:
    line = pipeline.connection_line(Contact(1, "X", how_found=how_found, introduced_by=introduced_by))
    assert (expected in line) if expected else line == ""
    assert pipeline.connection_line(None) == ""


def test_thank_you_draft_has_the_pieces_and_stays_short() -> None:
    text = pipeline.thank_you_draft(
        ME,
        contact_name="Beatrice Nwosu",
        career="Secondary School Teacher",
        held_on=date(2026, 11, 20),
        learned="how planning and marking fit around the classroom",
        next_step="volunteer at a homework club",
    )
    for piece in (
        "Dear Beatrice,",
        "Thank you",
        "Friday 20 November",
        "Secondary School Teacher",
        "planning and marking",
        "volunteer at a homework club",
        "stay in touch",
        "Sam Taylor",
    ):
        assert piece in text
    assert pipeline.word_count(text) < pipeline.DRAFT_WORD_LIMIT
    bare = pipeline.thank_you_draft(pipeline.AboutMe(), contact_name="Bea", career="Teacher")
    assert "valued" not in bare and "advice" not in bare and pipeline.word_count(bare) < 80


def test_about_me_setting_round_trip(store: Store) -> None:
    store.set_setting(pipeline.ABOUT_ME_KEY, ME.as_setting())
    assert pipeline.AboutMe.from_setting(store.get_setting(pipeline.ABOUT_ME_KEY)) == ME
    assert pipeline.AboutMe.from_setting(None) == pipeline.AboutMe()


# -- calendar --------------------------------------------------------------------------------------------


def parse_ics(text: str) -> list[tuple[str, dict[str, str], str]]:
    """A small RFC 5545 reader: check the line ends, unfold, split name;params:value, unescape TEXT."""
    assert text.endswith("\r\n")
    assert "\n" not in text.replace("\r\n", "") and "\r" not in text.replace("\r\n", "")
    physical = text[:-2].split("\r\n")
    assert all(len(line.encode("utf-8")) <= 75 for line in physical)
    logical: list[str] = []
    for line in physical:
        if line.startswith((" ", "\t")):
            logical[-1] += line[1:]
        else:
            logical.append(line)
    props = []
    for line in logical:
        head, _, value = line.partition(":")
        name, *params = head.split(";")
        unescaped, i = [], 0
        while i < len(value):
            if value[i] == "\\" and i + 1 < len(value):
                unescaped.append({"n": "\n", "N": "\n"}.get(value[i + 1], value[i + 1]))
                i += 2
            else:
                unescaped.append(value[i])
                i += 1
        props.append((name, dict(p.split("=", 1) for p in params), "".join(unescaped)))
    return props


def test_ics_of_a_scheduled_interview_parses(demo: Store) -> None:
    kwame = by_name(demo, "Kwame Asante")
    kwame = replace(
        kwame,
        goals="Pay, hours; and tools, honestly?\nAlso: remote work \\ hybrid",
        questions="How technical?\nWhich tools?",
    )
    stamp = datetime(2026, 11, 22, 8, 30, tzinfo=UTC)
    text = pipeline.interview_ics(kwame, stamp=stamp, contact=pipeline.contact_of(demo, kwame))
    props = parse_ics(text)
    names = [p[0] for p in props]
    assert names[0] == "BEGIN" and props[0][2] == "VCALENDAR" and props[-1] == ("END", {}, "VCALENDAR")
    assert ("BEGIN", {}, "VEVENT") in props and ("END", {}, "VEVENT") in props
    assert names.index("DTSTART") > names.index("BEGIN")
    values = {name: value for name, _, value in props if name not in ("BEGIN", "END", "DESCRIPTION")}
    assert values["VERSION"] == "2.0" and values["PRODID"]
    assert values["DTSTART"] == "20261202T140000" and values["DTEND"] == "20261202T143000"
    assert values["DTSTAMP"] == "20261122T083000Z"
    assert values["UID"] == pipeline.interview_uid(kwame) and "@" in values["UID"]
    assert values["SUMMARY"] == "Informational interview: Kwame Asante (Technical Writer)"
    description = next(v for n, _, v in props if n == "DESCRIPTION")
    assert "Senior Technical Writer at Orbitly" in description
    assert "Pay, hours; and tools, honestly?\nAlso: remote work \\ hybrid" in description  # escaped, then restored
    assert "- Which tools?" in description
    assert datetime.strptime(values["DTSTART"], "%Y%m%dT%H%M%S") == kwame.scheduled_for
    # the UID does not change with the appointment, so a rescheduled event replaces the old one
    moved = replace(kwame, scheduled_for=kwame.scheduled_for + timedelta(days=1))
    assert pipeline.interview_uid(moved) == values["UID"]
    assert pipeline.ics_file_name(kwame) == "interview-kwame-asante-technical-writer.ics"


def test_ics_folds_long_text_without_splitting_characters() -> None:
    text = pipeline.ics_event(
        uid="x@career-fit",
        start=datetime(2026, 1, 2, 9),
        summary="Entretien avec Zoë Ångström " * 8,
        stamp=datetime(2026, 1, 1, tzinfo=UTC),
        description="é" * 200,
    )
    props = parse_ics(text)  # checks 75-octet lines and CRLF
    assert dict((n, v) for n, _, v in props)["SUMMARY"] == "Entretien avec Zoë Ångström " * 8
    assert next(v for n, _, v in props if n == "DESCRIPTION") == "é" * 200


def test_ics_needs_an_appointment() -> None:
    with pytest.raises(InvalidInputError, match="schedule it first"):
        pipeline.interview_ics(interview(stage="requested"), stamp=datetime(2026, 1, 1, tzinfo=UTC))


# -- questions -------------------------------------------------------------------------------------------


def test_question_bank_has_the_categories_criterion_questions_and_mine(demo: Store) -> None:
    pipeline.add_my_question(demo, "  What do you  wish you had known?  ")
    pipeline.add_my_question(demo, "what do you wish you had known?")  # same question: kept once
    kwame = by_name(demo, "Kwame Asante")
    bank = pipeline.question_bank(demo, kwame.career_id)
    for category in QUESTION_CATEGORIES:
        assert bank[category] == list(QUESTION_CATEGORIES[category])
    assert bank[pipeline.MY_QUESTIONS_CATEGORY] == ["What do you wish you had known?"]
    targeted = bank[pipeline.CRITERIA_CATEGORY]
    # the investigate-next suggestions for the career, less the ones already in a general category
    step = next(s for s in investigate_next(demo) if s.career_id == kwame.career_id)
    general = {q for questions in QUESTION_CATEGORIES.values() for q in questions}
    assert targeted == [q for q in step.questions if q not in general] and 2 <= len(targeted) <= 4
    demo.set_setting(pipeline.MY_QUESTIONS_KEY, [])  # the demo store is shared by this module's tests


def test_question_bank_without_a_career_aims_at_the_heaviest_criteria(store: Store) -> None:
    store.save_criteria(
        [
            {"name": "Independence", "dimension": "value", "weight": 5},
            {"name": "Writing", "dimension": "skill", "weight": 2},
            {"name": "Ignored", "dimension": "skill", "weight": 0},
        ]
    )
    targeted = pipeline.question_bank(store)[pipeline.CRITERIA_CATEGORY]
    assert targeted == [questions_for_criterion("Independence")[0], questions_for_criterion("Writing")[0]]
    assert pipeline.question_bank(store)[pipeline.MY_QUESTIONS_CATEGORY] == []


def test_question_lines_and_join_questions() -> None:
    assert pipeline.question_lines("1. First?\n\n- Second?\n  * Third?\n2) Fourth?") == [
        "First?",
        "Second?",
        "Third?",
        "Fourth?",
    ]
    assert pipeline.join_questions(["A?", " a? ", "", "B?"]) == "A?\nB?"
    with pytest.raises(InvalidInputError):
        pipeline.add_my_question(Store(), "   ")


def test_question_sheet_escapes_everything() -> None:
    info = pipeline.SheetInfo(
        interviewee="<script>alert(1)</script>",
        career="Data & <b>Science</b>",
        role="Lead",
        organisation='O\'Hara "Labs"',
        when=datetime(2026, 12, 2, 14),
        goals="Learn <i>pay</i>",
        pitch="I am <img src=x onerror=alert(1)>",
        questions=("What is <this>?", "Why & how?"),
    )
    page = pipeline.question_sheet_html(info)
    assert "<script>" not in page and "<img" not in page and "<b>" not in page and "<i>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "Data &amp; &lt;b&gt;Science&lt;/b&gt;" in page
    assert "<li>What is &lt;this&gt;?</li><li>Why &amp; how?</li>" in page
    assert "O&#x27;Hara &quot;Labs&quot;" in page and "Wed 2 Dec 2026 at 14:00" in page
    text = pipeline.question_sheet_text(info)
    assert "1. What is <this>?\n2. Why & how?" in text and "Be ready to answer" in text
    assert len(text.splitlines()) < 60  # one page


def test_sheet_info_from_the_store(demo: Store) -> None:
    demo.set_setting(pipeline.PITCH_KEY, "Psychology student who loves explaining things.")
    kwame = by_name(demo, "Kwame Asante")
    info = pipeline.sheet_info(demo, replace(kwame, questions="How technical?\nWhich tools?"))
    assert info.role == "Senior Technical Writer" and info.organisation == "Orbitly"
    assert info.pitch.startswith("Psychology student") and info.questions == ("How technical?", "Which tools?")
    assert info.when == datetime(2026, 12, 2, 14)


# -- what works ------------------------------------------------------------------------------------------


def test_what_works_on_the_demo(demo: Store) -> None:
    result = pipeline.what_works(demo)
    assert result.stages == {
        "identified": 1,
        "requested": 1,
        "scheduled": 1,
        "completed": 1,
        "thanked": 13,
        "declined": 1,
    }
    rows = {s.source: s for s in result.sources}
    assert list(rows) == ["friend", "family", "alumni", "LinkedIn", "association", "union", "other"]
    linkedin = rows["LinkedIn"]
    assert (linkedin.contacts, linkedin.asked, linkedin.held, linkedin.declined) == (4, 4, 3, 1)
    assert linkedin.success_rate == pytest.approx(0.75) and linkedin.label == "LinkedIn"
    other = rows["other"]  # Ingrid Solberg is identified but not asked yet
    assert (other.asked, other.held, other.stages["identified"]) == (2, 2, 1)
    assert rows["association"].as_row()["held per request"] == 0.5


def test_what_works_counts_people_without_a_source() -> None:
    contacts = [Contact(1, "Ann", how_found="linkedin"), Contact(2, "Bob")]
    interviews = [
        interview(id=1, interviewee="Ann", contact_id=1, stage="declined"),  # declined before any request
        interview(id=2, interviewee="Bob", contact_id=2, stage="thanked"),
        interview(id=3, interviewee="Cy", stage="requested"),
    ]
    result = pipeline.what_works_for(contacts, interviews)
    rows = {s.source: s for s in result.sources}
    assert list(rows) == ["LinkedIn", pipeline.NOT_RECORDED]
    assert (rows["LinkedIn"].asked, rows["LinkedIn"].success_rate) == (0, None)
    assert (rows[pipeline.NOT_RECORDED].contacts, rows[pipeline.NOT_RECORDED].asked) == (1, 2)


def test_contact_rows_list_every_career_asked_about(demo: Store) -> None:
    iid = pipeline.add_to_pipeline(demo, "Product Manager", "Jonah Park", on=DEMO_TODAY)
    try:
        rows = {r["name"]: r for r in pipeline.contact_rows(demo.contacts(), demo.interviews())}
        assert rows["Jonah Park"]["careers"] == "Data Scientist (thanked); Product Manager (identified)"
        assert rows["Aisha Bello"]["introduced by"] == "Jonah Park"
        assert rows["Aisha Bello"]["found through"] == "Friend"
    finally:
        demo.delete_interview(iid)


# -- the board as drawn: the cards to act on first, search, the rest ------------------------------------


def card(card_id: int, stage: str, who: str, career: str = "Archivist", **dates: object) -> pipeline.BoardCard:
    return pipeline.BoardCard(id=card_id, career_id=1, career=career, interviewee=who, stage=stage, **dates)


def test_board_cards_are_one_light_read_of_every_interview(demo: Store) -> None:
    cards = pipeline.board_cards(demo)
    full = {i.id: i for i in demo.interviews()}
    assert sorted(c.id for c in cards) == sorted(full)
    for c in cards:
        i = full[c.id]
        assert (c.career, c.interviewee, c.stage, c.scheduled_for, c.completed_on) == (
            i.career,
            i.interviewee,
            i.stage,
            i.scheduled_for,
            i.completed_on,
        )


def test_board_view_orders_each_column_by_what_to_do_first() -> None:
    today = date(2026, 11, 22)
    cards = [
        card(1, "requested", "Late", requested_on=date(2026, 11, 1)),
        card(2, "requested", "Recent", requested_on=date(2026, 11, 20)),
        card(3, "requested", "Undated"),
        card(4, "scheduled", "Afternoon", scheduled_for=datetime(2026, 11, 25, 15, 0)),
        card(5, "scheduled", "Morning", scheduled_for=datetime(2026, 11, 25, 9, 0)),
        card(6, "completed", "Old import", completed_on=date(2025, 1, 1)),
        card(7, "completed", "Older import", completed_on=date(2024, 1, 1)),
        card(8, "completed", "Thank me", completed_on=date(2026, 11, 20)),
        card(9, "completed", "Thank me first", completed_on=date(2026, 11, 10)),
        card(10, "thanked", "Long ago", thanked_on=date(2026, 1, 1)),
        card(11, "thanked", "Just now", thanked_on=date(2026, 11, 21)),
    ]
    view = pipeline.board_view(cards, today=today)
    names = {stage: [c.interviewee for c in view.shown[stage]] for stage in pipeline.MAIN_STAGES}
    assert names == {
        "identified": [],
        "requested": ["Late", "Recent", "Undated"],
        "scheduled": ["Morning", "Afternoon"],
        "completed": ["Thank me first", "Thank me", "Old import", "Older import"],  # thank-yous due, then newest
        "thanked": ["Just now", "Long ago"],
    }
    assert view.rest == [] and view.counts["requested"] == 3 and view.matching == len(cards)
    assert [c.id for c in pipeline.board_view(reversed(cards), today=today).shown["completed"]] == [9, 8, 6, 7]


def test_board_view_shows_a_few_per_column_and_lists_the_rest() -> None:
    cards = [card(n, "completed", f"Person {n:04d}", completed_on=date(2025, 1, 1)) for n in range(1, 2001)]
    cards.append(card(3000, "identified", "Ada Byron", identified_on=date(2026, 11, 1)))
    view = pipeline.board_view(cards, today=date(2026, 11, 22))
    assert len(view.shown["completed"]) == pipeline.BOARD_CARDS
    assert view.hidden("completed") == 2000 - pipeline.BOARD_CARDS
    assert view.totals["completed"] == view.counts["completed"] == 2000
    assert len(view.rest) == 2000 - pipeline.BOARD_CARDS and {c.stage for c in view.rest} == {"completed"}
    assert not {c.id for c in view.rest} & {c.id for c in view.shown["completed"]}

    more = pipeline.board_view(cards, today=date(2026, 11, 22), limits={"completed": 15}, pinned=[1999])
    assert len(more.shown["completed"]) == 16 and 1999 in {c.id for c in more.shown["completed"]}
    assert len(more.rest) == 2000 - 16

    found = pipeline.board_view(cards, today=date(2026, 11, 22), search="  PERSON   012 ", default_limit=5)
    assert [c.interviewee for c in found.shown["completed"]] == [
        "Person 0012",
        *(f"Person 0{n}" for n in range(120, 124)),
    ]
    assert found.counts["completed"] == 12 and found.totals["completed"] == 2000  # 0012, 0120-0129, 1012
    assert found.counts["identified"] == 0 and found.search == "person 012" and len(found.rest) == 7
    by_career = pipeline.board_view(cards, today=date(2026, 11, 22), search="ada ARCHIVIST")
    assert [c.id for s in by_career.shown.values() for c in s] == [3000] and by_career.rest == []


# -- one interview, one record ------------------------------------------------------------------------


def test_adding_an_interview_again_is_refused_and_names_the_one_kept(store: Store) -> None:
    from analytics.errors import DuplicateError

    first = store.add_interview("Archivist", "Ada Byron", date(2026, 11, 2), ratings={1: 4.0})
    with pytest.raises(DuplicateError, match="already logged an interview with Ada Byron on 02 Nov 2026") as caught:
        store.add_interview("archivist", " ada byron ", date(2026, 11, 2), ratings={1: 2.0})
    assert caught.value.existing_id == first
    assert store.interview_ratings(first) == {1: 4.0}  # untouched
    store.save_interview("Archivist", "Ada Byron", date(2026, 11, 2), interview_id=first, ratings={1: 2.0})
    assert store.interview_ratings(first) == {1: 2.0}  # changing it is the separate call


def test_adding_a_contact_again_is_refused(store: Store) -> None:
    from analytics.errors import DuplicateError

    kept = store.add_contact("Ann Ode", notes="met at the fair")
    with pytest.raises(DuplicateError, match="Ann Ode is already in your contacts"):
        store.add_contact("ANN ODE", notes="other notes")
    assert [(c.id, c.notes) for c in store.contacts()] == [(kept, "met at the fair")]


def test_a_conversation_completes_the_open_pipeline_entry_of_that_person(store: Store) -> None:
    iid = pipeline.add_to_pipeline(store, "Archivist", "Ada Byron", on=date(2026, 11, 1))
    pipeline.move_stage(store, iid, "requested", on=date(2026, 11, 2))
    recorded = pipeline.record_interview(
        store, "ARCHIVIST", "ada byron", date(2026, 11, 9), ratings={1: 5.0}, notes="Loved it", today=DEMO_TODAY
    )
    assert recorded == pipeline.Recorded(iid, attached=True)
    done = store.interview(iid)
    assert (done.stage, done.held_on, done.completed_on, done.requested_on, done.notes, done.ratings) == (
        "completed",
        date(2026, 11, 9),
        date(2026, 11, 9),
        date(2026, 11, 2),
        "Loved it",
        1,
    )
    other = pipeline.record_interview(store, "Archivist", "Bo Lind", date(2026, 11, 9), ratings={}, today=DEMO_TODAY)
    assert other.attached is False and store.counts()["interviews"] == 2


def test_planning_from_investigate_next_carries_the_questions(store: Store) -> None:
    iid = pipeline.plan_interview(store, "Archivist", "Ada Byron", on=DEMO_TODAY, questions=["Q one?", "Q two?"])
    again = pipeline.plan_interview(store, "Archivist", "ada byron", on=DEMO_TODAY, questions=["Q two?", "Q three?"])
    assert again == iid and store.counts()["interviews"] == 1  # one person, one open entry per career
    assert pipeline.question_lines(store.interview(iid).questions) == ["Q one?", "Q two?", "Q three?"]
    assert [c.name for c in store.contacts()] == ["Ada Byron"]


def test_drafts_name_the_career_as_a_role() -> None:
    assert [pipeline.as_role(c) for c in ("Genetic Counselor", "Archivist", "UX Researcher", "Urban Planner")] == [
        "a Genetic Counselor",
        "an Archivist",
        "a UX Researcher",
        "an Urban Planner",
    ]


def test_reminders_selected_in_sql_are_the_rules_applied_to_every_interview(demo: Store) -> None:
    everything = demo.interviews()
    for offset in range(-40, 60, 3):
        day = DEMO_TODAY + timedelta(days=offset)
        assert pipeline.reminders(demo, today=day) == pipeline.reminders_for(everything, today=day), day
