"""Cacheable reads answered from ready bytes, with ETag / If-None-Match → 304.

A route stores its response body under a *ready key*: the path, the raw query, the campus
day, the current *generation* of the data behind it (a ``core.generations.Family`` that
every write to that data bumps after committing: a write makes every stored answer
unreachable at once) and — for an answer that depends on who asks (a repair ticket) — the
viewer: who they are, as far as the answer can tell (``identity.principals.viewer_key``).
An answer that is the same for every signed-in user (a day's menus) is stored once.
``ReadyResponses``, an ASGI middleware, answers a later identical GET from those bytes
before routing — no dependency solving, no validation, no serialisation, no database —
provided the caller is a signed-in user the principal cache vouches for (``Vouch``);
anything else (a miss, a delegation token, a sign-in the cache has not seen) goes to the
route, which decides as always.

Every such response carries a strong ETag (a hash of the body) and ``Cache-Control:
private, no-cache``: a client revalidates with ``If-None-Match`` and an unchanged body
comes back as an empty ``304``.
"""

import hashlib
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from fastapi import Request, Response
from pydantic import BaseModel
from starlette.types import ASGIApp, Receive, Scope, Send

from backend.core.cache import Cache
from backend.core.clock import Clock
from backend.core.config import Settings
from backend.core.generations import Family

CACHE_CONTROL = "private, no-cache"
_MEMO_SIZE = 256
_encoded: OrderedDict[str, bytes] = OrderedDict()  # ETag → body bytes (the ETag is their hash)

M = TypeVar("M", bound=BaseModel)

# The viewer key of a bearer token's user if the cache alone vouches for a signed-in user,
# else None ("don't know": the route decides). identity.principals.cached_viewer
Vouch = Callable[[Cache, Settings, str], Awaitable[str | None]]


@dataclass(frozen=True)
class ReadyPath:
    """GET paths that ``ReadyResponses`` may answer. ``family(path)``: the generation family
    behind that path's answer, None for a path that is not one of these; ``per_viewer``:
    the answer depends on who asks (stored per viewer), else it is the same for all."""

    family: Callable[[str], Family | None]
    per_viewer: bool = False

    @classmethod
    def exact(cls, path: str, family: Family) -> "ReadyPath":
        return cls(family=lambda asked: family if asked == path else None)


def _etag(body: str) -> str:
    return '"' + hashlib.blake2b(body.encode(), digest_size=12).hexdigest() + '"'


def _matches(if_none_match: str | None, etag: str) -> bool:
    if not if_none_match:
        return False
    tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
    return "*" in tags or etag in tags


def _bytes(etag: str, text: str) -> bytes:
    encoded = _encoded.get(etag)
    if encoded is None:
        encoded = _encoded[etag] = text.encode()
        if len(_encoded) > _MEMO_SIZE:
            _encoded.popitem(last=False)
    return encoded


def _respond(if_none_match: str | None, etag: str, body: bytes | str) -> Response:
    headers = {"ETag": etag, "Cache-Control": CACHE_CONTROL}
    if _matches(if_none_match, etag):
        return Response(status_code=304, headers=headers)
    return Response(body, media_type="application/json", headers=headers)


def ready_key(
    clock: Clock, *, path: str, query: str, generation: str, viewer: str | None = None
) -> str:
    day = clock.today().isoformat()  # "today" changes at midnight
    return f"ready:{generation}:{day}:{viewer or '*'}:{path}?{query}"


def json_response(request: Request, value: BaseModel) -> Response:
    """``value`` as JSON with its ETag (304 if the client has it); nothing stored."""
    body = value.model_dump_json()
    return _respond(request.headers.get("if-none-match"), _etag(body), body)


async def ready_response(
    request: Request,
    cache: Cache,
    *,
    family: Family,
    build: Callable[[], Awaitable[M]],
    ttl_seconds: float | Callable[[M], float],
    viewer: str | None = None,
) -> Response:
    """The stored answer to this request, built and stored on a miss, for ``ttl_seconds``
    (or as long as the built answer says it holds). ``viewer``: the viewer key of who asks,
    for an answer that depends on it (None: the same for every signed-in user); the
    app's ``ReadyResponses`` must list this path with ``family`` and ``per_viewer`` alike."""
    generation = await family.generation(cache)  # read before building
    key = ready_key(
        request.app.state.clock,
        path=request.url.path,
        query=request.scope["query_string"].decode("latin-1"),
        generation=generation,
        viewer=viewer,
    )
    stored = await cache.get(key)
    if stored is None:
        value = await build()
        body = value.model_dump_json()
        stored = f"{_etag(body)}\n{body}"
        ttl = ttl_seconds(value) if callable(ttl_seconds) else ttl_seconds
        await cache.set(key, stored, ttl_seconds=ttl)
    etag, _, text = stored.partition("\n")
    return _respond(request.headers.get("if-none-match"), etag, _bytes(etag, text))


class ReadyResponses:
    """ASGI middleware: answer GETs of ``paths`` from ready bytes when the caller is signed
    in by the cache alone; pass everything else on."""

    def __init__(self, app: ASGIApp, *, paths: Sequence[ReadyPath], vouch: Vouch) -> None:
        self.app = app
        self.paths = paths
        self.vouch = vouch

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        get = scope["type"] == "http" and scope["method"] == "GET"
        if not (get and await self._answer(scope, send)):
            await self.app(scope, receive, send)

    def _ready(self, path: str) -> tuple[ReadyPath, Family] | None:
        for ready in self.paths:
            if (family := ready.family(path)) is not None:
                return ready, family
        return None

    async def _answer(self, scope: Scope, send: Send) -> bool:
        found = self._ready(scope["path"])
        if found is None:
            return False
        ready, family = found
        headers = dict(scope["headers"])
        authorization = headers.get(b"authorization", b"").decode("latin-1")
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not token:
            return False
        state = scope["app"].state
        cache: Cache = state.cache
        settings: Settings = state.settings
        try:
            viewer = await self.vouch(cache, settings, token)
            if viewer is None:
                return False
            key = ready_key(
                state.clock,
                path=scope["path"],
                query=scope["query_string"].decode("latin-1"),
                generation=await family.generation(cache),
                viewer=viewer if ready.per_viewer else None,
            )
            stored = await cache.get(key)
            if stored is None:
                return False
        except Exception:
            return False
        etag, _, text = stored.partition("\n")
        if_none_match = headers.get(b"if-none-match")
        response = _respond(
            if_none_match.decode("latin-1") if if_none_match else None, etag, _bytes(etag, text)
        )
        await response(scope, _no_receive, send)
        return True


async def _no_receive() -> dict[str, str]:  # a GET response never reads the request body
    return {"type": "http.disconnect"}
