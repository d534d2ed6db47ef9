"""Handoff requests: a student (or the bot for them) asks for a person; staff answer."""

from datetime import date, datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.chat.service import recent_lines
from backend.handoff import access
from backend.handoff.access import HANDOFF_STAFF_ROLES
from backend.handoff.config import HandoffSettings
from backend.handoff.exceptions import HandoffClosed, HandoffNotFound, HandoffStaffOnly
from backend.handoff.models import Handoff, HandoffStatus
from backend.handoff.schemas import HandoffCreate, HandoffPublic, HandoffsPublic, StudentRef
from backend.identity.models import Role, User
from backend.notify.models import Kind
from backend.notify.service import notify

TRANSCRIPT_LINES = 10


class AlreadyOpen(Exception):
    """A concurrent request opened one first; answer with that one."""

    def __init__(self, handoff: Handoff) -> None:
        super().__init__()
        self.handoff = handoff


def handoff_public(
    handoff: Handoff, *, settings: HandoffSettings, student: User | None = None
) -> HandoffPublic:
    return HandoffPublic(
        id=handoff.id,
        status=handoff.status,
        message=handoff.message,
        language=handoff.language,
        transcript=list(handoff.transcript),
        created_at=handoff.created_at,
        reply_by=handoff.reply_by,
        contact=settings.contact(handoff.language),
        reply=handoff.reply,
        replied_at=handoff.replied_at,
        student=(
            StudentRef(id=student.id, username=student.username, name=student.name)
            if student is not None
            else None
        ),
    )


async def find_open(*, session: AsyncSession, student_id: int) -> Handoff | None:
    query = select(Handoff).where(Handoff.open_student_id == student_id)
    return (await session.exec(query)).first()


async def create(
    *,
    session: AsyncSession,
    settings: HandoffSettings,
    student: User,
    via_bot: bool,
    body: HandoffCreate,
    now: datetime,
) -> Handoff:
    """Add (and flush) a new open request; raise AlreadyOpen if one exists meanwhile.

    Staff get the conversation from our own transcript (the last lines, whatever the
    channel); the lines a client sent are used only when there is none."""
    stored = await recent_lines(session=session, user_id=student.id, limit=TRANSCRIPT_LINES)
    handoff = Handoff(
        student_id=student.id,
        open_student_id=student.id,
        status=HandoffStatus.open,
        message=body.message,
        language=body.language or student.locale,
        transcript=stored or list(body.transcript),
        via_bot=via_bot,
        created_at=now,
        reply_by=now + settings.reply_within,
    )
    try:
        async with session.begin_nested():
            session.add(handoff)
    except IntegrityError:
        existing = await find_open(session=session, student_id=student.id)
        if existing is None:
            raise
        raise AlreadyOpen(existing) from None
    return handoff


async def list_handoffs(
    *,
    session: AsyncSession,
    settings: HandoffSettings,
    viewer: User,
    status: HandoffStatus | None,
    page: int,
    size: int,
    today: date,
) -> HandoffsPublic:
    """A student's own requests, or the queue handoff staff may see (access.visible_to);
    newest first."""
    conditions = [access.visible_to(viewer, today)]
    if status is not None:
        conditions.append(col(Handoff.status) == status)
    total = (await session.exec(select(func.count()).select_from(Handoff).where(*conditions))).one()
    query = (
        select(Handoff, User)
        .join(User, col(User.id) == col(Handoff.student_id))
        .where(*conditions)
        .order_by(col(Handoff.created_at).desc(), col(Handoff.id).desc())
        .offset((page - 1) * size)
        .limit(size)
    )
    is_staff = viewer.role != Role.student
    data = [
        handoff_public(handoff, settings=settings, student=student if is_staff else None)
        for handoff, student in (await session.exec(query)).all()
    ]
    return HandoffsPublic(data=data, count=len(data), total=total)


async def _get(*, session: AsyncSession, handoff_id: int) -> Handoff:
    handoff = await session.get(Handoff, handoff_id)
    if handoff is None:
        raise HandoffNotFound(
            f"No handoff request #{handoff_id}. 没有找到转人工请求 #{handoff_id}。"
        )
    return handoff


async def reply(
    *,
    session: AsyncSession,
    settings: HandoffSettings,
    staff: User,
    handoff_id: int,
    text: str,
    now: datetime,
    today: date,
) -> HandoffPublic:
    """Answer (or correct the answer to) a request that is not closed."""
    handoff = await _get(session=session, handoff_id=handoff_id)
    await access.check_visible(session=session, viewer=staff, handoff=handoff, today=today)
    if handoff.status == HandoffStatus.closed:
        raise HandoffClosed()
    handoff.reply = text
    handoff.replied_at = now
    handoff.replied_by = staff.id
    handoff.status = HandoffStatus.answered
    handoff.open_student_id = None
    session.add(handoff)
    await session.flush()
    await notify(
        session=session,
        user_id=handoff.student_id,
        kind=Kind.handoff_answered,
        dedupe_key=f"handoff:{handoff.id}:reply:{now.isoformat()}",
        now=now,
        params={"reply": text},
        handoff_id=handoff.id,
    )
    student = await session.get(User, handoff.student_id)
    return handoff_public(handoff, settings=settings, student=student)


async def close(
    *,
    session: AsyncSession,
    settings: HandoffSettings,
    user: User,
    handoff_id: int,
    now: datetime,
    today: date,
) -> HandoffPublic:
    """Close a request: its student or handoff staff who may see it. Closing a closed one
    changes nothing."""
    if user.role != Role.student and user.role not in HANDOFF_STAFF_ROLES:
        raise HandoffStaffOnly()
    handoff = await _get(session=session, handoff_id=handoff_id)
    await access.check_visible(session=session, viewer=user, handoff=handoff, today=today)
    if handoff.status != HandoffStatus.closed:
        handoff.status = HandoffStatus.closed
        handoff.closed_at = now
        handoff.closed_by = user.id
        handoff.open_student_id = None
        session.add(handoff)
        await session.flush()
    if user.role == Role.student:
        return handoff_public(handoff, settings=settings)
    student = await session.get(User, handoff.student_id)
    return handoff_public(handoff, settings=settings, student=student)
