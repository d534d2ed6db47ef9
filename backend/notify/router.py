from typing import Annotated

from fastapi import APIRouter, Query

from backend.core.deps import ClockDep, SessionDep, SettingsDep
from backend.core.errors import NotAuthenticated, error_responses
from backend.core.types import IdPath, Page
from backend.identity.dependencies import AdminUser, CurrentStudent, CurrentUser
from backend.identity.exceptions import AdminsOnly, StudentsOnly
from backend.notify import admin, service
from backend.notify.exceptions import (
    DeliveryNotFound,
    DeliveryNotRetryable,
    NotificationNotFound,
)
from backend.notify.models import DeliveryState
from backend.notify.schemas import (
    DeliveriesPage,
    DeliveryPublic,
    MuteRequest,
    NotificationPublic,
    NotificationsPage,
    PreferencesPublic,
    ReadAll,
)

router = APIRouter(prefix="/notifications", tags=["notifications"])
admin_router = APIRouter(prefix="/admin/notifications", tags=["notifications"])
STUDENT_ERRORS = (NotAuthenticated, StudentsOnly)


@router.get("", responses=error_responses(NotAuthenticated))
async def list_notifications(
    user: CurrentUser,
    session: SessionDep,
    unread: bool | None = None,
    page: Page = 1,
    page_size: Annotated[int, Query(ge=1, le=100)] = 20,
) -> NotificationsPage:
    """The signed-in user's inbox (students; staff get e.g. resolved appeals), newest
    first, with the unread count: every notice, including those held by quiet hours or
    not pushed because of the preferences."""
    return await service.inbox(
        session=session, user_id=user.id, unread=unread, page=page, page_size=page_size
    )


@router.post("/read-all", responses=error_responses(NotAuthenticated))
async def read_all(user: CurrentUser, session: SessionDep, clock: ClockDep) -> ReadAll:
    await service.mark_all_read(session=session, user_id=user.id, now=clock.now())
    await session.commit()
    return ReadAll(unread=0)


@router.get("/preferences", responses=error_responses(*STUDENT_ERRORS))
async def get_preferences(
    student: CurrentStudent, session: SessionDep, settings: SettingsDep
) -> PreferencesPublic:
    prefs = await service.preferences(session=session, settings=settings, user_id=student.id)
    return service.preferences_public(prefs)


@router.put("/preferences", responses=error_responses(*STUDENT_ERRORS))
async def put_preferences(
    body: PreferencesPublic,
    student: CurrentStudent,
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
) -> PreferencesPublic:
    """Replace the student's choices. A category or channel left out stays on."""
    prefs = await service.save_preferences(
        session=session, settings=settings, user_id=student.id, body=body, now=clock.now()
    )
    await session.commit()
    return service.preferences_public(prefs)


@router.post("/preferences/mute", responses=error_responses(*STUDENT_ERRORS))
async def mute_category(
    body: MuteRequest,
    student: CurrentStudent,
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
) -> PreferencesPublic:
    """Turn a whole category off on every channel ("stop reminding me"), or back on
    with ``"muted": false``."""
    prefs = await service.mute(
        session=session,
        settings=settings,
        user_id=student.id,
        category=body.category,
        muted=body.muted,
        now=clock.now(),
    )
    await session.commit()
    return service.preferences_public(prefs)


@router.post(
    "/{notification_id}/read",
    responses=error_responses(NotAuthenticated, NotificationNotFound),
)
async def read_one(
    notification_id: IdPath,
    user: CurrentUser,
    session: SessionDep,
    clock: ClockDep,
) -> NotificationPublic:
    notification = await service.mark_read(
        session=session, user_id=user.id, notification_id=notification_id, now=clock.now()
    )
    await session.commit()
    return service.public(notification)


@admin_router.get("", responses=error_responses(NotAuthenticated, AdminsOnly))
async def list_deliveries(
    _: AdminUser,
    session: SessionDep,
    state: DeliveryState | None = None,
    page: Page = 1,
    page_size: Annotated[int, Query(ge=1, le=100)] = 50,
) -> DeliveriesPage:
    """Deliveries, newest first; ``state=failed`` shows what never went out, and why."""
    return await admin.deliveries(session=session, state=state, page=page, page_size=page_size)


@admin_router.post(
    "/deliveries/{delivery_id}/retry",
    responses=error_responses(NotAuthenticated, AdminsOnly, DeliveryNotFound, DeliveryNotRetryable),
)
async def retry_delivery(
    delivery_id: IdPath, _: AdminUser, session: SessionDep, clock: ClockDep
) -> DeliveryPublic:
    """Put a failed delivery back in the queue (attempts start over)."""
    delivery = await admin.retry(session=session, delivery_id=delivery_id, now=clock.now())
    await session.commit()
    return delivery
