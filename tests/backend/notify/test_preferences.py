"""What the student chose decides what is pushed: opt-out, quiet hours, the daily cap;
every suppression is recorded with its reason. The inbox keeps everything."""

from datetime import UTC, datetime
from typing import Any

import httpx
import respx
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.core.config import Settings
from backend.notify.dispatcher import Dispatcher, quiet_hours_end
from backend.notify.models import Delivery, Kind, Preferences, SuppressReason
from backend.notify.service import notify
from tests.backend.helpers import StoppedClock, token_headers
from tests.backend.repairs.conftest import Campus

PREFS = "/api/v1/notifications/preferences"


async def queue(
    session: AsyncSession, campus: Campus, clock: StoppedClock, n: int = 1
) -> list[int]:
    ids = []
    for i in range(n):
        notification = await notify(
            session=session,
            user_id=campus["reporter"].id,
            kind=Kind.handoff_answered,
            dedupe_key=f"test:{clock.now().isoformat()}:{i}",
            now=clock.now(),
            params={"reply": f"answer {i}"},
        )
        assert notification is not None
        ids.append(notification.id)
    await session.commit()
    return ids


async def states(session: AsyncSession, ids: list[int]) -> list[tuple[str, str | None]]:
    query = (
        select(Delivery).where(col(Delivery.notification_id).in_(ids)).order_by(col(Delivery.id))
    )
    rows = (await session.exec(query)).all()
    for row in rows:
        await session.refresh(row)
    return [(row.state.value, row.reason.value if row.reason else None) for row in rows]


def everything_on(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "categories": {
            c: {"app": True, "wecom": True, "telegram": True}
            for c in ("repairs", "surveys", "handoff", "news")
        },
        "quiet_hours": {"start": "23:00", "end": "07:00"},
        "daily_cap": 10,
        "survey_reminders": 2,
    }
    body.update(changes)
    return body


async def test_defaults_are_the_campus_ones(
    client: httpx.AsyncClient, campus: Campus, settings: Settings
) -> None:
    response = await client.get(PREFS, headers=token_headers(settings, campus["reporter"]))
    assert response.status_code == 200
    assert response.json() == everything_on()


async def test_bad_preferences_are_refused_and_change_nothing(
    client: httpx.AsyncClient, campus: Campus, settings: Settings
) -> None:
    headers = token_headers(settings, campus["reporter"])
    for bad in (
        everything_on(quiet_hours={"start": "25:00", "end": "07:00"}),
        everything_on(quiet_hours={"start": "07:00", "end": "07:00"}),
        everything_on(daily_cap=0),
        everything_on(categories={"parties": {"app": True}}),
        everything_on(categories={"repairs": {"socketio": True}}),
        {**everything_on(), "extra": 1},
    ):
        response = await client.put(PREFS, json=bad, headers=headers)
        assert response.status_code == 422, bad
        assert response.json()["error"] == "ValidationError"
    assert (await client.get(PREFS, headers=headers)).json() == everything_on()


async def test_opted_out_is_suppressed_with_the_reason_and_nothing_is_said(
    client: httpx.AsyncClient,
    session: AsyncSession,
    campus: Campus,
    clock: StoppedClock,
    dispatcher: Dispatcher,
    settings: Settings,
    rasa: respx.MockRouter,
) -> None:
    trigger = rasa.post(url__regex=r".*/trigger_intent").respond(json={"messages": []})
    headers = token_headers(settings, campus["reporter"])
    body = everything_on()
    body["categories"]["handoff"]["app"] = False
    assert (await client.put(PREFS, json=body, headers=headers)).status_code == 200
    ids = await queue(session, campus, clock)
    await dispatcher.run_once()
    assert await states(session, ids) == [("suppressed", "opted_out")]
    assert not trigger.called
    history = await client.get("/api/v1/chat/history", headers=headers)
    assert history.json()["data"] == []
    inbox = await client.get("/api/v1/notifications", headers=headers)
    assert [n["id"] for n in inbox.json()["data"]] == ids  # still in the inbox


async def test_stop_reminding_me_mutes_a_category_and_can_be_undone(
    client: httpx.AsyncClient, session: AsyncSession, campus: Campus, settings: Settings
) -> None:
    headers = token_headers(settings, campus["reporter"], via_bot=True)
    muted = await client.post(f"{PREFS}/mute", json={"category": "surveys"}, headers=headers)
    assert muted.status_code == 200
    assert muted.json()["categories"]["surveys"] == {
        "app": False,
        "wecom": False,
        "telegram": False,
    }
    assert muted.json()["categories"]["repairs"]["app"] is True
    back = await client.post(
        f"{PREFS}/mute", json={"category": "surveys", "muted": False}, headers=headers
    )
    assert back.json()["categories"]["surveys"]["app"] is True
    wrong = await client.post(f"{PREFS}/mute", json={"category": "spam"}, headers=headers)
    assert wrong.status_code == 422


async def test_quiet_hours_hold_notices_until_they_end(
    session: AsyncSession,
    campus: Campus,
    clock: StoppedClock,
    dispatcher: Dispatcher,
    rasa: respx.MockRouter,
) -> None:
    rasa.post(url__regex=r".*/trigger_intent").respond(json={"messages": []})
    clock.set(datetime(2026, 11, 23, 15, 30, tzinfo=UTC))  # 23:30 on campus
    ids = await queue(session, campus, clock)
    await dispatcher.run_once()
    assert await states(session, ids) == [("pending", "quiet_hours")]
    [delivery] = (
        await session.exec(select(Delivery).where(col(Delivery.notification_id).in_(ids)))
    ).all()
    await session.refresh(delivery)
    assert delivery.next_attempt_at == datetime(2026, 11, 23, 23, 0, tzinfo=UTC)  # 07:00 campus
    assert delivery.attempts == 0
    clock.set(datetime(2026, 11, 23, 22, 59, tzinfo=UTC))
    assert await dispatcher.run_once() == 0  # not due yet
    clock.set(datetime(2026, 11, 23, 23, 0, tzinfo=UTC))
    await dispatcher.run_once()
    assert await states(session, ids) == [("sent", None)]


async def test_turning_quiet_hours_off_sends_the_held_notices_now_and_in_order(
    client: httpx.AsyncClient,
    session: AsyncSession,
    campus: Campus,
    clock: StoppedClock,
    dispatcher: Dispatcher,
    rasa: respx.MockRouter,
    settings: Settings,
) -> None:
    """A held notice holds up the later ones on its channel (they keep their order): when
    the student turns quiet hours off, both go out at once instead of the next morning."""
    rasa.post(url__regex=r".*/trigger_intent").respond(json={"messages": []})
    clock.set(datetime(2026, 11, 23, 15, 30, tzinfo=UTC))  # 23:30 on campus
    held = await queue(session, campus, clock)
    await dispatcher.run_once()
    headers = token_headers(settings, campus["reporter"])
    body = everything_on(quiet_hours=None)
    saved = await client.put(PREFS, json=body, headers=headers)
    assert saved.status_code == 200
    assert saved.json()["quiet_hours"] is None  # the first save (no row yet) keeps the None
    clock.advance(minutes=1)
    later = await queue(session, campus, clock)
    while await dispatcher.run_once():
        pass
    assert await states(session, held + later) == [("sent", None), ("sent", None)]
    history = await client.get("/api/v1/chat/history", headers=headers)
    shown = [m["notification_id"] for m in history.json()["data"]]
    assert shown == held + later


def test_quiet_hours_within_one_day_and_across_midnight(settings: Settings) -> None:
    tz = settings.tz
    overnight = Preferences(user_id=1, quiet_start="23:00", quiet_end="07:00")
    lunch = Preferences(user_id=1, quiet_start="12:00", quiet_end="13:30")
    none = Preferences(user_id=1, quiet_start=None, quiet_end=None)

    def at(hour: int, minute: int = 0) -> datetime:
        return datetime(2026, 11, 23, hour, minute, tzinfo=tz)

    assert quiet_hours_end(overnight, at(23, 30), tz) == datetime(2026, 11, 24, 7, tzinfo=tz)
    assert quiet_hours_end(overnight, at(6, 59), tz) == at(7)
    assert quiet_hours_end(overnight, at(7), tz) is None
    assert quiet_hours_end(overnight, at(22, 59), tz) is None
    assert quiet_hours_end(lunch, at(12, 15), tz) == at(13, 30)
    assert quiet_hours_end(lunch, at(13, 30), tz) is None
    assert quiet_hours_end(none, at(3), tz) is None


async def test_the_daily_cap_suppresses_the_rest_of_the_day(
    client: httpx.AsyncClient,
    session: AsyncSession,
    campus: Campus,
    clock: StoppedClock,
    dispatcher: Dispatcher,
    settings: Settings,
    rasa: respx.MockRouter,
) -> None:
    rasa.post(url__regex=r".*/trigger_intent").respond(json={"messages": []})
    headers = token_headers(settings, campus["reporter"])
    assert (await client.put(PREFS, json=everything_on(daily_cap=2), headers=headers)).is_success
    ids = await queue(session, campus, clock, n=3)
    while await dispatcher.run_once():
        pass
    assert await states(session, ids) == [
        ("sent", None),
        ("sent", None),
        ("suppressed", SuppressReason.daily_cap.value),
    ]
    clock.advance(days=1)  # a new campus day
    tomorrow = await queue(session, campus, clock)
    await dispatcher.run_once()
    assert await states(session, tomorrow) == [("sent", None)]
