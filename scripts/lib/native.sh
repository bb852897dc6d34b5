# shellcheck shell=bash
# Shared build logic for the native pieces: Go c-shared / c-archive libraries built with the
# pinned toolchain, and small C N-API addons. Sourced by scripts/build-go.sh,
# scripts/build-fixtures.sh and scripts/check-reproducible.sh (and meant for the benchmark's
# minimal C addon). Functions die on error; callers run under `set -euo pipefail`.
#
# Targets are named the way the release files are: linux-x64, linux-arm64, darwin-x64,
# darwin-arm64.

NATIVE_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
NAPI_INCLUDE="$NATIVE_ROOT/node_modules/node-api-headers/include"

native_die() { printf '%s: error: %s\n' "${0##*/}" "$*" >&2; exit 1; }

# The platform table, from the one place that has it (lib/platforms.js, through
# scripts/sync-versions.js): one tab-separated line per platform package, with the columns
# napi-target triple os cpu addon library sums.
native_platforms() { node "$NATIVE_ROOT/scripts/sync-versions.js" --list; }

# Every target's name (os-cpu, as linux-x64), one a line.
native_targets() { native_platforms | awk -F'\t' '{ print $3 "-" $4 }'; }

# native_platform_row TARGET: the row of TARGET (os-cpu), or dies naming the known targets.
native_platform_row() {
  local row
  row="$(native_platforms | awk -F'\t' -v t="$1" '$3 "-" $4 == t')"
  [ -n "$row" ] || native_die "unknown target '$1' (want one of: $(native_targets | paste -sd' '))"
  printf '%s\n' "$row"
}

# native_platform_column TARGET N: column N of the row of TARGET, or dies.
native_platform_column() { native_platform_row "$1" | cut -f"$2"; }

# Prints the pinned go binary, or dies telling how to get it.
native_go() {
  local go="$NATIVE_ROOT/.tools/bin/go"
  [ -x "$go" ] || native_die "Go not found at $go: run scripts/setup.sh first"
  local want have
  want="$(native_pin GO_VERSION)"
  have="$("$go" version 2>/dev/null || true)"
  [[ "$have" == "go version go$want "* ]] ||
    native_die "$go is not go$want (scripts/versions.env): run scripts/setup.sh"
  printf '%s\n' "$go"
}

# A pin of scripts/versions.env: GO_VERSION, or the floors every release binary is built for (the
# oldest glibc a linux file may ask for, GLIBC_FLOOR, and the macOS version a darwin file declares
# as its minimum in LC_BUILD_VERSION, MACOS_MIN).
native_pin() {
  sed -n "s/^$1=\([^ #]*\).*/\1/p" "$NATIVE_ROOT/scripts/versions.env"
}

# The pinned zig (PyPI ziglang, installed by scripts/setup.sh), or dies telling how to get it.
native_zig() {
  local zig="$NATIVE_ROOT/.tools/bin/zig"
  [ -x "$zig" ] || native_die "zig not found at $zig: run scripts/setup.sh"
  printf '%s\n' "$zig"
}

# zig's name for TARGET: the architecture, and the floor in the target itself, so that zig links
# against glibc 2.17's symbol versions or stamps minos 12.0 whatever this machine runs.
native_zig_target() {
  local arch
  case "$1" in
    *-x64) arch=x86_64 ;;
    *-arm64) arch=aarch64 ;;
    *) native_die "unknown target '$1' (want one of: $(native_targets | paste -sd' '))" ;;
  esac
  case "$1" in
    linux-*) echo "$arch-linux-gnu.$(native_pin GLIBC_FLOOR)" ;;
    darwin-*) echo "$arch-macos.$(native_pin MACOS_MIN)" ;;
    *) native_die "unknown target '$1' (want one of: $(native_targets | paste -sd' '))" ;;
  esac
}

# The C compiler that targets TARGET from any host: `zig cc -target <zig target>`, behind a
# one-line wrapper in .tools/zig-cc/ so callers get a single path (Go's CC, "$(native_cc ...)" in
# bench/build.sh). One compiler for every target and host: the same bytes whether a Go library
# is built on linux or on a Mac, no cross gcc, no macOS SDK, and the glibc/macOS floors above.
#
# One exception: a darwin target on a Mac uses Apple's clang and the SDK. Only the test fixtures
# are built there (the release builds every file on linux), and the asherah.node stand-in links
# a Go c-archive that needs libresolv and the Security / CoreFoundation frameworks, which zig's
# bundled macOS stubs do not have. Untested here (no Mac): exercised by the macOS CI jobs.
native_cc() {
  local zig ztarget wrapper body tmp
  if [ "$(uname -s)" = Darwin ]; then
    case "$1" in
      darwin-x64) echo "xcrun clang -arch x86_64 -mmacosx-version-min=$(native_pin MACOS_MIN)"; return ;;
      darwin-arm64) echo "xcrun clang -arch arm64 -mmacosx-version-min=$(native_pin MACOS_MIN)"; return ;;
    esac
  fi
  zig="$(native_zig)" || return 1
  ztarget="$(native_zig_target "$1")" || return 1
  wrapper="$NATIVE_ROOT/.tools/zig-cc/$ztarget"
  # zig cc compiling stdin (Go's compiler probes: `-### -x c -c -`, `... - -o /dev/null`) writes
  # `-.o` into the current folder, which under go build is the package's source folder: such calls
  # run in a throw-away folder (Go gives them no relative paths).
  local zq
  zq="$(printf %q "$zig")"
  body="#!/bin/sh
# $ztarget: written by scripts/lib/native.sh
case \" \$* \" in
  *\" - \"*)
    d=\$(mktemp -d) || exit 1
    (cd \"\$d\" && $zq cc -target $ztarget \"\$@\"); s=\$?
    rm -rf \"\$d\"; exit \$s ;;
esac
exec $zq cc -target $ztarget \"\$@\""
  if [ ! -x "$wrapper" ] || [ "$(cat "$wrapper")" != "$body" ]; then
    mkdir -p "$(dirname "$wrapper")"
    tmp="$(mktemp "$wrapper.XXXXXX")"
    printf '%s\n' "$body" >"$tmp"
    chmod 755 "$tmp"
    mv -f "$tmp" "$wrapper"
  fi
  printf '%s\n' "$wrapper"
}

# Runs a go command for TARGET in an environment that only the arguments decide: the user's
# GOFLAGS, go env file, go.work, GOEXPERIMENT, CGO_* flags and microarchitecture levels are
# replaced by fixed values, so two machines with the same Go and C compiler get the same bytes.
# Usage: native_go_run TARGET go-args...
native_go_run() {
  local target=$1; shift
  local go cc goos goarch
  # `|| return`: callers often run this under `if !`, where set -e does not apply.
  go="$(native_go)" || return 1
  cc="$(native_cc "$target")" || return 1
  command -v "${cc%% *}" >/dev/null || native_die "C compiler '$cc' for $target not found: run scripts/setup.sh"
  goos="${target%-*}"
  case "${target#*-}" in x64) goarch=amd64 ;; *) goarch=arm64 ;; esac
  # GOENV=off ignores `go env -w` settings; GOPROXY=off because nothing here has dependencies.
  env -u GOEXPERIMENT -u GOROOT -u GOBIN -u GODEBUG \
    LC_ALL=C GOENV=off GOTOOLCHAIN=local GOFLAGS= GOWORK=off GO111MODULE=on GOPROXY=off \
    GOOS="$goos" GOARCH="$goarch" GOAMD64=v1 GOARM64=v8.0 \
    CGO_ENABLED=1 CC="$cc" CGO_CFLAGS='-O2 -g' CGO_CPPFLAGS= CGO_CXXFLAGS= CGO_LDFLAGS= \
    MACOSX_DEPLOYMENT_TARGET="$(native_pin MACOS_MIN)" \
    "$go" "$@"
}

# The flags of every release-shaped build: no paths, no VCS stamp, no symbols, no build id.
NATIVE_GO_FLAGS=(-trimpath -buildvcs=false "-ldflags=-s -w -buildid=")

# Atomic write helper: makes a private folder next to OUT and prints it. The file is built there
# under its final base name (a darwin dylib records its own file name as its install name), then
# moved over OUT with a rename on the same filesystem.
native_tmpdir_for() {
  local out=$1
  mkdir -p "$(dirname "$out")"
  mktemp -d "$(dirname "$out")/.tmp-$(basename "$out").XXXXXX"
}

# Fails (status 1, with a message) if FILE contains any of the given absolute paths: a build
# path in the output would make it differ from folder to folder.
native_assert_no_paths() {
  local file=$1; shift
  local p
  for p in "$@"; do
    case "$p" in '' | /) continue ;; esac
    if LC_ALL=C grep -aqF -- "$p" "$file"; then
      printf '%s: error: %s contains the build path %s (not reproducible)\n' "${0##*/}" "$file" "$p" >&2
      return 1
    fi
  done
}

# Builds the Go package PKG of the module in SRC_DIR with -buildmode=MODE for TARGET, into a new
# temporary folder beside OUT (same file system, so the caller's final mv is atomic), under OUT's
# file name; prints that folder. Go's output goes to stderr.
go_build_into_tmp() {
  local mode=$1 target=$2 src=$3 out=$4 pkg=$5 tmp
  tmp="$(native_tmpdir_for "$out")"
  if ! (cd "$src" && native_go_run "$target" build -buildmode="$mode" "${NATIVE_GO_FLAGS[@]}" -o "$tmp/$(basename "$out")" "$pkg") >&2; then
    rm -rf "$tmp"
    native_die "go build -buildmode=$mode failed for $target ($src $pkg)"
  fi
  echo "$tmp"
}

# OUT as an absolute path, its folder created.
native_abs_out() {
  mkdir -p "$(dirname "$1")"
  echo "$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
}

# Repairs what zig's Mach-O linker leaves nondeterministic in a darwin FILE (scripts/lib/macho.js,
# normalize()); nothing for other targets. Every darwin file this project links goes through it.
# Usage: native_macho_normalize TARGET FILE...
native_macho_normalize() {
  local target=$1; shift
  case "$target" in darwin-*) node "$NATIVE_ROOT/scripts/lib/macho.js" normalize "$@" ;; esac
}

# Builds the Go package PKG (default .) of the module in SRC_DIR as a C shared library for
# TARGET into OUT, atomically, after checking no build path leaked into it. The cgo header Go
# writes beside it is not kept.
# Usage: go_c_shared TARGET SRC_DIR OUT [PKG]
go_c_shared() {
  local target=$1 src=$2 out pkg=${4:-.} tmp goroot
  out="$(native_abs_out "$3")"
  tmp="$(go_build_into_tmp c-shared "$target" "$src" "$out" "$pkg")" || exit 1
  goroot="$(native_go_run "$target" env GOROOT)"
  native_macho_normalize "$target" "$tmp/$(basename "$out")" || { rm -rf "$tmp"; exit 1; }
  if ! native_assert_no_paths "$tmp/$(basename "$out")" "$NATIVE_ROOT" "$(cd "$src" && pwd -P)" "$tmp" "$goroot"; then
    rm -rf "$tmp"
    exit 1
  fi
  mv -f "$tmp/$(basename "$out")" "$out"
  rm -rf "$tmp"
}

# Builds the Go package PKG of the module in SRC_DIR as a C archive for TARGET: writes OUT (.a)
# and the cgo header next to it (same name, .h), each atomically.
# Usage: go_c_archive TARGET SRC_DIR OUT.a [PKG]
go_c_archive() {
  local target=$1 src=$2 out pkg=${4:-.} tmp name
  out="$(native_abs_out "$3")"
  name="$(basename "$out")"
  tmp="$(go_build_into_tmp c-archive "$target" "$src" "$out" "$pkg")" || exit 1
  mv -f "$tmp/${name%.a}.h" "${out%.a}.h"
  mv -f "$tmp/$name" "$out"
  rm -rf "$tmp"
}

# Compiles and links a C N-API addon for TARGET into OUT (.node), atomically. Everything after
# `--` goes to the compiler driver as given (more sources, archives, -l flags).
# Usage: napi_c_addon TARGET OUT SOURCE.c [-- EXTRA...]
napi_c_addon() {
  local target=$1 out=$2 src=$3; shift 3
  [ "${1:-}" != -- ] || shift
  local cc tmp name
  [ -f "$NAPI_INCLUDE/node_api.h" ] || native_die "N-API headers missing at $NAPI_INCLUDE: run scripts/setup.sh"
  cc="$(native_cc "$target")" || return 1
  mkdir -p "$(dirname "$out")"
  out="$(cd "$(dirname "$out")" && pwd)/$(basename "$out")"
  name="$(basename "$out")"
  tmp="$(native_tmpdir_for "$out")"
  local -a flags=(-std=c11 -O2 -Wall -Wextra -fPIC -fvisibility=hidden -I"$NAPI_INCLUDE")
  case "$target" in
    # napi_* symbols come from the host process at load time; the architecture is in zig's -target.
    darwin-*) flags+=(-dynamiclib -undefined dynamic_lookup) ;;
    *) flags+=(-shared) ;;
  esac
  # shellcheck disable=SC2086 # $cc may carry arguments
  if ! $cc "${flags[@]}" -o "$tmp/$name" "$src" "$@"; then
    rm -rf "$tmp"
    native_die "C addon build failed: $src -> $out"
  fi
  mv -f "$tmp/$name" "$out"
  rm -rf "$tmp"
}

# Prints the sha256 of FILE (sha256sum on Linux, shasum on macOS).
native_sha256() {
  if command -v sha256sum >/dev/null; then
    sha256sum "$1" | cut -d' ' -f1
  else
    shasum -a 256 "$1" | cut -d' ' -f1
  fi
}

# Writes DIR/SUMSFILE in the upstream release format, `<hex>  ./<file>` sorted by file name,
# over every file in DIR matching GLOB; removes SUMSFILE when nothing matches.
# Usage: native_write_sums DIR SUMSFILE GLOB
native_write_sums() {
  local dir=$1 sums=$2 glob=$3
  local -a files=()
  local f tmp
  # shellcheck disable=SC2086 # GLOB is meant to expand
  while IFS= read -r f; do files+=("$f"); done < <(
    cd "$dir" && for f in $glob; do [ -f "$f" ] && printf '%s\n' "$f"; done | LC_ALL=C sort
  )
  if ((${#files[@]} == 0)); then
    rm -f "$dir/$sums"
    return 0
  fi
  tmp="$(mktemp "$dir/.tmp-$sums.XXXXXX")"
  for f in "${files[@]}"; do
    printf '%s  ./%s\n' "$(native_sha256 "$dir/$f")" "$f"
  done >"$tmp"
  chmod 644 "$tmp"
  mv -f "$tmp" "$dir/$sums"
}
