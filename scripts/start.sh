#!/usr/bin/env bash
# npm start: set up what is missing, then run the local HBroker stack in the foreground.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
npm run --silent build
port=${HBROKER_PORT:-8765}
config=$(bash scripts/dev-config.sh "$PWD/.hbroker/dev" "$port" auto)
cat <<TXT

HBroker (local stack) on http://127.0.0.1:$port — API under /api/v1, /health, /metrics
  token:    .hbroker/dev/token (user "researcher"; release policy "auto" for the demo)
  studies:  examples/studies/ (synthetic)
  try:      HBROKER_TOKEN=\$(cat .hbroker/dev/token) node hub-service/bin/hbroker.js submit \\
              examples/heart-rate/analysis.ipynb --study demo -o summary.csv heart_rate.png --wait
  stop:     Ctrl-C

TXT
exec node hub-service/bin/hbroker.js serve --config "$config"
