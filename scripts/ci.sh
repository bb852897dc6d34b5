#!/usr/bin/env bash
# `npm run ci`: everything CI runs, on a fresh machine too: set-up, all four platforms built from
# linux, lint, types, reproducibility, linux-arm64 under qemu, the workflows' lint, then `npm test`.
set -euo pipefail
cd "$(dirname "$0")/.."
log() { printf '\n== %s\n' "$*"; }

log setup;                   bash scripts/setup.sh
log "build (linux x64 + arm64, darwin x64 + arm64, all with zig)"; bash scripts/build.sh all
log fixtures;                bash scripts/build-fixtures.sh
log lint;                    bash scripts/lint.sh
log types;                   npx --no-install tsc -p __test__/types
log "generated types match the addon"
git diff --exit-code -- generated/ || { echo "generated/binding.d.ts changed with the build: commit it" >&2; exit 1; }
log "reproducible (four go-warmup libraries; darwin packages from two folders)"
bash scripts/check-reproducible.sh --packages darwin
log "arm64 (emulated)";      bash scripts/test-arm64.sh
log actionlint;              .tools/bin/actionlint
bash scripts/test.sh
