"""End to end: `python -m bot run` against a loopback fake Bot API, a whole conversation, faults.

The bot runs as a child process, exactly as on a server, with `TELEGRAM_API_URL` pointing at
`FakeBotApiServer`. The fake refuses what Telegram refuses (invalid HTML, text over 4,096
characters, empty text, callback data over 64 bytes), so every accepted call is one Telegram
would accept too. Every wait is bounded.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from bot_process import BotProcess, bot_process

from bot.engine import Index
from bot.knowledge import KnowledgeBase
from bot.replies import render
from bot.telegram_bot import texts
from bot.telegram_bot.callbacks import encode, encode_vote, signing_key
from bot.testing import fake_bot_api as fake

STARTUP = 20.0
KEY = signing_key(fake.TOKEN)
STEP = 10.0


def shown(reply: render.Reply, chat: int = fake.USER_ID) -> tuple[str, list[tuple[str, str]]]:
    buttons = [(b.label, encode(b)) for b in reply.buttons]
    if reply.entry_id is not None:  # an entry's answer ends with "Utile" / "Pas utile"
        useful, not_useful = render.VOTE_LABELS
        buttons += [
            (useful, encode_vote(reply.entry_id, useful=True, key=KEY, place=str(chat))),
            (not_useful, encode_vote(reply.entry_id, useful=False, key=KEY, place=str(chat))),
        ]
    return reply.html, buttons


def transcript(api: fake.FakeBotApi) -> str:
    """The calls the bot made, one line each (getUpdates polls left out)."""
    lines = []
    for call in api.calls:
        if call.method == "getUpdates":
            continue
        what = call.text.splitlines()[0][:70] if call.text else ""
        if call.method == "answerInlineQuery":
            what = ", ".join(r["id"] for r in call.params["results"])
        elif call.method == "answerCallbackQuery":
            what = str(call.params.get("text") or "(silent)")
        elif call.method == "setMyCommands":
            what = " ".join("/" + c["command"] for c in call.params["commands"])
        buttons = f" [{len(call.buttons)} buttons]" if call.buttons else ""
        lines.append(f"{call.status} {call.method}: {what}{buttons}")
    return "\n".join(lines)


def converse(api: fake.FakeBotApi, update: dict, method: str = "sendMessage") -> fake.Call:
    """Send one update; the first accepted call of `method` the bot makes in response."""
    mark = api.mark()
    api.push(update)
    return api.wait_for(method, after=mark, timeout=STEP)


@pytest.fixture
def server():
    api = fake.FakeBotApi()
    with fake.FakeBotApiServer(api) as running:
        yield running


def start(server: fake.FakeBotApiServer, folder: Path, **env: str):
    return bot_process(
        folder,
        TELEGRAM_BOT_TOKEN=fake.TOKEN,
        TELEGRAM_API_URL=server.url,
        LOG_LEVEL="DEBUG",
        **env,
    )


def assert_no_secret(bot: BotProcess) -> None:
    output = bot.output()
    assert fake.TOKEN not in output
    assert fake.TOKEN.partition(":")[2] not in output


def test_a_whole_conversation_with_faults_then_a_clean_stop(
    server: fake.FakeBotApiServer, tmp_path: Path, knowledge: KnowledgeBase, index: Index
):
    api = server.api
    with start(server, tmp_path) as bot:
        api.wait_for("setMyCommands", timeout=STARTUP)
        api.wait_for("getUpdates", timeout=STEP)
        assert [c["command"] for c in api.commands] == [c for c, _ in texts.COMMANDS]
        first_poll = next(i for i, c in enumerate(api.calls) if c.method == "getUpdates")
        startup = [c.method for c in api.calls[:first_poll]]
        assert startup == ["getMe", "setMyCommands", "deleteWebhook"]

        # /start: the welcome and the main topics.
        welcome = converse(api, fake.message("/start"))
        assert (welcome.text, welcome.buttons) == shown(render.render_welcome(knowledge))

        # A question: the engine's decision, rendered.
        question = "Quel est le salaire d'un EIG ?"
        answer = converse(api, fake.message(question))
        expected = render.render_decision(index.decide(question), knowledge)
        assert (answer.text, answer.buttons) == shown(expected)

        # A tap on the first button under that answer ("Voir aussi" or a suggestion).
        _, data = answer.buttons[0]
        mark = api.mark()
        tap = converse(api, fake.callback(data, sent=answer.result))
        assert api.wait_for("answerCallbackQuery", after=mark, timeout=STEP).ok
        opened = render.render_target("entry", data.removeprefix("v1:e:"), knowledge)
        assert opened is not None and (tap.text, tap.buttons) == shown(opened)

        # Inline mode.
        inline = converse(api, fake.inline_query("salaire"), "answerInlineQuery")
        assert 1 <= len(inline.params["results"]) <= 10

        # A sticker: one polite reply.
        polite = converse(api, fake.sticker())
        assert (polite.text, polite.buttons) == shown(texts.render_not_text())

        # A forged button: a notice, no exception, no message.
        forged = converse(
            api, fake.callback("v1:e:x';DROP", sent=answer.result), "answerCallbackQuery"
        )
        assert forged.params["text"] == texts.stale_button_notice()

        # An HTTP 500, then a 429 with retry_after: the replies still arrive. (Another candidate
        # writes now: eight messages in a few seconds is the flood guard's limit for one person.)
        other = {"user_id": 77, "chat_id": 77}
        api.fail_next("sendMessage", 500)
        mark = api.mark()
        helped = converse(api, fake.message("/aide", **other))
        assert [c.status for c in api.calls_since(mark, "sendMessage")] == [500, 200]
        assert (helped.text, helped.buttons) == shown(render.render_help(knowledge), 77)

        api.fail_next(
            "sendMessage", 429, retry_after=1, description="Too Many Requests: retry after 1"
        )
        mark = api.mark()
        contact = converse(api, fake.message("/contact", **other))
        assert [c.status for c in api.calls_since(mark, "sendMessage")] == [429, 200]
        assert (contact.text, contact.buttons) == shown(render.render_contact(knowledge), 77)

        # SIGTERM while a reply is in flight (waiting to retry a 500): it is still delivered.
        api.fail_next("sendMessage", 500)
        mark = api.mark()
        api.push(fake.message("/defis", **other))
        api.wait_for("sendMessage", after=mark, ok=False, timeout=STEP)
        code = bot.terminate()
        assert code == 0, bot.output()
        late = api.wait_for("sendMessage", after=mark, timeout=1)
        assert (late.text, late.buttons) == shown(render.render_defis(knowledge), 77)

        assert_no_secret(bot)
        assert "Traceback" not in bot.output()
    refused = [c for c in api.calls if c.status == 400]
    assert refused == [], refused
    print("\n" + transcript(api))


def test_a_token_that_telegram_refuses_stops_with_a_french_message(
    server: fake.FakeBotApiServer, tmp_path: Path
):
    other = "987654321:AAHsomeOtherTokenThatTheServerRefuses"
    with bot_process(tmp_path, TELEGRAM_BOT_TOKEN=other, TELEGRAM_API_URL=server.url) as bot:
        assert bot.wait(timeout=STARTUP) == 1
        output = bot.output()
    assert "Telegram refuse le jeton TELEGRAM_BOT_TOKEN" in output
    assert other not in output and other.partition(":")[2] not in output
    assert "Traceback" not in output


@pytest.mark.parametrize(
    ("token", "says"),
    [
        (None, "TELEGRAM_BOT_TOKEN n'est pas défini"),
        ("pas-un-jeton-valide", "TELEGRAM_BOT_TOKEN n'a pas la forme d'un jeton Telegram"),
    ],
)
def test_a_missing_or_malformed_token_is_a_clear_error(tmp_path: Path, token, says):
    env = {} if token is None else {"TELEGRAM_BOT_TOKEN": token}
    with bot_process(tmp_path, TELEGRAM_API_URL="http://127.0.0.1:9", **env) as bot:
        assert bot.wait(timeout=STARTUP) == 1
        output = bot.output()
    assert says in output and "Traceback" not in output
    if token:
        assert token not in output
