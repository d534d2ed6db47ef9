from datetime import date as date_type
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query

from backend.core.deps import SessionDep, SettingsDep
from backend.core.errors import NotAuthenticated, error_responses
from backend.identity.dependencies import CurrentUser
from backend.meals import service
from backend.meals.exceptions import CanteenNotFound
from backend.meals.models import Meal
from backend.meals.schemas import MenusPublic

router = APIRouter(tags=["meals"])


@router.get("/menus", responses=error_responses(NotAuthenticated, CanteenNotFound))
async def list_menus(
    session: SessionDep,
    settings: SettingsDep,
    _: CurrentUser,
    date: Annotated[
        date_type | None, Query(description="Day served (YYYY-MM-DD); today on campus if omitted.")
    ] = None,
    canteen: Annotated[str | None, Query(description="Canteen slug, e.g. north.")] = None,
    meal: Meal | None = None,
) -> MenusPublic:
    """Menus for one day, optionally for one canteen and one meal."""
    served_on = date or datetime.now(settings.tz).date()
    return await service.list_menus(
        session=session, served_on=served_on, canteen=canteen, meal=meal
    )
