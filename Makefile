# Houqin — the two commands a newcomer needs:
#   make run    the whole system on embedded defaults (SQLite, in-process cache)
#   make test   every test (needs PostgreSQL and Redis on 127.0.0.1, see README)
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
BOT_VENV := bot/.venv
PY := $(VENV)/bin/python
BOT_PY := $(BOT_VENV)/bin/python
PIP_FLAGS := --quiet --disable-pip-version-check

.PHONY: help install run test lint format vocab contract model migrate seed clean

help:
	@echo "make run      start backend, Rasa and the action server with a seeded demo campus"
	@echo "make test     lint, backend tests (SQLite + PostgreSQL), Redis, actions, bot, end-to-end"
	@echo "make lint     ruff (lint + format check), mypy and the layer contracts (import-linter)"
	@echo "make vocab    rebuild intents/entities.yml from intents/vocab.yml"
	@echo "make contract rebuild the bot's contract files from the backend and bot/contract.yml"
	@echo "make model    train the bot model if its inputs changed"
	@echo "make install  build both virtual environments"

$(VENV)/.installed: pyproject.toml constraints.txt
	@PYTHON=$$(scripts/find-python.sh 3.11 3.12 3.13) && echo "backend venv: $$PYTHON" && \
	  "$$PYTHON" -m venv $(VENV)
	$(PY) -m pip install $(PIP_FLAGS) -c constraints.txt -e ".[dev]"
	@touch $@

$(BOT_VENV)/.installed: bot/requirements.txt bot/constraints.txt
	@PYTHON=$$(scripts/find-python.sh 3.10) && echo "bot venv (Rasa needs 3.10): $$PYTHON" && \
	  "$$PYTHON" -m venv $(BOT_VENV)
	$(BOT_PY) -m pip install $(PIP_FLAGS) -r bot/requirements.txt -c bot/constraints.txt
	@touch $@

install: $(VENV)/.installed $(BOT_VENV)/.installed

run: install
	$(PY) scripts/run.py

test: install
	scripts/test.sh

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

format: $(VENV)/.installed
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

vocab: $(VENV)/.installed
	$(PY) scripts/build_vocab.py

contract: $(VENV)/.installed
	$(PY) scripts/build_contract.py

model: install
	$(BOT_PY) scripts/bot_model.py

migrate: $(VENV)/.installed
	HOUQIN_ENV=development $(VENV)/bin/alembic upgrade head

seed: migrate
	HOUQIN_ENV=development $(PY) -m backend.seed

clean:
	rm -rf $(VENV) $(BOT_VENV) bot/models var .pytest_cache .mypy_cache .ruff_cache
