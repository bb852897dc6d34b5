#!/usr/bin/env bash
# Builds what a platform package holds, into npm/<triple>/: the napi-rs addon
# (asherah-warmup.<triple>.node), the go-warmup library for that platform and a SHA256SUMS
# listing it. The same layout serves the checkout (lib/binding.js falls back to it) and `npm pack`.
#
#   scripts/build.sh [x64|arm64|all]     (default: x64, this machine)
set -euo pipefail
cd "$(dirname "$0")/.."

case "${1:-x64}" in
  x64) arches=(x64) ;;
  arm64) arches=(arm64) ;;
  all) arches=(x64 arm64) ;;
  *) echo "usage: scripts/build.sh [x64|arm64|all]" >&2; exit 2 ;;
esac

declare -A rust_target=([x64]=x86_64-unknown-linux-gnu [arm64]=aarch64-unknown-linux-gnu)
go_targets=()
for arch in "${arches[@]}"; do go_targets+=("linux-$arch"); done
bash scripts/build-go.sh "${go_targets[@]}"

for arch in "${arches[@]}"; do
  triple="linux-$arch-gnu"
  out="npm/$triple"
  lib="go-warmup-linux-$arch.so"
  mkdir -p "$out"
  npx --no-install napi build --platform --release --target "${rust_target[$arch]}" \
    --output-dir "$out" --no-js --dts ../../generated/binding.d.ts >/dev/null
  cp dist/go-warmup/"$lib" "$out/$lib"
  grep " \./$lib\$" dist/go-warmup/SHA256SUMS >"$out/SHA256SUMS"
done
