"""Settings from the environment: the only module that reads environment variables."""

from __future__ import annotations

import os
import re
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_API_URL = "https://api.telegram.org"
DEFAULT_LISTEN = "0.0.0.0"  # a PaaS routes $PORT to the container's interfaces
_TOKEN = re.compile(r"^\d{3,20}:[A-Za-z0-9_-]{20,}$")
_SECRET = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
_HTTP_URL = re.compile(r"^https?://[^\s/]+")
_DATABASE_URL = re.compile(r"^postgres(?:ql)?://\S+$")
_ORIGIN = re.compile(r"^https?://[A-Za-z0-9.-]+(?::\d{1,5})?$")
_PROXIES = re.compile(r"^(\*|[0-9A-Fa-f.:/]+)$")
DEFAULT_TRUSTED_PROXIES = "127.0.0.1"  # a reverse proxy on the same machine, as uvicorn assumes
PLATFORM_ROUTERS = "10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,100.64.0.0/10,127.0.0.0/8,::1,fc00::/7"
"""What FORWARDED_ALLOW_IPS=* trusts: a platform's router reaches the app from a private address.
Trusting every address instead would make uvicorn take the first one of X-Forwarded-For, which
the client writes itself (one header per request, and no rate limit holds); trusting these, it
takes the last address that is not one of them: the one the router saw."""


class ConfigError(Exception):
    """A setting is missing or malformed; the message says which, in French, without its value."""


@dataclass(frozen=True)
class Settings:
    """Everything the bot reads from its environment."""

    token: str | None = field(default=None, repr=False)
    api_url: str = DEFAULT_API_URL
    admin_ids: frozenset[int] = frozenset()
    knowledge_dir: Path = Path("knowledge")
    log_level: str = "INFO"
    webhook_url: str | None = None
    port: int = 8080
    webhook_secret: str | None = field(default=None, repr=False)
    webhook_listen: str = DEFAULT_LISTEN
    data_dir: Path = Path("data")
    retention_days: int = 90
    database_url: str | None = field(default=None, repr=False)
    """PostgreSQL for the question log (a PaaS add-on); None: SQLite in data_dir."""
    web_allowed_origins: tuple[str, ...] = ()
    """Sites (scheme://host[:port]) that may call the web API and embed the chat in a frame."""
    forwarded_allow_ips: str = DEFAULT_TRUSTED_PROXIES
    """Proxies whose X-Forwarded-For names the web client (for the per-client rate limit)."""
    embeddings_dir: Path | None = None
    """Where the embedding cache lives; None: `DATA_DIR/embeddings`."""

    @property
    def embedding_cache(self) -> Path:
        """The folder of the embedding cache (EMBEDDINGS_DIR, or DATA_DIR/embeddings)."""
        return self.embeddings_dir or self.data_dir / "embeddings"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Build settings from `env` (the process environment by default)."""
        env = os.environ if env is None else env

        def get(name: str) -> str | None:
            value = env.get(name, "").strip()
            return value or None

        admin_ids: set[int] = set()
        for part in (get("ADMIN_IDS") or "").replace(";", ",").split(","):
            if not part.strip():
                continue
            if not part.strip().lstrip("-").isdigit():
                raise ConfigError(
                    "ADMIN_IDS doit être une liste d'identifiants Telegram numériques séparés "
                    "par des virgules (par exemple 12345,67890)"
                )
            admin_ids.add(int(part))
        port = _int(get("PORT"), "PORT", 8080)
        retention = _int(get("RETENTION_DAYS"), "RETENTION_DAYS", 90)
        level = (get("LOG_LEVEL") or "INFO").upper()
        if level not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
            raise ConfigError("LOG_LEVEL doit valoir DEBUG, INFO, WARNING, ERROR ou CRITICAL")
        api_url = (get("TELEGRAM_API_URL") or DEFAULT_API_URL).rstrip("/")
        if not _HTTP_URL.match(api_url):
            raise ConfigError(
                "TELEGRAM_API_URL doit être une adresse qui commence par https:// ou http:// "
                "(par exemple https://api.telegram.org)"
            )
        webhook_url = get("WEBHOOK_URL")
        if webhook_url is not None and not webhook_url.startswith("https://"):
            raise ConfigError(
                "WEBHOOK_URL doit être l'adresse publique du bot et commencer par https:// "
                "(Telegram n'appelle que des adresses https), par exemple "
                "https://mon-bot.osc-fr1.scalingo.io/telegram"
            )
        database_url = get("DATABASE_URL")
        if database_url is not None and not _DATABASE_URL.match(database_url):
            raise ConfigError(
                "DATABASE_URL doit être l'adresse d'une base PostgreSQL, de la forme "
                "postgresql://utilisateur:mot-de-passe@hôte:5432/base (la plateforme la fournit "
                "avec son module PostgreSQL)"
            )
        secret = get("WEBHOOK_SECRET")
        if secret is not None and not _SECRET.match(secret):
            raise ConfigError(
                "WEBHOOK_SECRET doit faire de 1 à 256 caractères parmi A-Z, a-z, 0-9, _ et -"
            )
        return cls(
            web_allowed_origins=_origins(get("WEB_ALLOWED_ORIGINS")),
            forwarded_allow_ips=_proxies(get("FORWARDED_ALLOW_IPS")),
            token=get("TELEGRAM_BOT_TOKEN"),
            api_url=api_url,
            admin_ids=frozenset(admin_ids),
            knowledge_dir=Path(get("KNOWLEDGE_DIR") or "knowledge"),
            log_level=level,
            webhook_url=webhook_url,
            port=port,
            webhook_secret=secret,
            webhook_listen=get("WEBHOOK_LISTEN") or DEFAULT_LISTEN,
            data_dir=Path(get("DATA_DIR") or "data"),
            retention_days=retention,
            database_url=database_url,
            embeddings_dir=Path(value) if (value := get("EMBEDDINGS_DIR")) else None,
        )

    def require_token(self) -> str:
        """The bot token, or a ConfigError that never shows the value."""
        if not self.token:
            raise ConfigError(
                "TELEGRAM_BOT_TOKEN n'est pas défini : créez un bot avec @BotFather et mettez son "
                "jeton dans la variable d'environnement TELEGRAM_BOT_TOKEN"
            )
        if not _TOKEN.match(self.token):
            raise ConfigError(
                "TELEGRAM_BOT_TOKEN n'a pas la forme d'un jeton Telegram (123456:ABC…) ; "
                "vérifiez la valeur donnée par @BotFather"
            )
        return self.token

    def secrets(self) -> tuple[str, ...]:
        """Every secret value the logs must never show: the token, the webhook secret, the
        database address and its password (also alone, as a driver's message may quote it)."""
        found = [self.token, self.webhook_secret, self.database_url]
        password = urllib.parse.urlsplit(self.database_url or "").password
        if password:
            found += [password, urllib.parse.unquote(password)]
        return tuple(value for value in found if value)


def _int(value: str | None, name: str, default: int) -> int:
    if value is None:
        return default
    if not value.isdigit() or int(value) <= 0:
        raise ConfigError(f"{name} doit être un nombre entier positif")
    return int(value)


def _origins(value: str | None) -> tuple[str, ...]:
    """WEB_ALLOWED_ORIGINS: origins separated by commas or spaces, a trailing slash tolerated."""
    origins = [part.strip().rstrip("/") for part in (value or "").replace(",", " ").split()]
    if not all(_ORIGIN.match(origin) for origin in origins):
        raise ConfigError(
            "WEB_ALLOWED_ORIGINS doit lister des origines séparées par des virgules, chacune de la "
            "forme https://site.gouv.fr (sans chemin), par exemple "
            "https://entrepreneur-interet-general.etalab.gouv.fr"
        )
    return tuple(dict.fromkeys(origins))


def _proxies(value: str | None) -> str:
    """FORWARDED_ALLOW_IPS: `*`, or proxy addresses (IP or network) separated by commas."""
    if value is None:
        return DEFAULT_TRUSTED_PROXIES
    if value.strip() == "*":
        return PLATFORM_ROUTERS
    parts = [part.strip() for part in value.split(",") if part.strip()]
    if not parts or not all(_PROXIES.match(part) for part in parts):
        raise ConfigError(
            "FORWARDED_ALLOW_IPS doit valoir * (derrière le routeur d'une plateforme) ou une liste "
            "d'adresses IP de proxys séparées par des virgules, par exemple 127.0.0.1,10.0.0.0/8"
        )
    return ",".join(parts)
