"""Canteen staff (of that canteen) and the logistics office: opening hours, closures and
copying menus. Kept apart from router.py, whose reads are the hot path."""

from fastapi import APIRouter

from backend.core.deps import CacheDep, SessionDep
from backend.core.errors import NotAuthenticated, error_responses
from backend.meals import cache as meals_cache
from backend.meals import opening
from backend.meals.dependencies import Editor
from backend.meals.exceptions import (
    CanteenNotFound,
    CanteenStaffOnly,
    NothingToCopy,
    NotYourCanteen,
)
from backend.meals.schemas import MenuCopy, MenuCopyResult, OpeningHoursEdit, OpeningHoursPublic

router = APIRouter(tags=["meals"])

STAFF_ERRORS = (NotAuthenticated, CanteenStaffOnly, NotYourCanteen, CanteenNotFound)


@router.get("/canteens/{slug}/hours", responses=error_responses(*STAFF_ERRORS))
async def read_opening_hours(slug: str, editor: Editor, session: SessionDep) -> OpeningHoursPublic:
    """The weekly opening hours and every recorded closure (staff of that canteen, or the
    logistics office)."""
    return await opening.read_hours(session=session, editor=editor, slug=slug)


@router.put("/canteens/{slug}/hours", responses=error_responses(*STAFF_ERRORS))
async def replace_opening_hours(
    slug: str, body: OpeningHoursEdit, editor: Editor, session: SessionDep, cache: CacheDep
) -> OpeningHoursPublic:
    """Replace the weekly hours and the closures (holidays, one meal or the whole day).
    Times are HH:MM campus time; a meal opens before it closes; the meals of one weekday
    do not overlap; a date is closed once (per meal, or all day). Bad input changes
    nothing. `open_now` and `next_opening` follow at once."""
    timetable = await opening.replace_hours(session=session, editor=editor, slug=slug, body=body)
    await session.commit()
    await meals_cache.MEALS.bump(cache)
    return timetable


@router.post("/menus/{slug}/copy", responses=error_responses(*STAFF_ERRORS, NothingToCopy))
async def copy_menus(
    slug: str, body: MenuCopy, editor: Editor, session: SessionDep, cache: CacheDep
) -> MenuCopyResult:
    """Copy a day's (`days` 1) or a week's (`days` 7) menus of one canteen to the same
    meals from `target` on, replacing what is there (staff of that canteen, or the
    logistics office)."""
    result = await opening.copy_menus(session=session, editor=editor, slug=slug, body=body)
    await session.commit()
    await meals_cache.MEALS.bump(cache)
    return result
