"""Events write notices in their own transaction, once per event and recipient."""

import httpx
from sqlalchemy.ext.asyncio import AsyncConnection, async_sessionmaker
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.core.config import Settings
from backend.core.types import utcnow
from backend.notify.models import Delivery, DeliveryState, Kind, Notification
from backend.notify.service import notify, wake_on_commit
from tests.backend.helpers import token_headers
from tests.backend.repairs.conftest import Api, Campus, TicketFactory


async def notices(session: AsyncSession, user_id: int) -> list[Notification]:
    query = select(Notification).where(col(Notification.user_id) == user_id)
    return list((await session.exec(query.order_by(col(Notification.id)))).all())


async def test_every_change_reaches_the_reporter_and_the_follower(
    session: AsyncSession, campus: Campus, ticket_in: TicketFactory, api: Api
) -> None:
    ticket = await ticket_in("on_hold")
    for move in ({"action": "resume"}, {"action": "complete"}):
        assert (await api("tech", "POST", f"/{ticket['id']}/transitions", json=move)).is_success
    reporter = await notices(session, campus["reporter"].id)
    assert [n.kind for n in reporter] == [
        Kind.repair_assigned,
        Kind.repair_started,
        Kind.repair_on_hold,
        Kind.repair_started,  # resumed
        Kind.repair_completed,
    ]
    assert all(n.ticket_id == ticket["id"] for n in reporter)
    assert reporter[2].params["reason"] == "waiting for parts"
    follower = await notices(session, campus["follower"].id)
    assert [n.kind for n in follower] == [n.kind for n in reporter]
    assert all(n.params["follower"] for n in follower)
    assert "reason" not in follower[2].params  # a follower sees the status, not the notes
    deliveries = (
        await session.exec(
            select(Delivery).where(col(Delivery.notification_id).in_([n.id for n in reporter]))
        )
    ).all()
    assert {(d.channel.value, d.state) for d in deliveries} == {("app", DeliveryState.pending)}
    assert len(deliveries) == len(reporter)


async def test_the_reporter_hears_the_technicians_completion_note_a_follower_does_not(
    session: AsyncSession, campus: Campus, ticket_in: TicketFactory, api: Api
) -> None:
    ticket = await ticket_in("in_progress")
    done = {"action": "complete", "note": "Replaced the ballast 换了镇流器"}
    assert (await api("tech", "POST", f"/{ticket['id']}/transitions", json=done)).is_success
    [completed] = [
        n for n in await notices(session, campus["reporter"].id) if n.kind == Kind.repair_completed
    ]
    assert completed.params["note"] == "Replaced the ballast 换了镇流器"
    [followed] = [
        n for n in await notices(session, campus["follower"].id) if n.kind == Kind.repair_completed
    ]
    assert "note" not in followed.params


async def test_nobody_is_told_what_they_did_themselves(
    session: AsyncSession, campus: Campus, ticket_in: TicketFactory
) -> None:
    await ticket_in("cancelled")  # the reporter cancelled
    kinds = [n.kind for n in await notices(session, campus["reporter"].id)]
    assert kinds == []
    assert [n.kind for n in await notices(session, campus["follower"].id)] == [
        Kind.repair_cancelled
    ]


async def test_a_failed_transition_writes_no_notice(
    session: AsyncSession, campus: Campus, ticket_in: TicketFactory, api: Api
) -> None:
    ticket = await ticket_in("submitted")
    response = await api(
        "tech", "POST", f"/{ticket['id']}/transitions", json={"action": "complete"}
    )
    assert response.status_code == 409
    assert await notices(session, campus["reporter"].id) == []


async def test_the_same_event_notifies_once(session: AsyncSession, campus: Campus) -> None:
    student = campus["reporter"]
    first = await notify(
        session=session,
        user_id=student.id,
        kind=Kind.handoff_answered,
        dedupe_key="k:1",
        now=utcnow(),
    )
    again = await notify(
        session=session,
        user_id=student.id,
        kind=Kind.handoff_answered,
        dedupe_key="k:1",
        now=utcnow(),
    )
    assert first is not None
    assert again is None
    assert len(await notices(session, student.id)) == 1


async def test_a_commit_that_put_a_notice_in_the_outbox_wakes_the_dispatcher(
    connection: AsyncConnection, campus: Campus
) -> None:
    sessions = async_sessionmaker(
        bind=connection,
        class_=AsyncSession,
        join_transaction_mode="create_savepoint",
        expire_on_commit=False,
    )
    wakes: list[str] = []
    wake_on_commit(sessions, lambda: wakes.append("woken"))
    student = campus["reporter"]

    async with sessions() as session:
        await session.get(Notification, 1)
        await session.commit()  # nothing for the outbox
    assert wakes == []

    async with sessions() as session:
        for key in ("wake:1", "wake:1"):  # the second is a repeat: no new notice
            await notify(
                session=session,
                user_id=student.id,
                kind=Kind.handoff_answered,
                dedupe_key=key,
                now=utcnow(),
            )
        assert wakes == []  # not before the commit
        await session.commit()
        assert wakes == ["woken"]
        await session.commit()  # the next transaction put nothing in the outbox
    assert wakes == ["woken"]


async def test_a_staff_reply_to_a_handoff_notifies_the_student(
    client: httpx.AsyncClient,
    session: AsyncSession,
    campus: Campus,
    settings: Settings,
) -> None:
    student = campus["reporter"]
    created = await client.post(
        "/api/v1/handoffs",
        json={"message": "I need to talk to someone about my room"},
        headers=token_headers(settings, student),
    )
    assert created.status_code == 201, created.text
    replied = await client.post(
        f"/api/v1/handoffs/{created.json()['id']}/reply",
        json={"reply": "We will call you at 3 pm."},
        headers=token_headers(settings, campus["admin"]),
    )
    assert replied.status_code == 200, replied.text
    [notice] = await notices(session, student.id)
    assert notice.kind == Kind.handoff_answered
    assert notice.params["reply"] == "We will call you at 3 pm."
    assert notice.handoff_id == created.json()["id"]
