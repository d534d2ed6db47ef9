from fastapi import status

from backend.core.errors import AppError


class LinkNotFound(AppError):
    status_code = status.HTTP_404_NOT_FOUND
    message = "No account of that platform is linked. 没有绑定该平台的账号。"


class ChannelDisabled(AppError):
    status_code = status.HTTP_404_NOT_FOUND
    message = "This messaging channel is not configured on this server."


class InvalidSignature(AppError):
    status_code = status.HTTP_401_UNAUTHORIZED
    message = "The request is not signed by the platform."
