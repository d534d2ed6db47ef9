"""Templates and campaigns (the logistics office), and the canteen choice (students)."""

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, func, or_, select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.dorms.models import Building, Room, RoomAssignment
from backend.identity.models import Role, Team, TeamKind, User
from backend.meals.models import Canteen
from backend.surveys.exceptions import (
    CampaignExists,
    CampaignNotFound,
    CampaignNotOpen,
    CanteenAlreadyChosen,
    CanteenTeamNotFound,
    NoCurrentTemplate,
    NotACanteenCampaign,
    TemplateExists,
    TemplateInUse,
    TemplateNotFound,
)
from backend.surveys.models import (
    SurveyCampaign,
    SurveyInvitation,
    SurveyResponse,
    SurveySource,
    SurveyTemplate,
)
from backend.surveys.questions import public_questions
from backend.surveys.schemas import (
    CampaignCreate,
    CampaignPublic,
    CanteenOption,
    OpenCampaign,
    QuestionPublic,
    TeamRef,
    TemplateCreate,
    TemplatePublic,
    TemplateUpdate,
)
from backend.surveys.scoring import fetch_all
from backend.surveys.service import current_template

# ---- templates ---------------------------------------------------------------------------


async def template_in_use(*, session: AsyncSession, template_id: int) -> bool:
    query = (
        select(func.count())
        .select_from(SurveyInvitation)
        .where(SurveyInvitation.template_id == template_id)
    )
    return bool((await session.exec(query)).one())


async def template_public(*, session: AsyncSession, template: SurveyTemplate) -> TemplatePublic:
    return TemplatePublic(
        id=template.id,
        slug=template.slug,
        name_en=template.name_en,
        name_zh=template.name_zh,
        questions=[QuestionPublic(**q) for q in public_questions(template.questions)],
        is_current=template.is_current,
        in_use=await template_in_use(session=session, template_id=template.id),
        created_at=template.created_at,
    )


async def _make_current(session: AsyncSession, template: SurveyTemplate) -> None:
    for other in (
        await session.exec(select(SurveyTemplate).where(col(SurveyTemplate.is_current).is_(True)))
    ).all():
        if other.id != template.id:
            other.is_current = False
            session.add(other)
    template.is_current = True


async def create_template(*, session: AsyncSession, body: TemplateCreate) -> SurveyTemplate:
    if (await session.exec(select(SurveyTemplate).where(SurveyTemplate.slug == body.slug))).first():
        raise TemplateExists()
    template = SurveyTemplate(
        slug=body.slug,
        name_en=body.name_en,
        name_zh=body.name_zh,
        questions=[q.model_dump(mode="json") for q in body.questions],
    )
    session.add(template)
    await session.flush()
    if body.is_current:
        await _make_current(session, template)
        await session.flush()
    return template


async def get_template(*, session: AsyncSession, template_id: int) -> SurveyTemplate:
    template = await session.get(SurveyTemplate, template_id)
    if template is None:
        raise TemplateNotFound()
    return template


async def update_template(
    *, session: AsyncSession, template: SurveyTemplate, body: TemplateUpdate
) -> SurveyTemplate:
    if body.questions is not None:
        if await template_in_use(session=session, template_id=template.id):
            raise TemplateInUse()
        template.questions = [q.model_dump(mode="json") for q in body.questions]
    if body.name_en is not None:
        template.name_en = body.name_en
    if body.name_zh is not None:
        template.name_zh = body.name_zh
    if body.is_current is True:
        await _make_current(session, template)
    elif body.is_current is False:
        template.is_current = False
    session.add(template)
    await session.flush()
    return template


async def list_templates(*, session: AsyncSession) -> list[SurveyTemplate]:
    return list((await session.exec(select(SurveyTemplate).order_by(col(SurveyTemplate.id)))).all())


# ---- campaigns ---------------------------------------------------------------------------


async def create_campaign(
    *, session: AsyncSession, body: CampaignCreate, admin: User
) -> SurveyCampaign:
    if body.template_id is not None:
        template = await get_template(session=session, template_id=body.template_id)
    else:
        current = await current_template(session=session)
        if current is None:
            raise NoCurrentTemplate()
        template = current
    campaign = SurveyCampaign(
        source=body.source,
        period=body.period,
        template_id=template.id,
        name_en=body.name_en,
        name_zh=body.name_zh,
        opens_at=body.opens_at,
        closes_at=body.closes_at,
        created_by=admin.id,
    )
    try:
        async with session.begin_nested():
            session.add(campaign)
            await session.flush()
    except IntegrityError:
        raise CampaignExists() from None
    return campaign


async def get_campaign(*, session: AsyncSession, campaign_id: int) -> SurveyCampaign:
    campaign = await session.get(SurveyCampaign, campaign_id)
    if campaign is None:
        raise CampaignNotFound()
    return campaign


async def campaign_public(*, session: AsyncSession, campaign: SurveyCampaign) -> CampaignPublic:
    invitations = (
        await session.exec(
            select(func.count())
            .select_from(SurveyInvitation)
            .where(SurveyInvitation.campaign_id == campaign.id)
        )
    ).one()
    responses = (
        await session.exec(
            select(func.count())
            .select_from(SurveyResponse)
            .join(SurveyInvitation, col(SurveyInvitation.id) == col(SurveyResponse.invitation_id))
            .where(SurveyInvitation.campaign_id == campaign.id)
        )
    ).one()
    return CampaignPublic(
        **campaign.model_dump(
            include={
                "id",
                "source",
                "period",
                "template_id",
                "name_en",
                "name_zh",
                "opens_at",
                "closes_at",
            }
        ),
        invitations=invitations,
        responses=responses,
    )


async def list_campaigns(*, session: AsyncSession, period: str | None) -> list[SurveyCampaign]:
    query = select(SurveyCampaign).order_by(
        col(SurveyCampaign.period).desc(), col(SurveyCampaign.source)
    )
    if period is not None:
        query = query.where(SurveyCampaign.period == period)
    return list((await session.exec(query)).all())


async def issue_dorm_invitations(
    *, session: AsyncSession, campaign: SurveyCampaign, on: date
) -> int:
    """Invite every student housed on ``on`` to rate their building's team, once per
    campaign (i.e. per period). Safe to repeat: only residents without one are added."""
    if campaign.source != SurveySource.dorm:
        return 0
    already = select(SurveyInvitation.student_id).where(SurveyInvitation.campaign_id == campaign.id)
    query = (
        sa.select(
            col(User.id),
            col(Team.id),
            col(Building.id),
            col(Building.name_en),
            col(Building.name_zh),
        )
        .join(RoomAssignment, col(RoomAssignment.student_id) == col(User.id))
        .join(Room, col(Room.id) == col(RoomAssignment.room_id))
        .join(Building, col(Building.id) == col(Room.building_id))
        .join(
            Team,
            sa.and_(col(Team.building_id) == col(Building.id), col(Team.kind) == TeamKind.dorm),
        )
        .where(
            col(User.role) == Role.student,
            col(User.is_active).is_(True),
            col(RoomAssignment.starts_on) <= on,
            or_(col(RoomAssignment.ends_on).is_(None), col(RoomAssignment.ends_on) >= on),
            col(User.id).not_in(already),
            or_(col(User.team_id).is_(None), col(User.team_id) != col(Team.id)),
        )
        .order_by(col(User.id), col(RoomAssignment.starts_on).desc())
    )
    rows: dict[int, dict[str, object]] = {}
    for student_id, team_id, building_id, name_en, name_zh in await fetch_all(session, query):
        rows.setdefault(
            student_id,
            {
                "template_id": campaign.template_id,
                "campaign_id": campaign.id,
                "source": SurveySource.dorm,
                "source_id": building_id,
                "student_id": student_id,
                "team_id": team_id,
                "period": campaign.period,
                "subject_en": f"Dorm service: {name_en}",
                "subject_zh": f"宿舍服务：{name_zh}",
                "opens_at": campaign.opens_at,
                "expires_at": campaign.closes_at,
            },
        )
    session.add_all(SurveyInvitation(**row) for row in rows.values())  # type: ignore[arg-type]
    await session.flush()
    return len(rows)


async def count_invitations(*, session: AsyncSession, campaign: SurveyCampaign) -> int:
    query = (
        select(func.count())
        .select_from(SurveyInvitation)
        .where(SurveyInvitation.campaign_id == campaign.id)
    )
    return (await session.exec(query)).one()


async def _canteen_options(session: AsyncSession) -> list[CanteenOption]:
    query = (
        select(Canteen, Team)
        .join(Team, col(Team.canteen_id) == col(Canteen.id))
        .where(Team.kind == TeamKind.canteen)
        .order_by(col(Canteen.slug))
    )
    return [
        CanteenOption(
            slug=canteen.slug,
            name_en=canteen.name_en,
            name_zh=canteen.name_zh,
            team=TeamRef.model_validate(team),
        )
        for canteen, team in (await session.exec(query)).all()
    ]


async def open_campaigns(*, session: AsyncSession, user: User, now: datetime) -> list[OpenCampaign]:
    """Open canteen campaigns: pick the canteen you want to rate this period."""
    query = (
        select(SurveyCampaign)
        .where(
            SurveyCampaign.source == SurveySource.canteen,
            col(SurveyCampaign.opens_at) <= now,
            col(SurveyCampaign.closes_at) > now,
        )
        .order_by(col(SurveyCampaign.closes_at))
    )
    campaigns = (await session.exec(query)).all()
    options = await _canteen_options(session) if campaigns else []
    result = []
    for campaign in campaigns:
        mine = (
            await session.exec(
                select(SurveyInvitation.id).where(
                    SurveyInvitation.campaign_id == campaign.id,
                    SurveyInvitation.student_id == user.id,
                )
            )
        ).first()
        result.append(
            OpenCampaign(
                id=campaign.id,
                source=campaign.source,
                period=campaign.period,
                name_en=campaign.name_en,
                name_zh=campaign.name_zh,
                closes_at=campaign.closes_at,
                canteens=options,
                invitation_id=mine,
            )
        )
    return result


async def choose_canteen(
    *, session: AsyncSession, campaign: SurveyCampaign, user: User, canteen_slug: str, now: datetime
) -> SurveyInvitation:
    """The student chose which canteen to rate this period: that is their invitation."""
    if campaign.source != SurveySource.canteen:
        raise NotACanteenCampaign()
    if not (campaign.opens_at <= now < campaign.closes_at):
        raise CampaignNotOpen()
    row = (
        await session.exec(
            select(Canteen, Team)
            .join(Team, col(Team.canteen_id) == col(Canteen.id))
            .where(Canteen.slug == canteen_slug, Team.kind == TeamKind.canteen)
        )
    ).first()
    if row is None:
        raise CanteenTeamNotFound()
    canteen, team = row
    if user.team_id == team.id:
        raise CanteenTeamNotFound("You cannot rate a team you belong to. 不能评价自己所在的团队。")
    invitation = SurveyInvitation(
        template_id=campaign.template_id,
        campaign_id=campaign.id,
        source=SurveySource.canteen,
        source_id=canteen.id,
        student_id=user.id,
        team_id=team.id,
        period=campaign.period,
        subject_en=f"Canteen service: {canteen.name_en}",
        subject_zh=f"食堂服务：{canteen.name_zh}",
        opens_at=now,
        expires_at=campaign.closes_at,
    )
    try:
        async with session.begin_nested():
            session.add(invitation)
            await session.flush()
    except IntegrityError:
        raise CanteenAlreadyChosen() from None
    return invitation
