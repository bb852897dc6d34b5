'use strict'
// detectRuntime(), needsWarmup(), libraryName() and the exported codes, asked in fresh Bun and
// Node children whatever the runner. Expected values come from outside the product: the
// runtime binaries' own --version, the child's process.versions, the file names that
// scripts/build-go.sh wrote into dist/go-warmup/SHA256SUMS, and the table of error codes.
const assert = require('node:assert')
const fs = require('node:fs')
const { execFileSync } = require('node:child_process')
const { describe, it, NOT_WARMED, RUNTIMES, CURRENT, runChild, jsonOf } = require('./helpers/suite')
const paths = require('./helpers/paths')
const project = require('./helpers/project')
const { ERROR_CODES } = require('../scripts/lib/error-codes')

const INDEX = paths.root
const versionOf = (binary) => execFileSync(binary, ['--version'], { encoding: 'utf8' }).trim().replace(/^v/, '')
/** What the package says in a child (fixtures/children/package-facts.js; `facts`: its { pairs, addon }). */
const factsIn = async (options, facts = {}) => jsonOf(await runChild('package-facts.js', { args: [INDEX, facts], ...options }))

describe('detectRuntime()', () => {
  it('in a Bun child: bun and the version `bun --version` prints, although process.versions.node is set too', async () => {
    const out = await factsIn({ runtime: RUNTIMES.bun })
    assert.deepStrictEqual(out.runtime, { name: 'bun', version: versionOf(RUNTIMES.bun) })
    assert.ok(out.node, 'Bun sets process.versions.node, so detection must ask for Bun first')
    assert.strictEqual(out.s.runtime, 'bun')
    assert.strictEqual(out.s.runtimeVersion, out.runtime.version)
  })

  it('in a Node child: node and the version `node --version` prints', async () => {
    const out = await factsIn({ runtime: RUNTIMES.node })
    assert.deepStrictEqual(out.runtime, { name: 'node', version: versionOf(RUNTIMES.node) })
    assert.strictEqual(out.s.runtime, 'node')
    assert.strictEqual(out.s.runtimeVersion, out.runtime.version)
  })
})

describe('needsWarmup()', () => {
  const ask = async (runtime, mode) => (await factsIn({ runtime, env: { ASHERAH_WARMUP: mode } })).needs
  const cases = [
    ['bun', '', true],
    ['bun', 'auto', true],
    ['bun', 'never', false],
    ['bun', 'always', true],
    ['node', '', false],
    ['node', 'auto', false],
    ['node', 'never', false],
    ['node', 'always', true],
    ['node', ' Always ', true],
  ]
  it('follows the runtime and ASHERAH_WARMUP (auto = Bun only), under Bun and Node', async () => {
    const outs = await Promise.all(cases.map(([rt, mode]) => ask(RUNTIMES[rt], mode)))
    outs.forEach((needs, i) => {
      const [rt, mode, expected] = cases[i]
      assert.strictEqual(needs, expected, `${rt} with ASHERAH_WARMUP=${JSON.stringify(mode)}`)
    })
  })
})

describe(`libraryName() (${CURRENT})`, () => {
  it('names the four upstream release files, null for every other platform', async () => {
    const expected = {
      'linux-x64': 'go-warmup-linux-x64.so',
      'linux-arm64': 'go-warmup-linux-arm64.so',
      'darwin-x64': 'go-warmup-darwin-x64.dylib',
      'darwin-arm64': 'go-warmup-darwin-arm64.dylib',
      'win32-x64': null,
      'win32-arm64': null,
      'linux-ia32': null,
      'linux-arm': null,
      'linux-riscv64': null,
      'darwin-ia32': null,
      'freebsd-x64': null,
      'android-arm64': null,
      'aix-ppc64': null,
    }
    const out = await factsIn({}, { pairs: Object.keys(expected).map((pair) => pair.split('-')) })
    assert.deepStrictEqual(out.libraryName.pairs, expected)
  })

  it('the linux names are the files the release build lists in SHA256SUMS', async () => {
    const listed = fs
      .readFileSync(project.artefact('sums'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => l.split(/\s+/)[1].replace(/^\.\//, ''))
      .sort()
    const out = await factsIn(
      {},
      {
        pairs: [
          ['linux', 'x64'],
          ['linux', 'arm64'],
        ],
      },
    )
    assert.deepStrictEqual(Object.values(out.libraryName.pairs).sort(), listed)
  })

  it("with no arguments: this platform's name, the same the addon was built to look for", async () => {
    const out = await factsIn({}, { addon: project.artefact('addon') })
    assert.strictEqual(out.libraryName.none, project.LIB)
    assert.strictEqual(out.libraryName.none, out.libraryName.here)
    assert.strictEqual(out.built, out.libraryName.none)
  })
})

describe(`exports (${CURRENT})`, () => {
  it('codes: the stable error codes, frozen: exactly the table (scripts/lib/error-codes.js)', async () => {
    const out = await factsIn({})
    assert.deepStrictEqual(out.codes, Object.fromEntries(ERROR_CODES.map((c) => [c.name, c.code])))
    assert.strictEqual(out.frozen, true)
  })

  it('status() before any warmup under Node: not needed, not warmed, nothing loaded', async () => {
    const out = await factsIn({ runtime: RUNTIMES.node })
    assert.deepStrictEqual({ ...out.s }, { runtime: 'node', runtimeVersion: versionOf(RUNTIMES.node), needed: false, ...NOT_WARMED })
    assert.deepStrictEqual(out.maps.nodeAddons, [])
  })
})
