'use strict'
// What a shipped ELF file asks of the system it loads on: its machine, its DT_NEEDED libraries and
// the symbol versions it needs from each (the .gnu.version_r section: GLIBC_2.17, GCC_3.0, ...).
// readelf would say the same, but not on a Mac, and a 100-line reader is easy to test on
// hand-made bytes (__test__/artifacts.test.js). 64-bit little-endian files only: the two linux
// targets (x86_64, aarch64) are both.
const SHT_DYNAMIC = 6
const SHT_GNU_VERNEED = 0x6ffffffe
const DT_NEEDED = 1
const MACHINE = { 62: 'x86_64', 183: 'aarch64' }

class ElfError extends Error {}

const cstring = (buf, at) => {
  const end = buf.indexOf(0, at)
  return buf.toString('latin1', at, end < 0 ? buf.length : end)
}

/** { machine, needed: [lib], versions: { lib: [version names] } } of an ELF64 LE file. */
function readElf(buf) {
  if (buf.length < 64 || buf.readUInt32BE(0) !== 0x7f454c46) throw new ElfError('not an ELF file')
  if (buf[4] !== 2 || buf[5] !== 1) throw new ElfError('not a 64-bit little-endian ELF file')
  const machineId = buf.readUInt16LE(18)
  const shoff = Number(buf.readBigUInt64LE(40))
  const shentsize = buf.readUInt16LE(58)
  const shnum = buf.readUInt16LE(60)
  if (shoff + shnum * shentsize > buf.length) throw new ElfError('section headers run past the end of the file')
  const sections = []
  for (let i = 0; i < shnum; i++) {
    const at = shoff + i * shentsize
    sections.push({
      type: buf.readUInt32LE(at + 4),
      offset: Number(buf.readBigUInt64LE(at + 24)),
      size: Number(buf.readBigUInt64LE(at + 32)),
      link: buf.readUInt32LE(at + 40),
      info: buf.readUInt32LE(at + 44),
    })
  }
  const strtab = (sec) => {
    const s = sections[sec.link]
    if (!s) throw new ElfError('a section links to a string table that does not exist')
    return (off) => cstring(buf, s.offset + off)
  }
  const out = { machine: MACHINE[machineId] || `e_machine ${machineId}`, needed: [], versions: {} }
  for (const sec of sections) {
    if (sec.type === SHT_DYNAMIC) {
      const str = strtab(sec)
      for (let at = sec.offset; at + 16 <= sec.offset + sec.size; at += 16) {
        const tag = buf.readBigInt64LE(at)
        if (tag === 0n) break
        if (tag === BigInt(DT_NEEDED)) out.needed.push(str(Number(buf.readBigUInt64LE(at + 8))))
      }
    } else if (sec.type === SHT_GNU_VERNEED) {
      const str = strtab(sec)
      // sh_info entries of Elf64_Verneed, each with vn_cnt Elf64_Vernaux; offsets are relative.
      let at = sec.offset
      for (let n = 0; n < sec.info; n++) {
        if (at + 16 > buf.length) throw new ElfError('version-needed entry past the end of the file')
        const cnt = buf.readUInt16LE(at + 2)
        const file = str(buf.readUInt32LE(at + 4))
        out.versions[file] ??= []
        const names = out.versions[file]
        let aux = at + buf.readUInt32LE(at + 8)
        for (let k = 0; k < cnt; k++) {
          if (aux + 16 > buf.length) throw new ElfError('version-needed aux entry past the end of the file')
          names.push(str(buf.readUInt32LE(aux + 8)))
          const next = buf.readUInt32LE(aux + 12)
          if (!next) break
          aux += next
        }
        const next = buf.readUInt32LE(at + 12)
        if (!next) break
        at += next
      }
    }
  }
  return out
}

/** Compares dotted versions numerically: "2.2.5" < "2.17". */
function compareVersions(a, b) {
  const x = a.split('.').map(Number)
  const y = b.split('.').map(Number)
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] || 0) - (y[i] || 0)
    if (d) return Math.sign(d)
  }
  return 0
}

/**
 * The newest version of each family a glibc-2.17-era system has: glibc itself, and the GCC 4.8.5
 * runtime of RHEL/CentOS 7 (libgcc_s GCC_4.8.0, libstdc++ GLIBCXX_3.4.19 / CXXABI_1.3.7).
 */
const ERA_LIMITS = { GLIBC: '2.17', GCC: '4.8.0', GLIBCXX: '3.4.19', CXXABI: '1.3.7' }

/** Every needed version newer than LIMITS allows, as "GLIBC_2.34 (libc.so.6)"; unknown families too. */
function tooNew(elf, limits = ERA_LIMITS) {
  const out = []
  for (const [file, names] of Object.entries(elf.versions)) {
    for (const name of names) {
      const m = /^([A-Z]+)_([0-9.]+)$/.exec(name)
      const limit = m && limits[m[1]]
      if (!m || !limit) out.push(`${name} (${file}): no known floor for this family`)
      else if (compareVersions(m[2], limit) > 0) out.push(`${name} (${file})`)
    }
  }
  return out
}

/** The newest GLIBC_ version the file needs, or null. */
function maxGlibc(elf) {
  const all = Object.values(elf.versions)
    .flat()
    .filter((n) => n.startsWith('GLIBC_'))
    .map((n) => n.slice(6))
  return all.length ? `GLIBC_${all.sort(compareVersions).pop()}` : null
}

module.exports = { readElf, tooNew, maxGlibc, compareVersions, ERA_LIMITS, ElfError }
