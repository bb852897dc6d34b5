'use strict'
// SHA-256 verification before anything is loaded: a library from outside this package (asherah-
// node's lib/, or an explicit path) is checked against a SHA256SUMS beside it that lists it, and
// any library against a pinned digest (the sha256 option, ASHERAH_WARMUP_SHA256). The copy
// beside our addon is not re-hashed. Every expected digest is computed here with node:crypto;
// each case runs in a fresh child of the current runtime, which reports /proc/self/maps. Which
// check applies when, and what a sums file that does not list the library says, are checked by
// the core's Rust unit tests (src/verify_tests.rs).
const assert = require('node:assert')
const fs = require('node:fs')
const path = require('node:path')
const { describe, it, before, after, CURRENT, warmIn, mappedAs } = require('./helpers/suite')
const project = require('./helpers/project')

const ws = project.workspace()

const { LIB } = project
const MISMATCH = 'ERR_ASHERAH_WARMUP_CHECKSUM_MISMATCH'
const INVALID = 'ERR_ASHERAH_WARMUP_INVALID_OPTION'

let release // bytes of the release library
let releaseDigest
let fromAsherah // (3) missing, asherah-node's lib/ has the release copy + upstream SHA256SUMS
let tamperedAsherah // same, with one byte of the copy flipped; SHA256SUMS unchanged
let tamperedBytes
let withWrongSums // the copy beside the addon, with a SHA256SUMS beside it that disagrees
let plain // an explicit copy with no sums file
let cwd

before(() => {
  release = fs.readFileSync(project.artefact('library'))
  releaseDigest = project.sha256(release)
  tamperedBytes = project.tampered(release)
  fromAsherah = ws.createProject({ addonLibrary: false, asherah: 'stub', label: 'from-asherah' })
  tamperedAsherah = ws.createProject({ addonLibrary: false, asherah: 'stub', asherahLibrary: tamperedBytes, label: 'tampered' })
  withWrongSums = ws.createProject({ addonSums: project.sumsLine('0'.repeat(64), LIB), asherah: 'stub', label: 'wrong-sums' })
  plain = ws.libraryCopy()
  cwd = ws.tempDir('cwd')
})
after(() => ws.cleanup())

/** warmIn from the suite helpers, run from this file's working directory by default. */
const warm = (p, options = {}) => warmIn(p, { cwd, ...options })

function assertVerified(out, { library, verification, sha256 }) {
  assert.strictEqual(out.r.ok, true, `warmup failed: ${out.r.message}`)
  const s = out.r.value
  assert.strictEqual(s.warmed, true)
  assert.strictEqual(s.library, library)
  assert.strictEqual(s.verification, verification)
  assert.strictEqual(s.verified, verification === 'pinned' || verification === 'sums-file')
  assert.strictEqual(s.sha256, sha256)
  assert.deepStrictEqual(out.maps.goWarmup, [mappedAs(s)])
  return s
}

function assertRefused(out, library, { actual, expected, by }) {
  assert.strictEqual(out.r.ok, false, 'the library should have been refused')
  assert.strictEqual(out.r.code, MISMATCH, out.r.message)
  assert.ok(out.r.message.includes(library), out.r.message)
  if (actual) assert.ok(out.r.message.includes(actual), `message should give the actual digest: ${out.r.message}`)
  if (expected) assert.ok(out.r.message.includes(expected), `message should give the expected digest: ${out.r.message}`)
  if (by) assert.ok(out.r.message.includes(by), `message should say who expects it (${by}): ${out.r.message}`)
  assert.deepStrictEqual(out.maps.goWarmup, [], 'a library that failed its check must not be loaded')
}

describe(`sums files (${CURRENT})`, () => {
  it("asherah-node's copy listed in its SHA256SUMS is hashed before loading: verified, sums-file", async () => {
    const out = await warm(fromAsherah)
    const s = assertVerified(out, { library: fromAsherah.asherahLibrary, verification: 'sums-file', sha256: project.sha256File(fromAsherah.asherahLibrary) })
    assert.strictEqual(s.source, 'asherah-node')
  })

  it('a tampered asherah-node copy: CHECKSUM_MISMATCH naming it and both digests, and it was not loaded', async () => {
    const out = await warm(tamperedAsherah)
    assertRefused(out, tamperedAsherah.asherahLibrary, {
      actual: project.sha256(tamperedBytes),
      expected: releaseDigest,
      by: path.join(tamperedAsherah.asherahDir, 'lib', 'SHA256SUMS'),
    })
  })

  it('an explicit library with a SHA256SUMS beside it that lists it is verified (sums-file)', async () => {
    const library = project.artefact('library') // dist/go-warmup: the release build and its sums file
    const out = await warm(fromAsherah, { options: { library } })
    assertVerified(out, { library, verification: 'sums-file', sha256: project.sha256File(library) })
  })

  it('a tampered explicit library beside a sums file that lists the original is refused', async () => {
    const library = ws.libraryCopy({ bytes: tamperedBytes, sums: project.sumsLine(releaseDigest, LIB) })
    const out = await warm(fromAsherah, { options: { library } })
    assertRefused(out, library, { actual: project.sha256(tamperedBytes), expected: releaseDigest })
  })

  it('an explicit library with no sums file beside it loads unverified (none)', async () => {
    const out = await warm(fromAsherah, { options: { library: plain } })
    assertVerified(out, { library: plain, verification: 'none', sha256: null })
  })
})

describe(`pinned digests (${CURRENT})`, () => {
  it('the sha256 option matching: verified, pinned, with the digest', async () => {
    const out = await warm(fromAsherah, { options: { library: plain, sha256: releaseDigest } })
    assertVerified(out, { library: plain, verification: 'pinned', sha256: releaseDigest })
  })

  it('the sha256 option not matching: CHECKSUM_MISMATCH naming the option, nothing loaded', async () => {
    const wrong = project.sha256(Buffer.from('not the library'))
    const out = await warm(fromAsherah, { options: { library: plain, sha256: wrong } })
    assertRefused(out, plain, { actual: releaseDigest, expected: wrong, by: 'sha256 option' })
    assert.strictEqual(out.s.calls, 0)
  })

  it('ASHERAH_WARMUP_SHA256 matching an ASHERAH_WARMUP_LIBRARY file: pinned', async () => {
    const out = await warm(fromAsherah, { env: { ASHERAH_WARMUP_LIBRARY: plain, ASHERAH_WARMUP_SHA256: releaseDigest } })
    const s = assertVerified(out, { library: plain, verification: 'pinned', sha256: releaseDigest })
    assert.strictEqual(s.source, 'env')
  })

  it('ASHERAH_WARMUP_SHA256 not matching: CHECKSUM_MISMATCH naming the variable, nothing loaded', async () => {
    const wrong = project.sha256(Buffer.from('something else'))
    const out = await warm(fromAsherah, { env: { ASHERAH_WARMUP_LIBRARY: plain, ASHERAH_WARMUP_SHA256: wrong } })
    assertRefused(out, plain, { actual: releaseDigest, expected: wrong, by: 'ASHERAH_WARMUP_SHA256' })
  })

  it('a pinned digest also applies to the copy beside our addon', async () => {
    const wrong = project.sha256(Buffer.from('pinned elsewhere'))
    const [match, mismatch] = await Promise.all([
      warmIn(withWrongSums, { env: { ASHERAH_WARMUP_SHA256: releaseDigest } }),
      warmIn(withWrongSums, { env: { ASHERAH_WARMUP_SHA256: wrong } }),
    ])
    assertVerified(match, { library: withWrongSums.addonLibrary, verification: 'pinned', sha256: releaseDigest })
    assertRefused(mismatch, withWrongSums.addonLibrary, { expected: wrong })
  })

  it('the sha256 option beats ASHERAH_WARMUP_SHA256', async () => {
    const wrong = project.sha256(Buffer.from('env pin'))
    const out = await warm(fromAsherah, { options: { library: plain, sha256: releaseDigest }, env: { ASHERAH_WARMUP_SHA256: wrong } })
    assertVerified(out, { library: plain, verification: 'pinned', sha256: releaseDigest })
  })

  it('an invalid digest (option or environment): INVALID_OPTION naming the setting, nothing loaded', async () => {
    // Which strings are a digest is the core's (src/verify_tests.rs); here, that each setting's
    // refusal reaches the caller naming it, and the JS layer's own check of the option's type.
    const cases = [
      { options: { library: plain, sha256: 42 }, names: 'sha256 option', value: '42' },
      { env: { ASHERAH_WARMUP_SHA256: `${releaseDigest}0` }, names: 'ASHERAH_WARMUP_SHA256', value: `${releaseDigest}0` },
    ]
    const outs = await Promise.all(cases.map((c) => warmIn(fromAsherah, c)))
    outs.forEach((out, i) => {
      const { names, value } = cases[i]
      assert.strictEqual(out.r.ok, false, `case ${i} should fail`)
      assert.strictEqual(out.r.code, INVALID, `case ${i}: ${out.r.message}`)
      assert.ok(out.r.message.includes(names), out.r.message)
      assert.ok(out.r.message.includes(value), out.r.message)
      assert.deepStrictEqual(out.maps.goWarmup, [])
    })
  })
})
