#!/usr/bin/env bash
# Builds the native test fixtures (sources in __test__/fixtures/) with the pinned Go and a real C
# compiler, for one architecture of this machine's OS (linux, or macOS for its CI jobs):
#
#   scripts/build-fixtures.sh [--arch x64|arm64]      (default x64; arm64 cross-builds)
#
# Into build/fixtures/<arch>/:
#   go-warmup-counting.so      Warmup appends "<pid>\n" to $ASHERAH_WARMUP_TEST_COUNT_FILE, returns 1
#   go-warmup-no-symbol.so     exports NotWarmup only
#   go-warmup-bad-result.so    Warmup returns 0
#   node_modules/asherah/      stand-in for an installed asherah-node: package.json, index.js,
#                              build/asherah.node (N-API addon + Go c-archive), and lib/ with the
#                              release library and its sums file from dist/go-warmup
#   init-throws/asherah.node   the same Go c-archive under an N-API init that throws once Go has
#                              started (napi/init-throws.c): an asherah.node whose init fails
# (The .so names are the tests' own on macOS too: dlopen does not care.) Also runs
# scripts/build-go.sh (this OS's two release libraries) so dist/go-warmup is current.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/native.sh
source "$(dirname "$0")/lib/native.sh"

usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0" >&2; exit "${1:-2}"; }

arch=x64
while (($#)); do
  case "$1" in
    --arch) (($# >= 2)) || usage; arch=$2; shift 2 ;;
    --arch=*) arch=${1#--arch=}; shift ;;
    -h | --help) usage 0 ;;
    *) printf 'build-fixtures.sh: unknown argument %s\n' "$1" >&2; usage ;;
  esac
done
case "$arch" in x64 | arm64) ;; *) printf 'build-fixtures.sh: --arch must be x64 or arm64\n' >&2; exit 2 ;; esac
case "$(uname -s)" in
  Linux) os=linux link=(-lpthread -lresolv) ;;
  # The stand-in's Go c-archive uses crypto/x509, which on macOS links the system's trust store.
  Darwin) os=darwin link=(-lresolv -framework Security -framework CoreFoundation) ;;
  *) native_die "no fixtures for $(uname -s)" ;;
esac

target="$os-$arch"
src="$NATIVE_ROOT/__test__/fixtures"
out="$NATIVE_ROOT/build/fixtures/$arch"
dist="$NATIVE_ROOT/dist/go-warmup"
native_go >/dev/null
mkdir -p "$out"

# The release libraries, as asherah-node downloads them (the Go build cache makes this quick).
"$NATIVE_ROOT/scripts/build-go.sh" --out "$dist" "$os-x64" "$os-arm64"

go_c_shared "$target" "$src" "$out/go-warmup-counting.so" ./counting
go_c_shared "$target" "$src" "$out/go-warmup-no-symbol.so" ./no-warmup
go_c_shared "$target" "$src" "$out/go-warmup-bad-result.so" ./bad-result

# asherah.node stand-in: Go c-archive + C N-API glue, linked the way node-gyp links libasherah.a.
obj="$out/obj"
go_c_archive "$target" "$src" "$obj/libstandin.a" ./asherah-standin
pkg="$out/node_modules/asherah"
mkdir -p "$pkg/build" "$pkg/lib"
napi_c_addon "$target" "$pkg/build/asherah.node" "$src/asherah-standin/napi/addon.c" -- \
  -I"$obj" "$obj/libstandin.a" "${link[@]}"
napi_c_addon "$target" "$out/init-throws/asherah.node" "$src/asherah-standin/napi/init-throws.c" -- \
  -I"$obj" "$obj/libstandin.a" "${link[@]}"

# The rest of the installed package, each file replaced atomically.
install_file() { # SRC DEST
  local tmp
  tmp="$(mktemp "$(dirname "$2")/.tmp-$(basename "$2").XXXXXX")"
  cp "$1" "$tmp"
  chmod 644 "$tmp"
  mv -f "$tmp" "$2"
}
install_file "$src/asherah-standin/npm/package.json" "$pkg/package.json"
install_file "$src/asherah-standin/npm/index.js" "$pkg/index.js"
IFS=$'\t' read -r _ _ _ _ _ lib sums < <(native_platform_row "$target")
install_file "$dist/$lib" "$pkg/lib/$lib"
install_file "$dist/$sums" "$pkg/lib/$sums"
grep -qxF "$(native_sha256 "$pkg/lib/$lib")  ./$lib" "$pkg/lib/$sums" ||
  native_die "$pkg/lib/$lib does not match lib/$sums"
