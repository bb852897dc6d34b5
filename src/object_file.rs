//! Checks that a library file is a whole shared object for this machine before the loader maps
//! it. The loader maps segments by their file offsets; a truncated file maps past its end and the
//! first touch of that page is a SIGBUS that kills the process. Reading the header and the
//! segment table (a few hundred bytes) and checking that every segment lies inside the file
//! turns that into an error. ELF on linux, Mach-O on macOS; both parsers are plain functions
//! over bytes, so both are tested on any host.

use std::fs::File;
use std::os::unix::fs::FileExt;

/// The header plus segment table of a real go-warmup library fits easily; more is refused.
pub const MAX_TABLE_BYTES: u64 = 64 * 1024;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Arch {
    X64,
    Arm64,
}

impl Arch {
    pub const HOST: Arch = if cfg!(target_arch = "aarch64") {
        Arch::Arm64
    } else {
        Arch::X64
    };

    fn name(self) -> &'static str {
        match self {
            Arch::X64 => "x86_64 (x64)",
            Arch::Arm64 => "aarch64 (arm64)",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Elf,
    MachO,
}

impl Format {
    pub const HOST: Format = if cfg!(target_os = "macos") {
        Format::MachO
    } else {
        Format::Elf
    };
}

/// Read first: a real library's header and table end well inside its first page.
const FIRST_READ: u64 = 4096;

/// Reads what the check needs from an open file of `len` bytes and checks it for this host: the
/// first page, and more (up to MAX_TABLE_BYTES) only when the header says its table goes on.
pub fn check_file(file: &File, len: u64) -> Result<(), String> {
    let read = |count: u64| {
        let mut bytes = vec![0u8; count as usize];
        file.read_exact_at(&mut bytes, 0)
            .map(|()| bytes)
            .map_err(|err| format!("could not read its header ({err})"))
    };
    let mut head = read(len.min(FIRST_READ))?;
    let wanted = table_end(&head).unwrap_or(0).min(len).min(MAX_TABLE_BYTES);
    if wanted > head.len() as u64 {
        head = read(wanted)?;
    }
    check(&head, len, Format::HOST, Arch::HOST)
}

/// Where the header says its table ends: ELF's program headers, Mach-O's load commands.
fn table_end(head: &[u8]) -> Option<u64> {
    if head.starts_with(b"\x7fELF") {
        let entries = u64::from(read_u16(head, 56)?) * u64::from(read_u16(head, 54)?);
        return Some(read_u64(head, 32)?.saturating_add(entries));
    }
    (read_u32(head, 0)? == 0xfeedfacf).then(|| 32 + u64::from(read_u32(head, 20).unwrap_or(0)))
}

/// `head`: the first bytes of a file of `len` bytes (at most MAX_TABLE_BYTES of them).
pub fn check(head: &[u8], len: u64, format: Format, arch: Arch) -> Result<(), String> {
    if head.starts_with(b"\x7fELF") {
        return match format {
            Format::Elf => elf(head, len, arch),
            Format::MachO => Err("is an ELF file (a linux library), not a Mach-O library".into()),
        };
    }
    if let Some(magic) = read_u32(head, 0) {
        if [0xfeedfacf, 0xfeedface, 0xcafebabe, 0xbebafeca].contains(&magic) {
            return match format {
                Format::MachO => macho(head, len, arch),
                Format::Elf => Err("is a Mach-O file (a macOS library), not an ELF library".into()),
            };
        }
    }
    Err(match format {
        Format::Elf => format!("is not an ELF shared library ({len} bytes, no ELF header)"),
        Format::MachO => format!("is not a Mach-O library ({len} bytes, no Mach-O header)"),
    })
}

fn read_u16(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?))
}
fn read_u32(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}
fn read_u64(b: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_le_bytes(b.get(at..at + 8)?.try_into().ok()?))
}

fn truncated(what: &str, end: u64, len: u64) -> String {
    format!("is truncated or damaged: {what} ends at byte {end}, but the file has {len} bytes")
}

fn elf(head: &[u8], len: u64, arch: Arch) -> Result<(), String> {
    const HEADER: usize = 64;
    const PHDR: usize = 56;
    const ET_DYN: u16 = 3;
    const PT_LOAD: u32 = 1;
    const PT_DYNAMIC: u32 = 2;
    if head.len() < HEADER {
        return Err(format!(
            "is truncated: {len} bytes, less than an ELF header"
        ));
    }
    if head[4] != 2 || head[5] != 1 {
        return Err("is not a 64-bit little-endian ELF file".into());
    }
    let machine = match read_u16(head, 18) {
        Some(62) => Some(Arch::X64),
        Some(183) => Some(Arch::Arm64),
        _ => None,
    };
    if machine != Some(arch) {
        let built = machine.map_or_else(
            || format!("ELF machine {}", u64::from(read_u16(head, 18).unwrap_or(0))),
            |m| m.name().to_owned(),
        );
        return Err(format!(
            "is built for {built}, but this process is {}",
            arch.name()
        ));
    }
    if read_u16(head, 16) != Some(ET_DYN) {
        return Err("is an ELF file but not a shared library".into());
    }
    let phoff = read_u64(head, 32).unwrap_or(u64::MAX);
    let phentsize = read_u16(head, 54).unwrap_or(0) as usize;
    let phnum = read_u16(head, 56).unwrap_or(0) as u64;
    if phentsize != PHDR || phnum == 0 || phnum == 0xffff {
        return Err("has no valid program header table".into());
    }
    let table_end = table_end(head).unwrap_or(u64::MAX);
    if table_end > len {
        return Err(truncated("the program header table", table_end, len));
    }
    if table_end > head.len() as u64 {
        return Err("has its program header table too far into the file".into());
    }
    for i in 0..phnum {
        let at = (phoff + i * PHDR as u64) as usize;
        let kind = read_u32(head, at).unwrap_or(0);
        if kind != PT_LOAD && kind != PT_DYNAMIC {
            continue;
        }
        let offset = read_u64(head, at + 8).unwrap_or(u64::MAX);
        let size = read_u64(head, at + 32).unwrap_or(u64::MAX);
        let end = offset.saturating_add(size);
        if end > len {
            return Err(truncated(&format!("segment {i}"), end, len));
        }
    }
    Ok(())
}

fn macho(head: &[u8], len: u64, arch: Arch) -> Result<(), String> {
    const HEADER: usize = 32;
    const MH_DYLIB: u32 = 6;
    const MH_BUNDLE: u32 = 8;
    const LC_SEGMENT_64: u32 = 0x19;
    match read_u32(head, 0) {
        Some(0xfeedfacf) => {}
        Some(0xcafebabe | 0xbebafeca) => {
            return Err(
                "is a universal (fat) Mach-O file; use the single-architecture release library"
                    .into(),
            )
        }
        _ => return Err("is a 32-bit or big-endian Mach-O file".into()),
    }
    if head.len() < HEADER {
        return Err(format!(
            "is truncated: {len} bytes, less than a Mach-O header"
        ));
    }
    let cpu = match read_u32(head, 4) {
        Some(0x0100_0007) => Some(Arch::X64),
        Some(0x0100_000c) => Some(Arch::Arm64),
        _ => None,
    };
    if cpu != Some(arch) {
        let built = cpu.map_or_else(|| "another CPU".to_owned(), |c| c.name().to_owned());
        return Err(format!(
            "is built for {built}, but this process is {}",
            arch.name()
        ));
    }
    if !matches!(read_u32(head, 12), Some(MH_DYLIB | MH_BUNDLE)) {
        return Err("is a Mach-O file but not a dynamic library".into());
    }
    let ncmds = read_u32(head, 16).unwrap_or(0);
    let commands_end = table_end(head).unwrap_or(u64::MAX);
    if commands_end > len {
        return Err(truncated("the load commands", commands_end, len));
    }
    if commands_end > head.len() as u64 {
        return Err("has load commands too large to check".into());
    }
    let mut at = HEADER;
    for i in 0..ncmds {
        let (Some(cmd), Some(size)) = (read_u32(head, at), read_u32(head, at + 4)) else {
            return Err(format!("has a damaged load command {i}"));
        };
        let size = size as usize;
        if size < 8 || (at + size) as u64 > commands_end {
            return Err(format!("has a damaged load command {i}"));
        }
        if cmd == LC_SEGMENT_64 {
            let offset = read_u64(head, at + 40).unwrap_or(u64::MAX);
            let filesize = read_u64(head, at + 48).unwrap_or(u64::MAX);
            let end = offset.saturating_add(filesize);
            if end > len {
                return Err(truncated(&format!("segment {i}"), end, len));
            }
        }
        at += size;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A minimal ELF64 shared object header with one PT_LOAD of `seg_size` bytes at 0.
    fn elf_image(machine: u16, seg_size: u64, len: usize) -> Vec<u8> {
        let mut b = vec![0u8; len.max(120)];
        b[..4].copy_from_slice(b"\x7fELF");
        b[4] = 2;
        b[5] = 1;
        b[16..18].copy_from_slice(&3u16.to_le_bytes());
        b[18..20].copy_from_slice(&machine.to_le_bytes());
        b[32..40].copy_from_slice(&64u64.to_le_bytes());
        b[54..56].copy_from_slice(&56u16.to_le_bytes());
        b[56..58].copy_from_slice(&1u16.to_le_bytes());
        b[64..68].copy_from_slice(&1u32.to_le_bytes());
        b[96..104].copy_from_slice(&seg_size.to_le_bytes());
        b.truncate(len);
        b
    }

    fn macho_image(cpu: u32, seg_size: u64, len: usize) -> Vec<u8> {
        let mut b = vec![0u8; len.max(104)];
        b[..4].copy_from_slice(&0xfeedfacfu32.to_le_bytes());
        b[4..8].copy_from_slice(&cpu.to_le_bytes());
        b[12..16].copy_from_slice(&6u32.to_le_bytes());
        b[16..20].copy_from_slice(&1u32.to_le_bytes());
        b[20..24].copy_from_slice(&72u32.to_le_bytes());
        b[32..36].copy_from_slice(&0x19u32.to_le_bytes());
        b[36..40].copy_from_slice(&72u32.to_le_bytes());
        b[80..88].copy_from_slice(&seg_size.to_le_bytes());
        b.truncate(len);
        b
    }

    fn elf_check(image: &[u8], len: u64) -> Result<(), String> {
        check(image, len, Format::Elf, Arch::X64)
    }

    #[test]
    fn elf_whole_truncated_and_foreign() {
        assert_eq!(elf_check(&elf_image(62, 4096, 4096), 4096), Ok(()));
        let err = elf_check(&elf_image(62, 4096, 4000), 4000).unwrap_err();
        assert_eq!(
            err,
            "is truncated or damaged: segment 0 ends at byte 4096, but the file has 4000 bytes"
        );
        assert!(elf_check(&elf_image(62, 4096, 40), 40)
            .unwrap_err()
            .contains("less than an ELF header"));
        let arm = elf_check(&elf_image(183, 4096, 4096), 4096).unwrap_err();
        assert_eq!(
            arm,
            "is built for aarch64 (arm64), but this process is x86_64 (x64)"
        );
        assert!(elf_check(b"garbage that is no library", 26)
            .unwrap_err()
            .contains("not an ELF"));
        let macho = macho_image(0x0100_0007, 10, 200);
        assert!(elf_check(&macho, 200).unwrap_err().contains("Mach-O"));
    }

    #[test]
    fn table_end_from_the_header() {
        assert_eq!(table_end(&elf_image(62, 4096, 4096)), Some(64 + 56));
        assert_eq!(
            table_end(&macho_image(0x0100_000c, 4096, 4096)),
            Some(32 + 72)
        );
        assert_eq!(table_end(b"garbage that is no library"), None);
    }

    /// A program header table past the first page is read in a second step, not refused.
    #[cfg(all(target_os = "linux", target_arch = "x86_64"))]
    #[test]
    fn check_file_reads_a_table_past_the_first_page() {
        let mut image = elf_image(62, 8192, 8192);
        let entry: Vec<u8> = image[64..120].to_vec();
        image[5000..5056].copy_from_slice(&entry);
        image[32..40].copy_from_slice(&5000u64.to_le_bytes());
        let path = std::env::temp_dir().join(format!("object-file-test-{}", std::process::id()));
        std::fs::write(&path, &image).unwrap();
        let result = check_file(&File::open(&path).unwrap(), 8192);
        let truncated = check_file(&File::open(&path).unwrap(), 8000);
        std::fs::remove_file(&path).unwrap();
        assert_eq!(result, Ok(()));
        assert!(truncated
            .unwrap_err()
            .contains("segment 0 ends at byte 8192"));
    }

    #[test]
    fn macho_whole_truncated_and_foreign() {
        let ok = macho_image(0x0100_000c, 4096, 4096);
        assert_eq!(check(&ok, 4096, Format::MachO, Arch::Arm64), Ok(()));
        let err = check(&ok, 4000, Format::MachO, Arch::Arm64).unwrap_err();
        assert!(err.contains("segment 0 ends at byte 4096"), "{err}");
        let x64 = check(&ok, 4096, Format::MachO, Arch::X64).unwrap_err();
        assert!(x64.contains("built for aarch64"), "{x64}");
        let elf = elf_image(62, 10, 200);
        assert!(check(&elf, 200, Format::MachO, Arch::X64)
            .unwrap_err()
            .contains("ELF"));
    }
}
