"""Train the Rasa model only when its inputs changed.

The model is named after a hash of everything training reads (config, domain, stories,
rules, NLU data, the custom tokenizer and its dictionary, the pinned Rasa version), so an
unchanged bot is never retrained and a changed one always is. Stdlib only: runs under
either venv. ``python scripts/bot_model.py`` prints the model path.
"""

import hashlib
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BOT = ROOT / "bot"
MODELS = BOT / "models"
RASA = BOT / ".venv" / "bin" / "rasa"
TRAINING_INPUTS = [
    BOT / "config.yml",
    BOT / "campus.dict",
    BOT / "constraints.txt",
    BOT / "domain",
    BOT / "data",
    BOT / "components",
    ROOT / "intents",
]
KEEP_MODELS = 3


def training_files() -> list[Path]:
    files: list[Path] = []
    for path in TRAINING_INPUTS:
        if path.is_dir():
            files.extend(p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
        else:
            files.append(path)
    return sorted(files)


def content_hash() -> str:
    digest = hashlib.sha256()
    for path in training_files():
        digest.update(path.relative_to(ROOT).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def rasa_env() -> dict[str, str]:
    return {
        **os.environ,
        "RASA_TELEMETRY_ENABLED": "false",
        "TF_CPP_MIN_LOG_LEVEL": "2",
        # Rasa 3.6's dependencies are old; their deprecation notices only bury real logs.
        "PYTHONWARNINGS": "ignore::DeprecationWarning,ignore::PendingDeprecationWarning",
        "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
        "PYTHONPATH": str(BOT),
        # Placeholder for endpoints.yml during training; run.py sets the real one.
        "HOUQIN_ACTIONS_URL": os.environ.get("HOUQIN_ACTIONS_URL", "http://127.0.0.1:5055/webhook"),
    }


def ensure_model() -> Path:
    name = f"houqin-{content_hash()}"
    model = MODELS / f"{name}.tar.gz"
    if model.exists():
        print(f"model: up to date ({model.relative_to(ROOT)})", flush=True)
        return model
    if not RASA.exists():
        sys.exit("model: bot/.venv is missing; run `make install` first")
    print(f"model: training data changed, training {model.relative_to(ROOT)} …", flush=True)
    MODELS.mkdir(exist_ok=True)
    subprocess.run(
        [
            str(RASA),
            "train",
            "--config",
            "config.yml",
            "--domain",
            "domain",
            "--data",
            "data",
            str(ROOT / "intents"),
            "--out",
            str(MODELS),
            "--fixed-model-name",
            name,
        ],
        cwd=BOT,
        env=rasa_env(),
        check=True,
    )
    for old in sorted(MODELS.glob("houqin-*.tar.gz"), key=lambda p: p.stat().st_mtime)[
        :-KEEP_MODELS
    ]:
        old.unlink()
    return model


if __name__ == "__main__":
    print(ensure_model())
