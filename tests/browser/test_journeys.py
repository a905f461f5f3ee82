"""The app in headless Chromium: every page draws with no exception, a CSV uploaded through the file
chooser is imported and its career ranked, an interview rated in the form counts, and every page is saved
as a full-page screenshot (light, plus Career fit in the dark theme) for a person to look at."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from browser_tools import full_page_screenshot, message_stays, no_exception, settle
from playwright.sync_api import TimeoutError as PlaywrightTimeout

pytestmark = pytest.mark.browser

# (url path, file name, the page's title)
PAGES = (
    ("", "overview", "Career Fit"),
    ("profile", "profile", "My profile"),
    ("interviews", "interviews", "Interviews"),
    ("career_fit", "career_fit", "Career fit"),
    ("explore", "explore", "Explore next"),
    ("data", "data", "Data"),
)
CSV = (
    "Career;Person;Date;Criterion;Score\n"
    "Park Ranger;Ann Ode;2026-09-01;Investigative;5\n"
    "Park Ranger;Ann Ode;2026-09-01;Social;5\n"
    "Park Ranger;Ann Ode;2026-09-01;Data analysis;5\n"
    "Park Ranger;Ann Ode;2026-09-01;Achievement;5\n"
    "Park Ranger;Ann Ode;2026-09-01;Independence;5\n"
)


def visit(page, url: str, path: str, title: str) -> None:
    page.goto(f"{url}/{path}")
    page.locator("[data-testid='stMain'] h1").filter(has_text=title).first.wait_for()
    settle(page)


def test_every_page_draws_without_an_exception(page, app_url: str, screenshot_dir: Path) -> None:
    for path, name, title in PAGES:
        visit(page, app_url, path, title)
        no_exception(page)
        full_page_screenshot(page, screenshot_dir / f"{name}.png")
    page.emulate_media(color_scheme="dark")
    visit(page, app_url, "career_fit", "Career fit")
    no_exception(page)
    full_page_screenshot(page, screenshot_dir / "career_fit-dark.png")


def test_a_csv_uploaded_through_the_file_chooser_is_imported_and_ranked(
    page, app_url: str, tmp_path: Path, screenshot_dir: Path
) -> None:
    csv = tmp_path / "park-ranger.csv"
    csv.write_text(CSV, encoding="utf-8")
    visit(page, app_url, "data", "Data")
    with page.expect_file_chooser() as chooser:
        uploader = page.locator("[data-testid='stFileUploader']")
        uploader.get_by_role("button", name=re.compile("Upload|Browse")).first.click()
    chooser.value.set_files(str(csv))
    page.get_by_text("No problems found.").wait_for()
    settle(page)
    no_exception(page)
    full_page_screenshot(page, screenshot_dir / "data-preview.png")
    page.get_by_role("button", name="Import", exact=True).click()
    message_stays(page, page.get_by_text(re.compile(r"Imported park-ranger\.csv")))
    settle(page)
    no_exception(page)
    visit(page, app_url, "career_fit", "Career fit")
    chart = page.locator("[data-testid='stPlotlyChart']").first
    chart.get_by_text("Park Ranger").first.wait_for()  # a tick label of the ranking: it has a fit
    no_exception(page)


def test_an_interview_rated_in_the_form_is_saved(page, app_url: str, screenshot_dir: Path) -> None:
    visit(page, app_url, "interviews", "Interviews")
    for attempt in range(3):  # a rerun landing mid-choice drops it: choose again until it sticks
        page.get_by_role("combobox", name=re.compile("Career")).first.click()
        page.get_by_role("option", name="Data Scientist").click()
        settle(page)
        try:
            interviewee = page.locator("[data-testid='stForm']").get_by_role("textbox", name="Interviewee")
            interviewee.wait_for(timeout=10_000)
            break
        except PlaywrightTimeout:
            if attempt == 2:
                raise
    settle(page)
    form = page.locator("[data-testid='stForm']")
    form.get_by_role("textbox", name="Interviewee").fill("Rosa Diaz")
    form.get_by_role("textbox", name="Notes").fill("Teaches statistics to analysts; loves the puzzles.")
    form.get_by_role("radiogroup", name="Investigative").get_by_role("radio", name="4", exact=True).click()
    full_page_screenshot(page, screenshot_dir / "interviews-form.png")
    form.get_by_role("button", name="Save interview").click()
    message_stays(page, page.get_by_text(re.compile("Interview with Rosa Diaz saved with 1 rating")))
    settle(page)
    no_exception(page)
