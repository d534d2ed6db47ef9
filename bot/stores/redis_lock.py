"""Rasa's Redis lock store, configured by one URL (the backend's ``HOUQIN_REDIS_URL``).

Rasa's own ``type: redis`` wants host, port, db and password as separate settings; this
reads them from ``redis://[:password@]host[:port][/db]`` so every process shares one setting.
"""

from urllib.parse import unquote, urlsplit

from rasa.core.lock_store import RedisLockStore
from rasa.utils.endpoints import EndpointConfig

KEY_PREFIX = "houqin"  # keys: houqin:lock:<sender>


class RedisUrlLockStore(RedisLockStore):
    def __init__(self, endpoint_config: EndpointConfig) -> None:
        url = urlsplit(endpoint_config.url or "")
        if url.scheme not in ("redis", "rediss") or not url.hostname:
            raise ValueError(f"lock store: not a redis:// URL: {endpoint_config.url!r}")
        super().__init__(
            host=url.hostname,
            port=url.port or 6379,
            db=int(url.path.strip("/") or 0),
            username=unquote(url.username) if url.username else None,
            password=unquote(url.password) if url.password else None,
            use_ssl=url.scheme == "rediss",
            key_prefix=KEY_PREFIX,
        )
