"""Selectors in headless Chromium: labels follow the data without a reload (issue 13: stale labels after a rename
or a stage change), and the pickers that should not redraw the whole page ask for a fragment's rerun only.

A rename in the Contacts tab shows at once in its "Add or edit" selector; a stage change made in the Prepare
tab shows at once in Prepare's "Interview" selector and in Log & rate's. The fragments are checked on the wire:
the rerun request the browser sends when a picker changes names the fragment it belongs to (an empty fragment
id would be a rerun of the whole page). The test adds its own contact and career, so the demo data other
browser tests read stays as it was.
"""

from __future__ import annotations

import re

import pytest
from browser_tools import no_exception, open_tab, settle

pytestmark = pytest.mark.browser

PERSON = "Imogen Vale"
RENAMED = "Imogen Vale-Okafor"
CAREER = "Cartographer"


def pick(page, label: str, option: str, *, within=None) -> None:
    """Choose ``option`` in the select box ``label`` (typing filters the options)."""
    box = (within or page).get_by_role("combobox", name=label, exact=True)
    from playwright.sync_api import expect

    box.click()
    box.fill(option)  # filters the options (and opens the list where a click alone leaves it closed)
    page.get_by_role("option", name=option, exact=True).wait_for()
    page.keyboard.press("Enter")  # the first match, focused (steadier than a click while the list animates)
    settle(page)
    expect(box).to_have_value(option)


def test_a_renamed_contact_and_a_moved_interview_show_their_new_labels_at_once(page, app_url: str) -> None:
    from playwright.sync_api import expect

    page.goto(f"{app_url}/interviews")
    page.locator("[data-testid='stMain'] h1").filter(has_text="Interviews").first.wait_for()
    settle(page)

    open_tab(page, "Contacts")
    add = page.locator("[data-testid='stForm']").filter(has=page.get_by_role("button", name="Add contact"))
    add.get_by_label("Name").fill(PERSON)
    add.get_by_role("button", name="Add contact").click()
    settle(page)
    no_exception(page)

    # rename: pick the contact, change the name, save; the selector shows the new name without a reload
    pick(page, "Add or edit", PERSON)
    edit = page.locator("[data-testid='stForm']").filter(has=page.get_by_role("button", name="Save contact"))
    edit.get_by_label("Name").fill(RENAMED)
    edit.get_by_role("button", name="Save contact").click()
    settle(page)
    no_exception(page)
    expect(page.get_by_role("combobox", name="Add or edit")).to_have_value(RENAMED)

    # into the pipeline for a new career: Prepare's selector names the stage
    open_tab(page, "Pipeline")
    page.get_by_text("Add someone to talk to").click()
    pick(page, "Person", RENAMED)
    page.get_by_label("... or a new career").fill(CAREER)
    page.get_by_role("button", name="Add to the pipeline").click()
    settle(page)
    no_exception(page)

    open_tab(page, "Prepare")
    expect(page.get_by_role("combobox", name="Interview")).to_have_value(
        re.compile(rf"^{re.escape(RENAMED)} - {CAREER} \(identified")
    )

    # a stage change from Prepare's own form: its selector shows the new stage without a reload
    page.get_by_role("tab", name="Stage and calendar").click()
    stage_tab = page.get_by_role("tabpanel", name="Stage and calendar")
    pick(page, "Move to", "Requested", within=stage_tab)
    stage_tab.get_by_role("button", name="Move", exact=True).click()
    settle(page)
    no_exception(page)
    expect(page.get_by_role("combobox", name="Interview")).to_have_value(
        re.compile(rf"^{re.escape(RENAMED)} - {CAREER} \(requested")
    )

    # and Log & rate's interview selector names the new stage too
    open_tab(page, "Log & rate")
    pick(page, "Career", CAREER)
    options = page.get_by_role("combobox", name="Interview")
    options.click()
    expect(page.get_by_role("option").filter(has_text=RENAMED)).to_contain_text("requested, not rated")
    page.keyboard.press("Escape")


def test_pickers_rerun_their_fragment_only(page, app_url: str) -> None:
    """Log & rate's and Expectations' career pickers, Career fit's detail picker and the Data page's backup
    picker send a rerun request for their fragment, not for the whole page."""
    from playwright.sync_api import expect
    from streamlit.proto.BackMsg_pb2 import BackMsg

    reruns: list[str] = []  # the fragment id of each rerun request the browser sends ("" = the whole page)

    def on_frame(payload: bytes | str) -> None:
        if isinstance(payload, bytes):
            message = BackMsg()
            message.ParseFromString(payload)
            if message.WhichOneof("type") == "rerun_script":
                reruns.append(message.rerun_script.fragment_id)

    page.on("websocket", lambda socket: socket.on("framesent", on_frame))

    def fragment_rerun(action) -> None:
        reruns.clear()
        action()
        for _ in range(100):  # the request leaves the browser a moment after the click (up to 10 s under load)
            if reruns:
                break
            page.wait_for_timeout(100)
        settle(page)
        no_exception(page)
        assert reruns and all(reruns), f"expected a fragment rerun, got {reruns!r}"

    page.goto(f"{app_url}/interviews")
    page.locator("[data-testid='stMain'] h1").filter(has_text="Interviews").first.wait_for()
    settle(page)
    fragment_rerun(lambda: pick(page, "Career", "UX Researcher"))
    open_tab(page, "Expectations")
    fragment_rerun(lambda: pick(page, "Career", "Data Scientist"))

    page.goto(f"{app_url}/career_fit")
    page.locator("[data-testid='stMain'] h1").filter(has_text="Career fit").first.wait_for()
    settle(page)
    detail = page.get_by_role("combobox", name="Career", exact=True)
    target = "UX Researcher" if detail.input_value() != "UX Researcher" else "Clinical Psychologist"
    fragment_rerun(lambda: pick(page, "Career", target))
    expect(detail).to_have_value(target)

    page.goto(f"{app_url}/data")
    page.locator("[data-testid='stMain'] h1").filter(has_text="Data").first.wait_for()
    settle(page)
    for _ in range(2):  # two backups to choose between; the button is in the fragment too
        page.wait_for_timeout(1100)  # a second apart: a backup's label names its second
        fragment_rerun(page.get_by_role("button", name="Back up now").click)
    backup = page.get_by_role("combobox", name="Backup", exact=True)
    current = backup.input_value()  # the backup just made
    backup.click()
    backup.fill("kept on request")  # both backups are; typing opens the list
    fragment_rerun(page.get_by_role("option").filter(has_not_text=current).first.click)
    expect(backup).not_to_have_value(current)
