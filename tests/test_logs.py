"""Logs never carry the token or the webhook secret, wherever a library puts them."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest

from bot import logs
from bot.testing import fake_bot_api as fake

SECRET = "s3cr3t-webhook_value"


@pytest.fixture
def output() -> Iterator[io.StringIO]:
    root = logging.getLogger()
    saved = (
        root.handlers[:],
        root.level,
        {n: logging.getLogger(n).level for n in ("httpx", "telegram")},
    )
    stream = io.StringIO()
    handler = logs.configure("DEBUG", [fake.TOKEN, SECRET, None])
    handler.setStream(stream)
    yield stream
    root.handlers[:] = saved[0]
    root.setLevel(saved[1])
    for name, level in saved[2].items():
        logging.getLogger(name).setLevel(level)
    logging.captureWarnings(False)


def test_the_token_is_redacted_in_messages_arguments_and_tracebacks(output: io.StringIO):
    log = logging.getLogger("bot.test")
    secret_part = fake.TOKEN.partition(":")[2]
    log.info("POST https://api.telegram.org/bot%s/getMe", fake.TOKEN)
    log.info("the token `%s` was rejected", fake.TOKEN.replace(":", "%3A"))
    log.info("only its secret part: %s", secret_part)
    log.warning("webhook secret %s", SECRET)
    try:
        raise RuntimeError(f"The token `{fake.TOKEN}` was rejected by the server.")
    except RuntimeError:
        log.exception("startup failed")
    text = output.getvalue()
    assert fake.TOKEN not in text and secret_part not in text and SECRET not in text
    assert text.count(logs.REDACTED) == 5
    assert "RuntimeError: The token `[redacted]` was rejected" in text


def test_libraries_that_log_urls_or_chat_ids_stay_quiet(output: io.StringIO):
    logging.getLogger("httpx").info(
        "HTTP Request: POST https://api.telegram.org/bot%s/x", fake.TOKEN
    )
    logging.getLogger("telegram.ext.ExtBot").debug("Calling sendMessage with chat_id 4242")
    logging.getLogger("bot.handlers").debug("our own debug line")
    text = output.getvalue()
    assert "HTTP Request" not in text and "4242" not in text
    assert "our own debug line" in text


def test_a_library_s_info_lines_on_the_root_logger_stay_out(output: io.StringIO) -> None:
    """onnxruntime's quantizer calls `logging.info` once per tensor at a first start."""
    quantizer = "/venv/lib/python3.11/site-packages/onnxruntime/quantization/onnx_quantizer.py"
    for level, words in ((logging.INFO, "not specified"), (logging.WARNING, "could not")):
        record = logging.LogRecord(
            "root", level, quantizer, 530, "Quantization parameters %s", (words,), None
        )
        logging.getLogger().handle(record)
    logging.info("a root line of the bot's own")  # from this file: not a library's
    text = output.getvalue()
    assert "not specified" not in text
    assert "Quantization parameters could not" in text  # a library's warning still shows
    assert "a root line of the bot's own" in text


PAYLOAD = {
    "update_id": 7,
    "message": {"from": {"first_name": "Dominique"}, "text": "dominique@example.org 0612345678"},
}


def test_python_telegram_bots_own_lines_never_carry_a_payload(output: io.StringIO):
    # What python-telegram-bot writes when it cannot parse an update, or builds a context.
    logging.getLogger("telegram.Bot").critical(
        "Error while parsing updates! Received data was %r", [PAYLOAD]
    )
    try:
        int("dominique@example.org")
    except ValueError as error:
        logging.getLogger("telegram.ext.Application").critical(
            "Error while building CallbackContext for update %s.", PAYLOAD, exc_info=error
        )
    logging.getLogger("telegram.request.BaseRequest").error(
        'Can not load invalid JSON data: "%s"', '{"ok": true, "result": [{"text": "Dominique"'
    )
    text = output.getvalue()
    for private in ("Dominique", "dominique@example.org", "0612345678"):
        assert private not in text
    assert "Error while parsing updates! Received data was <omitted>" in text
    assert "for update <omitted>. (ValueError, details left out)" in text
    assert text.count("\n") == 3, "one line each, no traceback"


def test_a_line_and_a_traceback_have_a_bounded_length(output: io.StringIO):
    log = logging.getLogger("bot.test")
    log.warning("%s", "x" * 1_000_000)
    try:
        raise RuntimeError("y" * 1_000_000)
    except RuntimeError:
        log.exception("failed")
    assert len(output.getvalue()) < logs.MAX_MESSAGE + logs.MAX_TRACEBACK + 500


def test_a_repeated_failure_is_rate_limited(output: io.StringIO):
    now = [0.0]
    limited = logs.RateLimited(
        logging.getLogger("bot.test"), burst=3, period=60, clock=lambda: now[0]
    )
    for _ in range(600):
        limited.log(logging.WARNING, "Fetching updates failed")
    now[0] = 61.0
    limited.log(logging.WARNING, "Fetching updates failed")
    lines = output.getvalue().splitlines()
    assert sum("Fetching updates failed" in line for line in lines) == 4
    assert any("597 more similar line(s) left out in the last 60 s" in line for line in lines)
