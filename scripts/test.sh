#!/usr/bin/env bash
# The whole test suite (README: `npm test`). Installs and builds what it needs first, so it
# passes on a fresh machine: scripts/setup.sh, the addon, the Go libraries and test fixtures.
set -euo pipefail
cd "$(dirname "$0")/.."
log() { printf '\n== %s\n' "$*"; }

log setup;              bash scripts/setup.sh
log build;              bash scripts/build.sh all
log fixtures;           bash scripts/build-fixtures.sh
log "rust lint";        cargo fmt --check && cargo clippy --release --quiet -- -D warnings
log "types";            npx --no-install tsc -p __test__/types
log "reproducible go";  bash scripts/check-reproducible.sh
log "arm64 (emulated)"; bash scripts/test-arm64.sh
log actionlint;         .tools/bin/actionlint

summary=$(mktemp)
trap 'rm -f "$summary"' EXIT
log "node --test"
node --test --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=tap --test-reporter-destination="$summary" __test__/*.test.js
node_pass=$(grep -oP '^# pass \K\d+' "$summary"); node_fail=$(grep -oP '^# fail \K\d+' "$summary")

log "bun test ($(.tools/bin/bun --version))"
.tools/bin/bun test ./__test__/ 2>&1 | tee "$summary"
bun_pass=$(grep -oP '^\s*\K\d+(?= pass$)' "$summary"); bun_fail=$(grep -oP '^\s*\K\d+(?= fail$)' "$summary")

log "totals: node $node_pass passed / $node_fail failed, bun $bun_pass passed / $bun_fail failed"
echo "tests: $((node_pass + bun_pass)) passed, $((node_fail + bun_fail)) failed"
