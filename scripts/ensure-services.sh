#!/usr/bin/env bash
# Make sure PostgreSQL (127.0.0.1:5432) and Redis (127.0.0.1:6379) answer; start the local
# servers if they are installed but stopped. Used by `make test` and .ci/run.
set -uo pipefail

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
wait_port() { for _ in $(seq 1 30); do port_open "$1" && return 0; sleep 1; done; return 1; }

status=0
if ! port_open 5432; then
  if command -v pg_ctlcluster >/dev/null 2>&1 && [[ -d /etc/postgresql ]]; then
    echo "starting PostgreSQL"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
  fi
  wait_port 5432 || { echo "PostgreSQL is not reachable on 127.0.0.1:5432 (see README: Testing)"; status=1; }
fi
if ! port_open 6379; then
  if command -v redis-server >/dev/null 2>&1; then
    echo "starting Redis"
    redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no || true
  fi
  wait_port 6379 || { echo "Redis is not reachable on 127.0.0.1:6379 (see README: Testing)"; status=1; }
fi
[[ $status == 0 ]] && echo "PostgreSQL and Redis are up"
exit $status
