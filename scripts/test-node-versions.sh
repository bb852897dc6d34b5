#!/usr/bin/env bash
# The package under every Node it claims (package.json engines: >=18.17): each of NODE_VERSIONS in
# scripts/versions.env, installed by scripts/setup.sh as .tools/bin/node-<v>, through the public
# surface only (linux: it reads /proc/self/maps):
#   - require() of this checkout, then warmup() and status(): Node's no-op path, nothing native mapped
#     (no .node file, no go-warmup library);
#   - ESM named imports of warmup, status, plan, repairSignals and codes (the package by its name,
#     through its exports map) are functions and an object, nothing native mapped;
#   - `asherah-warmup doctor --json` exits 0 and prints JSON;
#   - tsc -p __test__/types (the shipped types), run by that Node.
# The versions run side by side; prints PASS/FAIL per version and exits non-zero if any failed.
#
#   scripts/test-node-versions.sh
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
source scripts/versions.env
# The package's own settings would change what it does: every check runs with none of them.
while read -r name; do unset "$name"; done < <(compgen -e | grep -E '^(ASHERAH_|NODE_OPTIONS$|NODE_DEBUG$)' || true)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/app/node_modules"
ln -s "$root" "$work/app/node_modules/asherah-warmup"

# Fails naming what was mapped; shared by both probes.
cat >"$work/app/no-native.cjs" <<'EOF'
'use strict'
module.exports = (what) => {
  const mapped = require('node:fs').readFileSync('/proc/self/maps', 'utf8').split('\n')
    .map((l) => l.slice(l.indexOf('/'))).filter((p) => /\.node$|go-warmup/.test(p))
  if (mapped.length) throw new Error(`${what} mapped native files: ${[...new Set(mapped)].join(', ')}`)
}
EOF
cat >"$work/app/require.cjs" <<'EOF'
'use strict'
const w = require('asherah-warmup')
w.warmup()
w.status()
require('./no-native.cjs')('require, warmup() and status() under Node')
EOF
cat >"$work/app/import.mjs" <<'EOF'
import { codes, plan, repairSignals, status, warmup } from 'asherah-warmup'
import noNative from './no-native.cjs'

const kinds = [warmup, status, plan, repairSignals, codes].map((v) => typeof v).join(' ')
if (kinds !== 'function function function function object') throw new Error(`named imports gave: ${kinds}`)
noNative('the ESM named imports')
EOF
cat >"$work/app/json.cjs" <<'EOF'
'use strict'
if (typeof JSON.parse(require('node:fs').readFileSync(0, 'utf8')) !== 'object') throw new Error('doctor --json printed no JSON object')
EOF

check() { # version: runs the four checks under that Node, stops at the first failure
  local v=$1 node=$root/.tools/bin/node-$1 start=$SECONDS
  [ -x "$node" ] || { echo "$node missing: run scripts/setup.sh"; return 1; }
  [ "$("$node" --version)" = "v$v" ] || { echo "$node is $("$node" --version), not v$v: run scripts/setup.sh"; return 1; }
  (cd "$work/app" && timeout 60 "$node" require.cjs && timeout 60 "$node" import.mjs) || return 1
  timeout 60 "$node" bin/asherah-warmup.js doctor --json >"$work/doctor-$v.json" ||
    { echo "doctor --json exited $?:"; cat "$work/doctor-$v.json"; return 1; }
  "$node" "$work/app/json.cjs" <"$work/doctor-$v.json" || return 1
  timeout 120 "$node" node_modules/typescript/bin/tsc -p __test__/types || return 1
  echo "$((SECONDS - start))s"
}

for v in $NODE_VERSIONS; do
  check "$v" >"$work/$v.log" 2>&1 &
  pids+=("$!")
done
failed=0 i=0
for v in $NODE_VERSIONS; do
  if wait "${pids[$i]}"; then
    printf 'PASS  node %-8s %s (require: no native file; ESM named imports; doctor --json; tsc)\n' "$v" "$(tail -n1 "$work/$v.log")"
  else
    printf 'FAIL  node %s\n%s\n' "$v" "$(cat "$work/$v.log")"
    failed=$((failed + 1))
  fi
  i=$((i + 1))
done
((failed == 0)) || { echo "test-node-versions: $failed of $i Node versions FAILED"; exit 1; }
echo "test-node-versions: all $i Node versions passed"
