"""``make run``: the whole system on embedded defaults, in one terminal.

Migrates and seeds the database, trains the bot model if its inputs changed, starts the
action server, Rasa and the backend, waits until each is healthy, prints the URLs and demo
logins, streams all three logs with a prefix, and stops all three on Ctrl-C. If one of them
dies before all are healthy, the others are stopped too and the exit status is non-zero; one
that dies later (a crash, kill -9) is started again with the same command and environment, up
to MAX_RESTARTS times. Rasa keeps conversations in a database (HOUQIN_TRACKER_STORE_URL, by
default a SQLite file next to the backend's), so a restarted Rasa continues every form.
"""

import argparse
import ipaddress
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from backend.core.config import SECRET_NAMES, Settings  # noqa: E402
from scripts.bot_model import BOT, ensure_model, rasa_env  # noqa: E402

PY = sys.executable
BOT_BIN = BOT / ".venv" / "bin"
COLORS = {"backend": "\033[36m", "actions": "\033[35m", "rasa": "\033[33m"}  # rasa-N: rasa's
RESET = "\033[0m"
STARTUP_TIMEOUT_SECONDS = 300
STOP_TIMEOUT_SECONDS = 15
MAX_RESTARTS = 3
# bot/endpoints.yml: Rasa's lock store class when Redis is configured (else in memory).
REDIS_LOCK_STORE = "stores.redis_lock.RedisUrlLockStore"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1", help="backend bind address")
    parser.add_argument(
        "--allow-network",
        action="store_true",
        help="development only: allow a --host other people can reach (demo secrets!)",
    )
    parser.add_argument("--port", type=int, default=8000, help="backend port")
    parser.add_argument(
        "--rasa-port", type=int, default=5005, help="Rasa's port (replica i: this + i - 1)"
    )
    parser.add_argument(
        "--rasa-replicas",
        type=int,
        default=1,
        help="Rasa processes behind the backend (more than one needs HOUQIN_REDIS_URL)",
    )
    parser.add_argument("--actions-port", type=int, default=5055)
    return parser.parse_args(argv)


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # a host name or 0.0.0.0-like wildcard: reachable from elsewhere


def check_bind(args: argparse.Namespace, env: str) -> str | None:
    """Why this bind is refused (None: fine). Development runs seeded demo accounts with a
    known password, so they stay on this machine unless asked for explicitly."""
    if env == "development" and not is_loopback(args.host) and not args.allow_network:
        return (
            f"refusing --host {args.host} in development: the demo accounts (password "
            "demo-pass) would be reachable from the network. Use 127.0.0.1, or add "
            "--allow-network if you really mean it."
        )
    return None


def check_replicas(args: argparse.Namespace, settings: Settings) -> str | None:
    """Why this number of Rasa replicas is refused (None: fine). Replicas share their
    conversation locks through Redis: in-memory locks would be each replica's own."""
    if args.rasa_replicas < 1:
        return "--rasa-replicas must be at least 1"
    if args.rasa_replicas > 1 and not settings.redis_url:
        return "--rasa-replicas above 1 needs HOUQIN_REDIS_URL (Rasa's shared lock store)"
    return None


def backend_command(args: argparse.Namespace) -> list[str]:
    """uvicorn never rewrites the client address from X-Forwarded-For itself: the app
    decides whom to believe (HOUQIN_TRUSTED_PROXIES, backend.core.ratelimit.client_ip)."""
    return [
        PY,
        "-m",
        "uvicorn",
        "backend.main:create_app",
        "--factory",
        "--host",
        args.host,
        "--port",
        str(args.port),
        "--no-proxy-headers",
        "--no-access-log",
    ]


def rasa_command(port: int, model: Path, token: str) -> list[str]:
    """The token goes as one ``--auth-token=…`` argument: a generated token may begin
    with "-", which argparse would take for an option."""
    return [
        str(BOT_BIN / "rasa"),
        "run",
        "--enable-api",
        f"--auth-token={token}",
        "-i",
        "127.0.0.1",
        "-p",
        str(port),
        "-m",
        str(model),
        "--endpoints",
        "endpoints.yml",
        "--credentials",
        "credentials.yml",
    ]


def rasa_replicas(port: int, count: int) -> dict[str, int]:
    """Name → port of each Rasa replica: ``rasa`` alone, ``rasa-1`` … ``rasa-N`` side by side."""
    if count == 1:
        return {"rasa": port}
    return {f"rasa-{i}": port + i - 1 for i in range(1, count + 1)}


def step(name: str, command: list[str], env: dict[str, str]) -> None:
    print(f"==> {name}", flush=True)
    subprocess.run(command, cwd=ROOT, env=env, check=True)


def tracker_store_url(database_url: str) -> str:
    """Rasa's conversations: a SQLite file next to the backend's SQLite database (else in
    var/), unless HOUQIN_TRACKER_STORE_URL names another SQLAlchemy URL."""
    url = make_url(database_url)
    folder = ROOT / "var"
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        folder = Path(url.database).resolve().parent
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / 'rasa-tracker.db'}"


class Supervisor:
    def __init__(self) -> None:
        self.children: dict[str, subprocess.Popen[bytes]] = {}
        self.commands: dict[str, tuple[list[str], Path, dict[str, str]]] = {}
        self.restarts: dict[str, int] = {}

    def start(self, name: str, command: list[str], *, cwd: Path, env: dict[str, str]) -> None:
        self.commands[name] = (command, cwd, env)
        child = subprocess.Popen(
            command,
            cwd=cwd,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # Ctrl-C reaches us only; we stop the children in order
        )
        self.children[name] = child
        threading.Thread(target=self._pipe, args=(name, child), daemon=True).start()

    def _pipe(self, name: str, child: subprocess.Popen[bytes]) -> None:
        color = COLORS.get(name.split("-")[0], "") if sys.stdout.isatty() else ""
        reset = RESET if color else ""
        prefix = f"{color}{name:>8} |{reset} "
        assert child.stdout is not None
        for raw in child.stdout:
            sys.stdout.write(prefix + raw.decode(errors="replace"))
            sys.stdout.flush()

    def dead(self) -> str | None:
        """The name of a child that has exited, if any."""
        for name, child in self.children.items():
            if child.poll() is not None:
                return name
        return None

    def restart(self, name: str) -> bool:
        """Start a dead child again (False once it has used up its restarts)."""
        if self.restarts.get(name, 0) >= MAX_RESTARTS:
            return False
        self.restarts[name] = self.restarts.get(name, 0) + 1
        command, cwd, env = self.commands[name]
        self.start(name, command, cwd=cwd, env=env)
        return True

    def exit_status(self, name: str) -> str:
        return f"{name} exited with status {self.children[name].returncode}"

    def stop(self) -> None:
        """SIGTERM everyone, SIGKILL whoever lingers; a second Ctrl-C cannot orphan them."""
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        for child in self.children.values():
            if child.poll() is None:
                os.killpg(child.pid, signal.SIGTERM)
        deadline = time.monotonic() + STOP_TIMEOUT_SECONDS
        for child in self.children.values():
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(child.pid, signal.SIGKILL)
                child.wait()


def http_ok(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=3) as response:  # noqa: S310 - our own URL
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False


def wait_healthy(supervisor: Supervisor, checks: dict[str, str]) -> None:
    pending = dict(checks)
    deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
    while pending:
        if name := supervisor.dead():
            raise RuntimeError(supervisor.exit_status(name))
        if time.monotonic() > deadline:
            raise RuntimeError(
                f"not healthy after {STARTUP_TIMEOUT_SECONDS}s: {', '.join(pending)}"
            )
        for name, url in list(pending.items()):
            if http_ok(url):
                print(f"==> {name} is healthy", flush=True)
                del pending[name]
        time.sleep(1)


def banner(base: str) -> str:
    return f"""
==================================================================
 Houqin 后勤 is running
   Campus app   {base}/
   Console      {base}/console
   API          {base}/api/v1
   API docs     {base}/docs
   Health       {base}/healthz
 Demo logins (password: demo-pass)
   students     s20240001 (中文), s20240002 (English)
   technician   t0001
   admin        admin
 Try it: open {base}/ on your phone or here, sign in as s20240002 / demo-pass and ask
   "what's for lunch today?" or "今天午饭吃什么?" (or the same over POST /api/v1/chat)
 Ctrl-C stops everything.
==================================================================
""".rstrip()


def main() -> int:
    args = parse_args()
    env = dict(os.environ)
    env.setdefault("HOUQIN_ENV", "development")
    if not (env.get("HOUQIN_DATABASE_URL") or env.get("DATABASE_URL")):
        (ROOT / "var").mkdir(exist_ok=True)
        env["HOUQIN_DATABASE_URL"] = f"sqlite+aiosqlite:///{ROOT / 'var' / 'houqin.db'}"
    backend_url = f"http://127.0.0.1:{args.port}"
    actions_url = f"http://127.0.0.1:{args.actions_port}"
    replicas = rasa_replicas(args.rasa_port, args.rasa_replicas)
    rasa_urls = {name: f"http://127.0.0.1:{port}" for name, port in replicas.items()}
    env["HOUQIN_RASA_URL"] = ",".join(rasa_urls.values())
    env["HOUQIN_BACKEND_URL"] = backend_url
    env["HOUQIN_ACTIONS_URL"] = f"{actions_url}/webhook"
    os.environ.update(env)
    settings = Settings()  # refuses missing secrets outside development
    if refusal := check_bind(args, settings.env) or check_replicas(args, settings):
        print(f"==> {refusal}", file=sys.stderr, flush=True)
        return 2
    # Development secrets come from var/dev-secrets.json: every process gets the same.
    for name in SECRET_NAMES:
        env[f"HOUQIN_{name.upper()}"] = settings.secret(name)
    env.setdefault("HOUQIN_TRACKER_STORE_URL", tracker_store_url(settings.database_url))

    step("migrating the database", [PY, "-m", "alembic", "upgrade", "head"], env)
    if settings.env == "development":
        step("seeding the demo campus", [PY, "-m", "backend.seed"], env)
    print("==> bot model", flush=True)
    model = ensure_model()

    supervisor = Supervisor()

    def on_signal(signum: int, _frame: object) -> None:
        raise KeyboardInterrupt

    # Explicit, because a shell that starts us in the background ignores SIGINT.
    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    try:
        bot_env = {
            **rasa_env(),
            **{k: v for k, v in env.items() if k.startswith("HOUQIN_")},
            # Rasa's lock store: Redis when the backend uses Redis (bot/endpoints.yml).
            "HOUQIN_REDIS_URL": settings.redis_url or "",
            "HOUQIN_LOCK_STORE": REDIS_LOCK_STORE if settings.redis_url else "in_memory",
        }
        supervisor.start(
            "actions",
            [
                str(BOT_BIN / "python"),
                "-m",
                "rasa_sdk",
                "--actions",
                "actions",
                "-p",
                str(args.actions_port),
            ],
            cwd=BOT,
            env={**bot_env, "SANIC_HOST": "127.0.0.1"},
        )
        for name, port in replicas.items():
            supervisor.start(
                name, rasa_command(port, model, settings.secret("rasa_token")), cwd=BOT, env=bot_env
            )
        supervisor.start("backend", backend_command(args), cwd=ROOT, env=env)
        wait_healthy(
            supervisor,
            {
                "action server": f"{actions_url}/health",
                **{
                    name: f"{url}/status?token={settings.secret('rasa_token')}"
                    for name, url in rasa_urls.items()
                },
                "backend": f"{backend_url}/healthz",
            },
        )
        print(banner(backend_url), flush=True)
        while True:
            time.sleep(0.5)
            if not (name := supervisor.dead()):
                continue
            problem = supervisor.exit_status(name)
            if not supervisor.restart(name):
                print(f"==> {problem} (restarted {MAX_RESTARTS} times); stopping", flush=True)
                return 1
            print(f"==> {problem}; restarting it", flush=True)
    except KeyboardInterrupt:
        print("\n==> stopping", flush=True)
        return 0
    except RuntimeError as exc:
        print(f"==> {exc}; stopping", flush=True)
        return 1
    finally:
        supervisor.stop()


if __name__ == "__main__":
    sys.exit(main())
