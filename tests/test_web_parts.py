"""The web channel's small parts: rate limit, feedback tickets, page HTML from replies."""

from __future__ import annotations

import pytest

from bot.knowledge import KnowledgeBase
from bot.replies import render
from bot.web.answers import reply_json, web_html
from bot.web.page import script_json
from bot.web.ratelimit import RateLimiter, RateLimits
from bot.web.tickets import Tickets


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_the_rate_limit_is_per_client_and_says_how_long_to_wait() -> None:
    clock = Clock()
    limiter = RateLimiter(RateLimits(requests=2, window=10.0), clock=clock)
    assert limiter.check("a") is None
    clock.now += 4
    assert limiter.check("a") is None
    assert limiter.check("b") is None  # another client is not held up
    assert limiter.check("a") == 6  # the first request leaves the window in 6 s
    clock.now += 6.5
    assert limiter.check("a") is None


def test_the_rate_limit_forgets_the_least_recent_clients_first() -> None:
    limiter = RateLimiter(RateLimits(requests=1, window=60.0), clock=Clock())
    limiter.MAX_CLIENTS = 3
    for client in "abcd":
        assert limiter.check(client) is None
    assert len(limiter) == 3
    assert limiter.check("a") is None  # forgotten, so counted afresh
    assert limiter.check("d") is not None


async def logged(question_id: int) -> int | None:
    return question_id


def test_a_ticket_votes_once_and_chooses_once_among_what_was_offered() -> None:
    tickets = Tickets(clock=Clock())
    question = logged(7)
    answer = tickets.issue(entry_id="contrat")
    suggestion = tickets.issue(entry_id=None, question=question, offered=("a", "b"))
    assert answer and suggestion and answer != suggestion
    assert tickets.vote(answer) == "contrat"
    assert tickets.vote(answer) is None
    assert tickets.vote(suggestion) is None  # no entry to vote on
    assert tickets.choose(suggestion, "c") is None  # never offered
    assert tickets.choose(suggestion, "b") is question
    assert tickets.choose(suggestion, "a") is None
    assert len(tickets) == 0  # both spent, both forgotten
    question.close()


def test_nothing_to_record_means_no_ticket() -> None:
    tickets = Tickets()
    question = logged(3)
    assert tickets.issue(entry_id=None) is None
    assert tickets.issue(entry_id=None, question=question) is None  # a fallback: nothing offered
    question.close()


def test_tickets_expire_and_are_bounded() -> None:
    clock = Clock()
    tickets = Tickets(ttl=60.0, capacity=2, clock=clock)
    old = tickets.issue(entry_id="a")
    clock.now += 61
    assert old is not None and tickets.vote(old) is None
    issued = [tickets.issue(entry_id=name) for name in "bcd"]
    assert len(tickets) == 2
    assert issued[0] is not None and tickets.vote(issued[0]) is None  # the oldest went first
    assert issued[2] is not None and tickets.vote(issued[2]) == "d"


@pytest.mark.parametrize(
    ("telegram", "page"),
    [
        ("Bonjour", "<p>Bonjour</p>"),
        ("Un\ndeux\n\nTrois", "<p>Un<br>deux</p><p>Trois</p>"),
        (
            "Liste :\n\n• <b>un</b>\n• deux",
            "<p>Liste :</p><ul><li><b>un</b></li><li>deux</li></ul>",
        ),
        ("&lt;script&gt; • pas une puce", "<p>&lt;script&gt; • pas une puce</p>"),
        ('<a href="https://x.fr">x</a>', '<p><a href="https://x.fr">x</a></p>'),
    ],
)
def test_paragraphs_and_bullets_become_page_html(telegram: str, page: str) -> None:
    assert web_html(telegram) == page


def test_every_reply_of_the_base_renders_to_balanced_html(knowledge: KnowledgeBase) -> None:
    for entry in knowledge.entries:
        found = reply_json(render.render_entry(entry, knowledge), status="answer", feedback=None)
        html = found["html"]
        for tag in ("p", "ul", "li", "b", "a"):
            assert html.count(f"<{tag}>") + html.count(f"<{tag} ") == html.count(f"</{tag}>")
        assert "<script" not in html.lower()


def test_json_inside_a_script_element_cannot_close_it() -> None:
    text = script_json({"html": "</script><script>alert(1)</script>"})
    assert "</script>" not in text and "<" not in text
