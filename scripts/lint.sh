#!/usr/bin/env bash
# `npm run lint`: Biome (JS lint and format, pinned in package.json), rustfmt, and clippy for
# every target we ship (clippy needs no linker, so macOS's are linted here too).
set -euo pipefail
cd "$(dirname "$0")/.."
npx --no-install biome check --error-on-warnings .
cargo fmt --check
cargo fmt --check --manifest-path bench/napi-floor/Cargo.toml # the bench's napi-rs floor
# shellcheck source=lib/native.sh
source scripts/lib/native.sh
for target in $(native_platforms | cut -f1); do
  cargo clippy --release --quiet --target "$target" -- -D warnings
done
