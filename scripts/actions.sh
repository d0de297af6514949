#!/usr/bin/env bash
# Start the action server (rasa_sdk, actions/) on 127.0.0.1 only: Rasa is its only client.
# `scripts/actions.sh [port]` (default 5055); MES_ACTIONS_BIND=<address> only if Rasa runs on another machine.
# `rasa run actions` has no --interface flag: rasa_sdk reads the address from SANIC_HOST (its documented way).
set -euo pipefail
cd "$(dirname "$0")/.."
export PYTHONPATH="$PWD" SQLALCHEMY_SILENCE_UBER_WARNING=1 TF_CPP_MIN_LOG_LEVEL=2 RASA_TELEMETRY_ENABLED=false
SANIC_HOST="${MES_ACTIONS_BIND:-127.0.0.1}" exec .venv/bin/rasa run actions --actions actions --port "${1:-5055}"
