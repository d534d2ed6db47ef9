"""Hot dorm reads (guidance search, articles, building info): two generation families
(``core.generations``); a write bumps its family after committing."""

import hashlib
import json

from backend.core.generations import Family

GUIDANCE = Family("dorms:guidance")
BUILDINGS = Family("dorms:buildings")


def digest(*parts: object) -> str:
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode()).hexdigest()[:32]
