"""The interview pipeline in headless Chromium: a contact added in the Contacts tab is put in the pipeline
and moved identified -> requested -> scheduled -> completed -> thanked, one click per stage on the board.

It creates its own contact and career, so it does not depend on (or disturb) the demo data other browser
tests look at. It asserts no dates: the real app runs on the real clock.
"""

from __future__ import annotations

import pytest
from browser_tools import no_exception, settle

pytestmark = pytest.mark.browser

PERSON = "Rowan Quill"
CAREER = "Bookbinder"


def open_tab(page, name: str) -> None:
    page.get_by_role("tab", name=name, exact=True).click()
    settle(page)


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
    expect(page.get_by_role("button", name="Save contact")).to_be_visible()  # now editing the new contact

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

    for column, (button, stage) in enumerate(
        [
            ("Mark requested", "Requested"),
            ("Mark scheduled", "Scheduled"),
            ("Mark completed", "Completed"),
            ("Mark thanked", "Thanked"),
        ],
        start=1,
    ):
        card.get_by_role("button", name=button).click()  # one click per stage
        settle(page)
        no_exception(page)
        expect(columns.nth(column)).to_contain_text(PERSON)
        expect(columns.nth(column - 1)).not_to_contain_text(PERSON)
        expect(columns.nth(column)).to_contain_text(stage)
        expect(page.locator("[data-testid='stAlertContentError']")).to_have_count(0)

    expect(card.get_by_role("button")).to_have_count(0)  # thanked: nothing left to do
