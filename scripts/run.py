"""``make run``: the whole system on embedded defaults, in one terminal.

Migrates and seeds the database, trains the bot model if its inputs changed, starts the
action server, Rasa and the backend, waits until each is healthy, prints the URLs and demo
logins, streams all three logs with a prefix, and stops all three on Ctrl-C. If any of them
dies, the others are stopped too and the exit status is non-zero.
"""

import argparse
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from backend.core.config import Settings  # noqa: E402
from scripts.bot_model import BOT, ensure_model, rasa_env  # noqa: E402

PY = sys.executable
BOT_BIN = BOT / ".venv" / "bin"
COLORS = {"backend": "\033[36m", "actions": "\033[35m", "rasa": "\033[33m"}
RESET = "\033[0m"
STARTUP_TIMEOUT_SECONDS = 300
STOP_TIMEOUT_SECONDS = 15


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1", help="backend bind address")
    parser.add_argument("--port", type=int, default=8000, help="backend port")
    parser.add_argument("--rasa-port", type=int, default=5005)
    parser.add_argument("--actions-port", type=int, default=5055)
    return parser.parse_args()


def step(name: str, command: list[str], env: dict[str, str]) -> None:
    print(f"==> {name}", flush=True)
    subprocess.run(command, cwd=ROOT, env=env, check=True)


class Supervisor:
    def __init__(self) -> None:
        self.children: dict[str, subprocess.Popen[bytes]] = {}

    def start(self, name: str, command: list[str], *, cwd: Path, env: dict[str, str]) -> None:
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
        color = COLORS.get(name, "") if sys.stdout.isatty() else ""
        reset = RESET if color else ""
        prefix = f"{color}{name:>8} |{reset} "
        assert child.stdout is not None
        for raw in child.stdout:
            sys.stdout.write(prefix + raw.decode(errors="replace"))
            sys.stdout.flush()

    def dead(self) -> str | None:
        for name, child in self.children.items():
            if child.poll() is not None:
                return f"{name} exited with status {child.returncode}"
        return None

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
        if problem := supervisor.dead():
            raise RuntimeError(problem)
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
   API          {base}/api/v1
   API docs     {base}/docs
   Health       {base}/healthz
 Demo logins (password: demo-pass)
   students     s20240001 (中文), s20240002 (English)
   technician   t0001
   admin        admin
 Try it: open {base}/docs, "Authorize" as s20240002 / demo-pass, then POST /api/v1/chat
   with {{"message": "what's for lunch today?"}} or {{"message": "今天午饭吃什么?"}}
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
    rasa_url = f"http://127.0.0.1:{args.rasa_port}"
    env["HOUQIN_RASA_URL"] = rasa_url
    env["HOUQIN_BACKEND_URL"] = backend_url
    env["HOUQIN_ACTIONS_URL"] = f"{actions_url}/webhook"
    os.environ.update(env)
    settings = Settings()  # refuses default secrets outside development

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
        bot_env = {**rasa_env(), **{k: v for k, v in env.items() if k.startswith("HOUQIN_")}}
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
        supervisor.start(
            "rasa",
            [
                str(BOT_BIN / "rasa"),
                "run",
                "--enable-api",
                "--auth-token",
                settings.secret("rasa_token"),
                "-i",
                "127.0.0.1",
                "-p",
                str(args.rasa_port),
                "-m",
                str(model),
                "--endpoints",
                "endpoints.yml",
                "--credentials",
                "credentials.yml",
            ],
            cwd=BOT,
            env=bot_env,
        )
        supervisor.start(
            "backend",
            [
                PY,
                "-m",
                "uvicorn",
                "backend.main:create_app",
                "--factory",
                "--host",
                args.host,
                "--port",
                str(args.port),
                "--no-access-log",
            ],
            cwd=ROOT,
            env=env,
        )
        wait_healthy(
            supervisor,
            {
                "action server": f"{actions_url}/health",
                "rasa": f"{rasa_url}/status?token={settings.secret('rasa_token')}",
                "backend": f"{backend_url}/healthz",
            },
        )
        print(banner(backend_url), flush=True)
        while not (problem := supervisor.dead()):
            time.sleep(0.5)
        print(f"==> {problem}; stopping the others", flush=True)
        return 1
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
