"""Fixed-window rate limits on the cache: 429 with Retry-After when a window is full."""

import math
from dataclasses import dataclass

from fastapi import Request, status

from backend.core.cache import Cache
from backend.core.errors import AppError


class RateLimited(AppError):
    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    message = "Too many requests; wait a moment and try again."

    def __init__(self, retry_after: float, message: str | None = None) -> None:
        super().__init__(message)
        self.headers = {"Retry-After": str(max(1, math.ceil(retry_after)))}


@dataclass(frozen=True)
class Limit:
    requests: int
    per_seconds: int


async def hit(cache: Cache, key: str, limit: Limit, message: str | None = None) -> None:
    """Count one request against ``key``; raise RateLimited once the window is full."""
    count = await cache.incr(f"rl:{key}", ttl_seconds=limit.per_seconds)
    if count > limit.requests:
        raise RateLimited(await cache.ttl(f"rl:{key}") or limit.per_seconds, message)


def client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"
