"""Repairs dependencies: settings, photo storage and rate limits."""

from typing import Annotated

from fastapi import Depends, Request

from backend.core.deps import domain_settings
from backend.core.ratelimit import Limit
from backend.identity.dependencies import RateLimit, StaffUser
from backend.identity.models import Role, User
from backend.repairs.config import RepairsSettings
from backend.repairs.exceptions import FilingForStudentForbidden
from backend.repairs.storage import LocalPhotoStorage, PhotoStorage

# Dependencies are async: FastAPI runs plain ``def`` dependencies in a worker thread.


get_repairs_settings = domain_settings(RepairsSettings)


async def get_photo_storage(
    request: Request, settings: Annotated[RepairsSettings, Depends(get_repairs_settings)]
) -> PhotoStorage:
    """One storage per app, created on first use."""
    storage: PhotoStorage | None = getattr(request.app.state, "repair_photo_storage", None)
    if storage is None:
        storage = LocalPhotoStorage(settings.photo_dir)
        request.app.state.repair_photo_storage = storage
    return storage


RepairsSettingsDep = Annotated[RepairsSettings, Depends(get_repairs_settings)]
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


async def front_desk(staff: StaffUser) -> User:
    """Who may file a ticket for a student: the logistics office and dorm managers (the
    building check needs the place, so the service makes it)."""
    if not (staff.is_admin or staff.role == Role.dorm_manager):
        raise FilingForStudentForbidden()
    return staff


FrontDesk = Annotated[User, Depends(front_desk)]
