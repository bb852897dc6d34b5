//! warmup.rs's decisions without a load: what plan() answers for a request (the library, its
//! source, how it would be verified and against what, or why it would fail), and how a later
//! request is judged against a load the process record kept (issue 19: the loaded file renamed
//! over, its descriptor closed or reused by other code).

use crate::test_support as support;

use super::*;
use crate::platform::{LIBRARY_NAME, SUMS_NAME};
use crate::verify::PinSource;
use std::fs::File;
use std::os::fd::AsRawFd;
use std::os::unix::fs::MetadataExt;
use std::path::Path;
use support::{hex64, sums_text, this_binary, TestDir};

fn request(library: Option<(PathBuf, Source)>, pin: Option<Pin>) -> Request {
    Request {
        library,
        pin,
        embedded: None,
        asherah_node: None,
        repair_signals: false,
    }
}

fn explicit(path: &Path) -> Option<(PathBuf, Source)> {
    Some((path.to_path_buf(), Source::Option))
}

fn pinned(sha256: &str) -> Option<Pin> {
    Some(Pin::parse(sha256, PinSource::Env).unwrap())
}

fn shown_path(path: &Path) -> Option<String> {
    Some(path.display().to_string())
}

#[test]
fn plan_for_a_missing_explicit_file_is_not_found_with_it_tried() {
    let dir = TestDir::new("plan-missing");
    let missing = dir.join(LIBRARY_NAME);
    let plan = plan(request(Some((missing.clone(), Source::Env)), None));
    assert_eq!(plan.error_code.as_deref(), Some(Code::NotFound.as_str()));
    let message = plan.error_message.unwrap();
    assert!(
        message.starts_with(&format!(
            "ASHERAH_WARMUP_LIBRARY names {}, which does not exist. Fix: ",
            missing.display()
        )),
        "{message}"
    );
    assert_eq!((plan.library, plan.verification), (None, None));
    let tried: Vec<_> = plan
        .tried
        .iter()
        .map(|t| (Some(t.path.clone()), t.source, t.reason.as_str()))
        .collect();
    assert_eq!(
        tried,
        [(shown_path(&missing), Source::Env, "does not exist")]
    );
    assert!(plan.settled.is_none(), "no test loads a library");
}

#[test]
fn plan_for_an_explicit_library_without_a_sums_file_is_unverified() {
    let dir = TestDir::new("plan-none");
    let library = dir.link(LIBRARY_NAME, &this_binary());
    let plan = plan(request(explicit(&library), None));
    assert_eq!(plan.error_message, None);
    assert_eq!(
        (plan.library, plan.source),
        (shown_path(&library), Some(Source::Option))
    );
    assert_eq!(plan.verification, Some(Verification::None));
    assert_eq!(
        (plan.expected_sha256, plan.sums_file, plan.sums_line),
        (None, None, None)
    );
    assert!(plan.tried.is_empty());
}

#[test]
fn plan_with_a_sums_file_beside_names_its_line_and_digest_and_a_pin_comes_first() {
    let dir = TestDir::new("plan-sums");
    let library = dir.link(LIBRARY_NAME, &this_binary());
    dir.write(
        SUMS_NAME,
        sums_text(&[(&hex64('1'), "other.so"), (&hex64('2'), LIBRARY_NAME)]),
    );
    let sums_file = shown_path(&dir.join(SUMS_NAME));
    let plan_of = |pin| plan(request(explicit(&library), pin));
    let listed = plan_of(None);
    assert_eq!(listed.error_message, None);
    assert_eq!(listed.verification, Some(Verification::SumsFile));
    assert_eq!(listed.expected_sha256, Some(hex64('2')));
    assert_eq!(
        (listed.sums_file, listed.sums_line),
        (sums_file.clone(), Some(2))
    );
    let with_pin = plan_of(pinned(&hex64('3')));
    assert_eq!(with_pin.verification, Some(Verification::Pinned));
    assert_eq!(with_pin.expected_sha256, Some(hex64('3')));
    assert_eq!(
        (with_pin.sums_file, with_pin.sums_line),
        (sums_file, Some(2))
    );
}

#[test]
fn plan_for_a_file_that_is_no_library_stops_at_its_header_with_what_it_found() {
    let dir = TestDir::new("plan-header");
    for (name, bytes) in [("empty.so", ""), ("text.so", "a text file, not a library")] {
        let library = dir.write(name, bytes);
        let plan = plan(request(explicit(&library), None));
        assert_eq!(plan.error_code.as_deref(), Some(Code::LoadFailed.as_str()));
        assert_eq!(
            plan.error_message.unwrap(),
            format!(
                "{} is not an ELF shared library ({} bytes, no ELF header). Fix: {}.",
                library.display(),
                bytes.len(),
                image::wrong_file_fix()
            )
        );
        assert_eq!(
            (plan.library, plan.source),
            (shown_path(&library), Some(Source::Option))
        );
        assert_eq!(plan.verification, None, "not reached");
    }
}

#[test]
fn plan_for_files_a_bundler_put_beside_a_bundle() {
    let dir = TestDir::new("plan-embedded");
    // Bun's bundler renames what it copies: the sums file lists the release name.
    let library = dir.link("chunk-1a2b.so", &this_binary());
    let sums_file = dir.join("chunk-3c4d.txt");
    let embedded = |library_bytes: Option<Vec<u8>>| Embedded {
        library: library.clone(),
        library_bytes,
        sums_file: sums_file.clone(),
        sums_bytes: None,
    };
    let plan_of = |files| {
        plan(Request {
            embedded: Some(files),
            ..request(None, None)
        })
    };

    let missing = plan_of(embedded(None));
    assert_eq!(missing.error_code.as_deref(), Some(Code::NotFound.as_str()));
    let message = missing.error_message.unwrap();
    assert!(message.starts_with(&format!("{}, which Bun's bundler put beside the bundle, does not exist. Fix: deploy the whole output folder", sums_file.display())), "{message}");

    std::fs::write(&sums_file, sums_text(&[(&hex64('5'), LIBRARY_NAME)])).unwrap();
    let found = plan_of(embedded(None));
    assert_eq!(found.error_message, None);
    assert_eq!(
        (found.library, found.source),
        (shown_path(&library), Some(Source::Embedded))
    );
    assert_eq!(found.verification, Some(Verification::SumsFile));
    assert_eq!(
        (found.expected_sha256, found.sums_file, found.sums_line),
        (Some(hex64('5')), shown_path(&sums_file), Some(1))
    );

    // Bytes read from a compiled executable are header-checked like a file.
    let bytes = plan_of(embedded(Some(b"\x7fELF but cut short".to_vec())));
    assert_eq!(bytes.error_code.as_deref(), Some(Code::LoadFailed.as_str()));
    assert_eq!(bytes.source, Some(Source::Embedded));
}

/// A library file in its own folder, and what a load of it left in the process record, with
/// the descriptor the loader kept (None once other code closed it).
struct Loaded {
    dir: TestDir,
    path: PathBuf,
    kept: Option<File>,
    record: LoadedV2,
}

const BYTES: &[u8] = b"the bytes of the loaded library";

fn loaded(recorded_sha256: Option<&str>) -> Loaded {
    let dir = TestDir::new("loaded");
    let path = dir.write("lib.so", BYTES);
    let kept = File::open(&path).unwrap();
    let meta = kept.metadata().unwrap();
    let record = LoadedV2 {
        result: 1,
        fd: kept.as_raw_fd(),
        dev: meta.dev(),
        ino: meta.ino(),
        duration_ms: 1.5,
        library: process::leak(path.to_str().unwrap()),
        source: process::leak("env"),
        verification: process::leak("none"),
        sha256: recorded_sha256.map_or(std::ptr::null(), process::leak),
    };
    Loaded {
        dir,
        path,
        kept: Some(kept),
        record,
    }
}

impl Loaded {
    /// A deploy: a new file (a new inode) with `bytes`, renamed over the loaded one's path.
    fn replace(&self, bytes: &[u8]) {
        let staged = self.dir.write("staged", bytes);
        std::fs::rename(staged, &self.path).unwrap();
    }

    /// Other code closes the kept descriptor. Its number is free for any thread of this test
    /// process to take, which the code under test must not mistake for the library either.
    fn close(&mut self) {
        drop(self.kept.take());
    }

    /// Other code opens /dev/null onto the kept descriptor's number.
    fn reuse_descriptor(&self) {
        let null = File::open("/dev/null").unwrap();
        let fd = self.kept.as_ref().unwrap().as_raw_fd();
        // SAFETY: replaces a descriptor this test owns (its File closes /dev/null in the end).
        assert_eq!(unsafe { libc::dup2(null.as_raw_fd(), fd) }, fd);
    }

    /// A later request for `library` (by ASHERAH_WARMUP_LIBRARY) and a `pin`.
    fn judge(
        &self,
        library: Option<&Path>,
        pin: Option<&str>,
    ) -> Result<NativeStatus, WarmupError> {
        let library = library.map(|p| (p.to_path_buf(), Source::Env));
        settled_with(&self.record, &request(library, pin.and_then(pinned)))
    }
}

fn sha256(bytes: &[u8]) -> String {
    digest::sha256_hex(bytes)
}

fn already(result: Result<NativeStatus, WarmupError>) -> String {
    let err = result.expect_err("ALREADY_WARMED");
    assert_eq!(err.code, Code::AlreadyWarmed, "{}", err.message);
    err.message
}

#[test]
fn the_same_file_by_its_path_or_another_gets_the_settled_status() {
    let load = loaded(None);
    let status = load.judge(Some(&load.path), Some(&sha256(BYTES))).unwrap();
    assert!(status.warmed);
    assert_eq!(status.library, shown_path(&load.path));
    assert_eq!(
        (status.source, status.verification, status.verified),
        (Some(Source::Env), Some(Verification::None), false)
    );
    let other_name = load.dir.link("another-name.so", &load.path);
    assert!(load.judge(Some(&other_name), None).is_ok());
}

#[test]
fn the_same_bytes_renamed_over_are_the_same_library_other_bytes_are_not() {
    let load = loaded(None);
    load.replace(BYTES);
    assert!(
        load.judge(Some(&load.path), None).is_ok(),
        "same bytes, new inode"
    );
    load.replace(b"another library");
    let message = already(load.judge(Some(&load.path), None));
    assert!(message.starts_with(&format!("this process already loaded {0} (env, verification: none); ASHERAH_WARMUP_LIBRARY asks for {0}, a different file. A process runs one go-warmup library. Fix: ", load.path.display())), "{message}");
    // What was loaded is still read through the kept descriptor.
    assert!(load.judge(None, Some(&sha256(BYTES))).is_ok());
    let message = already(load.judge(None, Some(&hex64('e'))));
    let wrong = format!(
        "its SHA-256 is {}, not the pinned {}",
        sha256(BYTES),
        hex64('e')
    );
    assert!(message.contains(&wrong), "{message}");
}

#[test]
fn a_closed_descriptor_is_read_again_by_its_path_only_while_that_is_the_loaded_file() {
    let mut load = loaded(None);
    load.close();
    assert!(load.judge(None, Some(&sha256(BYTES))).is_ok());
    assert!(load.judge(Some(&load.path), None).is_ok());
    load.replace(BYTES);
    let message = already(load.judge(None, Some(&sha256(BYTES))));
    let why = format!("the pinned SHA-256 cannot be checked against it: its bytes cannot be read again: descriptor {} that this package kept for it was closed by other code, and {} is no longer that file", load.record.fd, load.path.display());
    assert!(message.contains(&why), "{message}");
    // Nor is the path the loaded library: the same bytes prove nothing without the loaded ones.
    already(load.judge(Some(&load.path), None));
}

#[test]
fn a_descriptor_reused_by_another_file_is_not_read_as_the_library() {
    let load = loaded(None);
    load.reuse_descriptor();
    // /dev/null reads as empty: taken for the library, its digest would be that of no bytes.
    assert!(load.judge(None, Some(&sha256(BYTES))).is_ok());
    already(load.judge(None, Some(&sha256(b""))));
    load.replace(b"another library");
    let message = already(load.judge(None, Some(&sha256(BYTES))));
    assert!(message.contains("cannot be read again"), "{message}");
}

#[test]
fn a_recorded_digest_is_used_without_reading_anything() {
    let recorded = hex64('7');
    let mut load = loaded(Some(&recorded));
    load.close();
    std::fs::remove_file(&load.path).unwrap();
    assert!(load.judge(None, Some(&recorded)).is_ok());
    let message = already(load.judge(None, Some(&sha256(BYTES))));
    assert!(
        message.contains(&format!("its SHA-256 is {recorded}, not the pinned")),
        "{message}"
    );
}

#[test]
fn a_load_whose_warmup_did_not_return_1_is_bad_result_again() {
    let mut load = loaded(None);
    load.record.result = 0;
    let err = load.judge(None, None).expect_err("BAD_RESULT");
    assert_eq!(err.code, Code::BadResult);
    let start = format!(
        "Warmup() in {} returned 0, expected 1. Fix: ",
        load.path.display()
    );
    assert!(err.message.starts_with(&start), "{}", err.message);
}

#[test]
fn a_load_without_warmup_stays_the_process_library_and_is_symbol_missing_again() {
    let mut load = loaded(None);
    load.record.result = process::NO_WARMUP;
    let status = status_of(&load.record);
    assert_eq!((status.warmed, status.result), (false, None));
    for library in [None, Some(load.path.as_path())] {
        let err = load.judge(library, None).expect_err("SYMBOL_MISSING");
        assert_eq!(err.code, Code::SymbolMissing);
        let start = format!(
            "{} loaded but exports no `Warmup` function (loaded earlier in this process). Fix: ",
            load.path.display()
        );
        assert!(err.message.starts_with(&start), "{}", err.message);
    }
    let other = load.dir.write("other.so", b"other bytes");
    already(load.judge(Some(&other), None));
}
