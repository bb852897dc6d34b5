// napi-rs linker setup, nothing else: the go-warmup names per target are in src/platform.rs.
fn main() {
    napi_build::setup();
}
