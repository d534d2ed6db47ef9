"""Handoff dependencies: settings, who counts as handoff staff, rate limits."""

from typing import Annotated

from fastapi import Depends

from backend.core.deps import domain_settings
from backend.core.ratelimit import Limit
from backend.handoff.access import HANDOFF_STAFF_ROLES
from backend.handoff.config import HandoffSettings
from backend.handoff.exceptions import HandoffStaffOnly
from backend.identity.dependencies import CurrentUser, RateLimit
from backend.identity.models import User

get_handoff_settings = domain_settings(HandoffSettings)


async def get_handoff_staff(user: CurrentUser) -> User:
    if user.role not in HANDOFF_STAFF_ROLES:
        raise HandoffStaffOnly()
    return user


HandoffSettingsDep = Annotated[HandoffSettings, Depends(get_handoff_settings)]
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
