from datetime import datetime
from typing import Annotated

from fastapi import Depends, Query

from backend.core.deps import SessionDep, SettingsDep
from backend.identity.dependencies import StaffUser
from backend.identity.models import Team
from backend.surveys.config import SurveySettings, get_survey_settings
from backend.surveys.exceptions import NotYourTeam
from backend.surveys.periods import Period, period_of
from backend.surveys.results import team_by_slug


def get_survey_settings_dep() -> SurveySettings:
    return get_survey_settings()


SurveySettingsDep = Annotated[SurveySettings, Depends(get_survey_settings_dep)]


def get_period(
    settings: SettingsDep,
    period: Annotated[
        Period | None, Query(description="Month, YYYY-MM; the current one if omitted.")
    ] = None,
) -> str:
    return period or period_of(datetime.now(settings.tz), settings.tz)


PeriodDep = Annotated[str, Depends(get_period)]


async def get_scoped_team(slug: str, session: SessionDep, user: StaffUser) -> Team:
    """The team in the path, for its own staff or the logistics office."""
    team = await team_by_slug(session=session, slug=slug)
    if not user.is_admin and user.team_id != team.id:
        raise NotYourTeam()
    return team


ScopedTeam = Annotated[Team, Depends(get_scoped_team)]
