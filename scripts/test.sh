#!/usr/bin/env bash
# `npm test`: the behaviour suites (cargo's unit tests, node --test and bun test) on a built
# tree. When nothing is built yet (a fresh clone), sets up and builds this platform first.
# Everything else CI runs (lint, all four platforms, reproducibility, arm64): `npm run ci`.
#
#   scripts/test.sh [TEST_FILE...]    (default: every __test__/*.test.js)
set -euo pipefail
cd "$(dirname "$0")/.."
log() { printf '\n== %s\n' "$*"; }

triple=$(node -p "require('./lib/platforms.js').packageTriple()")
if [ ! -x .tools/bin/bun ] || ! ls "npm/$triple"/*.node >/dev/null 2>&1 || [ ! -d build/fixtures ]; then
  log "nothing built yet: setup, build ($triple), fixtures"
  bash scripts/setup.sh
  bash scripts/build.sh
  bash scripts/build-fixtures.sh
fi

if (($#)); then files=("$@"); else files=(__test__/*.test.js); fi

log "cargo test (the core's unit tests)"
cargo test --quiet --lib

node_out=$(mktemp)
bun_out=$(mktemp)
summary=$(mktemp)
trap 'rm -f "$node_out" "$bun_out" "$summary"' EXIT
# The two runners run side by side, each into its own file, shown one after the other when both
# are done, and node --test runs 3 files at a time (its default, one less than the cores, is one
# at a time on 2 cores): the tests mostly wait on the processes they start, so on 2 cores this
# measured 64 s against 110 s for one runner, one file after the other.
log "node --test and bun test ($(.tools/bin/bun --version)), side by side"
node --test --test-concurrency=3 --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=tap --test-reporter-destination="$summary" "${files[@]}" >"$node_out" 2>&1 &
node_pid=$!
.tools/bin/bun test "${files[@]/#/./}" >"$bun_out" 2>&1 &
bun_pid=$!
wait "$node_pid" || true
wait "$bun_pid" || true

log "node --test"
cat "$node_out"
# awk, not grep -P: macOS's grep has no -P. Each runner's count is the last line of its kind (a
# failed test's message may quote a child's own summary). Both runners always run; the totals (and
# the exit status) count both. No count means the runner died. node --test counts apart, as
# cancelled, the tests a timed-out hook or suite never let finish: they fail too.
node_pass=$(awk '/^# pass /{n = $3} END {print n}' "$summary")
node_fail=$(awk '/^# fail /{f = $3} /^# cancelled /{c = $3} END {if (f != "") print f + c}' "$summary")
node_fail=${node_fail:-1}

log "bun test ($(.tools/bin/bun --version))"
cat "$bun_out"
count() { awk -v kind="$1" 'NF == 2 && $2 == kind {n = $1} END {print n}' "$bun_out"; }
bun_pass=$(count pass); bun_fail=$(count fail); bun_skip=$(count skip)
bun_fail=${bun_fail:-1}

# bun test skips what runs once, under node --test (__test__/helpers/suite.js `once`).
log "totals: node $node_pass passed / $node_fail failed, bun $bun_pass passed / $bun_fail failed (${bun_skip:-0} skipped: run once, under node --test)"
echo "tests: $((node_pass + bun_pass)) passed, $((node_fail + bun_fail)) failed"
[ "$((node_fail + bun_fail))" -eq 0 ]
