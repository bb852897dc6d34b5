#!/usr/bin/env bash
# Builds what a platform package holds, into npm/<triple>/: the napi-rs addon
# (asherah-warmup.<triple>.node), the go-warmup library for that platform and the sums file
# listing it (SHA256SUMS on linux, SHA256SUMS-darwin on macOS, as upstream names them). The same
# layout serves the checkout (lib/addon.js falls back to it) and `npm pack` (scripts/pack.js).
#
#   scripts/build.sh [PLATFORM...]
#
# PLATFORM: linux (linux-x64-gnu and linux-arm64-gnu), darwin (darwin-x64 and darwin-arm64), all
# (the four), a package triple (linux-arm64-gnu, darwin-x64, ...), or x64 / arm64 for that
# architecture of this machine's OS. Default: this machine's own platform.
#
# Every platform builds from any host with zig as the C compiler and linker (scripts/lib/native.sh):
# the linux files need glibc GLIBC_FLOOR at most, the darwin files declare minos MACOS_MIN
# (scripts/versions.env), and the darwin addon has the install name @rpath/<file>, no debug map
# (-Wl,-S: its object paths made two build folders differ) and zig's ad-hoc code signature.
# Plain bash 3.2 (macOS's own): no associative arrays.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/native.sh
source "$(dirname "$0")/lib/native.sh"
cd "$NATIVE_ROOT"

usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0" >&2; exit "${1:-2}"; }

case "$(uname -s)" in Darwin) host_os=darwin ;; *) host_os=linux ;; esac
case "$(uname -m)" in arm64 | aarch64) host_arch=arm64 ;; *) host_arch=x64 ;; esac

# The platform table (target triple os cpu addon library sums), from the one place that has it.
table="$(native_platforms)"
triple_of() { # os cpu -> the package triple
  awk -F'\t' -v os="$1" -v cpu="$2" '$3 == os && $4 == cpu { print $2 }' <<<"$table"
}

wanted=()
(($#)) || set -- "$host_arch"
for arg in "$@"; do
  case "$arg" in
    -h | --help) usage 0 ;;
    all) while IFS=$'\t' read -r _ t _; do wanted+=("$t"); done <<<"$table" ;;
    linux | darwin) while IFS=$'\t' read -r _ t os _; do [ "$os" != "$arg" ] || wanted+=("$t"); done <<<"$table" ;;
    x64 | arm64) wanted+=("$(triple_of "$host_os" "$arg")") ;;
    *)
      awk -F'\t' -v t="$arg" '$2 == t { found = 1 } END { exit !found }' <<<"$table" ||
        { printf 'build.sh: unknown platform %s\n' "$arg" >&2; usage; }
      wanted+=("$arg") ;;
  esac
done

# The go-warmup libraries first, all in one go (dist/go-warmup/ and its sums files).
go_targets=()
rows=()
while IFS=$'\t' read -r target triple os cpu addon library sums; do
  for w in "${wanted[@]}"; do
    if [ "$w" = "$triple" ]; then
      go_targets+=("$os-$cpu")
      rows+=("$target"$'\t'"$triple"$'\t'"$os"$'\t'"$cpu"$'\t'"$addon"$'\t'"$library"$'\t'"$sums")
      break
    fi
  done
done <<<"$table"
bash scripts/build-go.sh "${go_targets[@]}"

# napi build --cross-compile runs `cargo zigbuild`: both it and zig must be on PATH (napi would
# otherwise `cargo install` an unpinned cargo-zigbuild).
export PATH="$NATIVE_ROOT/.tools/bin:$PATH"
command -v cargo-zigbuild >/dev/null || native_die "cargo-zigbuild missing in .tools/bin: run scripts/setup.sh"
native_zig >/dev/null
cargo_home="${CARGO_HOME:-$HOME/.cargo}"
case "$NATIVE_ROOT$cargo_home" in *[[:space:]]*) native_die "RUSTFLAGS cannot carry paths with spaces: $NATIVE_ROOT, $cargo_home" ;; esac

for row in "${rows[@]}"; do
  IFS=$'\t' read -r target triple os cpu addon library sums <<<"$row"
  out="npm/$triple"
  # Build-machine paths (crate sources, this checkout) stay out of panic messages and debug info.
  flags="--remap-path-prefix=$cargo_home=/cargo --remap-path-prefix=$NATIVE_ROOT=/asherah-warmup"
  case "$os" in
    linux) zig_target="$target.$(native_pin GLIBC_FLOOR)" ;; # cargo-zigbuild's glibc suffix
    darwin)
      zig_target=$target
      flags="$flags -C link-arg=-Wl,-install_name,@rpath/$addon -C link-arg=-Wl,-S" ;;
  esac
  # Per-target rustflags add to .cargo/config.toml's instead of replacing them (RUSTFLAGS would).
  var="CARGO_TARGET_$(tr 'a-z-' 'A-Z_' <<<"$target")_RUSTFLAGS"
  mkdir -p "$out"
  env "$var=$flags" MACOSX_DEPLOYMENT_TARGET="$(native_pin MACOS_MIN)" \
    npx --no-install napi build --platform --release --target "$zig_target" --cross-compile \
    --output-dir "$out" --no-js --dts ../../generated/binding.d.ts >/dev/null
  native_macho_normalize "$os-$cpu" "$out/$addon"
  cp "dist/go-warmup/$library" "$out/$library"
  grep " \./$library\$" "dist/go-warmup/$sums" >"$out/$sums"
done
