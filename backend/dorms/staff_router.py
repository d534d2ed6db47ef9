"""What the staff console shows a building's editors (its dorm manager, the logistics
office): every article of the building, drafts included, and its checklists' dates."""

from typing import Annotated

from fastapi import APIRouter, Query
from sqlmodel import col, select

from backend.core.deps import ClockDep, SessionDep
from backend.core.errors import NotAuthenticated, error_responses
from backend.dorms import guidance, service
from backend.dorms.dependencies import DormEditorDep
from backend.dorms.exceptions import (
    BuildingNotFound,
    DormStaffOnly,
    NoTermScheduled,
    NotYourBuilding,
    TermNotFound,
)
from backend.dorms.models import GuidanceArticle
from backend.dorms.schemas import ChecklistsPublic, GuidanceArticlesStaff

router = APIRouter(tags=["dorms"])
ACCESS = (NotAuthenticated, DormStaffOnly, NotYourBuilding, BuildingNotFound)


@router.get("/admin/guidance", responses=error_responses(*ACCESS))
async def list_guidance(
    session: SessionDep,
    editor: DormEditorDep,
    building: Annotated[
        str | None,
        Query(
            max_length=16, description="Building code; default: yours (admin: the general rules)."
        ),
    ] = None,
) -> GuidanceArticlesStaff:
    """A building's articles (or, for the office, the general rules), drafts first, then
    by title; everything that is indexed, as the editor edits it."""
    if building is None and not editor.is_admin:
        building_id = editor.building_id
    elif building is None:
        building_id = None
    else:
        building_id = (await service.get_building(session=session, code=building)).id
        editor.check_building(building_id)
    match = (
        col(GuidanceArticle.building_id).is_(None)
        if building_id is None
        else col(GuidanceArticle.building_id) == building_id
    )
    rows = (
        await session.exec(
            select(GuidanceArticle)
            .where(match)
            .order_by(col(GuidanceArticle.published), col(GuidanceArticle.title_en))
        )
    ).all()
    code = (await guidance.building_codes(session)).get(building_id or 0)
    data = [guidance.staff_view(article, code) for article in rows]
    return GuidanceArticlesStaff(building_code=code, data=data, count=len(data))


@router.get(
    "/dorms/buildings/{code}/checklists",
    responses=error_responses(*ACCESS, TermNotFound, NoTermScheduled),
)
async def read_building_checklists(
    code: str,
    session: SessionDep,
    clock: ClockDep,
    editor: DormEditorDep,
    term: Annotated[
        str | None,
        Query(max_length=16, description="Term code; default: the current or next term."),
    ] = None,
) -> ChecklistsPublic:
    """The building's move-in and move-out checklists with the dates its residents see."""
    building = await service.get_building(session=session, code=code)
    editor.check_building(building.id)
    return await service.building_checklists(
        session=session, building=building, today=clock.today(), term_code=term
    )
