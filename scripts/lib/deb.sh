# shellcheck shell=bash
# Debian packages unpacked into a folder of .tools/, never installed on the host: each one a file
# of deb.debian.org's pool pinned by SHA-256 in scripts/versions.env (as <NAME>_DEB and
# <NAME>_SHA256), so what the tests run on is the same bytes on every machine, whatever the host
# carries. Sourced by scripts/setup.sh.

# deb_tree DEST NAME...: DEST holds the packages NAME... (each NAME_DEB / NAME_SHA256) unpacked over
# each other, and DEST/.pins the pins it was made from; a DEST whose .pins differ (a pin changed,
# one added or removed) is made again. Each file is checked against its digest before it is
# unpacked, and DEST is replaced only once all are in.
deb_tree() {
  local dest=$1 name pins='' deb sum
  shift
  for name in "$@"; do
    deb=${name}_DEB sum=${name}_SHA256
    [ -n "${!deb:-}" ] && [ -n "${!sum:-}" ] || { echo "deb_tree: ${name}_DEB or ${name}_SHA256 missing in scripts/versions.env" >&2; return 1; }
    pins+="${!sum}  ${!deb}"$'\n'
  done
  [ "$(cat "$dest/.pins" 2>/dev/null)" != "${pins%$'\n'}" ] || return 0
  rm -rf "$dest.partial"
  mkdir -p "$dest.partial"
  while read -r sum deb; do
    printf '[setup] %s\n' "$deb" >&2
    # `|| return`: a caller's `if` or `||` turns set -e off in here.
    deb_fetch "$deb" "$dest.partial/pkg.deb" || return 1
    echo "$sum  $dest.partial/pkg.deb" | sha256sum --check --quiet ||
      { echo "deb_tree: $deb does not have the SHA-256 scripts/versions.env pins ($sum)" >&2; return 1; }
    dpkg-deb -x "$dest.partial/pkg.deb" "$dest.partial" || return 1
    rm "$dest.partial/pkg.deb"
  done <<<"${pins%$'\n'}"
  printf '%s' "${pins%$'\n'}" >"$dest.partial/.pins"
  rm -rf "$dest"
  mv "$dest.partial" "$dest"
}

# deb_fetch POOL-PATH FILE: downloads one pool file (python's urllib: no curl or wget needed). A
# 404 means Debian superseded the pinned version and dropped it from the pool: the message says
# how to get the current pins.
deb_fetch() {
  python3 - "https://deb.debian.org/debian/$1" "$2" <<'EOF'
import sys, urllib.error, urllib.request
url, dest = sys.argv[1], sys.argv[2]
try:
    urllib.request.urlretrieve(url, dest)
except urllib.error.HTTPError as e:
    fix = (" (Debian drops a pool file once a newer version supersedes it: scripts/debian-pins.sh"
           " prints the current files and digests for scripts/versions.env)") if e.code == 404 else ""
    sys.exit(f"deb_fetch: {url}: HTTP {e.code} {e.reason}{fix}")
except OSError as e:
    sys.exit(f"deb_fetch: {url}: {e}")
EOF
}
