"""Integrity rules: which answers look stuffed. Flagged answers are kept, shown to the
logistics office with their reasons, and never counted until an admin clears them."""

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.identity.models import User
from backend.surveys.config import SurveySettings
from backend.surveys.models import DIMENSIONS, FlagReason, SurveyInvitation, SurveyResponse
from backend.surveys.schemas import ResponseCreate


def keyed_hash(value: str, *, key: str) -> str:
    """HMAC-SHA256: bursts can be matched without storing addresses or device ids."""
    return hmac.new(key.encode(), value.encode(), hashlib.sha256).hexdigest()


@dataclass
class Assessment:
    flags: list[FlagReason]
    opened_at: datetime | None
    seconds_to_answer: int | None
    # Earlier answers of the same burst, now flagged too.
    burst_mates: list[SurveyResponse]


def answer_time(*, invitation: SurveyInvitation, now: datetime) -> tuple[datetime, int]:
    """When the question was shown, by the server's clock: the first GET of the invitation
    (``open_invitation``). A client cannot set it. An answer to a survey that was never
    fetched counts as shown at the moment of answering (0 seconds: too fast)."""
    opened = invitation.opened_at or now
    opened = min(max(opened, invitation.created_at), now)
    return opened, int((now - opened).total_seconds())


def straight_lined(body: ResponseCreate) -> bool:
    """Every scale question (overall and all five dimensions) answered with one value."""
    if body.dimensions is None:
        return False
    values = [getattr(body.dimensions, name) for name in DIMENSIONS]
    return all(v is not None for v in values) and set(values) == {body.overall}


async def _burst(
    session: AsyncSession,
    settings: SurveySettings,
    column: str,
    value: str,
    now: datetime,
) -> list[SurveyResponse]:
    since = now - timedelta(seconds=settings.burst_window_seconds)
    attribute = getattr(SurveyResponse, column)
    query = select(SurveyResponse).where(
        attribute == value, col(SurveyResponse.submitted_at) > since
    )
    return list((await session.exec(query)).all())


async def assess(
    *,
    session: AsyncSession,
    settings: SurveySettings,
    invitation: SurveyInvitation,
    user: User,
    body: ResponseCreate,
    now: datetime,
    ip_hash: str | None,
    device_hash: str | None,
) -> Assessment:
    flags: list[FlagReason] = []
    opened_at, seconds = answer_time(invitation=invitation, now=now)
    if seconds < settings.fast_answer_seconds:
        flags.append(FlagReason.too_fast)
    if straight_lined(body):
        flags.append(FlagReason.straight_lining)
    mates: dict[int, SurveyResponse] = {}
    for column, value, reason in (
        ("device_hash", device_hash, FlagReason.burst_device),
        ("ip_hash", ip_hash, FlagReason.burst_address),
    ):
        if value is None:
            continue
        earlier = await _burst(session, settings, column, value, now)
        if len(earlier) + 1 > settings.burst_max_responses:
            flags.append(reason)
            for response in earlier:
                if response.cleared_at is not None or reason in response.flags:
                    continue  # an admin already judged it; or already flagged for this
                response.flags = [*response.flags, reason]
                response.counted = False
                mates[response.id] = response
    if user.team_id is not None and user.team_id == invitation.team_id:
        flags.append(FlagReason.own_team)
    return Assessment(
        flags=flags,
        opened_at=opened_at,
        seconds_to_answer=seconds,
        burst_mates=list(mates.values()),
    )
