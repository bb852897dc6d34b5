#!/usr/bin/env bash
# README: `npm run demo`. Installs and builds what it needs, then runs the demo under the latest
# Bun, under Bun 1.3.14 (which would hang without the signal repair) and under Node.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/versions.env
echo "Setting up and building (output in build/demo-setup.log)..."
mkdir -p build
if ! { bash scripts/setup.sh && bash scripts/build.sh && bash scripts/build-fixtures.sh; } >build/demo-setup.log 2>&1; then
  cat build/demo-setup.log >&2
  exit 1
fi
export DEMO_FIXTURES="$PWD/build/fixtures/x64"
for bun in "bun-$BUN_LATEST" bun-1.3.14; do
  echo
  timeout 20 ".tools/bin/$bun" scripts/demo.js
done
echo
node scripts/demo.js
