"""Demo survey data: a current template, this month's dorm and canteen campaigns, and
several past months of plausible answers (some flagged) with one finalized reward period,
generated from the names, texts and shares of ``demo/surveys.yml``.

Deterministic for a given ``today``: one seeded RNG, fixed names, one password hash.
The history is created once (when no template exists); this month's campaigns are topped
up on every run, like the menus.

Past repair answers refer to imported tickets numbered from 9,000,000 (they predate the
repairs module); live repairs invite through ``surveys.service.invite_for_repair``.
"""

import random
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any, Literal

import sqlalchemy as sa
from pydantic import BaseModel
from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.dorms.models import Building, Room, RoomAssignment
from backend.identity.models import Role, Team, TeamKind, User
from backend.meals.models import Canteen
from backend.rewards import service as rewards
from backend.rewards.schemas import RewardPeriodCreate, RewardRules
from backend.seed.data import parse, read_yaml, thresholds
from backend.seed.identity import DEMO_ACCOUNTS
from backend.surveys.campaigns import issue_dorm_invitations
from backend.surveys.integrity import keyed_hash
from backend.surveys.models import (
    DIMENSIONS,
    RepairCompletion,
    SurveyCampaign,
    SurveyInvitation,
    SurveyResponse,
    SurveySource,
    SurveyTemplate,
)
from backend.surveys.periods import bounds, period_of_day, previous
from backend.surveys.questions import DEFAULT_QUESTIONS

SOURCE = "surveys.yml"


class Names(BaseModel):
    name_en: str
    name_zh: str


class TemplateSeed(Names):
    slug: str


class RewardsSeed(Names):
    pool_fen: int
    rules: RewardRules


class SurveysDemo(BaseModel):
    """demo/surveys.yml: what the history holds and how often."""

    random_seed: str
    past_periods: int
    template: TemplateSeed
    campaigns: dict[SurveySource, Names]  # dorm, canteen
    canteen_share: float
    imported_tickets: int
    repairs_per_crew: tuple[int, int]
    answer_share: float
    dimensions_share: float
    recommend_share: float
    comment_share: float
    repair_via_bot_share: float
    flags: dict[Literal["too_fast", "straight_lining", "burst_address"], float]
    cleared_share: float
    clear_note: str
    comments: dict[Literal["low", "mid", "high"], list[str]]
    rewards: RewardsSeed


DEMO: SurveysDemo = parse(SurveysDemo, read_yaml(SOURCE), f"demo/{SOURCE}")
FLAG_ROLLS = thresholds(DEMO.flags)
# The documented demo students: their surveys stay pending for the demo.
DEMO_STUDENTS = tuple(a.username for a in DEMO_ACCOUNTS if a.role == Role.student)


def _utc(day: date, hour: int, tz: tzinfo) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=tz).astimezone(UTC)


async def _respondents(session: AsyncSession) -> list[User]:
    """The seeded students (housed by the dorms seed), demo accounts excepted: their
    surveys stay pending for the demo."""
    query = (
        select(User)
        .where(User.role == Role.student, col(User.username).not_in(DEMO_STUDENTS))
        .order_by(col(User.username))
    )
    return list((await session.exec(query)).all())


def _answer(rng: random.Random, quality: float) -> dict[str, Any]:
    overall = max(1, min(5, round(rng.gauss(quality, 0.85))))
    answer: dict[str, Any] = {"overall": overall}
    if rng.random() < DEMO.dimensions_share:
        for name in DIMENSIONS:
            answer[name] = max(1, min(5, overall + rng.choice([-1, 0, 0, 0, 1])))
    if rng.random() < DEMO.recommend_share:
        answer["recommend"] = max(0, min(10, overall * 2 + rng.choice([-2, -1, 0, 0, 1])))
    if rng.random() < DEMO.comment_share:
        band: Literal["low", "mid", "high"] = (
            "low" if overall <= 2 else "mid" if overall == 3 else "high"
        )
        answer["comment"] = rng.choice(DEMO.comments[band])
    return answer


async def _insert(session: AsyncSession, table: Any, rows: list[dict[str, Any]]) -> list[int]:
    if not rows:
        return []
    connection = await session.connection()
    result = await connection.execute(
        sa.insert(table).returning(table.c.id, sort_by_parameter_order=True), rows
    )
    return [row[0] for row in result.all()]


async def _history(
    session: AsyncSession,
    rng: random.Random,
    template: SurveyTemplate,
    admin: User,
    students: list[User],
    period: str,
    tz: tzinfo,
) -> int:
    first, last = bounds(period)
    teams = (await session.exec(select(Team).order_by(col(Team.id)))).all()
    quality = {t.id: 3.3 + (hash_slug(t.slug) % 13) / 10 for t in teams}
    home = {
        student_id: (building_id, name_en, name_zh)
        for student_id, building_id, name_en, name_zh in (
            await session.exec(
                select(
                    col(RoomAssignment.student_id),
                    col(Building.id),
                    col(Building.name_en),
                    col(Building.name_zh),
                )
                .join(Room, col(Room.id) == col(RoomAssignment.room_id))
                .join(Building, col(Building.id) == col(Room.building_id))
            )
        ).all()
    }
    dorm_team: dict[int, Team] = {}
    canteen_team: dict[int, Team] = {}
    for t in teams:
        if t.kind == TeamKind.dorm and t.building_id is not None:
            dorm_team[t.building_id] = t
        elif t.kind == TeamKind.canteen and t.canteen_id is not None:
            canteen_team[t.canteen_id] = t
    canteens = {c.id: c for c in (await session.exec(select(Canteen))).all()}
    crews = [t for t in teams if t.kind == TeamKind.maintenance]
    opens, closes = _utc(last - timedelta(days=9), 8, tz), _utc(last, 23, tz)
    campaigns = {}
    for source, names in DEMO.campaigns.items():
        name_en, name_zh = names.name_en, names.name_zh
        campaign = SurveyCampaign(
            source=source,
            period=period,
            template_id=template.id,
            name_en=f"{name_en} {period}",
            name_zh=f"{period} {name_zh}",
            opens_at=opens,
            closes_at=closes,
            created_by=admin.id,
        )
        session.add(campaign)
        campaigns[source] = campaign
    await session.flush()
    invitations: list[dict[str, Any]] = []
    for student in students:
        if student.id in home and (team := dorm_team.get(home[student.id][0])):
            building_id, b_en, b_zh = home[student.id]
            invitations.append(
                _invitation(
                    template,
                    campaigns[SurveySource.dorm],
                    SurveySource.dorm,
                    building_id,
                    student,
                    team,
                    period,
                    f"Dorm service: {b_en}",
                    f"宿舍服务：{b_zh}",
                    opens,
                    closes,
                )
            )
        if rng.random() < DEMO.canteen_share and canteen_team:
            canteen_id = rng.choice(sorted(canteen_team))
            canteen = canteens[canteen_id]
            invitations.append(
                _invitation(
                    template,
                    campaigns[SurveySource.canteen],
                    SurveySource.canteen,
                    canteen_id,
                    student,
                    canteen_team[canteen_id],
                    period,
                    f"Canteen service: {canteen.name_en}",
                    f"食堂服务：{canteen.name_zh}",
                    opens,
                    closes,
                )
            )
    completions: list[dict[str, Any]] = []
    ticket = DEMO.imported_tickets + int(period.replace("-", "")) % 10_000 * 100
    for crew in crews:
        on_time_odds = 0.7 + (hash_slug(crew.slug) % 25) / 100
        for _ in range(rng.randint(*DEMO.repairs_per_crew)):
            ticket += 1
            day = first + timedelta(days=rng.randrange((last - first).days + 1))
            completed = _utc(day, rng.randint(8, 18), tz)
            late = rng.random() > on_time_odds
            due = completed + timedelta(hours=-rng.randint(1, 30) if late else rng.randint(1, 30))
            completions.append(
                {
                    "repair_id": ticket,
                    "team_id": crew.id,
                    "period": period,
                    "completed_at": completed,
                    "due_at": due,
                }
            )
            student = rng.choice(students)
            invitations.append(
                {
                    **_invitation(
                        template,
                        None,
                        SurveySource.repair,
                        ticket,
                        student,
                        crew,
                        period,
                        f"Repair #{ticket}",
                        f"报修单 #{ticket}",
                        completed,
                        completed + timedelta(days=14),
                    ),
                    "repair_id": ticket,
                }
            )
    await _insert(session, RepairCompletion.__table__, completions)  # type: ignore[attr-defined]
    answered = [inv for inv in invitations if rng.random() < DEMO.answer_share]
    for inv in answered:
        inv["answered_at"] = inv["opens_at"] + timedelta(hours=rng.randint(1, 100))
        inv["opened_at"] = inv["answered_at"] - timedelta(seconds=rng.randint(20, 600))
    ids = await _insert(session, SurveyInvitation.__table__, invitations)  # type: ignore[attr-defined]
    burst_ip = keyed_hash("10.20.30.40", key="seed")
    rows = []
    for inv_id, inv in zip(ids, invitations, strict=True):
        if inv["answered_at"] is None:
            continue
        answer = _answer(rng, quality[inv["team_id"]])
        seconds = int((inv["answered_at"] - inv["opened_at"]).total_seconds())
        ip = keyed_hash(f"10.0.{rng.randint(0, 255)}.{rng.randint(1, 254)}", key="seed")
        roll = rng.random()
        flag = next((name for name, upto in FLAG_ROLLS if roll < upto), None)
        if flag == "too_fast":
            seconds = 2
        elif flag == "straight_lining":
            answer.update(dict.fromkeys(DIMENSIONS, answer["overall"]))
        elif flag == "burst_address":
            ip = burst_ip
        flags = [flag] if flag else []
        cleared = bool(flags) and rng.random() < DEMO.cleared_share
        rows.append(
            {
                "invitation_id": inv_id,
                "team_id": inv["team_id"],
                "period": period,
                "source": inv["source"],
                **dict.fromkeys((*DIMENSIONS, "recommend", "comment")),
                **answer,
                "opened_at": inv["answered_at"] - timedelta(seconds=seconds),
                "submitted_at": inv["answered_at"],
                "seconds_to_answer": seconds,
                "via_bot": inv["source"] == SurveySource.repair
                and rng.random() < DEMO.repair_via_bot_share,
                "ip_hash": ip,
                "device_hash": None,
                "flags": flags,
                "counted": not flags or cleared,
                "cleared_by": admin.id if cleared else None,
                "cleared_at": inv["answered_at"] + timedelta(days=2) if cleared else None,
                "clear_note": DEMO.clear_note if cleared else None,
            }
        )
    await _insert(session, SurveyResponse.__table__, rows)  # type: ignore[attr-defined]
    return len(rows)


def hash_slug(slug: str) -> int:
    """A stable small number per team (Python's hash() is salted per process)."""
    return sum((i + 1) * ord(ch) for i, ch in enumerate(slug))


def _invitation(
    template: SurveyTemplate,
    campaign: SurveyCampaign | None,
    source: SurveySource,
    source_id: int,
    student: User,
    team: Team,
    period: str,
    subject_en: str,
    subject_zh: str,
    opens: datetime,
    expires: datetime,
) -> dict[str, Any]:
    return {
        "template_id": template.id,
        "campaign_id": campaign.id if campaign else None,
        "source": source,
        "source_id": source_id,
        "repair_id": None,
        "student_id": student.id,
        "team_id": team.id,
        "period": period,
        "subject_en": subject_en,
        "subject_zh": subject_zh,
        "opens_at": opens,
        "expires_at": expires,
        "opened_at": None,
        "answered_at": None,
        "created_at": opens,
    }


async def ensure_current_campaigns(
    session: AsyncSession, template: SurveyTemplate, admin: User, today: date, tz: tzinfo
) -> int:
    period = period_of_day(today)
    first, last = bounds(period)
    added = 0
    for source, names in DEMO.campaigns.items():
        name_en, name_zh = names.name_en, names.name_zh
        exists = (
            await session.exec(
                select(SurveyCampaign).where(
                    SurveyCampaign.source == source, SurveyCampaign.period == period
                )
            )
        ).first()
        if exists is not None:
            continue
        campaign = SurveyCampaign(
            source=source,
            period=period,
            template_id=template.id,
            name_en=f"{name_en} {period}",
            name_zh=f"{period} {name_zh}",
            opens_at=_utc(first, 0, tz),
            closes_at=_utc(last + timedelta(days=7), 23, tz),
            created_by=admin.id,
        )
        session.add(campaign)
        await session.flush()
        await issue_dorm_invitations(session=session, campaign=campaign, on=today)
        added += 1
    return added


async def ensure_surveys(session: AsyncSession, today: date, tz: tzinfo) -> str:
    admin = (await session.exec(select(User).where(User.username == "admin"))).first()
    if admin is None:
        return "surveys skipped (no admin)"
    template = (
        await session.exec(select(SurveyTemplate).where(col(SurveyTemplate.is_current).is_(True)))
    ).first()
    answers = 0
    if (
        template is None
        and not (await session.exec(select(func.count()).select_from(SurveyTemplate))).one()
    ):
        template = SurveyTemplate(
            slug=DEMO.template.slug,
            name_en=DEMO.template.name_en,
            name_zh=DEMO.template.name_zh,
            questions=DEFAULT_QUESTIONS,
            is_current=True,
        )
        session.add(template)
        await session.flush()
        rng = random.Random(f"{DEMO.random_seed}/{today.isoformat()}")
        students = await _respondents(session)
        current = period_of_day(today)
        for months in range(DEMO.past_periods, 0, -1):
            answers += await _history(
                session, rng, template, admin, students, previous(current, months), tz
            )
        await _finalized_rewards(session, admin, previous(current, 1))
    if template is None:
        return "surveys present (no current template)"
    campaigns = await ensure_current_campaigns(session, template, admin, today, tz)
    return f"{answers} historical survey answers, {campaigns} new campaigns"


async def _finalized_rewards(session: AsyncSession, admin: User, period: str) -> None:
    seed = DEMO.rewards
    body = RewardPeriodCreate(
        period=period,
        name_en=f"{seed.name_en} {period}",
        name_zh=f"{period} {seed.name_zh}",
        pool_fen=seed.pool_fen,
        rules=seed.rules,
    )
    reward_period = await rewards.create_period(session=session, body=body, admin=admin)
    await rewards.finalize(session=session, reward_period=reward_period, admin=admin)
