#!/usr/bin/env bash
# `npm run lint`: Biome (JS lint and format, pinned in package.json), rustfmt, and clippy for
# every target we ship (clippy needs no linker, so macOS's are linted here too).
set -euo pipefail
cd "$(dirname "$0")/.."
npx --no-install biome check --error-on-warnings .
cargo fmt --check
cargo fmt --check --manifest-path bench/napi-floor/Cargo.toml # the bench's napi-rs floor
for target in x86_64-unknown-linux-gnu aarch64-unknown-linux-gnu x86_64-apple-darwin aarch64-apple-darwin; do
  cargo clippy --release --quiet --target "$target" -- -D warnings
done
