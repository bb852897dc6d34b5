#!/usr/bin/env bash
# Checks that the release go-warmup build is reproducible: builds each target twice, from copies
# of go/ in two different temporary folders (different paths, different lengths), each with an
# empty Go build cache of its own so nothing is shared between the two, and compares the results
# byte for byte. Prints one sha256 line per build; exits 1 on any difference.
#
#   scripts/check-reproducible.sh [TARGET...]     (default: linux-x64 linux-arm64)
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/native.sh
source "$(dirname "$0")/lib/native.sh"

targets=("$@")
((${#targets[@]})) || targets=(linux-x64 linux-arm64)
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
  case "$target" in linux-*) ext=so ;; *) ext=dylib ;; esac
  name="go-warmup-$target.$ext"
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
exit "$status"
