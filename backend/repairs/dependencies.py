"""Repairs dependencies: the clock, settings, photo storage and rate limits."""

from collections.abc import Callable
from datetime import datetime, tzinfo
from typing import Annotated

from fastapi import Depends, Request

from backend.core.config import Settings
from backend.core.ratelimit import Limit
from backend.core.types import utcnow
from backend.identity.dependencies import RateLimit
from backend.repairs.config import RepairsSettings, get_repairs_settings
from backend.repairs.storage import LocalPhotoStorage, PhotoStorage

Clock = Callable[[], datetime]


# Dependencies are async: FastAPI runs plain ``def`` dependencies in a worker thread.


async def get_clock() -> Clock:
    """The current time (UTC); tests override it to move time."""
    return utcnow


async def get_settings() -> RepairsSettings:
    return get_repairs_settings()


async def get_tz(request: Request) -> tzinfo:
    """The campus time zone (from the app's settings)."""
    settings: Settings = request.app.state.settings
    return settings.tz


async def get_photo_storage(
    request: Request, settings: Annotated[RepairsSettings, Depends(get_settings)]
) -> PhotoStorage:
    """One storage per app, created on first use."""
    storage: PhotoStorage | None = getattr(request.app.state, "repair_photo_storage", None)
    if storage is None:
        storage = LocalPhotoStorage(settings.photo_dir)
        request.app.state.repair_photo_storage = storage
    return storage


ClockDep = Annotated[Clock, Depends(get_clock)]
RepairsSettingsDep = Annotated[RepairsSettings, Depends(get_settings)]
CampusTzDep = Annotated[tzinfo, Depends(get_tz)]
PhotoStorageDep = Annotated[PhotoStorage, Depends(get_photo_storage)]

# Writes: per user (the bot counts for the student it acts for) and per client address.
CREATE_LIMIT = RateLimit(
    "repairs-create",
    per_user=Limit(requests=20, per_seconds=3600),
    per_ip=Limit(requests=300, per_seconds=3600),
)
WRITE_LIMIT = RateLimit(
    "repairs-write",
    per_user=Limit(requests=60, per_seconds=60),
    per_ip=Limit(requests=600, per_seconds=60),
)
PHOTO_LIMIT = RateLimit(
    "repairs-photo",
    per_user=Limit(requests=30, per_seconds=3600),
    per_ip=Limit(requests=300, per_seconds=3600),
)
