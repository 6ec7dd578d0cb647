#!/usr/bin/env bash
# The whole suite as two pytest processes side by side, one per core (a
# pytest run uses one): the tests that start processes of their own (a
# browser, web servers, workers, beats: mostly waiting on them) and the rest.
# Each gets its own database and Redis db, so neither sees the other's rows
# or queues; each one's output is printed when both are done, and the run
# fails if either does. Arguments go to both pytest runs.
#
#   PEERPATH_TEST_ONE_PROCESS=1 make test    one plain pytest run instead
#   PEERPATH_TEST_SECOND_DATABASE_URL / PEERPATH_TEST_SECOND_REDIS_URL
#                                            the second run's services (by
#                                            default: the database's name
#                                            with "_inprocess", the next
#                                            Redis db)
set -uo pipefail
cd "$(dirname "$0")/.."
python=.venv/bin/python

if [ "${PEERPATH_TEST_ONE_PROCESS:-}" = 1 ]; then
  exec "$python" -m pytest "$@"
fi

# Keep in step with .ci/run's first-pass-only list: these start servers,
# workers, beats or Chromium (the API fuzzer and the README's curl examples
# run against a live server).
process_tests=(
  tests/browser
  tests/faults
  tests/scaleout
  tests/test_run_local.py
  tests/test_bench.py
  tests/test_celery_worker.py
  tests/test_api_fuzz.py
  tests/test_readme_api_guide.py
  tests/test_api_generated_client.py
)
ignore_process_tests=()
for path in "${process_tests[@]}"; do ignore_process_tests+=("--ignore=$path"); done

second_url() {  # $1: a URL; $2: "database" or "redis"
  "$python" - "$1" "$2" <<'PY'
import sys
from urllib.parse import urlsplit, urlunsplit

url, kind = sys.argv[1], sys.argv[2]
parts = urlsplit(url)
if kind == "database":
    path = parts.path.rstrip("/") + "_inprocess"
else:
    db = int(parts.path.strip("/") or 0)
    path = f"/{(db + 1) % 16}"
print(urlunsplit(parts._replace(path=path)))
PY
}

second_env=()
if [ -n "${DATABASE_URL:-}" ]; then
  second_env+=("DATABASE_URL=${PEERPATH_TEST_SECOND_DATABASE_URL:-$(second_url "$DATABASE_URL" database)}")
fi
if [ -n "${REDIS_URL:-}" ]; then
  second_env+=("REDIS_URL=${PEERPATH_TEST_SECOND_REDIS_URL:-$(second_url "$REDIS_URL" redis)}")
fi

process_log="$(mktemp)"
inprocess_log="$(mktemp)"
trap 'rm -f "$process_log" "$inprocess_log"' EXIT

"$python" -m pytest -p no:cacheprovider "${process_tests[@]}" "$@" >"$process_log" 2>&1 &
process_pid=$!
env "${second_env[@]}" "$python" -m pytest "${ignore_process_tests[@]}" "$@" >"$inprocess_log" 2>&1 &
inprocess_pid=$!

failed=0
status=0
wait "$inprocess_pid" || status=$?
echo "== the suite without the tests that start processes of their own"
cat "$inprocess_log"
[ "$status" -eq 0 ] || failed=1
status=0
wait "$process_pid" || status=$?
echo "== the tests that start a browser, servers, workers or beats"
cat "$process_log"
[ "$status" -eq 0 ] || failed=1
exit "$failed"
