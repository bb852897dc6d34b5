//! warmup(path): dlopen(path, RTLD_NOW | RTLD_LOCAL), find `Warmup`, call it, return its int;
//! the library is never unloaded. Nothing else: no search, checksum, signal repair or status.

use libloading::os::unix::{Library, RTLD_LOCAL, RTLD_NOW};
use napi_derive::napi;

#[napi]
pub fn warmup(path: String) -> napi::Result<i32> {
    let reason = |err: libloading::Error| napi::Error::from_reason(err.to_string());
    // SAFETY: loading a Go c-shared library starts its runtime, which is what is measured.
    let library = unsafe { Library::open(Some(&path), RTLD_NOW | RTLD_LOCAL) }.map_err(reason)?;
    // SAFETY: go_warmup.go exports `int Warmup(void)`.
    let warmup =
        unsafe { library.get::<unsafe extern "C" fn() -> i32>(b"Warmup\0") }.map_err(reason)?;
    // SAFETY: see above.
    let result = unsafe { warmup() };
    std::mem::forget(library);
    Ok(result)
}
