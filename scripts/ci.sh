#!/usr/bin/env bash
# `npm run ci`: everything CI runs, on a fresh machine too: set-up, all four platforms built from
# linux, lint, the package and its types under every claimed Node, linux-arm64 under qemu, the
# workflows' lint and reproducibility (in the background meanwhile), then `npm test`. The stages
# that build or run arm64 code run with the host's arm64 folders hidden (scripts/hide-host-arm64.sh):
# what they use comes from setup, or they fail.
# Each stage's heading carries the time since the start.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/versions.env
log() { printf '\n== [%dm%02ds] %s\n' $((SECONDS / 60)) $((SECONDS % 60)) "$*"; }
hidden=(bash scripts/hide-host-arm64.sh)

log setup;                   bash scripts/setup.sh
# The reproducibility check builds everything twice more, from empty caches: minutes, and much of
# it on one core. It runs in the background beside the stages below (a process group of its own,
# set -m, so that an early exit stops all of it), is waited for before `npm test`, and its output
# shown then.
log "reproducible: started in the background (four go-warmup libraries; darwin packages from two folders; host arm64 folders hidden)"
repro_log=$(mktemp)
set -m
"${hidden[@]}" bash scripts/check-reproducible.sh --packages darwin >"$repro_log" 2>&1 &
repro=$!
set +m
trap 'kill -- -"$repro" 2>/dev/null || true; rm -f "$repro_log"' EXIT
log "build (linux x64 + arm64, darwin x64 + arm64, all with zig; host arm64 folders hidden)"
"${hidden[@]}" bash scripts/build.sh all
log fixtures;                bash scripts/build-fixtures.sh
log lint;                    bash scripts/lint.sh
log "generated types match the addon"
git diff --exit-code -- generated/ || { echo "generated/binding.d.ts changed with the build: commit it" >&2; exit 1; }
log "Node $NODE_VERSIONS: require, ESM named imports, doctor, types (tsc)"
bash scripts/test-node-versions.sh
log "arm64 (emulated, on .tools/arm64-sysroot; host arm64 folders hidden)"
"${hidden[@]}" bash scripts/test-arm64.sh
log actionlint;              .tools/bin/actionlint
log "reproducible: waiting for it"
status=0
wait "$repro" || status=$?
cat "$repro_log"
((status == 0)) || { echo "reproducible: FAILED (exit $status)" >&2; exit 1; }
log "npm test"
bash scripts/test.sh
