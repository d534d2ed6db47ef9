"""What the staff console reads: the moves a viewer may make, how many follow a ticket, the
queue by due time and building, who a ticket can be assigned to, and the chat it came from."""

from datetime import timedelta

import pytest
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.chat.models import Channel, ChatMessage, Speaker
from backend.identity.models import Locale
from tests.backend.helpers import StoppedClock
from tests.backend.repairs.conftest import Api, Campus, TicketFactory
from tests.backend.repairs.test_list import ids, report


async def allowed(api: Api, actor: str, ticket_id: int) -> list[str]:
    response = await api(actor, "GET", f"/{ticket_id}")
    assert response.status_code == 200, response.text
    actions: list[str] = response.json()["allowed_actions"]
    return actions


@pytest.mark.parametrize(
    ("status", "tech", "reporter", "admin"),
    [
        ("submitted", ["assign"], ["cancel"], ["assign", "cancel"]),
        ("assigned", ["assign", "start"], ["cancel"], ["assign", "start", "cancel"]),
        ("in_progress", ["hold", "complete"], ["cancel"], ["hold", "complete", "cancel"]),
        ("on_hold", ["resume"], ["cancel"], ["resume", "cancel"]),
        ("completed", [], ["confirm", "reopen"], ["confirm", "reopen"]),
        ("closed", [], [], []),
    ],
)
async def test_allowed_actions_are_the_moves_that_work(
    api: Api,
    ticket_in: TicketFactory,
    status: str,
    tech: list[str],
    reporter: list[str],
    admin: list[str],
) -> None:
    ticket = await ticket_in(status)
    assert await allowed(api, "tech", ticket["id"]) == tech
    assert await allowed(api, "reporter", ticket["id"]) == reporter
    assert await allowed(api, "admin", ticket["id"]) == admin
    assert await allowed(api, "follower", ticket["id"]) == []
    assert await allowed(api, "dorm_manager", ticket["id"]) == []  # reads its building only


async def test_every_allowed_action_is_accepted(api: Api, ticket_in: TicketFactory) -> None:
    ticket = await ticket_in("in_progress")
    for action in await allowed(api, "tech", ticket["id"]):
        fresh = await ticket_in("in_progress")
        body = {"action": action, **({"reason": "parts"} if action == "hold" else {})}
        moved = await api("tech", "POST", f"/{fresh['id']}/transitions", json=body)
        assert moved.status_code == 200, moved.text


async def test_followers_are_counted_for_the_full_view_only(
    api: Api, ticket_in: TicketFactory
) -> None:
    ticket = await ticket_in("assigned")  # the follower follows it
    assert (await api("tech", "GET", f"/{ticket['id']}")).json()["followers"] == 1
    assert (await api("reporter", "GET", f"/{ticket['id']}")).json()["followers"] == 1
    assert (await api("follower", "GET", f"/{ticket['id']}")).json()["followers"] == 0


async def test_the_queue_by_due_time_and_building(
    api: Api, campus: Campus, clock: StoppedClock
) -> None:
    normal_b7 = await report(api, clock, "reporter")
    emergency_b7 = await report(api, clock, "reporter", priority="emergency")
    low_b3 = await report(api, clock, "other", priority="low")
    assert await ids(api, "tech", "?order=due") == [
        emergency_b7["id"],
        normal_b7["id"],
        low_b3["id"],
    ]
    assert await ids(api, "tech", "?order=due&building=b7") == [
        emergency_b7["id"],
        normal_b7["id"],
    ]
    assert await ids(api, "tech", "?building=B3") == [low_b3["id"]]
    unknown = await api("tech", "GET", "?building=Z9")
    assert unknown.status_code == 422
    assert unknown.json()["error"] == "UnknownBuilding"
    assert (await api("tech", "GET", "?order=oldest")).status_code == 422
    # Several statuses at once: the work still pending, say.
    await api("tech", "POST", f"/{normal_b7['id']}/transitions", json={"action": "assign"})
    assert await ids(api, "tech", "?order=due&status=submitted&status=assigned") == [
        emergency_b7["id"],
        normal_b7["id"],
        low_b3["id"],
    ]
    assert await ids(api, "tech", "?status=assigned") == [normal_b7["id"]]


async def test_assignees_are_the_crew_and_every_crew_for_the_office(
    api: Api, campus: Campus, ticket_in: TicketFactory
) -> None:
    ticket = await ticket_in("submitted")  # electrical
    crew = await api("tech", "GET", f"/{ticket['id']}/assignees")
    assert crew.status_code == 200, crew.text
    options = crew.json()["data"]
    assert [o["id"] for o in options] == [campus["tech"].id, campus["tech2"].id]
    assert [o["is_me"] for o in options] == [True, False]
    assert {o["team"]["slug"] for o in options} == {"maint-electrical"}
    office = (await api("admin", "GET", f"/{ticket['id']}/assignees")).json()["data"]
    everyone = {campus[name].id for name in ("tech", "tech2", "tech_other")}
    assert {o["id"] for o in office} == everyone
    for outsider, code in [("reporter", 403), ("dorm_manager", 403), ("tech_other", 404)]:
        refused = await api(outsider, "GET", f"/{ticket['id']}/assignees")
        assert refused.status_code == code, (outsider, refused.text)
    # A crewmate from the list is accepted by the move itself.
    moved = await api(
        "tech",
        "POST",
        f"/{ticket['id']}/transitions",
        json={"action": "assign", "assignee_id": options[1]["id"]},
    )
    assert moved.status_code == 200, moved.text
    assert moved.json()["assignee"]["id"] == campus["tech2"].id


async def test_the_transcript_of_a_report_made_in_the_chat(
    api: Api, campus: Campus, clock: StoppedClock, session: AsyncSession
) -> None:
    student = campus["reporter"]

    def line(minutes_before: float, role: Speaker, text: str, **extra: object) -> ChatMessage:
        return ChatMessage(
            user_id=student.id,
            role=role,
            text=text,
            channel=Channel.app,
            language=Locale.en,
            created_at=clock.now() - timedelta(minutes=minutes_before),
            **extra,
        )

    session.add_all(
        [
            line(90, Speaker.student, "what's for lunch?"),  # long before: not shown
            line(5, Speaker.student, "the light in my room flickers"),
            line(4, Speaker.bot, "Where is it?", notification_id=None),
            line(3, Speaker.bot, "Your repair #5 was assigned", notification_id=77),
            line(2, Speaker.student, "my room"),
        ]
    )
    await session.commit()
    created = await api(
        "bot:reporter",
        "POST",
        json={"category": "electrical", "description": "Light flickers in my room"},
    )
    assert created.status_code == 201, created.text
    ticket_id = created.json()["id"]
    shown = await api("tech", "GET", f"/{ticket_id}/transcript")
    assert shown.status_code == 200, shown.text
    body = shown.json()
    assert body["from_chat"] is True
    assert [(x["speaker"], x["text"]) for x in body["data"]] == [
        ("student", "the light in my room flickers"),
        ("bot", "Where is it?"),
        ("student", "my room"),
    ]
    assert (await api("other", "GET", f"/{ticket_id}/transcript")).status_code == 404


async def test_a_report_not_made_in_the_chat_has_no_transcript(
    api: Api, ticket_in: TicketFactory
) -> None:
    ticket = await ticket_in("submitted")
    shown = (await api("reporter", "GET", f"/{ticket['id']}/transcript")).json()
    assert shown == {"from_chat": False, "data": [], "count": 0}
    assert (await api("follower", "GET", f"/{ticket['id']}/transcript")).status_code == 404
