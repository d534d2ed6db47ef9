#!/usr/bin/env bash
# `make test`: every check, in order; all run even after a failure, the summary says which
# failed and the exit status is non-zero if any did.
set -uo pipefail
cd "$(dirname "$0")/.."

PY=.venv/bin/python
BOT=bot/.venv/bin
export HOUQIN_ENV=development RASA_TELEMETRY_ENABLED=false TF_CPP_MIN_LOG_LEVEL=2
PG_URL=${TEST_POSTGRES_URL:-postgresql+asyncpg://postgres@127.0.0.1:5432/houqin_test}
REDIS=${TEST_REDIS_URL:-redis://127.0.0.1:6379/15}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

declare -a RESULTS=()
FAILED=0
run_step() {
  local name=$1; shift
  local started=$SECONDS
  echo
  echo "======== $name"
  if "$@"; then
    RESULTS+=("PASS  $(printf '%4ss' $((SECONDS - started)))  $name")
  else
    RESULTS+=("FAIL  $(printf '%4ss' $((SECONDS - started)))  $name")
    FAILED=1
  fi
}

run_step "services: PostgreSQL and Redis reachable" scripts/ensure-services.sh
run_step "lint: ruff check" .venv/bin/ruff check .
run_step "lint: ruff format --check" .venv/bin/ruff format --check .
run_step "lint: mypy" .venv/bin/mypy
run_step "docker-compose.yml valid" scripts/check-compose.sh
run_step "backend tests on SQLite (in-process cache)" \
  env DATABASE_URL="sqlite+aiosqlite:///$TMP/test.db" REDIS_URL= TEST_REDIS_URL="$REDIS" \
  $PY -m pytest tests/backend -q
run_step "backend tests on PostgreSQL (Redis cache)" \
  env DATABASE_URL="$PG_URL" REDIS_URL="$REDIS" TEST_REDIS_URL="$REDIS" \
  $PY -m pytest tests/backend -q
run_step "action unit tests" $BOT/python -m pytest -c tests/actions/pytest.ini tests/actions -q
run_step "NLU vocabulary generated from intents/vocab.yml" $PY scripts/build_vocab.py --check
run_step "rasa data validate (warnings fail)" $BOT/python scripts/validate_bot.py
run_step "bot model (trained only if its inputs changed)" $BOT/python scripts/bot_model.py
run_step "held-out NLU sets (accuracy >= 95% per language, out-of-scope >= 90%)" \
  $BOT/python scripts/nlu_eval.py
run_step "conversation tests" \
  bash -c "cd bot && PYTHONPATH=. ../$BOT/rasa test core --stories tests \
    --model \$(../$BOT/python ../scripts/bot_model.py | tail -1) \
    --fail-on-prediction-errors --out results/core"
run_step "end-to-end: backend + Rasa + action server" $PY -m pytest tests/e2e -q

echo
echo "======== summary"
printf '%s\n' "${RESULTS[@]}"
exit $FAILED
