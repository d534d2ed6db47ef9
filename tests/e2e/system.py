"""Start the real system — `scripts/run.py`, the same command `make run` uses.

Backend, Rasa and the action server run as real processes on free loopback ports, with a
fresh SQLite database and the trained model; callers talk to the backend over HTTP only.
Used by the end-to-end tests and by bench/chat.py. ``System.kill_child`` kill -9s one of the
three (run.py starts it again with the same command and environment) for the fault tests.
"""

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from scripts.run import rasa_replicas as replica_ports

ROOT = Path(__file__).resolve().parents[2]
READY = "Houqin 后勤 is running"
STARTUP_TIMEOUT_SECONDS = 900  # includes training the model on a fresh clone
DEMO_PASSWORD = "demo-pass"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def children(parent: int) -> dict[int, str]:
    """pid → command line of the processes whose parent is ``parent`` (Linux /proc)."""
    found = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == parent:
                found[int(stat.parent.name)] = (
                    (stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode()
                )
        except (OSError, IndexError, ValueError):
            continue  # exited while we looked
    return found


def free_ports(count: int) -> int:
    """The first of ``count`` consecutive free loopback ports."""
    for _ in range(100):
        first = free_port()
        if all(not port_open(port) for port in range(first + 1, first + count)):
            return first
    raise RuntimeError(f"no {count} consecutive free ports")


def port_open(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


class SystemDidNotStart(RuntimeError):
    pass


@dataclass
class System:
    process: subprocess.Popen[str]
    base_url: str
    database: Path
    ports: dict[str, int]
    log: list[str] = field(default_factory=list)

    def login(self, username: str) -> dict[str, str]:
        response = httpx.post(
            f"{self.base_url}/api/v1/auth/token",
            data={"username": username, "password": DEMO_PASSWORD},
        )
        response.raise_for_status()
        return {"Authorization": f"Bearer {response.json()['access_token']}"}

    def push_at_any_hour(self, headers: dict[str, str], **preferences: object) -> None:
        """Turn the student's quiet hours off (the default 23:00–07:00 campus time holds
        notices) and set ``preferences``, so their notices are pushed whatever the hour."""
        url = f"{self.base_url}/api/v1/notifications/preferences"
        current = httpx.get(url, headers=headers, timeout=10)
        current.raise_for_status()
        changed = {**current.json(), "quiet_hours": None, **preferences}
        httpx.put(url, headers=headers, json=changed, timeout=10).raise_for_status()

    def child_pids(self, name: str) -> list[int]:
        """The pids of run.py's ``name`` child (backend, rasa or actions), found by its port."""
        port = f" {self.ports[name]} "
        return [pid for pid, command in children(self.process.pid).items() if port in command]

    def kill_child(self, name: str, *, timeout: float = 300) -> int:
        """kill -9 one child, wait until run.py's replacement answers on the same port, and
        return the replacement's pid."""
        [killed] = self.child_pids(name)
        os.kill(killed, signal.SIGKILL)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            pids = [pid for pid in self.child_pids(name) if pid != killed]
            if pids and self.answers(name):
                return pids[0]
            time.sleep(0.5)
        raise AssertionError(f"{name} did not come back:\n{''.join(self.log[-40:])}")

    def answers(self, name: str) -> bool:
        """Does something listen and answer HTTP on ``name``'s port?"""
        try:
            httpx.get(f"http://127.0.0.1:{self.ports[name]}/", timeout=2)
        except httpx.HTTPError:
            return False
        return True


@contextmanager
def running_system(
    database: Path, settings: dict[str, str] | None = None, *, rasa_replicas: int = 1
) -> Iterator[System]:
    """The three processes, healthy, on a fresh SQLite database; stopped with Ctrl-C after.
    ``settings``: extra environment (e.g. platform API URLs pointed at local fakes,
    ``HOUQIN_DATABASE_URL`` and ``HOUQIN_REDIS_URL`` naming servers of the caller's own, or
    Redis and a shared tracker store for several ``rasa_replicas``: rasa-1 … rasa-N)."""
    rasa_port = free_ports(rasa_replicas)
    ports = {
        "backend": free_port(),
        "actions": free_port(),
        **replica_ports(rasa_port, rasa_replicas),
    }
    env = {
        **os.environ,
        "HOUQIN_ENV": "development",
        "HOUQIN_DATABASE_URL": f"sqlite+aiosqlite:///{database}",
        "PYTHONUNBUFFERED": "1",
        **(settings or {}),
    }
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    process = subprocess.Popen(
        [
            sys.executable,
            "scripts/run.py",
            "--port",
            str(ports["backend"]),
            "--rasa-port",
            str(rasa_port),
            "--rasa-replicas",
            str(rasa_replicas),
            "--actions-port",
            str(ports["actions"]),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    system = System(process, f"http://127.0.0.1:{ports['backend']}", database, ports)
    ready = threading.Event()

    def read_output() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            system.log.append(line)
            if READY in line:
                ready.set()

    threading.Thread(target=read_output, daemon=True).start()
    deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
    while not ready.wait(timeout=1):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise SystemDidNotStart("".join(system.log[-80:]))
    try:
        yield system
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            process.wait(timeout=60)
