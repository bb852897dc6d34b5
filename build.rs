// Two jobs only: napi-rs linker setup, and the go-warmup release file name for the target being
// built (so the addon never guesses its platform at run time).
fn main() {
    napi_build::setup();
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let arch = std::env::var("CARGO_CFG_TARGET_ARCH").unwrap_or_default();
    let name = match (os.as_str(), arch.as_str()) {
        ("linux", "x86_64") => "go-warmup-linux-x64.so",
        ("linux", "aarch64") => "go-warmup-linux-arm64.so",
        ("macos", "x86_64") => "go-warmup-darwin-x64.dylib",
        ("macos", "aarch64") => "go-warmup-darwin-arm64.dylib",
        // No upstream library: the addon still builds and reports the platform as unsupported.
        _ => "",
    };
    println!("cargo:rustc-env=GO_WARMUP_LIBRARY_NAME={name}");
}
