#!/usr/bin/env bash
# Validate docker-compose.yml without a Docker engine: `docker compose config` (plugin) or
# Debian's docker-compose v1, installed with apt when we are root and it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
# Placeholder secrets: the file itself requires them (no defaults outside development).
export POSTGRES_PASSWORD=check HOUQIN_JWT_SECRET=check HOUQIN_BOT_SECRET=check HOUQIN_RASA_TOKEN=check

if docker compose version >/dev/null 2>&1; then
  docker compose -f docker-compose.yml config -q
elif command -v docker-compose >/dev/null 2>&1 || { [[ $EUID == 0 ]] && command -v apt-get >/dev/null &&
    apt-get install -y -qq docker-compose >/dev/null 2>&1; }; then
  docker-compose -f docker-compose.yml config -q
else
  echo "Need 'docker compose' or 'docker-compose' to validate docker-compose.yml"
  echo "(Debian/Ubuntu: sudo apt-get install docker-compose)"
  exit 1
fi
echo "docker-compose.yml is valid"
