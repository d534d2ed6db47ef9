from fastapi import status

from backend.core.errors import AppError


class NotificationNotFound(AppError):
    status_code = status.HTTP_404_NOT_FOUND
    message = "No such notification in your inbox. 收件箱中没有这条通知。"


class DeliveryNotFound(AppError):
    status_code = status.HTTP_404_NOT_FOUND
    message = "No such notification delivery."


class DeliveryNotRetryable(AppError):
    status_code = status.HTTP_409_CONFLICT
    message = "Only a failed delivery can be retried."
