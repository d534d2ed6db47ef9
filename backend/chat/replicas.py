"""Which Rasa replica serves which student: rendezvous (highest random weight) hashing.

Every student has an order of preference over the replicas: each replica's score is a hash
of (student, replica), highest first. The order depends only on the student and the set
of URLs, so every backend worker picks the same replica for a student (Rasa's lock store
is never contended across replicas), and a replica that goes away moves only its own
students: everyone else's first choice is unchanged. Its students go to their second
choice and continue from the shared tracker store.

A replica that failed is *down* for ``retry_seconds``: it goes to the back of every order
until then (still tried when all are down), and then gets its students back.
"""

import hashlib
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass


def score(sender: str, url: str) -> int:
    """Stable across processes and runs (unlike ``hash()``), spread uniformly."""
    digest = hashlib.blake2b(f"{sender}\0{url}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big")


def preference(sender: str, urls: Sequence[str]) -> list[str]:
    """The replicas in ``sender``'s order of preference."""
    return sorted(urls, key=lambda url: score(sender, url), reverse=True)


@dataclass
class Replicas:
    urls: tuple[str, ...]
    retry_seconds: float
    clock: Callable[[], float] = time.monotonic

    def __post_init__(self) -> None:
        if not self.urls:
            raise ValueError("at least one Rasa URL is needed")
        self._down_until: dict[str, float] = {}

    def order(self, sender: str) -> list[str]:
        """Where to send ``sender``'s message: replicas that are up in preference order,
        then those marked down (a last resort, in the same order)."""
        now = self.clock()
        ranked = preference(sender, self.urls)
        up = [url for url in ranked if self._down_until.get(url, 0.0) <= now]
        return up + [url for url in ranked if url not in up]

    def mark_down(self, url: str) -> None:
        self._down_until[url] = self.clock() + self.retry_seconds

    def mark_up(self, url: str) -> None:
        self._down_until.pop(url, None)

    def is_down(self, url: str) -> bool:
        return self._down_until.get(url, 0.0) > self.clock()
