"""Callback data: what the bot writes fits Telegram's 64 bytes and reads back; nothing else does."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.knowledge import KnowledgeBase
from bot.knowledge.schema import MAX_ID_LENGTH
from bot.replies import render
from bot.telegram_bot import callbacks


def every_button(knowledge: KnowledgeBase) -> list[render.Button]:
    entries = [render.entry_button(e) for e in knowledge.entries]
    topics = [render.Button(label, "topic", key) for key, label in render.TOPICS.items()]
    return entries + topics


def test_every_button_of_the_base_fits_and_reads_back(knowledge: KnowledgeBase):
    for button in every_button(knowledge):
        data = callbacks.encode(button)
        assert len(data.encode()) <= callbacks.MAX_BYTES
        assert data.startswith(f"{callbacks.VERSION}:")
        assert callbacks.decode(data) == callbacks.Tap(button.action, button.target)


def test_examples_of_the_format():
    assert (
        callbacks.encode(render.Button("Salaire", "entry", "remuneration")) == "v1:e:remuneration"
    )
    assert (
        callbacks.encode(render.Button("Candidater", "topic", "candidature")) == "v1:t:candidature"
    )


def test_a_target_that_cannot_fit_is_refused_when_encoding():
    with pytest.raises(ValueError):
        callbacks.encode(render.Button("Trop long", "entry", "a" * 60))


@pytest.mark.parametrize(
    "data",
    [
        None,
        "",
        "v1",
        "v1:e",
        "v1:e:",
        "v2:e:remuneration",
        "v0:e:remuneration",
        "V1:E:remuneration",
        "v1:x:remuneration",
        "v1:e:Remuneration",
        "v1:e:../secret",
        "v1:e:remuneration:extra",
        "v1:e:" + "a" * 60,
        "e:remuneration",
        "v1::remuneration",
        "v1:et:remuneration",
        "v1:u:remuneration",
        "v1:c:12:remuneration",
    ],
)
def test_anything_the_bot_did_not_write_reads_as_nothing(data: str | None):
    assert callbacks.decode(data) is None


KEY = callbacks.signing_key("123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ")
CHAT = "4242"


@pytest.mark.parametrize(
    "data",
    ["v1::remuneration", "v1:un:remuneration", "v1:e:remuneration", "v1:u:", "v1:u:a:b"],
)
def test_a_vote_is_only_what_the_bot_wrote_as_a_vote(data: str):
    assert callbacks.decode_vote(data, key=KEY, place=CHAT) is None


@pytest.mark.parametrize(
    "data",
    ["v1:c::remuneration", "v1:c:x1:remuneration", "v1:c:12", "v1:c:12:", "v1:e:12:remuneration"],
)
def test_a_choice_is_only_what_the_bot_wrote_as_a_choice(data: str):
    assert callbacks.decode_choice(data, key=KEY, place=CHAT) is None


def test_signed_buttons_fit_and_read_back_for_the_longest_entry_id():
    longest = "a" * MAX_ID_LENGTH
    vote = callbacks.encode_vote(longest, useful=False, key=KEY, place=CHAT)
    choice = callbacks.encode_choice("AbCd-_12", longest, key=KEY, place=CHAT)
    assert max(len(vote.encode()), len(choice.encode())) <= callbacks.MAX_BYTES
    assert callbacks.decode_vote(vote, key=KEY, place=CHAT) == callbacks.Vote(longest, False)
    assert callbacks.decode_choice(choice, key=KEY, place=CHAT) == callbacks.Choice(
        "AbCd-_12", longest
    )


def test_a_signed_button_is_valid_only_in_its_chat_and_for_its_bot():
    vote = callbacks.encode_vote("salaire", useful=True, key=KEY, place=CHAT)
    choice = callbacks.encode_choice("AbCd-_12", "salaire", key=KEY, place=CHAT)
    other_bot = callbacks.signing_key("654321:ZYXWVUTSRQPONMLKJIHGFEDCBA")
    for place, key in (("77", KEY), (callbacks.INLINE_PLACE, KEY), (CHAT, other_bot)):
        assert callbacks.decode_vote(vote, key=key, place=place) is None
        assert callbacks.decode_choice(choice, key=key, place=place) is None


@pytest.mark.parametrize(
    "forged",
    [
        "v1:c:1:salaire",  # the old format: a logged question's id, 1, 2, 3…
        "v1:c:AbCd-_12:salaire",  # a choice key without its signature
        "v1:c:AbCd-_13:salaire:{sig}",  # another question's key, this one's signature
        "v1:c:AbCd-_12:conges:{sig}",  # another entry
        "v1:u:salaire:{sig}",  # a vote made of a choice's signature
    ],
)
def test_a_forged_button_reads_as_nothing(forged: str):
    signature = callbacks.encode_choice("AbCd-_12", "salaire", key=KEY, place=CHAT).split(":")[-1]
    data = forged.format(sig=signature)
    assert callbacks.decode_choice(data, key=KEY, place=CHAT) is None
    assert callbacks.decode_vote(data, key=KEY, place=CHAT) is None
    assert callbacks.decode(data) is None


@given(st.text(max_size=100))
def test_decoding_never_raises(data: str):
    tap = callbacks.decode(data)
    assert tap is None or callbacks.encode(render.Button("x", tap.action, tap.target)) == data
