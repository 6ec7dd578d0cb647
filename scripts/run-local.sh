#!/usr/bin/env bash
# Runs the web server, a Celery worker and the beat scheduler together; Ctrl-C
# (or a TERM to this script) stops all three. Without REDIS_URL the broker is
# kombu's filesystem transport under var/broker, so nothing else has to be
# running. Once the worker has run the start-up sweeps and the site answers,
# the demo logins that `make run` kept in var/demo-logins.txt are printed last.
#
# For tests (tests/test_run_local.py), not needed by `make run`:
#   PEERPATH_RUN_ADDRESS   host:port for the server (127.0.0.1:8000)
#   PEERPATH_RUN_SWEEPS=0  skip the start-up sweeps
#   PEERPATH_VAR_DIR       the folder settings keep their files in (var)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
export DJANGO_SETTINGS_MODULE=${DJANGO_SETTINGS_MODULE:-config.settings.local}
# Lines in the order they were written, whether on a terminal or in a pipe.
export PYTHONUNBUFFERED=1
VAR=${PEERPATH_VAR_DIR:-var}
ADDRESS=${PEERPATH_RUN_ADDRESS:-127.0.0.1:8000}

# Each process starts in a session of its own, so that stopping its group
# stops what it started (the server's autoreloader child, the worker's pool and
# beat), and Ctrl-C reaches only this script, which stops them in order.
pids=()
start() {
  "$BIN/python" -c 'import os, sys; os.setsid(); os.execvp(sys.argv[1], sys.argv[1:])' "$@" \
    </dev/null &
  pids+=($!)
}

# Does any process of their groups still run? A zombie does not count: an
# orphan's is for init to reap.
any_left() {
  ps -A -o pgid= -o stat= | awk -v groups=" ${pids[*]} " '
    $2 !~ /^Z/ && index(groups, " " $1 " ") { found = 1 }
    END { exit !found }'
}

stopping=0
stop_all() {
  [ "$stopping" = 1 ] && return
  stopping=1
  trap '' INT TERM
  local pid i
  [ "${#pids[@]}" -gt 0 ] || return 0
  # Each leader first, so that the worker shuts its pool and beat down itself;
  # then whatever of their groups is left; then, after 15 seconds, KILL.
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for i in $(seq 50); do any_left || break; sleep 0.2; done
  for pid in "${pids[@]}"; do kill -TERM -- "-$pid" 2>/dev/null || true; done
  for i in $(seq 25); do any_left || break; sleep 0.2; done
  for pid in "${pids[@]}"; do kill -KILL -- "-$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap 'stop_all; exit 130' INT
trap 'stop_all; exit 143' TERM
trap stop_all EXIT

# One process runs both the worker and the beat scheduler (-B): exactly one
# beat, and no extra service to start.
start "$BIN/celery" -A config worker -B --loglevel=INFO --concurrency=2 \
  --schedule="$VAR/celerybeat-schedule"
start "$BIN/python" manage.py runserver "$ADDRESS"
server=$!

sweeps=()
[ "${PEERPATH_RUN_SWEEPS:-1}" = 0 ] && sweeps=(--no-sweeps)
start "$BIN/python" scripts/run_local_ready.py "$ADDRESS" "$VAR/demo-logins.txt" \
  --server-pid "$server" ${sweeps[@]+"${sweeps[@]}"}
# `wait` returns at once when a signal arrives, so its trap runs at once.
wait "$!"
wait "$server"
