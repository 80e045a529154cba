#!/usr/bin/env bash
# npm start: set up what is missing, then run the local stack in the foreground: JupyterHub (with
# configurable-http-proxy) on 127.0.0.1:8000, and HBroker as its managed service via the shim.
# Each step says what it does; the hub's own output goes to .hbroker/stack/hub.log, and the banner
# (URL, users, password) is the last thing printed, once the hub answers.
set -euo pipefail
cd "$(dirname "$0")/.."
step() { echo "start: $*"; }
step "[1/5] checking the machine set-up (Docker, run image, Python and npm packages; details in .hbroker/setup.log)"
bash scripts/setup.sh
step "[2/5] building the service"
npm run --silent build
export HBROKER_REPO=$PWD HBROKER_STACK_DIR=$PWD/.hbroker/stack
mkdir -p "$HBROKER_STACK_DIR/home"
if [ ! -s "$HBROKER_STACK_DIR/password" ]; then
  (umask 077 && head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$HBROKER_STACK_DIR/password")
fi
export HBROKER_DEMO_PASSWORD=$(cat "$HBROKER_STACK_DIR/password")
# auth_state (the users' JHE tokens) is encrypted at rest with this key.
if [ ! -s "$HBROKER_STACK_DIR/crypt_key" ]; then
  (umask 077 && head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$HBROKER_STACK_DIR/crypt_key")
fi
export JUPYTERHUB_CRYPT_KEY=$(cat "$HBROKER_STACK_DIR/crypt_key")

# The dev exchange (DEV ONLY) stands in for a JupyterHealth Exchange: users log in through it, and its
# demo studies are CommonHealth-encrypted to the partner key the service holds.
step "[3/5] starting the dev exchange (DEV ONLY) on 127.0.0.1:8002"
exchange_dir=$HBROKER_STACK_DIR/dev-exchange
exchange_info=$HBROKER_STACK_DIR/dev-exchange.json
rm -f "$exchange_info"
exchange_log=$HBROKER_STACK_DIR/dev-exchange.log
HBROKER_DEV_EXCHANGE_PASSWORD=$HBROKER_DEMO_PASSWORD node hub-service/bin/hbroker.js dev-exchange \
  --port 8002 --state-dir "$exchange_dir" --json \
  --client hbroker-demo-hub=http://127.0.0.1:8000/hub/oauth_callback > "$exchange_info" 2>"$exchange_log" &
exchange_pid=$!
trap 'kill $exchange_pid 2>/dev/null || true' EXIT
# It says where it listens once it does; on a busy machine that can take a while.
for _ in $(seq 1 600); do
  [ -s "$exchange_info" ] || ! kill -0 $exchange_pid 2>/dev/null && break
  sleep 0.2
done
if [ ! -s "$exchange_info" ]; then
  echo "start: the dev exchange did not start; what it printed ($exchange_log):" >&2
  tail -n 20 "$exchange_log" >&2
  exit 1
fi
export HBROKER_JHE_URL=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["url"])' "$exchange_info")
step "[4/5] writing the service config and the demo users' folders"
# The product's default policy (one checker decides every output); HBROKER_RELEASE_POLICY=auto npm start
# releases what passes every check and lets authors ask a checker about the rest.
release_policy=${HBROKER_RELEASE_POLICY:-one}
bash scripts/dev-config.sh "$HBROKER_STACK_DIR" 0 "$release_policy" "$HBROKER_JHE_URL" \
  "$exchange_dir/partner-private-keyset.json" > /dev/null
# Give the demo researchers the example notebook and its synthetic study to start from.
# (Hub user names are the JHE emails.)
for user in researcher@example.org researcher2@example.org; do
  [ -d "$HBROKER_STACK_DIR/home/$user/examples" ] || { mkdir -p "$HBROKER_STACK_DIR/home/$user" && cp -r examples "$HBROKER_STACK_DIR/home/$user/"; }
done
hub_log=$HBROKER_STACK_DIR/hub.log
step "[5/5] starting JupyterHub on 127.0.0.1:8000 (its log: ${hub_log#"$PWD"/})"
cd "$HBROKER_STACK_DIR"
"$HBROKER_REPO/.venv/bin/jupyterhub" -f "$HBROKER_REPO/binder/jupyterhub_config.py" >"$hub_log" 2>&1 &
hub_pid=$!
trap 'kill $hub_pid 2>/dev/null || true; wait $hub_pid 2>/dev/null || true; kill $exchange_pid 2>/dev/null || true' EXIT
trap 'exit 130' INT TERM
# Ready when the hub and the service both answer through the proxy (the service's health says
# "status" whether every check is ok or not; the proxy's own error page does not).
waited=0
health=''
until curl -fs -o /dev/null http://127.0.0.1:8000/hub/api/ &&
  health=$(curl -s http://127.0.0.1:8000/services/hbroker/health) && [[ $health == *'"status"'* ]]; do
  if ! kill -0 $hub_pid 2>/dev/null; then
    echo "start: JupyterHub stopped while starting; the end of $hub_log:" >&2
    tail -n 30 "$hub_log" >&2
    exit 1
  fi
  sleep 1
  waited=$((waited + 1))
  if ((waited % 10 == 0)); then step "      still starting (${waited}s)"; fi
  if ((waited > 300)); then
    echo "start: JupyterHub did not answer within 5 minutes; the end of $hub_log:" >&2
    tail -n 30 "$hub_log" >&2
    exit 1
  fi
done
if [[ $health != *'"status":"ok"'* ]]; then
  step "the service answers but a check is not ok: $health (node hub-service/bin/hbroker.js doctor says more)"
fi
cat <<TXT

HBroker local stack
  JupyterHub:  http://127.0.0.1:8000  (users: researcher, researcher2, checker1, checker2, admin)
  sign in:     through the dev exchange (DEV ONLY) at $HBROKER_JHE_URL, as e.g. researcher;
               your hub name is your JHE email (researcher@example.org)
  password:    $HBROKER_DEMO_PASSWORD  (kept in .hbroker/stack/password)
  studies:     30001 Cardio demo, 30002 Glucose demo (encrypted in the exchange; synthetic in your server)
  HBroker:     http://127.0.0.1:8000/services/hbroker/  (API under api/v1; release policy "$release_policy")
  submit:      open examples/jhe-heart-rate/analysis.ipynb and click "Submit for sensitive run" (study 30001),
               or in a terminal:  node $HBROKER_REPO/hub-service/bin/hbroker.js submit \\
                 examples/jhe-heart-rate/analysis.ipynb --study 30001 -o summary.csv --wait
  hub log:     $hub_log
  stop:        Ctrl-C

TXT
wait $hub_pid
