"""The web chat in a real browser: Debian's Chromium, headless, driven by Playwright.

Skipped, with the reason, where Chromium or Playwright is missing; `EIG_REQUIRE_BROWSER=1` (set by
`.ci/run`, which installs Chromium) makes that a failure, so CI always runs them. Screenshots of
the page on a desktop and on a phone go to `build/test-output/`.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from bot_process import ROOT
from conftest import HESITANT
from web_process import WebProcess, web_process

from bot.engine import Decision
from bot.knowledge.markup import french_spacing as spaced
from bot.replies import render
from bot.staff.questionlog import DB_NAME

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = ROOT / "build" / "test-output"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
ANSWER = ".message--bot >> nth=-1"


def _chromium() -> str | None:
    return shutil.which("chromium") or next(
        (p for p in ("/usr/bin/chromium", "/usr/bin/chromium-browser") if Path(p).exists()), None
    )


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        sync_playwright = None
    path = _chromium()
    reason = None
    if sync_playwright is None:
        reason = "Playwright is not installed (make setup installs it with the dev extra)"
    elif path is None:
        reason = "no Chromium on this machine (make browser installs Debian's package)"
    if reason is not None:
        if os.environ.get("EIG_REQUIRE_BROWSER") == "1":
            pytest.fail(f"EIG_REQUIRE_BROWSER=1 but {reason}")
        pytest.skip(reason)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def web(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebProcess]:
    with web_process(tmp_path_factory.mktemp("web")) as process:
        yield process


class Visit:
    """One page in a fresh browser context, and every request it made."""

    def __init__(self, browser: Any, web: WebProcess, viewport: dict[str, int]) -> None:
        self.context = browser.new_context(viewport=viewport, locale="fr-FR")
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.goto(web.url)

    def ask(self, question: str) -> Any:
        """Type a question, press Enter, wait for the new answer; the answer's element."""
        count = self.page.locator(".message--bot").count()
        self.page.fill("#question", question)
        self.page.press("#question", "Enter")
        self.page.locator(".message--bot").nth(count).wait_for()
        return self.page.locator(ANSWER)

    def focused(self) -> dict[str, Any]:
        return self.page.evaluate(
            """() => {
                const e = document.activeElement;
                return {tag: e.tagName, id: e.id, text: e.textContent.trim(),
                        cls: e.className, outline: getComputedStyle(e).outlineStyle,
                        inAnswer: !!e.closest('.message--bot:last-of-type')};
            }"""
        )


@pytest.fixture
def desktop(browser: Any, web: WebProcess) -> Iterator[Visit]:
    visit = Visit(browser, web, DESKTOP)
    yield visit
    visit.context.close()


@pytest.fixture
def phone(browser: Any, web: WebProcess) -> Iterator[Visit]:
    visit = Visit(browser, web, PHONE)
    yield visit
    visit.context.close()


def logged(web: WebProcess, sql: str, expected: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """The rows `sql` finds in the question log, once they are `expected` or after 5 s: the log
    is written in the background, just after the reply."""
    deadline = time.monotonic() + 5
    while True:
        with sqlite3.connect(web.folder / "data" / DB_NAME) as db:
            rows = db.execute(sql).fetchall()
        if rows == expected or time.monotonic() > deadline:
            return rows
        time.sleep(0.05)


def test_ask_read_the_answer_and_vote(desktop: Visit, web: WebProcess) -> None:
    page = desktop.page
    page.locator(".message--bot .choice", has_text="Candidater").wait_for()  # the welcome
    answer = desktop.ask("c koi la paye")
    assert page.locator(".message--user").last.inner_text().endswith("c koi la paye")
    assert spaced("4 000 € net par mois") in answer.inner_text()
    assert answer.locator("li").count() >= 2  # the answer's list is a real list
    link = answer.locator("a").first
    assert link.get_attribute("target") == "_blank"
    assert link.get_attribute("rel") == "noopener noreferrer"
    assert answer.get_by_text(spaced("Voir aussi :")).is_visible()
    answer.get_by_role("button", name="Utile", exact=True).click()
    thanks = answer.locator(".votes__thanks")
    thanks.wait_for()
    assert thanks.inner_text() == render.vote_thanks_notice(useful=True)
    expected = [("remuneration", 1, 1)]
    assert logged(web, "SELECT entry_id, useful, count FROM votes", expected) == expected
    page.get_by_text(spaced("Vos données : pas de cookie")).click()  # the privacy notice opens
    assert page.get_by_text("Cette page ne dépose aucun cookie").is_visible()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "web-desktop.png"), full_page=True)


def test_tap_a_suggestion(desktop: Visit, web: WebProcess, hesitation: Decision) -> None:
    answer = desktop.ask(HESITANT)
    choices = answer.get_by_role("list", name="Choix proposés").get_by_role("button")
    assert choices.count() == len(hesitation.suggestions)
    label = choices.nth(1).inner_text()
    choices.nth(1).click()
    desktop.page.locator(".message--bot").nth(-1).get_by_text(
        "Cette réponse vous a-t-elle"
    ).wait_for()
    assert desktop.page.locator(".message--user").last.inner_text().endswith(label)
    assert desktop.focused()["inAnswer"]  # focus follows the tap to the new answer
    expected = [(HESITANT, hesitation.suggestions[1].id)]
    sql = f"SELECT text, chosen FROM questions WHERE text = '{HESITANT}'"
    assert logged(web, sql, expected) == expected


def test_keyboard_only_on_a_phone(phone: Visit) -> None:
    page = phone.page
    page.keyboard.press("Tab")
    assert phone.focused()["text"] == "Aller à la saisie de la question"
    page.keyboard.press("Enter")
    assert phone.focused()["id"] == "question"
    page.keyboard.type("quel est le salaire ?")
    page.keyboard.press("Enter")
    page.locator(".message--bot").nth(1).get_by_role("button", name="Pas utile").wait_for()
    assert phone.focused()["id"] == "question"  # ready for the next question
    page.keyboard.press("Shift+Tab")
    assert phone.focused()["text"] == "Pas utile"
    assert phone.focused()["outline"] == "solid"  # the focus ring shows
    page.keyboard.press("Shift+Tab")
    assert phone.focused()["text"] == "Utile"
    page.keyboard.press("Enter")
    page.locator(".votes__thanks").wait_for()
    assert phone.focused()["text"] == render.vote_thanks_notice(useful=True)
    page.keyboard.press("Shift+Tab")  # the last "Voir aussi" button
    related = phone.focused()["text"]
    assert related and phone.focused()["tag"] == "BUTTON"
    page.keyboard.press("Enter")
    page.locator(".message--bot").nth(2).wait_for()
    assert related in page.locator(".message--user").last.inner_text()
    assert phone.focused()["inAnswer"]
    page.keyboard.press("Tab")
    assert phone.focused()["inAnswer"] and phone.focused()["tag"] in {"A", "BUTTON"}
    width = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1]  # no sideways scrolling on a phone
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "web-phone.png"), full_page=True)


def test_screen_reader_landmarks_and_errors(desktop: Visit) -> None:
    page = desktop.page
    log = page.get_by_role("log", name="Conversation avec EIG Bot")
    assert log.get_attribute("aria-live") == "polite"
    assert page.get_by_label("Votre question").get_attribute("id") == "question"
    page.press("#question", "Enter")  # nothing typed
    alert = page.get_by_role("alert")
    assert alert.is_visible() and "Écrivez votre question" in alert.inner_text()
    desktop.ask("salaire")
    assert not alert.is_visible()


def test_no_cookie_and_no_request_elsewhere(desktop: Visit, web: WebProcess) -> None:
    desktop.ask("comment candidater")
    assert desktop.context.cookies() == []
    assert desktop.requests and all(url.startswith(web.url) for url in desktop.requests)
    assert desktop.page.evaluate("() => [localStorage.length, sessionStorage.length]") == [0, 0]
