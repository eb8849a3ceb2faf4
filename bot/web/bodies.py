"""Reading a request body with a cap: a declared or streamed body over the cap is never read."""

from __future__ import annotations

from starlette.requests import Request


class BodyTooLarge(Exception):
    """The body is larger than the route accepts."""


async def read_capped(request: Request, limit: int) -> bytes:
    """The body, or `BodyTooLarge` as soon as its declared length or the bytes read pass `limit`.

    A Content-Length over the cap is refused before reading anything; a body without one (chunked)
    is read chunk by chunk and refused once the cap is passed, so memory never holds more.
    """
    declared = request.headers.get("content-length")
    if declared is not None and (not declared.isdigit() or int(declared) > limit):
        raise BodyTooLarge
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge
        chunks.append(chunk)
    return b"".join(chunks)
