"""Every route × every kind of caller: allowed or refused, one assertion per cell (issue 17).

The world: ``reporter`` (B7-312) reported an electrical ticket with a photo, asked for a
person (handoff) and has a repair survey; ``neighbour`` (B7-313) and ``outsider`` (B3) are
students; ``tech`` is in the electrical crew (the ticket's), ``tech_other`` in plumbing;
``manager`` runs B7's dorm team, ``manager_other`` B3's; ``canteen`` is on the staff of
the west canteen (``east`` is another one); ``admin`` is the logistics office.

A cell is *refused* when the answer is 401, 403, or a 404 that hides a resource which
exists (``HIDDEN`` rows); anything else (2xx, 404 for a made-up id, 409, 422 …) got past
authorization and is *allowed*. ``test_every_route_is_in_the_table`` fails when a route
is added without a row.
"""

from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.core.config import Settings
from backend.identity.models import Role, Team, TeamKind, Trade
from backend.main import create_app
from backend.meals.models import Canteen
from tests.backend.conftest import TEST_SECRETS, UserFactory
from tests.backend.helpers import token_headers
from tests.backend.repairs.conftest import (  # noqa: F401 - fixtures used by `world`
    PNG,
    Campus,
    campus,
    photo_dir,
)
from tests.backend.surveys.factories import make_template, repair_invitation

ANON = "anonymous"
ROLES = [
    ANON,
    "reporter",
    "neighbour",
    "outsider",
    "tech",
    "tech_other",
    "manager",
    "manager_other",
    "canteen",
    "admin",
]
STUDENTS = {"reporter", "neighbour", "outsider"}
STAFF = {"tech", "tech_other", "manager", "manager_other", "canteen"}
SIGNED_IN = STUDENTS | STAFF | {"admin"}
EVERYONE = {ANON, *SIGNED_IN}


@dataclass(frozen=True)
class Row:
    method: str
    path: str  # {ticket} {photo} {handoff} {invitation} are filled from the world
    allowed: set[str]
    body: dict[str, Any] | None = None
    hidden: bool = False  # a 404 for this existing resource means "not yours"
    files: bool = False
    query: dict[str, str] = field(default_factory=dict)


ADMIN_ONLY = {"admin"}
MEALS_EDITORS = {"canteen", "admin"}  # a made-up canteen or dish: past the role check, 404
ROWS = [
    # identity
    Row("GET", "/api/v1/me", SIGNED_IN),
    Row("PATCH", "/api/v1/me", SIGNED_IN, {}),
    # meals
    Row("GET", "/api/v1/canteens", SIGNED_IN),
    Row("GET", "/api/v1/canteens/nope", SIGNED_IN),
    Row("GET", "/api/v1/menus", SIGNED_IN),
    Row("PUT", "/api/v1/menus/nope/2026-11-23/lunch", MEALS_EDITORS, {"dish_ids": []}),
    Row("PUT", "/api/v1/menus/west/2026-11-23/lunch", MEALS_EDITORS, {"dish_ids": []}),
    Row("PUT", "/api/v1/menus/east/2026-11-23/lunch", ADMIN_ONLY, {"dish_ids": [999999]}),
    Row("GET", "/api/v1/dishes", SIGNED_IN),
    Row("POST", "/api/v1/dishes", MEALS_EDITORS, {}),
    Row("GET", "/api/v1/dishes/999999", SIGNED_IN),
    Row("PATCH", "/api/v1/dishes/999999", MEALS_EDITORS, {}),
    Row("GET", "/api/v1/meal-plans", SIGNED_IN),
    Row("PUT", "/api/v1/meal-plans/subscription", STUDENTS, {"plan": "nope"}),
    Row("DELETE", "/api/v1/meal-plans/subscription", STUDENTS),
    Row("GET", "/api/v1/meal-plans/suggestion", STUDENTS),
    # dorms
    Row("GET", "/api/v1/dorms/me", STUDENTS),
    Row("GET", "/api/v1/dorms/me/checklists", STUDENTS),
    Row("GET", "/api/v1/dorms/buildings", SIGNED_IN),
    Row("GET", "/api/v1/dorms/buildings/B7", SIGNED_IN),
    Row("PATCH", "/api/v1/dorms/buildings/B7", {"manager", "admin"}, {}),
    Row("GET", "/api/v1/guidance", SIGNED_IN, query={"q": "curfew"}),
    Row("POST", "/api/v1/guidance", {"manager", "manager_other", "admin"}, {}),
    Row("GET", "/api/v1/guidance/explain", STAFF | {"admin"}, query={"q": "curfew"}),
    Row("GET", "/api/v1/guidance/999999", SIGNED_IN),
    Row("PATCH", "/api/v1/guidance/999999", {"manager", "manager_other", "admin"}, {}),
    Row("DELETE", "/api/v1/guidance/999999", {"manager", "manager_other", "admin"}),
    # repairs
    Row("POST", "/api/v1/repairs", STUDENTS, {}),
    Row("GET", "/api/v1/repairs", SIGNED_IN),
    Row("GET", "/api/v1/repairs/{ticket}", {"reporter", "tech", "manager", "admin"}, hidden=True),
    Row(
        "POST",
        "/api/v1/repairs/{ticket}/transitions",
        {"reporter", "admin"},
        {"action": "cancel"},
        hidden=True,
    ),
    Row("POST", "/api/v1/repairs/{ticket}/followers", {"reporter"}, hidden=True),
    Row("GET", "/api/v1/repairs/{ticket}/assignees", {"tech", "admin"}, hidden=True),
    Row(
        "GET",
        "/api/v1/repairs/{ticket}/transcript",
        {"reporter", "tech", "manager", "admin"},
        hidden=True,
    ),
    Row(
        "POST",
        "/api/v1/repairs/{ticket}/photos",
        {"reporter", "tech", "admin"},
        files=True,
        hidden=True,
    ),
    Row(
        "GET",
        "/api/v1/repairs/{ticket}/photos/{photo}",
        {"reporter", "tech", "manager", "admin"},
        hidden=True,
    ),
    # surveys
    Row("GET", "/api/v1/surveys/pending", SIGNED_IN),
    Row("GET", "/api/v1/surveys/invitations/{invitation}", {"reporter"}, hidden=True),
    Row(
        "POST",
        "/api/v1/surveys/invitations/{invitation}/response",
        {"reporter"},
        {"overall": 4},
        hidden=True,
    ),
    Row("GET", "/api/v1/surveys/campaigns/open", STUDENTS),
    Row("POST", "/api/v1/surveys/campaigns/999999/choice", STUDENTS, {"canteen": "nope"}),
    Row("GET", "/api/v1/surveys/leaderboard", STAFF | {"admin"}),
    Row("GET", "/api/v1/surveys/teams/maint-electrical/scores", {"tech", "admin"}),
    Row("GET", "/api/v1/surveys/teams/maint-electrical/comments", {"tech", "admin"}),
    # rewards
    Row("GET", "/api/v1/rewards/statements", STAFF | {"admin"}),
    Row("GET", "/api/v1/rewards/statements/999999", STAFF | {"admin"}),
    Row(
        "POST",
        "/api/v1/rewards/statements/999999/appeals",
        STAFF | {"admin"},
        {"reason": "x"},
    ),
    # chat and handoff
    Row("POST", "/api/v1/chat", STUDENTS, {}),
    Row("GET", "/api/v1/chat/history", STUDENTS),
    Row("DELETE", "/api/v1/chat/history", STUDENTS),
    # canteen timetables: the canteen's own staff and the office
    Row("GET", "/api/v1/canteens/nope/hours", MEALS_EDITORS),
    Row("GET", "/api/v1/canteens/west/hours", MEALS_EDITORS),
    Row("GET", "/api/v1/canteens/east/hours", ADMIN_ONLY),
    Row("PUT", "/api/v1/canteens/nope/hours", MEALS_EDITORS, {}),
    Row("POST", "/api/v1/menus/nope/copy", MEALS_EDITORS, {}),
    Row(
        "POST",
        "/api/v1/menus/east/copy",
        ADMIN_ONLY,
        {"source": "2026-11-23", "target": "2026-11-30"},
    ),
    # the front desk files a ticket for a student; managers for their own building
    Row("POST", "/api/v1/repairs/for-student", {"manager", "manager_other", "admin"}, {}),
    # the console's dorm pages: a building's articles (drafts too) and its checklists
    Row("GET", "/api/v1/admin/guidance", {"manager", "manager_other", "admin"}),
    Row("GET", "/api/v1/dorms/buildings/B7/checklists", {"manager", "admin"}),
    # unanswered questions: dorm managers (their building) and the office
    Row("GET", "/api/v1/admin/unanswered", {"manager", "manager_other", "admin"}),
    Row("POST", "/api/v1/admin/unanswered/draft", {"manager", "manager_other", "admin"}, {}),
    # messaging accounts: a student links and unlinks their own
    Row("POST", "/api/v1/channels/link-codes", STUDENTS),
    Row("GET", "/api/v1/channels/links", STUDENTS),
    Row("DELETE", "/api/v1/channels/links/telegram", STUDENTS),
    # notifications: everyone has an inbox (staff get e.g. resolved appeals); choices are
    # the students'
    Row("GET", "/api/v1/notifications", SIGNED_IN),
    Row("POST", "/api/v1/notifications/read-all", SIGNED_IN),
    Row("POST", "/api/v1/notifications/999999/read", SIGNED_IN),
    Row("GET", "/api/v1/notifications/preferences", STUDENTS),
    Row("PUT", "/api/v1/notifications/preferences", STUDENTS, {}),
    Row("POST", "/api/v1/notifications/preferences/mute", STUDENTS, {}),
    Row("POST", "/api/v1/handoffs", STUDENTS, {}),
    Row("GET", "/api/v1/handoffs", STUDENTS | {"manager", "manager_other", "admin"}),
    Row(
        "POST",
        "/api/v1/handoffs/{handoff}/reply",
        {"manager", "admin"},
        {"reply": "On my way."},
        hidden=True,
    ),
    Row("POST", "/api/v1/handoffs/{handoff}/close", {"reporter", "manager", "admin"}, hidden=True),
]
# The office's routes: only the office (the rest of staff is 403, nobody else gets in).
ADMIN_ROUTES = [
    ("GET", "/api/v1/admin/surveys/templates"),
    ("POST", "/api/v1/admin/surveys/templates"),
    ("GET", "/api/v1/admin/surveys/templates/999999"),
    ("PATCH", "/api/v1/admin/surveys/templates/999999"),
    ("GET", "/api/v1/admin/surveys/campaigns"),
    ("POST", "/api/v1/admin/surveys/campaigns"),
    ("POST", "/api/v1/admin/surveys/campaigns/999999/invitations"),
    ("GET", "/api/v1/admin/surveys/scores"),
    ("GET", "/api/v1/admin/surveys/results/nope"),
    ("GET", "/api/v1/admin/surveys/responses"),
    ("POST", "/api/v1/admin/surveys/responses/999999/clear-flag"),
    ("GET", "/api/v1/admin/rewards/periods"),
    ("POST", "/api/v1/admin/rewards/periods"),
    ("GET", "/api/v1/admin/rewards/periods/999999"),
    ("PATCH", "/api/v1/admin/rewards/periods/999999"),
    ("GET", "/api/v1/admin/rewards/periods/999999/preview"),
    ("POST", "/api/v1/admin/rewards/periods/999999/finalize"),
    ("POST", "/api/v1/admin/rewards/periods/999999/corrections"),
    ("GET", "/api/v1/admin/rewards/periods/999999/versions/1"),
    ("GET", "/api/v1/admin/rewards/periods/999999/export.csv"),
    ("GET", "/api/v1/admin/rewards/appeals"),
    ("POST", "/api/v1/admin/rewards/appeals/999999/resolve"),
    ("GET", "/api/v1/admin/notifications"),
    ("POST", "/api/v1/admin/notifications/deliveries/999999/retry"),
]
ROWS += [
    Row(method, path, ADMIN_ONLY, {} if method in ("POST", "PATCH") else None)
    for method, path in ADMIN_ROUTES
]
# Public by design, not matrix rows: signing in and out (the password or refresh token is
# the credential; tests/backend/identity) and the health check (tests/backend/health).
PUBLIC = {
    ("POST", "/api/v1/auth/token"),
    ("POST", "/api/v1/auth/refresh"),
    ("POST", "/api/v1/auth/logout"),
    # platform webhooks: the platform's signature / secret token is the credential
    # (tests/backend/channels)
    ("GET", "/api/v1/channels/wecom/callback"),
    ("POST", "/api/v1/channels/wecom/callback"),
    ("POST", "/api/v1/channels/telegram/webhook"),
    # the browser's sign-in: the same, with the refresh token in a cookie
    ("POST", "/api/v1/auth/session"),
    ("POST", "/api/v1/auth/session/refresh"),
    ("DELETE", "/api/v1/auth/session"),
    ("GET", "/healthz"),
}


VALUES = {
    "nope",
    "B7",
    "maint-electrical",
    "2026-11-23",
    "lunch",
    "telegram",
    "west",
    "east",
}  # used in rows' paths


def _template(path: str) -> str:
    """/api/v1/repairs/{repair_id}, /api/v1/repairs/{ticket}, /api/v1/repairs/17 → one shape."""
    parts = path.split("/")
    return "/".join("{}" if p.startswith("{") or p.isdigit() or p in VALUES else p for p in parts)


def test_every_route_is_in_the_table() -> None:
    app = create_app(
        Settings(env="development", database_url="sqlite+aiosqlite://", **TEST_SECRETS)
    )
    documented = {
        (method.upper(), _template(path))
        for path, operations in app.openapi()["paths"].items()
        for method in operations
    }
    covered = {(row.method, _template(row.path)) for row in ROWS} | {
        (m, _template(p)) for m, p in PUBLIC
    }
    assert documented - covered == set()
    assert covered - documented == set()


@dataclass
class World:
    campus: Campus
    headers: dict[str, dict[str, str]]
    ids: dict[str, int]


@pytest.fixture
async def world(
    client: httpx.AsyncClient,
    session: AsyncSession,
    settings: Settings,
    make_user: UserFactory,
    campus: Campus,  # noqa: F811 - the repairs fixture
) -> World:
    b3_team = Team(
        slug="dorm-b3",
        name_en="Building 3 Management",
        name_zh="3号楼宿管",
        kind=TeamKind.dorm,
        building_id=campus.buildings["B3"].id,
    )
    session.add(b3_team)
    west = Canteen(slug="west", name_en="West Canteen", name_zh="西区食堂")
    session.add_all([west, Canteen(slug="east", name_en="East Canteen", name_zh="东区食堂")])
    await session.flush()
    west_team = Team(
        slug="canteen-west",
        name_en="West Canteen",
        name_zh="西区食堂",
        kind=TeamKind.canteen,
        canteen_id=west.id,
    )
    session.add(west_team)
    await session.commit()
    people = {
        "reporter": campus["reporter"],
        "neighbour": campus["follower"],  # B7-313, follows nothing here
        "outsider": campus["other"],
        "tech": campus["tech"],
        "tech_other": campus["tech_other"],
        "manager": campus["dorm_manager"],
        "manager_other": await make_user(Role.dorm_manager, team_id=b3_team.id),
        "canteen": await make_user(Role.canteen_staff, team_id=west_team.id),
        "admin": campus["admin"],
    }
    headers = {name: token_headers(settings, user) for name, user in people.items()}
    headers[ANON] = {}
    report = {"category": "electrical", "description": "The ceiling light flickers"}
    ticket = await client.post("/api/v1/repairs", json=report, headers=headers["reporter"])
    assert ticket.status_code == 201, ticket.text
    ticket_id = ticket.json()["id"]
    photo = await client.post(
        f"/api/v1/repairs/{ticket_id}/photos",
        files={"file": ("a.png", PNG, "image/png")},
        headers=headers["reporter"],
    )
    assert photo.status_code == 201, photo.text
    handoff = await client.post(
        "/api/v1/handoffs", json={"message": "I need a person"}, headers=headers["reporter"]
    )
    assert handoff.status_code == 201, handoff.text
    await make_template(session)
    invitation = await repair_invitation(
        session, people["reporter"], campus.crews[Trade.electrical], ticket_id=ticket_id
    )
    ids = {
        "ticket": ticket_id,
        "photo": photo.json()["id"],
        "handoff": handoff.json()["id"],
        "invitation": invitation.id,
    }
    return World(campus=campus, headers=headers, ids=ids)


def refused(row: Row, response: httpx.Response) -> bool:
    return response.status_code in (401, 403) or (row.hidden and response.status_code == 404)


@pytest.mark.parametrize("row", ROWS, ids=lambda row: f"{row.method} {row.path}")
async def test_route_by_role(client: httpx.AsyncClient, world: World, row: Row) -> None:
    path = row.path.format(**world.ids)
    outcome = {}
    for role in ROLES:
        files = {"file": ("a.png", PNG, "image/png")} if row.files else None
        response = await client.request(
            row.method,
            path,
            json=row.body,
            files=files,
            params=row.query,
            headers=world.headers[role],
        )
        assert response.status_code < 500, (role, response.text)
        outcome[role] = "refused" if refused(row, response) else "allowed"
        if role == ANON and row.allowed != EVERYONE:
            assert response.status_code == 401, response.text
    expected = {role: "allowed" if role in row.allowed else "refused" for role in ROLES}
    assert outcome == expected
