//! verify.rs's decisions: which check a library gets from where it came from and what was given,
//! the digest it must have, what a mismatch says, and how a sums file is found, read and parsed
//! (fail closed: a sums file that is there but unusable stops the load).

use crate::test_support as support;

use super::*;
use crate::error::Code;
use crate::image::Input;
use crate::locate::{Located, Source};
use std::path::Path;
use support::{every_source, hex64, sums_text, TestDir};

fn pin(sha256: &str, by: PinSource) -> Pin {
    Pin::parse(sha256, by).unwrap()
}

fn listed(sha256: &str, line: u32) -> Listed {
    Listed {
        sums_file: PathBuf::from("/pkg/lib").join(SUMS_NAME),
        sha256: sha256.to_owned(),
        line,
    }
}

/// A library found at `path` (its bytes are not read by what these tests call).
fn located(path: PathBuf, source: Source) -> Located {
    Located {
        path,
        source,
        input: Input::Bytes(Vec::new()),
    }
}

fn message(result: Result<impl Sized, WarmupError>, code: Code) -> String {
    let err = result.err().expect("an error");
    assert_eq!(err.code, code, "{}", err.message);
    err.message
}

#[test]
fn the_kind_follows_the_pin_then_the_sums_file_then_the_source() {
    for source in every_source() {
        // Only the copy in our own package was checked by the package manager at install.
        let unhashed = if source == Source::Package {
            Verification::PackageManager
        } else {
            Verification::None
        };
        for (pinned, with_sums, want) in [
            (true, true, Verification::Pinned),
            (true, false, Verification::Pinned),
            (false, true, Verification::SumsFile),
            (false, false, unhashed),
        ] {
            let method = Method {
                pin: pinned.then(|| pin(&hex64('a'), PinSource::Option)),
                listed: with_sums.then(|| listed(&hex64('b'), 1)),
                source,
            };
            let case = format!("{source:?} pinned={pinned} sums={with_sums}");
            assert_eq!(method.kind(), want, "{case}");
            let hashed = matches!(want, Verification::Pinned | Verification::SumsFile);
            assert_eq!(method.kind().is_verified(), hashed, "{case}");
        }
    }
}

#[test]
fn the_expected_digest_is_the_pins_when_both_are_given() {
    let (a, b) = (hex64('a'), hex64('b'));
    let both = Method {
        pin: Some(pin(&a, PinSource::Env)),
        listed: Some(listed(&b, 1)),
        source: Source::Env,
    };
    assert_eq!(both.expected(), Some(a.as_str()));
    let sums_only = Method { pin: None, ..both };
    assert_eq!(sums_only.expected(), Some(b.as_str()));
    let neither = Method {
        pin: None,
        listed: None,
        source: Source::Package,
    };
    assert_eq!(neither.expected(), None);
}

#[test]
fn a_mismatch_names_the_file_both_digests_and_who_expects_it() {
    let library = Path::new("/apps/x/go-warmup.so");
    let (good, bad) = (hex64('a'), hex64('f'));
    for (by, named) in [
        (PinSource::Option, "the sha256 option"),
        (PinSource::Env, "ASHERAH_WARMUP_SHA256"),
    ] {
        let method = Method {
            pin: Some(pin(&good, by)),
            listed: None,
            source: Source::Option,
        };
        assert!(method.check(library, &good).is_ok());
        let text = message(method.check(library, &bad), Code::ChecksumMismatch);
        assert_eq!(
            text,
            format!("SHA-256 of /apps/x/go-warmup.so is {bad}, but {named} expects {good}; it was not loaded. Fix: replace the file with the matching release build, or correct {named}.")
        );
    }
    let method = Method {
        pin: None,
        listed: Some(listed(&good, 3)),
        source: Source::AsherahNode,
    };
    let text = message(method.check(library, &bad), Code::ChecksumMismatch);
    assert!(
        text.contains(&format!("but /pkg/lib/{SUMS_NAME}:3 expects {good}")),
        "{text}"
    );
}

#[test]
fn a_matching_pin_does_not_excuse_a_sums_file_that_disagrees() {
    let (pinned, listed_digest) = (hex64('a'), hex64('b'));
    let method = Method {
        pin: Some(pin(&pinned, PinSource::Option)),
        listed: Some(listed(&listed_digest, 2)),
        source: Source::Option,
    };
    let text = message(
        method.check(Path::new("/l.so"), &pinned),
        Code::ChecksumMismatch,
    );
    assert!(
        text.contains(&format!("{SUMS_NAME}:2 expects {listed_digest}")),
        "{text}"
    );
    // Both wrong: the pin, the user's own setting, is the one reported.
    let text = message(
        method.check(Path::new("/l.so"), &hex64('c')),
        Code::ChecksumMismatch,
    );
    assert!(text.contains("the sha256 option expects"), "{text}");
}

#[test]
fn a_path_in_a_mismatch_has_its_control_characters_escaped() {
    let method = Method {
        pin: Some(pin(&hex64('a'), PinSource::Option)),
        listed: None,
        source: Source::Option,
    };
    let text = message(
        method.check(Path::new("/x\nFORGED.so"), &hex64('b')),
        Code::ChecksumMismatch,
    );
    assert!(
        text.contains("/x\\nFORGED.so") && !text.contains('\n'),
        "{text}"
    );
}

#[test]
fn a_pin_is_64_hex_digits_in_either_case_and_nothing_else() {
    let upper = hex64('A');
    assert_eq!(pin(&upper, PinSource::Option).sha256, hex64('a'));
    for (raw, by, named) in [
        ("abc123".to_owned(), PinSource::Option, "the sha256 option"),
        (hex64('g'), PinSource::Option, "the sha256 option"),
        (
            format!("{}0", hex64('a')),
            PinSource::Env,
            "ASHERAH_WARMUP_SHA256",
        ),
        (
            format!("sha256:{}", hex64('a')),
            PinSource::Env,
            "ASHERAH_WARMUP_SHA256",
        ),
        (String::new(), PinSource::Env, "ASHERAH_WARMUP_SHA256"),
    ] {
        let text = message(Pin::parse(&raw, by), Code::InvalidOption);
        assert_eq!(
            text,
            format!("{named} must be 64 hexadecimal characters (a SHA-256 digest), got {raw:?}. Fix: copy the digest from the release's {SUMS_NAME}.")
        );
    }
}

#[test]
fn the_packaged_copy_is_not_checked_against_a_sums_file_beside_it() {
    let dir = TestDir::new("packaged");
    dir.write(SUMS_NAME, "not a sums file");
    let method = method(
        &located(dir.join(LIBRARY_NAME), Source::Package),
        None,
        None,
    )
    .unwrap();
    assert!(method.listed.is_none());
    assert_eq!(method.kind(), Verification::PackageManager);
}

#[test]
fn a_library_from_outside_is_checked_against_the_sums_file_beside_it() {
    let dir = TestDir::new("beside");
    let library = dir.join("renamed.so");
    for source in every_source().into_iter().filter(|s| s.is_external()) {
        let none = method(&located(library.clone(), source), None, None).unwrap();
        assert_eq!(none.kind(), Verification::None, "{source:?}: no sums file");
    }
    // Listed by the name it has here, not the release's.
    dir.write(
        SUMS_NAME,
        sums_text(&[(&hex64('1'), LIBRARY_NAME), (&hex64('2'), "renamed.so")]),
    );
    let found = method(&located(library.clone(), Source::Option), None, None).unwrap();
    let listed = found.listed.as_ref().unwrap();
    assert_eq!(
        (
            listed.sums_file.as_path(),
            listed.sha256.as_str(),
            listed.line
        ),
        (dir.join(SUMS_NAME).as_path(), hex64('2').as_str(), 2)
    );
    assert_eq!(found.kind(), Verification::SumsFile);
    // A pin is kept beside it: both are checked.
    let pinned = method(
        &located(library, Source::Env),
        Some(pin(&hex64('3'), PinSource::Env)),
        None,
    )
    .unwrap();
    assert_eq!(pinned.kind(), Verification::Pinned);
    assert_eq!(pinned.listed.unwrap().sha256, hex64('2'));
}

#[test]
fn a_sums_file_beside_that_does_not_list_the_library_or_is_malformed_stops_the_load() {
    let dir = TestDir::new("unlisted");
    let library = dir.join(LIBRARY_NAME);
    let sums_file = dir.join(SUMS_NAME).display().to_string();
    dir.write(SUMS_NAME, sums_text(&[(&hex64('1'), "go-warmup-other.so")]));
    let text = message(
        method(&located(library.clone(), Source::Option), None, None),
        Code::SumsInvalid,
    );
    assert_eq!(
        text,
        format!("{sums_file} does not list {LIBRARY_NAME}, so {} cannot be verified and was not loaded. Fix: replace {SUMS_NAME} with the release's own (lines `<sha256>  ./<file>`), or remove it to load the library unverified.", library.display())
    );
    dir.write(
        SUMS_NAME,
        format!("{}bad line\n", sums_text(&[(&hex64('1'), LIBRARY_NAME)])),
    );
    let text = message(
        method(&located(library, Source::AsherahNode), None, None),
        Code::SumsInvalid,
    );
    assert!(
        text.starts_with(&format!("{sums_file}:2 is not `<64 hex")),
        "{text}"
    );
}

#[test]
fn embedded_sums_list_the_release_name_whatever_the_librarys_path() {
    let label = PathBuf::from("/$bunfs/root").join(SUMS_NAME);
    let bytes = sums_text(&[(&hex64('1'), "x.so"), (&hex64('2'), LIBRARY_NAME)]).into_bytes();
    let embedded = (label.clone(), bytes);
    let library = located(
        PathBuf::from("/$bunfs/root/chunk-1a2b.so"),
        Source::Embedded,
    );
    let found = method(&library, None, Some(embedded)).unwrap();
    let listed = found.listed.unwrap();
    assert_eq!(
        (listed.sums_file, listed.sha256, listed.line),
        (label, hex64('2'), 2)
    );
}

#[test]
fn read_sums_none_when_missing_bytes_when_regular() {
    let dir = TestDir::new("read-sums");
    let library = dir.join(LIBRARY_NAME);
    assert_eq!(read_sums(&dir.join(SUMS_NAME), &library).unwrap(), None);
    let text = sums_text(&[(&hex64('1'), LIBRARY_NAME)]);
    let file = dir.write(SUMS_NAME, &text);
    assert_eq!(read_sums(&file, &library).unwrap(), Some(text.into_bytes()));
    // Up to the limit exactly.
    std::fs::File::options()
        .write(true)
        .open(&file)
        .unwrap()
        .set_len(sums::MAX_BYTES)
        .unwrap();
    assert_eq!(
        read_sums(&file, &library).unwrap().map(|b| b.len() as u64),
        Some(sums::MAX_BYTES)
    );
}

#[test]
fn read_sums_refuses_what_is_not_a_small_regular_file() {
    let dir = TestDir::new("read-sums-bad");
    let library = dir.join(LIBRARY_NAME);
    let fifo = dir.fifo("fifo");
    let folder = dir.join("folder");
    std::fs::create_dir(&folder).unwrap();
    let huge = dir.write("huge", "");
    std::fs::File::options()
        .write(true)
        .open(&huge)
        .unwrap()
        .set_len(sums::MAX_BYTES + 1)
        .unwrap();
    let zero = dir.link("zero", Path::new("/dev/zero"));
    let looped = dir.link("loop", &dir.join("loop"));
    for (file, why) in [
        (zero, "is a character device, not a regular file".to_owned()),
        (
            looped,
            "cannot be opened (ELOOP: too many levels of symbolic links)".to_owned(),
        ),
        (
            fifo,
            "is a FIFO (named pipe), not a regular file".to_owned(),
        ),
        (folder, "is a directory, not a regular file".to_owned()),
        (
            huge,
            format!(
                "is {} bytes, larger than the {}-byte limit",
                sums::MAX_BYTES + 1,
                sums::MAX_BYTES
            ),
        ),
    ] {
        let text = message(read_sums(&file, &library), Code::SumsInvalid);
        let start = format!(
            "{} {why}, so {} cannot be verified",
            file.display(),
            library.display()
        );
        assert!(text.starts_with(&start), "{text}");
    }
}

#[test]
fn listed_in_finds_the_line_and_refuses_oversized_unlisted_and_duplicate() {
    let file = PathBuf::from("/pkg").join(SUMS_NAME);
    let library = Path::new("/pkg/a.so");
    let list = |bytes: &[u8], name: &str| listed_in(bytes, file.clone(), name, library);
    let text = sums_text(&[(&hex64('1'), "b.so"), (&hex64('A'), "a.so")]);
    let found = list(text.as_bytes(), "a.so").unwrap();
    assert_eq!((found.sha256, found.line), (hex64('a'), 2));

    let shown = file.display().to_string();
    let oversized = vec![b'\n'; sums::MAX_BYTES as usize + 1];
    let text = message(list(&oversized, "a.so"), Code::SumsInvalid);
    assert!(
        text.starts_with(&format!(
            "{shown} is larger than the 1048576-byte limit, so /pkg/a.so"
        )),
        "{text}"
    );
    let text = message(list(b"", "a.so"), Code::SumsInvalid);
    assert!(
        text.starts_with(&format!("{shown} lists no files")),
        "{text}"
    );
    let unlisted = sums_text(&[(&hex64('1'), "b.so")]);
    let text = message(list(unlisted.as_bytes(), "a.so"), Code::SumsInvalid);
    assert!(
        text.starts_with(&format!("{shown} does not list a.so,")),
        "{text}"
    );
    let twice = sums_text(&[(&hex64('1'), "a.so"), (&hex64('2'), "a.so")]);
    let text = message(list(twice.as_bytes(), "a.so"), Code::SumsInvalid);
    assert!(
        text.starts_with(&format!(
            "{shown}:2 lists a.so a second time (first on line 1), so"
        )),
        "{text}"
    );
}
