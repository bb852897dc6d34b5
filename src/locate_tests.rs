//! locate.rs's decisions: an explicit choice is final and its problem is the error; otherwise the
//! packaged copy, then asherah-node's, every miss kept in order; a problem that lies with the
//! machine (no descriptors, noexec) stops the search with that problem's own fix.

use crate::test_support as support;

use super::*;
use crate::error::RAISE_FILE_LIMIT;
use std::io;
use support::{every_source, in_child, is_child, this_binary, without_descriptors, TestDir};

/// Where the search looks for the packaged copy: beside the test binary, where there is none.
fn packaged() -> PathBuf {
    let path = addon_path().unwrap().parent().unwrap().join(LIBRARY_NAME);
    assert!(
        !path.exists(),
        "{} must not exist for these tests",
        path.display()
    );
    path
}

/// asherah-node's package folder, with its `lib/` copy of the library when `with_library`.
fn asherah_node(dir: &TestDir, with_library: bool) -> PathBuf {
    let root = dir.join("asherah");
    std::fs::create_dir_all(root.join("lib")).unwrap();
    if with_library {
        std::os::unix::fs::symlink(this_binary(), root.join("lib").join(LIBRARY_NAME)).unwrap();
    }
    root
}

fn error(result: Result<Located, WarmupError>, code: Code) -> String {
    let err = result.err().expect("an error");
    assert_eq!(err.code, code, "{}", err.message);
    err.message
}

fn fixes(problem: &Problem) -> bool {
    problem.fix().is_some()
}

#[test]
fn an_explicit_file_is_opened_and_returned_as_chosen() {
    let dir = TestDir::new("explicit");
    let library = dir.link(LIBRARY_NAME, &this_binary());
    let mut tried = Vec::new();
    let located = locate(Some((library.clone(), Source::Env)), None, &mut tried).unwrap();
    assert_eq!(
        (located.path, located.source),
        (library.clone(), Source::Env)
    );
    let meta = std::fs::metadata(&library).unwrap();
    use std::os::unix::fs::MetadataExt;
    assert_eq!(located.input.id(), (meta.dev(), meta.ino()));
    assert!(tried.is_empty());
}

#[test]
fn an_explicit_choice_that_is_wrong_is_the_error_naming_the_setting_path_and_fix() {
    let dir = TestDir::new("explicit-wrong");
    let missing = dir.join(LIBRARY_NAME);
    let folder = dir.join("folder");
    std::fs::create_dir(&folder).unwrap();
    let fifo = dir.fifo("fifo");
    // A good copy where the search would look next: an explicit choice never falls through.
    let node = asherah_node(&dir, true);
    for (path, source, why) in [
        (&missing, Source::Env, "does not exist"),
        (
            &folder,
            Source::Option,
            "is a directory, not a regular file",
        ),
        (
            &fifo,
            Source::Env,
            "is a FIFO (named pipe), not a regular file",
        ),
    ] {
        let mut tried = Vec::new();
        let text = error(
            locate(Some((path.clone(), source)), Some(&node), &mut tried),
            Code::NotFound,
        );
        assert_eq!(
            text,
            format!(
                "{} names {}, which {why}. Fix: point it at the go-warmup library file ({LIBRARY_NAME}), or remove it to use the copy shipped with asherah-warmup.",
                source.describe(),
                path.display()
            )
        );
        assert_eq!(tried.len(), 1);
        let t = &tried[0];
        assert_eq!(
            (t.path.as_str(), t.source, t.reason.as_str()),
            (path.to_str().unwrap(), source, why)
        );
    }
}

#[test]
fn an_explicit_file_too_large_to_be_a_library_is_a_load_failure() {
    let dir = TestDir::new("explicit-huge");
    let huge = dir.write(LIBRARY_NAME, "");
    let len = image::MAX_LIBRARY_BYTES + 1;
    std::fs::File::options()
        .write(true)
        .open(&huge)
        .unwrap()
        .set_len(len)
        .unwrap();
    let text = error(
        locate(Some((huge, Source::Option)), None, &mut Vec::new()),
        Code::LoadFailed,
    );
    assert!(
        text.contains(&format!(
            "which is {len} bytes, larger than the {}-byte limit. Fix: point it at",
            image::MAX_LIBRARY_BYTES
        )),
        "{text}"
    );
}

#[test]
fn without_a_packaged_copy_or_asherah_node_the_search_is_not_found_listing_what_it_tried() {
    let packaged = packaged();
    let mut tried = Vec::new();
    let text = error(locate(None, None, &mut tried), Code::NotFound);
    assert_eq!(
        text,
        format!(
            "no usable {LIBRARY_NAME} found. Tried:\n  - {} (package: does not exist)\nFix: install asherah-warmup with its optional dependencies (npm install --include=optional: its platform package carries the library), or set ASHERAH_WARMUP_LIBRARY to the absolute path of {LIBRARY_NAME}.",
            packaged.display()
        )
    );
    assert_eq!(tried.len(), 1);
    assert_eq!(tried[0].source, Source::Package);
}

#[test]
fn asherah_nodes_copy_is_found_after_the_packaged_miss() {
    let dir = TestDir::new("asherah-node");
    let node = asherah_node(&dir, true);
    let mut tried = Vec::new();
    let located = locate(None, Some(&node), &mut tried).unwrap();
    assert_eq!(located.path, node.join("lib").join(LIBRARY_NAME));
    assert_eq!(located.source, Source::AsherahNode);
    let misses: Vec<_> = tried.iter().map(|t| (t.path.clone(), t.source)).collect();
    assert_eq!(
        misses,
        [(packaged().display().to_string(), Source::Package)]
    );
}

#[test]
fn every_candidate_missing_is_listed_in_order() {
    let dir = TestDir::new("asherah-node-empty");
    let node = asherah_node(&dir, false);
    let mut tried = Vec::new();
    let text = error(locate(None, Some(&node), &mut tried), Code::NotFound);
    let theirs = node.join("lib").join(LIBRARY_NAME);
    let list = format!(
        "Tried:\n  - {} (package: does not exist)\n  - {} (asherah-node: does not exist)\nFix: ",
        packaged().display(),
        theirs.display()
    );
    assert!(text.contains(&list), "{text}");
    let sources: Vec<Source> = tried.iter().map(|t| t.source).collect();
    assert_eq!(sources, [Source::Package, Source::AsherahNode]);
}

#[test]
fn a_problem_of_the_machine_is_a_load_failure_anything_else_not_found() {
    let emfile = || Problem::NoDescriptors(io::Error::from_raw_os_error(libc::EMFILE));
    let unusable = |problem: &Problem| refused(String::new(), problem, "").code;
    assert_eq!(unusable(&emfile()), Code::LoadFailed);
    assert_eq!(unusable(&Problem::NoExec), Code::LoadFailed);
    assert_eq!(
        unusable(&Problem::TooLarge { len: 2, cap: 1 }),
        Code::LoadFailed
    );
    for problem in [
        Problem::Missing,
        Problem::Denied,
        Problem::Loop,
        Problem::NotRegular("a socket"),
        Problem::Other(io::Error::from_raw_os_error(libc::EIO)),
    ] {
        assert_eq!(unusable(&problem), Code::NotFound, "{problem:?}");
        assert!(!fixes(&problem), "{problem:?}: the search goes on past it");
    }
    assert!(
        fixes(&emfile()) && fixes(&Problem::NoExec),
        "the search stops there"
    );
}

#[test]
fn a_refusal_gives_the_problems_own_fix_where_it_has_one() {
    let text = refused("/a.so".into(), &Problem::Missing, "use another");
    assert_eq!(text.message, "/a.so does not exist. Fix: use another.");
    let text = refused("/a.so".into(), &Problem::NoExec, "use another").message;
    assert_eq!(
        text,
        format!(
            "/a.so {}. Fix: {}.",
            Problem::NoExec.describe(),
            Problem::NoExec.fix().unwrap()
        )
    );
    let emfile = Problem::NoDescriptors(io::Error::from_raw_os_error(libc::EMFILE));
    let err = refused("/a.so".into(), &emfile, "use another");
    assert_eq!(err.code, Code::LoadFailed);
    assert!(
        err.message.ends_with(&format!("Fix: {RAISE_FILE_LIMIT}.")),
        "{}",
        err.message
    );
}

#[test]
fn an_embedded_file_that_is_not_there_says_to_deploy_the_whole_output() {
    let err = not_embedded(Path::new("/srv/app/chunk.so"), &Problem::Missing);
    assert_eq!(err.code, Code::NotFound);
    assert_eq!(
        err.message,
        "/srv/app/chunk.so, which Bun's bundler put beside the bundle, does not exist. Fix: deploy the whole output folder of `bun build`, or build again."
    );
}

#[test]
fn only_the_packaged_copy_is_from_inside_this_package() {
    for source in every_source() {
        assert_eq!(
            source.is_external(),
            source != Source::Package,
            "{source:?}"
        );
        assert!(!source.describe().is_empty());
    }
}

#[test]
fn out_of_descriptors_the_search_stops_at_the_first_candidate() {
    in_child("locate::tests::out_of_descriptors_child");
}

/// out_of_descriptors_the_search_stops_at_the_first_candidate's child.
#[test]
#[ignore = "lowers the process's open-files limit: run by out_of_descriptors_the_search_stops_at_the_first_candidate in a child process"]
fn out_of_descriptors_child() {
    if !is_child() {
        return;
    }
    let dir = TestDir::new("emfile");
    let library = dir.link(LIBRARY_NAME, &this_binary());
    let node = asherah_node(&dir, true);
    let packaged = packaged();
    let (explicit, search, tried) = without_descriptors(|| {
        let explicit = locate(Some((library.clone(), Source::Env)), None, &mut Vec::new());
        let mut tried = Vec::new();
        let search = locate(None, Some(&node), &mut tried);
        (explicit, search, tried)
    });
    let text = error(explicit, Code::LoadFailed);
    assert!(
        text.contains("this process has no file descriptor left"),
        "{text}"
    );
    assert!(
        text.ends_with(&format!("Fix: {RAISE_FILE_LIMIT}.")),
        "{text}"
    );
    // Linux takes a descriptor before it looks the path up: the packaged copy, though missing,
    // fails for want of one, and asherah-node's good copy is never tried.
    let text = error(search, Code::LoadFailed);
    assert!(text.starts_with(&format!("{} (beside the asherah-warmup addon) cannot be opened: this process has no file descriptor left", packaged.display())), "{text}");
    assert_eq!(tried.len(), 1);
}
