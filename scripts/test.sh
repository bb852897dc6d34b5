#!/usr/bin/env bash
# The whole test suite (README: `npm test`). Installs and builds what it needs first, so it
# passes on a fresh machine: scripts/setup.sh, the addon, the Go libraries and test fixtures.
#
#   scripts/test.sh            everything
#   scripts/test.sh suites     only node --test and bun test, on what is already built and set up
#                              (the macOS CI jobs: their darwin packages come built from linux)
set -euo pipefail
cd "$(dirname "$0")/.."
log() { printf '\n== %s\n' "$*"; }

case "${1:-}" in
  suites) only_suites=1 ;;
  '') only_suites=0 ;;
  *) echo "usage: scripts/test.sh [suites]" >&2; exit 2 ;;
esac

if ((!only_suites)); then
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
fi

summary=$(mktemp)
trap 'rm -f "$summary"' EXIT
log "node --test"
node --test --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=tap --test-reporter-destination="$summary" __test__/*.test.js
# awk, not grep -P: macOS's grep has no -P.
node_pass=$(awk '/^# pass /{print $3}' "$summary"); node_fail=$(awk '/^# fail /{print $3}' "$summary")

log "bun test ($(.tools/bin/bun --version))"
.tools/bin/bun test ./__test__/ 2>&1 | tee "$summary"
bun_pass=$(awk 'NF == 2 && $2 == "pass" {print $1}' "$summary"); bun_fail=$(awk 'NF == 2 && $2 == "fail" {print $1}' "$summary")

log "totals: node $node_pass passed / $node_fail failed, bun $bun_pass passed / $bun_fail failed"
echo "tests: $((node_pass + bun_pass)) passed, $((node_fail + bun_fail)) failed"
