#!/usr/bin/env bash
# Start the action server (5055) and Rasa (5005), both on localhost only by default, and the web site (8000),
# then wait; Ctrl-C stops them all.
# `scripts/run.sh shell` opens a terminal chat instead of the REST server.
set -euo pipefail
cd "$(dirname "$0")/.."
# No telemetry: Rasa's crash reports could quote what a user typed.
export PYTHONPATH="$PWD" SQLALCHEMY_SILENCE_UBER_WARNING=1 TF_CPP_MIN_LOG_LEVEL=2 RASA_TELEMETRY_ENABLED=false
mode="${1:-server}"
pids=()
stop() {
  trap - INT TERM EXIT
  [ ${#pids[@]} -gt 0 ] && kill "${pids[@]}" 2>/dev/null && wait "${pids[@]}" 2>/dev/null
  echo "Assistant arrêté."
  exit 0
}
trap stop INT TERM EXIT

# The action server listens on 127.0.0.1 only (scripts/actions.sh): Rasa is its only client.
scripts/actions.sh 5055 &
pids+=($!)

if [ "$mode" = shell ]; then
  .venv/bin/rasa shell --model models/mes.tar.gz --endpoints endpoints.yml
  exit 0
fi

# Rasa's port stays private: browsers go through the web front, which proxies /api/chat.
.venv/bin/rasa run --model models/mes.tar.gz --interface "${MES_RASA_BIND:-127.0.0.1}" --port 5005 \
  --credentials credentials.yml --endpoints endpoints.yml &
pids+=($!)

.venv-web/bin/python -m bot.web --port 8000 &  # the site's own environment (current aiohttp, no Rasa)
pids+=($!)

for _ in $(seq 1 180); do
  if curl -fs http://localhost:5005/ >/dev/null 2>&1; then
    cat <<MSG

  L'assistant est prêt.
  - Site : http://localhost:8000
  - Rasa (canal REST) : POST http://localhost:5005/webhooks/rest/webhook
      curl -s localhost:5005/webhooks/rest/webhook -d '{"sender":"essai","message":"bonjour"}'
  - Serveur d'actions (local seulement) : http://127.0.0.1:5055
  Ctrl-C pour tout arrêter.

MSG
    break
  fi
  sleep 1
done
wait -n "${pids[@]}"
