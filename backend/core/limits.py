"""Request limits enforced before a route runs: the body's size, and how many requests one
worker serves at once."""

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from backend.core.errors import ErrorBody


class BodySizeLimit:
    """Answer 413 to bodies above ``max_bytes`` (larger limits for listed path prefixes).

    The body is read (up to the limit) before the route runs, so a chunked upload without
    Content-Length is refused just the same, and the route never sees a partial body.
    """

    def __init__(
        self, app: ASGIApp, *, max_bytes: int, overrides: dict[str, int] | None = None
    ) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.overrides = sorted((overrides or {}).items(), key=lambda item: -len(item[0]))

    def _limit(self, path: str) -> int:
        for prefix, limit in self.overrides:
            if path.startswith(prefix):
                return limit
        return self.max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self._limit(scope["path"])
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await _reject(send, limit)
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client went away
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                await _reject(send, limit)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        delivered = False

        async def replay() -> Message:
            nonlocal delivered
            if not delivered:
                delivered = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


async def _reject(send: Send, limit: int) -> None:
    await _error(send, 413, "PayloadTooLarge", f"The request body is larger than {limit} bytes.")


OVERLOADED = "The service is busy right now; try again in a moment. 服务繁忙，请稍后再试。"


class InFlightLimit:
    """Answer ``503 Overloaded`` (``Retry-After: 1``) at once when this worker already has
    ``limit`` requests waiting for their responses, instead of queueing them until the
    client gives up: a saturated worker then drains its backlog, and a client (or the load
    balancer) tries again, elsewhere or a moment later. A request stops counting once its
    response is sent — work after that (a session's rollback, background tasks) would
    otherwise count a keep-alive connection twice and refuse a load the worker serves
    (seen: a quarter of the bot's ticket reads at 32 connections). WebSockets and the
    ``exempt`` paths (health checks) are not counted. ``limit`` 0: no limit.
    """

    def __init__(self, app: ASGIApp, *, limit: int, exempt: tuple[str, ...] = ()) -> None:
        self.app = app
        self.limit = limit
        self.exempt = exempt
        self.in_flight = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not self.limit or scope["type"] != "http" or scope["path"] in self.exempt:
            await self.app(scope, receive, send)
            return
        if self.in_flight >= self.limit:
            await _error(send, 503, "Overloaded", OVERLOADED, ((b"retry-after", b"1"),))
            return
        self.in_flight += 1
        counted = True

        async def send_then_release(message: Message) -> None:
            nonlocal counted
            await send(message)
            answered = message["type"] == "http.response.body" and not message.get("more_body")
            if answered and counted:
                counted = False
                self.in_flight -= 1

        try:
            await self.app(scope, receive, send_then_release)
        finally:
            if counted:  # no (complete) response: an error, a disconnect
                self.in_flight -= 1


async def _error(
    send: Send, status: int, error: str, detail: str, headers: tuple[tuple[bytes, bytes], ...] = ()
) -> None:
    body = ErrorBody(error=error, detail=detail).model_dump_json().encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                *headers,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
