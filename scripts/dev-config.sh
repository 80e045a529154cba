#!/usr/bin/env bash
# Writes a local service config and its API token (0600), for npm start, npm run example and npm run bench.
# Usage: dev-config.sh <folder> <port> <release policy> [<JHE url> <partner keyset>]   → prints the config's path
# With a JHE url the data comes from that exchange (the dev exchange in npm start), else from examples/studies.
set -euo pipefail
dir=$1 port=$2 policy=$3 jhe=${4:-} keyset=${5:-}
root="$(cd "$(dirname "$0")/.." && pwd)"
mkdir -p "$dir"
chmod 700 "$dir"
if [ ! -s "$dir/token" ]; then
  (umask 077 && head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$dir/token")
fi
sha=$(sha256sum < "$dir/token" | cut -d' ' -f1)
data="{ \"studies_dir\": \"$root/examples/studies\" }"
if [ -n "$jhe" ]; then
  data="{ \"kind\": \"jhe\", \"jhe\": { \"url\": \"$jhe\", \"partner_keyset\": \"$keyset\" } }"
fi
cat > "$dir/hbroker.config.json" <<JSON
{
  "listen": { "host": "127.0.0.1", "port": $port },
  "state_dir": "state",
  "data": $data,
  "release": { "policy": "$policy" },
  "auth": { "tokens": [{ "user": "researcher", "sha256": "$sha" }] },
  "log_level": "warn"
}
JSON
echo "$dir/hbroker.config.json"
