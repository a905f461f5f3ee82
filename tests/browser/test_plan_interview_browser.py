""" "Plan an interview" on Explore next in headless Chromium: the popover draws its form only once opened (a closed
one costs no contact list on a page that lists many careers), and adding someone puts them in the pipeline for
that career and opens the Interviews page there, which says so. Runs on a demo store of its own."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser_tools import no_exception, settle

from analytics.store import Store

pytestmark = pytest.mark.browser

PERSON = "Rosa Lind"


def test_plan_an_interview_opens_its_form_and_puts_the_person_in_the_pipeline(browser, serve, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    db = tmp_path / "career-fit.duckdb"
    with serve(db, tmp_path / "streamlit.log") as url:
        page = browser.new_context(viewport={"width": 1400, "height": 900}).new_page()
        page.goto(f"{url}/explore")
        page.locator("[data-testid='stMain'] h1").filter(has_text="Explore next").first.wait_for()
        settle(page)
        first = page.locator("[data-testid='stMain'] strong").filter(has_text="1. ").first.inner_text()
        career = first.removeprefix("1. ").strip()
        expect(page.get_by_text("Who could tell you about")).to_have_count(0)  # closed: nothing drawn

        page.get_by_role("button", name="Plan an interview").first.click()
        page.get_by_text("Who could tell you about").wait_for()
        page.get_by_placeholder("Their name").fill(PERSON)
        page.get_by_role("button", name="Add to my pipeline").click()
        page.locator("[data-testid='stMain'] h1").filter(has_text="Interviews").first.wait_for()
        settle(page)
        no_exception(page)
        assert page.url.endswith("/interviews")
        # the message is on the page it speaks of, and stays (Explore next must not show it, then lose it)
        expect(page.get_by_text(f"{PERSON} is in your pipeline")).to_have_count(1)
        page.close()
    with Store(db) as store:
        [planned] = [i for i in store.interviews() if i.interviewee == PERSON]
    assert (planned.career, planned.stage) == (career, "identified")
    assert planned.questions  # the suggested questions went onto its question sheet
