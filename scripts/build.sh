#!/usr/bin/env bash
# Builds what a platform package holds, into npm/<triple>/: the napi-rs addon
# (asherah-warmup.<triple>.node), the go-warmup library for that platform and the sums file
# listing it (SHA256SUMS on linux, SHA256SUMS-darwin on macOS, as upstream names them). The same
# layout serves the checkout (lib/binding.js falls back to it) and `npm pack` (scripts/pack.js).
#
#   scripts/build.sh [x64|arm64|all]     (default: this machine's architecture)
#
# The OS is this machine's: linux-<arch>-gnu on Linux (arm64 cross-built on x64 with
# aarch64-linux-gnu-gcc), darwin-<arch> on macOS (both arches build on either kind of Mac).
# Plain bash 3.2 (macOS's own): no associative arrays.
set -euo pipefail
cd "$(dirname "$0")/.."

case "$(uname -m)" in x86_64 | amd64) host_arch=x64 ;; arm64 | aarch64) host_arch=arm64 ;; *) host_arch=x64 ;; esac
case "${1:-$host_arch}" in
  x64) arches=(x64) ;;
  arm64) arches=(arm64) ;;
  all) arches=(x64 arm64) ;;
  *) echo "usage: scripts/build.sh [x64|arm64|all]" >&2; exit 2 ;;
esac
case "$(uname -s)" in
  Linux) os=linux ext=so sums=SHA256SUMS ;;
  Darwin) os=darwin ext=dylib sums=SHA256SUMS-darwin ;;
  *) echo "scripts/build.sh: no platform package for $(uname -s)" >&2; exit 1 ;;
esac

rust_target() { # arch
  case "$os-$1" in
    linux-x64) echo x86_64-unknown-linux-gnu ;;
    linux-arm64) echo aarch64-unknown-linux-gnu ;;
    darwin-x64) echo x86_64-apple-darwin ;;
    darwin-arm64) echo aarch64-apple-darwin ;;
  esac
}

go_targets=()
for arch in "${arches[@]}"; do go_targets+=("$os-$arch"); done
bash scripts/build-go.sh "${go_targets[@]}"

for arch in "${arches[@]}"; do
  if [ "$os" = linux ]; then triple="linux-$arch-gnu"; else triple="darwin-$arch"; fi
  out="npm/$triple"
  lib="go-warmup-$os-$arch.$ext"
  mkdir -p "$out"
  npx --no-install napi build --platform --release --target "$(rust_target "$arch")" \
    --output-dir "$out" --no-js --dts ../../generated/binding.d.ts >/dev/null
  cp dist/go-warmup/"$lib" "$out/$lib"
  grep " \./$lib\$" "dist/go-warmup/$sums" >"$out/$sums"
done
