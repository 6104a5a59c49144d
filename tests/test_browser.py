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


def chart_numbers(page: Page, index: int = 0, kind: str = "two-thirds-chart") -> dict:
    chart = page.locator(f"svg.{kind}").nth(index)
    names = ("roll-call-id", "yea", "nay", "voting", "two-thirds-needed", "margin")
    if kind == "threshold-chart":
        names = ("roll-call-id", "threshold", "yea", "nay", "base", "needed", "margin", "carried")
    return {name: chart.get_attribute(f"data-{name}") for name in names}


def test_the_roll_call_page_names_the_vote_and_draws_it_against_its_threshold(
    page: Page, served_war_powers: str, tmp_path: Path
) -> None:
    page.goto("/votes/roll_calls/s84-116.2020")  # the redirect to s84-116~2E2020 included
    assert page.title() == "S.J.Res. 68 (116th): On Overriding the Veto: Veto Sustained, 49-44"
    assert page.locator("h1").inner_text().startswith("S.J.Res. 68 (116th): On Overriding")
    chart = page.locator("svg.threshold-chart")
    chart.wait_for(state="visible")
    assert chart.count() == 1
    assert chart_numbers(page, kind="threshold-chart") == {
        "roll-call-id": "s84-116.2020",
        "threshold": "two_thirds_voting",
        "yea": "49",
        "nay": "44",
        "base": "93",
        "needed": "62",
        "margin": "-13",
        "carried": "0",
    }
    assert "it needed two thirds: 62 of 93 voting" in chart.locator("title").text_content()
    for label, text in (
        ("yea-label", "Yea 49"),
        ("nay-label", "Nay 44"),
        ("needed-label", "two thirds: 62 of 93 voting"),
        ("verdict", "13 short of two thirds: 13 nays would have had to switch. Veto Sustained."),
    ):
        assert chart.locator(f"text.{label}").text_content() == text
    assert chart.locator("text.two-thirds-reading").count() == 0  # its own threshold
    yeas = chart.locator("rect.yea-bar").bounding_box()
    line = chart.locator("line.threshold-line").bounding_box()
    nays = chart.locator("rect.nay-bar").bounding_box()
    assert yeas and line and nays
    # drawn to scale: the yeas stop short of the line, 62/93 of the way along the bar
    assert yeas["x"] + yeas["width"] < line["x"] < nays["x"] + nays["width"]
    assert (
        round((line["x"] + line["width"] / 2 - yeas["x"]) * 93 / (yeas["width"] + nays["width"]))
        == 62
    )
    split = page.locator("table.party-split-table tbody tr")
    assert split.count() == 3  # D, R, I: each party's yeas and nays
    assert page.locator("td.col-measure_id a").inner_text() == "S.J.Res. 68 (116th)"
    assert (
        page.locator("td.col-source_id a")
        .get_attribute("href")
        .startswith("https://www.senate.gov/legislative/LIS/roll_call_votes/")
    )
    assert HOSTS == {urlsplit(served_war_powers).netloc}  # nothing from a CDN or elsewhere
    shot = tmp_path / "roll-call-s84-116.2020.png"
    chart.screenshot(path=str(shot))
    page.screenshot(path=str(tmp_path / "roll-call-page.png"), full_page=True)
    assert shot.stat().st_size > 2000
    keep = os.environ.get("VOTES_SCREENSHOTS")
    if keep:
        shutil.copy(shot, Path(keep) / shot.name)


def test_a_majority_vote_keeps_the_two_thirds_reading_as_a_second_line(page: Page) -> None:
    page.goto("/votes/roll_calls/s52-116.2020")
    chart = page.locator("svg.threshold-chart")
    chart.wait_for(state="visible")
    assert chart.locator("text.needed-label").text_content() == "a majority: 51 of 100 voting"
    assert chart.locator("text.verdict").text_content() == (
        "Majority reached with 4 to spare. Joint Resolution Passed."
    )
    assert chart.locator("text.two-thirds-reading").text_content() == (
        "Two thirds (a veto override's threshold) of 100 voting would be 67: 12 short."
    )


def test_the_measure_page_shows_every_vote_on_it(
    page: Page, tmp_path: Path, war_powers_db: Path
) -> None:
    with sqlite3.connect(war_powers_db) as connection:
        query = "SELECT id FROM measures WHERE label = 'S.J.Res. 68 (116th)'"
        (sjres68,) = connection.execute(query).fetchone()
    page.goto(f"/votes/measures/{sjres68}")
    page.locator("svg.threshold-chart").first.wait_for(state="visible")
    count = page.locator("svg.threshold-chart").count()
    found = [chart_numbers(page, i, "threshold-chart") for i in range(count)]
    assert [
        (c["roll-call-id"], c["threshold"], c["yea"], c["nay"], c["needed"], c["margin"])
        for c in found
    ] == [
        ("s52-116.2020", "majority", "55", "45", "51", "4"),
        ("h101-116.2020", "majority", "227", "186", "207", "20"),
        ("s84-116.2020", "two_thirds_voting", "49", "44", "62", "-13"),
    ]
    page.screenshot(path=str(tmp_path / "measure-sjres68.png"), full_page=True)


def test_the_home_page_is_organised_by_questions_and_searches(page: Page) -> None:
    page.goto("/")
    questions = page.locator("section.question h2").all_inner_texts()
    assert questions[:4] == [
        "How did a member vote?",
        "Every veto, and how close each override came",
        "The closest votes",
        "Who missed votes, and who broke with their party?",
    ]
    page.fill("#votes-search-input", "Bernie")
    page.click("form.votes-search input[type=submit]")
    page.wait_for_url("**/search_entries?_search=Bernie*")
    result = page.locator("td.col-title a")
    assert result.all_inner_texts() == ["Bernard Sanders"]
    result.click()
    page.wait_for_url("**/votes/members/S000033")
    assert page.title() == "Bernard Sanders (I, VT)"


def test_a_member_page_shows_each_congress_and_leads_to_every_vote(page: Page) -> None:
    page.goto("/votes/members/S000033")
    rows = page.locator("table.member-stats-table tbody tr")
    assert rows.count() == 2  # the 116th Congress and the career
    assert rows.nth(0).locator("td").all_inner_texts()[:7] == [
        "116",
        "senate",
        "I",
        "VT",
        "2",
        "1",
        "50",
    ]
    csv_link = page.get_by_role("link", name="Every vote as CSV")
    assert csv_link.get_attribute("href") == (
        "/votes/member_votes.csv?member_id=S000033&_stream=on&_dl=1"
    )
    page.get_by_role("link", name="Every vote, newest first").click()
    page.wait_for_url("**/votes/member_votes?member_id=S000033*")
    cells = page.locator("table.rows-and-columns td.col-roll_call_id a").all_inner_texts()
    assert cells == ["s84-116.2020", "s52-116.2020"]
    assert page.locator("td.col-threshold").first.inner_text() == "two_thirds_voting"


def test_an_override_math_row_is_drawn_too(page: Page) -> None:
    page.goto("/votes/override_math?roll_call_id=h101-116.2020")
    page.locator("svg.two-thirds-chart").wait_for(state="visible")
    assert chart_numbers(page)["two-thirds-needed"] == "276"
    assert page.locator("table.rows-and-columns td.col-margin").first.inner_text() == "-49"
