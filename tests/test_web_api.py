"""The web API as a page or a site's script uses it: answers, buttons, votes, refusals, privacy."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from conftest import HESITANT
from starlette.testclient import TestClient

from bot.config import Settings
from bot.engine import Decision, Index
from bot.knowledge import KnowledgeBase
from bot.knowledge.markup import french_spacing as spaced
from bot.replies import render
from bot.staff.holder import IndexHolder
from bot.staff.questionlog import QuestionLog
from bot.staff.recorder import Recorder
from bot.web.app import create_app
from bot.web.chat import WebChat
from bot.web.ratelimit import RateLimiter, RateLimits

CONVERSATION = "k3x9q2m7p1z8"
SITE = "https://entrepreneur-interet-general.etalab.gouv.fr"
LONG_AGO = datetime.now(UTC) - timedelta(days=1)


@pytest.fixture
def log() -> Iterator[QuestionLog]:
    opened = QuestionLog.open(Settings.from_env())
    yield opened
    opened.close()


@pytest.fixture
def chat(index: Index, log: QuestionLog) -> Iterator[WebChat]:
    """The web chat, its question log behind the same recorder as the running bot's."""
    settings = Settings.from_env()
    recorder = Recorder(lambda clock: QuestionLog.open(settings, clock=clock))
    recorder.start()
    yield WebChat(IndexHolder(index), recorder, retention_days=90)
    recorder.stop(5)


def written(chat: WebChat) -> None:
    """Wait until the chat's queued records are in the log."""
    assert chat.recorder is not None and chat.recorder.flush(5)


@pytest.fixture
def client(chat: WebChat) -> Iterator[TestClient]:
    with TestClient(create_app(chat, allowed_origins=[SITE])) as test_client:
        yield test_client


def ask(client: TestClient, question: str, conversation: str | None = CONVERSATION) -> dict:
    body = {"question": question}
    if conversation is not None:
        body["conversation"] = conversation
    response = client.post("/api/ask", json=body)
    assert response.status_code == 200, response.text
    return response.json()


def test_a_question_gets_the_same_answer_as_on_telegram(client: TestClient, index: Index) -> None:
    found = ask(client, "c koi la paye")
    entry = index.knowledge.by_id["remuneration"]
    reply = render.render_entry(entry, index.knowledge)
    assert found["status"] == "answer" and found["entry"] == "remuneration"
    assert found["text"] == reply.plain.removesuffix(render.SEE_ALSO_PLAIN)
    assert f"<b>{spaced('4 000 € net par mois')}</b>" in found["html"]
    assert found["html"].startswith("<p>") and "<ul><li>" in found["html"]
    assert "Voir aussi" not in found["html"]  # the page labels the related buttons itself
    assert [r["target"] for r in found["related"]] == list(entry.related)
    assert all(r["action"] == "entry" and r["label"] for r in found["related"])
    assert found["suggestions"] == []
    assert found["feedback"]  # the ticket for the votes


def test_the_conversation_is_remembered_in_memory_for_follow_ups(
    client: TestClient, chat: WebChat
) -> None:
    ask(client, "quel est le salaire ?")
    assert chat.dialogues.last(CONVERSATION) == ("remuneration",)
    ask(client, "le contrat", conversation=None)  # without an id: a question alone
    assert len(chat.dialogues) == 1


def test_a_hesitation_offers_suggestions_and_notes_the_one_tapped_once(
    client: TestClient, chat: WebChat, log: QuestionLog, hesitation: Decision
) -> None:
    found = ask(client, HESITANT)
    assert found["status"] == "suggest" and found["entry"] is None
    offered = [s["target"] for s in found["suggestions"]]
    assert offered == [entry.id for entry in hesitation.suggestions]
    assert found["related"] == []
    body = {"action": "entry", "target": offered[1], "feedback": found["feedback"]}
    opened = client.post("/api/open", json={**body, "conversation": CONVERSATION})
    assert opened.status_code == 200
    assert opened.json()["entry"] == offered[1] and opened.json()["status"] == "answer"
    # Tapping another suggestion of the same reply does not change what was noted.
    client.post("/api/open", json={**body, "target": offered[0]})
    written(chat)
    [question] = log.questions(LONG_AGO)
    assert question.text == HESITANT and question.chosen == offered[1]


def test_a_forged_ticket_notes_nothing(
    client: TestClient, chat: WebChat, log: QuestionLog, hesitation: Decision
) -> None:
    found = ask(client, HESITANT)
    target = found["suggestions"][0]["target"]
    forged = {"action": "entry", "target": target, "feedback": "AAAAAAAAAAAAAAAA"}
    assert client.post("/api/open", json=forged).status_code == 200  # the answer, still
    other = next(e.id for e in chat.index.entries if e.id not in hesitation.offered_ids)
    not_offered = {"action": "entry", "target": other, "feedback": found["feedback"]}
    assert client.post("/api/open", json=not_offered).status_code == 200
    written(chat)
    [question] = log.questions(LONG_AGO)
    assert question.chosen is None


def test_a_topic_button_lists_its_questions(client: TestClient) -> None:
    opened = client.post("/api/open", json={"action": "topic", "target": "candidature"})
    assert opened.status_code == 200
    found = opened.json()
    assert found["status"] == "topic" and found["entry"] is None
    assert found["suggestions"] and found["feedback"] is None


def test_one_vote_per_answer(client: TestClient, chat: WebChat, log: QuestionLog) -> None:
    found = ask(client, "quel est le salaire ?")
    vote = {"feedback": found["feedback"], "useful": False}
    first = client.post("/api/vote", json=vote)
    assert first.status_code == 200
    assert first.json()["message"] == render.vote_thanks_notice(useful=False)
    again = client.post("/api/vote", json={**vote, "useful": True})
    assert again.status_code == 409 and "déjà compté" in again.json()["error"]
    written(chat)
    votes = log.votes(LONG_AGO)
    assert votes["remuneration"].not_useful == 1 and votes["remuneration"].useful == 0


def test_a_vote_needs_a_ticket_given_with_an_answer(
    client: TestClient, chat: WebChat, log: QuestionLog, hesitation: Decision
) -> None:
    refused = client.post("/api/vote", json={"feedback": "AAAAAAAAAAAAAAAA", "useful": True})
    assert refused.status_code == 409
    suggestion = ask(client, HESITANT)  # a suggestion list is no answer to vote on
    refused = client.post("/api/vote", json={"feedback": suggestion["feedback"], "useful": True})
    assert refused.status_code == 409
    written(chat)
    assert log.votes(LONG_AGO) == {}


@pytest.mark.parametrize(
    ("path", "body", "status", "says"),
    [
        ("/api/ask", b"salaire", 400, "doit être un objet JSON"),
        ("/api/ask", b'["salaire"]', 400, "doit être un objet JSON"),
        ("/api/ask", b"\xff\xfe", 400, "doit être un objet JSON"),
        ("/api/ask", b"{}", 422, "Écrivez votre question"),
        ("/api/ask", b'{"question": "   "}', 422, "Écrivez votre question"),
        ("/api/ask", b'{"question": 42}', 422, "doit être un texte"),
        ("/api/ask", json.dumps({"question": "x" * 10_000}).encode(), 422, "trop longue"),
        ("/api/ask", json.dumps({"question": "é" * 10_000}).encode(), 413, "trop volumineuse"),
        ("/api/ask", b'{"question": "salaire", "conversation": "1"}', 422, "conversation"),
        ("/api/open", b'{"action": "delete", "target": "x"}', 422, "action"),
        ("/api/open", b'{"action": "entry", "target": "../etc"}', 422, "target"),
        ("/api/open", b'{"action": "entry", "target": "n-existe-pas"}', 404, "n'existe plus"),
        ("/api/vote", b'{"useful": "oui", "feedback": "AAAAAAAAAA"}', 422, "useful"),
        ("/api/vote", b'{"useful": true}', 422, "feedback"),
    ],
)
def test_bad_input_gets_a_french_error(
    client: TestClient, path: str, body: bytes, status: int, says: str
) -> None:
    response = client.post(path, content=body)
    assert response.status_code == status
    assert says in response.json()["error"]


def test_a_10_mb_body_is_refused_without_being_read(client: TestClient) -> None:
    response = client.post("/api/ask", content=b"{" + b" " * 10_000_000 + b"}")
    assert response.status_code == 413
    assert response.json()["error"].startswith("La requête est trop volumineuse")


def test_wrong_method_and_unknown_path_answer_in_french(client: TestClient) -> None:
    assert "POST" in client.get("/api/ask").json()["error"]
    missing = client.get("/nulle-part")
    assert missing.status_code == 404 and "n'existe pas" in missing.json()["error"]


def test_a_client_that_asks_too_fast_is_told_when_to_come_back(chat: WebChat) -> None:
    now = [1000.0]
    limiter = RateLimiter(RateLimits(requests=3, window=10.0), clock=lambda: now[0])
    with TestClient(create_app(chat, limiter=limiter)) as client:
        for _ in range(3):
            ask(client, "salaire")
        refused = client.post("/api/ask", json={"question": "salaire"})
        assert refused.status_code == 429
        assert refused.headers["Retry-After"] == "10"
        assert "réessayez dans 10 secondes" in refused.json()["error"]
        assert client.post("/api/vote", json={"useful": True}).status_code == 429
        now[0] += 10.5
        assert client.post("/api/ask", json={"question": "salaire"}).status_code == 200


def test_cors_is_limited_to_the_listed_sites(client: TestClient) -> None:
    allowed = client.post("/api/ask", json={"question": "salaire"}, headers={"Origin": SITE})
    assert allowed.headers["access-control-allow-origin"] == SITE
    other = client.post(
        "/api/ask", json={"question": "salaire"}, headers={"Origin": "https://ailleurs.example"}
    )
    assert "access-control-allow-origin" not in other.headers
    preflight = client.options(
        "/api/ask",
        headers={
            "Origin": SITE,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == SITE


def test_the_page_is_sealed_and_accessible(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    policy = page.headers["content-security-policy"]
    assert "default-src 'none'" in policy and "script-src 'self'" in policy
    assert f"frame-ancestors 'self' {SITE}" in policy
    text = page.text
    assert '<html lang="fr">' in text
    assert '<label class="ask__label" for="question">' in text
    assert 'aria-live="polite"' in text
    assert "aucun cookie" in text and "adresse IP" in text and "90 jours" in text
    welcome = text.split('<script type="application/json" id="welcome">')[1].split("</script>")[0]
    assert json.loads(welcome)["suggestions"]  # the topics, as buttons


def test_the_page_loads_nothing_from_elsewhere(client: TestClient) -> None:
    page = client.get("/").text
    assets = [client.get(f"/static/{name}") for name in ("chat.css", "chat.js", "favicon.svg")]
    assert all(asset.status_code == 200 for asset in assets)
    for source in [page, *(asset.text for asset in assets)]:
        for attribute in ("src=", "href=", "url(", "@import"):
            for piece in source.split(attribute)[1:]:
                target = piece.strip("\"' (")
                assert not target.startswith(("http", "//")), f"{attribute}{piece[:40]}"


def test_no_cookie_and_nothing_identifying_in_the_question_log(
    client: TestClient, chat: WebChat, log: QuestionLog, hesitation: Decision
) -> None:
    responses = [
        client.get("/"),
        client.post("/api/ask", json={"question": "la météo demain", "conversation": CONVERSATION}),
        client.post("/api/ask", json={"question": HESITANT, "conversation": CONVERSATION}),
    ]
    assert all("set-cookie" not in r.headers for r in responses)
    written(chat)
    assert [q.status for q in log.questions(LONG_AGO)] == ["fallback", "suggest"]
    with sqlite3.connect(log.path) as db:
        dump = "\n".join(db.iterdump())
    assert CONVERSATION not in dump
    assert "testclient" not in dump  # the client's address, as Starlette's test client gives it


def test_healthz_says_the_base_is_loaded(client: TestClient, index: Index) -> None:
    health = client.get("/healthz")
    assert health.json() == {"status": "ok", "entries": len(index.entries)}


def test_a_reload_is_seen_by_the_next_request(chat: WebChat, index: Index) -> None:
    smaller = Index(KnowledgeBase(entries=index.knowledge.entries[:3], synonyms={}))
    with TestClient(create_app(chat)) as client:
        chat.holder.swap(smaller)
        assert client.get("/healthz").json()["entries"] == 3
