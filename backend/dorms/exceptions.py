from fastapi import status

from backend.core.errors import AppError


class NotHoused(AppError):
    status_code = status.HTTP_404_NOT_FOUND
    message = (
        "You have no dorm room on record for today. If you think this is wrong, contact "
        "the logistics office. / 今天没有你的宿舍入住记录；如有疑问请联系后勤处。"
    )


class BuildingNotFound(AppError):
    status_code = status.HTTP_404_NOT_FOUND
    message = "No dorm building with that code; GET /api/v1/dorms/buildings lists them."


class GuidanceNotFound(AppError):
    status_code = status.HTTP_404_NOT_FOUND
    message = "No guidance article with that id."


class TermNotFound(AppError):
    status_code = status.HTTP_404_NOT_FOUND
    message = "No academic term with that code."


class NoTermScheduled(AppError):
    status_code = status.HTTP_404_NOT_FOUND
    message = (
        "No current or upcoming term has move-in and move-out dates yet. "
        "/ 当前或下一学期的入住、退宿日期尚未公布。"
    )


class DormStaffOnly(AppError):
    status_code = status.HTTP_403_FORBIDDEN
    message = "Only dorm managers and the logistics office can change dorm information."


class NotYourBuilding(AppError):
    status_code = status.HTTP_403_FORBIDDEN
    message = "Dorm managers can only change their own building and its articles."


class GeneralGuidanceAdminsOnly(AppError):
    status_code = status.HTTP_403_FORBIDDEN
    message = (
        "General (campus-wide) articles are kept by the logistics office; dorm managers "
        "write their building's version of a rule instead (same topic, your building)."
    )


class GuidanceSlugTaken(AppError):
    status_code = status.HTTP_409_CONFLICT
    message = "Another article already uses this slug."


class GuidanceVersionExists(AppError):
    status_code = status.HTTP_409_CONFLICT
    message = "This building (or the general rule) already has an article on this topic; edit it."
