//! process.rs's decisions: a record's text fields read back as written, and the process's record
//! is the first-loaded copy's, which in a process with no other copy (this test binary) is this
//! copy's own.

use super::*;

#[test]
fn text_reads_back_what_leak_wrote() {
    for text in ["", "/a/go-warmup-linux-x64.so", "sums-file", "ünïcode ✓"] {
        assert_eq!(super::text(leak(text)).as_deref(), Some(text));
    }
    // A NUL would cut the C string: it is kept, escaped, as the message paths are.
    assert_eq!(super::text(leak("/a\0b")).as_deref(), Some("/a\\0b"));
    assert_eq!(super::text(std::ptr::null()), None);
}

#[test]
fn alone_in_the_process_the_record_is_this_copys_own() {
    let record = record();
    assert!(std::ptr::eq(record, &asherah_warmup_process_v2));
    assert_eq!(record.magic, MAGIC);
    // Found once: the same record every time.
    assert!(std::ptr::eq(record, super::record()));
}

#[test]
fn an_object_that_is_not_loaded_is_not_looked_into() {
    assert!(record_in(c"/nonexistent/asherah-warmup.node").is_none());
    // The test binary, loaded but exporting no record of another copy, names no addon.
    assert!(loaded_objects().is_empty(), "{:?}", loaded_objects());
}

#[test]
fn the_lock_is_held_until_its_holder_is_dropped() {
    // No test here warms up (the one other taker of this lock), so nothing else holds it.
    let try_lock = || {
        // SAFETY: the record's statically initialised mutex; a 0 return is undone at once.
        let rc = unsafe { libc::pthread_mutex_trylock(record().lock.get()) };
        if rc == 0 {
            // SAFETY: locked just now by this thread.
            unsafe { libc::pthread_mutex_unlock(record().lock.get()) };
        }
        rc
    };
    let held = record().lock();
    assert_eq!(try_lock(), libc::EBUSY);
    drop(held);
    assert_eq!(try_lock(), 0);
}
