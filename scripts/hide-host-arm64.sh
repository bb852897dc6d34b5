#!/usr/bin/env bash
# Runs a command with the host's arm64 library folders hidden: in a mount namespace of its own, each
# folder below that exists is covered by an empty read-only tmpfs, for the command and its children
# only (the host is left as it is). scripts/ci.sh runs every stage that builds or runs arm64 code
# through this, so that a leftover on the host (a cross libc, a cross gcc's C++ runtime, arm64
# multiarch packages) can make none of them pass: what they need comes from .tools/.
#
#   scripts/hide-host-arm64.sh COMMAND [ARG...]
#
# Needs root, or sudo without a password (as on CI's runners): the mounts are made as root, and
# COMMAND then runs as the calling user again.
set -euo pipefail

folders=(
  /usr/aarch64-linux-gnu           # libc6-arm64-cross, the cross gcc's libstdc++ (qemu -L's old root)
  /usr/lib/gcc-cross               # the cross gcc's libgcc and libstdc++
  /usr/lib/aarch64-linux-gnu       # arm64 multiarch packages, where the arm64 loader looks when a
  /lib/aarch64-linux-gnu           # library is missing from qemu's -L root (/lib where not merged)
  /usr/local/lib/aarch64-linux-gnu
)

if [ "${1:-}" = --inside ]; then # in the new namespace, as root: hide, then become the user again
  user=$2 outer=$3
  shift 3
  # Never mount over the host's own folders: only in a namespace other than the caller's.
  [ "$(readlink /proc/self/ns/mnt)" != "$outer" ] || { echo "hide-host-arm64.sh: --inside is for the script itself" >&2; exit 2; }
  hidden=() seen=' '
  for f in "${folders[@]}"; do
    [ -d "$f" ] || continue
    real=$(readlink -f "$f")
    [[ "$seen" != *" $real "* ]] || continue
    seen+="$real "
    hidden+=("$f ($(find "$f" -type f -o -type l | wc -l | tr -d ' ') files)")
    mount -t tmpfs -o ro,size=4k tmpfs "$real"
  done
  printf '[hide-host-arm64] hidden: %s\n' "${hidden[*]:-nothing: no host arm64 folder exists}" >&2
  [ "$user" != 0:0 ] || exec "$@"
  exec setpriv --reuid="${user%:*}" --regid="${user#*:}" --clear-groups -- "$@"
fi

(($#)) || { echo "usage: scripts/hide-host-arm64.sh COMMAND [ARG...]" >&2; exit 2; }
outer=$(readlink /proc/self/ns/mnt)
if [ "$(id -u)" = 0 ]; then
  exec unshare --mount --propagation private -- bash "$0" --inside 0:0 "$outer" "$@"
fi
sudo -n true 2>/dev/null || { echo "hide-host-arm64.sh: needs root or sudo without a password (it mounts over host folders)" >&2; exit 1; }
# sudo resets PATH (secure_path) and may reset HOME: hand ours on.
exec sudo -n --preserve-env unshare --mount --propagation private -- env "PATH=$PATH" "HOME=$HOME" bash "$0" --inside "$(id -u):$(id -g)" "$outer" "$@"
