"""The JSON API: `POST /api/ask`, `/api/open` and `/api/vote`, with French errors.

Every request is counted by the per-client rate limiter first (429 with Retry-After), its body is
read with a cap (413), and every field is checked (400, 404, 409, 422) before the chat sees it.
Errors are `{"error": "<French sentence>"}`, so that a page can show them as they are.
"""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from bot.knowledge import ID_PATTERN, markup
from bot.replies.render import ButtonAction
from bot.web.bodies import BodyTooLarge, read_capped
from bot.web.chat import WebChat
from bot.web.ratelimit import RateLimiter

MAX_BODY_BYTES = 16 * 1024
"""A question of MAX_QUESTION_CHARS characters, even all escaped in JSON, fits in 6 KB."""
MAX_QUESTION_CHARS = 1_000
"""A question is a sentence or two; a longer text is not a question to this bot."""
NO_STORE = {"Cache-Control": "no-store"}
"""Answers depend on the conversation: no cache keeps them."""

_CONVERSATION = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
_TICKET = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
_TARGET = re.compile(ID_PATTERN)
_ACTIONS: tuple[ButtonAction, ...] = ("entry", "topic")
_NOT_JSON = (
    "Le corps de la requête doit être un objet JSON, par exemple "
    '{"question": "quel est le salaire ?", "conversation": "k3x9q2m7p1"}.'
)

Endpoint = Callable[[Request], Awaitable[Response]]


class ApiError(Exception):
    """A request the API refuses: the HTTP status and the French sentence that says why."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


def error_response(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    return JSONResponse(
        {"error": markup.french_spacing(message)},
        status_code=status,
        headers={**NO_STORE, **(headers or {})},
    )


def client_of(request: Request) -> str:
    """The client's address as the server sees it (behind a trusted proxy: the forwarded one)."""
    return request.client.host if request.client else "?"


async def json_object(request: Request) -> dict[str, Any]:
    """The request's JSON object, read with a cap."""
    try:
        body = await read_capped(request, MAX_BODY_BYTES)
    except BodyTooLarge:
        raise ApiError(413, "La requête est trop volumineuse (16 Ko au plus).") from None
    try:
        data = json.loads(body)
    except ValueError:
        raise ApiError(400, _NOT_JSON) from None
    if not isinstance(data, dict):
        raise ApiError(400, _NOT_JSON)
    return data


def _text(data: dict[str, Any], name: str) -> str | None:
    value = data.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ApiError(422, f"Le champ « {name} » doit être un texte.")
    return value


def _conversation(data: dict[str, Any]) -> str | None:
    """The page's random conversation id (optional: without it, no follow-up context)."""
    value = _text(data, "conversation")
    if value is not None and not _CONVERSATION.match(value):
        raise ApiError(
            422,
            "Le champ « conversation » doit être un identifiant aléatoire de 8 à 64 caractères "
            "(lettres, chiffres, - et _).",
        )
    return value


def _ticket(data: dict[str, Any]) -> str | None:
    """The ticket that came with a reply, to vote or to note a tapped suggestion."""
    value = _text(data, "feedback")
    if value is not None and not _TICKET.match(value):
        raise ApiError(422, "Le champ « feedback » n'est pas celui reçu avec une réponse.")
    return value


def _question(data: dict[str, Any]) -> str:
    question = (_text(data, "question") or "").strip()
    if not question:
        raise ApiError(
            422, "Écrivez votre question dans le champ « question », par exemple « salaire »."
        )
    if len(question) > MAX_QUESTION_CHARS:
        raise ApiError(
            422,
            f"Votre question est trop longue ({len(question)} caractères) : posez-la en "
            f"{MAX_QUESTION_CHARS} caractères au plus.",
        )
    return question


class Api:
    """The endpoints, bound to one chat and one rate limiter."""

    def __init__(self, chat: WebChat, limiter: RateLimiter) -> None:
        self.chat = chat
        self.limiter = limiter

    def guarded(self, handler: Callable[[Request], Awaitable[dict[str, Any]]]) -> Endpoint:
        """`handler` behind the rate limit, its `ApiError`s turned into French JSON errors."""

        async def endpoint(request: Request) -> Response:
            wait = self.limiter.check(client_of(request))
            if wait is not None:
                return error_response(
                    429,
                    "Vous envoyez beaucoup de demandes à la suite : réessayez dans "
                    f"{wait} seconde{'s' if wait > 1 else ''}.",
                    {"Retry-After": str(wait)},
                )
            try:
                payload = await handler(request)
            except ApiError as error:
                return error_response(error.status, error.message, error.headers)
            return JSONResponse(payload, headers=NO_STORE)

        return endpoint

    async def ask(self, request: Request) -> dict[str, Any]:
        data = await json_object(request)
        return await self.chat.ask(_conversation(data), _question(data))

    async def open(self, request: Request) -> dict[str, Any]:
        data = await json_object(request)
        action, target = data.get("action"), data.get("target")
        if action not in _ACTIONS or not isinstance(target, str) or not _TARGET.match(target):
            raise ApiError(
                422,
                "Indiquez « action » (entry ou topic) et « target » (l'identifiant d'une entrée "
                "ou d'un thème), comme dans les boutons d'une réponse.",
            )
        opened = await self.chat.open(_conversation(data), action, target, _ticket(data))
        if opened is None:
            raise ApiError(404, "Cette réponse n'existe plus : posez votre question à nouveau.")
        return opened

    async def vote(self, request: Request) -> dict[str, Any]:
        data = await json_object(request)
        useful = data.get("useful")
        if not isinstance(useful, bool):
            raise ApiError(
                422, "Le champ « useful » doit valoir true (Utile) ou false (Pas utile)."
            )
        ticket = _ticket(data)
        if ticket is None:
            raise ApiError(422, "Le champ « feedback » (reçu avec la réponse) est obligatoire.")
        thanks = await self.chat.vote(ticket, useful=useful)
        if thanks is None:
            raise ApiError(
                409,
                "Votre avis sur cette réponse est déjà compté (ou la réponse est trop ancienne).",
            )
        return {"message": thanks}
