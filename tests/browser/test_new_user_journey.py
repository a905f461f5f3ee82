"""A new user's whole journey in headless Chromium, on a store of her own, counting every action she takes.

From the demo she starts an empty store, adds one criterion of her own to the profile, adds six contacts in a
row, puts five of them in the pipeline, logs five interviews (two of them disagree about one career), records
her expectations of a career nobody was asked about, imports a sheet she kept in Excel on a 1-10 scale,
downloads her workbook and replaces everything with it. At the end nobody is duplicated or lost and the
ranking is the same as before the round trip, in at most 150 actions (clicks, fills, key presses, uploads).
Full-page screenshots of the key steps go to a temporary folder (printed), or to the folder named by
``CAREER_FIT_JOURNEY_SHOTS`` (``CAREER_FIT_JOURNEY_SHOTS=docs/screenshots/journey`` refreshes the README's),
so that running the tests never changes the checkout.
"""

from __future__ import annotations

import os
import re
import tempfile
from datetime import date, datetime, time
from pathlib import Path

import pytest
import xlsxwriter
from browser_tools import full_page_screenshot, message_stays, no_exception, settle

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
SHOTS = Path(os.environ.get("CAREER_FIT_JOURNEY_SHOTS") or tempfile.mkdtemp(prefix="journey-shots-"))
ACTION_BUDGET = 150
OWN_CRITERION = "Lab bench work"
CONTACTS = (  # name, how she found them
    ("Maria Lopez", "Friend"),
    ("Tom Becker", "Alumni network"),
    ("Nina Patel", "LinkedIn"),
    ("Omar Haddad", "Alumni network"),
    ("Lena Vogt", "Professional association"),
    ("Sam Okoro", "Friend"),
)
# who, career, ratings (criterion -> 1-5): Maria and Tom disagree about Independence as Genetic Counselors
INTERVIEWS = (
    ("Maria Lopez", "Genetic Counselor", {"Social": 5, "Investigative": 4, "Independence": 5, OWN_CRITERION: 2}),
    ("Tom Becker", "Genetic Counselor", {"Social": 5, "Investigative": 4, "Independence": 1, OWN_CRITERION: 2}),
    ("Nina Patel", "Data Scientist", {"Investigative": 5, "Independence": 4, "Conventional": 4}),
    ("Omar Haddad", "Lab Manager", {"Realistic": 4, "Enterprising": 4, OWN_CRITERION: 5}),
    ("Lena Vogt", "Science Writer", {"Artistic": 5, "Independence": 4, "Investigative": 3}),
)
EXPECTED = ("Clinical Research Coordinator", {"Social": 4, "Conventional": 4, "Investigative": 4})


class Actions:
    """The user's actions, counted: every click, fill, key press and upload goes through here."""

    def __init__(self, page) -> None:
        self.page = page
        self.count = 0

    def click(self, locator) -> None:
        self.count += 1
        try:
            locator.click()
        except Exception:
            self.page.screenshot(path="/tmp/j_fail.png", full_page=True)
            raise

    def fill(self, locator, text: str) -> None:
        self.count += 1
        locator.fill(text)

    def type(self, text: str) -> None:
        self.count += 1
        self.page.keyboard.type(text)

    def press(self, key: str) -> None:
        self.count += 1
        self.page.keyboard.press(key)

    def upload(self, path: Path) -> None:
        self.count += 1
        uploader = self.page.locator("[data-testid='stFileUploader']").first
        with self.page.expect_file_chooser() as chooser:
            uploader.get_by_role("button", name=re.compile("Upload|Browse")).first.click()
        chooser.value.set_files(str(path))

    def choose(self, name: str, option: str, scope=None) -> None:
        """Pick ``option`` in the select box labelled ``name``: two clicks (again if a rerun closed the list)."""
        where = scope or self.page
        box = where.get_by_role("combobox", name=re.compile(re.escape(name))).first
        for attempt in range(3):
            self.click(box)
            choice = self.page.get_by_role("option", name=option, exact=True)
            try:
                choice.wait_for(timeout=5_000)
                break
            except Exception:
                if attempt == 2:
                    raise
                self.page.keyboard.press("Escape")
                settle(self.page)
        self.click(choice)


def shot(page, name: str) -> None:
    settle(page)
    full_page_screenshot(page, SHOTS / f"{name}.png")


def open_page(act: Actions, title: str) -> None:
    act.click(act.page.get_by_role("link", name=title, exact=True).first)
    heading = title if title != "Overview" else "Career Fit"
    act.page.locator("[data-testid='stMain'] h1").filter(has_text=heading).first.wait_for()
    settle(act.page)


def open_tab(act: Actions, name: str) -> None:
    act.click(act.page.get_by_role("tab", name=name, exact=True))
    settle(act.page)


def top_careers(page) -> list[tuple[str, str]]:
    """(career, fit) of the Overview's top-careers table, best first."""
    table = page.locator("[data-testid='stMain'] table").first
    rows = table.locator("tbody tr")
    return [
        (rows.nth(n).locator("td").nth(1).inner_text(), rows.nth(n).locator("td").nth(2).inner_text())
        for n in range(rows.count())
    ]


def metric(page, label: str) -> str:
    box = page.locator("[data-testid='stMetric']").filter(has_text=label).first
    return box.locator("[data-testid='stMetricValue']").inner_text()


def excel_sheet(path: Path) -> Path:
    """Her own sheet: one row per interview, criteria as columns, rated 1-10."""
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("My notes")
    header = ["Career", "Person", "Date", "Social", "Investigative", "Independence", "Conventional"]
    rows = [
        ["Clinical Research Coordinator", "Priya Raman", date(2026, 10, 2), 8, 7, 4, 9],
        ["Data Scientist", "Jon Weiss", date(2026, 10, 9), 3, 10, 8, 7],
    ]
    sheet.write_row(0, 0, header)
    dates = book.add_format({"num_format": "yyyy-mm-dd"})
    for number, row in enumerate(rows, start=1):
        sheet.write_row(number, 0, row[:2])
        sheet.write_datetime(number, 2, datetime.combine(row[2], time()), dates)
        sheet.write_row(number, 3, row[3:])
    book.close()
    return path


def test_a_new_user_from_an_empty_store_to_a_ranked_list(browser, serve, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    print(f"\njourney screenshots: {SHOTS}")
    db = tmp_path / "career-fit.duckdb"
    with serve(db, tmp_path / "streamlit.log") as url:
        context = browser.new_context(viewport={"width": 1400, "height": 900}, accept_downloads=True)
        page = context.new_page()
        page.set_default_timeout(30_000)
        act = Actions(page)
        page.goto(url)
        page.get_by_text("Welcome!").first.wait_for()
        settle(page)
        shot(page, "01-welcome")

        # 1. a store of her own
        act.click(page.get_by_role("button", name="Start my own, empty"))
        settle(page)
        act.click(page.get_by_role("button", name="Yes, start empty"))
        page.get_by_text("Start here").first.wait_for()
        no_exception(page)
        shot(page, "02-empty-store")

        # 2. the profile, with one criterion of her own
        open_page(act, "My profile")
        add_form = page.locator("[data-testid='stForm']").filter(has=page.get_by_role("button", name="Add"))
        act.fill(add_form.get_by_label("Add a criterion"), OWN_CRITERION)
        act.click(add_form.get_by_role("button", name="Add"))
        message_stays(page, page.get_by_text(f"{OWN_CRITERION} added to your profile").first)
        settle(page)
        no_exception(page)
        expect(page.locator("[data-testid='stAlertContentError']")).to_have_count(0)
        shot(page, "03-profile")

        # 3. six contacts, one after another
        open_page(act, "Interviews")
        open_tab(act, "Contacts")
        form = page.locator("[data-testid='stForm']").filter(has=page.get_by_role("button", name="Add contact"))
        for name, found in CONTACTS:
            act.fill(form.get_by_label("Name"), name)
            act.choose("How you found them", found, scope=form)
            act.click(form.get_by_role("button", name="Add contact"))
            settle(page)
            expect(form.get_by_label("Name")).to_have_value("")
        no_exception(page)
        shot(page, "04-contacts")

        # 4. five of them in the pipeline, each for the career she wants to ask about
        open_tab(act, "Pipeline")  # an empty board: the form to add someone is open
        add = page.locator("[data-testid='stForm']").filter(has=page.get_by_role("button", name="Add to the pipeline"))
        for who, career, _ in INTERVIEWS:
            act.choose("Person", who, scope=add)
            settle(page)
            act.fill(add.get_by_label("... or a new career"), career)
            act.click(add.get_by_role("button", name="Add to the pipeline"))
            settle(page)
            message_stays(page, page.get_by_text(f"is in your pipeline for {career}").first)
        board = page.get_by_role("tabpanel", name="Pipeline")
        identified = board.locator("[data-testid='stColumn']").first
        for who, _, _ in INTERVIEWS:
            expect(identified).to_contain_text(who)  # everyone on the board, none pushed off
        no_exception(page)
        shot(page, "05-pipeline")

        # 5. five conversations, logged and rated: each completes its person's pipeline entry
        open_tab(act, "Log & rate")
        for number, (who, career, ratings) in enumerate(INTERVIEWS):
            if number == 0 or INTERVIEWS[number - 1][1] != career:
                act.choose("Career", career)
            else:
                act.choose("Interview", "New interview")
            settle(page)
            form = page.locator("[data-testid='stForm']").filter(has=page.get_by_role("textbox", name="Interviewee"))
            act.fill(form.get_by_role("textbox", name="Interviewee"), who)
            for criterion, value in ratings.items():
                group = form.get_by_role("radiogroup", name=criterion)
                act.click(group.get_by_role("radio", name=str(value), exact=True))
            if number == 1:
                shot(page, "06-log-and-rate")
            act.click(form.get_by_role("button", name="Save interview"))
            try:
                message_stays(page, page.get_by_text(re.compile(f"Interview with {who} saved")).first)
            except Exception:
                page.screenshot(path="/tmp/j_fail2.png", full_page=True)
                raise
            settle(page)
            expect(page.get_by_text("completes their pipeline entry").first).to_be_visible()
        no_exception(page)

        # 6. her expectations of a career nobody has talked to her about yet
        open_tab(act, "Expectations")
        act.choose("Career", "+ A new career…")
        act.fill(page.get_by_label("Name of the new career"), EXPECTED[0])
        act.press("Enter")
        settle(page)
        form = page.locator("[data-testid='stForm']").filter(has=page.get_by_role("button", name="Save expectations"))
        for criterion, value in EXPECTED[1].items():
            act.click(form.get_by_role("radiogroup", name=criterion).get_by_role("radio", name=str(value), exact=True))
        act.click(form.get_by_role("button", name="Save expectations"))
        message_stays(page, page.get_by_text(f"Expectations for {EXPECTED[0]} saved").first)
        no_exception(page)
        shot(page, "07-expectations")

        # 7. the sheet she kept in Excel, on a 1-10 scale
        open_page(act, "Data")
        act.upload(excel_sheet(tmp_path / "my-notes.xlsx"))
        page.get_by_text("reads as").first.wait_for()
        settle(page)
        act.click(page.get_by_text("1-10", exact=True))
        page.get_by_text("No problems found.").wait_for()
        settle(page)
        shot(page, "08-excel-preview")
        act.click(page.get_by_role("button", name="Import", exact=True))
        message_stays(page, page.get_by_text(re.compile(r"Imported my-notes\.xlsx")).first)
        settle(page)
        no_exception(page)

        # 8. the ranking, then her workbook downloaded and everything replaced with it
        open_page(act, "Overview")
        before = top_careers(page)
        interviews_before = metric(page, "Interviews")
        shot(page, "09-overview-ranked")
        open_page(act, "Data")
        with page.expect_download() as download:
            act.click(page.get_by_role("button", name="Everything (workbook .xlsx)"))
        workbook = tmp_path / "career-fit.xlsx"
        download.value.save_as(workbook)
        act.upload(workbook)
        page.get_by_text("reads as").first.wait_for()
        settle(page)
        act.click(page.get_by_text("Replace everything I have with this workbook"))
        settle(page)
        act.click(page.get_by_role("button", name="Import", exact=True))
        message_stays(page, page.get_by_text(re.compile(r"Imported career-fit\.xlsx")).first)
        settle(page)
        no_exception(page)
        shot(page, "10-round-trip")

        # the end: the same ranking, no duplicate interview, no lost contact
        open_page(act, "Overview")
        assert top_careers(page) == before
        assert interviews_before == metric(page, "Interviews") == str(len(INTERVIEWS) + 2)
        open_page(act, "Interviews")
        open_tab(act, "Pipeline")
        add = page.locator("[data-testid='stForm']").filter(has=page.get_by_role("button", name="Add to the pipeline"))
        if not add.is_visible():  # the form she used stays open for the session
            act.click(page.get_by_test_id("stExpander").get_by_text("Add someone to talk to"))
        act.click(add.get_by_role("combobox", name=re.compile("Person")))
        options = page.get_by_role("option")
        everyone = [name for name, _ in CONTACTS] + ["Priya Raman", "Jon Weiss"]  # the sheet's people too
        assert sorted(options.all_inner_texts()) == sorted(everyone)
        page.keyboard.press("Escape")
        no_exception(page)
        print(f"\nthe journey took {act.count} actions")
        assert act.count <= ACTION_BUDGET
