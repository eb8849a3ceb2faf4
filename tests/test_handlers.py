"""What a candidate sees on Telegram: real `Update` objects in, the bot's Bot API calls out.

The application is the one `build_application` wires; only the network is fake (`FakeRequest`
over `FakeBotApi`, which refuses what Telegram refuses). Expected texts come from the renderer,
so these tests pin the Telegram layer, not the engine's thresholds.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import AsyncIterator, Callable

import pytest
from telegram_fakes import KEY, Harness, running_bot, seen, shown

from bot.engine import Index
from bot.knowledge import Entry, KnowledgeBase
from bot.knowledge.markup import french_spacing as spaced
from bot.replies import render
from bot.telegram_bot import texts
from bot.telegram_bot.app import register_commands
from bot.telegram_bot.callbacks import INLINE_PLACE, encode_vote
from bot.telegram_bot.flood import FloodGuard, FloodLimits
from bot.testing import fake_bot_api as fake

GIBBERISH = "xqzw vbnmpl krrtz"


@pytest.fixture
async def bot(index: Index) -> AsyncIterator[Harness]:
    async with running_bot(index) as harness:
        yield harness


@pytest.fixture(scope="module")
def answering_index(knowledge: KnowledgeBase) -> Index:
    """The real base, with thresholds that make the engine answer whenever anything matches."""
    base = Index(knowledge).thresholds
    return Index(knowledge, thresholds=dataclasses.replace(base, answer=0.0, suggest=0.0))


@pytest.fixture(scope="module")
def suggesting_index(knowledge: KnowledgeBase) -> Index:
    """The real base, with thresholds that make the engine suggest rather than answer."""
    base = Index(knowledge).thresholds
    return Index(
        knowledge,
        thresholds=dataclasses.replace(base, answer=1.01, suggest=0.0, min_suggestion=0.0),
    )


def only(calls: list[fake.Call]) -> fake.Call:
    assert len(calls) == 1, [(c.method, c.text[:40]) for c in calls]
    return calls[0]


# -- commands ---------------------------------------------------------------------------------


async def test_start_welcomes_and_offers_the_main_topics(bot: Harness, knowledge: KnowledgeBase):
    sent = only(await bot.replies(fake.message("/start")))
    assert seen(sent) == shown(render.render_welcome(knowledge))
    assert int(sent.params["chat_id"]) == fake.USER_ID
    assert sent.params["parse_mode"] == "HTML"
    assert sent.params["link_preview_options"] == {"is_disabled": True}
    assert [data for _, data in sent.buttons] == [
        f"v1:t:{topic}"
        for topic in render.TOPICS
        if any(e.category == topic for e in knowledge.entries)
    ]


async def test_deep_link_opens_the_entry_it_names(bot: Harness, knowledge: KnowledgeBase):
    sent = only(await bot.replies(fake.message("/start remuneration")))
    assert seen(sent) == shown(render.render_entry(knowledge.by_id["remuneration"], knowledge))


async def test_deep_link_to_a_topic_lists_its_questions(bot: Harness, knowledge: KnowledgeBase):
    sent = only(await bot.replies(fake.message("/start candidature")))
    topic = render.render_topic("candidature", knowledge)
    assert topic is not None and seen(sent) == shown(topic)


async def test_unknown_deep_link_gets_the_welcome(bot: Harness, knowledge: KnowledgeBase):
    sent = only(await bot.replies(fake.message("/start entree-disparue")))
    assert seen(sent) == shown(render.render_welcome(knowledge))


@pytest.mark.parametrize("command", ["/aide", "/help"])
async def test_aide_and_help_explain_how_to_ask(bot: Harness, knowledge: KnowledgeBase, command):
    sent = only(await bot.replies(fake.message(command)))
    assert seen(sent) == shown(render.render_help(knowledge))


async def test_defis_lists_the_defis_and_a_tap_shows_one(bot: Harness, knowledge: KnowledgeBase):
    listing = only(await bot.replies(fake.message("/defis")))
    assert seen(listing) == shown(render.render_defis(knowledge))
    _, data = listing.buttons[0]
    defi = knowledge.by_id[data.removeprefix("v1:e:")]
    assert defi.is_defi

    calls = await bot.feed(fake.callback(data, sent=listing.result))
    assert [c.method for c in calls] == ["answerCallbackQuery", "sendMessage"]
    assert "text" not in calls[0].params  # a silent answer: it only stops the spinner
    assert seen(calls[1]) == shown(render.render_entry(defi, knowledge))


async def test_faq_goes_from_topics_to_questions_to_the_answer(
    bot: Harness, knowledge: KnowledgeBase
):
    topics = only(await bot.replies(fake.message("/faq")))
    assert seen(topics) == shown(render.render_faq(knowledge))
    assert ("Candidater", "v1:t:candidature") in topics.buttons

    questions = only(await bot.replies(fake.callback("v1:t:candidature", sent=topics.result)))
    topic = render.render_topic("candidature", knowledge)
    assert topic is not None and seen(questions) == shown(topic)

    _, first = questions.buttons[0]
    answer = only(await bot.replies(fake.callback(first, sent=questions.result)))
    entry = knowledge.by_id[first.removeprefix("v1:e:")]
    assert entry.category == "candidature"
    assert seen(answer) == shown(render.render_entry(entry, knowledge))


async def test_contact_gives_the_contact_answer(bot: Harness, knowledge: KnowledgeBase):
    sent = only(await bot.replies(fake.message("/contact")))
    assert seen(sent) == shown(render.render_contact(knowledge))
    assert render.CONTACT_EMAIL in sent.result["text"]


async def test_unknown_command_points_to_aide(bot: Harness):
    sent = only(await bot.replies(fake.message("/salaire")))
    assert seen(sent) == shown(texts.render_unknown_command())
    assert "/aide" in sent.text


async def test_command_menu_is_registered_in_french(bot: Harness):
    mark = bot.api.mark()
    await register_commands(bot.app)
    call = only(bot.api.calls_since(mark))
    assert call.method == "setMyCommands" and call.ok
    assert [(c["command"], c["description"]) for c in call.params["commands"]] == list(
        texts.COMMANDS
    )
    assert {"start", "aide", "faq", "defis", "contact"} <= {c["command"] for c in bot.api.commands}


# -- free text --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Quel est le salaire d'un EIG ?",
        "comment candidater",
        "c koi eig",
        "teletravail possible ?",
        "Bonjour",
        GIBBERISH,
    ],
)
async def test_a_question_gets_the_engines_decision(bot: Harness, index: Index, text: str):
    sent = only(await bot.replies(fake.message(text)))
    assert seen(sent) == shown(render.render_decision(index.decide(text), index.knowledge))


async def test_an_answer_comes_with_voir_aussi_buttons(answering_index: Index):
    question = "Quel est le salaire d'un EIG ?"
    decision = answering_index.decide(question)
    assert decision.status == "answer" and decision.entry is not None
    async with running_bot(answering_index) as bot:
        sent = only(await bot.replies(fake.message(question)))
    assert seen(sent) == shown(render.render_entry(decision.entry, answering_index.knowledge))
    assert sent.result["text"].endswith(spaced("Voir aussi :"))
    entry_id = decision.entry.id
    assert [data for _, data in sent.buttons] == [
        *(f"v1:e:{r}" for r in decision.entry.related),
        encode_vote(entry_id, useful=True, key=KEY, place=str(fake.USER_ID)),
        encode_vote(entry_id, useful=False, key=KEY, place=str(fake.USER_ID)),
    ]


async def test_suggestions_are_buttons_and_a_tap_gives_that_answer(suggesting_index: Index):
    question = "salaire et contrat"
    decision = suggesting_index.decide(question)
    assert decision.status == "suggest" and len(decision.suggestions) >= 2
    async with running_bot(suggesting_index) as bot:
        offer = only(await bot.replies(fake.message(question)))
        assert offer.result["text"].startswith(spaced(render.SUGGESTIONS_OPENING))
        assert [label for label, _ in offer.buttons] == [
            spaced(e.title) for e in decision.suggestions
        ]
        _, data = offer.buttons[1]
        answer = only(await bot.replies(fake.callback(data, sent=offer.result)))
    chosen = decision.suggestions[1]
    assert seen(answer) == shown(render.render_entry(chosen, suggesting_index.knowledge))


async def test_fallback_offers_the_topics_and_the_contact(bot: Harness, knowledge: KnowledgeBase):
    sent = only(await bot.replies(fake.message(GIBBERISH)))
    assert seen(sent) == shown(render.render_fallback(knowledge, outside=True))
    assert render.CONTACT_EMAIL in sent.result["text"]
    assert all(data.startswith("v1:t:") for _, data in sent.buttons)


def long_base() -> KnowledgeBase:
    paragraphs = [
        f"Paragraphe {n} : " + "les entrepreneurs d'intérêt général & leurs mentors " * 9
        for n in range(1, 13)
    ]
    return KnowledgeBase(
        (
            Entry(
                "long", ("Une très longue réponse ?",), "\n\n".join(paragraphs), related=("court",)
            ),
            Entry("court", ("Une réponse courte ?",), "Courte."),
        )
    )


async def test_a_long_answer_arrives_in_parts_cut_between_paragraphs():
    knowledge = long_base()
    reply = render.render_entry(knowledge.by_id["long"], knowledge)
    assert len(reply.html) > fake.MAX_TEXT
    async with running_bot(Index(knowledge)) as bot:
        calls = await bot.feed(fake.message("/start long"))
    assert all(c.ok for c in calls), [c.error for c in calls]
    parts = [c for c in calls if c.method == "sendMessage"]
    assert len(parts) == 2
    assert "\n\n".join(p.text for p in parts) == reply.html  # nothing lost, cut at a blank line
    assert [p.buttons for p in parts] == [[], shown(reply)[1]]  # buttons under the last part


async def test_the_engine_is_read_through_the_holder(bot: Harness, knowledge: KnowledgeBase):
    bot.holder.swap(Index(long_base()))
    sent = only(await bot.replies(fake.message("/start court")))
    assert sent.result["text"] == "Courte."
    stale = await bot.feed(fake.callback("v1:e:remuneration", sent=fake.bot_message()))
    assert [(c.method, c.params.get("text")) for c in stale] == [
        ("answerCallbackQuery", texts.stale_button_notice())
    ]


# -- buttons that the bot did not write, or no longer does -------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        "v1:e:entree-supprimee",
        "v1:t:theme-inconnu",
        "v0:e:remuneration",
        "v1:x:remuneration",
        "v1:e:../../etc/passwd",
        "n'importe quoi",
        "v1:e:" + "a" * 70,
    ],
)
async def test_stale_or_forged_button_gets_a_short_notice(bot: Harness, data: str, caplog):
    calls = await bot.feed(fake.callback(data, sent=fake.bot_message()))
    assert [(c.method, c.params.get("text"), c.ok) for c in calls] == [
        ("answerCallbackQuery", texts.stale_button_notice(), True)
    ]
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


# -- inline mode ------------------------------------------------------------------------------


async def test_inline_query_lists_matching_questions(bot: Harness, index: Index):
    call = only(await bot.feed(fake.inline_query("salaire")))
    assert call.method == "answerInlineQuery" and call.ok
    results = call.params["results"]
    assert 1 <= len(results) <= 10
    for result in results:
        entry = index.knowledge.by_id[result["id"].removeprefix("e:")]
        assert result["title"] == entry.title
        assert result["description"] == texts.entry_preview(entry)
        content = result["input_message_content"]
        assert content["message_text"] == render.render_entry(entry, index.knowledge).html
        assert content["parse_mode"] == "HTML"
    assert "e:remuneration" in [r["id"] for r in results]


@pytest.mark.parametrize("text", ["", "   ", GIBBERISH])
async def test_inline_query_without_a_match_lists_the_topics(bot: Harness, knowledge, text):
    call = only(await bot.feed(fake.inline_query(text)))
    results = call.params["results"]
    assert [(r["id"], r["title"]) for r in results] == [
        (f"t:{b.target}", b.label) for b in render.topic_buttons(knowledge)
    ]


async def test_a_tap_in_an_inline_message_edits_it_into_the_answer(
    bot: Harness, knowledge: KnowledgeBase
):
    call = only(await bot.feed(fake.inline_query("")))
    topic = next(r for r in call.params["results"] if r["id"] == "t:candidature")
    _, data = fake.keyboard_buttons(topic["reply_markup"])[0]
    calls = await bot.feed(fake.callback(data, inline_message_id="BAAAAN0Xaa"))
    assert [c.method for c in calls] == ["answerCallbackQuery", "editMessageText"]
    edit = calls[1]
    assert edit.ok and edit.params["inline_message_id"] == "BAAAAN0Xaa"
    entry = knowledge.by_id[data.removeprefix("v1:e:")]
    assert seen(edit) == shown(render.render_entry(entry, knowledge), INLINE_PLACE)


# -- groups -----------------------------------------------------------------------------------


async def test_in_a_group_the_bot_ignores_messages_not_meant_for_it(bot: Harness):
    for update in [
        fake.message("Quel est le salaire d'un EIG ?", chat_id=fake.GROUP_ID),
        fake.message("/start@un_autre_bot", chat_id=fake.GROUP_ID),
        fake.message("demandez à @un_autre_bot", chat_id=fake.GROUP_ID),
        fake.sticker(chat_id=fake.GROUP_ID),
    ]:
        assert await bot.feed(update) == []


async def test_in_a_group_a_mention_is_answered_in_reply(bot: Harness, index: Index):
    update = fake.message("@eig_test_bot quel est le salaire ?", chat_id=fake.GROUP_ID)
    sent = only(await bot.replies(update))
    assert int(sent.params["chat_id"]) == fake.GROUP_ID
    assert sent.params["reply_parameters"]["message_id"] == update["message"]["message_id"]
    decision = index.decide("quel est le salaire ?")
    assert seen(sent) == shown(render.render_decision(decision, index.knowledge), fake.GROUP_ID)


async def test_in_a_group_a_reply_to_the_bot_is_answered(bot: Harness, index: Index):
    earlier = fake.bot_message(chat_id=fake.GROUP_ID)
    sent = only(
        await bot.replies(fake.message("et le salaire ?", chat_id=fake.GROUP_ID, reply_to=earlier))
    )
    decision = index.decide("et le salaire ?")
    assert seen(sent) == shown(render.render_decision(decision, index.knowledge), fake.GROUP_ID)


async def test_in_a_group_commands_for_this_bot_are_answered(bot: Harness, knowledge):
    sent = only(await bot.replies(fake.message("/start@eig_test_bot", chat_id=fake.GROUP_ID)))
    assert seen(sent) == shown(render.render_welcome(knowledge))


async def test_a_message_sent_via_the_bot_is_not_a_question(bot: Harness):
    update = fake.message("Le salaire dépend de l'expérience.", via_bot=fake.BOT_USER)
    assert await bot.feed(update) == []


# -- not text ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "make", [fake.sticker, fake.photo, fake.voice, fake.document, fake.location]
)
async def test_media_get_one_polite_reply(bot: Harness, make: Callable[..., dict]):
    sent = only(await bot.replies(make()))
    assert seen(sent) == shown(texts.render_not_text())
    assert "questions écrites" in sent.result["text"]


async def test_an_album_gets_one_reply_not_one_per_photo(bot: Harness):
    replies = []
    for _ in range(3):
        replies += await bot.replies(fake.photo(media_group_id="13579"))
    assert len(replies) == 1


# -- flood ------------------------------------------------------------------------------------


async def test_a_flooding_user_is_warned_once_then_ignored_for_a_while(index: Index):
    now = [1000.0]
    guard = FloodGuard(FloodLimits(messages=3, window=60, pause=30), clock=lambda: now[0])
    async with running_bot(index, flood=guard) as bot:
        answered = [len(await bot.replies(fake.message("salaire"))) for _ in range(3)]
        warning = only(await bot.replies(fake.message("salaire")))
        ignored = [await bot.feed(fake.message("salaire")) for _ in range(3)]
        tap = await bot.feed(fake.callback("v1:t:candidature", sent=fake.bot_message()))
        now[0] += 31
        again = await bot.replies(fake.message("salaire"))
        other_user = await bot.replies(fake.message("salaire", user_id=99, chat_id=99))
    assert answered == [1, 1, 1]
    assert seen(warning) == shown(texts.render_flood_notice(30))
    assert warning.result["text"].startswith(spaced("Doucement !"))
    assert ignored == [[], [], []]
    assert [c.method for c in tap] == ["answerCallbackQuery"]  # no spinner left hanging
    assert len(again) == 1 and len(other_user) == 1


# -- faults -----------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [500, 502, fake.DROPPED])
async def test_a_transient_failure_is_retried_and_the_reply_arrives(bot: Harness, status: int):
    bot.api.fail_next("sendMessage", status)
    calls = await bot.feed(fake.message("/aide"))
    assert [(c.method, c.status) for c in calls] == [("sendMessage", status), ("sendMessage", 200)]


async def test_a_send_that_times_out_is_neither_sent_again_nor_apologised_for(bot: Harness):
    # Telegram got the message but its answer came too late: it may well have been delivered.
    bot.api.fail_next("sendMessage", fake.HANG, hang=8.0)
    calls = await bot.feed(fake.message("/aide"))
    assert [(c.method, c.status) for c in calls] == [("sendMessage", 200)]


async def test_a_429_is_honoured_and_the_reply_arrives(bot: Harness):
    bot.api.fail_next(
        "sendMessage", 429, retry_after=1, description="Too Many Requests: retry after 1"
    )
    calls = await bot.feed(fake.message("/aide"))
    assert [(c.method, c.status) for c in calls] == [("sendMessage", 429), ("sendMessage", 200)]


async def test_a_blocked_user_is_logged_not_retried(bot: Harness, caplog):
    bot.api.fail_next("sendMessage", 403, description="Forbidden: bot was blocked by the user")
    with caplog.at_level(logging.INFO):
        calls = await bot.feed(fake.message("/aide"))
    assert [(c.method, c.status) for c in calls] == [("sendMessage", 403)]
    assert any("bot was blocked" in r.getMessage() for r in caplog.records)


async def test_a_refused_message_is_not_retried_and_the_user_gets_an_apology(bot: Harness, caplog):
    bot.api.fail_next("sendMessage", 400, description="Bad Request: message is too long")
    calls = await bot.feed(fake.message("/aide"))
    assert [(c.method, c.status) for c in calls] == [("sendMessage", 400), ("sendMessage", 200)]
    assert seen(calls[1]) == shown(render.render_apology())
    assert any(r.levelno == logging.ERROR for r in caplog.records)


class BrokenIndex(Index):
    def decide(self, query, *, thresholds=None, context=()):  # type: ignore[override]
        raise RuntimeError("the engine broke")


async def test_a_crash_is_logged_without_user_identifiers_and_apologised_for(
    bot: Harness, knowledge: KnowledgeBase, caplog
):
    bot.holder.swap(BrokenIndex(knowledge))
    # Our loggers at DEBUG; python-telegram-bot's stay above DEBUG, as `bot.logs` sets them.
    with caplog.at_level(logging.DEBUG, logger="bot"):
        sent = only(await bot.replies(fake.message("Quel est le salaire d'un EIG ?")))
    assert seen(sent) == shown(render.render_apology())
    logged = "\n".join(caplog.text.splitlines())
    assert "the engine broke" in logged
    for identifier in (str(fake.USER_ID), fake.USER_NAME, "salaire"):
        assert identifier not in logged
