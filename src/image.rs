//! Turns a library path into the exact bytes the loader will map, verified.
//!
//! The file is opened once (regular files only, size-capped) and everything after that goes
//! through the open descriptor, never the path again: a path can be swapped (a symlink flip, a
//! rename) or rewritten in place between a check and a load. When a digest must be checked, the
//! bytes are copied into a sealed memfd while they are hashed, and the loader maps that memfd:
//! what was hashed is what runs, whatever happens to the file afterwards. When nothing is to be
//! hashed (the copy in our own platform package), the loader maps the opened file itself through
//! `/proc/self/fd/N`. Either way the header check (object_file.rs) sees the same descriptor.
//!
//! macOS has neither memfd nor a way to dlopen a descriptor. There a verified library is copied
//! while hashed into a fresh private folder (mode 0700, file 0500) and loaded from that copy,
//! which is removed once it is mapped; an unhashed one is loaded by its path after the header
//! check of the opened file (a window a same-user attacker could use, but one who can write the
//! package folder can change our addon too).

use crate::digest;
use crate::error::{shown, Code, WarmupError};
use crate::object_file;
use crate::platform::LIBRARY_NAME;
use crate::regular_file::{self, RegularFile};
use std::fs::File;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// Real go-warmup libraries are about 1.4 MB; anything over this is refused before reading.
pub const MAX_LIBRARY_BYTES: u64 = 64 * 1024 * 1024;

/// A library ready for the loader.
pub struct Image {
    /// What the loader opens: `/proc/self/fd/N` on linux, a file path on macOS.
    pub load_path: PathBuf,
    /// Kept open for the life of the process once loaded (see loader.rs).
    pub file: File,
    /// Hex SHA-256 of the mapped bytes, when they were hashed.
    pub sha256: Option<String>,
    /// macOS: the private copy to remove once it is mapped (always None on linux, where the
    /// loader does not look at it, so std's recursive directory removal is not linked there).
    #[cfg_attr(target_os = "linux", allow(dead_code))]
    pub cleanup: Option<PathBuf>,
}

/// LOAD_FAILED for `path`: what went wrong and the fix for that cause.
pub fn failed(path: &Path, why: impl std::fmt::Display, fix: &str) -> WarmupError {
    WarmupError::new(
        Code::LoadFailed,
        format!("{} {why}. Fix: {fix}.", shown(path)),
    )
}

/// The fix when the file itself is wrong (not a library, another platform's, truncated).
pub fn wrong_file_fix() -> String {
    format!("use the go-warmup library built for this platform ({LIBRARY_NAME})")
}

/// The fix for an I/O error while the library is read or copied: the cause's own where it is
/// the machine's (descriptors, memory), else the file's.
fn io_fix(err: &std::io::Error) -> String {
    if regular_file::out_of_descriptors(err) {
        return crate::error::RAISE_FILE_LIMIT.to_owned();
    }
    match err.raw_os_error() {
        Some(libc::ENOMEM) | Some(libc::ENOSPC) => {
            "free memory (the verified copy is held in memory) and try again".to_owned()
        }
        _ => wrong_file_fix(),
    }
}

/// LOAD_FAILED for an I/O error while the library is read or copied: `what` failed with `err`.
fn io_failed(path: &Path, what: &str, err: std::io::Error) -> WarmupError {
    failed(path, format_args!("{what} ({err})"), &io_fix(&err))
}

/// Where a library's bytes come from: a file opened once, or bytes the JS layer read from a
/// `bun build --compile` executable (whose embedded files cannot be dlopened).
pub enum Input {
    File(RegularFile),
    Bytes(Vec<u8>),
}

impl Input {
    /// Device and inode of the opened file; (0, 0) for bytes.
    pub fn id(&self) -> (u64, u64) {
        match self {
            Input::File(file) => file.id,
            Input::Bytes(_) => (0, 0),
        }
    }

    /// The header check (object_file.rs) of what would be loaded from `path`.
    pub fn check_header(&self, path: &Path) -> Result<(), WarmupError> {
        let checked = match self {
            Input::File(file) => object_file::check_file(&file.file, file.len),
            Input::Bytes(bytes) => {
                let head = &bytes[..bytes.len().min(object_file::MAX_TABLE_BYTES as usize)];
                object_file::check(
                    head,
                    bytes.len() as u64,
                    object_file::Format::HOST,
                    object_file::Arch::HOST,
                )
            }
        };
        checked.map_err(|why| failed(path, why, &wrong_file_fix()))
    }
}

/// Opens `path` as a library file; a problem is the caller's NOT_FOUND or LOAD_FAILED. A file on
/// a noexec mount is refused whether or not it would be hashed: a verified load maps a memfd
/// copy, which the mount's policy would not stop, but the policy is the administrator's.
pub fn open_library(path: &Path) -> Result<RegularFile, regular_file::Problem> {
    let file = regular_file::open(path, MAX_LIBRARY_BYTES)?;
    if on_noexec_mount(&file.file) {
        return Err(regular_file::Problem::NoExec);
    }
    Ok(file)
}

/// Whether the file's file system is mounted noexec (fstatvfs; linux, where the flag is
/// reported: macOS's statvfs has no such flag).
#[cfg(target_os = "linux")]
fn on_noexec_mount(file: &File) -> bool {
    use std::os::fd::AsRawFd;
    let mut stats = std::mem::MaybeUninit::<libc::statvfs>::zeroed();
    // SAFETY: fstatvfs fills `stats` for an open descriptor.
    let rc = unsafe { libc::fstatvfs(file.as_raw_fd(), stats.as_mut_ptr()) };
    // SAFETY: filled when it returned 0.
    rc == 0 && unsafe { stats.assume_init() }.f_flag & libc::ST_NOEXEC != 0
}

#[cfg(not(target_os = "linux"))]
fn on_noexec_mount(_file: &File) -> bool {
    false
}

/// Prepares the library at `path` for the loader; hashes it when `hash` is set (bytes always
/// are: they can only be loaded from a verified copy).
pub fn prepare(path: &Path, input: Input, hash: bool) -> Result<Image, WarmupError> {
    let (image, len) = match input {
        Input::File(RegularFile { file, len, .. }) if !hash => {
            let load_path = descriptor_path(&file).unwrap_or_else(|| path.to_path_buf());
            let image = Image {
                load_path,
                file,
                sha256: None,
                cleanup: None,
            };
            (image, len)
        }
        Input::File(RegularFile { mut file, len, .. }) => (hashed_copy(path, &mut file, len)?, len),
        Input::Bytes(bytes) => {
            let len = bytes.len() as u64;
            (hashed_copy(path, &mut bytes.as_slice(), len)?, len)
        }
    };
    object_file::check_file(&image.file, len)
        .map_err(|why| failed(path, why, &wrong_file_fix()))?;
    Ok(image)
}

/// Copies `len` bytes from `source` into `sink` while hashing them; the file must not change
/// size while it is read. `dyn Read`: one copy of this code for files and bytes alike (a virtual
/// call per 256 KiB read costs nothing measurable).
fn copy_hashing(
    path: &Path,
    source: &mut dyn Read,
    sink: &mut File,
    len: u64,
) -> Result<String, WarmupError> {
    let mut hasher = <digest::Hasher as sha2::Digest>::new();
    let mut buf = vec![0u8; 256 * 1024];
    let mut total = 0u64;
    loop {
        let n = source
            .read(&mut buf)
            .map_err(|err| io_failed(path, "could not be read", err))?;
        if n == 0 {
            break;
        }
        total += n as u64;
        if total > len {
            break;
        }
        sha2::Digest::update(&mut hasher, &buf[..n]);
        sink.write_all(&buf[..n])
            .map_err(|err| io_failed(path, "could not be copied for loading", err))?;
    }
    if total != len {
        return Err(failed(
            path,
            "changed size while it was being read",
            "let the deploy or install that is rewriting it finish, then start again",
        ));
    }
    Ok(digest::finish(hasher))
}

/// The descriptor as a path the loader can open; None without a mounted /proc (a bare chroot),
/// where an unhashed library is loaded by its path instead.
#[cfg(target_os = "linux")]
fn descriptor_path(file: &File) -> Option<PathBuf> {
    use std::os::fd::AsRawFd;
    let path = PathBuf::from(format!("/proc/self/fd/{}", file.as_raw_fd()));
    path.exists().then_some(path)
}

#[cfg(target_os = "linux")]
fn hashed_copy(path: &Path, source: &mut dyn Read, len: u64) -> Result<Image, WarmupError> {
    use std::os::fd::FromRawFd;
    let name = std::ffi::CString::new(LIBRARY_NAME).unwrap_or_default();
    let create = |flags: libc::c_uint| {
        // SAFETY: memfd_create takes a C string and flags and returns a new descriptor or -1.
        // Called as a raw syscall: glibc's wrapper needs 2.27, above our 2.17 floor.
        unsafe { libc::syscall(libc::SYS_memfd_create, name.as_ptr(), flags) }
    };
    let base = libc::MFD_CLOEXEC | libc::MFD_ALLOW_SEALING;
    // MFD_EXEC (linux 6.3+) keeps the memfd mappable as code where vm.memfd_noexec would
    // otherwise seal it non-executable; older kernels reject the flag and need none.
    let mut fd = create(base | 0x0010);
    if fd < 0 {
        fd = create(base);
    }
    if fd < 0 {
        let err = std::io::Error::last_os_error();
        let fix = match err.raw_os_error() {
            Some(libc::EPERM) | Some(libc::ENOSYS) | Some(libc::EACCES) => "allow the memfd_create system call: a seccomp profile (a container's, systemd's SystemCallFilter) refuses it, and a verified load maps its sealed copy from a memfd".to_owned(),
            _ => io_fix(&err),
        };
        return Err(failed(
            path,
            format_args!("could not be copied for a verified load (memfd_create: {err})"),
            &fix,
        ));
    }
    // SAFETY: fd is a new descriptor that nothing else owns.
    let mut copy = unsafe { File::from_raw_fd(fd as libc::c_int) };
    let sha256 = copy_hashing(path, source, &mut copy, len)?;
    let seals = libc::F_SEAL_SHRINK | libc::F_SEAL_GROW | libc::F_SEAL_WRITE | libc::F_SEAL_SEAL;
    // SAFETY: fcntl on our own descriptor.
    if unsafe { libc::fcntl(fd as libc::c_int, libc::F_ADD_SEALS, seals) } != 0 {
        let err = std::io::Error::last_os_error();
        return Err(failed(
            path,
            format_args!("could not be sealed for a verified load ({err})"),
            "run on linux 3.17 or later (memfd sealing); if this kernel has it, report this with `npx asherah-warmup doctor --json`",
        ));
    }
    let load_path = descriptor_path(&copy).ok_or_else(|| {
        failed(
            path,
            "cannot be loaded from its verified copy: /proc is not mounted, so the copy has no path the loader can open",
            "mount /proc in this container or chroot (a verified load maps its sealed copy through /proc/self/fd)",
        )
    })?;
    Ok(Image {
        load_path,
        file: copy,
        sha256: Some(sha256),
        cleanup: None,
    })
}

#[cfg(not(target_os = "linux"))]
fn descriptor_path(_file: &File) -> Option<PathBuf> {
    None
}

#[cfg(not(target_os = "linux"))]
fn hashed_copy(path: &Path, source: &mut dyn Read, len: u64) -> Result<Image, WarmupError> {
    use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
    let dir = std::env::temp_dir().join(format!(
        "asherah-warmup-{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos())
    ));
    std::fs::DirBuilder::new()
        .mode(0o700)
        .create(&dir)
        .map_err(|err| io_failed(path, "could not be copied for a verified load", err))?;
    let copy_path = dir.join(LIBRARY_NAME);
    let copied = (|| {
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .read(true)
            .create_new(true)
            .mode(0o500)
            .open(&copy_path)
            .map_err(|err| io_failed(path, "could not be copied for a verified load", err))?;
        let sha256 = Some(copy_hashing(path, source, &mut file, len)?);
        let _ = file.set_permissions(std::fs::Permissions::from_mode(0o500));
        let cleanup = Some(dir.clone());
        Ok(Image {
            load_path: copy_path,
            file,
            sha256,
            cleanup,
        })
    })();
    if copied.is_err() {
        let _ = std::fs::remove_dir_all(&dir);
    }
    copied
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;
    use std::os::fd::AsRawFd;

    /// The test binary (a position-independent ELF for this machine: a loadable image), prepared.
    fn prepared_exe(hash: bool) -> (PathBuf, Image) {
        let exe = std::fs::read_link("/proc/self/exe").unwrap();
        let opened = open_library(&exe).unwrap_or_else(|p| panic!("{}", p.describe()));
        let image =
            prepare(&exe, Input::File(opened), hash).unwrap_or_else(|e| panic!("{}", e.message));
        (exe, image)
    }

    #[test]
    fn a_hashed_image_is_a_sealed_copy_of_the_hashed_bytes() {
        let (exe, image) = prepared_exe(true);
        assert_eq!(
            image.sha256.as_deref(),
            Some(digest::sha256_hex(&std::fs::read(&exe).unwrap()).as_str())
        );
        let fd = image.file.as_raw_fd();
        assert_eq!(
            image.load_path,
            PathBuf::from(format!("/proc/self/fd/{fd}"))
        );
        let target = std::fs::read_link(&image.load_path).unwrap();
        assert!(
            target.to_string_lossy().starts_with("/memfd:"),
            "{target:?}"
        );
        // SAFETY: fcntl on an open descriptor.
        let seals = unsafe { libc::fcntl(fd, libc::F_GET_SEALS) };
        let want = libc::F_SEAL_SHRINK | libc::F_SEAL_GROW | libc::F_SEAL_WRITE | libc::F_SEAL_SEAL;
        assert_eq!(seals & want, want);
    }

    #[test]
    fn an_unhashed_image_is_the_opened_file() {
        let (exe, image) = prepared_exe(false);
        assert_eq!(image.sha256, None);
        assert_eq!(std::fs::read_link(&image.load_path).unwrap(), exe);
    }
}

#[cfg(test)]
#[path = "image_tests.rs"]
mod decisions;
