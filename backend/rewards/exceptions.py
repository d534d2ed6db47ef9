from fastapi import status

from backend.core.errors import AppError


class RewardPeriodNotFound(AppError):
    status_code = status.HTTP_404_NOT_FOUND
    message = "No such reward period."


class RewardPeriodExists(AppError):
    status_code = status.HTTP_409_CONFLICT
    message = "This period already has a reward period; edit it instead."


class UnknownTeamInRules(AppError):
    status_code = status.HTTP_422_UNPROCESSABLE_CONTENT
    message = "The rules weigh a team that does not exist."


class NotFinalized(AppError):
    status_code = status.HTTP_409_CONFLICT
    message = "This reward period is not finalized yet: preview and finalize it first."


class NothingToCorrect(AppError):
    status_code = status.HTTP_409_CONFLICT
    message = (
        "The current inputs are identical to the latest version's (same SHA-256): "
        "a correction would change nothing."
    )


class VersionNotFound(AppError):
    status_code = status.HTTP_404_NOT_FOUND
    message = "No such finalized version of this reward period."


class StatementNotFound(AppError):
    status_code = status.HTTP_404_NOT_FOUND
    message = "No such reward statement for your team. 没有找到本团队的这份奖励结算单。"


class AppealNotFound(AppError):
    status_code = status.HTTP_404_NOT_FOUND
    message = "No such appeal."


class AppealAlreadyOpen(AppError):
    status_code = status.HTTP_409_CONFLICT
    message = "This statement already has an open appeal. 该结算单已有待处理的申诉。"


class AppealClosed(AppError):
    status_code = status.HTTP_409_CONFLICT
    message = "This appeal was already resolved."


class AppealNotForPeriod(AppError):
    status_code = status.HTTP_422_UNPROCESSABLE_CONTENT
    message = "That appeal is not an open appeal on this reward period."
