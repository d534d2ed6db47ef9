"""The proactive path with the real processes: a technician's move reaches the student's
open socket in the bot's words, and the student's answer continues from there."""

import asyncio
import json
import re
import time
from typing import Any

import httpx
import pytest
import websockets

from tests.e2e.system import System

HAN = re.compile(r"[\u4e00-\u9fff]")
Frame = dict[str, Any]


def api(system: System, headers: dict[str, str], method: str, path: str, **kw: Any) -> Any:
    response = httpx.request(
        method, f"{system.base_url}/api/v1{path}", headers=headers, timeout=10, **kw
    )
    assert response.is_success, response.text
    return response.json()


async def aapi(
    http: httpx.AsyncClient, headers: dict[str, str], method: str, path: str, **kw: Any
) -> Any:
    response = await http.request(method, f"/api/v1{path}", headers=headers, timeout=10, **kw)
    assert response.is_success, response.text
    return response.json()


def ws_url(system: System) -> str:
    return system.base_url.replace("http://", "ws://") + "/api/v1/chat/ws"


def token(headers: dict[str, str]) -> str:
    return headers["Authorization"].removeprefix("Bearer ")


async def next_bot_message(socket: Any, *, timeout: float) -> Frame:
    """The next message the bot says on this socket (skipping echoes and typing)."""
    deadline = time.monotonic() + timeout
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError("no bot message in time")
        frame = json.loads(await asyncio.wait_for(socket.recv(), remaining))
        if frame["type"] == "message" and frame["message"]["role"] == "bot":
            message: Frame = frame["message"]
            return message


async def bot_turn(socket: Any, *, timeout: float = 10) -> list[Frame]:
    """Every bot message of one answer: those arriving until the bot goes quiet."""
    messages = [await next_bot_message(socket, timeout=timeout)]
    while True:
        try:
            messages.append(await next_bot_message(socket, timeout=1.5))
        except TimeoutError:
            return messages


def test_a_completed_repair_reaches_the_open_socket_and_the_answer_closes_it(
    system: System,
) -> None:
    student = system.login("s20240001")  # profile in Chinese
    technician = system.login("t0001")  # the electrical crew
    system.push_at_any_hour(student)  # quiet hours are tested alone
    ticket = api(
        system,
        student,
        "POST",
        "/repairs",
        json={
            "category": "electrical",
            "description": "台灯插座没电了",
            "report_even_if_duplicate": True,
        },
    )
    for action in ("assign", "start"):
        api(
            system,
            technician,
            "POST",
            f"/repairs/{ticket['id']}/transitions",
            json={"action": action},
        )

    async def scenario() -> Frame:
        async with (
            httpx.AsyncClient(base_url=system.base_url) as http,
            websockets.connect(ws_url(system)) as socket,
        ):
            await socket.send(json.dumps({"type": "auth", "token": token(student), "after": None}))
            assert json.loads(await socket.recv())["type"] == "ready"
            await asyncio.sleep(2)  # the assign/start notices arrive first; let them pass
            while True:
                try:
                    await asyncio.wait_for(socket.recv(), 0.5)
                except TimeoutError:
                    break
            await aapi(
                http,
                technician,
                "POST",
                f"/repairs/{ticket['id']}/transitions",
                json={"action": "complete", "note": "换了插座"},
            )
            completed = time.monotonic()
            notice = await next_bot_message(socket, timeout=5)
            latency = time.monotonic() - completed
            assert notice["notification_id"] is not None
            assert f"#{ticket['id']}" in (notice["text"] or "")
            assert HAN.search(notice["text"] or "")  # in the student's language
            assert notice["buttons"], "the notice offers the next step"
            assert latency < 2, f"the notice took {latency:.2f} s"

            await socket.send(json.dumps({"type": "message", "text": "修好了"}))
            answer = await bot_turn(socket)
            status = (await aapi(http, student, "GET", f"/repairs/{ticket['id']}"))["status"]
            assert status == "closed", answer
            stars = {b["title"]: b["payload"] for m in answer for b in m["buttons"]}
            assert "★★★★★" in stars, answer
            await socket.send(
                json.dumps({"type": "message", "text": stars["★★★★★"], "title": "★★★★★"})
            )
            comment_prompt = await bot_turn(socket)
            skip = next(
                (b for m in comment_prompt for b in m["buttons"] if b["title"] in ("跳过", "Skip")),
                None,
            )
            await socket.send(
                json.dumps({"type": "message", "text": skip["payload"] if skip else "没有了"})
            )
            await bot_turn(socket)
            return notice

    notice = asyncio.run(scenario())
    pending = api(system, student, "GET", "/surveys/pending")["data"]
    assert ticket["id"] not in {i["source_id"] for i in pending if i["source"] == "repair"}
    inbox = api(system, student, "GET", "/notifications")["data"]
    completed_notice = next(n for n in inbox if n["kind"] == "repair_completed")
    assert completed_notice["ticket_id"] == ticket["id"]
    assert completed_notice["id"] == notice["notification_id"]
    assert completed_notice["messages"][0]["text"] == notice["text"]


def test_every_socket_of_the_student_hears_and_a_reconnect_resumes(system: System) -> None:
    student = system.login("s20240002")
    newest = api(system, student, "GET", "/chat/history", params={"limit": 1})["data"]
    seen = newest[-1]["id"] if newest else None

    async def scenario() -> None:
        async with (
            websockets.connect(ws_url(system)) as phone,
            websockets.connect(ws_url(system)) as laptop,
        ):
            for socket in (phone, laptop):
                await socket.send(
                    json.dumps({"type": "auth", "token": token(student), "after": seen})
                )
                assert json.loads(await socket.recv())["type"] == "ready"
            await phone.send(json.dumps({"type": "message", "text": "hi"}))
            on_laptop = await next_bot_message(laptop, timeout=10)
            on_phone = await next_bot_message(phone, timeout=10)
            assert on_laptop["id"] == on_phone["id"]
            await asyncio.sleep(1.5)  # the rest of the answer, if it has more than one message
        # Offline for a moment: the next socket says what it has and gets only the rest.
        async with httpx.AsyncClient(base_url=system.base_url) as http:
            await aapi(http, student, "POST", "/chat", json={"message": "thanks"})
            history = await aapi(http, student, "GET", "/chat/history", params={"limit": 10})
        missed = [m for m in history["data"] if m["id"] > on_phone["id"]]
        async with websockets.connect(ws_url(system)) as socket:
            await socket.send(
                json.dumps({"type": "auth", "token": token(student), "after": on_phone["id"]})
            )
            assert json.loads(await socket.recv())["type"] == "ready"
            resumed = [json.loads(await asyncio.wait_for(socket.recv(), 5)) for _ in missed]
        assert [f["message"]["id"] for f in resumed] == [m["id"] for m in missed]
        assert any(m["role"] == "student" and m["text"] == "thanks" for m in missed)
        assert missed[-1]["role"] == "bot"

    asyncio.run(scenario())


def test_closing_the_socket_mid_turn_keeps_the_answer(system: System) -> None:
    student = system.login("s20240002")

    async def scenario() -> None:
        async with websockets.connect(ws_url(system)) as socket:
            await socket.send(json.dumps({"type": "auth", "token": token(student)}))
            assert json.loads(await socket.recv())["type"] == "ready"
            await socket.send(
                json.dumps({"type": "message", "text": "when does the north canteen open?"})
            )
        # The tab was closed at once; the answer is in the transcript all the same.
        async with httpx.AsyncClient(base_url=system.base_url) as http:
            for _ in range(50):
                history = await aapi(http, student, "GET", "/chat/history", params={"limit": 5})
                texts = [(m["role"], m["text"]) for m in history["data"]]
                asked = ("student", "when does the north canteen open?")
                if asked in texts and texts[-1][0] == "bot":
                    return
                await asyncio.sleep(0.2)
        raise AssertionError(f"no answer stored: {texts}")

    asyncio.run(scenario())


@pytest.mark.parametrize(
    ("first_frame", "code"),
    [
        ({"type": "auth", "token": "not-a-token"}, 4401),
        ({"type": "message", "text": "hi"}, 4401),
    ],
)
def test_a_socket_without_a_valid_student_token_is_closed(
    system: System, first_frame: Frame, code: int
) -> None:
    async def scenario() -> int:
        async with websockets.connect(ws_url(system)) as socket:
            await socket.send(json.dumps(first_frame))
            with pytest.raises(websockets.ConnectionClosed) as closed:
                await asyncio.wait_for(socket.recv(), 5)
            assert closed.value.rcvd is not None
            return closed.value.rcvd.code

    assert asyncio.run(scenario()) == code


def test_staff_cannot_open_the_student_socket(system: System) -> None:
    async def scenario() -> int:
        async with websockets.connect(ws_url(system)) as socket:
            await socket.send(json.dumps({"type": "auth", "token": token(system.login("t0001"))}))
            with pytest.raises(websockets.ConnectionClosed) as closed:
                await asyncio.wait_for(socket.recv(), 5)
            assert closed.value.rcvd is not None
            return closed.value.rcvd.code

    assert asyncio.run(scenario()) == 4403
