#!/usr/bin/env bash
# The whole test suite (README: `npm test`). Installs and builds what it needs first, so it
# passes on a fresh machine: scripts/setup.sh, the addon, the Go libraries and test fixtures.
set -euo pipefail
cd "$(dirname "$0")/.."
log() { printf '\n== %s\n' "$*"; }

log setup;              bash scripts/setup.sh
log "build (linux x64 + arm64, darwin x64 + arm64, all with zig)"; bash scripts/build.sh all
log fixtures;           bash scripts/build-fixtures.sh
# clippy needs no linker, so every shipped target is linted here, macOS's included.
log "rust lint";        cargo fmt --check && cargo clippy --release --quiet -- -D warnings &&
  cargo clippy --release --quiet --target aarch64-unknown-linux-gnu -- -D warnings &&
  cargo clippy --release --quiet --target x86_64-apple-darwin --target aarch64-apple-darwin -- -D warnings
log "types";            npx --no-install tsc -p __test__/types
log "reproducible (four go-warmup libraries; darwin packages from two folders)"
bash scripts/check-reproducible.sh --packages darwin
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
