#!/usr/bin/env bash
# npm run bench: set up what is missing, then run every benchmark under bench/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
npm run --silent gen
for b in bench/*.ts; do
  echo "== $b"
  node --import tsx "$b"
done
