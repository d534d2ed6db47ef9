"""Handoff dependencies: settings, who counts as handoff staff, rate limits."""

from typing import Annotated

from fastapi import Depends

from backend.core.ratelimit import Limit
from backend.handoff.config import HandoffSettings, get_handoff_settings
from backend.handoff.exceptions import HandoffStaffOnly
from backend.identity.dependencies import CurrentUser, RateLimit
from backend.identity.models import Role, User

# Who answers handoff requests: the logistics office and dorm managers.
HANDOFF_STAFF_ROLES = frozenset({Role.logistics_admin, Role.dorm_manager})


async def get_settings() -> HandoffSettings:
    return get_handoff_settings()


async def get_handoff_staff(user: CurrentUser) -> User:
    if user.role not in HANDOFF_STAFF_ROLES:
        raise HandoffStaffOnly()
    return user


HandoffSettingsDep = Annotated[HandoffSettings, Depends(get_settings)]
HandoffStaff = Annotated[User, Depends(get_handoff_staff)]

# Writes: per user (the bot counts for the student it acts for) and per client address.
CREATE_LIMIT = RateLimit(
    "handoff-create",
    per_user=Limit(requests=10, per_seconds=3600),
    per_ip=Limit(requests=300, per_seconds=3600),
)
WRITE_LIMIT = RateLimit(
    "handoff-write",
    per_user=Limit(requests=60, per_seconds=60),
    per_ip=Limit(requests=600, per_seconds=60),
)
