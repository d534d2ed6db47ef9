"""Live fan-out to every open socket of a student (all tabs and devices).

In process by default; through Redis pub/sub when Redis is configured, so a message stored
by one backend worker reaches sockets held by another. Nothing here is the system of
record: a socket that misses frames (it fell behind, or Redis blinked) resumes from the
transcript, because the client always says the last message id it has.
"""

import asyncio
import json
import logging
from collections import defaultdict
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager, suppress
from typing import Any, Protocol

import redis.asyncio as redis

logger = logging.getLogger(__name__)
Frame = dict[str, Any]
QUEUE_SIZE = 256
RESYNC: Frame = {"type": "resync"}  # the socket fell behind: reload from the transcript


class LiveHub(Protocol):
    async def publish(self, user_id: int, frame: Frame) -> None: ...

    def subscribe(self, user_id: int) -> AbstractAsyncContextManager["asyncio.Queue[Frame]"]: ...

    async def close(self) -> None: ...


class LocalHub:
    """One queue per open socket, in this process."""

    def __init__(self) -> None:
        self._queues: dict[int, set[asyncio.Queue[Frame]]] = defaultdict(set)

    async def publish(self, user_id: int, frame: Frame) -> None:
        self.deliver(user_id, frame)

    def deliver(self, user_id: int, frame: Frame) -> None:
        for queue in list(self._queues.get(user_id, ())):
            if queue.qsize() >= QUEUE_SIZE - 1:
                # Keep the last slot for the resync marker; the socket reloads what it missed.
                if queue.qsize() < QUEUE_SIZE:
                    queue.put_nowait(RESYNC)
                continue
            queue.put_nowait(frame)

    @asynccontextmanager
    async def subscribe(self, user_id: int) -> AsyncIterator[asyncio.Queue[Frame]]:
        queue: asyncio.Queue[Frame] = asyncio.Queue(maxsize=QUEUE_SIZE)
        self._queues[user_id].add(queue)
        try:
            yield queue
        finally:
            self._queues[user_id].discard(queue)
            if not self._queues[user_id]:
                del self._queues[user_id]

    async def close(self) -> None:
        self._queues.clear()


class RedisHub(LocalHub):
    """Publishes to Redis; one pattern subscription per process feeds the local queues."""

    def __init__(self, url: str, *, prefix: str) -> None:
        super().__init__()
        self._redis = redis.from_url(url, decode_responses=True, socket_connect_timeout=2)
        self._prefix = f"{prefix}live:"
        self._listener: asyncio.Task[None] | None = None
        self._ready = asyncio.Event()

    async def publish(self, user_id: int, frame: Frame) -> None:
        try:
            await self._redis.publish(f"{self._prefix}{user_id}", json.dumps(frame))
        except redis.RedisError:
            # Redis is down: the sockets in this process still hear it; others resync later.
            logger.warning("live: Redis unavailable, delivering in this process only")
            self.deliver(user_id, frame)

    @asynccontextmanager
    async def subscribe(self, user_id: int) -> AsyncIterator[asyncio.Queue[Frame]]:
        if self._listener is None or self._listener.done():
            self._listener = asyncio.create_task(self._listen())
        async with super().subscribe(user_id) as queue:
            # Subscribed before the caller reads the transcript, so nothing falls between.
            with suppress(TimeoutError):
                await asyncio.wait_for(self._ready.wait(), timeout=2)
            yield queue

    async def _listen(self) -> None:
        while True:
            try:
                async with self._redis.pubsub() as pubsub:
                    await pubsub.psubscribe(f"{self._prefix}*")
                    self._ready.set()
                    async for message in pubsub.listen():
                        if message.get("type") != "pmessage":
                            continue
                        user_id = int(str(message["channel"]).rsplit(":", 1)[1])
                        self.deliver(user_id, json.loads(message["data"]))
            except (redis.RedisError, OSError):
                logger.warning("live: Redis subscription lost; retrying")
                self._ready.clear()
                self._resync_all()
                await asyncio.sleep(1)

    def _resync_all(self) -> None:
        for user_id in list(self._queues):
            self.deliver(user_id, RESYNC)

    async def close(self) -> None:
        if self._listener is not None:
            self._listener.cancel()
            with suppress(asyncio.CancelledError):
                await self._listener
        await self._redis.aclose()
        await super().close()


def create_hub(redis_url: str | None, *, prefix: str) -> LiveHub:
    return RedisHub(redis_url, prefix=prefix) if redis_url else LocalHub()
