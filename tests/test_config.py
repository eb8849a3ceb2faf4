"""Settings for the Telegram layer: clear French errors that never repeat the value."""

from __future__ import annotations

import pytest

from bot.config import DEFAULT_API_URL, PLATFORM_ROUTERS, ConfigError, Settings

TOKEN = "123456789:AAF4keT0kenForTests_only-abcdefghijk"


def test_defaults_poll_the_public_api():
    settings = Settings.from_env({"TELEGRAM_BOT_TOKEN": TOKEN})
    assert settings.api_url == DEFAULT_API_URL
    assert settings.webhook_url is None
    assert settings.webhook_listen == "0.0.0.0"
    assert settings.port == 8080
    assert TOKEN not in repr(settings)


def test_webhook_settings_are_read():
    settings = Settings.from_env(
        {
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_API_URL": "http://127.0.0.1:8081/",
            "WEBHOOK_URL": "https://eig-bot.osc-fr1.scalingo.io/telegram",
            "WEBHOOK_SECRET": "Abc_123-xyz",
            "WEBHOOK_LISTEN": "127.0.0.1",
            "PORT": "5000",
        }
    )
    assert settings.api_url == "http://127.0.0.1:8081"
    assert settings.webhook_url == "https://eig-bot.osc-fr1.scalingo.io/telegram"
    assert settings.webhook_listen == "127.0.0.1" and settings.port == 5000
    assert "Abc_123-xyz" not in repr(settings)


@pytest.mark.parametrize(
    ("name", "value", "says"),
    [
        ("TELEGRAM_API_URL", "botapi.exemple.fr", "TELEGRAM_API_URL doit être une adresse"),
        ("WEBHOOK_URL", "http://eig-bot.example.org/hook", "commencer par https://"),
        ("WEBHOOK_SECRET", "pas de espaces!", "WEBHOOK_SECRET doit faire de 1 à 256"),
        ("WEBHOOK_SECRET", "x" * 257, "WEBHOOK_SECRET doit faire de 1 à 256"),
        ("PORT", "quatre-vingts", "PORT doit être un nombre entier positif"),
        ("DATABASE_URL", "mysql://u:secret-pw@db/eig", "DATABASE_URL doit être l'adresse d'une"),
    ],
)
def test_a_malformed_setting_is_named_in_french_without_its_value(name, value, says):
    with pytest.raises(ConfigError) as error:
        Settings.from_env({"TELEGRAM_BOT_TOKEN": TOKEN, name: value})
    assert says in str(error.value)
    assert value not in str(error.value)


@pytest.mark.parametrize("token", [None, "", "   ", "123:abc", "pas-un-jeton", "12345:" + "é" * 30])
def test_a_missing_or_malformed_token_is_a_clear_error(token):
    env = {} if token is None else {"TELEGRAM_BOT_TOKEN": token}
    with pytest.raises(ConfigError) as error:
        Settings.from_env(env).require_token()
    assert "TELEGRAM_BOT_TOKEN" in str(error.value) and "@BotFather" in str(error.value)
    if token and token.strip():
        assert token not in str(error.value)


def test_database_url_is_read_and_every_secret_in_it_is_known():
    url = "postgresql://eig:s3cr%40t-pw@db.example.org:5432/eig"
    settings = Settings.from_env({"DATABASE_URL": url, "WEBHOOK_SECRET": "Abc_123"})
    assert settings.database_url == url
    assert url not in repr(settings) and "s3cr" not in repr(settings)
    assert set(settings.secrets()) == {url, "s3cr%40t-pw", "s3cr@t-pw", "Abc_123"}
    assert Settings.from_env({}).database_url is None


def test_web_settings_are_read():
    settings = Settings.from_env(
        {
            "WEB_ALLOWED_ORIGINS": "https://entrepreneur-interet-general.etalab.gouv.fr/, "
            "http://localhost:8000",
            "FORWARDED_ALLOW_IPS": "*",
        }
    )
    assert settings.web_allowed_origins == (
        "https://entrepreneur-interet-general.etalab.gouv.fr",
        "http://localhost:8000",
    )
    assert settings.forwarded_allow_ips == PLATFORM_ROUTERS  # not every address: see its note
    defaults = Settings.from_env({})
    assert defaults.web_allowed_origins == () and defaults.forwarded_allow_ips == "127.0.0.1"


@pytest.mark.parametrize(
    ("name", "value", "says"),
    [
        ("WEB_ALLOWED_ORIGINS", "https://site.gouv.fr/chat", "sans chemin"),
        ("WEB_ALLOWED_ORIGINS", "site.gouv.fr", "sans chemin"),
        ("WEB_ALLOWED_ORIGINS", "*", "sans chemin"),
        ("FORWARDED_ALLOW_IPS", "le routeur", "FORWARDED_ALLOW_IPS doit valoir *"),
    ],
)
def test_a_malformed_web_setting_is_named_in_french(name, value, says):
    with pytest.raises(ConfigError) as error:
        Settings.from_env({name: value})
    assert says in str(error.value) and name in str(error.value)
