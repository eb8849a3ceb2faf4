"""Staff workflow in Telegram: live reload, admin commands, feedback buttons, /confidentialite.

The application is the one `build_application` wires, on a copy of a small knowledge folder, with
a question log in the test's DATA_DIR written by a real `Recorder`; only the network is fake
(`FakeBotApi`). The watcher job is driven by calling it, not by waiting for the job queue; the
log is read once the recorder has written what was queued (`Staff.logged`).
"""

from __future__ import annotations

import asyncio
import dataclasses
import shutil
import sqlite3
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import disk_faults
import pytest
from knowledge_samples import BROKEN_LIEU, LIEU, SMALL_BASE
from telegram.ext import CallbackContext
from telegram_fakes import KEY, Harness, seen, shown

from bot.config import Settings
from bot.engine import Index, Thresholds
from bot.knowledge import load
from bot.knowledge.markup import french_spacing as spaced
from bot.replies import render
from bot.replies.privacy import render_privacy
from bot.staff.holder import IndexHolder
from bot.staff.questionlog import QuestionLog
from bot.staff.recorder import Recorder
from bot.staff.reload import ReloadResult
from bot.telegram_bot import admin, callbacks, texts
from bot.telegram_bot.app import build_application, stops_quietly
from bot.telegram_bot.context import BotContext
from bot.telegram_bot.throttle import Throttle
from bot.testing import fake_bot_api as fake

ADMIN_ID = 777001


ALWAYS_ANSWER = Thresholds(answer=0.0, suggest=0.0)
"""The best entry is always the answer: tests see which base answered, not the engine's doubt."""
ALWAYS_SUGGEST = Thresholds(answer=1.01, suggest=0.0, min_suggestion=0.0)
NEVER_SURE = Thresholds(answer=1.01, suggest=1.01)
"""Every question is a fallback, kept in the log with the entries it came close to."""
LONG_AGO = datetime(2000, 1, 1, tzinfo=UTC)


@dataclass
class Staff:
    """A running bot with its knowledge folder and question log."""

    harness: Harness
    folder: Path
    recorder: Recorder
    log: QuestionLog
    """A connection of the test's own to the log file, to read what the bot wrote."""

    def logged(self) -> QuestionLog:
        """The log, once every write the bot queued is done."""
        assert self.recorder.flush(timeout=10)
        return self.log

    @property
    def api(self) -> fake.FakeBotApi:
        return self.harness.api

    def context(self) -> CallbackContext:  # type: ignore[type-arg]
        """What a job callback receives."""
        return CallbackContext(self.harness.app)

    async def watch(self) -> ReloadResult | None:
        """Two looks at the folder, as the job does every few seconds: a saved edit is settled."""
        first = await admin.reload_if_changed(self.context())
        return first or await admin.reload_if_changed(self.context())

    async def say(self, text: str, *, user_id: int = fake.USER_ID) -> fake.Call:
        sent = await self.harness.replies(fake.message(text, chat_id=user_id, user_id=user_id))
        assert len(sent) == 1, [c.text[:60] for c in sent]
        return sent[0]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    target = tmp_path / "knowledge"
    shutil.copytree(SMALL_BASE, target)
    return target


async def start_staff(folder: Path, thresholds: Thresholds) -> AsyncIterator[Staff]:
    api = fake.FakeBotApi()
    settings = dataclasses.replace(
        Settings.from_env(),
        token=fake.TOKEN,
        api_url="http://fake-bot-api.invalid",
        admin_ids=frozenset({ADMIN_ID}),
        knowledge_dir=folder,
    )
    holder = IndexHolder(Index(load(folder), thresholds=thresholds))
    recorder = Recorder(lambda clock: QuestionLog.open(settings, clock=clock))
    recorder.start()
    assert recorder.flush(timeout=10)
    log = QuestionLog.open(settings)
    app = build_application(
        settings,
        holder,
        request=fake.FakeRequest(api),
        get_updates_request=fake.FakeRequest(api),
        throttle=Throttle(backoff=0.0, chat_rate=0.0),
        recorder=recorder,
        knowledge_dir=folder,
    )
    async with app:
        yield Staff(Harness(app, api, holder), folder, recorder, log)
    recorder.stop(timeout=10)
    log.close()


@pytest.fixture
async def staff(folder: Path) -> AsyncIterator[Staff]:
    async for running in start_staff(folder, ALWAYS_ANSWER):
        yield running


@pytest.fixture
async def unsure(folder: Path) -> AsyncIterator[Staff]:
    async for running in start_staff(folder, NEVER_SURE):
        yield running


@pytest.fixture
async def suggesting(folder: Path) -> AsyncIterator[Staff]:
    async for running in start_staff(folder, ALWAYS_SUGGEST):
        yield running


def answer_of(staff: Staff, entry_id: str) -> tuple[str, list[tuple[str, str]]]:
    knowledge = staff.harness.holder.index.knowledge
    return shown(render.render_entry(knowledge.by_id[entry_id], knowledge))


# -- live reload ----------------------------------------------------------------------------------


async def test_an_added_entry_goes_live_and_a_broken_file_never_replaces_the_base(staff: Staff):
    before = await staff.say("dans quelle ville")
    assert "Dans les locaux" not in before.text

    (staff.folder / "lieu.yaml").write_text(LIEU, encoding="utf-8")
    result = await staff.watch()
    assert result is not None and result.ok and result.changes.added == ("lieu",)
    assert seen(await staff.say("dans quelle ville")) == answer_of(staff, "lieu")

    mark = staff.api.mark()
    (staff.folder / "lieu.yaml").write_text(BROKEN_LIEU, encoding="utf-8")
    result = await staff.watch()
    assert result is not None and not result.ok
    # The admin is told, with the file and line to fix; the users notice nothing.
    (notice,) = staff.api.calls_since(mark, "sendMessage")
    assert int(notice.params["chat_id"]) == ADMIN_ID
    assert notice.result["text"].startswith("Rechargement refusé : 2 erreurs")
    assert f"{staff.folder / 'lieu.yaml'}:6: lieu: answr: champ inconnu" in notice.result["text"]
    assert seen(await staff.say("dans quelle ville")) == answer_of(staff, "lieu")
    assert seen(await staff.say("quel est le salaire")) == answer_of(staff, "salaire")

    # Fixed: live again at the next look, and the admins are not disturbed by a good reload.
    mark = staff.api.mark()
    (staff.folder / "lieu.yaml").write_text(LIEU.replace("Dans les", "Dans des"), encoding="utf-8")
    result = await staff.watch()
    assert result is not None and result.ok and result.changes.modified == ("lieu",)
    assert staff.api.calls_since(mark, "sendMessage") == []
    assert "Dans des locaux" in (await staff.say("dans quelle ville")).text


async def test_recharger_tells_the_admin_what_changed(staff: Staff):
    (staff.folder / "lieu.yaml").write_text(LIEU, encoding="utf-8")
    sent = await staff.say("/recharger", user_id=ADMIN_ID)
    assert sent.result["text"] == (
        "Base rechargée (3 entrées).\nAjoutées : lieu\nSupprimées : aucune\nModifiées : aucune"
    )
    assert await staff.watch() is None, "the watcher does not reload the same edit again"
    assert seen(await staff.say("dans quelle ville")) == answer_of(staff, "lieu")


async def test_reload_alias_reports_the_errors_with_file_and_line(staff: Staff):
    (staff.folder / "lieu.yaml").write_text(BROKEN_LIEU, encoding="utf-8")
    sent = await staff.say("/reload", user_id=ADMIN_ID)
    lines = sent.result["text"].splitlines()
    assert lines[0] == (
        "Rechargement refusé : 2 erreurs dans la base de connaissances. Le bot continue avec la "
        "base précédente (2 entrées). Corrigez ces lignes, puis enregistrez :"
    )
    assert (
        f"{staff.folder / 'lieu.yaml'}:1: lieu: answer: champ obligatoire manquant ; ajoutez-le"
        in (lines)
    )
    assert seen(await staff.say("quel est le salaire")) == answer_of(staff, "salaire")


# -- admin commands are invisible to everyone else ------------------------------------------------


@pytest.mark.parametrize("command", ["/recharger", "/reload", "/nonrepondues", "/stats"])
async def test_a_non_admin_gets_the_unknown_command_reply(staff: Staff, command: str):
    served = staff.harness.holder.index
    (staff.folder / "lieu.yaml").write_text(LIEU, encoding="utf-8")
    sent = await staff.say(command)
    assert seen(sent) == shown(texts.render_unknown_command())
    assert staff.harness.holder.index is served, "nothing was reloaded"


async def test_admin_commands_are_not_answered_in_a_group(staff: Staff):
    calls = await staff.harness.replies(
        fake.message("/stats", chat_id=fake.GROUP_ID, user_id=ADMIN_ID)
    )
    assert [seen(c) for c in calls] == [shown(texts.render_unknown_command())]


async def test_nonrepondues_lists_the_most_frequent_unanswered_questions(unsure: Staff):
    for text in ("quel est le salaire ?", "Quel est le salaire", "télétravail possible ?"):
        await unsure.say(text)
    sent = await unsure.say("/nonrepondues", user_id=ADMIN_ID)
    lines = sent.result["text"].splitlines()
    assert lines[0] == "Questions sans réponse sûre depuis 7 jours (les 20 plus fréquentes) :"
    assert lines[1].startswith("2 × « quel est le salaire ? » → proche de salaire (")
    assert lines[2].startswith("1 × « télétravail possible ? » → proche de teletravail (")


async def test_stats_count_answers_suggestions_and_votes(staff: Staff):
    answer = await staff.say("quel est le salaire")
    await staff.say("travail à distance")
    (not_useful,) = [data for label, data in answer.buttons if label == "Pas utile"]
    await staff.harness.feed(fake.callback(not_useful, sent=answer.result))
    sent = await staff.say("/stats", user_id=ADMIN_ID)
    lines = sent.result["text"].splitlines()
    assert lines[:2] == ["Depuis 30 jours : 2 questions.", "- réponse directe : 2 (100\u202f%)"]
    assert "- salaire : 1 « Pas utile », 0 « Utile »" in lines


# -- what users tell back --------------------------------------------------------------------------


def signed_vote(entry_id: str, *, useful: bool, chat: int = fake.USER_ID) -> str:
    return callbacks.encode_vote(entry_id, useful=useful, key=KEY, place=str(chat))


async def test_utile_is_thanked_and_counted_against_the_entry(staff: Staff):
    answer = await staff.say("quel est le salaire")
    useful, not_useful = signed_vote("salaire", useful=True), signed_vote("salaire", useful=False)
    assert answer.buttons[-2:] == [("Utile", useful), ("Pas utile", not_useful)]
    calls = await staff.harness.feed(fake.callback(useful, sent=answer.result))
    assert [(c.method, c.params.get("text")) for c in calls] == [
        ("answerCallbackQuery", spaced("Merci pour votre avis !"))
    ]
    votes = staff.logged().votes(LONG_AGO)
    assert (votes["salaire"].useful, votes["salaire"].not_useful) == (1, 0)


async def test_one_vote_per_answer_however_many_taps(staff: Staff):
    answer = await staff.say("quel est le salaire")
    (not_useful,) = [data for label, data in answer.buttons if label == "Pas utile"]
    notices = []
    for _ in range(7):  # with the question, 8 updates in a few seconds: the flood guard's limit
        calls = await staff.harness.feed(fake.callback(not_useful, sent=answer.result))
        notices += [c.params.get("text") for c in calls]
    assert notices == [render.vote_thanks_notice(useful=False)] + [texts.already_voted_notice()] * 6
    votes = staff.logged().votes(LONG_AGO)
    assert (votes["salaire"].useful, votes["salaire"].not_useful) == (0, 1)
    # Another answer is another message: its vote counts.
    second = await staff.say("salaire ?", user_id=77)
    (again,) = [data for label, data in second.buttons if label == "Pas utile"]
    await staff.harness.feed(fake.callback(again, sent=second.result, user_id=77))
    assert staff.logged().votes(LONG_AGO)["salaire"].not_useful == 2


@pytest.mark.parametrize(
    "data",
    [
        pytest.param("v1:u:Salaire!", id="not-an-entry-id"),
        pytest.param("v1:u:salaire", id="unsigned"),
        pytest.param(signed_vote("salaire", useful=True, chat=77), id="signed-for-another-chat"),
    ],
)
async def test_a_forged_vote_is_not_counted(staff: Staff, data: str):
    calls = await staff.harness.feed(fake.callback(data, sent=fake.bot_message()))
    assert [(c.method, c.params.get("text")) for c in calls] == [
        ("answerCallbackQuery", texts.stale_button_notice())
    ]
    assert staff.logged().votes(LONG_AGO) == {}


async def test_the_suggestion_tapped_is_recorded_with_the_question(suggesting: Staff):
    offer = await suggesting.say("quel salaire en télétravail")
    assert offer.result["text"].startswith(spaced(render.SUGGESTIONS_OPENING))
    _, data = offer.buttons[1]
    (logged,) = suggesting.logged().questions(LONG_AGO)
    entry_id = logged.candidates[1][0]
    choice = callbacks.decode_choice(data, key=KEY, place=str(fake.USER_ID))
    assert choice is not None and choice.entry_id == entry_id
    assert str(logged.id) not in data.split(":"), "the question's id is never shown"
    opened = await suggesting.harness.replies(fake.callback(data, sent=offer.result))
    assert [seen(c) for c in opened] == [answer_of(suggesting, entry_id)]
    (logged,) = suggesting.logged().questions(LONG_AGO)
    assert logged.text == "quel salaire en télétravail"
    assert logged.chosen == entry_id


async def test_nobody_can_set_the_choice_of_someone_elses_question(suggesting: Staff):
    offer = await suggesting.say("quel salaire en télétravail")
    (logged,) = suggesting.logged().questions(LONG_AGO)
    _, data = offer.buttons[1]
    intruder = 77
    in_their_chat = fake.bot_message(chat_id=intruder)
    forged = [
        data,  # the button copied into another chat
        f"v1:c:{logged.id}:salaire",  # the old format: a guessable question id
        data.replace(data.split(":")[2], "AAAAAAAA"),  # another key, this signature
    ]
    for attempt in forged:
        calls = await suggesting.harness.feed(
            fake.callback(attempt, sent=in_their_chat, user_id=intruder)
        )
        assert [c.params.get("text") for c in calls] == [texts.stale_button_notice()], attempt
    (logged,) = suggesting.logged().questions(LONG_AGO)
    assert logged.chosen is None


async def test_no_user_identifier_reaches_the_log(suggesting: Staff):
    offer = await suggesting.say("mon mail camille@example.org, quel salaire ?")
    await suggesting.harness.feed(fake.callback(offer.buttons[0][1], sent=offer.result))
    await suggesting.harness.feed(
        fake.callback(signed_vote("salaire", useful=False), sent=offer.result)
    )
    suggesting.logged().close()
    with sqlite3.connect(suggesting.log.path) as db:
        tables = [t for (t,) in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        values = [v for t in tables for row in db.execute(f"SELECT * FROM {t}") for v in row]
    stored = " ".join(str(v) for v in values)
    assert "mon mail [adresse e-mail], quel salaire ?" in stored
    for identifier in (str(fake.USER_ID), fake.USER_NAME, "camille@example.org"):
        assert identifier not in stored


async def test_confidentialite_says_what_is_stored_and_for_how_long(staff: Staff):
    sent = await staff.say("/confidentialite")
    assert seen(sent) == shown(render_privacy(90))
    assert "90 jours" in sent.result["text"]


@pytest.mark.parametrize(
    "data",
    [
        pytest.param("v1:u:", id="no-entry"),
        pytest.param("v1:x:salaire", id="unknown-code"),
        pytest.param("v0:u:salaire", id="old-version"),
        pytest.param("v1:c:12:", id="choice-without-entry"),
        pytest.param("v1:c:²:salaire", id="choice-with-a-non-ascii-digit"),
        pytest.param("v1:c:-3:salaire", id="negative-question-id"),
        pytest.param("v1:u:" + "a" * 70, id="too-long"),
    ],
)
def test_feedback_buttons_trust_only_what_the_bot_wrote(data: str) -> None:
    assert callbacks.decode_vote(data, key=KEY, place=str(fake.USER_ID)) is None
    assert callbacks.decode_choice(data, key=KEY, place=str(fake.USER_ID)) is None


def test_feedback_buttons_round_trip() -> None:
    place = str(fake.USER_ID)
    vote = callbacks.encode_vote("salaire", useful=False, key=KEY, place=place)
    assert callbacks.decode_vote(vote, key=KEY, place=place) == callbacks.Vote("salaire", False)
    choice = callbacks.encode_choice("Zx-_9aBc", "defi-datajust", key=KEY, place=place)
    assert callbacks.decode_choice(choice, key=KEY, place=place) == (
        callbacks.Choice("Zx-_9aBc", "defi-datajust")
    )
    assert callbacks.decode(choice) is None


# -- the question log fails ------------------------------------------------------------------------


async def test_a_broken_question_log_costs_no_answer_and_admins_hear_once(
    folder: Path, tmp_path: Path
):
    data_dir = disk_faults.missing(tmp_path)
    settings = dataclasses.replace(
        Settings.from_env(),
        token=fake.TOKEN,
        api_url="http://fake-bot-api.invalid",
        admin_ids=frozenset({ADMIN_ID}),
        data_dir=data_dir,
    )
    recorder = Recorder(
        lambda clock: QuestionLog.open(settings, clock=clock), location=data_dir, retry=0.05
    )
    recorder.start()
    api = fake.FakeBotApi()
    holder = IndexHolder(Index(load(folder), thresholds=NEVER_SURE))
    app = build_application(
        settings,
        holder,
        request=fake.FakeRequest(api),
        get_updates_request=fake.FakeRequest(api),
        throttle=Throttle(backoff=0.0, chat_rate=0.0),
        recorder=recorder,
        knowledge_dir=folder,
    )
    async with app:
        staff = Staff(Harness(app, api, holder), folder, recorder, None)  # type: ignore[arg-type]
        for question in ("quel est le salaire", "et le télétravail ?"):
            assert (await staff.say(question)).result["text"]
        for _ in range(200):  # the recorder's first try fails within moments (bounded wait)
            if recorder.problem is not None:
                break
            await asyncio.sleep(0.02)
        mark = api.mark()
        for _ in range(3):
            await admin.log_news_job(staff.context())
        (notice,) = api.calls_since(mark, "sendMessage")
        assert int(notice.params["chat_id"]) == ADMIN_ID
        assert notice.result["text"].startswith("Le journal des questions est indisponible")
        stats = await staff.say("/stats", user_id=ADMIN_ID)
        assert stats.result["text"].startswith("Le journal des questions est indisponible")

        disk_faults.repair_missing(data_dir)
        assert recorder.flush(timeout=10)
        mark = api.mark()
        await admin.log_news_job(staff.context())
        (notice,) = api.calls_since(mark, "sendMessage")
        assert notice.result["text"].startswith("Le journal des questions fonctionne à nouveau")
        unanswered = await staff.say("/nonrepondues", user_id=ADMIN_ID)
        assert "« quel est le salaire »" in unanswered.result["text"]
    recorder.stop(timeout=5)


async def test_a_job_cut_short_by_the_stop_ends_without_a_traceback(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A fresh clone's end-to-end test once found a traceback in the bot's log after a clean
    stop, on a loaded machine: the knowledge watcher was still waiting for its look at the
    folder, and the scheduler logs any exception of a job, the stop's cancellation included."""
    started = asyncio.Event()

    async def watch_job(context: BotContext) -> None:
        started.set()
        await asyncio.sleep(60)

    task = asyncio.create_task(stops_quietly(watch_job)(None))  # type: ignore[arg-type]
    await started.wait()
    with caplog.at_level("INFO"):
        task.cancel()
        await task  # the job ends; the scheduler has nothing to log as an error
    assert not task.cancelled()
    assert "watch_job stopped with the bot" in caplog.text
