"""Callback data: what the bot writes fits Telegram's 64 bytes and reads back; nothing else does."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.knowledge import KnowledgeBase
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


@pytest.mark.parametrize(
    "data",
    ["v1::remuneration", "v1:un:remuneration", "v1:e:remuneration", "v1:u:", "v1:u:a:b"],
)
def test_a_vote_is_only_what_the_bot_wrote_as_a_vote(data: str):
    assert callbacks.decode_vote(data) is None


@pytest.mark.parametrize(
    "data",
    ["v1:c::remuneration", "v1:c:x1:remuneration", "v1:c:12", "v1:c:12:", "v1:e:12:remuneration"],
)
def test_a_choice_is_only_what_the_bot_wrote_as_a_choice(data: str):
    assert callbacks.decode_choice(data) is None


@given(st.text(max_size=100))
def test_decoding_never_raises(data: str):
    tap = callbacks.decode(data)
    assert tap is None or callbacks.encode(render.Button("x", tap.action, tap.target)) == data
