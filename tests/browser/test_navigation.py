"""Every page's own address opens that page inside the app's navigation, in headless Chromium.

Streamlit treats a ``pages/`` folder as a legacy multipage app until ``st.navigation`` first runs in the
server process: on a fresh server, a first visitor opening ``/interviews`` directly used to get that page
without ``app.py`` and a sidebar listing every file of ``pages/`` (``common`` included). ``pages/__init__.py``
turns that first run into a run of ``app.py``; the fresh-server test below guards it.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from browser_tools import IDLE

pytestmark = pytest.mark.browser

NAVIGATION = ["Overview", "My profile", "Interviews", "Career fit", "Explore next", "Discover", "Data"]
PAGES = [  # (address, the page's title)
    ("", "Career Fit"),
    ("profile", "My profile"),
    ("interviews", "Interviews"),
    ("career_fit", "Career fit"),
    ("explore", "Explore next"),
    ("discover", "Discover"),
    ("data", "Data"),
]


def open_page(page, url: str, title: str) -> None:
    page.goto(url)
    page.locator("[data-testid='stMain'] h1").filter(has_text=title).first.wait_for(timeout=60_000)
    page.wait_for_selector(IDLE)
    page.wait_for_timeout(250)
    page.wait_for_selector(IDLE)


def navigation_labels(page) -> list[str]:
    """The labels of the sidebar's page links (each link also holds its icon's name, on a line of its own)."""
    links = page.locator("[data-testid='stSidebarNav'] a").all_inner_texts()
    return [[line for line in text.splitlines() if line.strip()][-1].strip() for text in links]


def assert_app_navigation(page, title: str) -> None:
    labels = navigation_labels(page)
    assert labels == NAVIGATION, labels
    assert not any(label.casefold() in ("common", "app", "sections") for label in labels)
    sidebar = page.locator("[data-testid='stSidebar']")
    assert "Data stored" in sidebar.inner_text()  # drawn by app.py: the page ran inside the app's frame
    assert page.locator("[data-testid='stException']").count() == 0
    assert page.locator("[data-testid='stMain'] h1").first.inner_text() == title


@pytest.fixture(scope="module")
def fresh_app_url(serve, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server of its own, so that the deep link below is the very first request it answers."""
    db = tmp_path_factory.mktemp("navigation-store") / "career-fit.duckdb"
    with serve(db, tmp_path_factory.getbasetemp() / "streamlit-navigation.log") as url:
        yield url


def test_a_deep_link_as_the_first_request_of_a_fresh_server_gets_the_apps_navigation(
    browser, fresh_app_url: str
) -> None:
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.set_default_timeout(30_000)
    try:
        open_page(page, f"{fresh_app_url}/interviews", "Interviews")
        assert_app_navigation(page, "Interviews")
    finally:
        context.close()


@pytest.mark.parametrize(("address", "title"), PAGES, ids=[a or "overview" for a, _ in PAGES])
def test_every_page_address_shows_the_apps_navigation(page, app_url: str, address: str, title: str) -> None:
    open_page(page, f"{app_url}/{address}", title)
    assert_app_navigation(page, title)
    current = page.locator("[data-testid='stSidebarNav'] a[aria-current='page']")
    expected = NAVIGATION[[t for _, t in PAGES].index(title)]
    assert current.count() == 1 and current.inner_text().splitlines()[-1].strip() == expected
