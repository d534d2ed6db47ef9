"""Live fan-out: every socket of a student hears every frame, across backend processes
when Redis is configured (two hubs on one Redis stand for two workers)."""

import asyncio
import os
import uuid
from collections.abc import AsyncIterator

import pytest

from backend.chat.live import QUEUE_SIZE, RESYNC, LocalHub, RedisHub


@pytest.fixture
def redis_url() -> str:
    url = os.environ.get("TEST_REDIS_URL")
    assert url, "set TEST_REDIS_URL (make test does) to test the Redis fan-out"
    return url


@pytest.fixture
async def two_workers(redis_url: str) -> AsyncIterator[tuple[RedisHub, RedisHub]]:
    prefix = f"test:{uuid.uuid4().hex}:"
    hubs = (RedisHub(redis_url, prefix=prefix), RedisHub(redis_url, prefix=prefix))
    yield hubs
    for hub in hubs:
        await hub.close()


async def test_every_socket_of_the_student_gets_the_frame_and_nobody_else() -> None:
    hub = LocalHub()
    async with hub.subscribe(1) as phone, hub.subscribe(1) as laptop, hub.subscribe(2) as other:
        await hub.publish(1, {"type": "typing"})
        assert phone.get_nowait() == laptop.get_nowait() == {"type": "typing"}
        assert other.empty()
    await hub.publish(1, {"type": "typing"})  # nobody listens any more: dropped, no error


async def test_a_socket_that_falls_behind_is_told_to_resync() -> None:
    hub = LocalHub()
    async with hub.subscribe(1) as slow:
        for n in range(QUEUE_SIZE + 10):
            await hub.publish(1, {"type": "message", "n": n})
        frames = [slow.get_nowait() for _ in range(slow.qsize())]
    assert frames[-1] == RESYNC
    assert [f["n"] for f in frames[:-1]] == list(range(QUEUE_SIZE - 1))


async def test_a_frame_published_by_one_worker_reaches_sockets_on_another(
    two_workers: tuple[RedisHub, RedisHub],
) -> None:
    dispatcher_side, socket_side = two_workers
    async with socket_side.subscribe(7) as socket, socket_side.subscribe(8) as other:
        await dispatcher_side.publish(7, {"type": "message", "message": {"id": 1}})
        frame = await asyncio.wait_for(socket.get(), timeout=5)
        assert frame == {"type": "message", "message": {"id": 1}}
        await asyncio.sleep(0.2)
        assert other.empty()
