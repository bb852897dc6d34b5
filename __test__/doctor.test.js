'use strict'
// `asherah-warmup doctor`, run as users run it: `<runtime> bin/asherah-warmup.js doctor` in a fresh
// process. A healthy run under Node and Bun (human and --json), each failure class of the core
// issue (exit 1, the verdict names the error code and a fix), and the hang the signal repair
// prevents, caught on Bun 1.3.14 with the repair turned off. Runs under `node --test` and `bun test`.
const assert = require('node:assert')
const crypto = require('node:crypto')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { spawn } = require('node:child_process')
const harness = require('./harness')
const { describe } = harness
const paths = require('./helpers/paths')
const { currentRuntime } = require('./helpers/child')
const { libraryName } = require('../lib/platform')

const BIN = path.join(paths.root, 'bin', 'asherah-warmup.js')
const LIB = libraryName()
const PACKAGE_LIB = path.join(paths.root, 'npm', `linux-${process.arch}-gnu`, LIB)
const OTHER_ARCH = process.arch === 'x64' ? 'arm64' : 'x64'
const FIXTURES = path.join(paths.fixtures, process.arch)
const TIMEOUT_MS = 30000
const isBun = Boolean(process.versions.bun)
const it = (name, fn) => (isBun ? harness.it(name, fn, TIMEOUT_MS) : harness.it(name, { timeout: TIMEOUT_MS }, fn))
const before = (fn) => (isBun ? harness.before(fn) : harness.before(fn))
const after = (fn) => (isBun ? harness.after(fn) : harness.after(fn))

/** The settings a developer's shell may carry, cleared so each run sees only what its test sets. */
const CLEAN_ENV = {
  ASHERAH_WARMUP: '',
  ASHERAH_WARMUP_LIBRARY: '',
  ASHERAH_WARMUP_SHA256: '',
  ASHERAH_WARMUP_SIGNAL_REPAIR: '',
  ASHERAH_VERBOSE: '',
}

/** Runs `doctor ...args` under `runtime`; resolves { status, stdout, stderr, json }. */
function doctor(args = [], { runtime = currentRuntime(), env = {}, timeoutMs = 25000 } = {}) {
  return new Promise((resolve) => {
    const child = spawn(runtime, [BIN, 'doctor', ...args], {
      cwd: paths.root,
      env: { ...process.env, ...CLEAN_ENV, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (d) => { stdout += d })
    child.stderr.setEncoding('utf8').on('data', (d) => { stderr += d })
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    child.on('close', (status, signal) => {
      clearTimeout(timer)
      let json
      if (args.includes('--json')) {
        try { json = JSON.parse(stdout) } catch {}
      }
      resolve({ status, signal, stdout, stderr, json })
    })
  })
}

const show = (res) => `status ${res.status} (signal ${res.signal})\nstdout:\n${res.stdout}\nstderr:\n${res.stderr}`
const verdictLine = (stdout) => stdout.split('\n').find((l) => l.startsWith('verdict')) || ''

function assertHealthyJson(res, runtimeName) {
  assert.strictEqual(res.status, 0, show(res))
  const r = res.json
  assert.ok(r, show(res))
  assert.strictEqual(r.ok, true)
  assert.strictEqual(r.runtime.name, runtimeName)
  assert.match(r.verdict.text, /^OK: Warmup\(\) = 1 /)
  assert.deepStrictEqual(r.problems, [])
  assert.strictEqual(r.warmup.ok, true)
  assert.strictEqual(r.warmup.result, 1)
  assert.strictEqual(r.warmup.calls, 1)
  assert.strictEqual(r.warmup.source, 'package')
  assert.strictEqual(r.warmup.library, PACKAGE_LIB)
  assert.ok(r.warmup.durationMs > 0)
  assert.strictEqual(r.platform.triple, `linux-${process.arch}-gnu`)
  assert.match(r.platform.libc, /^glibc \d+\.\d+/)
  assert.strictEqual(r.binding.loaded, true)
  assert.strictEqual(r.binding.path, path.join(path.dirname(PACKAGE_LIB), `asherah-warmup.linux-${process.arch}-gnu.node`))
  assert.deepStrictEqual(r.candidates.map((c) => c.source), ['option', 'env', 'package', 'asherah-node'])
  const used = r.candidates.filter((c) => c.selected)
  assert.deepStrictEqual(used.map((c) => [c.source, c.path, c.exists]), [['package', PACKAGE_LIB, true]])
  assert.strictEqual(r.checksum.verification, 'package-manager')
  assert.strictEqual(r.checksum.matchesListed, true)
  assert.match(r.checksum.sha256, /^[0-9a-f]{64}$/)
  for (const when of ['before', 'after']) {
    assert.deepStrictEqual(Object.keys(r.signals[when]).sort(), ['SIGPIPE', 'SIGPWR', 'SIGURG'])
  }
  return r
}

describe('asherah-warmup doctor', () => {
  let tmp
  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'asherah-warmup-doctor-'))
  })
  after(() => {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true })
  })

  it('healthy under Node (--json): the require maps nothing, the forced warmup works, Node needs none', async () => {
    const r = assertHealthyJson(await doctor(['--json'], { runtime: paths.node }), 'node')
    assert.strictEqual(r.warmup.needed, false)
    assert.strictEqual(r.warmup.atRequire, false)
    assert.deepStrictEqual(r.native.afterRequire, [])
    assert.match(r.verdict.text, /Node \S+ needs no warmup/)
    assert.strictEqual(r.liveness.checked, false)
  })

  it('healthy under Bun (--json): warmed on require, SIGPWR repaired, SIGPIPE ignored, WASM call alive', async () => {
    const r = assertHealthyJson(await doctor(['--json'], { runtime: paths.bun() }), 'bun')
    assert.strictEqual(r.warmup.needed, true)
    assert.strictEqual(r.warmup.atRequire, true)
    assert.strictEqual(r.signals.repair, 'on')
    assert.strictEqual(r.signals.sigpwr.onstackAfterGoLoad, true)
    assert.strictEqual(r.signals.sigpwr.onstackNow, false)
    assert.strictEqual(r.signals.before.SIGPIPE, 'ignored')
    assert.strictEqual(r.signals.after.SIGPIPE, 'ignored')
    assert.strictEqual(r.signals.after.SIGURG, 'caught')
    assert.strictEqual(r.liveness.alive, true)
  })

  it('healthy in this runner\'s runtime (human): every section and an OK verdict, exit 0', async () => {
    const res = await doctor([])
    assert.strictEqual(res.status, 0, show(res))
    for (const label of ['runtime', 'platform', 'addon', 'settings', 'libraries', 'checksum', 'warmup', 'signals']) {
      assert.match(res.stdout, new RegExp(`^${label} +\\S`, 'm'), `no ${label} line\n${res.stdout}`)
    }
    assert.match(res.stdout, new RegExp(`^ +package +exists +${PACKAGE_LIB.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} +<- used$`, 'm'))
    assert.match(res.stdout, /Warmup\(\) = 1 from /)
    assert.match(verdictLine(res.stdout), /^verdict +OK: /)
  })

  it('healthy on Bun 1.3.14, where only the signal repair keeps the event loop alive', async () => {
    const r = assertHealthyJson(await doctor(['--json'], { runtime: paths.bun('1.3.14') }), 'bun')
    assert.strictEqual(r.signals.sigpwr.onstackCleared, true)
    assert.strictEqual(r.liveness.alive, true)
  })

  it('Bun 1.3.14 with ASHERAH_WARMUP_SIGNAL_REPAIR=0: the hang is caught, exit 1, fix says turn the repair on', async () => {
    const res = await doctor(['--json'], { runtime: paths.bun('1.3.14'), env: { ASHERAH_WARMUP_SIGNAL_REPAIR: '0' } })
    assert.strictEqual(res.status, 1, show(res))
    assert.strictEqual(res.json.verdict.code, 'ERR_ASHERAH_WARMUP_DOCTOR_HANG')
    assert.strictEqual(res.json.liveness.timedOut, true)
    assert.match(res.json.verdict.text, /Fix: unset ASHERAH_WARMUP_SIGNAL_REPAIR/)
    // The SIGPIPE takeover the repair would undo is reported too.
    assert.ok(res.json.problems.some((p) => p.code === 'ERR_ASHERAH_WARMUP_DOCTOR_SIGPIPE'), show(res))
  })

  const cases = [
    ['a missing file in ASHERAH_WARMUP_LIBRARY', 'ERR_ASHERAH_WARMUP_NOT_FOUND', () => ({ env: { ASHERAH_WARMUP_LIBRARY: path.join(tmp, 'nowhere', LIB) } }), /does not exist/],
    ['a directory in ASHERAH_WARMUP_LIBRARY', 'ERR_ASHERAH_WARMUP_NOT_FOUND', () => ({ env: { ASHERAH_WARMUP_LIBRARY: tmp } }), /is a directory/],
    ['a missing file in --library', 'ERR_ASHERAH_WARMUP_NOT_FOUND', () => ({ args: ['--library', path.join(tmp, 'nope.so')] }), /the `library` option/],
    ['a relative ASHERAH_WARMUP_LIBRARY', 'ERR_ASHERAH_WARMUP_INVALID_OPTION', () => ({ env: { ASHERAH_WARMUP_LIBRARY: `lib/${LIB}` } }), /relative path/],
    ['a bad ASHERAH_WARMUP value', 'ERR_ASHERAH_WARMUP_INVALID_OPTION', () => ({ env: { ASHERAH_WARMUP: 'sometimes' } }), /not one of auto, always, never/],
    ['a malformed ASHERAH_WARMUP_SHA256', 'ERR_ASHERAH_WARMUP_INVALID_OPTION', () => ({ env: { ASHERAH_WARMUP_SHA256: 'abc' } }), /64 hexadecimal/],
    ['a checksum mismatch via ASHERAH_WARMUP_SHA256', 'ERR_ASHERAH_WARMUP_CHECKSUM_MISMATCH', () => ({ env: { ASHERAH_WARMUP_SHA256: '0'.repeat(64) } }), /it was not loaded/],
    ['a checksum mismatch against the SHA256SUMS beside an explicit library', 'ERR_ASHERAH_WARMUP_CHECKSUM_MISMATCH', () => {
      const dir = fs.mkdtempSync(path.join(tmp, 'sums-'))
      fs.copyFileSync(PACKAGE_LIB, path.join(dir, LIB))
      fs.writeFileSync(path.join(dir, 'SHA256SUMS'), `${'1'.repeat(64)}  ./${LIB}\n`)
      return { env: { ASHERAH_WARMUP_LIBRARY: path.join(dir, LIB) } }
    }, /SHA256SUMS expects/],
    ['a non-Go file (random bytes)', 'ERR_ASHERAH_WARMUP_LOAD_FAILED', () => {
      const file = path.join(tmp, `random-${LIB}`)
      fs.writeFileSync(file, crypto.randomBytes(4096))
      return { env: { ASHERAH_WARMUP_LIBRARY: file } }
    }, /not an ELF shared library/],
    ['an empty file', 'ERR_ASHERAH_WARMUP_LOAD_FAILED', () => {
      const file = path.join(tmp, `empty-${LIB}`)
      fs.writeFileSync(file, '')
      return { env: { ASHERAH_WARMUP_LIBRARY: file } }
    }, /could not load/],
    [`a linux-${OTHER_ARCH} library on ${process.arch}`, 'ERR_ASHERAH_WARMUP_LOAD_FAILED', () => ({ env: { ASHERAH_WARMUP_LIBRARY: path.join(paths.goDist, `go-warmup-linux-${OTHER_ARCH}.so`) } }), /built for/],
    ['a Go library without Warmup', 'ERR_ASHERAH_WARMUP_SYMBOL_MISSING', () => ({ env: { ASHERAH_WARMUP_LIBRARY: path.join(FIXTURES, 'go-warmup-no-symbol.so') } }), /exports no `Warmup`/],
    ['a Warmup that returns 0', 'ERR_ASHERAH_WARMUP_BAD_RESULT', () => ({ env: { ASHERAH_WARMUP_LIBRARY: path.join(FIXTURES, 'go-warmup-bad-result.so') } }), /returned 0, expected 1/],
  ]
  for (const [name, code, setup, detail] of cases) {
    it(`${name}: exit 1, the verdict names ${code} and a fix`, async () => {
      const { env = {}, args = [] } = setup()
      const res = await doctor(['--json', ...args], { env })
      assert.strictEqual(res.status, 1, show(res))
      const v = res.json.verdict
      assert.strictEqual(res.json.ok, false)
      assert.strictEqual(v.code, code, show(res))
      assert.ok(v.text.startsWith(`FAIL ${code}: `), v.text)
      assert.match(v.text, detail)
      assert.match(v.text, / Fix: \S/)
      assert.ok(v.fix && v.fix.length > 10, v.text)
      assert.ok(!v.text.includes('\n'), 'the verdict is one line')
    })
  }

  it('a failure in human form: the last line is the verdict with the code and the fix, exit 1', async () => {
    const res = await doctor([], { env: { ASHERAH_WARMUP_LIBRARY: path.join(tmp, 'nowhere', LIB) } })
    assert.strictEqual(res.status, 1, show(res))
    const lines = res.stdout.trimEnd().split('\n')
    assert.match(lines[lines.length - 1], /^verdict +FAIL ERR_ASHERAH_WARMUP_NOT_FOUND: (require\('asherah-warmup'\) threw: )?ASHERAH_WARMUP_LIBRARY names .* Fix: point it at /)
    assert.match(res.stdout, /^ +env +MISSING .*\(does not exist\) +<- used$/m)
  })

  it('the human form lists every problem once: the verdict\'s last, the others above it', async () => {
    const res = await doctor(['--json'], { env: { ASHERAH_WARMUP_SHA256: '0'.repeat(64) } })
    const report = res.json
    // A warning found before the failure the verdict names (as SIGPIPE comes before a hang).
    report.problems.unshift({ level: 'warning', code: 'ERR_TEST_WARNING', message: 'a warning.', fix: 'none.' })
    const text = require('../lib/cli/doctor').format(report)
    const rows = text.split('\n').filter((l) => /^(fail|warning|verdict) /.test(l))
    assert.deepStrictEqual(rows.map((l) => l.split(/ +/).slice(0, 2).join(' ')), [
      'warning ERR_TEST_WARNING:',
      'verdict FAIL',
    ], text)
    assert.match(text, /^warning +ERR_TEST_WARNING: a warning\. Fix: none\.$/m)
    assert.match(text.trimEnd().split('\n').pop(), /^verdict +FAIL ERR_ASHERAH_WARMUP_CHECKSUM_MISMATCH: /)
  })

  it('a usage error exits 2 and names the option', async () => {
    const res = await doctor(['--frobnicate'])
    assert.strictEqual(res.status, 2, show(res))
    assert.match(res.stderr, /unknown option --frobnicate/)
  })
})
