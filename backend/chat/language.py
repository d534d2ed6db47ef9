"""Which language the bot answers in: the message's own, else the profile locale."""

import re

from backend.identity.models import Locale

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


def reply_language(message: str, profile_locale: Locale) -> Locale:
    """Any Chinese character → zh ("明天lunch有什么"); English words → en; else the profile.

    Button payloads ("/meals_ask_menu{…}") and bare numbers keep the profile language.
    """
    if message.startswith("/"):
        return profile_locale
    if _HAN.search(message):
        return Locale.zh
    if _LATIN_WORD.search(message):
        return Locale.en
    return profile_locale
