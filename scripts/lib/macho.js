'use strict'
// A small reader for the thin 64-bit little-endian Mach-O files this package ships (the darwin
// addons and go-warmup dylibs, cross-built with zig on linux, where no otool exists), and the one
// repair they need: normalize() below. Only what the checks in __test__/artifacts.test.js ask:
// CPU and file type, load commands (libraries, install name, rpaths, minos), exported names (the
// export trie, or the symbol table without one) and the ad-hoc code signature, page hashes
// included. Unit tests: __test__/artifacts.test.js.
const crypto = require('node:crypto')

const MH_MAGIC_64 = 0xfeedfacf
const CPU = { 16777223: 'x86_64', 16777228: 'arm64' }
const FILETYPE = { 1: 'MH_OBJECT', 2: 'MH_EXECUTE', 6: 'MH_DYLIB', 8: 'MH_BUNDLE' }
const LC = {
  SYMTAB: 0x2,
  DYSYMTAB: 0xb,
  LOAD_DYLIB: 0xc,
  ID_DYLIB: 0xd,
  LOAD_DYLINKER: 0xe,
  SEGMENT_64: 0x19,
  UUID: 0x1b,
  CODE_SIGNATURE: 0x1d,
  LAZY_LOAD_DYLIB: 0x20,
  DYLD_INFO: 0x22,
  VERSION_MIN_MACOSX: 0x24,
  FUNCTION_STARTS: 0x26,
  DATA_IN_CODE: 0x29,
  BUILD_VERSION: 0x32,
  LOAD_WEAK_DYLIB: 0x80000018,
  RPATH: 0x8000001c,
  REEXPORT_DYLIB: 0x8000001f,
  DYLD_INFO_ONLY: 0x80000022,
  LOAD_UPWARD_DYLIB: 0x80000023,
  DYLD_EXPORTS_TRIE: 0x80000033,
  DYLD_CHAINED_FIXUPS: 0x80000034,
}
const DYLIB_LOADS = [LC.LOAD_DYLIB, LC.LOAD_WEAK_DYLIB, LC.REEXPORT_DYLIB, LC.LAZY_LOAD_DYLIB, LC.LOAD_UPWARD_DYLIB]
/** linkedit_data_command: { dataoff, datasize } at +8. */
const LINKEDIT_DATA = [LC.CODE_SIGNATURE, LC.FUNCTION_STARTS, LC.DATA_IN_CODE, LC.DYLD_EXPORTS_TRIE, LC.DYLD_CHAINED_FIXUPS]
const CSMAGIC_EMBEDDED_SIGNATURE = 0xfade0cc0
const CSMAGIC_CODEDIRECTORY = 0xfade0c02
const CS_HASHTYPE = { 1: ['sha1', 20], 2: ['sha256', 32] }

class MachOError extends Error {}

const cstring = (buf, at, end = buf.length) => {
  const stop = buf.indexOf(0, at)
  return buf.toString('latin1', at, stop < 0 || stop > end ? end : stop)
}
/** X.Y.Z packed as xxxx.yy.zz nibbles, printed the way Apple's tools do ("12.0", "12.0.1"). */
const version = (v) => `${v >>> 16}.${(v >> 8) & 0xff}${v & 0xff ? `.${v & 0xff}` : ''}`

function uleb(buf, at) {
  let value = 0
  let shift = 0
  for (;;) {
    if (at >= buf.length) throw new MachOError('ULEB128 runs past the end of the file')
    const byte = buf[at++]
    value += (byte & 0x7f) * 2 ** shift
    shift += 7
    if (!(byte & 0x80)) return [value, at]
  }
}

/** Parses a thin 64-bit little-endian Mach-O file; throws MachOError on anything else. */
function parse(buf) {
  if (buf.length < 32) throw new MachOError(`${buf.length} bytes: too short for a Mach-O header`)
  const magic = buf.readUInt32LE(0)
  if (magic !== MH_MAGIC_64) {
    const be = buf.readUInt32BE(0)
    const what = be === 0xcafebabe ? 'a universal (fat) file' : buf.toString('latin1', 1, 4) === 'ELF' ? 'an ELF file' : `magic 0x${magic.toString(16)}`
    throw new MachOError(`not a thin 64-bit Mach-O file: ${what}`)
  }
  const header = {
    cputype: buf.readUInt32LE(4),
    filetype: buf.readUInt32LE(12),
    ncmds: buf.readUInt32LE(16),
    sizeofcmds: buf.readUInt32LE(20),
    flags: buf.readUInt32LE(24),
  }
  if (32 + header.sizeofcmds > buf.length) throw new MachOError('load commands run past the end of the file')
  const m = {
    cpu: CPU[header.cputype] || `cputype 0x${header.cputype.toString(16)}`,
    filetype: FILETYPE[header.filetype] || `filetype ${header.filetype}`,
    header,
    commands: [],
    segments: [],
    dylibs: [],
    rpaths: [],
    idDylib: null,
    dylinker: null,
    uuid: null,
    uuidOffset: null,
    minos: null,
    sdk: null,
    platform: null,
    codeSignature: null,
    symtab: null,
    dysymtab: null,
    dyldInfo: null,
    linkeditData: [], // [{ cmd, dataoff, datasize }]
  }
  let at = 32
  for (let i = 0; i < header.ncmds; i++) {
    if (at + 8 > 32 + header.sizeofcmds) throw new MachOError(`load command ${i} starts past sizeofcmds`)
    const cmd = buf.readUInt32LE(at)
    const cmdsize = buf.readUInt32LE(at + 4)
    if (cmdsize < 8 || at + cmdsize > 32 + header.sizeofcmds) throw new MachOError(`load command ${i} (0x${cmd.toString(16)}) has a bad size ${cmdsize}`)
    const end = at + cmdsize
    const str = (rel) => cstring(buf, at + buf.readUInt32LE(at + rel), end)
    m.commands.push({ cmd, cmdsize, offset: at })
    if (cmd === LC.SEGMENT_64) {
      const seg = {
        name: cstring(buf, at + 8, at + 24),
        vmaddr: Number(buf.readBigUInt64LE(at + 24)),
        fileoff: Number(buf.readBigUInt64LE(at + 40)),
        filesize: Number(buf.readBigUInt64LE(at + 48)),
        sections: [],
      }
      const nsects = buf.readUInt32LE(at + 64)
      for (let s = 0, sa = at + 72; s < nsects; s++, sa += 80) {
        seg.sections.push({
          name: cstring(buf, sa, sa + 16),
          size: Number(buf.readBigUInt64LE(sa + 40)),
          offset: buf.readUInt32LE(sa + 48),
          type: buf.readUInt32LE(sa + 64) & 0xff,
          reserved1: buf.readUInt32LE(sa + 68), // first entry in the indirect symbol table
          reserved2: buf.readUInt32LE(sa + 72), // stub size (S_SYMBOL_STUBS)
        })
      }
      m.segments.push(seg)
    } else if (DYLIB_LOADS.includes(cmd)) m.dylibs.push(str(8))
    else if (cmd === LC.ID_DYLIB) m.idDylib = str(8)
    else if (cmd === LC.LOAD_DYLINKER) m.dylinker = str(8)
    else if (cmd === LC.RPATH) m.rpaths.push(str(8))
    else if (cmd === LC.UUID) {
      m.uuidOffset = at + 8
      m.uuid = buf.toString('hex', at + 8, at + 24)
    } else if (cmd === LC.BUILD_VERSION) {
      m.platform = buf.readUInt32LE(at + 8) // 1 = macOS
      m.minos = version(buf.readUInt32LE(at + 12))
      m.sdk = version(buf.readUInt32LE(at + 16))
    } else if (cmd === LC.VERSION_MIN_MACOSX) {
      m.platform = 1
      m.minos = version(buf.readUInt32LE(at + 8))
      m.sdk = version(buf.readUInt32LE(at + 12))
    } else if (cmd === LC.SYMTAB) {
      m.symtab = { symoff: buf.readUInt32LE(at + 8), nsyms: buf.readUInt32LE(at + 12), stroff: buf.readUInt32LE(at + 16), strsize: buf.readUInt32LE(at + 20) }
    } else if (cmd === LC.DYSYMTAB) {
      const f = (n) => buf.readUInt32LE(at + 8 + 4 * n)
      m.dysymtab = {
        indirectsymoff: f(12),
        nindirectsyms: f(13),
        // Its tables in __LINKEDIT, [offset, entries, entry size]: toc, modtab, extref, indirect, extrel, locrel.
        tables: [
          [f(6), f(7), 8],
          [f(8), f(9), 56],
          [f(10), f(11), 4],
          [f(12), f(13), 4],
          [f(14), f(15), 8],
          [f(16), f(17), 8],
        ],
      }
    } else if (cmd === LC.DYLD_INFO || cmd === LC.DYLD_INFO_ONLY) {
      const f = (n) => buf.readUInt32LE(at + 8 + 4 * n)
      m.dyldInfo = { rebase: [f(0), f(1)], bind: [f(2), f(3)], weakBind: [f(4), f(5)], lazyBind: [f(6), f(7)], export: [f(8), f(9)] }
    }
    if (LINKEDIT_DATA.includes(cmd)) {
      const d = { cmd, dataoff: buf.readUInt32LE(at + 8), datasize: buf.readUInt32LE(at + 12) }
      if (d.dataoff + d.datasize > buf.length) throw new MachOError(`load command 0x${cmd.toString(16)} points past the end of the file`)
      m.linkeditData.push(d)
      if (cmd === LC.CODE_SIGNATURE) m.codeSignature = d
    }
    at = end
  }
  return m
}

/** Names the file exports: the export trie (dyld info or LC_DYLD_EXPORTS_TRIE), else the symbol table's defined externals. */
function exportedNames(buf, m = parse(buf)) {
  const trie = m.linkeditData.find((d) => d.cmd === LC.DYLD_EXPORTS_TRIE)
  const [start, size] = trie ? [trie.dataoff, trie.datasize] : m.dyldInfo ? m.dyldInfo.export : [0, 0]
  const names = []
  if (size > 0) {
    const end = start + size
    const walk = (node, prefix, depth) => {
      if (depth > 256 || node >= end) throw new MachOError('malformed export trie')
      let [terminal, at] = uleb(buf, node)
      if (terminal > 0) names.push(prefix)
      at += terminal
      const children = buf[at++]
      for (let c = 0; c < children; c++) {
        const edge = cstring(buf, at, end)
        at += Buffer.byteLength(edge, 'latin1') + 1
        let child
        ;[child, at] = uleb(buf, at)
        walk(start + child, prefix + edge, depth + 1)
      }
    }
    walk(start, '', 0)
    return names.sort()
  }
  if (!m.symtab) return names
  const { symoff, nsyms, stroff, strsize } = m.symtab
  for (let i = 0; i < nsyms; i++) {
    const at = symoff + 16 * i
    const type = buf[at + 4]
    // N_EXT and N_SECT, no N_STAB: a defined external symbol.
    if ((type & 0xe0) === 0 && type & 0x01 && (type & 0x0e) === 0x0e) names.push(cstring(buf, stroff + buf.readUInt32LE(at), stroff + strsize))
  }
  return names.sort()
}

/**
 * The embedded code signature: { adhoc, linkerSigned, identifier, hashType, pageSize, codeLimit,
 * nCodeSlots, badPages } where badPages lists the pages whose hash does not match the file (macOS
 * kills a process that maps such a page); null without LC_CODE_SIGNATURE.
 */
function codeSignature(buf, m = parse(buf)) {
  if (!m.codeSignature) return null
  const { dataoff, datasize } = m.codeSignature
  const sig = buf.subarray(dataoff, dataoff + datasize)
  if (sig.length < 12 || sig.readUInt32BE(0) !== CSMAGIC_EMBEDDED_SIGNATURE)
    throw new MachOError('LC_CODE_SIGNATURE does not point at an embedded signature superblob')
  const count = sig.readUInt32BE(8)
  let cd = null
  for (let i = 0; i < count; i++) {
    const type = sig.readUInt32BE(12 + 8 * i)
    const off = sig.readUInt32BE(16 + 8 * i)
    if (type === 0 && sig.readUInt32BE(off) === CSMAGIC_CODEDIRECTORY) cd = off
  }
  if (cd === null) throw new MachOError('the code signature has no CodeDirectory')
  const flags = sig.readUInt32BE(cd + 12)
  const hashOffset = sig.readUInt32BE(cd + 16)
  const identOffset = sig.readUInt32BE(cd + 20)
  const nCodeSlots = sig.readUInt32BE(cd + 28)
  const codeLimit = sig.readUInt32BE(cd + 32)
  const hashSize = sig[cd + 36]
  const [hashType, wantSize] = CS_HASHTYPE[sig[cd + 37]] || []
  const pageSize = 2 ** sig[cd + 39]
  if (!hashType || hashSize !== wantSize) throw new MachOError(`unknown code signature hash type ${sig[cd + 37]}`)
  const badPages = []
  for (let i = 0; i < nCodeSlots; i++) {
    const page = buf.subarray(i * pageSize, Math.min((i + 1) * pageSize, codeLimit))
    const want = sig.subarray(cd + hashOffset + i * hashSize, cd + hashOffset + (i + 1) * hashSize)
    if (!crypto.createHash(hashType).update(page).digest().equals(want)) badPages.push(i)
  }
  if (nCodeSlots !== Math.ceil(codeLimit / pageSize)) badPages.push('slot count')
  return {
    adhoc: Boolean(flags & 0x2),
    linkerSigned: Boolean(flags & 0x20000),
    identifier: cstring(sig, cd + identOffset),
    hashType,
    pageSize,
    codeLimit,
    nCodeSlots,
    codeDirectory: dataoff + cd,
    hashOffset: dataoff + cd + hashOffset,
    hashSize,
    badPages,
  }
}

const S_LAZY_SYMBOL_POINTERS = 7
const S_SYMBOL_STUBS = 8
const INDIRECT_SYMBOL_LOCAL = 0x80000000
const INDIRECT_SYMBOL_ABS = 0x40000000

/**
 * The indirect symbol table as sections see it: [{ section, first, count }] for every section
 * whose entries name symbols (stubs, GOT, lazy and TLV pointers), plus the entries themselves.
 */
function indirectSymbols(buf, m = parse(buf)) {
  if (!m.dysymtab) return { sections: [], entries: [] }
  const { indirectsymoff, nindirectsyms } = m.dysymtab
  const entries = []
  for (let i = 0; i < nindirectsyms; i++) entries.push(buf.readUInt32LE(indirectsymoff + 4 * i))
  const sections = []
  for (const seg of m.segments) {
    for (const sec of seg.sections) {
      const width = sec.type === S_SYMBOL_STUBS ? sec.reserved2 : [6, S_LAZY_SYMBOL_POINTERS, 0x14].includes(sec.type) ? 8 : 0
      if (width) sections.push({ section: sec.name, type: sec.type, first: sec.reserved1, count: Math.floor(sec.size / width) })
    }
  }
  return { sections, entries }
}

/**
 * What is wrong with the indirect symbol table: entries that name no symbol, and lazy pointers
 * whose symbol is not their stub's (ld64 pairs __stubs[i] with __la_symbol_ptr[i]). zig 0.17 writes
 * __la_symbol_ptr's entries shifted by one, the last one from uninitialised memory.
 */
function indirectSymbolProblems(buf, m = parse(buf)) {
  const { sections, entries } = indirectSymbols(buf, m)
  const nsyms = m.symtab ? m.symtab.nsyms : 0
  const problems = []
  entries.forEach((e, i) => {
    if (!(e & (INDIRECT_SYMBOL_LOCAL | INDIRECT_SYMBOL_ABS)) && e >= nsyms)
      problems.push(`indirect symbol ${i} is 0x${e.toString(16)}, past the ${nsyms} symbols`)
  })
  const stubs = sections.filter((s) => s.type === S_SYMBOL_STUBS)
  const lazy = sections.filter((s) => s.type === S_LAZY_SYMBOL_POINTERS)
  if (stubs.length === 1 && lazy.length === 1 && stubs[0].count === lazy[0].count) {
    for (let i = 0; i < stubs[0].count; i++) {
      if (entries[stubs[0].first + i] !== entries[lazy[0].first + i]) {
        problems.push(
          `lazy pointer ${i} names symbol 0x${(entries[lazy[0].first + i] ?? 0).toString(16)}, its stub 0x${(entries[stubs[0].first + i] ?? 0).toString(16)}`,
        )
      }
    }
  }
  return problems
}

/** Byte ranges [start, end) of __LINKEDIT that no table claims (padding between tables). */
function linkeditGaps(buf, m = parse(buf)) {
  const seg = m.segments.find((s) => s.name === '__LINKEDIT')
  if (!seg) return []
  const used = []
  const add = (off, size) => size > 0 && used.push([off, off + size])
  if (m.dyldInfo) for (const [off, size] of Object.values(m.dyldInfo)) add(off, size)
  for (const d of m.linkeditData) add(d.dataoff, d.datasize)
  if (m.symtab) {
    add(m.symtab.symoff, 16 * m.symtab.nsyms)
    add(m.symtab.stroff, m.symtab.strsize)
  }
  if (m.dysymtab) for (const [off, n, size] of m.dysymtab.tables) add(off, n * size)
  used.sort((a, b) => a[0] - b[0])
  const gaps = []
  let at = seg.fileoff
  for (const [s, e] of used) {
    if (s > at) gaps.push([at, s])
    at = Math.max(at, e)
  }
  const end = Math.min(seg.fileoff + seg.filesize, buf.length)
  if (end > at) gaps.push([at, end])
  return gaps
}

/**
 * zig 0.17's Mach-O linker writes the indirect symbol entries of __la_symbol_ptr shifted by one,
 * the last from uninitialised memory (zeros from a cold zig cache, heap bytes from a warm one, seen
 * on the arm64 Go dylib), so the same inputs gave two different files, both wrong. normalize() gives
 * each lazy pointer its stub's symbol, as ld64 does, zeroes the padding between __LINKEDIT tables
 * (the same kind of bytes), then sets LC_UUID from the file's own hash (the linker's UUID hashed
 * the garbage too) and re-hashes the code signature's pages, which keeps the ad-hoc signature
 * valid. Idempotent. Returns { buffer, changed }.
 */
function normalize(input) {
  const buf = Buffer.from(input)
  const m = parse(buf)
  const { sections } = indirectSymbols(buf, m)
  const stubs = sections.filter((s) => s.type === S_SYMBOL_STUBS)
  const lazy = sections.filter((s) => s.type === S_LAZY_SYMBOL_POINTERS)
  if (stubs.length === 1 && lazy.length === 1 && stubs[0].count === lazy[0].count) {
    const base = m.dysymtab.indirectsymoff
    buf.copy(buf, base + 4 * lazy[0].first, base + 4 * stubs[0].first, base + 4 * (stubs[0].first + stubs[0].count))
  }
  for (const [s, e] of linkeditGaps(buf, m)) buf.fill(0, s, e)
  const sig = codeSignature(buf, m)
  if (m.uuidOffset !== null) {
    buf.fill(0, m.uuidOffset, m.uuidOffset + 16)
    const uuid = crypto
      .createHash('sha256')
      .update(buf.subarray(0, sig ? sig.codeLimit : buf.length))
      .digest()
      .subarray(0, 16)
    uuid[6] = (uuid[6] & 0x0f) | 0x50 // RFC 4122 name-based (SHA) version and variant bits
    uuid[8] = (uuid[8] & 0x3f) | 0x80
    uuid.copy(buf, m.uuidOffset)
  }
  if (sig) {
    for (let i = 0; i < sig.nCodeSlots; i++) {
      const page = buf.subarray(i * sig.pageSize, Math.min((i + 1) * sig.pageSize, sig.codeLimit))
      crypto
        .createHash(sig.hashType)
        .update(page)
        .digest()
        .copy(buf, sig.hashOffset + i * sig.hashSize)
    }
  }
  return { buffer: buf, changed: !buf.equals(Buffer.from(input)) }
}

module.exports = {
  parse,
  exportedNames,
  codeSignature,
  indirectSymbols,
  indirectSymbolProblems,
  linkeditGaps,
  normalize,
  uleb,
  version,
  MachOError,
  LC,
  MH_MAGIC_64,
}

// `node scripts/lib/macho.js normalize FILE...`: rewrites each file in place (scripts/build.sh
// and scripts/lib/native.sh run it on every darwin file they link).
if (require.main === module) {
  const fs = require('node:fs')
  const [verb, ...files] = process.argv.slice(2)
  if (verb !== 'normalize' || files.length === 0) {
    process.stderr.write('usage: node scripts/lib/macho.js normalize FILE...\n')
    process.exit(2)
  }
  for (const file of files) {
    const { buffer, changed } = normalize(fs.readFileSync(file))
    if (changed) {
      const tmp = `${file}.normalize-${process.pid}`
      fs.writeFileSync(tmp, buffer, { mode: fs.statSync(file).mode })
      fs.renameSync(tmp, file)
    }
  }
}
