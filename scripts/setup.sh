#!/usr/bin/env bash
# Sets up this machine for HBroker from nothing, idempotently; `npm start` and `npm test` call it.
#
# Each step checks whether its work is already done and skips it if so; a step that did work
# prints one line. Commands' own output goes to .hbroker/setup.log, shown only on failure.
set -euo pipefail

cd "$(dirname "$0")/.."
STATE=.hbroker
LOG=$STATE/setup.log
DOCKERD_LOG=/var/log/hbroker-dockerd.log
DEBIAN_PACKAGES=(docker.io runsc debootstrap iproute2 python3-venv chromium)
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
export DEBIAN_FRONTEND=noninteractive
mkdir -p "$STATE"

say() { echo "setup: $*"; }

as_root() { if [[ $EUID -eq 0 ]]; then "$@"; else sudo "$@"; fi; }

# Run a command with its chatter in the log; on failure show the end of the log.
logged() {
  echo "--- $(date -u +%FT%TZ) $*" >>"$LOG"
  if ! "$@" >>"$LOG" 2>&1; then
    say "failed: $*; last lines of $LOG:" >&2
    tail -n 40 "$LOG" >&2
    exit 1
  fi
}

# sha256 over the paths and contents of those of the given files that exist.
files_hash() {
  local f
  for f in "$@"; do
    if [[ -f $f ]]; then printf '%s %s\n' "$f" "$(sha256sum <"$f" | cut -d' ' -f1)"; fi
  done | sha256sum | cut -d' ' -f1
}

stamp_matches() { [[ -f $STATE/$1.stamp && $(<"$STATE/$1.stamp") == "$2" ]]; }
write_stamp() { echo "$2" >"$STATE/$1.stamp"; }

debian_packages() {
  local missing=() p status
  for p in "${DEBIAN_PACKAGES[@]}"; do
    status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
    [[ $status == "install ok installed" ]] || missing+=("$p")
  done
  ((${#missing[@]})) || return 0
  logged as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
  logged as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
  say "installed Debian packages ${missing[*]}"
}

node_modules() {
  local manifests=(package.json package-lock.json */package.json)
  if [[ -d node_modules ]] && stamp_matches npm "$(files_hash "${manifests[@]}")"; then return 0; fi
  logged npm install --no-audit --no-fund
  # Hash after installing: npm install itself writes package-lock.json.
  write_stamp npm "$(files_hash "${manifests[@]}")"
  say "installed node_modules (npm install)"
}

python_venv() {
  local want
  want=$(files_hash requirements-dev.txt pyproject.toml)
  if [[ -x .venv/bin/pip ]] && stamp_matches venv "$want"; then return 0; fi
  # --clear repairs a venv left without pip (python3-venv was missing when it was made).
  [[ -x .venv/bin/pip ]] || logged python3 -m venv --clear .venv
  logged .venv/bin/pip install -q --disable-pip-version-check -r requirements-dev.txt
  # The hbroker package itself (the JupyterHub shim), editable, exactly as `pip install .` builds it.
  logged .venv/bin/pip install -q --disable-pip-version-check -e .
  write_stamp venv "$want"
  say "installed .venv from requirements-dev.txt and the hbroker package"
}

# The prebuilt JupyterLab extension (labextension/hbroker/labextension), rebuilt only when its sources
# change, then copied into .venv by reinstalling the package (pip copies shared-data even when editable).
lab_extension() {
  local sources want
  mapfile -t sources < <(find labextension/src labextension/schema labextension/style schema -type f \
    -not -path '*/generated/*' -not -name '*.spec.ts' | sort)
  # Besides its own sources, the extension imports these pure modules of the service.
  want=$(files_hash labextension/package.json labextension/tsconfig.json hub-service/src/bundle/rules.ts \
    hub-service/src/jobs/states.ts hub-service/src/vetting/tables.ts "${sources[@]}")
  if [[ -f .venv/share/jupyter/labextensions/@hbroker/labextension/package.json ]] &&
    stamp_matches labextension "$want"; then return 0; fi
  logged node scripts/gen-types.mjs
  logged env PATH="$PWD/.venv/bin:$PATH" npm run build:prod --workspace labextension
  logged .venv/bin/pip install -q --disable-pip-version-check --no-deps -e .
  write_stamp labextension "$want"
  say "built the JupyterLab extension and installed it into .venv"
}

# Registers gVisor as Docker runtime "runsc", keeping whatever else daemon.json says.
gvisor_runtime() {
  local result pid i
  result=$(as_root python3 - <<'EOF'
import json, os
path = "/etc/docker/daemon.json"
want = {"path": "/usr/bin/runsc", "runtimeArgs": ["--network=none"]}
try:
    with open(path) as f:
        config = json.load(f)
except FileNotFoundError:
    config = {}
if config.get("runtimes", {}).get("runsc") == want:
    print("unchanged")
    raise SystemExit
config.setdefault("runtimes", {})["runsc"] = want
os.makedirs(os.path.dirname(path), exist_ok=True)
with open(path + ".tmp", "w") as f:
    json.dump(config, f, indent=2)
    f.write("\n")
os.replace(path + ".tmp", path)
print("changed")
EOF
  )
  [[ $result == changed ]] || return 0
  say "registered the gVisor runtime runsc in /etc/docker/daemon.json"
  pid=$(pidof -s dockerd || true)
  [[ -n $pid ]] || return 0
  # dockerd rereads its runtimes on SIGHUP; wait until it lists runsc.
  as_root kill -HUP "$pid"
  for ((i = 0; i < 20; i++)); do
    if docker info --format '{{json .Runtimes}}' 2>/dev/null | grep -q '"runsc"'; then
      say "reloaded dockerd"
      return 0
    fi
    sleep 0.5
  done
  say "dockerd did not pick up the runsc runtime; restart it" >&2
  exit 1
}

dockerd_running() {
  local i
  docker info >/dev/null 2>&1 && return 0
  if ! pidof dockerd >/dev/null; then
    # setsid: dockerd outlives this script and npm; 9>&-: it must not inherit the setup lock.
    as_root bash -c "setsid nohup dockerd >>'$DOCKERD_LOG' 2>&1 </dev/null 9>&- &"
  fi
  for ((i = 0; i < 60; i++)); do
    if docker info >/dev/null 2>&1; then
      say "started dockerd (log: $DOCKERD_LOG)"
      return 0
    fi
    sleep 1
  done
  say "dockerd did not answer within 60 s; last lines of $DOCKERD_LOG:" >&2
  as_root tail -n 20 "$DOCKERD_LOG" >&2 || true
  exit 1
}

base_image() {
  HBROKER_LOG_PREFIX=setup bash scripts/base-image.sh >/dev/null
}

main() {
  # One setup at a time: npm start and npm test may both run it on a fresh machine.
  exec 9>"$STATE/setup.lock"
  flock 9
  debian_packages
  node_modules
  python_venv
  lab_extension
  gvisor_runtime
  dockerd_running
  base_image
}

main "$@"
