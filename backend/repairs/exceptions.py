from typing import TYPE_CHECKING

from fastapi import status

from backend.core.errors import AppError

if TYPE_CHECKING:
    from backend.repairs.schemas import RepairPublic


class RepairNotFound(AppError):
    status_code = status.HTTP_404_NOT_FOUND
    message = "No such repair ticket. 没有找到这张报修单。"


class PhotoNotFound(AppError):
    status_code = status.HTTP_404_NOT_FOUND
    message = "No such photo on this ticket. 这张报修单没有这张照片。"


class StaffActionOnly(AppError):
    status_code = status.HTTP_403_FORBIDDEN
    message = (
        "Only the responsible maintenance crew or the logistics office can do this. "
        "只有负责的维修班组或后勤处可以执行此操作。"
    )


class ReporterActionOnly(AppError):
    status_code = status.HTTP_403_FORBIDDEN
    message = (
        "Only the student who reported this ticket (or the logistics office) can do this. "
        "只有报修人（或后勤处）可以执行此操作。"
    )


class PhotoUploadForbidden(AppError):
    status_code = status.HTTP_403_FORBIDDEN
    message = (
        "Only the reporter, the responsible crew or the logistics office can add photos. "
        "只有报修人、负责班组或后勤处可以上传照片。"
    )


class IllegalTransition(AppError):
    status_code = status.HTTP_409_CONFLICT
    message = "This ticket cannot make that move now. 报修单当前状态不允许此操作。"


class RepairNotOpen(AppError):
    status_code = status.HTTP_409_CONFLICT
    message = "This ticket is closed or cancelled. 这张报修单已关闭或已取消。"


class TooManyPhotos(AppError):
    status_code = status.HTTP_409_CONFLICT
    message = "This ticket already has the most photos allowed. 这张报修单的照片数量已达上限。"


class PossibleDuplicate(AppError):
    """An open ticket for the same problem at the same place exists: offer "me too"."""

    status_code = status.HTTP_409_CONFLICT
    message = (
        "An open ticket for this problem at this place already exists: follow it "
        "(POST /repairs/{id}/followers) or send report_even_if_duplicate=true. "
        "同一地点已有相同类别的未完成报修：可以关注它（“我也遇到了”），或确认仍要新报修。"
    )

    def __init__(self, duplicates: "list[RepairPublic]") -> None:
        super().__init__()
        self.duplicates = duplicates


class LocationRequired(AppError):
    status_code = status.HTTP_422_UNPROCESSABLE_CONTENT
    message = (
        "We don't know where you live: give building_code and room, or a location_note. "
        "系统中没有你的宿舍信息：请填写楼栋和房间号，或说明具体位置。"
    )


class UnknownBuilding(AppError):
    status_code = status.HTTP_422_UNPROCESSABLE_CONTENT
    message = "No building with that code. 没有这个楼栋。"


class UnknownRoom(AppError):
    status_code = status.HTTP_422_UNPROCESSABLE_CONTENT
    message = "No room with that number in this building. 该楼栋没有这个房间。"


class InvalidAssignee(AppError):
    status_code = status.HTTP_422_UNPROCESSABLE_CONTENT
    message = (
        "The assignee must be an active technician of the responsible crew. "
        "指派对象必须是负责班组的在岗维修人员。"
    )


class UnsupportedPhotoType(AppError):
    status_code = status.HTTP_415_UNSUPPORTED_MEDIA_TYPE
    message = (
        "Photos must be JPEG, PNG, WebP or HEIC images. 照片须为 JPEG、PNG、WebP 或 HEIC 格式。"
    )


class PhotoTooLarge(AppError):
    status_code = status.HTTP_413_CONTENT_TOO_LARGE
    message = "A photo may be at most 5 MiB. 单张照片不能超过 5 MiB。"


class FilingForStudentForbidden(AppError):
    status_code = status.HTTP_403_FORBIDDEN
    message = (
        "Only the logistics office, or the dorm manager of the student's building (for a "
        "place in that building), can file a repair for a student. "
        "只有后勤处或该学生所在楼栋的宿管（且报修地点在本楼）可以代学生报修。"
    )


class UnknownStudent(AppError):
    status_code = status.HTTP_422_UNPROCESSABLE_CONTENT
    message = "No active student with that username. 没有该用户名的在校学生。"
