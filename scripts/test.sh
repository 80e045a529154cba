#!/usr/bin/env bash
# npm test: set up what is missing, check types and style, run every suite, print one total line.
set -uo pipefail
cd "$(dirname "$0")/.."
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
bash scripts/setup.sh || { echo "setup failed"; echo "0 passed, 1 failed"; exit 1; }

results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT
status=0

step() { # name, command...: a check that is not a test suite but must pass
  local name=$1; shift
  echo "== $name"
  if ! "$@"; then echo "== $name FAILED"; status=1; fi
}

step "build (types and the hbroker command)" npm run --silent build
step "typecheck" npx --no-install tsc -p hub-service/tsconfig.json
step "typecheck tests" npx --no-install tsc -p test/tsconfig.json
step "typecheck lab extension" npx --no-install tsc -p labextension/tsconfig.test.json
step "typecheck UI tests" npx --no-install tsc -p ui-tests/tsconfig.json
step "lint" npx --no-install eslint .
step "format" npx --no-install prettier --check --log-level warn .

node_suite() { # name, files...
  local name=$1; shift
  echo "== $name"
  node --import tsx --test --test-concurrency=1 \
    --test-reporter=spec --test-reporter-destination=stdout \
    --test-reporter=tap --test-reporter-destination="$results/$name.tap" "$@" || status=1
}

node_suite unit $(git ls-files -co --exclude-standard 'hub-service/src/*.test.ts' 'hub-service/src/**/*.test.ts')
node_suite integration test/*.test.ts

echo "== python"
.venv/bin/python -m pytest -q -p no:cacheprovider hub-service/runner spawner-shim 2>&1 | tee "$results/python.txt"
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1

echo "== lab extension (jest)"
(cd labextension && npx --no-install jest --ci --json --outputFile="$results/jest.json") || status=1

echo "== ui (Galata in Chromium against a real JupyterHub; see ui-tests/README.md)"
(cd ui-tests && PLAYWRIGHT_JSON_OUTPUT_NAME="$results/ui.json" \
  npx --no-install playwright test --reporter=list,json) || status=1

python3 - "$results" "$status" <<'PY'
import pathlib, re, sys
passed = failed = skipped = 0
root = pathlib.Path(sys.argv[1])
for tap in root.glob("*.tap"):
    text = tap.read_text()
    get = lambda key: sum(int(m) for m in re.findall(rf"^# {key} (\d+)$", text, re.M))
    passed += get("pass"); failed += get("fail") + get("cancelled"); skipped += get("skipped") + get("todo")
py = (root / "python.txt").read_text() if (root / "python.txt").exists() else ""
for n, word in re.findall(r"(\d+) (passed|failed|skipped|error|errors)", py.splitlines()[-1] if py.strip() else ""):
    if word == "passed": passed += int(n)
    elif word == "skipped": skipped += int(n)
    else: failed += int(n)
ui = root / "ui.json"  # Playwright's JSON report; errors outside tests (e.g. the global setup) fail too
if ui.exists():
    import json
    report = json.loads(ui.read_text())
    stats = report.get("stats", {})
    passed += stats.get("expected", 0) + stats.get("flaky", 0)
    failed += stats.get("unexpected", 0) + len(report.get("errors", []))
    skipped += stats.get("skipped", 0)
jest = root / "jest.json"  # jest's --json summary; a suite that fails to load counts as a failure
if jest.exists():
    import json
    summary = json.loads(jest.read_text())
    passed += summary["numPassedTests"]
    failed += summary["numFailedTests"] + summary.get("numRuntimeErrorTestSuites", 0)
    skipped += summary["numPendingTests"] + summary.get("numTodoTests", 0)
if passed + failed == 0:
    print("no test was executed")
if sys.argv[2] != "0" and failed == 0:
    failed = 1  # a check outside the suites failed (types, lint, format)
print(f"{passed} passed, {failed} failed" + (f", {skipped} skipped" if skipped else ""))
sys.exit(1 if failed else 0)
PY
