"""The two-thirds chart in a real browser: Debian's chromium, driven by Playwright, loads pages
from a served `votes serve`, checks the chart and its numbers, and saves screenshots.

No skip: without /usr/bin/chromium the test fails (install Debian's `chromium` package).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

CHROMIUM = Path(os.environ.get("VOTES_CHROMIUM", "/usr/bin/chromium"))
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} not found: install Debian's chromium package")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


HOSTS: set[str] = set()  # every host the current page has requested anything from


@pytest.fixture
def page(browser: Browser, served_war_powers: str) -> Iterator[Page]:
    """A fresh page on the served publication that records the host of every request."""
    context = browser.new_context(
        base_url=served_war_powers, viewport={"width": 1100, "height": 900}
    )
    page = context.new_page()
    HOSTS.clear()
    page.on("request", lambda request: HOSTS.add(urlsplit(request.url).netloc))
    yield page
    context.close()


def chart_numbers(page: Page, index: int = 0) -> dict[str, str | None]:
    chart = page.locator("svg.two-thirds-chart").nth(index)
    return {
        name: chart.get_attribute(f"data-{name}")
        for name in ("roll-call-id", "yea", "nay", "voting", "two-thirds-needed", "margin")
    }


def test_the_roll_call_page_shows_the_yeas_short_of_two_thirds(
    page: Page, served_war_powers: str, tmp_path: Path
) -> None:
    page.goto("/votes/roll_calls/s84-116.2020")  # the redirect to s84-116~2E2020 included
    chart = page.locator("svg.two-thirds-chart")
    chart.wait_for(state="visible")
    assert chart.count() == 1
    assert chart_numbers(page) == {
        "roll-call-id": "s84-116.2020",
        "yea": "49",
        "nay": "44",
        "voting": "93",
        "two-thirds-needed": "62",
        "margin": "-13",
    }
    assert "two thirds of 93 voting is 62; 13 short" in chart.locator("title").text_content()
    for label, text in (
        ("yea-label", "Yea 49"),
        ("nay-label", "Nay 44"),
        ("needed-label", "two thirds: 62 of 93 voting"),
        ("verdict", "13 short of two thirds: 13 nays would have had to switch."),
    ):
        assert chart.locator(f"text.{label}").text_content() == text
    yeas = chart.locator("rect.yea-bar").bounding_box()
    line = chart.locator("line.two-thirds-line").bounding_box()
    nays = chart.locator("rect.nay-bar").bounding_box()
    assert yeas and line and nays
    # drawn to scale: the yeas stop short of the line, 62/93 of the way along the bar
    assert yeas["x"] + yeas["width"] < line["x"] < nays["x"] + nays["width"]
    assert (
        round((line["x"] + line["width"] / 2 - yeas["x"]) * 93 / (yeas["width"] + nays["width"]))
        == 62
    )
    assert HOSTS == {urlsplit(served_war_powers).netloc}  # nothing from a CDN or elsewhere
    shot = tmp_path / "roll-call-s84-116.2020.png"
    chart.screenshot(path=str(shot))
    page.screenshot(path=str(tmp_path / "roll-call-page.png"), full_page=True)
    assert shot.stat().st_size > 2000
    keep = os.environ.get("VOTES_SCREENSHOTS")
    if keep:
        shutil.copy(shot, Path(keep) / shot.name)


def test_the_measure_page_shows_every_vote_on_it(
    page: Page, tmp_path: Path, war_powers_db: Path
) -> None:
    with sqlite3.connect(war_powers_db) as connection:
        query = "SELECT id FROM measures WHERE label = 'S.J.Res. 68 (116th)'"
        (sjres68,) = connection.execute(query).fetchone()
    page.goto(f"/votes/measures/{sjres68}")
    page.locator("svg.two-thirds-chart").first.wait_for(state="visible")
    found = [chart_numbers(page, i) for i in range(page.locator("svg.two-thirds-chart").count())]
    assert [
        (c["roll-call-id"], c["yea"], c["nay"], c["two-thirds-needed"], c["margin"]) for c in found
    ] == [
        ("s52-116.2020", "55", "45", "67", "-12"),
        ("h101-116.2020", "227", "186", "276", "-49"),
        ("s84-116.2020", "49", "44", "62", "-13"),
    ]
    page.screenshot(path=str(tmp_path / "measure-sjres68.png"), full_page=True)


def test_an_override_math_row_is_drawn_too(page: Page) -> None:
    page.goto("/votes/override_math?roll_call_id=h101-116.2020")
    page.locator("svg.two-thirds-chart").wait_for(state="visible")
    assert chart_numbers(page)["two-thirds-needed"] == "276"
    assert page.locator("table.rows-and-columns td.col-margin").first.inner_text() == "-49"
