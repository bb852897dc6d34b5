//! What several `*_tests.rs` modules need: folders of test files, the lists of every source and
//! verification, and a run of one test in a child process (lib.rs: `#[cfg(test)] mod test_support`).

use crate::locate::Source;
use crate::verify::Verification;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

/// A folder of test files, removed when dropped (also when its test panics). It is made beside
/// the test binary, not in the system's temp folder: libraries are opened as libraries, which
/// refuses a file system mounted noexec (as /tmp sometimes is), and the test binary's own folder
/// is one that code runs from.
pub struct TestDir(PathBuf);

impl TestDir {
    pub fn new(label: &str) -> TestDir {
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let name = format!(
            "aw-unit-{}-{}-{label}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        let dir = this_binary().parent().expect("its folder").join(name);
        // A folder a killed run of an earlier process with this pid left behind.
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir(&dir).unwrap_or_else(|err| panic!("{}: {err}", dir.display()));
        TestDir(dir)
    }

    pub fn join(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }

    /// A file `name` holding `bytes`.
    pub fn write(&self, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let path = self.join(name);
        std::fs::write(&path, bytes).unwrap_or_else(|err| panic!("{}: {err}", path.display()));
        path
    }

    /// A FIFO (named pipe) `name`: opening it for reading blocks until a writer comes.
    pub fn fifo(&self, name: &str) -> PathBuf {
        let path = self.join(name);
        let c = std::ffi::CString::new(path.to_str().expect("a UTF-8 path")).unwrap();
        // SAFETY: creates a FIFO at a path in our own folder.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0, "mkfifo");
        path
    }

    /// A symbolic link `name` to `target`.
    pub fn link(&self, name: &str, target: &Path) -> PathBuf {
        let path = self.join(name);
        std::os::unix::fs::symlink(target, &path).expect("symlink");
        path
    }
}

impl Drop for TestDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The test binary: a real object file for this machine, which the header check accepts.
pub fn this_binary() -> PathBuf {
    std::env::current_exe().expect("the test binary's path")
}

/// A 64-hex-digit digest made of one repeated digit: distinct values for tests that compare
/// digests without hashing anything.
pub fn hex64(digit: char) -> String {
    digit.to_string().repeat(64)
}

/// `sha256sum` output: one `<digest>  ./<name>` line per entry.
pub fn sums_text(entries: &[(&str, &str)]) -> String {
    entries
        .iter()
        .map(|(sha256, name)| format!("{sha256}  ./{name}\n"))
        .collect()
}

/// Every Source, from the variant list the enum is written with (kinds.rs).
pub fn every_source() -> Vec<Source> {
    Source::ALL.to_vec()
}

/// Every Verification, likewise.
pub fn every_verification() -> Vec<Verification> {
    Verification::ALL.to_vec()
}

/// Set in the child that `in_child` runs.
const CHILD: &str = "ASHERAH_WARMUP_UNIT_CHILD";

/// Whether this process is the child `in_child` started (an `#[ignore]`d test returns at once
/// elsewhere: it would starve the tests that run beside it).
pub fn is_child() -> bool {
    std::env::var_os(CHILD).is_some()
}

/// Runs the `#[ignore]`d test `name` (its full path, `module::tests::name`) alone in a child
/// process of this test binary, and asserts that it ran and passed: for what needs a process of
/// its own, such as a resource limit that would starve the tests running beside it in this one.
pub fn in_child(name: &str) {
    let out = std::process::Command::new(this_binary())
        .args([
            name,
            "--exact",
            "--ignored",
            "--test-threads=1",
            "--nocapture",
        ])
        .env(CHILD, "1")
        .output()
        .expect("the test binary runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && stdout.contains("1 passed"),
        "{name} in a child: {}\nstdout:\n{stdout}\nstderr:\n{stderr}",
        out.status
    );
}

/// Runs `body` with no file descriptor to be had (RLIMIT_NOFILE at 0: every open fails with
/// EMFILE), then restores the limit. Only in a child of `in_child`: the limit is the process's.
pub fn without_descriptors<T>(body: impl FnOnce() -> T) -> T {
    assert!(
        is_child(),
        "lowers the whole process's limit: run it through in_child"
    );
    let mut saved = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit and setrlimit read and write plain structs.
    unsafe {
        assert_eq!(libc::getrlimit(libc::RLIMIT_NOFILE, &mut saved), 0);
        let none = libc::rlimit {
            rlim_cur: 0,
            rlim_max: saved.rlim_max,
        };
        assert_eq!(libc::setrlimit(libc::RLIMIT_NOFILE, &none), 0);
    }
    let result = body();
    // SAFETY: as above.
    unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &saved) };
    result
}
