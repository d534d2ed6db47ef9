"""Reward periods: preview (any time) → finalize (immutable) → corrections and appeals."""

import csv
import io
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.identity.models import Team, TeamKind, User
from backend.identity.schemas import TeamRef
from backend.rewards.calculation import Calculation, CalculationInputs, TeamInput, calculate
from backend.rewards.exceptions import (
    AppealAlreadyOpen,
    AppealClosed,
    AppealNotForPeriod,
    AppealNotFound,
    NotFinalized,
    NothingToCorrect,
    RewardPeriodExists,
    RewardPeriodNotFound,
    StatementNotFound,
    UnknownTeamInRules,
    VersionNotFound,
)
from backend.rewards.models import (
    AppealStatus,
    RewardAppeal,
    RewardPeriod,
    RewardStatement,
    RewardVersion,
)
from backend.rewards.notices import appeal_resolved
from backend.rewards.schemas import (
    AppealPublic,
    AppealResolve,
    CalculationPublic,
    CorrectionCreate,
    RewardPeriodCreate,
    RewardPeriodPublic,
    RewardPeriodUpdate,
    RewardRules,
    StatementPublic,
)
from backend.surveys.scoring import on_time_period, totals_period

# ---- periods -----------------------------------------------------------------------------


async def _check_weights(session: AsyncSession, rules: RewardRules) -> None:
    if not rules.weights:
        return
    known = set((await session.exec(select(Team.slug))).all())
    if unknown := sorted(set(rules.weights) - known):
        raise UnknownTeamInRules(f"{UnknownTeamInRules.message} ({', '.join(unknown)})")


async def create_period(
    *, session: AsyncSession, body: RewardPeriodCreate, admin: User
) -> RewardPeriod:
    await _check_weights(session, body.rules)
    reward_period = RewardPeriod(
        period=body.period,
        name_en=body.name_en,
        name_zh=body.name_zh,
        pool_fen=body.pool_fen,
        rules=body.rules.model_dump(mode="json"),
        created_by=admin.id,
    )
    try:
        async with session.begin_nested():
            session.add(reward_period)
            await session.flush()
    except IntegrityError:
        raise RewardPeriodExists() from None
    return reward_period


async def get_period(*, session: AsyncSession, reward_period_id: int) -> RewardPeriod:
    reward_period = await session.get(RewardPeriod, reward_period_id)
    if reward_period is None:
        raise RewardPeriodNotFound()
    return reward_period


async def update_period(
    *, session: AsyncSession, reward_period: RewardPeriod, body: RewardPeriodUpdate, now: datetime
) -> RewardPeriod:
    if body.rules is not None:
        await _check_weights(session, body.rules)
        reward_period.rules = body.rules.model_dump(mode="json")
    for name in ("name_en", "name_zh", "pool_fen"):
        if (value := getattr(body, name)) is not None:
            setattr(reward_period, name, value)
    reward_period.updated_at = now
    session.add(reward_period)
    await session.flush()
    return reward_period


async def list_periods(*, session: AsyncSession) -> list[RewardPeriod]:
    query = select(RewardPeriod).order_by(col(RewardPeriod.period).desc())
    return list((await session.exec(query)).all())


async def latest_version(*, session: AsyncSession, reward_period_id: int) -> RewardVersion | None:
    query = (
        select(RewardVersion)
        .where(RewardVersion.reward_period_id == reward_period_id)
        .order_by(col(RewardVersion.version).desc())
    )
    return (await session.exec(query)).first()


async def period_public(
    *, session: AsyncSession, reward_period: RewardPeriod
) -> RewardPeriodPublic:
    latest = await latest_version(session=session, reward_period_id=reward_period.id)
    return RewardPeriodPublic(
        id=reward_period.id,
        period=reward_period.period,
        name_en=reward_period.name_en,
        name_zh=reward_period.name_zh,
        pool_fen=reward_period.pool_fen,
        rules=RewardRules.model_validate(reward_period.rules),
        latest_version=latest.version if latest else None,
        finalized_at=latest.finalized_at if latest else None,
    )


# ---- calculation -------------------------------------------------------------------------


async def gather_inputs(*, session: AsyncSession, reward_period: RewardPeriod) -> CalculationInputs:
    """Everything the calculation depends on, read from the database now: every team."""
    totals = await totals_period(session=session, period=reward_period.period)
    on_time = await on_time_period(session=session, period=reward_period.period)
    teams = (await session.exec(select(Team).order_by(col(Team.id)))).all()
    team_inputs = []
    for team in teams:
        responses, total = totals.get(team.id, (0, 0))
        sla = on_time.get(team.id) if team.kind == TeamKind.maintenance else None
        team_inputs.append(
            TeamInput(
                team_id=team.id,
                slug=team.slug,
                name_en=team.name_en,
                name_zh=team.name_zh,
                kind=team.kind.value,
                responses=responses,
                total=total,
                sla_measured=sla.measured if sla else 0,
                sla_on_time=sla.on_time if sla else 0,
            )
        )
    return CalculationInputs(
        period=reward_period.period,
        pool_fen=reward_period.pool_fen,
        rules=RewardRules.model_validate(reward_period.rules),
        campus_total=sum(total for _, total in totals.values()),
        campus_responses=sum(n for n, _ in totals.values()),
        teams=tuple(team_inputs),
    )


def _calculation_public(reward_period: RewardPeriod, calculation: Calculation) -> CalculationPublic:
    return CalculationPublic(
        reward_period_id=reward_period.id,
        period=reward_period.period,
        version=None,
        finalized_at=None,
        finalized_by=None,
        inputs_sha256=calculation.inputs.sha256(),
        pool_fen=calculation.inputs.pool_fen,
        distributed_fen=calculation.distributed_fen,
        returned_fen=calculation.returned_fen,
        statements=[
            StatementPublic(
                id=None,
                period=reward_period.period,
                version=None,
                superseded=False,
                team=TeamRef(slug=s.team.slug, name_en=s.team.name_en, name_zh=s.team.name_zh),
                amount_fen=s.amount_fen,
                outcome=s.outcome,
                explanation=s.explanation,
                inputs_sha256=s.inputs_sha256,
            )
            for s in calculation.statements
        ],
    )


async def preview(*, session: AsyncSession, reward_period: RewardPeriod) -> CalculationPublic:
    """What finalizing now would produce; stores nothing."""
    inputs = await gather_inputs(session=session, reward_period=reward_period)
    return _calculation_public(reward_period, calculate(inputs))


async def _store_version(
    session: AsyncSession,
    reward_period: RewardPeriod,
    calculation: Calculation,
    admin: User,
    number: int,
    supersedes: RewardVersion | None,
    reason: str | None,
) -> RewardVersion:
    version = RewardVersion(
        reward_period_id=reward_period.id,
        version=number,
        inputs=calculation.inputs.as_json(),
        inputs_sha256=calculation.inputs.sha256(),
        distributed_fen=calculation.distributed_fen,
        returned_fen=calculation.returned_fen,
        finalized_by=admin.id,
        supersedes_id=supersedes.id if supersedes else None,
        correction_reason=reason,
    )
    async with session.begin_nested():
        session.add(version)
        await session.flush()
        session.add_all(
            RewardStatement(
                version_id=version.id,
                team_id=s.team.team_id,
                amount_fen=s.amount_fen,
                outcome=s.outcome,
                explanation=s.explanation,
                inputs_sha256=s.inputs_sha256,
            )
            for s in calculation.statements
        )
        await session.flush()
    return version


async def finalize(
    *, session: AsyncSession, reward_period: RewardPeriod, admin: User
) -> tuple[RewardVersion, bool]:
    """Freeze version 1. Idempotent: once finalized, returns the latest version unchanged
    (False: nothing created). Changes after that go through a correction."""
    if existing := await latest_version(session=session, reward_period_id=reward_period.id):
        return existing, False
    inputs = await gather_inputs(session=session, reward_period=reward_period)
    try:
        version = await _store_version(
            session, reward_period, calculate(inputs), admin, 1, None, None
        )
    except IntegrityError:  # finalized concurrently: that one stands
        existing = await latest_version(session=session, reward_period_id=reward_period.id)
        assert existing is not None
        return existing, False
    return version, True


async def correct(
    *,
    session: AsyncSession,
    reward_period: RewardPeriod,
    admin: User,
    body: CorrectionCreate,
    now: datetime,
) -> RewardVersion:
    """A new version from today's inputs, superseding the latest; the old one stays."""
    latest = await latest_version(session=session, reward_period_id=reward_period.id)
    if latest is None:
        raise NotFinalized()
    appeal = None
    if body.appeal_id is not None:
        appeal = await session.get(RewardAppeal, body.appeal_id)
        statement = await session.get(RewardStatement, appeal.statement_id) if appeal else None
        version = await session.get(RewardVersion, statement.version_id) if statement else None
        if (
            appeal is None
            or appeal.status != AppealStatus.open
            or version is None
            or version.reward_period_id != reward_period.id
        ):
            raise AppealNotForPeriod()
    inputs = await gather_inputs(session=session, reward_period=reward_period)
    if inputs.sha256() == latest.inputs_sha256:
        raise NothingToCorrect()
    version = await _store_version(
        session, reward_period, calculate(inputs), admin, latest.version + 1, latest, body.reason
    )
    if appeal is not None:
        appeal.status = AppealStatus.upheld
        appeal.resolved_by = admin.id
        appeal.resolved_at = now
        appeal.resolution_note = body.reason
        appeal.correction_version_id = version.id
        session.add(appeal)
        await session.flush()
        await appeal_resolved(session=session, appeal=appeal, now=now)
    return version


async def get_version(
    *, session: AsyncSession, reward_period: RewardPeriod, number: int | None
) -> RewardVersion:
    if number is None:
        version = await latest_version(session=session, reward_period_id=reward_period.id)
    else:
        query = select(RewardVersion).where(
            RewardVersion.reward_period_id == reward_period.id, RewardVersion.version == number
        )
        version = (await session.exec(query)).first()
    if version is None:
        raise VersionNotFound()
    return version


async def _statement_rows(
    session: AsyncSession, version: RewardVersion
) -> list[tuple[RewardStatement, Team]]:
    query = (
        select(RewardStatement, Team)
        .join(Team, col(Team.id) == col(RewardStatement.team_id))
        .where(RewardStatement.version_id == version.id)
        .order_by(col(RewardStatement.team_id))
    )
    return [(s, t) for s, t in (await session.exec(query)).all()]


async def _latest_number(session: AsyncSession, reward_period_id: int) -> int:
    query = select(func.max(RewardVersion.version)).where(
        RewardVersion.reward_period_id == reward_period_id
    )
    return int((await session.exec(query)).one() or 0)


def _statement_public(
    statement: RewardStatement, team: Team, period: str, version: RewardVersion, latest: int
) -> StatementPublic:
    return StatementPublic(
        id=statement.id,
        period=period,
        version=version.version,
        superseded=version.version < latest,
        team=TeamRef.model_validate(team),
        amount_fen=statement.amount_fen,
        outcome=statement.outcome,
        explanation=statement.explanation,
        inputs_sha256=statement.inputs_sha256,
    )


async def version_public(
    *, session: AsyncSession, reward_period: RewardPeriod, version: RewardVersion
) -> CalculationPublic:
    latest = await _latest_number(session, reward_period.id)
    supersedes = (
        await session.get(RewardVersion, version.supersedes_id) if version.supersedes_id else None
    )
    return CalculationPublic(
        reward_period_id=reward_period.id,
        period=reward_period.period,
        version=version.version,
        finalized_at=version.finalized_at,
        finalized_by=version.finalized_by,
        supersedes_version=supersedes.version if supersedes else None,
        correction_reason=version.correction_reason,
        inputs_sha256=version.inputs_sha256,
        pool_fen=version.inputs["pool_fen"],
        distributed_fen=version.distributed_fen,
        returned_fen=version.returned_fen,
        statements=[
            _statement_public(s, t, reward_period.period, version, latest)
            for s, t in await _statement_rows(session, version)
        ],
    )


CSV_COLUMNS = [
    "period",
    "version",
    "team_slug",
    "team_name_en",
    "team_name_zh",
    "outcome",
    "responses",
    "adjusted_score",
    "weight",
    "sla_multiplier",
    "points",
    "amount_fen",
    "amount_yuan",
    "statement_inputs_sha256",
    "version_inputs_sha256",
]


async def export_csv(
    *, session: AsyncSession, reward_period: RewardPeriod, version: RewardVersion
) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for statement, team in await _statement_rows(session, version):
        factors = statement.explanation["factors"]
        amount = statement.amount_fen
        writer.writerow(
            [
                reward_period.period,
                version.version,
                team.slug,
                team.name_en,
                team.name_zh,
                statement.outcome.value,
                statement.explanation["inputs"]["responses"],
                factors["adjusted_score"] or "",
                factors["weight"],
                factors["sla_multiplier"],
                factors["points"],
                amount,
                f"{amount // 100}.{amount % 100:02d}",
                statement.inputs_sha256,
                version.inputs_sha256,
            ]
        )
    return buffer.getvalue()


# ---- statements and appeals (teams) ------------------------------------------------------


async def statements_for(
    *, session: AsyncSession, team_id: int | None, period: str | None
) -> list[StatementPublic]:
    """Every version's statements (newest first); ``team_id`` None: all teams (admin)."""
    query = (
        select(RewardStatement, Team, RewardVersion, RewardPeriod)
        .join(Team, col(Team.id) == col(RewardStatement.team_id))
        .join(RewardVersion, col(RewardVersion.id) == col(RewardStatement.version_id))
        .join(RewardPeriod, col(RewardPeriod.id) == col(RewardVersion.reward_period_id))
        .order_by(
            col(RewardPeriod.period).desc(),
            col(RewardVersion.version).desc(),
            col(RewardStatement.team_id),
        )
    )
    if team_id is not None:
        query = query.where(RewardStatement.team_id == team_id)
    if period is not None:
        query = query.where(RewardPeriod.period == period)
    rows = (await session.exec(query)).all()
    latest: dict[int, int] = {}
    result = []
    for statement, team, version, reward_period in rows:
        if reward_period.id not in latest:
            latest[reward_period.id] = await _latest_number(session, reward_period.id)
        result.append(
            _statement_public(
                statement, team, reward_period.period, version, latest[reward_period.id]
            )
        )
    return result


async def visible_statement(
    *, session: AsyncSession, statement_id: int, user: User
) -> tuple[RewardStatement, Team, RewardVersion, RewardPeriod]:
    """A statement of the user's own team (admin: any); others are 404."""
    statement = await session.get(RewardStatement, statement_id)
    if statement is None or not (user.is_admin or statement.team_id == user.team_id):
        raise StatementNotFound()
    team = await session.get(Team, statement.team_id)
    version = await session.get(RewardVersion, statement.version_id)
    assert team is not None
    assert version is not None
    reward_period = await session.get(RewardPeriod, version.reward_period_id)
    assert reward_period is not None
    return statement, team, version, reward_period


async def statement_public(
    *, session: AsyncSession, statement_id: int, user: User
) -> StatementPublic:
    statement, team, version, reward_period = await visible_statement(
        session=session, statement_id=statement_id, user=user
    )
    latest = await _latest_number(session, reward_period.id)
    return _statement_public(statement, team, reward_period.period, version, latest)


async def lodge_appeal(
    *, session: AsyncSession, statement_id: int, user: User, reason: str
) -> RewardAppeal:
    statement, _, _, _ = await visible_statement(
        session=session, statement_id=statement_id, user=user
    )
    open_one = (
        await session.exec(
            select(RewardAppeal).where(
                RewardAppeal.statement_id == statement.id,
                RewardAppeal.status == AppealStatus.open,
            )
        )
    ).first()
    if open_one is not None:
        raise AppealAlreadyOpen()
    appeal = RewardAppeal(
        statement_id=statement.id, team_id=statement.team_id, lodged_by=user.id, reason=reason
    )
    session.add(appeal)
    await session.flush()
    return appeal


async def appeal_public(*, session: AsyncSession, appeal: RewardAppeal) -> AppealPublic:
    statement = await session.get(RewardStatement, appeal.statement_id)
    assert statement is not None
    version = await session.get(RewardVersion, statement.version_id)
    team = await session.get(Team, appeal.team_id)
    assert version is not None
    assert team is not None
    reward_period = await session.get(RewardPeriod, version.reward_period_id)
    assert reward_period is not None
    correction = (
        await session.get(RewardVersion, appeal.correction_version_id)
        if appeal.correction_version_id
        else None
    )
    return AppealPublic(
        id=appeal.id,
        statement_id=appeal.statement_id,
        team=TeamRef.model_validate(team),
        period=reward_period.period,
        version=version.version,
        reason=appeal.reason,
        status=appeal.status,
        created_at=appeal.created_at,
        resolved_at=appeal.resolved_at,
        resolution_note=appeal.resolution_note,
        correction_version=correction.version if correction else None,
    )


async def list_appeals(
    *, session: AsyncSession, status: AppealStatus | None, team_id: int | None
) -> list[RewardAppeal]:
    query = select(RewardAppeal).order_by(col(RewardAppeal.id).desc())
    if status is not None:
        query = query.where(RewardAppeal.status == status)
    if team_id is not None:
        query = query.where(RewardAppeal.team_id == team_id)
    return list((await session.exec(query)).all())


async def resolve_appeal(
    *,
    session: AsyncSession,
    appeal_id: int,
    admin: User,
    body: AppealResolve,
    now: datetime,
) -> RewardAppeal:
    """Reject, or uphold without a correction (a correction that upholds it resolves it
    itself, linking the new version)."""
    appeal = await session.get(RewardAppeal, appeal_id)
    if appeal is None:
        raise AppealNotFound()
    if appeal.status != AppealStatus.open:
        raise AppealClosed()
    appeal.status = AppealStatus(body.decision)
    appeal.resolved_by = admin.id
    appeal.resolved_at = now
    appeal.resolution_note = body.note
    session.add(appeal)
    await session.flush()
    await appeal_resolved(session=session, appeal=appeal, now=now)
    return appeal
