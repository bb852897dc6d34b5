#!/usr/bin/env bash
# Builds what bench/startup.js runs, into bench/build/:
#   floor.node   the minimal C N-API addon (bench/floor/floor.c), with scripts/lib/native.sh's napi_c_addon
#   napi-floor.node  the same work from a one-function napi-rs addon (bench/napi-floor), built with
#                the addon's napi-rs, profile and toolchain: what napi-rs costs before any code of ours
#   measure      the fork/exec/wait4 wrapper that reports wall time and peak RSS (bench/floor/measure.c)
#   empty.bin    an empty file (openssl's baseline)
# and, when missing, the chart's Python (matplotlib) in .tools/bench-venv. Also builds the addon
# and the go-warmup library (scripts/build.sh) if npm/<triple>/ has not got them.
set -euo pipefail
# shellcheck source=../scripts/lib/native.sh
source "$(dirname "$0")/../scripts/lib/native.sh"
cd "$NATIVE_ROOT"

MATPLOTLIB_VERSION=3.11.2
out=bench/build
mkdir -p "$out"
case "$(uname -m)" in x86_64) arch=x64 ;; aarch64) arch=arm64 ;; *) native_die "unsupported machine $(uname -m)" ;; esac
# This machine's row of the platform table: Rust target, package triple, addon and library files.
IFS=$'\t' read -r target triple _ _ addon library _ < <(native_platform_row "linux-$arch")

if [ ! -f "npm/$triple/$addon" ] || [ ! -f "npm/$triple/$library" ]; then
  printf "bench/build.sh: %s\n" "building the addon and the go-warmup library (scripts/build.sh $arch)"
  bash scripts/build.sh "$arch"
fi

napi_c_addon "linux-$arch" "$out/floor.node" bench/floor/floor.c -- -ldl
PATH="$NATIVE_ROOT/.tools/bin:$PATH" cargo zigbuild --quiet --release --locked \
  --manifest-path bench/napi-floor/Cargo.toml --target-dir "$out/napi-floor-target" \
  --target "$target.$(native_pin GLIBC_FLOOR)"
cp "$out/napi-floor-target/$target/release/libnapi_floor.so" "$out/napi-floor.node"
"$(native_cc "linux-$arch")" -std=c11 -O2 -Wall -Wextra -o "$out/measure" bench/floor/measure.c
: >"$out/empty.bin"

venv=.tools/bench-venv
if ! "$venv/bin/python" -c "import matplotlib; assert matplotlib.__version__ == '$MATPLOTLIB_VERSION'" 2>/dev/null; then
  printf "bench/build.sh: %s\n" "matplotlib $MATPLOTLIB_VERSION into $venv (for bench/startup.png only)"
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q "matplotlib==$MATPLOTLIB_VERSION"
fi
