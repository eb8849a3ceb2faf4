"""The web application: the chat page, the JSON API, `/healthz` and Telegram's webhook.

`create_app` wires the routes in one place. The Telegram side is optional and comes in as a
`TelegramWebhook` (built by `bot.telegram_bot.webhook`): this module never imports `telegram`.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from bot.web.api import Api, error_response
from bot.web.bodies import BodyTooLarge, read_capped
from bot.web.chat import WebChat
from bot.web.page import page_headers, render_page
from bot.web.ratelimit import RateLimiter

STATIC = Path(__file__).resolve().parent / "static"
CORS_MAX_AGE = 600
"""Seconds a browser may reuse a CORS preflight answer."""

WEBHOOK_RETRY = "60"
"""Retry-After of the webhook while the Telegram side is not running (Telegram retries anyway)."""

_HTTP_ERRORS = {
    404: "Cette adresse n'existe pas.",
    405: "Cette adresse n'accepte pas cette méthode (les questions s'envoient en POST).",
}


class TelegramWebhook(Protocol):
    """What the webhook route needs from the Telegram side (see `bot.telegram_bot.webhook`)."""

    path: str
    secret_header: str
    max_bytes: int

    @property
    def ready(self) -> bool:
        """Whether updates can be handled now (else 503: Telegram sends them again later)."""

    def authorized(self, secret: str | None) -> bool: ...

    async def receive(self, body: bytes) -> None: ...


WEB_CHAT_PATHS = ("/api/", "/static/", "/healthz")
"""Where the web chat's own routes live: a webhook there would hide them (`/` is free: the page
is a GET, Telegram posts)."""


def taken_by_the_web_chat(path: str) -> bool:
    """Whether a webhook at `path` would hide a route of the web chat."""
    return any(
        path == p.rstrip("/") or path.startswith(p.rstrip("/") + "/") for p in WEB_CHAT_PATHS
    )


def webhook_route(webhook: TelegramWebhook) -> Route:
    """POST `webhook.path`: the secret is checked before the body is read, the body is capped."""

    async def endpoint(request: Request) -> Response:
        if not webhook.authorized(request.headers.get(webhook.secret_header)):
            return PlainTextResponse("Forbidden", status_code=403)
        if not webhook.ready:
            return PlainTextResponse(
                "Service Unavailable", status_code=503, headers={"Retry-After": WEBHOOK_RETRY}
            )
        try:
            body = await read_capped(request, webhook.max_bytes)
        except BodyTooLarge:
            return PlainTextResponse("Payload Too Large", status_code=413)
        await webhook.receive(body)
        return Response(status_code=200)

    return Route(webhook.path, endpoint, methods=["POST"])


def create_app(
    chat: WebChat,
    *,
    allowed_origins: Sequence[str] = (),
    webhook: TelegramWebhook | None = None,
    limiter: RateLimiter | None = None,
) -> Starlette:
    """The application. `allowed_origins` may call the API from their pages (CORS) and frame the
    chat; `webhook` adds Telegram's route; `limiter` is the per-client rate limit of the API."""
    api = Api(chat, RateLimiter() if limiter is None else limiter)

    async def page(request: Request) -> Response:
        return HTMLResponse(render_page(chat), headers=page_headers(allowed_origins))

    async def healthz(request: Request) -> Response:
        entries = len(chat.index.knowledge.entries)
        return JSONResponse(
            {"status": "ok", "entries": entries}, headers={"Cache-Control": "no-store"}
        )

    async def http_error(request: Request, error: Exception) -> Response:
        status = error.status_code if isinstance(error, HTTPException) else 500
        return error_response(status, _HTTP_ERRORS.get(status, "La requête n'a pas abouti."))

    routes: list[BaseRoute] = [
        Route("/", page, methods=["GET"]),
        Route("/healthz", healthz, methods=["GET"]),
        Route("/api/ask", api.guarded(api.ask), methods=["POST"]),
        Route("/api/open", api.guarded(api.open), methods=["POST"]),
        Route("/api/vote", api.guarded(api.vote), methods=["POST"]),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]
    if webhook is not None:
        routes.insert(0, webhook_route(webhook))
    middleware = []
    if allowed_origins:
        middleware.append(
            Middleware(
                CORSMiddleware,
                allow_origins=list(allowed_origins),
                allow_methods=["POST"],
                allow_headers=["Content-Type"],
                max_age=CORS_MAX_AGE,
            )
        )
    return Starlette(
        routes=routes, middleware=middleware, exception_handlers={HTTPException: http_error}
    )
