"""Link codes and links: the routes a student (and the campus app) uses, and the rules."""

import hashlib
from datetime import timedelta

import httpx
import pytest
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.channels import service
from backend.channels.models import AccountLink, LinkCode, Platform
from backend.core.cache import MemoryCache
from backend.core.types import utcnow
from backend.identity.models import Role
from tests.backend.channels.conftest import link
from tests.backend.conftest import UserFactory
from tests.backend.helpers import login

KEY = "k" * 40


async def test_a_code_is_six_digits_for_ten_minutes_and_stored_keyed(
    client: httpx.AsyncClient, make_user: UserFactory, session: AsyncSession
) -> None:
    student = await make_user()
    headers = await login(client, student)
    response = await client.post("/api/v1/channels/link-codes", headers=headers)
    assert response.status_code == 201
    body = response.json()
    code = body["code"]
    assert len(code) == 6
    assert code.isdigit()
    assert f"link {code}" in body["instructions"]
    assert f"绑定 {code}" in body["instructions"]
    [row] = (await session.exec(select(LinkCode).where(LinkCode.user_id == student.id))).all()
    assert timedelta(minutes=9) < row.expires_at - utcnow() <= timedelta(minutes=10)
    assert code not in row.code_hash
    assert row.code_hash != hashlib.sha256(code.encode()).hexdigest()  # keyed, not plain


async def test_a_new_code_replaces_the_old_and_a_code_works_once(
    session: AsyncSession, make_user: UserFactory
) -> None:
    student = await make_user()
    now = utcnow()
    old, _ = await service.create_link_code(session=session, user_id=student.id, key=KEY, now=now)
    new, _ = await service.create_link_code(session=session, user_id=student.id, key=KEY, now=now)
    redeem = {"session": session, "platform": Platform.telegram, "key": KEY, "now": now}
    if old != new:
        assert await service.redeem(external_id="1", code=old, **redeem) is None
    assert await service.redeem(external_id="1", code=new, **redeem) == student
    assert await service.redeem(external_id="2", code=new, **redeem) is None
    assert (
        await service.linked_student(session=session, platform=Platform.telegram, external_id="1")
        == student
    )


async def test_an_expired_code_links_nothing(session: AsyncSession, make_user: UserFactory) -> None:
    student = await make_user()
    then = utcnow() - timedelta(minutes=11)
    code, _ = await service.create_link_code(session=session, user_id=student.id, key=KEY, now=then)
    linked = await service.redeem(
        session=session, platform=Platform.wecom, external_id="u1", code=code, key=KEY, now=utcnow()
    )
    assert linked is None
    assert (await session.exec(select(AccountLink))).all() == []


async def test_relinking_a_platform_replaces_the_students_old_account(
    session: AsyncSession, make_user: UserFactory
) -> None:
    student = await make_user()
    await link(session, student, Platform.wecom, "old.account")
    code, _ = await service.create_link_code(
        session=session, user_id=student.id, key=KEY, now=utcnow()
    )
    await service.redeem(
        session=session,
        platform=Platform.wecom,
        external_id="new.account",
        code=code,
        key=KEY,
        now=utcnow(),
    )
    rows = (await session.exec(select(AccountLink).where(AccountLink.user_id == student.id))).all()
    assert [row.external_id for row in rows] == ["new.account"]


async def test_guessing_codes_stops_after_five_tries(
    session: AsyncSession, make_user: UserFactory
) -> None:
    student = await make_user()
    code, _ = await service.create_link_code(
        session=session, user_id=student.id, key=KEY, now=utcnow()
    )
    cache = MemoryCache()
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    attempt = {"session": session, "cache": cache, "platform": Platform.telegram, "key": KEY}
    for _ in range(5):
        answer = await service.try_link(external_id="99", text=wrong, now=utcnow(), **attempt)
        assert answer is not None
        assert answer.messages[0].text == service.CODE_REJECTED
    answer = await service.try_link(external_id="99", text=f"link {code}", now=utcnow(), **attempt)
    assert answer is not None
    assert answer.messages[0].text == service.TOO_MANY_TRIES
    assert (
        await service.linked_student(session=session, platform=Platform.telegram, external_id="99")
        is None
    )


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("123456", "123456"),
        ("link 123456", "123456"),
        ("Link: 123456", "123456"),
        ("绑定 123456", "123456"),
        ("绑定123456", "123456"),
        (" bind 654321 ", "654321"),
        ("12345", None),
        ("1234567", None),
        ("link my account", None),
        ("ticket 123456 status", None),
    ],
)
def test_which_messages_carry_a_code(text: str, code: str | None) -> None:
    assert service.code_in(text) == code


async def test_listing_and_unlinking(
    client: httpx.AsyncClient, make_user: UserFactory, session: AsyncSession
) -> None:
    student = await make_user()
    other = await make_user()
    await link(session, student, Platform.wecom, "s.wecom")
    await link(session, student, Platform.telegram, "31337")
    await link(session, other, Platform.telegram, "42")
    headers = await login(client, student)
    listed = (await client.get("/api/v1/channels/links", headers=headers)).json()
    assert listed["count"] == 2
    assert [(item["platform"], item["external_id"]) for item in listed["data"]] == [
        ("telegram", "31337"),
        ("wecom", "s.wecom"),
    ]
    assert (
        await client.delete("/api/v1/channels/links/telegram", headers=headers)
    ).status_code == 204
    gone = await client.delete("/api/v1/channels/links/telegram", headers=headers)
    assert gone.status_code == 404
    assert gone.json()["error"] == "LinkNotFound"
    assert (await client.delete("/api/v1/channels/links/fax", headers=headers)).status_code == 422
    assert (
        await service.linked_student(session=session, platform=Platform.telegram, external_id="42")
        == other
    )


async def test_staff_and_anonymous_callers_get_no_codes(
    client: httpx.AsyncClient, make_user: UserFactory
) -> None:
    assert (await client.post("/api/v1/channels/link-codes")).status_code == 401
    staff = await login(client, await make_user(role=Role.technician))
    response = await client.post("/api/v1/channels/link-codes", headers=staff)
    assert response.status_code == 403
    assert response.json()["error"] == "StudentsOnly"
