"""Authorization matrix: every ticket action × every kind of caller.

The ticket is reported by ``reporter`` (room B7-312, electrical → the electrical crew) and
followed by ``follower`` (B7-313). ``other`` is a student in B3. ``tech`` is in the
electrical crew, ``tech_other`` in the plumbing crew, ``dorm_manager`` manages B7.
"""

from typing import Any

import pytest

from tests.backend.helpers import token_headers
from tests.backend.repairs.conftest import PNG, Api, TicketFactory, status_of

ACTORS = [
    "reporter",
    "other",
    "follower",
    "tech",
    "tech_other",
    "dorm_manager",
    "admin",
    "bot:reporter",
    "bot:other",
]

SEES = {"reporter", "follower", "tech", "dorm_manager", "admin", "bot:reporter"}
# A follower sees what following needs (status, crew, due time), not photos (issue 17, #3).
SEES_PHOTOS = SEES - {"follower"}


def _expect(actor: str, allowed: set[str], forbidden: set[str], ok: int = 200) -> int:
    if actor in allowed:
        return ok
    if actor in forbidden:
        return 403
    return 404


@pytest.mark.parametrize("actor", ACTORS)
async def test_read_detail(api: Api, ticket_in: TicketFactory, actor: str) -> None:
    ticket = await ticket_in()
    response = await api(actor, "GET", f"/{ticket['id']}")
    assert response.status_code == (200 if actor in SEES else 404)
    if response.status_code == 404:
        assert response.json()["error"] == "RepairNotFound"
    else:
        assert response.json()["reporter"] == ("me" if actor.endswith("reporter") else "other")
        assert response.json()["following"] == (actor == "follower")


@pytest.mark.parametrize("actor", ACTORS)
async def test_list(api: Api, ticket_in: TicketFactory, actor: str) -> None:
    ticket = await ticket_in()
    response = await api(actor, "GET")
    assert response.status_code == 200
    ids = [t["id"] for t in response.json()["data"]]
    assert (ticket["id"] in ids) == (actor in SEES)


STAFF_MOVES: list[tuple[str, dict[str, Any], str]] = [
    ("submitted", {"action": "assign"}, "assigned"),
    ("assigned", {"action": "start"}, "in_progress"),
    ("in_progress", {"action": "hold", "reason": "no parts"}, "on_hold"),
    ("on_hold", {"action": "resume"}, "in_progress"),
    ("in_progress", {"action": "complete"}, "completed"),
]
REPORTER_MOVES: list[tuple[str, dict[str, Any], str]] = [
    ("submitted", {"action": "cancel"}, "cancelled"),
    ("completed", {"action": "confirm"}, "closed"),
    ("completed", {"action": "reopen"}, "reopened"),
]


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize(("start", "move", "target"), STAFF_MOVES, ids=lambda v: str(v))
async def test_staff_actions(
    api: Api,
    ticket_in: TicketFactory,
    campus: Any,
    actor: str,
    start: str,
    move: dict[str, Any],
    target: str,
) -> None:
    ticket = await ticket_in(start)
    if move["action"] == "assign":
        move = {**move, "assignee_id": campus["tech"].id}  # admin must name the technician
    response = await api(actor, "POST", f"/{ticket['id']}/transitions", json=move)
    expected = _expect(
        actor,
        allowed={"tech", "admin"},
        forbidden={"reporter", "follower", "dorm_manager", "bot:reporter"},
    )
    assert response.status_code == expected, response.text
    if expected == 403:
        assert response.json()["error"] == "StaffActionOnly"
    assert await status_of(api, ticket["id"]) == (target if expected == 200 else start)


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize(("start", "move", "target"), REPORTER_MOVES, ids=lambda v: str(v))
async def test_reporter_actions(
    api: Api,
    ticket_in: TicketFactory,
    actor: str,
    start: str,
    move: dict[str, Any],
    target: str,
) -> None:
    ticket = await ticket_in(start)
    response = await api(actor, "POST", f"/{ticket['id']}/transitions", json=move)
    expected = _expect(
        actor,
        allowed={"reporter", "admin", "bot:reporter"},
        forbidden={"follower", "tech", "dorm_manager"},
    )
    assert response.status_code == expected, response.text
    if expected == 403:
        assert response.json()["error"] == "ReporterActionOnly"
    assert await status_of(api, ticket["id"]) == (target if expected == 200 else start)


@pytest.mark.parametrize("actor", ACTORS)
async def test_follow(api: Api, ticket_in: TicketFactory, actor: str) -> None:
    """Students only; "me too" works in one's own building (``other`` lives in B3)."""
    ticket = await ticket_in()
    response = await api(actor, "POST", f"/{ticket['id']}/followers")
    expected = _expect(
        actor,
        allowed={"reporter", "follower", "bot:reporter"},
        forbidden={"tech", "tech_other", "dorm_manager", "admin"},
    )
    assert response.status_code == expected, response.text
    if expected == 403:
        assert response.json()["error"] == "StudentsOnly"
    if expected == 200:
        assert response.json()["following"] == (actor == "follower")


@pytest.mark.parametrize("actor", ACTORS)
async def test_upload_photo(api: Api, ticket_in: TicketFactory, actor: str) -> None:
    ticket = await ticket_in()
    response = await api(
        actor, "POST", f"/{ticket['id']}/photos", files={"file": ("a.png", PNG, "image/png")}
    )
    expected = _expect(
        actor,
        allowed={"reporter", "tech", "admin", "bot:reporter"},
        forbidden={"follower", "dorm_manager"},
        ok=201,
    )
    assert response.status_code == expected, response.text
    detail = (await api("admin", "GET", f"/{ticket['id']}")).json()
    assert len(detail["photos"]) == (1 if expected == 201 else 0)


@pytest.mark.parametrize("actor", ACTORS)
async def test_read_photo(api: Api, ticket_in: TicketFactory, actor: str) -> None:
    ticket = await ticket_in()
    uploaded = await api(
        "reporter", "POST", f"/{ticket['id']}/photos", files={"file": ("a.png", PNG, "image/png")}
    )
    assert uploaded.status_code == 201
    response = await api(actor, "GET", uploaded.json()["url"].removeprefix("/api/v1/repairs"))
    assert response.status_code == (200 if actor in SEES_PHOTOS else 404)
    if actor in SEES_PHOTOS:
        assert response.content == PNG
        assert response.headers["content-type"] == "image/png"


@pytest.mark.parametrize("actor", ACTORS)
async def test_report(api: Api, campus: Any, actor: str) -> None:
    """Students (and the bot for them) report; staff and the office do not."""
    response = await api(
        actor, "POST", json={"category": "network", "description": "Wi-Fi keeps dropping"}
    )
    students = {"reporter", "other", "follower", "bot:reporter", "bot:other"}
    assert response.status_code == (201 if actor in students else 403), response.text


async def test_unauthenticated_is_401(api: Api, client: Any, ticket_in: TicketFactory) -> None:
    ticket = await ticket_in()
    assert (await client.get(f"/api/v1/repairs/{ticket['id']}")).status_code == 401
    assert (await client.get("/api/v1/repairs")).status_code == 401


async def test_delegation_token_without_bot_key_is_refused(
    client: Any, settings: Any, campus: Any
) -> None:
    headers = token_headers(settings, campus["reporter"], via_bot=True)
    del headers["X-Bot-Key"]
    response = await client.get("/api/v1/repairs", headers=headers)
    assert response.status_code == 401
