#!/usr/bin/env bash
# `npm test`: every check and every test of Studios, with its own set-up.
#   1. dependencies: npm ci when node_modules is missing
#   2. system parts the tests use for real: Chromium, a Docker engine, the Studio base image
#      (installed/started/built as root on Debian; elsewhere it says what is missing)
#   3. through turbo: Biome lint+format, TypeScript, import cycles, the layering check
#      (tools/check-layers), unit+integration tests
#   4. the production web build and the Playwright end-to-end specs in real Chromium
# It ends with one line "tests: N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
export TURBO_TELEMETRY_DISABLED=1 TURBO_NO_UPDATE_NOTIFIER=1 NEXT_TELEMETRY_DISABLED=1
started=$(date +%s)
phase() { echo; echo "=== $* ($(($(date +%s) - started)) s)"; }

phase "dependencies"
if [ ! -d node_modules/.bin ] || [ ! -x node_modules/.bin/turbo ]; then npm ci --no-audit --no-fund; fi

phase "system set-up: chromium, docker, studio image, local runtime user, OpenSSH tools"
bash scripts/setup/ensure-chromium.sh
bash scripts/setup/ensure-docker.sh
bash scripts/setup/ensure-images.sh
bash scripts/setup/ensure-local-user.sh
bash scripts/setup/ensure-ssh-tools.sh

summary=$(mktemp /tmp/studios-test-summary.XXXXXX)
export STUDIOS_TEST_SUMMARY=$summary
reporters=(--reporter=default --reporter="$root/scripts/vitest-summary-reporter.ts")
status=0

phase "static checks: lint, types, import cycles, layering"
npx turbo run lint cycles typecheck layers --continue --output-logs=errors-only || status=1

phase "unit and integration tests"
npx turbo run test --concurrency=1 --continue -- "${reporters[@]}" || status=1

phase "web build and end-to-end tests in Chromium"
npx turbo run e2e --output-logs=full -- "${reporters[@]}" || status=1

phase "summary"
passed=0 failed=0 skipped=0
while read -r _dir p f s; do
  passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
done <"$summary"
rm -f "$summary"
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo "took $(($(date +%s) - started)) s"
echo "tests: $passed passed, $failed failed, $skipped skipped"
exit "$status"
