from fastapi import status

from backend.core.errors import AppError


class InvitationNotFound(AppError):
    status_code = status.HTTP_404_NOT_FOUND
    message = "No such survey invitation for you. 没有找到您的这份问卷邀请。"


class AlreadyAnswered(AppError):
    status_code = status.HTTP_409_CONFLICT
    message = "You already answered this survey; thank you! 您已经填写过这份问卷，谢谢！"


class InvitationExpired(AppError):
    status_code = status.HTTP_410_GONE
    message = "This survey has expired and can no longer be answered. 这份问卷已过期，无法再填写。"


class InvitationNotOpen(AppError):
    status_code = status.HTTP_409_CONFLICT
    message = "This survey is not open yet. 这份问卷尚未开放。"


class UnknownQuestion(AppError):
    status_code = status.HTTP_422_UNPROCESSABLE_CONTENT
    message = (
        "The answer includes a question this survey does not ask. 回答中包含问卷未包含的题目。"
    )


class TemplateNotFound(AppError):
    status_code = status.HTTP_404_NOT_FOUND
    message = "No such survey template."


class TemplateExists(AppError):
    status_code = status.HTTP_409_CONFLICT
    message = "A survey template with this slug already exists."


class TemplateInUse(AppError):
    status_code = status.HTTP_409_CONFLICT
    message = (
        "This template's questions were already sent to students and can no longer change; "
        "create a new template and make it current."
    )


class NoCurrentTemplate(AppError):
    status_code = status.HTTP_409_CONFLICT
    message = "No survey template is current; create one or mark one current first."


class CampaignNotFound(AppError):
    status_code = status.HTTP_404_NOT_FOUND
    message = "No such survey campaign. 没有找到该问卷活动。"


class CampaignExists(AppError):
    status_code = status.HTTP_409_CONFLICT
    message = "There is already a campaign of this kind for this period (one per period)."


class CampaignNotOpen(AppError):
    status_code = status.HTTP_409_CONFLICT
    message = "This survey campaign is not open now. 该问卷活动当前未开放。"


class NotACanteenCampaign(AppError):
    status_code = status.HTTP_409_CONFLICT
    message = "Only canteen campaigns let you choose what to rate. 只有食堂问卷可以自选评价对象。"


class CanteenAlreadyChosen(AppError):
    status_code = status.HTTP_409_CONFLICT
    message = "You already chose a canteen to rate in this period. 本期您已经选择过要评价的食堂。"


class CanteenTeamNotFound(AppError):
    status_code = status.HTTP_404_NOT_FOUND
    message = "No canteen team serves a canteen with that slug. 没有找到该食堂的服务团队。"


class NotYourTeam(AppError):
    status_code = status.HTTP_403_FORBIDDEN
    message = "Staff can only read their own team's results."


class ResponseNotFound(AppError):
    status_code = status.HTTP_404_NOT_FOUND
    message = "No such survey response."


class NotFlagged(AppError):
    status_code = status.HTTP_409_CONFLICT
    message = "This response has no standing flag to clear."
