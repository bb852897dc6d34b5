'use strict'
// Files built to break the load path: sums files that are not exactly the sha256sum format, and
// library or sums paths that are no regular file (a FIFO, a device, a huge or truncated file).
// Each must end in a typed error naming the file, with nothing loaded and the process alive:
// no hang (a FIFO), no memory blow-up (/dev/zero), no SIGBUS (a truncated library), and never a
// library loaded unverified because its sums file could not be read.
const assert = require('node:assert')
const fs = require('node:fs')
const path = require('node:path')
const { describe, it, before, after, CURRENT, warmIn } = require('./helpers/suite')
const project = require('./helpers/project')

const ws = project.workspace()
const { LIB, mkfifo } = project

let P // a project whose platform package has no library: explicit choices only
let release
let line // the release library's upstream sums line
let cwd

before(() => {
  P = ws.createProject({ addonLibrary: false, asherah: 'stub', label: 'hostile' })
  release = fs.readFileSync(project.artefact('library'))
  line = project.sumsLine(project.sha256(release), LIB)
  cwd = ws.tempDir('cwd')
})
after(() => ws.cleanup())

/** A copy of the release library with `setup(dir)` making its SHA256SUMS. */
function libraryWithSums(setup) {
  const library = ws.libraryCopy({})
  setup(path.join(path.dirname(library), 'SHA256SUMS'))
  return library
}

/** Where an ELF library's last loadable segment ends in the file (its program headers; a cut past it loses only what the loader never maps). */
function loadableEnd(elf) {
  const [phoff, count] = [Number(elf.readBigUInt64LE(32)), elf.readUInt16LE(56)]
  let end = 0
  for (let at = phoff; at < phoff + count * 56; at += 56) {
    if (elf.readUInt32LE(at) === 1) end = Math.max(end, Number(elf.readBigUInt64LE(at + 8) + elf.readBigUInt64LE(at + 32)))
  }
  return end
}

const warm = (library, env = {}) => warmIn(P, { cwd, options: { library }, env })

function assertRefused(out, code, file, why) {
  assert.strictEqual(out.r.ok, false, `should have been refused: ${JSON.stringify(out.r.value)}`)
  assert.strictEqual(out.r.code, code, out.r.message)
  assert.ok(out.r.message.includes(file), `message should name ${file}: ${out.r.message}`)
  assert.match(out.r.message, why)
  assert.match(out.r.message, /Fix: /)
  assert.deepStrictEqual(out.maps.goWarmup, [], 'nothing may be loaded')
  if (out.s) assert.strictEqual(out.s.calls, 0)
}

const SUMS_INVALID = 'ERR_ASHERAH_WARMUP_SUMS_INVALID'

describe(`sums files fail closed (${CURRENT})`, () => {
  const bytes = (text) => (file) => fs.writeFileSync(file, text)
  for (const [name, setup, why] of [
    [
      'a UTF-8 byte-order mark',
      (f) => fs.writeFileSync(f, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(line)])),
      /:1 starts with a UTF-8 byte-order mark/,
    ],
    ['UTF-16 text', (f) => fs.writeFileSync(f, Buffer.from(`\ufeff${line}`, 'utf16le')), /UTF-16/],
    ['invalid UTF-8 on line 2', (f) => fs.writeFileSync(f, Buffer.concat([Buffer.from(line), Buffer.from([0x78, 0xc3, 0x28, 0x0a])])), /:2 is not valid UTF-8/],
    ['a 63-digit digest', (f) => fs.writeFileSync(f, line.slice(1)), /64-digit/],
    ['a backslash-escaped line', (f) => fs.writeFileSync(f, `\\${line}`), /escaped/],
    ['CRLF line endings', (f) => fs.writeFileSync(f, line.replace('\n', '\r\n')), /carriage return/],
    [
      'the library listed twice with different digests',
      (f) => fs.writeFileSync(f, project.sumsLine('0'.repeat(64), LIB) + line),
      /:2 lists go-warmup-[\w-]+\.so a second time/,
    ],
    ['a file over 1 MiB', (f) => fs.writeFileSync(f, line.repeat(20000)), /larger than the 1048576-byte limit/],
    ['a directory', (f) => fs.mkdirSync(f), /is a directory/],
    ['a FIFO (would block a plain open forever)', mkfifo, /is a FIFO/],
    ['a symlink to /dev/zero (would be read forever)', (f) => fs.symlinkSync('/dev/zero', f), /is a character device/],
    ['a symlink loop', (f) => fs.symlinkSync(f, f), /ELOOP/],
    ['an empty file', bytes(''), /lists no files/],
  ]) {
    it(`${name}: SUMS_INVALID naming the file, nothing loaded`, async () => {
      const library = libraryWithSums(setup)
      const out = await warm(library)
      assertRefused(out, SUMS_INVALID, path.join(path.dirname(library), 'SHA256SUMS'), why)
    })
  }

  it('the same sums file, well formed: verified (sums-file)', async () => {
    const library = libraryWithSums(bytes(line))
    const out = await warm(library)
    assert.strictEqual(out.r.ok, true, out.r.message)
    assert.strictEqual(out.r.value.verification, 'sums-file')
  })
})

describe(`library files that are no library (${CURRENT})`, () => {
  it('a FIFO as ASHERAH_WARMUP_LIBRARY: NOT_FOUND saying what it is, no hang', async () => {
    const fifo = path.join(ws.tempDir('fifo'), LIB)
    mkfifo(fifo)
    const out = await warmIn(P, { cwd, env: { ASHERAH_WARMUP_LIBRARY: fifo } })
    assertRefused(out, 'ERR_ASHERAH_WARMUP_NOT_FOUND', fifo, /is a FIFO \(named pipe\), not a regular file/)
  })

  it('/dev/zero as the library: NOT_FOUND, a character device', async () => {
    const out = await warm('/dev/zero')
    assertRefused(out, 'ERR_ASHERAH_WARMUP_NOT_FOUND', '/dev/zero', /character device/)
  })

  it('a 4 GiB sparse file: LOAD_FAILED over the size limit, before any byte is hashed', async () => {
    const huge = path.join(ws.tempDir('huge'), LIB)
    fs.writeFileSync(huge, '')
    fs.truncateSync(huge, 4 * 1024 ** 3)
    const started = Date.now()
    const out = await warm(huge, { ASHERAH_WARMUP_SHA256: project.sha256(release) })
    assertRefused(out, 'ERR_ASHERAH_WARMUP_LOAD_FAILED', huge, /larger than the 67108864-byte limit/)
    assert.ok(Date.now() - started < 10000, 'refused from its size, not after reading it')
  })

  for (const [name, cut] of [
    ['to half its size', (bytes) => bytes.length / 2],
    ['one byte short of its last loadable segment', (bytes) => loadableEnd(bytes) - 1],
  ]) {
    it(`the release library truncated ${name}: LOAD_FAILED "truncated", the process lives (no SIGBUS)`, async () => {
      const cutCopy = ws.libraryCopy({ bytes: release.subarray(0, Math.floor(cut(release))) })
      const out = await warm(cutCopy)
      assertRefused(out, 'ERR_ASHERAH_WARMUP_LOAD_FAILED', cutCopy, /is truncated or damaged: segment \d+ ends at byte \d+, but the file has \d+ bytes/)
    })
  }

  it('a library this user may not read (EACCES): NOT_FOUND saying so, nothing loaded', async () => {
    // root reads any file, so where the suite runs as root the child runs as nobody; the
    // workspace folders are opened for it to reach the project.
    const user = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {}
    const denied = ws.libraryCopy({})
    fs.chmodSync(denied, 0o000)
    for (const dir of [path.dirname(P.root), path.dirname(denied), cwd]) fs.chmodSync(dir, 0o755)
    const out = await warmIn(P, { cwd, options: { library: denied }, ...user })
    assertRefused(out, 'ERR_ASHERAH_WARMUP_NOT_FOUND', denied, /EACCES: permission denied/)
  })

  it('a control character in the path is escaped in the message', async () => {
    const odd = path.join(ws.tempDir('odd'), 'x\nFORGED LINE.so')
    const out = await warm(odd)
    assert.strictEqual(out.r.code, 'ERR_ASHERAH_WARMUP_NOT_FOUND', out.r.message)
    assert.ok(out.r.message.includes('x\\nFORGED LINE.so'), out.r.message)
    assert.ok(!out.r.message.includes('\nFORGED'), 'no raw newline from a path')
  })
})
