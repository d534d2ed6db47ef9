from fastapi import status

from backend.core.errors import AppError


class UnansweredGroupNotFound(AppError):
    status_code = status.HTTP_404_NOT_FOUND
    message = (
        "No unanswered-question group with that id in that week and building. "
        "该周该楼栋没有这个未解答问题组。"
    )


class BuildingRequired(AppError):
    status_code = status.HTTP_422_UNPROCESSABLE_CONTENT
    message = "Name the building (its code) to draft the article for. 请指定楼栋。"
