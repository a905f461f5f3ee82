"""The interview pipeline in headless Chromium: a contact added in the Contacts tab is put in the pipeline
and moved identified -> requested -> scheduled -> completed -> thanked, one click per stage on the board;
"Mark completed" opens the interview in Log & rate, and an appointment still ahead cannot be completed.

It creates its own contact and career, so it does not depend on (or disturb) the demo data other browser
tests look at. It asserts no dates: the real app runs on the real clock.
"""

from __future__ import annotations

from datetime import date

import pytest
from browser_tools import no_exception, open_tab, settle

pytestmark = pytest.mark.browser

PERSON = "Rowan Quill"
CAREER = "Bookbinder"


def test_moving_an_interview_through_the_stages(page, app_url: str) -> None:
    from playwright.sync_api import expect

    page.goto(f"{app_url}/interviews")
    page.locator("[data-testid='stMain'] h1").filter(has_text="Interviews").first.wait_for()
    settle(page)

    # a contact of our own
    open_tab(page, "Contacts")
    form = page.locator("[data-testid='stForm']").filter(has=page.get_by_role("button", name="Add contact"))
    form.get_by_label("Name").fill(PERSON)
    form.get_by_label("Role").fill("Master Bookbinder")
    form.get_by_role("button", name="Add contact").click()
    settle(page)
    no_exception(page)
    expect(form.get_by_role("button", name="Add contact")).to_be_visible()  # still adding: ready for the next
    expect(form.get_by_label("Name")).to_have_value("")

    # identified: put them in the pipeline for a new career
    open_tab(page, "Pipeline")
    page.get_by_text("Add someone to talk to").click()
    person = page.get_by_role("combobox", name="Person")
    person.click()
    person.fill(PERSON)
    page.get_by_role("option", name=PERSON).click()
    expect(person).to_have_value(PERSON)
    page.get_by_label("... or a new career").fill(CAREER)
    page.get_by_role("button", name="Add to the pipeline").click()
    settle(page)
    no_exception(page)

    board = page.get_by_role("tabpanel", name="Pipeline")
    columns = board.locator("[data-testid='stColumn']")
    card = board.locator("div[class*='st-key-pipeline_card_']").filter(has_text=PERSON)
    expect(columns.nth(0)).to_contain_text(PERSON)  # Identified
    expect(card).to_contain_text(CAREER)

    def moved_to(column: int, stage: str) -> None:
        settle(page)
        no_exception(page)
        expect(columns.nth(column)).to_contain_text(PERSON)
        expect(columns.nth(column - 1)).not_to_contain_text(PERSON)
        expect(columns.nth(column)).to_contain_text(stage)
        expect(page.locator("[data-testid='stAlertContentError']")).to_have_count(0)

    card.get_by_role("button", name="Mark requested").click()  # one click per stage
    moved_to(1, "Requested")

    card.get_by_role("button", name="Mark scheduled").click()  # a popover with the date and time
    page.get_by_role("button", name="Schedule it").click()  # a week from today, by default
    moved_to(2, "Scheduled")
    expect(card.get_by_role("button", name="Mark completed")).to_be_disabled()  # it has not happened yet

    # it took place today after all: rescheduled to today, it can be completed
    open_tab(page, "Prepare")
    page.get_by_role("tab", name="Stage and calendar").click()
    stage_tab = page.get_by_role("tabpanel", name="Stage and calendar")
    today = date.today()
    for part, value in (("year", f"{today.year}"), ("month", f"{today.month:02d}"), ("day", f"{today.day:02d}")):
        stage_tab.get_by_role("spinbutton", name=f"{part}, Interview date").click()
        page.keyboard.type(value)
    page.keyboard.press("Tab")
    settle(page)
    page.get_by_role("button", name="Reschedule").click()
    settle(page)
    open_tab(page, "Pipeline")
    card.get_by_role("button", name="Mark completed").click()
    settle(page)
    no_exception(page)
    # straight on to rating it: Log & rate opens on this interview
    form = page.locator("[data-testid='stForm']")
    expect(form.get_by_role("textbox", name="Interviewee")).to_have_value(PERSON)
    expect(form.get_by_role("button", name="Save changes")).to_be_visible()

    open_tab(page, "Pipeline")
    expect(columns.nth(3)).to_contain_text(PERSON)
    card.get_by_role("button", name="Mark thanked").click()
    moved_to(4, "Thanked")
    expect(card.get_by_role("button")).to_have_count(0)  # thanked: nothing left to do
