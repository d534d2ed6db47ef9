"""Invitations come from service events only: repairs, dorm residence, canteen campaigns."""

from datetime import date, timedelta

import httpx
from sqlmodel import func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.core.types import utcnow
from backend.dorms.models import Building, Room, RoomAssignment
from backend.identity.models import Role, TeamKind
from backend.meals.models import Canteen
from backend.surveys.config import SurveySettings
from backend.surveys.models import RepairCompletion, SurveyInvitation, SurveyTemplate
from backend.surveys.service import invite_for_repair
from tests.backend.conftest import TeamFactory, UserFactory
from tests.backend.helpers import login
from tests.backend.surveys.factories import TZ, make_template, repair_invitation


async def count(session: AsyncSession, model: type) -> int:
    return (await session.exec(select(func.count()).select_from(model))).one()


async def test_a_completed_repair_invites_its_requester_once(
    session: AsyncSession, make_user: UserFactory, make_team: TeamFactory
) -> None:
    await make_template(session)
    student, crew = await make_user(), await make_team()
    completed = utcnow() - timedelta(hours=1)
    args = {
        "session": session,
        "ticket_id": 1024,
        "requester_id": student.id,
        "team_id": crew.id,
        "completed_at": completed,
        "due_at": completed + timedelta(hours=2),
        "settings": SurveySettings(repair_invitation_days=3),
        "tz": TZ,
    }
    first = await invite_for_repair(**args)  # type: ignore[arg-type]
    second = await invite_for_repair(**args)  # type: ignore[arg-type]
    assert first is not None
    assert second is not None
    assert first.id == second.id
    assert await count(session, SurveyInvitation) == 1
    assert first.expires_at == completed + timedelta(days=3)
    assert (first.subject_en, first.subject_zh) == ("Repair #1024", "报修单 #1024")
    completion = (await session.exec(select(RepairCompletion))).one()
    assert completion.due_at == completed + timedelta(hours=2)
    assert completion.team_id == crew.id


async def test_nobody_is_invited_to_rate_their_own_team_or_as_staff(
    session: AsyncSession, make_user: UserFactory, make_team: TeamFactory
) -> None:
    await make_template(session)
    crew = await make_team()
    own_staff = await make_user(role=Role.technician, team_id=crew.id)
    other_staff = await make_user(role=Role.technician)
    for requester in (own_staff, other_staff):
        invitation = await invite_for_repair(
            session=session,
            ticket_id=requester.id + 7000,
            requester_id=requester.id,
            team_id=crew.id,
            completed_at=utcnow(),
            settings=SurveySettings(),
            tz=TZ,
        )
        assert invitation is None
    assert await count(session, SurveyInvitation) == 0
    # ... but the completions still count for the crew's on-time rate
    assert await count(session, RepairCompletion) == 2


async def test_without_a_current_template_no_invitation(
    session: AsyncSession, make_user: UserFactory, make_team: TeamFactory
) -> None:
    student, crew = await make_user(), await make_team()
    invitation = await invite_for_repair(
        session=session,
        ticket_id=1,
        requester_id=student.id,
        team_id=crew.id,
        completed_at=utcnow(),
        settings=SurveySettings(),
        tz=TZ,
    )
    assert invitation is None


async def test_pending_lists_only_my_open_unanswered_invitations(
    session: AsyncSession,
    client: httpx.AsyncClient,
    make_user: UserFactory,
    make_team: TeamFactory,
) -> None:
    await make_template(session)
    me, other, crew = await make_user(), await make_user(), await make_team()
    mine = await repair_invitation(session, me, crew)
    expired = await repair_invitation(session, me, crew, completed_at=utcnow() - timedelta(days=30))
    await repair_invitation(session, other, crew)
    response = await client.get("/api/v1/surveys/pending", headers=await login(client, me))
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    item = body["data"][0]
    assert item["id"] == mine.id != expired.id
    assert item["team"] == {"slug": crew.slug, "name_en": crew.name_en, "name_zh": crew.name_zh}
    assert item["source"] == "repair"
    assert item["source_id"] == mine.source_id
    assert item["questions"][0]["key"] == "overall"
    assert item["questions"][0]["required"] is True
    assert {"subject_en", "subject_zh", "expires_at"} <= set(item)


async def housed(session: AsyncSession, make_user: UserFactory, make_team: TeamFactory) -> dict:
    b1 = Building(code="T1", name_en="Test Hall 1", name_zh="测试1号楼")
    b2 = Building(code="T2", name_en="Test Hall 2", name_zh="测试2号楼")
    session.add_all([b1, b2])
    await session.flush()
    r1 = Room(building_id=b1.id, number="101", floor=1)
    r2 = Room(building_id=b2.id, number="201", floor=2)
    session.add_all([r1, r2])
    await session.flush()
    t1 = await make_team(kind=TeamKind.dorm, trade=None, building_id=b1.id)
    t2 = await make_team(kind=TeamKind.dorm, trade=None, building_id=b2.id)
    alice, bob, moved_out = [await make_user() for _ in range(3)]
    await make_user()  # not housed: never invited
    start = date(2026, 9, 1)
    session.add_all(
        [
            RoomAssignment(student_id=alice.id, room_id=r1.id, starts_on=start),
            RoomAssignment(student_id=bob.id, room_id=r2.id, starts_on=start),
            RoomAssignment(
                student_id=moved_out.id, room_id=r1.id, starts_on=start, ends_on=date(2026, 9, 30)
            ),
        ]
    )
    await session.commit()
    return {"teams": (t1, t2), "rooms": (r1, r2)}


async def test_dorm_campaign_invites_each_resident_once_for_their_building(
    session: AsyncSession,
    client: httpx.AsyncClient,
    make_user: UserFactory,
    make_team: TeamFactory,
) -> None:
    await make_template(session)
    campus = await housed(session, make_user, make_team)
    admin = await make_user(role=Role.logistics_admin)
    headers = await login(client, admin)
    now = utcnow()
    body = {
        "source": "dorm",
        "period": "2026-11",
        "name_en": "Dorm survey",
        "name_zh": "宿舍问卷",
        "opens_at": (now - timedelta(days=1)).isoformat(),
        "closes_at": (now + timedelta(days=10)).isoformat(),
    }
    created = await client.post("/api/v1/admin/surveys/campaigns", json=body, headers=headers)
    assert created.status_code == 201, created.text
    assert created.json()["invitations"] == 2  # alice and bob; not the one who moved out
    invitations = (await session.exec(select(SurveyInvitation))).all()
    assert {i.team_id for i in invitations} == {t.id for t in campus["teams"]}
    again = await client.post(
        f"/api/v1/admin/surveys/campaigns/{created.json()['id']}/invitations", headers=headers
    )
    assert again.json() == {"campaign_id": created.json()["id"], "created": 0, "total": 2}
    duplicate = await client.post("/api/v1/admin/surveys/campaigns", json=body, headers=headers)
    assert duplicate.status_code == 409
    assert duplicate.json()["error"] == "CampaignExists"


async def test_canteen_campaign_lets_a_student_choose_one_canteen_per_period(
    session: AsyncSession,
    client: httpx.AsyncClient,
    make_user: UserFactory,
    make_team: TeamFactory,
) -> None:
    template = await make_template(session)
    north = Canteen(slug="t-north", name_en="North", name_zh="北区")
    session.add(north)
    await session.flush()
    team = await make_team(kind=TeamKind.canteen, trade=None, canteen_id=north.id)
    admin, student = await make_user(role=Role.logistics_admin), await make_user()
    now = utcnow()
    created = await client.post(
        "/api/v1/admin/surveys/campaigns",
        json={
            "source": "canteen",
            "period": "2026-11",
            "template_id": template.id,
            "name_en": "Canteen survey",
            "name_zh": "食堂问卷",
            "opens_at": (now - timedelta(days=1)).isoformat(),
            "closes_at": (now + timedelta(days=10)).isoformat(),
        },
        headers=await login(client, admin),
    )
    assert created.status_code == 201, created.text
    campaign_id = created.json()["id"]
    assert created.json()["invitations"] == 0  # nobody is invited until they choose
    headers = await login(client, student)
    open_ = (await client.get("/api/v1/surveys/campaigns/open", headers=headers)).json()
    assert open_["data"][0]["canteens"][0]["slug"] == "t-north"
    assert open_["data"][0]["invitation_id"] is None
    url = f"/api/v1/surveys/campaigns/{campaign_id}/choice"
    unknown = await client.post(url, json={"canteen": "nowhere"}, headers=headers)
    assert unknown.status_code == 404
    chosen = await client.post(url, json={"canteen": "t-north"}, headers=headers)
    assert chosen.status_code == 201, chosen.text
    assert chosen.json()["team"]["slug"] == team.slug
    twice = await client.post(url, json={"canteen": "t-north"}, headers=headers)
    assert twice.status_code == 409
    assert twice.json()["error"] == "CanteenAlreadyChosen"
    pending = (await client.get("/api/v1/surveys/pending", headers=headers)).json()
    assert [p["id"] for p in pending["data"]] == [chosen.json()["id"]]


async def test_templates_freeze_once_used(
    session: AsyncSession,
    client: httpx.AsyncClient,
    make_user: UserFactory,
    make_team: TeamFactory,
) -> None:
    admin = await make_user(role=Role.logistics_admin)
    headers = await login(client, admin)
    questions = [
        {"key": "overall", "text_en": "Overall?", "text_zh": "总体？"},
        {"key": "comment", "text_en": "Comment?", "text_zh": "意见？"},
    ]
    bad = await client.post(
        "/api/v1/admin/surveys/templates",
        json={"slug": "bad", "name_en": "b", "name_zh": "b", "questions": questions[1:]},
        headers=headers,
    )
    assert bad.status_code == 422  # overall must come first
    created = await client.post(
        "/api/v1/admin/surveys/templates",
        json={
            "slug": "short",
            "name_en": "Short",
            "name_zh": "简短",
            "questions": questions,
            "is_current": True,
        },
        headers=headers,
    )
    assert created.status_code == 201, created.text
    template_id = created.json()["id"]
    await repair_invitation(session, await make_user(), await make_team())
    frozen = await client.patch(
        f"/api/v1/admin/surveys/templates/{template_id}",
        json={"questions": questions[:1]},
        headers=headers,
    )
    assert frozen.status_code == 409
    assert frozen.json()["error"] == "TemplateInUse"
    renamed = await client.patch(
        f"/api/v1/admin/surveys/templates/{template_id}",
        json={"name_en": "Short survey"},
        headers=headers,
    )
    assert renamed.json()["name_en"] == "Short survey"
    assert renamed.json()["in_use"] is True
    stored = await session.get(SurveyTemplate, template_id)
    assert stored is not None
    assert len(stored.questions) == 2
