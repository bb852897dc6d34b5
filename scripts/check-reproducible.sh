#!/usr/bin/env bash
# Checks that the release go-warmup build is reproducible: builds each target twice, from copies
# of go/ in two different temporary folders (different paths, different lengths), each with an
# empty Go build cache of its own so nothing is shared between the two, and compares the results
# byte for byte. Prints one sha256 line per build; exits 1 on any difference.
#
#   scripts/check-reproducible.sh [--packages PLATFORM] [TARGET...]
#
# TARGET: go-warmup targets (default: every platform of the table, linux-x64 linux-arm64 darwin-x64
# darwin-arm64).
# --packages PLATFORM also runs `scripts/build.sh PLATFORM` (e.g. darwin) in two copies of the
# checkout (its tracked files, node_modules and .tools linked) in those two folders and compares
# every native file of the npm/<triple>/ folders it fills: the addons too, through napi, cargo
# zigbuild and scripts/lib/macho.js normalize, exactly as a release builds them.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/native.sh
source "$(dirname "$0")/lib/native.sh"

packages=
targets=()
while (($#)); do
  case "$1" in
    --packages) packages=$2; shift 2 ;;
    *) targets+=("$1"); shift ;;
  esac
done
((${#targets[@]})) || while read -r t; do targets+=("$t"); done < <(native_targets)
native_go >/dev/null

work="$(mktemp -d "${TMPDIR:-/tmp}/go-warmup-repro.XXXXXX")"
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
folders=("$work/a" "$work/second-build-folder")
for d in "${folders[@]}"; do
  mkdir -p "$d/cache" "$d/out"
  cp -R "$NATIVE_ROOT/go" "$d/go"
done

status=0
for target in "${targets[@]}"; do
  name="$(native_platform_column "$target" 6)"
  for d in "${folders[@]}"; do
    GOCACHE="$d/cache" go_c_shared "$target" "$d/go" "$d/out/$name"
    printf '%s  %s  (%s)\n' "$(native_sha256 "$d/out/$name")" "$name" "${d#"$work"/}"
  done
  a="${folders[0]}/out/$name" b="${folders[1]}/out/$name"
  if ! cmp -s "$a" "$b"; then
    printf 'NOT REPRODUCIBLE: %s: %s of %s bytes differ (sizes %s / %s)\n' "$name" \
      "$(cmp -l "$a" "$b" 2>/dev/null | wc -l | tr -d ' ')" "$(wc -c <"$a" | tr -d ' ')" \
      "$(wc -c <"$a" | tr -d ' ')" "$(wc -c <"$b" | tr -d ' ')" >&2
    status=1
  fi
done

compare() { # label file-a file-b
  printf '%s  %s  (a)\n%s  %s  (second-build-folder)\n' "$(native_sha256 "$2")" "$1" "$(native_sha256 "$3")" "$1"
  if ! cmp -s "$2" "$3"; then
    printf 'NOT REPRODUCIBLE: %s: %s bytes differ\n' "$1" "$(cmp -l "$2" "$3" 2>/dev/null | wc -l | tr -d ' ')" >&2
    status=1
  fi
}

if [ -n "$packages" ]; then
  for d in "${folders[@]}"; do
    mkdir -p "$d/checkout"
    (cd "$NATIVE_ROOT" && git ls-files -z | tar --null -T - -cf -) | tar -C "$d/checkout" -xf -
    ln -s "$NATIVE_ROOT/node_modules" "$d/checkout/node_modules"
    ln -s "$NATIVE_ROOT/.tools" "$d/checkout/.tools"
    GOCACHE="$d/cache" CARGO_TARGET_DIR="$d/target" bash "$d/checkout/scripts/build.sh" "$packages" 2>"$d/build.log" ||
      { cat "$d/build.log" >&2; native_die "scripts/build.sh $packages failed in $d/checkout"; }
  done
  a="${folders[0]}/checkout" b="${folders[1]}/checkout"
  found=0
  for f in "$a"/npm/*/*.node "$a"/npm/*/go-warmup-*; do
    [ -f "$f" ] || continue
    found=$((found + 1))
    compare "${f#"$a"/}" "$f" "$b/${f#"$a"/}"
  done
  ((found)) || native_die "scripts/build.sh $packages built no native file"
fi
exit "$status"
