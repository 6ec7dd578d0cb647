#!/usr/bin/env bash
# Runs the web server, a Celery worker and the beat scheduler together; Ctrl-C
# stops all three. Without REDIS_URL the broker is kombu's filesystem transport
# under var/broker, so nothing else has to be running.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
export DJANGO_SETTINGS_MODULE=${DJANGO_SETTINGS_MODULE:-config.settings.local}

pids=()
stop_background() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop_background INT TERM EXIT

# One process runs both the worker and the beat scheduler (-B): exactly one
# beat, and no extra service to start.
"$BIN/celery" -A config worker -B --loglevel=INFO --concurrency=2 \
  --schedule=var/celerybeat-schedule &
pids+=($!)

# Beat runs the sweeps hourly and daily; run them once now so the demo's
# reminders and alerts show up at once (they are idempotent).
(
  sleep 8
  for task in checkins.tasks.remind_checkins_due checkins.tasks.alert_overdue_checkins \
              checkins.tasks.flag_contact_gaps checkins.tasks.remind_recovery_capital_due \
              recovery_plans.tasks.remind_plan_reviews certification.tasks.send_renewal_alerts; do
    "$BIN/celery" -A config call "$task" >/dev/null
  done
) &
pids+=($!)

echo
echo "Peerpath is at http://127.0.0.1:8000  (Ctrl-C stops the site, worker and beat)"
echo "Two-factor code for the demo admin and coordinators: make demo-code"
echo
"$BIN/python" manage.py runserver 127.0.0.1:8000
