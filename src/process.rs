//! One warmup per process, even when several copies of asherah-warmup are loaded (a nested
//! dependency, two versions side by side). Each copy's addon exports the same C record,
//! `asherah_warmup_process_v2`; the record of the copy loaded first is the process's. Its
//! lock serialises every warmup and it keeps the outcome, so a later copy reports the first
//! copy's load instead of starting a second Go runtime. The record lives in memory that exec
//! replaces, so child processes never inherit it. The layout is a versioned C ABI: copies built
//! from different versions of this crate still agree on it. Version 2 dropped version 1's lock
//! owner: the core no longer calls into JS while it holds the lock, so nothing can re-enter it.

use std::cell::UnsafeCell;
use std::ffi::{c_char, c_int, CStr, CString};
use std::sync::atomic::{AtomicPtr, AtomicU32, Ordering};

const MAGIC: [u8; 16] = *b"asherah-warmup:2";

/// `LoadedV2::result` of a library without `Warmup`: loaded (its Go runtime started), it stays the
/// process's. A copy built before this value reads it as a bad result, refused all the same.
pub const NO_WARMUP: c_int = c_int::MIN;

/// What a finished load left behind; immutable once published.
#[repr(C)]
pub struct LoadedV2 {
    /// What `Warmup()` returned, or NO_WARMUP.
    pub result: c_int,
    /// The descriptor the library was mapped from (kept open for the process's life).
    pub fd: c_int,
    pub dev: u64,
    pub ino: u64,
    pub duration_ms: f64,
    pub library: *const c_char,
    pub source: *const c_char,
    pub verification: *const c_char,
    /// Null when the bytes were not hashed.
    pub sha256: *const c_char,
}

#[repr(C)]
pub struct RecordV2 {
    magic: [u8; 16],
    lock: UnsafeCell<libc::pthread_mutex_t>,
    calls: AtomicU32,
    loaded: AtomicPtr<LoadedV2>,
}

// SAFETY: `lock` is only used through pthread calls; the other fields are atomics, and a
// published LoadedV2 is never written again.
unsafe impl Sync for RecordV2 {}

#[no_mangle]
pub static asherah_warmup_process_v2: RecordV2 = RecordV2 {
    magic: MAGIC,
    lock: UnsafeCell::new(libc::PTHREAD_MUTEX_INITIALIZER),
    calls: AtomicU32::new(0),
    loaded: AtomicPtr::new(std::ptr::null_mut()),
};

/// Holds the process's warmup lock.
pub struct Held(&'static RecordV2);

impl Drop for Held {
    fn drop(&mut self) {
        // SAFETY: this thread locked it in `lock`.
        unsafe { libc::pthread_mutex_unlock(self.0.lock.get()) };
    }
}

impl Held {
    pub fn count_call(&self) -> u32 {
        self.0.calls.fetch_add(1, Ordering::SeqCst) + 1
    }

    pub fn publish(&self, loaded: LoadedV2) {
        self.0
            .loaded
            .store(Box::into_raw(Box::new(loaded)), Ordering::SeqCst);
    }
}

impl RecordV2 {
    pub fn lock(&'static self) -> Held {
        // SAFETY: a statically initialised mutex that is never destroyed.
        unsafe { libc::pthread_mutex_lock(self.lock.get()) };
        Held(self)
    }

    pub fn loaded(&self) -> Option<&'static LoadedV2> {
        // SAFETY: a published pointer comes from Box::into_raw and is never freed.
        unsafe { self.loaded.load(Ordering::SeqCst).as_ref() }
    }

    pub fn calls(&self) -> u32 {
        self.calls.load(Ordering::SeqCst)
    }
}

/// A C string for a LoadedV2 field, leaked with it.
pub fn leak(text: &str) -> *const c_char {
    CString::new(text.replace('\0', "\\0"))
        .map(CString::into_raw)
        .unwrap_or(std::ptr::null_mut())
}

/// A LoadedV2 string field as text.
pub fn text(field: *const c_char) -> Option<String> {
    // SAFETY: fields are null or leaked C strings (see `leak`).
    (!field.is_null()).then(|| {
        unsafe { CStr::from_ptr(field) }
            .to_string_lossy()
            .into_owned()
    })
}

/// The process's record: that of the first-loaded copy that exports one (this copy's own when
/// it is alone). Found once per copy: loaded objects keep their order.
pub fn record() -> &'static RecordV2 {
    static FOUND: std::sync::OnceLock<&'static RecordV2> = std::sync::OnceLock::new();
    FOUND.get_or_init(|| {
        loaded_objects()
            .into_iter()
            .find_map(|name| record_in(&name))
            .unwrap_or(&asherah_warmup_process_v2)
    })
}

/// The record an already-loaded object exports, if it is a copy of this addon.
fn record_in(name: &CStr) -> Option<&'static RecordV2> {
    // SAFETY: RTLD_NOLOAD only looks up an object that is already loaded; nothing is run.
    let handle = unsafe { libc::dlopen(name.as_ptr(), libc::RTLD_NOLOAD | libc::RTLD_LAZY) };
    if handle.is_null() {
        return None;
    }
    // SAFETY: looks a symbol up in a loaded object.
    let symbol = unsafe { libc::dlsym(handle, c"asherah_warmup_process_v2".as_ptr()) };
    // The handle only bumped a reference count: the object stays loaded by its loader's handle,
    // and addons are never unloaded, so the record outlives this.
    // SAFETY: closes the reference just taken.
    unsafe { libc::dlclose(handle) };
    // SAFETY: the symbol is a RecordV2 when the magic matches; a static, so 'static.
    let record = unsafe { (symbol as *const RecordV2).as_ref()? };
    (record.magic == MAGIC).then_some(record)
}

/// Names of the shared objects loaded into this process, in load order, addons only (`.node`).
#[cfg(target_os = "linux")]
fn loaded_objects() -> Vec<CString> {
    unsafe extern "C" fn each(
        info: *mut libc::dl_phdr_info,
        _size: libc::size_t,
        names: *mut libc::c_void,
    ) -> c_int {
        // SAFETY: dl_iterate_phdr passes valid info and our Vec.
        let (info, names) = unsafe { (&*info, &mut *(names as *mut Vec<CString>)) };
        if !info.dlpi_name.is_null() {
            // SAFETY: dlpi_name is a C string owned by the loader.
            let name = unsafe { CStr::from_ptr(info.dlpi_name) };
            if name.to_bytes().ends_with(b".node") {
                names.push(name.to_owned());
            }
        }
        0
    }
    let mut names: Vec<CString> = Vec::new();
    // SAFETY: the callback only reads what it is given.
    unsafe { libc::dl_iterate_phdr(Some(each), &mut names as *mut _ as *mut libc::c_void) };
    names
}

#[cfg(target_os = "macos")]
fn loaded_objects() -> Vec<CString> {
    // dyld's image list, in load order. Declared here: the libc crate deprecates its copies in
    // favour of another crate, for two functions libSystem has always exported.
    extern "C" {
        fn _dyld_image_count() -> u32;
        fn _dyld_get_image_name(image_index: u32) -> *const c_char;
    }
    // SAFETY: dyld's own list; names are C strings owned by dyld.
    let count = unsafe { _dyld_image_count() };
    (0..count)
        .filter_map(|i| {
            // SAFETY: i < count; a null name is skipped.
            let name = unsafe { _dyld_get_image_name(i) };
            (!name.is_null()).then(|| unsafe { CStr::from_ptr(name) }.to_owned())
        })
        .filter(|name| name.to_bytes().ends_with(b".node"))
        .collect()
}

#[cfg(not(any(target_os = "linux", target_os = "macos")))]
fn loaded_objects() -> Vec<CString> {
    Vec::new()
}

#[cfg(test)]
#[path = "process_tests.rs"]
mod tests;
