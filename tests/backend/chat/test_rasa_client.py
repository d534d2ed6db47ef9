"""The backend's Rasa client gives up after its timeout in all, not per read (found by
bench/faults.py: on a busy machine chat answers came after more than 5 s)."""

import asyncio
import time
from collections.abc import AsyncIterator

import httpx
import pytest

from backend.chat.exceptions import BotUnavailable
from backend.chat.rasa import RasaClient

TRICKLE = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n[]"


@pytest.fixture
async def trickling_rasa() -> AsyncIterator[str]:
    """A real socket that answers one byte every 0.3 s: each read is quick, the whole
    answer takes ~25 s."""

    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        try:
            for byte in TRICKLE:
                writer.write(bytes([byte]))
                await writer.drain()
                await asyncio.sleep(0.3)
        except ConnectionError:
            pass  # the client gave up
        finally:
            writer.close()

    server = await asyncio.start_server(answer, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    async with server:
        yield f"http://127.0.0.1:{port}"


async def test_a_trickling_rasa_is_unavailable_after_the_timeout(trickling_rasa: str) -> None:
    async with httpx.AsyncClient() as http:
        rasa = RasaClient(http=http, urls=[trickling_rasa], token="t", timeout=1.0, retry_seconds=5)
        started = time.monotonic()
        with pytest.raises(BotUnavailable):
            await rasa.send(sender="1", message="hi", metadata={})
        assert time.monotonic() - started < 2.0
