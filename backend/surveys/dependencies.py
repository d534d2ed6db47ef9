from typing import Annotated

from fastapi import Depends, Query

from backend.core.deps import ClockDep, SessionDep, domain_settings
from backend.identity.dependencies import StaffUser
from backend.identity.models import Team
from backend.surveys.config import SurveySettings
from backend.surveys.exceptions import NotYourTeam
from backend.surveys.periods import Period, period_of_day
from backend.surveys.results import team_by_slug

get_survey_settings = domain_settings(SurveySettings)


SurveySettingsDep = Annotated[SurveySettings, Depends(get_survey_settings)]


async def get_period(
    clock: ClockDep,
    period: Annotated[
        Period | None, Query(description="Month, YYYY-MM; the current one if omitted.")
    ] = None,
) -> str:
    return period or period_of_day(clock.today())


PeriodDep = Annotated[str, Depends(get_period)]


async def get_scoped_team(slug: str, session: SessionDep, user: StaffUser) -> Team:
    """The team in the path, for its own staff or the logistics office."""
    team = await team_by_slug(session=session, slug=slug)
    if not user.is_admin and user.team_id != team.id:
        raise NotYourTeam()
    return team


ScopedTeam = Annotated[Team, Depends(get_scoped_team)]
