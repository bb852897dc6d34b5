//! Where the go-warmup library comes from. An explicit choice (the `library` option, then
//! `ASHERAH_WARMUP_LIBRARY`) is final: if it is wrong, that is the error. Otherwise the copy
//! shipped beside this addon (the platform package) wins, then asherah-node's downloaded copy in
//! `<asherah package>/lib/`; every miss is kept for the error message.

use crate::error::{Code, WarmupError};
use napi_derive::napi;
use std::path::{Path, PathBuf};

/// The release file name for the platform this addon was built for (set by build.rs).
pub const LIBRARY_NAME: &str = env!("GO_WARMUP_LIBRARY_NAME");

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// `warmup({ library })`
    Option,
    /// `ASHERAH_WARMUP_LIBRARY`
    Env,
    /// Beside our own `.node` file, as the platform package ships it.
    Package,
    /// asherah-node's `lib/` folder.
    AsherahNode,
}

impl Source {
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Option => "option",
            Source::Env => "env",
            Source::Package => "package",
            Source::AsherahNode => "asherah-node",
        }
    }

    /// Libraries from outside this package are verified when a digest is available for them.
    pub fn is_external(self) -> bool {
        self != Source::Package
    }

    fn describe(self) -> &'static str {
        match self {
            Source::Option => "the `library` option",
            Source::Env => "ASHERAH_WARMUP_LIBRARY",
            Source::Package => "beside the asherah-warmup addon",
            Source::AsherahNode => "asherah-node's lib/ folder",
        }
    }
}

/// A candidate path that was looked at and not used.
#[napi(object)]
#[derive(Clone, Debug)]
pub struct Tried {
    pub path: String,
    pub source: String,
    pub reason: String,
}

pub struct Found {
    pub path: PathBuf,
    pub source: Source,
}

/// Why `path` cannot be used as a library file, or None when it is a regular file.
fn miss_reason(path: &Path) -> Option<&'static str> {
    match std::fs::metadata(path) {
        Ok(meta) if meta.is_file() => None,
        Ok(meta) if meta.is_dir() => Some("is a directory, not a library file"),
        Ok(_) => Some("is not a regular file"),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Some("does not exist"),
        Err(err) if err.kind() == std::io::ErrorKind::PermissionDenied => {
            Some("cannot be read (permission denied)")
        }
        Err(_) => Some("cannot be read"),
    }
}

pub fn locate(
    explicit: Option<(PathBuf, Source)>,
    asherah_node_dir: impl FnOnce() -> Option<PathBuf>,
    tried: &mut Vec<Tried>,
) -> Result<Found, WarmupError> {
    if LIBRARY_NAME.is_empty() {
        return Err(WarmupError::new(
            Code::UnsupportedPlatform,
            "asherah-warmup was built for a platform with no go-warmup library (upstream ships linux and macOS, x64 and arm64)",
        ));
    }
    let mut miss = |path: &Path, source: Source, reason: &str| {
        tried.push(Tried {
            path: path.display().to_string(),
            source: source.as_str().to_owned(),
            reason: reason.to_owned(),
        })
    };

    if let Some((path, source)) = explicit {
        return match miss_reason(&path) {
            None => Ok(Found { path, source }),
            Some(reason) => {
                miss(&path, source, reason);
                Err(WarmupError::new(
                    Code::NotFound,
                    format!(
                        "{} names {}, which {reason}. Fix: point it at the go-warmup library file ({LIBRARY_NAME}), or remove it to use the copy shipped with asherah-warmup.",
                        source.describe(),
                        path.display()
                    ),
                ))
            }
        };
    }

    let mut probe = |path: PathBuf, source: Source| match miss_reason(&path) {
        None => Some(Found { path, source }),
        Some(reason) => {
            miss(&path, source, reason);
            None
        }
    };
    if let Some(found) = addon_dir().and_then(|dir| probe(dir.join(LIBRARY_NAME), Source::Package))
    {
        return Ok(found);
    }
    // Resolving asherah-node costs a module lookup in JS: only done once the packaged copy missed.
    if let Some(found) = asherah_node_dir()
        .and_then(|dir| probe(dir.join("lib").join(LIBRARY_NAME), Source::AsherahNode))
    {
        return Ok(found);
    }

    let list = tried
        .iter()
        .map(|t| format!("\n  - {} ({}: {})", t.path, t.source, t.reason))
        .collect::<String>();
    Err(WarmupError::new(
        Code::NotFound,
        format!(
            "no {LIBRARY_NAME} found. Tried:{list}\nFix: install asherah-warmup with its optional dependencies (its platform package carries the library), or set ASHERAH_WARMUP_LIBRARY to the absolute path of {LIBRARY_NAME}, or run `npx asherah-warmup download --dir <asherah-node>/lib`."
        ),
    ))
}

/// The folder holding this addon's own `.node` file, found through the loader's record of the
/// object that contains one of our functions.
fn addon_dir() -> Option<PathBuf> {
    let mut info = std::mem::MaybeUninit::<libc::Dl_info>::zeroed();
    let here = addon_dir as *const libc::c_void;
    // SAFETY: dladdr only reads the loader's tables and fills `info`.
    if unsafe { libc::dladdr(here, info.as_mut_ptr()) } == 0 {
        return None;
    }
    // SAFETY: dladdr returned non-zero, so `info` is filled and dli_fname is a C string.
    let fname = unsafe { std::ffi::CStr::from_ptr(info.assume_init().dli_fname) };
    let path =
        Path::new(<std::ffi::OsStr as std::os::unix::ffi::OsStrExt>::from_bytes(fname.to_bytes()));
    path.parent().map(Path::to_path_buf)
}
