from fastapi import status

from backend.core.errors import AppError


class HandoffNotFound(AppError):
    status_code = status.HTTP_404_NOT_FOUND
    message = "No such handoff request. 没有找到这条转人工请求。"


class HandoffStaffOnly(AppError):
    status_code = status.HTTP_403_FORBIDDEN
    message = (
        "Only the logistics office and dorm managers can do this. "
        "只有后勤处和宿舍管理员可以执行此操作。"
    )


class HandoffClosed(AppError):
    status_code = status.HTTP_409_CONFLICT
    message = (
        "This handoff request is closed; it cannot be answered. 这条转人工请求已关闭，无法回复。"
    )
