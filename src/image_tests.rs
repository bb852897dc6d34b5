//! image.rs's decisions: a load failure names the file, the cause and the fix for that cause;
//! an I/O error's fix is the machine's where the machine is the cause.

use super::*;
use std::io;

#[test]
fn a_load_failure_names_the_file_the_cause_and_the_fix() {
    let err = failed(
        Path::new("/x/\nlib.so"),
        "is not an ELF file",
        "use another",
    );
    assert_eq!(err.code, Code::LoadFailed);
    assert_eq!(
        err.message,
        "/x/\\nlib.so is not an ELF file. Fix: use another."
    );
    assert!(wrong_file_fix().contains(crate::platform::LIBRARY_NAME));
}

#[test]
fn an_io_errors_fix_is_the_machines_where_the_machine_is_the_cause() {
    let fix = |errno| io_fix(&io::Error::from_raw_os_error(errno));
    assert_eq!(fix(libc::EMFILE), crate::error::RAISE_FILE_LIMIT);
    assert_eq!(fix(libc::ENFILE), crate::error::RAISE_FILE_LIMIT);
    for errno in [libc::ENOMEM, libc::ENOSPC] {
        assert!(fix(errno).starts_with("free memory"), "errno {errno}");
    }
    for errno in [libc::EIO, libc::EACCES] {
        assert_eq!(fix(errno), wrong_file_fix(), "errno {errno}");
    }
}
