#!/usr/bin/env bash
# Builds the release go-warmup libraries (go/go_warmup.go) with the pinned Go, reproducibly, and
# writes the upstream-format sums files beside them.
#
#   scripts/build-go.sh [--out DIR] [TARGET...]
#
# TARGET: linux-x64, linux-arm64, darwin-x64, darwin-arm64. Default: the two linux targets on
# Linux (linux-arm64 cross-built with zig, scripts/lib/native.sh), the two darwin targets on macOS.
# Default DIR: dist/go-warmup. Outputs: DIR/go-warmup-<target>.{so,dylib}, DIR/SHA256SUMS (every
# linux library in DIR) and DIR/SHA256SUMS-darwin (every darwin one); the names come from the
# platform table (native_platforms).
# A relative --out is taken from the current folder. The macOS path follows the same code but
# has not been run on a Mac.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/native.sh
source "$(dirname "$0")/lib/native.sh"

usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0" >&2; exit "${1:-2}"; }

out=$NATIVE_ROOT/dist/go-warmup
targets=()
while (($#)); do
  case "$1" in
    --out) (($# >= 2)) || usage; out=$2; shift 2 ;;
    --out=*) out=${1#--out=}; shift ;;
    -h | --help) usage 0 ;;
    -*) printf 'build-go.sh: unknown argument %s\n' "$1" >&2; usage ;;
    *) targets+=("$1"); shift ;;
  esac
done
if ((${#targets[@]} == 0)); then
  case "$(uname -s)" in
    Linux) targets=(linux-x64 linux-arm64) ;;
    Darwin) targets=(darwin-x64 darwin-arm64) ;;
    *) native_die "no default targets on $(uname -s): name them" ;;
  esac
fi

native_go >/dev/null
mkdir -p "$out"
out="$(cd "$out" && pwd)"
cd "$NATIVE_ROOT"
for target in "${targets[@]}"; do
  library="$(native_platform_column "$target" 6)"
  go_c_shared "$target" go "$out/$library"
done
# Each sums file lists every library of its platforms present in DIR, as upstream's does.
while IFS=$'\t' read -r sums libraries; do
  native_write_sums "$out" "$sums" "$libraries"
done < <(native_platforms | awk -F'\t' '{ names[$7] = names[$7] " " $6 } END { for (s in names) print s "\t" names[s] }')
