#!/usr/bin/env bash
# npm start: set up what is missing, then run the local stack in the foreground: JupyterHub (with
# configurable-http-proxy) on 127.0.0.1:8000, and HBroker as its managed service via the shim.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
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
exchange_dir=$HBROKER_STACK_DIR/dev-exchange
exchange_info=$HBROKER_STACK_DIR/dev-exchange.json
rm -f "$exchange_info"
HBROKER_DEV_EXCHANGE_PASSWORD=$HBROKER_DEMO_PASSWORD node hub-service/bin/hbroker.js dev-exchange \
  --port 8002 --state-dir "$exchange_dir" --json > "$exchange_info" &
exchange_pid=$!
trap 'kill $exchange_pid 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do [ -s "$exchange_info" ] && break; sleep 0.2; done
[ -s "$exchange_info" ] || { echo "the dev exchange did not start" >&2; exit 1; }
export HBROKER_JHE_URL=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["url"])' "$exchange_info")
# The product's default policy (one checker decides every output); HBROKER_RELEASE_POLICY=auto npm start
# releases what passes every check and lets authors ask a checker about the rest.
release_policy=${HBROKER_RELEASE_POLICY:-one}
bash scripts/dev-config.sh "$HBROKER_STACK_DIR" 0 "$release_policy" "$HBROKER_JHE_URL" \
  "$exchange_dir/partner-private-keyset.json" > /dev/null
# Give the demo researchers the example notebook and its synthetic study to start from.
for user in researcher researcher2; do
  [ -d "$HBROKER_STACK_DIR/home/$user/examples" ] || { mkdir -p "$HBROKER_STACK_DIR/home/$user" && cp -r examples "$HBROKER_STACK_DIR/home/$user/"; }
done
cat <<TXT

HBroker local stack
  JupyterHub:  http://127.0.0.1:8000  (users: researcher, researcher2, checker1, checker2, admin)
  sign in:     through the dev exchange (DEV ONLY) at $HBROKER_JHE_URL
  password:    $HBROKER_DEMO_PASSWORD  (kept in .hbroker/stack/password)
  studies:     30001 Cardio demo, 30002 Glucose demo (encrypted in the exchange; synthetic in your server)
  HBroker:     http://127.0.0.1:8000/services/hbroker/  (API under api/v1; release policy "$release_policy")
  submit:      open examples/jhe-heart-rate/analysis.ipynb and click "Submit for sensitive run" (study 30001),
               or in a terminal:  node $PWD/hub-service/bin/hbroker.js submit \\
                 examples/jhe-heart-rate/analysis.ipynb --study 30001 -o summary.csv --wait
  stop:        Ctrl-C

TXT
cd "$HBROKER_STACK_DIR"
"$HBROKER_REPO/.venv/bin/jupyterhub" -f "$HBROKER_REPO/binder/jupyterhub_config.py"
