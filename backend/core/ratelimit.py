"""Fixed-window rate limits on the cache: 429 with Retry-After when a window is full."""

import math
from dataclasses import dataclass
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network, ip_address

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


def _address(text: str) -> IPv4Address | IPv6Address | None:
    try:
        return ip_address(text.strip())
    except ValueError:
        return None


def _trusted(
    address: IPv4Address | IPv6Address | None, proxies: list[IPv4Network | IPv6Network]
) -> bool:
    return address is not None and any(address in network for network in proxies)


def client_ip(request: Request) -> str:
    """The address rate limits count: the peer, unless the peer is a configured proxy
    (``HOUQIN_TRUSTED_PROXIES``); then the nearest X-Forwarded-For entry that is not one
    of our proxies. A client can prepend anything to the header, never replace the part
    our own proxy appended. uvicorn runs with ``--no-proxy-headers``, so the peer is real."""
    peer = request.client.host if request.client else "unknown"
    proxies = request.app.state.settings.trusted_proxies
    if not _trusted(_address(peer), proxies):
        return peer
    forwarded = [
        part for header in request.headers.getlist("x-forwarded-for") for part in header.split(",")
    ]
    for entry in reversed(forwarded):
        address = _address(entry)
        if address is None:
            break  # garbage from the client side of the chain: stop at our last proxy
        if not _trusted(address, proxies):
            return str(address)
    return peer
