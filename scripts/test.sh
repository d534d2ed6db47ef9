#!/usr/bin/env bash
# `make test`: every check; all run even after a failure, the summary says which failed
# (with each step's time) and the exit status is non-zero if any did.
#
# Steps run one after another, except inside a `parallel` group: there they run at the same
# time, each with its output in a file that is printed, in order, when the group is done.
# Only steps that share nothing run together: the two backend suites have separate
# databases (SQLite file vs PostgreSQL database) and caches (in-process vs Redis prefix),
# and pytest-xdist gives each of their workers its own database and cache prefix
# (tests/backend/conftest.py). The bot steps form a chain inside the group (`--then`: each
# starts when the one before it ends): the model is trained once (only if its inputs
# changed) and every later step reuses it. Tests marked database_free run in the SQLite
# suite only.
set -uo pipefail
cd "$(dirname "$0")/.."

PY=.venv/bin/python
BOT=bot/.venv/bin
export HOUQIN_ENV=development RASA_TELEMETRY_ENABLED=false TF_CPP_MIN_LOG_LEVEL=2
PG_URL=${TEST_POSTGRES_URL:-postgresql+asyncpg://postgres@127.0.0.1:5432/houqin_test}
REDIS=${TEST_REDIS_URL:-redis://127.0.0.1:6379/15}
# pytest-xdist workers per backend suite (both suites run at once: 2 each fill 2 cores).
# The schemathesis plugin (its own step) only slows every worker's start-up here.
WORKERS=${TEST_WORKERS:-2}
BACKEND_PYTEST=(-m pytest tests/backend -q -p no:cacheprovider -p no:schemathesis -n "$WORKERS")
TMP=$(mktemp -d)
trap 'jobs -p | xargs -r kill 2>/dev/null; rm -rf "$TMP"' EXIT

declare -a RESULTS=()
FAILED=0
CPU_ALL=0
STARTED_ALL=$SECONDS
record() { # rc seconds cpu-seconds name
  local verdict=PASS
  [[ $1 == 0 ]] || { verdict=FAIL; FAILED=1; }
  RESULTS+=("$verdict  $(printf '%4ss  cpu %4ss' "$2" "$3")  $4")
  CPU_ALL=$((CPU_ALL + $3))
}

# timed FILE CMD…: run CMD; FILE gets "exit-status wall-seconds cpu-seconds", the CPU being
# user + system time of CMD and the processes it waited for (on a shared machine the wall
# time stretches with the load, the CPU time hardly does).
timed() {
  local file=$1; shift
  local TIMEFORMAT='%R %U %S' rc wall user sys
  { time "$@" 2>&3; } 3>&2 2>"$file.time"
  rc=$?
  read -r wall user sys <"$file.time"
  echo "$rc $(awk "BEGIN { printf \"%.0f %.0f\", $wall, $user + $sys }")" >"$file"
}

run_step() {
  local name=$1; shift
  local rc took cpu
  echo
  echo "======== $name"
  timed "$TMP/step" "$@"
  read -r rc took cpu <"$TMP/step"
  record "$rc" "$took" "$cpu" "$name"
}

# parallel_step [--then] NAME CMD…: start in the background (with --then: once the step
# declared just before it has ended); parallel_wait prints and records them.
declare -a GROUP_NAMES=() GROUP_PIDS=()
GROUP_STARTED=0
parallel_step() {
  local before=
  if [[ $1 == --then ]]; then before="$TMP/step-$((${#GROUP_NAMES[@]} - 1)).rc"; shift; fi
  local name=$1; shift
  local log="$TMP/step-${#GROUP_NAMES[@]}"
  [[ ${#GROUP_NAMES[@]} == 0 ]] && GROUP_STARTED=$SECONDS
  echo "======== started: $name"
  (
    [[ -z $before ]] || until [[ -s $before ]]; do sleep 1; done
    timed "$log.rc" "$@" >"$log.out" 2>&1
  ) &
  GROUP_NAMES+=("$name")
  GROUP_PIDS+=($!)
}
parallel_wait() {
  local i rc took cpu
  for i in "${!GROUP_NAMES[@]}"; do
    wait "${GROUP_PIDS[$i]}"
    echo
    echo "======== ${GROUP_NAMES[$i]} (ran in parallel)"
    cat "$TMP/step-$i.out"
    read -r rc took cpu <"$TMP/step-$i.rc"
    record "$rc" "$took" "$cpu" "${GROUP_NAMES[$i]} (parallel)"
  done
  RESULTS+=("      $(printf '%4ss' $((SECONDS - GROUP_STARTED)))            (wall time of the parallel steps above)")
  GROUP_NAMES=()
  GROUP_PIDS=()
}

run_step "services: PostgreSQL and Redis reachable" scripts/ensure-services.sh
run_step "lint: ruff check" .venv/bin/ruff check .
run_step "lint: ruff format --check" .venv/bin/ruff format --check .
run_step "lint: layer contracts (import-linter)" .venv/bin/lint-imports
run_step "docker-compose.yml valid" scripts/check-compose.sh

parallel_step "backend tests on SQLite (in-process cache)" \
  env DATABASE_URL="sqlite+aiosqlite:///$TMP/test.db" REDIS_URL= TEST_REDIS_URL="$REDIS" \
  $PY "${BACKEND_PYTEST[@]}"
parallel_step "backend tests on PostgreSQL (Redis cache)" \
  env DATABASE_URL="$PG_URL" REDIS_URL="$REDIS" TEST_REDIS_URL="$REDIS" \
  $PY "${BACKEND_PYTEST[@]}" -m "not database_free"
parallel_step "lint: mypy" .venv/bin/mypy
parallel_step "action unit tests" $BOT/python -m pytest -c tests/actions/pytest.ini tests/actions -q
parallel_step "NLU vocabulary generated from intents/vocab.yml" $PY scripts/build_vocab.py --check
parallel_step "bot contract generated from the backend and bot/contract.yml" \
  $PY scripts/build_contract.py --check
parallel_step "rasa data validate (warnings fail)" $BOT/python scripts/validate_bot.py
parallel_step --then "bot model (trained only if its inputs changed)" \
  $BOT/python scripts/bot_model.py
parallel_step --then "NLU: held-out sets (accuracy >= 97% per language, out-of-scope >= 90%), broad out-of-scope set (>= 95% kept out of campus intents)" \
  $BOT/python scripts/nlu_eval.py
parallel_step --then "conversation tests" \
  bash -c "cd bot && PYTHONPATH=. ../$BOT/rasa test core --stories tests \
    --model \$(../$BOT/python ../scripts/bot_model.py | tail -1) \
    --fail-on-prediction-errors --out results/core"
parallel_wait

# After the first group (its servers must start within 60 s, which a saturated machine can
# miss): three steps that each run a system of their own on free ports and temporary files —
# schemathesis's throwaway backend, the end-to-end system, the browser tests' system — and
# spend much of their time waiting on it, so they run side by side.
run_step "browser: Chromium installed (Debian's package)" scripts/ensure-chromium.sh
parallel_step "contract: schemathesis against the running API (student and admin)" \
  $PY scripts/schemathesis_run.py
parallel_step "end-to-end: backend + Rasa + action server" \
  $PY -m pytest tests/e2e -q -p no:cacheprovider --basetemp "$TMP/e2e"
parallel_step "browser tests: campus app and console in real Chromium against the real system" \
  $PY -m pytest tests/browser -q -p no:cacheprovider --basetemp "$TMP/browser"
parallel_wait
# Alone: its goals include "no answer slower than 5 s" while it kills servers.
run_step "faults (short): under load, kill -9 Redis, crash PostgreSQL, kill -9 Rasa, action server, a backend worker (own servers)" \
  $PY -m bench.faults --short

echo
echo "======== summary"
printf '%s\n' "${RESULTS[@]}"
echo "total: $((SECONDS - STARTED_ALL))s, cpu ${CPU_ALL}s; load average now: $(cut -d' ' -f1-3 /proc/loadavg)"
exit $FAILED
