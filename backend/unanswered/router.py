"""Unanswered questions for the people who write guidance: the logistics office (every
building) and dorm managers (their own building only)."""

from typing import Annotated

from fastapi import APIRouter, Query, status

from backend.core.deps import CacheDep, ClockDep, SessionDep, SettingsDep
from backend.core.errors import NotAuthenticated, error_responses
from backend.dorms import caching, guidance
from backend.dorms.dependencies import DormEditor, DormEditorDep
from backend.dorms.exceptions import (
    BuildingNotFound,
    DormStaffOnly,
    GuidanceSlugTaken,
    GuidanceVersionExists,
    NotYourBuilding,
)
from backend.dorms.models import Building
from backend.dorms.schemas import GuidanceArticleStaff
from backend.dorms.service import get_building
from backend.unanswered import service
from backend.unanswered.exceptions import BuildingRequired, UnansweredGroupNotFound
from backend.unanswered.schemas import DraftRequest, IsoWeek, UnansweredGroups

router = APIRouter(prefix="/admin/unanswered", tags=["unanswered questions"])

ACCESS = (NotAuthenticated, DormStaffOnly, NotYourBuilding, BuildingNotFound)


async def _building(session: SessionDep, editor: DormEditor, code: str | None) -> Building | None:
    """The building asked for, checked against the editor (a manager's own by default)."""
    if code is None:
        if editor.is_admin:
            return None
        assert editor.building_id is not None
        found = await session.get(Building, editor.building_id)
        assert found is not None
        return found
    building = await get_building(session=session, code=code)
    editor.check_building(building.id)
    return building


@router.get("", responses=error_responses(*ACCESS))
async def list_unanswered(
    session: SessionDep,
    editor: DormEditorDep,
    clock: ClockDep,
    building: Annotated[
        str | None,
        Query(max_length=16, description="Building code; default: yours (admin: every one)."),
    ] = None,
    week: Annotated[IsoWeek | None, Query(description="ISO week; default: this week.")] = None,
) -> UnansweredGroups:
    """What students asked that the bot could not answer (fallback, out of scope, no
    relevant guidance article), grouped by similar wording, per building (where the
    askers lived then) and ISO week, largest group first, with counts and a few example
    texts. Students are not identified."""
    chosen = await _building(session, editor, building)
    return await service.list_groups(
        session=session,
        week=week or service.iso_week(clock.today()),
        building_id=chosen.id if chosen else None,
        all_buildings=chosen is None,
        tz=clock.tz,
    )


@router.post(
    "/draft",
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(
        *ACCESS,
        BuildingRequired,
        UnansweredGroupNotFound,
        GuidanceSlugTaken,
        GuidanceVersionExists,
    ),
)
async def draft_guidance(
    body: DraftRequest,
    session: SessionDep,
    settings: SettingsDep,
    cache: CacheDep,
    editor: DormEditorDep,
) -> GuidanceArticleStaff:
    """Draft a guidance article from one group: unpublished, in the group's building,
    with the group's questions as its aliases (how people ask) and a body to complete.
    Edit it and publish it with PATCH /guidance/{id} `{"published": true}`; from then on
    the search (and the bot) answers those questions from it. 409 if already drafted."""
    building = await _building(session, editor, body.building)
    if building is None:
        raise BuildingRequired()
    article = await service.draft_article(
        session=session,
        group_id=body.id,
        week=body.week,
        building=building,
        author_id=editor.user.id,
        tz=settings.tz,
    )
    await session.commit()
    await caching.GUIDANCE.bump(cache)
    return guidance.staff_view(article, building.code)
