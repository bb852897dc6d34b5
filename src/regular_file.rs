//! Opens the files this addon reads (the library, a sums file) so that no file can hang or
//! exhaust the process: `O_NONBLOCK` (opening a FIFO for reading otherwise blocks until a writer
//! comes), then `fstat` on the opened descriptor (not the path, which may change underneath) to
//! accept only a regular file no larger than a cap.

use std::fs::File;
use std::io;
use std::os::unix::fs::{FileTypeExt, MetadataExt, OpenOptionsExt};
use std::path::Path;

/// An open regular file and what `fstat` said about it.
pub struct RegularFile {
    pub file: File,
    pub len: u64,
    /// Device and inode: identify the file whatever path reached it.
    pub id: (u64, u64),
}

/// Why a path cannot be read as a regular file.
#[derive(Debug)]
pub enum Problem {
    Missing,
    Denied,
    /// ELOOP: a symlink cycle, or too many levels of links.
    Loop,
    NotRegular(&'static str),
    TooLarge {
        len: u64,
        cap: u64,
    },
    /// EMFILE or ENFILE: the process (or the system) is out of file descriptors.
    NoDescriptors(io::Error),
    /// On a file system mounted noexec (checked for libraries only, image.rs).
    NoExec,
    Other(io::Error),
}

pub fn out_of_descriptors(err: &io::Error) -> bool {
    matches!(err.raw_os_error(), Some(libc::EMFILE) | Some(libc::ENFILE))
}

impl Problem {
    /// "does not exist", "is a FIFO (named pipe), not a regular file", ...
    pub fn describe(&self) -> String {
        match self {
            Problem::Missing => "does not exist".to_owned(),
            Problem::Denied => "cannot be read (EACCES: permission denied)".to_owned(),
            Problem::Loop => {
                "cannot be opened (ELOOP: too many levels of symbolic links)".to_owned()
            }
            Problem::NotRegular(kind) => format!("is {kind}, not a regular file"),
            Problem::TooLarge { len, cap } => {
                format!("is {len} bytes, larger than the {cap}-byte limit")
            }
            Problem::NoDescriptors(err) => {
                format!("cannot be opened: this process has no file descriptor left ({err})")
            }
            Problem::NoExec => "is on a file system mounted noexec, where the administrator does not allow code to run".to_owned(),
            Problem::Other(err) => format!("cannot be read ({err})"),
        }
    }

    /// The fix when it lies with the process or the machine rather than with the file chosen:
    /// pointing at another file would not help, so a search stops there.
    pub fn fix(&self) -> Option<&'static str> {
        match self {
            Problem::NoDescriptors(_) => Some(crate::error::RAISE_FILE_LIMIT),
            Problem::NoExec => Some("install asherah-warmup (or point ASHERAH_WARMUP_LIBRARY) on a file system that is not mounted noexec; the mount option is the administrator's policy, so asherah-warmup does not load code from there"),
            _ => None,
        }
    }
}

pub fn open(path: &Path, cap: u64) -> Result<RegularFile, Problem> {
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY)
        .open(path)
        .map_err(|err| match err.raw_os_error() {
            Some(libc::ENOENT) | Some(libc::ENOTDIR) => Problem::Missing,
            Some(libc::EACCES) | Some(libc::EPERM) => Problem::Denied,
            Some(libc::ELOOP) => Problem::Loop,
            // A socket file cannot be opened at all.
            Some(libc::ENXIO) => Problem::NotRegular("a socket"),
            _ if out_of_descriptors(&err) => Problem::NoDescriptors(err),
            _ => Problem::Other(err),
        })?;
    let meta = file.metadata().map_err(Problem::Other)?;
    let kind = meta.file_type();
    if !kind.is_file() {
        let kinds = [
            (kind.is_dir(), "a directory"),
            (kind.is_fifo(), "a FIFO (named pipe)"),
            (kind.is_char_device(), "a character device"),
            (kind.is_block_device(), "a block device"),
            (kind.is_socket(), "a socket"),
        ];
        let named = kinds.into_iter().find_map(|(is, name)| is.then_some(name));
        return Err(Problem::NotRegular(named.unwrap_or("not a regular file")));
    }
    if meta.len() > cap {
        return Err(Problem::TooLarge {
            len: meta.len(),
            cap,
        });
    }
    Ok(RegularFile {
        file,
        len: meta.len(),
        id: (meta.dev(), meta.ino()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_what_is_not_a_regular_file() {
        let err = |p: &str| open(Path::new(p), 1 << 20).err().unwrap().describe();
        assert_eq!(err("/"), "is a directory, not a regular file");
        assert_eq!(
            err("/dev/zero"),
            "is a character device, not a regular file"
        );
        assert_eq!(err("/no/such/file"), "does not exist");
        let big = open(Path::new("/proc/self/exe"), 10).err().unwrap();
        assert!(matches!(big, Problem::TooLarge { cap: 10, .. }));
    }

    #[test]
    fn a_fifo_does_not_block() {
        let dir = std::env::temp_dir().join(format!("aw-fifo-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let fifo = dir.join("f");
        let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        // SAFETY: creates a FIFO at a path we own.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        let problem = open(&fifo, 1 << 20).err().unwrap().describe();
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(problem, "is a FIFO (named pipe), not a regular file");
    }
}

#[cfg(test)]
#[path = "regular_file_tests.rs"]
mod decisions;
