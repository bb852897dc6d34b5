//! regular_file.rs's decisions: which errors mean the process is out of descriptors, what each
//! problem says and which carry a fix of their own (the machine's, not the file's), and how
//! `open` classifies what it finds without blocking.

use crate::test_support as support;

use super::*;
use crate::error::RAISE_FILE_LIMIT;
use support::{in_child, is_child, without_descriptors, TestDir};

fn os(errno: i32) -> io::Error {
    io::Error::from_raw_os_error(errno)
}

#[test]
fn emfile_and_enfile_are_out_of_descriptors_nothing_else() {
    assert!(out_of_descriptors(&os(libc::EMFILE)));
    assert!(out_of_descriptors(&os(libc::ENFILE)));
    for errno in [
        libc::ENOENT,
        libc::EACCES,
        libc::ENOMEM,
        libc::EIO,
        libc::ENOSPC,
    ] {
        assert!(!out_of_descriptors(&os(errno)), "errno {errno}");
    }
    assert!(!out_of_descriptors(&io::Error::other(
        "Too many open files"
    )));
}

#[test]
fn each_problem_says_what_is_wrong() {
    for (problem, said) in [
        (Problem::Missing, "does not exist".to_owned()),
        (Problem::Denied, "cannot be read (EACCES: permission denied)".to_owned()),
        (Problem::Loop, "cannot be opened (ELOOP: too many levels of symbolic links)".to_owned()),
        (Problem::NotRegular("a socket"), "is a socket, not a regular file".to_owned()),
        (Problem::TooLarge { len: 9, cap: 8 }, "is 9 bytes, larger than the 8-byte limit".to_owned()),
        (
            Problem::NoDescriptors(os(libc::EMFILE)),
            format!("cannot be opened: this process has no file descriptor left ({})", os(libc::EMFILE)),
        ),
        (
            Problem::NoExec,
            "is on a file system mounted noexec, where the administrator does not allow code to run".to_owned(),
        ),
        (Problem::Other(os(libc::EIO)), format!("cannot be read ({})", os(libc::EIO))),
    ] {
        assert_eq!(problem.describe(), said);
    }
}

#[test]
fn only_the_machines_problems_carry_a_fix() {
    assert_eq!(
        Problem::NoDescriptors(os(libc::ENFILE)).fix(),
        Some(RAISE_FILE_LIMIT)
    );
    assert!(RAISE_FILE_LIMIT.contains("ulimit -n"));
    let noexec = Problem::NoExec.fix().unwrap();
    assert!(noexec.contains("not mounted noexec"), "{noexec}");
    for problem in [
        Problem::Missing,
        Problem::Denied,
        Problem::Loop,
        Problem::NotRegular("a directory"),
        Problem::TooLarge { len: 2, cap: 1 },
        Problem::Other(os(libc::EIO)),
    ] {
        assert_eq!(problem.fix(), None, "{problem:?}");
    }
}

#[test]
fn open_classifies_links_sockets_and_paths_through_a_file() {
    let dir = TestDir::new("open");
    let a = dir.join("a");
    std::os::unix::fs::symlink(dir.join("b"), &a).unwrap();
    std::os::unix::fs::symlink(&a, dir.join("b")).unwrap();
    assert!(matches!(open(&a, 1), Err(Problem::Loop)));
    let socket = dir.join("s");
    let _listener = std::os::unix::net::UnixListener::bind(&socket).unwrap();
    assert!(matches!(
        open(&socket, 1),
        Err(Problem::NotRegular("a socket"))
    ));
    // ENOTDIR: a path that goes through a regular file is as missing as one that is not there.
    let file = dir.write("f", "12345678");
    assert!(matches!(open(&file.join("x"), 1), Err(Problem::Missing)));
}

#[test]
fn open_accepts_a_regular_file_up_to_the_cap_and_identifies_it() {
    use std::os::unix::fs::MetadataExt;
    let dir = TestDir::new("open-cap");
    let file = dir.write("f", "12345678");
    let opened = open(&file, 8).unwrap_or_else(|p| panic!("{}", p.describe()));
    let meta = std::fs::metadata(&file).unwrap();
    assert_eq!((opened.len, opened.id), (8, (meta.dev(), meta.ino())));
    assert!(matches!(
        open(&file, 7),
        Err(Problem::TooLarge { len: 8, cap: 7 })
    ));
}

#[test]
fn out_of_descriptors_open_says_so() {
    in_child("regular_file::decisions::out_of_descriptors_child");
}

/// out_of_descriptors_open_says_so's child.
#[test]
#[ignore = "lowers the process's open-files limit: run by out_of_descriptors_open_says_so in a child process"]
fn out_of_descriptors_child() {
    if !is_child() {
        return;
    }
    let dir = TestDir::new("emfile");
    let file = dir.write("f", "x");
    let problem = without_descriptors(|| open(&file, 1))
        .err()
        .expect("refused");
    let Problem::NoDescriptors(err) = &problem else {
        panic!("{problem:?}")
    };
    assert_eq!(err.raw_os_error(), Some(libc::EMFILE));
    assert_eq!(problem.fix(), Some(RAISE_FILE_LIMIT));
}
