#!/usr/bin/env bash
# npm start: set up what is missing, then run the local stack in the foreground: JupyterHub (with
# configurable-http-proxy) on 127.0.0.1:8000, and HBroker as its managed service via the shim.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
npm run --silent build
export HBROKER_REPO=$PWD HBROKER_STACK_DIR=$PWD/.hbroker/stack
mkdir -p "$HBROKER_STACK_DIR/home"
bash scripts/dev-config.sh "$HBROKER_STACK_DIR" 0 auto > /dev/null
if [ ! -s "$HBROKER_STACK_DIR/password" ]; then
  (umask 077 && head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$HBROKER_STACK_DIR/password")
fi
export HBROKER_DEMO_PASSWORD=$(cat "$HBROKER_STACK_DIR/password")
# Give the demo researchers the example notebook and its synthetic study to start from.
for user in researcher researcher2; do
  [ -d "$HBROKER_STACK_DIR/home/$user/examples" ] || { mkdir -p "$HBROKER_STACK_DIR/home/$user" && cp -r examples "$HBROKER_STACK_DIR/home/$user/"; }
done
cat <<TXT

HBroker local stack
  JupyterHub:  http://127.0.0.1:8000  (users: researcher, researcher2, checker1, checker2, admin)
  password:    $HBROKER_DEMO_PASSWORD  (kept in .hbroker/stack/password)
  HBroker:     http://127.0.0.1:8000/services/hbroker/  (API under api/v1; release policy "auto" for the demo)
  submit:      in a researcher's terminal:  node $PWD/hub-service/bin/hbroker.js submit \\
                 examples/heart-rate/analysis.ipynb --study demo -o summary.csv heart_rate.png --wait
  stop:        Ctrl-C

TXT
cd "$HBROKER_STACK_DIR"
exec "$HBROKER_REPO/.venv/bin/jupyterhub" -f "$HBROKER_REPO/binder/jupyterhub_config.py"
