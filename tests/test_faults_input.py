"""Fault suite, what comes in: a hostile knowledge folder, hostile messages, unreadable updates,
forged buttons, contact details to mask — each against the real `python -m bot run`.

The rows of the reliability issue (and issue 13) each have a test here or in
`test_faults_delivery.py`; `make faults` runs both, `make test` too.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import time
from pathlib import Path

import pytest
from fault_kit import (
    ADMIN_ID,
    QUESTION,
    STEP,
    admin_messages,
    ask,
    logged_texts,
    rss_mb,
    running,
    sent_to,
    wait_until,
)

from bot.knowledge.markup import french_spacing as spaced
from bot.replies import render
from bot.staff.questionlog import DB_NAME
from bot.telegram_bot import callbacks, texts
from bot.testing import fake_bot_api as fake

pytestmark = pytest.mark.faults

ROOT = Path(__file__).resolve().parent.parent
CHEVAL = "couleur du cheval blanc d'henri quatre"
NEW_ENTRY = """\
- id: essai-suite-pannes
  questions:
    - de quelle couleur est le cheval blanc d'henri quatre
    - couleur du cheval blanc d'henri quatre
    - le cheval d'henri quatre est de quelle couleur
  answer: Blanc, évidemment.
"""


@pytest.fixture
def server():
    api = fake.FakeBotApi()
    with fake.FakeBotApiServer(api) as running_server:
        yield running_server


def reload_as_admin(api: fake.FakeBotApi, about: str) -> str:
    """Send /recharger; the bot's answer about `about` (the watcher may also write to admins)."""
    mark = api.mark()
    api.push(fake.message("/recharger", chat_id=ADMIN_ID, user_id=ADMIN_ID))
    call = api.wait_for(
        "sendMessage",
        after=mark,
        where=lambda c: int(c.params["chat_id"]) == ADMIN_ID and about in c.text,
        timeout=STEP,
    )
    return call.text


def test_a_hostile_knowledge_folder_never_blocks_the_bot(server, tmp_path: Path, figures):
    api = server.api
    folder = tmp_path / "knowledge"
    shutil.copytree(ROOT / "knowledge", folder)
    with running(server, tmp_path, KNOWLEDGE_DIR=str(folder)) as bot:
        memory = rss_mb(bot)
        # A named pipe: refused at once, naming the file (it used to block the reload forever).
        os.mkfifo(folder / "x.yaml")
        started = time.monotonic()
        refused = reload_as_admin(api, "x.yaml")
        figures(f"FIFO x.yaml: /recharger answered in {time.monotonic() - started:.2f} s")
        assert "x.yaml" in refused and "tube nommé (FIFO)" in refused
        (folder / "x.yaml").unlink()

        # A link to /dev/zero, then a 50 MB valid YAML file: refused without reading them.
        (folder / "y.yaml").symlink_to("/dev/zero")
        started = time.monotonic()
        refused = reload_as_admin(api, "y.yaml")
        figures(f"y.yaml → /dev/zero: refused in {time.monotonic() - started:.2f} s")
        assert "y.yaml" in refused and "périphérique" in refused
        (folder / "y.yaml").unlink()
        entry = "- id: gros-{n}\n  questions: [a, b, c]\n  answer: Une réponse.\n"
        with (folder / "gros.yaml").open("w", encoding="utf-8") as big:
            for n in range(50 * 1024 * 1024 // len(entry)):
                big.write(entry.format(n=n))
        started = time.monotonic()
        refused = reload_as_admin(api, "Mo en tout")
        figures(
            f"50 MB base refused in {time.monotonic() - started:.2f} s; the bot's memory "
            f"{memory:.0f} MB before the hostile files, {rss_mb(bot):.0f} MB after"
        )
        assert re.search("font 5[0-9]\u00a0Mo en tout, plus que la limite de 16\u00a0Mo", refused)
        (folder / "gros.yaml").unlink()

        # 10,000 broken entries (20,000 errors): one short message, however many problems.
        mark = api.mark()
        (folder / "vide.yaml").write_text(
            "".join(f"- id: entree-{n}\n" for n in range(10_000)), encoding="utf-8"
        )
        refused = reload_as_admin(api, "20\u202f000 erreurs")
        assert refused.startswith("Rechargement refusé : 20\u202f000 erreurs")
        assert "… et 19\u202f990 autres" in refused
        about_it = [text for text in admin_messages(api, mark) if "entree-" in text]
        longest = max(map(len, about_it))
        figures(f"10,000 broken entries: {len(about_it)} admin message(s), longest {longest} chars")
        assert len(about_it) == 1 and longest < 4096, "one message, not hundreds"
        (folder / "vide.yaml").unlink()

        # A valid edit still goes live on its own, and users never noticed anything.
        (folder / "essai.yaml").write_text(NEW_ENTRY, encoding="utf-8")
        users = iter(range(31_000, 31_100))  # a new person each time: no flood guard

        def live() -> bool:
            time.sleep(0.5)
            return "Blanc, évidemment." in answer_to(api, CHEVAL, next(users))

        started = time.monotonic()
        wait_until(live, 30, "the valid edit answered")
        figures(f"then a valid edit: live (watcher) in {time.monotonic() - started:.1f} s")
        started = time.monotonic()
        assert bot.terminate(timeout=10) == 0
        figures(f"SIGTERM: exited in {time.monotonic() - started:.2f} s")
        log = bot.output()
    longest = max(map(len, log.splitlines()))
    figures(f"longest log line: {longest} characters")
    assert longest <= 2200, "every log line is bounded"


def answer_to(api: fake.FakeBotApi, text: str, user: int = 31337) -> str:
    mark = api.mark()
    ask(api, text, user)
    return api.wait_for(
        "sendMessage", after=mark, where=lambda c: int(c.params["chat_id"]) == user, timeout=STEP
    ).text


def test_a_hostile_message_costs_no_one_else_anything(server, tmp_path: Path, figures):
    api = server.api
    data_dir = tmp_path / "data"
    with running(server, tmp_path):
        # Warm up (the first word unknown to the base loads a French word list, once), then
        # the time a normal question takes.
        answer_to(api, "horaires de la cantine ?", 99)
        for user in (100, 101):
            started = time.monotonic()
            answer_to(api, QUESTION, user)
        figures(f"a normal question: answered in {time.monotonic() - started:.2f} s")
        for hostile, size in ((102, 100_000), (104, 10_000_000)):
            mark = api.mark()
            started = time.monotonic()
            ask(api, "a" * (size - 10) + "@gmail.com", hostile)
            ask(api, QUESTION, hostile + 1)
            for user in (hostile + 1, hostile):
                call = api.wait_for(
                    "sendMessage",
                    after=mark,
                    where=lambda c, u=user: int(c.params["chat_id"]) == u,
                    timeout=STEP,
                )
                if user == hostile + 1:
                    figures(
                        f"{size:,}-character one-word message, then a normal question from "
                        f"someone else: answered in {call.at - started:.2f} s"
                    )
        stored = wait_until(
            lambda: len(logged_texts(data_dir)) >= 2 and logged_texts(data_dir),
            15,
            "the hostile messages logged",
        )
    assert all(len(text) <= 500 for text in stored)
    assert not any("gmail" in text for text in stored)


def not_useful_votes(data_dir: Path) -> int:
    with sqlite3.connect(f"file:{data_dir / DB_NAME}?mode=ro", uri=True) as db:
        found = db.execute("SELECT SUM(count) FROM votes WHERE useful = 0").fetchone()[0]
    return int(found or 0)


CONTACTS = (
    "06/12/34/56/78",
    "+33 (0)6 12 34 56 78",
    "06 12 34 56 78",
    "jean(at)gmail.com",
    "jean [at] gmail [dot] com",
    "jean arobase gmail point com",
)


def test_contact_details_are_stored_masked(server, tmp_path: Path):
    api = server.api
    data_dir = tmp_path / "data"
    with running(server, tmp_path):
        for user, contact in enumerate(CONTACTS, start=401):
            answer_to(api, f"rappelez-moi au {contact} pour la cantine", user)
        stored = wait_until(
            lambda: len(logged_texts(data_dir)) == len(CONTACTS) and logged_texts(data_dir),
            15,
            "the questions logged",
        )
    assert sorted(stored) == sorted(
        ["rappelez-moi au [numéro] pour la cantine"] * 3
        + ["rappelez-moi au [adresse e-mail] pour la cantine"] * 3
    )


POISON = {
    "message": {
        "message_id": 1,
        "date": "pas une date",
        "chat": "pas une conversation",
        "from": {"id": 5551234, "is_bot": False, "first_name": "Dominique"},
        "text": "écrivez à dominique.martin@example.org ou au 0612345678",
    }
}
PRIVATE = ("Dominique", "dominique.martin@example.org", "0612345678", "5551234")


def test_an_update_that_cannot_be_read_is_skipped_once_and_everyone_else_answered(
    server, tmp_path: Path, figures
):
    api = server.api
    with running(server, tmp_path, LOG_LEVEL="DEBUG") as bot:
        mark = api.mark()
        poison = api.push(POISON)
        users = list(range(201, 206))
        for user in users:
            ask(api, QUESTION, user)
        started = time.monotonic()
        for user in users:
            wait_until(lambda u=user: sent_to(api, u, mark), STEP, f"user {user} answered")
        figures(
            f"5 questions after an unreadable update: all answered in "
            f"{time.monotonic() - started:.2f} s"
        )
        assert api.deliveries[poison["update_id"]] <= 3

        stats = answer_to(api, "/stats", ADMIN_ID)
        assert "Messages illisibles ignorés depuis le démarrage du bot : 1" in stats

        # Many of them: skipped and acknowledged too, the log says a few lines, not one each.
        more = api.push_many([POISON] * 50)
        wait_until(lambda: api.pending_updates() == 0, STEP, "all acknowledged")
        output = bot.output()
        figures(
            f"unreadable update fetched {api.deliveries[poison['update_id']]} time(s); "
            f"log after 51 of them: {len(output.encode())} bytes"
        )
        assert output.count(f"Skipped update {poison['update_id']}:") == 1
        assert len(re.findall(r"Skipped update \d+:", output)) <= 6
        assert all(api.deliveries[u["update_id"]] <= 3 for u in more)
        assert bot.terminate(timeout=10) == 0

    # A restart does not fetch them again: they were acknowledged.
    with running(server, tmp_path / "again"):
        assert sent_to(api, 207) == []
        ask(api, QUESTION, 207)
        wait_until(lambda: sent_to(api, 207), STEP, "answered after a restart")
    assert api.deliveries[poison["update_id"]] <= 3
    output = bot.output()
    for private in PRIVATE:
        assert private not in output
    assert len(output.encode()) < 64_000


def test_buttons_cannot_be_forged_and_a_vote_counts_once(server, tmp_path: Path):
    api = server.api
    data_dir = tmp_path / "data"
    asker, intruder = 301, 302
    with running(server, tmp_path) as bot:
        mark = api.mark()
        ask(api, "quand", asker)
        offer = api.wait_for("sendMessage", after=mark, timeout=STEP)
        assert offer.text.startswith(spaced(render.SUGGESTIONS_OPENING))
        _, data = offer.buttons[0]
        wait_until(lambda: logged_texts(data_dir), 15, "the question logged")
        their_chat = fake.bot_message(chat_id=intruder)
        for forged in (data, "v1:c:1:calendrier", data.replace(data.split(":")[2], "AAAAAAAA")):
            mark = api.mark()
            api.push(fake.callback(forged, sent=their_chat, user_id=intruder))
            refused = api.wait_for("answerCallbackQuery", after=mark, timeout=STEP)
            assert refused.params["text"] == texts.stale_button_notice()

        # "Pas utile" eight times in ten seconds under one answer: one vote.
        mark = api.mark()
        ask(api, QUESTION, 303)
        answer = api.wait_for("sendMessage", after=mark, timeout=STEP)
        (not_useful,) = [d for label, d in answer.buttons if label == render.VOTE_LABELS[1]]
        notices = []
        for _ in range(8):  # with the question, 9 updates: the last one meets the flood guard
            mark = api.mark()
            api.push(fake.callback(not_useful, sent=answer.result, user_id=303))
            notices.append(api.wait_for("answerCallbackQuery", after=mark, timeout=STEP))
        assert [c.params.get("text") for c in notices[1:]] == [texts.already_voted_notice()] * 6 + [
            texts.flood_button_notice()
        ]
        wait_until(lambda: not_useful_votes(data_dir), STEP, "the vote recorded")
        time.sleep(1)  # any further vote would be written by now
        assert bot.terminate(timeout=10) == 0
    with sqlite3.connect(data_dir / DB_NAME) as db:
        chosen = db.execute("SELECT chosen FROM questions").fetchall()
        votes = db.execute("SELECT SUM(count) FROM votes WHERE useful = 0").fetchone()[0]
    assert chosen == [(None,)]
    assert votes == 1
    assert callbacks.decode(not_useful) is None
