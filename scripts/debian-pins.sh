#!/usr/bin/env bash
# Prints the lines of scripts/versions.env that pin Debian packages (<NAME>_DEB, <NAME>_SHA256), with
# the files Debian's pool holds today, as Debian's signed indexes give them: for when setup.sh's
# download of a pinned file fails with HTTP 404 (a point release superseded it) or to move a pin
# on. Runs apt on a Debian or Ubuntu host with a state folder of its own (the host's apt
# configuration and lists are left alone).
#
#   scripts/debian-pins.sh
set -euo pipefail
cd "$(dirname "$0")/.."

# NAME suite architecture package: what each pin of scripts/versions.env is.
pins='OLD_GLIBC bullseye amd64 libc6
ARM64_LIBC6 bookworm arm64 libc6
ARM64_LIBGCC_S1 bookworm arm64 libgcc-s1
ARM64_LIBSTDCXX6 bookworm arm64 libstdc++6
MUSL trixie amd64 musl'

keyring=/usr/share/keyrings/debian-archive-keyring.gpg
[ -r "$keyring" ] || { echo "debian-pins.sh: $keyring missing: apt-get install debian-archive-keyring" >&2; exit 1; }
state=$(mktemp -d)
trap 'rm -rf "$state"' EXIT
mkdir -p "$state/lists/partial" "$state/cache/archives/partial"
cut -d' ' -f2 <<<"$pins" | sort -u | while read -r suite; do
  echo "deb [arch=amd64,arm64 signed-by=$keyring] https://deb.debian.org/debian $suite main"
done >"$state/sources.list"
apt_opts=(-o "Dir::Etc::sourcelist=$state/sources.list" -o Dir::Etc::sourceparts=- -o "Dir::State::Lists=$state/lists"
  -o "Dir::Cache=$state/cache" -o Dir::State::status=/dev/null -o APT::Architectures::=amd64 -o APT::Architectures::=arm64
  -o Debug::NoLocking=1 -o APT::Sandbox::User=root)
apt-get "${apt_opts[@]}" -qq update

while read -r name suite arch pkg; do
  # --print-uris: 'URL' FILE SIZE SHA256:DIGEST, checked by apt against the suite's signed Release.
  read -r url _ _ digest < <(apt-get "${apt_opts[@]}" -qq --print-uris download "$pkg:$arch/$suite")
  url=${url//\'/}
  url=$(printf '%b' "${url//%/\\x}") # the URL's %2b back to +
  printf '%s_DEB=%s\n%s_SHA256=%s\n' "$name" "${url#*/debian/}" "$name" "${digest#SHA256:}"
done <<<"$pins"
