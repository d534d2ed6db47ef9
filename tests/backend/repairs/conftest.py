"""Repairs fixtures: a small campus (two buildings, every maintenance crew, a dorm team),
the people of the authorization matrix, a controllable clock and photos in a tmp dir."""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.core.config import Settings
from backend.dorms.models import Building, Room, RoomAssignment
from backend.identity.models import Role, Team, TeamKind, Trade, User
from backend.repairs.dependencies import get_photo_storage
from backend.repairs.storage import LocalPhotoStorage
from tests.backend.conftest import UserFactory
from tests.backend.helpers import StoppedClock, token_headers

API = "/api/v1/repairs"

# The first bytes of each accepted image type, padded: what a sniffer sees.
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(200)
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(200)
WEBP = b"RIFF\x00\x01\x00\x00WEBPVP8 " + bytes(200)
HEIC = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + bytes(200)


@pytest.fixture
def photo_dir(app: FastAPI, tmp_path: Path) -> Path:
    storage = LocalPhotoStorage(tmp_path / "uploads")
    app.dependency_overrides[get_photo_storage] = lambda: storage
    return tmp_path / "uploads"


@dataclass
class Campus:
    buildings: dict[str, Building]
    rooms: dict[tuple[str, str], Room]
    crews: dict[Trade, Team]
    dorm_team: Team  # manages B7
    people: dict[str, User] = field(default_factory=dict)

    def __getitem__(self, name: str) -> User:
        return self.people[name]


@pytest.fixture
async def campus(
    session: AsyncSession, make_user: UserFactory, clock: StoppedClock, photo_dir: Path
) -> Campus:
    buildings = {
        code: Building(code=code, name_en=f"Building {code}", name_zh=f"{code}楼")
        for code in ("B7", "B3")
    }
    session.add_all(buildings.values())
    await session.flush()
    rooms = {
        (code, number): Room(building_id=building.id, number=number, floor=int(number[0]))
        for code, building in buildings.items()
        for number in ("312", "313", "204")
    }
    session.add_all(rooms.values())
    crews = {
        trade: Team(
            slug=f"maint-{trade.value}",
            name_en=f"{trade.value.title()} Crew",
            name_zh=f"{trade.value}班",
            kind=TeamKind.maintenance,
            trade=trade,
        )
        for trade in Trade
    }
    session.add_all(crews.values())
    dorm_team = Team(
        slug="dorm-b7",
        name_en="Building 7 Management",
        name_zh="7号楼宿管",
        kind=TeamKind.dorm,
        building_id=buildings["B7"].id,
    )
    session.add(dorm_team)
    await session.commit()
    campus = Campus(buildings=buildings, rooms=rooms, crews=crews, dorm_team=dorm_team)
    homes = {"reporter": ("B7", "312"), "follower": ("B7", "313"), "other": ("B3", "204")}
    for name, (code, number) in homes.items():
        student = await make_user(name=f"Student {name}")
        session.add(
            RoomAssignment(
                student_id=student.id, room_id=rooms[code, number].id, starts_on=date(2026, 9, 1)
            )
        )
        campus.people[name] = student
    campus.people["tech"] = await make_user(
        Role.technician, team_id=crews[Trade.electrical].id, name="王师傅 Wang"
    )
    campus.people["tech2"] = await make_user(Role.technician, team_id=crews[Trade.electrical].id)
    campus.people["tech_other"] = await make_user(Role.technician, team_id=crews[Trade.plumbing].id)
    campus.people["dorm_manager"] = await make_user(Role.dorm_manager, team_id=dorm_team.id)
    campus.people["admin"] = await make_user(Role.logistics_admin)
    await session.commit()
    return campus


@pytest.fixture
def headers(settings: Settings, campus: Campus) -> Callable[[str], dict[str, str]]:
    """Headers by actor name; ``bot:<student>`` is the bot acting for that student. One
    sign-in per actor and test, as a client keeps its token (ready bytes need a sign-in
    the principal cache has seen)."""
    signed_in: dict[str, dict[str, str]] = {}

    def make(actor: str) -> dict[str, str]:
        if actor not in signed_in:
            name = actor.removeprefix("bot:")
            signed_in[actor] = token_headers(settings, campus[name], via_bot=name != actor)
        return signed_in[actor]

    return make


Api = Callable[..., Awaitable[httpx.Response]]


@pytest.fixture
def api(client: httpx.AsyncClient, headers: Callable[[str], dict[str, str]]) -> Api:
    """``await api("reporter", "POST", "/1/transitions", json=...)``."""

    async def call(actor: str, method: str, path: str = "", **kwargs: Any) -> httpx.Response:
        extra = kwargs.pop("headers", {})
        return await client.request(
            method, f"{API}{path}", headers={**headers(actor), **extra}, **kwargs
        )

    return call


PATH_TO: dict[str, list[tuple[str, dict[str, Any]]]] = {
    "submitted": [],
    "assigned": [("tech", {"action": "assign"})],
    "in_progress": [("tech", {"action": "assign"}), ("tech", {"action": "start"})],
    "on_hold": [
        ("tech", {"action": "assign"}),
        ("tech", {"action": "start"}),
        ("tech", {"action": "hold", "reason": "waiting for parts"}),
    ],
    "completed": [
        ("tech", {"action": "assign"}),
        ("tech", {"action": "start"}),
        ("tech", {"action": "complete"}),
    ],
    "closed": [
        ("tech", {"action": "assign"}),
        ("tech", {"action": "start"}),
        ("tech", {"action": "complete"}),
        ("reporter", {"action": "confirm"}),
    ],
    "cancelled": [("reporter", {"action": "cancel"})],
    "reopened": [
        ("tech", {"action": "assign"}),
        ("tech", {"action": "start"}),
        ("tech", {"action": "complete"}),
        ("reporter", {"action": "reopen", "note": "still flickering"}),
    ],
}

TicketFactory = Callable[..., Awaitable[dict[str, Any]]]


async def me_too(api: Api, actor: str, ticket: dict[str, Any]) -> httpx.Response:
    """``actor`` reports the same problem at the same place, is offered ``ticket`` as a
    possible duplicate, and follows it: the only way to follow someone else's ticket."""
    report = {
        "category": ticket["category"],
        "description": "Same problem here 我也是",
        "building_code": ticket["location"]["building_code"],
        "room": ticket["location"]["room"],
    }
    offered = await api(actor, "POST", json=report)
    assert offered.status_code == 409, offered.text
    assert ticket["id"] in [d["id"] for d in offered.json()["duplicates"]]
    followed = await api(actor, "POST", f"/{ticket['id']}/followers")
    assert followed.status_code == 200, followed.text
    return followed


@pytest.fixture
def ticket_in(api: Api, campus: Campus) -> TicketFactory:
    """A ticket of ``reporter`` (electrical, their room) driven through the API to ``status``;
    ``follower`` follows it."""

    async def make(status: str = "submitted", **body: Any) -> dict[str, Any]:
        payload = {
            "category": "electrical",
            "description": "The ceiling light flickers 灯一直闪",
            "report_even_if_duplicate": True,
            **body,
        }
        created = await api("reporter", "POST", json=payload)
        assert created.status_code == 201, created.text
        ticket: dict[str, Any] = created.json()
        await me_too(api, "follower", ticket)
        for actor, move in PATH_TO[status]:
            response = await api(actor, "POST", f"/{ticket['id']}/transitions", json=move)
            assert response.status_code == 200, response.text
            ticket = response.json()
        assert ticket["status"] == status
        return ticket

    return make


async def status_of(api: Api, ticket_id: int) -> str:
    response = await api("admin", "GET", f"/{ticket_id}")
    assert response.status_code == 200
    status: str = response.json()["status"]
    return status
