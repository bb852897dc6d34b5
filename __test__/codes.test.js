'use strict'
// The error codes' one table (scripts/lib/error-codes.js) and what must follow it: every copy
// scripts/sync-versions.js writes from it is current; every code in it is thrown somewhere; and
// every ERR_ASHERAH_WARMUP_* literal in the package's sources is a code of the table or one of
// doctor's own, so a code written by hand cannot drift from it.
// Reads files only; runs under `node --test` and `bun test`.
const assert = require('node:assert')
const fs = require('node:fs')
const path = require('node:path')
const { describe, it } = require('./helpers/suite')
const paths = require('./helpers/paths')
const { codeFiles, variant } = require('../scripts/sync-versions')
const { PREFIX, ERROR_CODES } = require('../scripts/lib/error-codes')

/** What the package ships, and the README that documents it: wherever a code may be written. */
const SOURCES = ['lib', 'src', 'bin', 'index.js', 'index.d.ts', 'register.js', 'register.d.ts', 'README.md']

/** Every file at or under `rel` (relative to the root), relative paths. */
function filesAt(rel) {
  const full = path.join(paths.root, rel)
  if (!fs.statSync(full).isDirectory()) return [rel]
  return fs.readdirSync(full).flatMap((name) => filesAt(path.join(rel, name)))
}
const read = (rel) => fs.readFileSync(path.join(paths.root, rel), 'utf8')

/** doctor's own codes, by name: lib/cli/doctor.js's DOCTOR('...') calls are their one list. */
const doctorNames = () => [...new Set([...read('lib/cli/doctor.js').matchAll(/\bDOCTOR\('([A-Z_]+)'\)/g)].map((m) => m[1]))].sort()

describe('error codes: one table (scripts/lib/error-codes.js)', () => {
  it("every copy sync-versions writes from it is current (src/error/code.rs, lib/codes.js, index.js's, index.d.ts, README.md)", () => {
    for (const [file, wanted] of codeFiles()) {
      const rel = path.relative(paths.root, file)
      assert.ok(fs.readFileSync(file, 'utf8') === wanted, `${rel} is stale: run node scripts/sync-versions.js`)
    }
  })

  it('every code of the table is thrown somewhere: by the addon (Code::Variant) or the JS layer (CODES.NAME)', () => {
    const rust = filesAt('src')
      .filter((f) => f.endsWith('.rs') && f !== path.join('src', 'error', 'code.rs'))
      .map(read)
      .join('\n')
    const js = filesAt('lib')
      .filter((f) => f.endsWith('.js') && f !== path.join('lib', 'codes.js'))
      .map(read)
      .join('\n')
    const unused = ERROR_CODES.filter((c) => !rust.includes(`Code::${variant(c.name)}`) && !new RegExp(`\\.${c.name}\\b`).test(js)).map((c) => c.name)
    assert.deepStrictEqual(unused, [], 'codes no one throws: remove them from scripts/lib/error-codes.js')
  })

  it("every ERR_ASHERAH_WARMUP_* literal in the sources is the table's or doctor's own", () => {
    const known = new Set(ERROR_CODES.map((c) => c.code))
    // `${PREFIX}DOCTOR_` alone: doctor's DOCTOR(name) and README's DOCTOR_{...} list.
    const doctor = new Set([`${PREFIX}DOCTOR_`, ...doctorNames().map((name) => `${PREFIX}DOCTOR_${name}`)])
    const found = []
    for (const rel of SOURCES.flatMap(filesAt)) {
      for (const [n, line] of read(rel).split('\n').entries()) {
        for (const [literal] of line.matchAll(/ERR_ASHERAH_WARMUP_[A-Z_]+/g)) found.push({ at: `${rel}:${n + 1}`, literal })
      }
    }
    assert.ok(
      found.some((f) => f.at.startsWith('index.js:') && f.literal === `${PREFIX}LOAD_FAILED`),
      "index.js's literal LOAD_FAILED was not found: the scan reads nothing",
    )
    const strays = found.filter((f) => !known.has(f.literal) && !doctor.has(f.literal)).map((f) => `${f.at}: ${f.literal}`)
    assert.deepStrictEqual(strays, [], 'codes that are in no table: add them to scripts/lib/error-codes.js, or correct them')
  })

  it("README's list of doctor's codes is the one lib/cli/doctor.js uses", () => {
    const listed = /ERR_ASHERAH_WARMUP_DOCTOR_\{([^}]*)\}/.exec(read('README.md'))
    assert.ok(listed, 'README.md no longer lists doctor codes as ERR_ASHERAH_WARMUP_DOCTOR_{...}')
    assert.deepStrictEqual(listed[1].split(/,\s*/).sort(), doctorNames())
  })
})
