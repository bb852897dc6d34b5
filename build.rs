// Two jobs only: napi-rs linker setup, and the go-warmup release file names for the target being
// built (so the addon never guesses its platform at run time).
fn main() {
    napi_build::setup();
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let arch = std::env::var("CARGO_CFG_TARGET_ARCH").unwrap_or_default();
    let (name, sums) = match (os.as_str(), arch.as_str()) {
        ("linux", "x86_64") => ("go-warmup-linux-x64.so", "SHA256SUMS"),
        ("linux", "aarch64") => ("go-warmup-linux-arm64.so", "SHA256SUMS"),
        ("macos", "x86_64") => ("go-warmup-darwin-x64.dylib", "SHA256SUMS-darwin"),
        ("macos", "aarch64") => ("go-warmup-darwin-arm64.dylib", "SHA256SUMS-darwin"),
        // No upstream library: the addon still builds and reports the platform as unsupported.
        _ => ("", ""),
    };
    println!("cargo:rustc-env=GO_WARMUP_LIBRARY_NAME={name}");
    println!("cargo:rustc-env=GO_WARMUP_SUMS_NAME={sums}");
}
