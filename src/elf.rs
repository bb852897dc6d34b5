//! Explains a failed load when the file is an ELF object for another machine, which the loader's
//! own message does not say plainly. Only read after a load failed: never on the normal path.

use std::io::Read;
use std::path::Path;

const EM_X86_64: u16 = 62;
const EM_AARCH64: u16 = 183;

fn machine_name(machine: u16) -> String {
    match machine {
        EM_X86_64 => "x86_64 (x64)".to_owned(),
        EM_AARCH64 => "aarch64 (arm64)".to_owned(),
        other => format!("ELF machine {other}"),
    }
}

/// " The file is built for aarch64 (arm64), but this process is x86_64 (x64)." or None.
/// Linux only: macOS libraries are Mach-O, and dyld already names the architecture.
pub fn mismatch_hint(path: &Path) -> Option<String> {
    if !cfg!(target_os = "linux") {
        return None;
    }
    let mut header = [0u8; 20];
    std::fs::File::open(path)
        .ok()?
        .read_exact(&mut header)
        .ok()?;
    if &header[..4] != b"\x7fELF" {
        return Some(" The file is not an ELF shared library.".to_owned());
    }
    let machine = match header[5] {
        1 => u16::from_le_bytes([header[18], header[19]]),
        _ => u16::from_be_bytes([header[18], header[19]]),
    };
    let ours = if cfg!(target_arch = "aarch64") {
        EM_AARCH64
    } else {
        EM_X86_64
    };
    (machine != ours).then(|| {
        format!(
            " The file is built for {}, but this process is {}.",
            machine_name(machine),
            machine_name(ours)
        )
    })
}
