from datetime import timedelta

from backend.core.config import Settings
from backend.core.security import create_token
from backend.identity.models import User

Headers = dict[str, str]


def token_headers(settings: Settings, user: User, *, via_bot: bool = False) -> Headers:
    """What a signed-in user (or the bot acting for a student) sends."""
    token = create_token(
        secret=settings.secret("jwt_secret"),
        subject=user.id,
        kind="delegation" if via_bot else "access",
        lifetime=timedelta(minutes=5),
    )
    headers = {"Authorization": f"Bearer {token}"}
    if via_bot:
        headers["X-Bot-Key"] = settings.secret("bot_secret")
    return headers
