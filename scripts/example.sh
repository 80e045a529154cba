#!/usr/bin/env bash
# npm run example: a headless end-to-end run of examples/ through a service started and stopped here.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
npm run --silent build
rm -rf examples/heart-rate/sensitive-results
work=$(mktemp -d)
port=$((20000 + RANDOM % 20000))
config=$(bash scripts/dev-config.sh "$work" "$port" auto)
node hub-service/bin/hbroker.js serve --config "$config" > "$work/service.log" 2>&1 &
service=$!
stop() {
  kill "$service" 2>/dev/null && wait "$service" 2>/dev/null || true
  rm -rf "$work" examples/heart-rate/sensitive-results
}
trap stop EXIT
for _ in $(seq 1 100); do
  curl -fsS "http://127.0.0.1:$port/health" > /dev/null 2>&1 && break
  kill -0 "$service" 2>/dev/null || { cat "$work/service.log"; exit 1; }
  sleep 0.2
done
echo "service up on 127.0.0.1:$port"
HBROKER_URL="http://127.0.0.1:$port" HBROKER_TOKEN="$(cat "$work/token")" \
  node hub-service/bin/hbroker.js submit examples/heart-rate/analysis.ipynb --study demo \
  --output summary.csv heart_rate.png --justification "Weekly means for the demo" --wait
# Weekly means and the plot go to an output checker (docs/vetting.md): under auto they stay withheld.
if compgen -G "examples/heart-rate/sensitive-results/*/summary.csv" > /dev/null; then
  echo "--- released summary.csv:"
  cat examples/heart-rate/sensitive-results/*/summary.csv
else
  echo "--- summary.csv was withheld: see the findings above"
fi
