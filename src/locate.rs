//! Where the go-warmup library comes from. An explicit choice (the `library` option, then
//! `ASHERAH_WARMUP_LIBRARY`) is final: if it is wrong, that is the error. Otherwise the copy
//! shipped beside this addon (the platform package) wins, then asherah-node's downloaded copy in
//! `<asherah package>/lib/`; every miss is kept for the error message and for doctor.
//! A candidate is chosen by opening it (regular_file.rs): the descriptor it returns is the one
//! every later step reads, so the file checked is the file loaded.

use crate::error::{shown, Code, WarmupError};
use crate::image;
use crate::image::Input;
use crate::platform::LIBRARY_NAME;
use crate::regular_file::Problem;
use napi_derive::napi;
use std::path::{Path, PathBuf};

crate::kinds::string_enum! {
    /// Where a library came from.
    pub enum Source {
        /// `warmup({ library })`
        Option = "option",
        /// `ASHERAH_WARMUP_LIBRARY`
        Env = "env",
        /// Beside our own `.node` file, as the platform package ships it.
        Package = "package",
        /// asherah-node's `lib/` folder.
        AsherahNode = "asherah-node",
        /// Embedded by Bun's bundler with the platform package's sums file: in a `bun build
        /// --compile` executable, or beside a bundle.
        Embedded = "embedded",
    }
}

impl Source {
    /// Libraries from outside this package are verified against a sums file beside them.
    pub fn is_external(self) -> bool {
        self != Source::Package
    }

    pub fn describe(self) -> &'static str {
        match self {
            Source::Option => "the `library` option",
            Source::Env => "ASHERAH_WARMUP_LIBRARY",
            Source::Package => "beside the asherah-warmup addon",
            Source::AsherahNode => "asherah-node's lib/ folder",
            Source::Embedded => "the library Bun's bundler embedded",
        }
    }
}

/// A candidate path that was looked at and not used.
#[napi(object)]
#[derive(Clone, Debug)]
pub struct Tried {
    pub path: String,
    pub source: Source,
    pub reason: String,
}

/// The chosen library, open (or in memory).
pub struct Located {
    pub path: PathBuf,
    pub source: Source,
    pub input: Input,
}

/// A file (named in `subject`) cannot be used: the problem's own fix where it has one, else `fix`.
/// Too large to be a library, or refused by the machine (no descriptors, a noexec mount), it is a
/// load failure; anything else (missing, not a regular file, denied) means none was found.
fn refused(subject: String, problem: &Problem, fix: &str) -> WarmupError {
    let code = if matches!(problem, Problem::TooLarge { .. }) || problem.fix().is_some() {
        Code::LoadFailed
    } else {
        Code::NotFound
    };
    WarmupError::new(
        code,
        format!(
            "{subject} {}. Fix: {}.",
            problem.describe(),
            problem.fix().unwrap_or(fix)
        ),
    )
}

/// A file Bun's bundler embedded that cannot be used: not there (deployed without it), or not a
/// regular file of a library's size.
pub fn not_embedded(path: &Path, problem: &Problem) -> WarmupError {
    refused(
        format!(
            "{}, which Bun's bundler put beside the bundle,",
            shown(path)
        ),
        problem,
        "deploy the whole output folder of `bun build`, or build again",
    )
}

/// Opens `path` as the library from `source`, or records in `tried` why it cannot be used.
fn probe(
    path: PathBuf,
    source: Source,
    tried: &mut Vec<Tried>,
) -> Result<Located, (PathBuf, Problem)> {
    match image::open_library(&path) {
        Ok(file) => Ok(Located {
            path,
            source,
            input: Input::File(file),
        }),
        Err(problem) => {
            tried.push(Tried {
                path: shown(&path),
                source,
                reason: problem.describe(),
            });
            Err((path, problem))
        }
    }
}

/// The library to load: the explicit choice, else the copy beside this addon, else (when the
/// caller found asherah-node, which it does only after this said NOT_FOUND) asherah-node's.
pub fn locate(
    explicit: Option<(PathBuf, Source)>,
    asherah_node: Option<&Path>,
    tried: &mut Vec<Tried>,
) -> Result<Located, WarmupError> {
    if LIBRARY_NAME.is_empty() {
        return Err(WarmupError::new(
            Code::UnsupportedPlatform,
            "asherah-warmup was built for a platform with no go-warmup library (upstream ships linux and macOS, x64 and arm64)",
        ));
    }
    if let Some((path, source)) = explicit {
        return probe(path, source, tried).map_err(|(path, problem)| {
            refused(
                format!("{} names {}, which", source.describe(), shown(&path)),
                &problem,
                &format!("point it at the go-warmup library file ({LIBRARY_NAME}), or remove it to use the copy shipped with asherah-warmup"),
            )
        });
    }

    let packaged = addon_path().and_then(|addon| Some(addon.parent()?.join(LIBRARY_NAME)));
    let from_asherah_node = asherah_node.map(|dir| dir.join("lib").join(LIBRARY_NAME));
    let candidates = [
        (packaged, Source::Package),
        (from_asherah_node, Source::AsherahNode),
    ];
    for (path, source) in candidates {
        let Some(path) = path else { continue };
        match probe(path, source, tried) {
            Ok(found) => return Ok(found),
            // The machine refused a file that is there: another candidate would fare no better.
            Err((path, problem)) if problem.fix().is_some() => {
                let subject = format!("{} ({})", shown(&path), source.describe());
                return Err(refused(subject, &problem, ""));
            }
            Err(_) => {}
        }
    }

    let list = tried
        .iter()
        .map(|t| format!("\n  - {} ({}: {})", t.path, t.source.as_str(), t.reason))
        .collect::<String>();
    Err(WarmupError::new(
        Code::NotFound,
        format!(
            "no usable {LIBRARY_NAME} found. Tried:{list}\nFix: install asherah-warmup with its optional dependencies (npm install --include=optional: its platform package carries the library), or set ASHERAH_WARMUP_LIBRARY to the absolute path of {LIBRARY_NAME}."
        ),
    ))
}

/// This addon's own `.node` file, found through the loader's record of the object that contains
/// one of our functions.
pub fn addon_path() -> Option<PathBuf> {
    let mut info = std::mem::MaybeUninit::<libc::Dl_info>::zeroed();
    let here = addon_path as *const libc::c_void;
    // SAFETY: dladdr only reads the loader's tables and fills `info`.
    if unsafe { libc::dladdr(here, info.as_mut_ptr()) } == 0 {
        return None;
    }
    // SAFETY: dladdr returned non-zero, so `info` is filled and dli_fname is a C string.
    let fname = unsafe { std::ffi::CStr::from_ptr(info.assume_init().dli_fname) };
    Some(PathBuf::from(
        <std::ffi::OsStr as std::os::unix::ffi::OsStrExt>::from_bytes(fname.to_bytes()),
    ))
}

#[cfg(all(test, target_os = "linux"))]
#[path = "locate_tests.rs"]
mod tests;
