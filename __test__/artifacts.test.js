'use strict'
// The shipped native files, as a loader on an old or a foreign system would see them:
// - every linux ELF (npm/linux-*/*.node and *.so) needs glibc GLIBC_FLOOR at most and nothing of
//   libgcc_s / libstdc++ newer than that era (scripts/lib/elf-versions.js);
// - every darwin Mach-O (npm/darwin-*/) has the right CPU and file type, its export, system
//   libraries only, minos MACOS_MIN, a relative install name, a sound indirect symbol table and
//   (arm64) a valid ad-hoc signature (scripts/lib/macho.js);
// - every addon looks for its own platform's go-warmup library and no other (src/platform.rs);
// - no file carries a build machine's path.
// Each check is first shown failing on a hand-made wrong file. Runs under node --test and bun test.
const assert = require('node:assert')
const crypto = require('node:crypto')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { spawnSync } = require('node:child_process')
const { describe, it } = require('./helpers/suite')
const paths = require('./helpers/paths')
const { readElf, tooNew, maxGlibc, compareVersions } = require('../scripts/lib/elf-versions')
const macho = require('../scripts/lib/macho')
const { elfProblems, machoProblems } = require('../scripts/lib/artifacts')
const { versionsEnv } = require('../scripts/lib/versions')
const { platforms } = require('../scripts/sync-versions')

const ENV = versionsEnv()
const ROOT_PKG = JSON.parse(fs.readFileSync(path.join(paths.root, 'package.json'), 'utf8'))
const PLATFORMS = platforms(ROOT_PKG)

// ---- hand-made files ----------------------------------------------------------------------

/** A minimal ELF64 LE shared object: .dynstr, .dynamic (DT_NEEDED) and .gnu.version_r. */
function makeElf({ machine = 62, needs = { 'libc.so.6': ['GLIBC_2.2.5', 'GLIBC_2.17'] }, extra = '' } = {}) {
  const strs = ['']
  const str = (s) => {
    const at = strs.join('\0').length + 1
    strs.push(s)
    return at
  }
  const files = Object.entries(needs).map(([file, versions]) => ({ file: str(file), versions: versions.map(str) }))
  const dynstr = Buffer.from(`${strs.join('\0')}\0${extra}\0`, 'latin1')
  const verneed = []
  files.forEach((f, i) => {
    const head = Buffer.alloc(16)
    head.writeUInt16LE(1, 0)
    head.writeUInt16LE(f.versions.length, 2)
    head.writeUInt32LE(f.file, 4)
    head.writeUInt32LE(16, 8)
    head.writeUInt32LE(i + 1 < files.length ? 16 + 16 * f.versions.length : 0, 12)
    verneed.push(head)
    f.versions.forEach((v, k) => {
      const aux = Buffer.alloc(16)
      aux.writeUInt32LE(v, 8)
      aux.writeUInt32LE(k + 1 < f.versions.length ? 16 : 0, 12)
      verneed.push(aux)
    })
  })
  const vr = Buffer.concat(verneed)
  const dyn = Buffer.alloc(16 * (files.length + 1))
  files.forEach((f, i) => {
    dyn.writeBigInt64LE(1n, 16 * i)
    dyn.writeBigUInt64LE(BigInt(f.file), 16 * i + 8)
  })
  const body = [dynstr, vr, dyn]
  let off = 64
  const placed = body.map((b) => {
    const at = off
    off += b.length
    return at
  })
  const shoff = off
  const sh = Buffer.alloc(64 * 4)
  const section = (i, type, at, size, link, info) => {
    sh.writeUInt32LE(type, 64 * i + 4)
    sh.writeBigUInt64LE(BigInt(at), 64 * i + 24)
    sh.writeBigUInt64LE(BigInt(size), 64 * i + 32)
    sh.writeUInt32LE(link, 64 * i + 40)
    sh.writeUInt32LE(info, 64 * i + 44)
  }
  section(1, 3, placed[0], dynstr.length, 0, 0)
  section(2, 0x6ffffffe, placed[1], vr.length, 1, files.length)
  section(3, 6, placed[2], dyn.length, 1, 0)
  const head = Buffer.alloc(64)
  head.writeUInt32BE(0x7f454c46, 0)
  head[4] = 2
  head[5] = 1
  head.writeUInt16LE(3, 16)
  head.writeUInt16LE(machine, 18)
  head.writeBigUInt64LE(BigInt(shoff), 40)
  head.writeUInt16LE(64, 58)
  head.writeUInt16LE(4, 60)
  return Buffer.concat([head, ...body, sh])
}

const uleb = (n) => {
  const out = []
  do {
    let b = n & 0x7f
    n = Math.floor(n / 128)
    if (n) b |= 0x80
    out.push(b)
  } while (n)
  return out
}
const CPUTYPE = { x64: 0x01000007, arm64: 0x0100000c }

/**
 * A minimal thin Mach-O file: __TEXT and __LINKEDIT segments, LC_ID_DYLIB, LC_LOAD_DYLIB,
 * LC_BUILD_VERSION, LC_UUID, LC_DYLD_EXPORTS_TRIE with one name, and an ad-hoc code signature
 * with real page hashes (unless sign is false).
 */
function makeMachO({
  cpu = 'arm64',
  filetype = 6,
  id = '@rpath/x.node',
  dylibs = ['/usr/lib/libSystem.B.dylib'],
  minos = 0x0c0000,
  exportName = '_napi_register_module_v1',
  sign = true,
  text = '',
} = {}) {
  const cmds = []
  const lc = (cmd, body) => {
    const size = Math.ceil((8 + body.length) / 8) * 8
    const b = Buffer.alloc(size)
    b.writeUInt32LE(cmd, 0)
    b.writeUInt32LE(size, 4)
    body.copy(b, 8)
    cmds.push(b)
    return b
  }
  const dylib = (cmd, name) => {
    const body = Buffer.alloc(16 + name.length + 1)
    body.writeUInt32LE(24, 0)
    body.write(name, 16, 'latin1')
    lc(cmd, body)
  }
  const LINKEDIT = 0x1000
  const seg = (name, fileoff, filesize) => {
    const body = Buffer.alloc(64)
    body.write(name, 0, 'latin1')
    body.writeBigUInt64LE(BigInt(fileoff), 32)
    body.writeBigUInt64LE(BigInt(filesize), 40)
    return lc(macho.LC.SEGMENT_64, body)
  }
  // Export trie: root --name--> terminal node (flags 0, address 0x1000).
  const edge = [...Buffer.from(`${exportName}\0`, 'latin1')]
  const rootLen = 2 + edge.length + 1
  const trie = Buffer.from([0, 1, ...edge, rootLen, 3, 0, ...uleb(0x1000), 0])
  const trieSize = Math.ceil(trie.length / 8) * 8
  const sigOff = LINKEDIT + trieSize
  seg('__TEXT', 0, LINKEDIT)
  const linkedit = seg('__LINKEDIT', LINKEDIT, 0)
  if (id !== null) dylib(macho.LC.ID_DYLIB, id)
  for (const d of dylibs) dylib(macho.LC.LOAD_DYLIB, d)
  const bv = Buffer.alloc(16)
  bv.writeUInt32LE(1, 0)
  bv.writeUInt32LE(minos, 4)
  bv.writeUInt32LE(minos, 8)
  lc(macho.LC.BUILD_VERSION, bv)
  lc(macho.LC.UUID, crypto.randomBytes(16))
  const le = (off, size) => {
    const b = Buffer.alloc(8)
    b.writeUInt32LE(off, 0)
    b.writeUInt32LE(size, 4)
    return b
  }
  lc(macho.LC.DYLD_EXPORTS_TRIE, le(LINKEDIT, trie.length))
  const nSlots = Math.ceil(sigOff / 4096)
  const ident = Buffer.from('x\0')
  const cdLen = 88 + ident.length + 32 * nSlots
  const sigLen = 20 + cdLen
  const sigCmd = sign ? lc(macho.LC.CODE_SIGNATURE, le(sigOff, sigLen)) : null
  const header = Buffer.alloc(32)
  header.writeUInt32LE(macho.MH_MAGIC_64, 0)
  header.writeUInt32LE(CPUTYPE[cpu], 4)
  header.writeUInt32LE(filetype, 12)
  header.writeUInt32LE(cmds.length, 16)
  header.writeUInt32LE(
    cmds.reduce((n, c) => n + c.length, 0),
    20,
  )
  const buf = Buffer.alloc(sigOff + (sign ? sigLen : 0))
  Buffer.concat([header, ...cmds]).copy(buf, 0)
  buf.write(text, 0x800, 'latin1')
  trie.copy(buf, LINKEDIT)
  linkedit.writeBigUInt64LE(BigInt(buf.length - LINKEDIT), 8 + 40)
  Buffer.concat([header, ...cmds]).copy(buf, 0) // again, with __LINKEDIT's size
  if (sign) {
    void sigCmd
    const sig = Buffer.alloc(sigLen)
    sig.writeUInt32BE(0xfade0cc0, 0)
    sig.writeUInt32BE(sigLen, 4)
    sig.writeUInt32BE(1, 8)
    sig.writeUInt32BE(0, 12)
    sig.writeUInt32BE(20, 16)
    const cd = 20
    sig.writeUInt32BE(0xfade0c02, cd)
    sig.writeUInt32BE(cdLen, cd + 4)
    sig.writeUInt32BE(0x20400, cd + 8)
    sig.writeUInt32BE(0x20002, cd + 12) // adhoc | linker-signed
    sig.writeUInt32BE(88 + ident.length, cd + 16)
    sig.writeUInt32BE(88, cd + 20)
    sig.writeUInt32BE(nSlots, cd + 28)
    sig.writeUInt32BE(sigOff, cd + 32)
    sig[cd + 36] = 32
    sig[cd + 37] = 2
    sig[cd + 39] = 12
    ident.copy(sig, cd + 88)
    for (let i = 0; i < nSlots; i++) {
      crypto
        .createHash('sha256')
        .update(buf.subarray(i * 4096, Math.min((i + 1) * 4096, sigOff)))
        .digest()
        .copy(sig, cd + 88 + ident.length + 32 * i)
    }
    sig.copy(buf, sigOff)
  }
  return buf
}

const GOOD_MACHO = { cpu: 'arm64', filetypes: ['MH_DYLIB', 'MH_BUNDLE'], exportName: '_napi_register_module_v1', minos: ENV.MACOS_MIN }
const GOOD_ELF = { cpu: 'x64', glibcFloor: ENV.GLIBC_FLOOR }

// ---- the readers and the checks, on hand-made files ----------------------------------------

describe('artifacts: the ELF version reader', () => {
  it('reads DT_NEEDED and the versions needed per library from a hand-made file', () => {
    const elf = readElf(makeElf({ needs: { 'libc.so.6': ['GLIBC_2.2.5', 'GLIBC_2.17'], 'libgcc_s.so.1': ['GCC_3.0'] } }))
    assert.strictEqual(elf.machine, 'x86_64')
    assert.deepStrictEqual(elf.needed, ['libc.so.6', 'libgcc_s.so.1'])
    assert.deepStrictEqual(elf.versions, { 'libc.so.6': ['GLIBC_2.2.5', 'GLIBC_2.17'], 'libgcc_s.so.1': ['GCC_3.0'] })
    assert.strictEqual(maxGlibc(elf), 'GLIBC_2.17')
    assert.deepStrictEqual(tooNew(elf), [])
  })

  it('compares versions numerically and rejects what is not an ELF file', () => {
    assert.ok(compareVersions('2.2.5', '2.17') < 0)
    assert.ok(compareVersions('2.34', '2.17') > 0)
    assert.strictEqual(compareVersions('2.17', '2.17.0'), 0)
    assert.throws(() => readElf(Buffer.from('not an elf file at all, no, not at all, nope........................')), /not an ELF/)
  })

  it('each ELF check fails on a deliberately wrong file', () => {
    assert.deepStrictEqual(elfProblems(makeElf(), GOOD_ELF), [])
    assert.match(elfProblems(makeElf({ needs: { 'libc.so.6': ['GLIBC_2.17', 'GLIBC_2.34'] } }), GOOD_ELF).join(), /GLIBC_2\.34 \(libc\.so\.6\)/)
    assert.match(elfProblems(makeElf({ needs: { 'libstdc++.so.6': ['GLIBCXX_3.4.30'] } }), GOOD_ELF).join(), /GLIBCXX_3\.4\.30/)
    assert.match(elfProblems(makeElf({ needs: { 'libgcc_s.so.1': ['GCC_12.0.0'] } }), GOOD_ELF).join(), /GCC_12\.0\.0/)
    assert.match(elfProblems(makeElf({ needs: { 'libfoo.so': ['FOO_1.0'] } }), GOOD_ELF).join(), /no known floor/)
    assert.match(elfProblems(makeElf({ machine: 183 }), GOOD_ELF).join(), /machine aarch64, want x86_64/)
    assert.match(elfProblems(makeElf({ extra: '/root/.cargo/registry/src/x.rs' }), GOOD_ELF).join(), /build path \/root\//)
  })

  // A real build the default way (this machine's gcc and glibc) is what the floor is about.
  const gcc = spawnSync('gcc', ['--version']).status === 0 && process.platform === 'linux'
  ;(gcc ? it : it.skip)('a real library built with the host gcc against getrandom (GLIBC_2.25) fails the check', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'artifacts-gcc-'))
    try {
      const source = path.join(__dirname, 'fixtures', 'tools', 'getrandom.c')
      const res = spawnSync('gcc', ['-shared', '-fPIC', '-O2', '-o', path.join(dir, 'r.so'), source], { encoding: 'utf8' })
      assert.strictEqual(res.status, 0, res.stderr)
      const problems = elfProblems(fs.readFileSync(path.join(dir, 'r.so')), { cpu: process.arch, glibcFloor: ENV.GLIBC_FLOOR })
      assert.ok(
        problems.some((p) => /GLIBC_2\.(2[5-9]|[3-9]\d)/.test(p)),
        problems.join('; '),
      )
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('artifacts: the Mach-O reader', () => {
  it('reads a hand-made file: CPU, type, libraries, install name, minos, export trie, signature', () => {
    const buf = makeMachO()
    const m = macho.parse(buf)
    assert.deepStrictEqual([m.cpu, m.filetype, m.idDylib, m.dylibs, m.minos], ['arm64', 'MH_DYLIB', '@rpath/x.node', ['/usr/lib/libSystem.B.dylib'], '12.0'])
    assert.deepStrictEqual(macho.exportedNames(buf), ['_napi_register_module_v1'])
    const sig = macho.codeSignature(buf)
    assert.deepStrictEqual([sig.adhoc, sig.linkerSigned, sig.hashType, sig.identifier, sig.badPages], [true, true, 'sha256', 'x', []])
    assert.strictEqual(macho.version(0x0c0001), '12.0.1')
    assert.deepStrictEqual(macho.uleb(Buffer.from([0xe5, 0x8e, 0x26]), 0), [624485, 3])
  })

  it('rejects a fat file, an ELF file and truncated load commands', () => {
    const fat = Buffer.alloc(64)
    fat.writeUInt32BE(0xcafebabe, 0)
    assert.throws(() => macho.parse(fat), /universal/)
    assert.throws(() => macho.parse(makeElf()), /ELF/)
    const cut = makeMachO()
    cut.writeUInt32LE(0xffff, 20)
    assert.throws(() => macho.parse(cut), /past the end/)
  })

  it('each Mach-O check fails on a deliberately wrong file', () => {
    const problems = (opts, want = GOOD_MACHO) => machoProblems(makeMachO(opts), want).join('; ')
    assert.strictEqual(problems({}), '')
    assert.match(problems({ cpu: 'x64' }), /CPU x86_64, want arm64/)
    assert.match(problems({ filetype: 2 }), /file type MH_EXECUTE/)
    assert.match(problems({ exportName: '_other' }), /does not export _napi_register_module_v1/)
    assert.match(problems({ dylibs: ['/usr/lib/libSystem.B.dylib', '/opt/homebrew/lib/libiconv.2.dylib'] }), /loads \/opt\/homebrew/)
    assert.match(problems({ minos: 0x0f0000 }), /minos 15\.0, want 12\.0/)
    assert.match(problems({ id: '/work/wt/target/release/deps/libasherah_warmup.dylib' }), /install name \/work/)
    assert.match(problems({ text: '/root/.cargo/registry/src/lib.rs' }), /build path \/root\//)
    assert.match(problems({ sign: false }), /no LC_CODE_SIGNATURE/)
    assert.strictEqual(problems({ sign: false, cpu: 'x64' }, { ...GOOD_MACHO, cpu: 'x64' }), '')
    const tampered = makeMachO()
    tampered[0x900] ^= 1 // a byte of page 0 changed after signing
    assert.match(machoProblems(tampered, GOOD_MACHO).join(), /hashes do not match pages 0/)
  })

  it('normalize() zeroes __LINKEDIT padding, sets a content UUID, keeps the signature valid, and is idempotent', () => {
    const a = makeMachO()
    const b = Buffer.from(a)
    const m = macho.parse(a)
    crypto.randomBytes(16).copy(b, m.uuidOffset) // two links that differ in their UUID ...
    const gap = macho.linkeditGaps(a, m)
    assert.ok(gap.length > 0, 'the hand-made file has padding after its export trie')
    b[gap[0][0]] = 0x41 // ... and in a padding byte
    const na = macho.normalize(a).buffer
    const nb = macho.normalize(b).buffer
    assert.ok(na.equals(nb), 'two files that differ only in padding and UUID normalize to the same bytes')
    assert.deepStrictEqual(macho.codeSignature(na).badPages, [])
    assert.strictEqual(macho.normalize(na).changed, false)
  })
})

// ---- the real files ------------------------------------------------------------------------

/** Every shipped native file of a platform, with what it must be. */
function shipped(p) {
  const dir = path.join(paths.root, p.dir)
  return [
    { file: path.join(dir, p.addon), kind: 'addon', exportName: '_napi_register_module_v1', filetypes: ['MH_DYLIB', 'MH_BUNDLE'] },
    { file: path.join(dir, p.library), kind: 'library', exportName: '_Warmup', filetypes: ['MH_DYLIB'] },
  ]
}
/** scripts/build.sh all builds every platform on linux; a Mac CI job is handed the darwin files. */
const required = (p) => process.platform === 'linux' || p.os === process.platform

describe('artifacts: the shipped files', () => {
  for (const p of PLATFORMS) {
    for (const f of shipped(p)) {
      const name = `${p.dir}/${path.basename(f.file)}`
      const present = fs.existsSync(f.file)
      ;(present || required(p) ? it : it.skip)(
        `${name}: ${p.os === 'linux' ? `glibc ${ENV.GLIBC_FLOOR} era at most` : `darwin ${p.cpu}, minos ${ENV.MACOS_MIN}`}, no build paths`,
        () => {
          assert.ok(present, `${name} missing: run scripts/build.sh all`)
          const buf = fs.readFileSync(f.file)
          const problems =
            p.os === 'linux'
              ? elfProblems(buf, { cpu: p.cpu, glibcFloor: ENV.GLIBC_FLOOR })
              : machoProblems(buf, { cpu: p.cpu, filetypes: f.filetypes, exportName: f.exportName, minos: ENV.MACOS_MIN })
          assert.deepStrictEqual(problems, [], `${name}: ${problems.join('; ')}`)
          if (f.kind === 'addon') {
            // The names src/platform.rs compiled in for this target: its own library's, no other's.
            for (const q of PLATFORMS) {
              assert.strictEqual(buf.includes(q.library, 0, 'latin1'), q === p, `${name} ${q === p ? 'lacks' : 'looks for'} ${q.library}`)
            }
            assert.ok(buf.includes(p.sums, 0, 'latin1'), `${name} lacks ${p.sums}`)
          }
          if (p.os === 'linux') {
            const elf = readElf(buf)
            const symbol = f.kind === 'addon' ? 'napi_register_module_v1' : 'Warmup'
            assert.ok(buf.includes(`${symbol}\0`, 0, 'latin1'), `${name} lacks ${symbol}`)
            console.log(`[artifacts] ${name}: ${buf.length} bytes, ${maxGlibc(elf)} at most, needs ${elf.needed.join(' ')}`)
          } else {
            const m = macho.parse(buf)
            const sig = macho.codeSignature(buf, m)
            console.log(
              `[artifacts] ${name}: ${buf.length} bytes, ${m.cpu} ${m.filetype}, minos ${m.minos}, id ${m.idDylib}, ${sig ? 'ad-hoc signed' : 'unsigned'}, loads ${m.dylibs.join(' ')}`,
            )
          }
        },
      )
    }
  }
})
