//! The go-warmup release file name and sums file name of the platform this addon is compiled
//! for. Written by scripts/sync-versions.js from lib/platforms.js's platform table: do not edit
//! (`npm run sync-versions` rewrites it; its `--check`, in the suite, fails when it is stale).

#[cfg(all(target_os = "linux", target_arch = "x86_64"))]
const NAMES: [&str; 2] = ["go-warmup-linux-x64.so", "SHA256SUMS"];
#[cfg(all(target_os = "linux", target_arch = "aarch64"))]
const NAMES: [&str; 2] = ["go-warmup-linux-arm64.so", "SHA256SUMS"];
#[cfg(all(target_os = "macos", target_arch = "x86_64"))]
const NAMES: [&str; 2] = ["go-warmup-darwin-x64.dylib", "SHA256SUMS-darwin"];
#[cfg(all(target_os = "macos", target_arch = "aarch64"))]
const NAMES: [&str; 2] = ["go-warmup-darwin-arm64.dylib", "SHA256SUMS-darwin"];
/// No upstream library: the addon still builds and reports the platform as unsupported.
#[cfg(not(any(
    all(target_os = "linux", target_arch = "x86_64"),
    all(target_os = "linux", target_arch = "aarch64"),
    all(target_os = "macos", target_arch = "x86_64"),
    all(target_os = "macos", target_arch = "aarch64")
)))]
const NAMES: [&str; 2] = ["", ""];

/// The release file name for the platform this addon was built for.
pub const LIBRARY_NAME: &str = NAMES[0];
/// The upstream sums file that lists it.
pub const SUMS_NAME: &str = NAMES[1];
