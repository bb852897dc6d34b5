//! The strings of string_enum! types: the process record (process.rs) keeps a load's source and
//! verification as text, which copies of this addon built from other versions read back, and JS
//! matches on them. So each variant's string reads back as that variant, and the strings are the
//! published ones.

use crate::test_support as support;

use crate::locate::Source;
use crate::verify::Verification;
use support::{every_source, every_verification};

#[test]
fn every_source_reads_back_from_its_published_string() {
    let published = ["option", "env", "package", "asherah-node", "embedded"];
    let strings: Vec<&str> = every_source().into_iter().map(Source::as_str).collect();
    assert_eq!(strings, published);
    for source in every_source() {
        assert_eq!(Source::parse(source.as_str()), Some(source));
    }
}

#[test]
fn every_verification_reads_back_from_its_published_string() {
    let published = ["pinned", "sums-file", "package-manager", "none"];
    let strings: Vec<&str> = every_verification()
        .into_iter()
        .map(Verification::as_str)
        .collect();
    assert_eq!(strings, published);
    for verification in every_verification() {
        assert_eq!(
            Verification::parse(verification.as_str()),
            Some(verification)
        );
    }
}

#[test]
fn other_strings_are_no_variant() {
    // Exact and case-sensitive: a record from another version with a string this one does not
    // know reads as none, never as a near match.
    for text in [
        "",
        "Option",
        "PACKAGE",
        "asherah_node",
        "sums_file",
        " none",
        "pinned\0",
    ] {
        assert_eq!(Source::parse(text), None, "{text:?}");
        assert_eq!(Verification::parse(text), None, "{text:?}");
    }
}
