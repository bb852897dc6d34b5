'use strict'
// `asherah-warmup doctor`, run as users run it: `<runtime> bin/asherah-warmup.js doctor` in a fresh
// process. A healthy run under Node and Bun (human and --json), each failure class of the core
// (exit 1, the verdict names the error code and a fix), what the core's plan says for a FIFO, a
// truncated library, a bad sums file and none (a warning), a library that kills or stalls the process loading it
// (doctor's probe child dies or is killed, doctor reports it), and the hang the signal repair
// prevents, caught on Bun 1.3.14 with the repair turned off; a project preload that prints to stdout
// in doctor's probe too; the installed asherah's version (3.x needs the warmup, 4 does not). Runs
// under `node --test` and `bun test`: doctor under the runner's runtime; the tests that name the
// runtime doctor runs under run once (suite.js once).
const assert = require('node:assert')
const crypto = require('node:crypto')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { spawn, execFileSync } = require('node:child_process')
const { describe, it, before, after, once, HANG_WAIT_MS } = require('./helpers/suite')
const { HANGING_BUN } = require('../scripts/lib/signal-scenarios')
const paths = require('./helpers/paths')
const { CLEAN_ENV, currentRuntime } = require('./helpers/child')
const { LIB, TRIPLE, mkfifo } = require('./helpers/project')

const BIN = path.join(paths.root, 'bin', 'asherah-warmup.js')
const PACKAGE_LIB = path.join(paths.root, 'npm', TRIPLE, LIB)
const OTHER_ARCH = process.arch === 'x64' ? 'arm64' : 'x64'
const FIXTURES = path.join(paths.fixtures, process.arch)

/** Runs `doctor ...args` under `runtime` in `cwd`; resolves { status, stdout, stderr, json }. */
function doctor(args = [], { runtime = currentRuntime(), env = {}, cwd = paths.root, timeoutMs = 25000 } = {}) {
  return new Promise((resolve) => {
    const child = spawn(runtime, [BIN, 'doctor', ...args], {
      cwd,
      env: { ...process.env, ...CLEAN_ENV, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (d) => {
      stdout += d
    })
    child.stderr.setEncoding('utf8').on('data', (d) => {
      stderr += d
    })
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    child.on('close', (status, signal) => {
      clearTimeout(timer)
      let json
      if (args.includes('--json')) {
        try {
          json = JSON.parse(stdout)
        } catch {}
      }
      resolve({ status, signal, stdout, stderr, json })
    })
  })
}

const esc = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
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
  // The plan: the core's answer, verbatim.
  assert.deepStrictEqual(
    [r.plan.library, r.plan.source, r.plan.verification, r.plan.tried, r.plan.errorCode],
    [PACKAGE_LIB, 'package', 'package-manager', [], undefined],
  )
  assert.strictEqual(r.chosen, PACKAGE_LIB)
  // The probe: the real load in a child of the same runtime.
  const p = r.probe
  assert.deepStrictEqual([p.ran, p.exitCode, p.signal, p.timedOut, p.alive, p.error], [true, 0, null, false, true, null])
  assert.deepStrictEqual([p.warmup.warmed, p.warmup.result, p.warmup.calls, p.warmup.source, p.warmup.library], [true, 1, 1, 'package', PACKAGE_LIB])
  assert.ok(p.warmup.durationMs > 0)
  for (const when of ['before', 'after']) {
    assert.deepStrictEqual(Object.keys(p.signals[when]).sort(), ['SIGPIPE', 'SIGPWR', 'SIGURG'])
  }
  assert.strictEqual(p.signals.after.SIGURG, 'caught', 'a Go runtime started in the probe')
  assert.strictEqual(r.platform.triple, `linux-${process.arch}-gnu`)
  assert.strictEqual(r.addon, path.join(path.dirname(PACKAGE_LIB), `asherah-warmup.linux-${process.arch}-gnu.node`))
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

  once.describe('under the runtime each test names', () => {
    it('healthy under Node (--json): Node needs none, and doctor says plainly what Bun would load', async () => {
      const r = assertHealthyJson(await doctor(['--json'], { runtime: paths.node }), 'node')
      assert.strictEqual(r.plan.needed, false)
      assert.strictEqual(r.plan.signalRepair, false)
      assert.ok(r.verdict.text.includes(`node ${process.versions.node ?? ''}`.trim()) || /node \S+ needs no warmup/.test(r.verdict.text), r.verdict.text)
      assert.ok(r.verdict.text.includes(`under Bun this would load ${PACKAGE_LIB} (package), verified by the package manager at install`), r.verdict.text)
    })

    it('under Node (human), as `bun run` runs a node bin: the verdict says what Bun would load, and how to check Bun itself', async () => {
      const res = await doctor([], { runtime: paths.node, env: { npm_config_user_agent: 'bun/1.4.5 npm/? node/v20.20.2 linux x64' } })
      assert.strictEqual(res.status, 0, show(res))
      const verdict = `under Bun this would load ${PACKAGE_LIB} (package), verified by the package manager at install (not hashed at start). To check Bun itself, run \`bunx --bun asherah-warmup doctor\``
      assert.ok(verdictLine(res.stdout).includes(verdict), show(res))
    })

    it('healthy under Bun (--json): warmed on require, SIGPWR repaired, SIGPIPE ignored, WASM call alive', async () => {
      const r = assertHealthyJson(await doctor(['--json'], { runtime: paths.bun() }), 'bun')
      assert.strictEqual(r.plan.needed, true)
      assert.strictEqual(r.plan.signalRepair, true)
      const { signals, warmup } = r.probe
      assert.strictEqual(warmup.signals.sigpwrOnstackCleared, true)
      assert.strictEqual(warmup.signals.sigpwrFlagsAfter & 0x08000000, 0)
      assert.strictEqual(signals.before.SIGPIPE, 'ignored')
      assert.strictEqual(signals.after.SIGPIPE, 'ignored')
      assert.match(r.verdict.text, /under Bun \S+ the warmup runs on require/)
    })

    it('healthy on Bun 1.3.14, where only the signal repair keeps the event loop alive', async () => {
      const r = assertHealthyJson(await doctor(['--json'], { runtime: paths.bun(HANGING_BUN) }), 'bun')
      assert.strictEqual(r.probe.warmup.signals.sigpwrOnstackCleared, true)
    })

    it('Bun 1.3.14 with ASHERAH_WARMUP=never: the plan repairs nothing, and the DISABLED warning says Bun before 1.4 hangs', async () => {
      const res = await doctor(['--json'], { runtime: paths.bun(HANGING_BUN), env: { ASHERAH_WARMUP: 'never' } })
      assert.strictEqual(res.status, 0, show(res))
      assert.strictEqual(res.json.plan.signalRepair, false)
      const disabled = res.json.problems.find((p) => p.code === 'ERR_ASHERAH_WARMUP_DOCTOR_DISABLED')
      assert.match(disabled?.message ?? '', /hangs at the next WebAssembly call/, show(res))
    })

    it('Bun 1.3.14 with ASHERAH_WARMUP_SIGNAL_REPAIR=0: the hang is caught, exit 1, fix says turn the repair on', async () => {
      const res = await doctor(['--json', '--timeout-ms', String(HANG_WAIT_MS)], {
        runtime: paths.bun(HANGING_BUN),
        env: { ASHERAH_WARMUP_SIGNAL_REPAIR: '0' },
      })
      assert.strictEqual(res.status, 1, show(res))
      assert.strictEqual(res.json.verdict.code, 'ERR_ASHERAH_WARMUP_DOCTOR_HANG')
      assert.strictEqual(res.json.probe.timedOut, true)
      assert.strictEqual(res.json.probe.warmup.result, 1, 'the warmup itself returned before the hang')
      assert.match(res.json.verdict.text, new RegExp(`after the warmup, a WebAssembly call and a timer did not finish within ${HANG_WAIT_MS} ms`))
      assert.match(res.json.verdict.text, /Fix: unset ASHERAH_WARMUP_SIGNAL_REPAIR/)
      // The SIGPIPE takeover the repair would undo is reported too.
      assert.ok(
        res.json.problems.some((p) => p.code === 'ERR_ASHERAH_WARMUP_DOCTOR_SIGPIPE'),
        show(res),
      )
    })
  })

  it("--json shape: the report's parts, the verdict, and the problems as { level, code, message, fix }", async () => {
    const res = await doctor(['--json'], { env: { ASHERAH_WARMUP_SHA256: '0'.repeat(64) } })
    assert.strictEqual(res.status, 1, show(res))
    const r = res.json
    assert.deepStrictEqual(Object.keys(r), [
      'ok',
      'doctor',
      'runtime',
      'platform',
      'settings',
      'addon',
      'asherah',
      'plan',
      'chosen',
      'probe',
      'problems',
      'verdict',
    ])
    assert.deepStrictEqual(Object.keys(r.verdict).sort(), ['code', 'fix', 'level', 'ok', 'text'])
    assert.deepStrictEqual(Object.keys(r.settings).sort(), [
      'ASHERAH_WARMUP',
      'ASHERAH_WARMUP_LIBRARY',
      'ASHERAH_WARMUP_SHA256',
      'ASHERAH_WARMUP_SIGNAL_REPAIR',
      'mode',
    ])
    assert.strictEqual(r.settings.ASHERAH_WARMUP_SHA256, '0'.repeat(64))
    assert.strictEqual(r.plan.verification, 'pinned')
    assert.strictEqual(r.plan.expectedSha256, '0'.repeat(64))
    for (const p of r.problems) assert.deepStrictEqual(Object.keys(p), ['level', 'code', 'message', 'fix'])
    assert.strictEqual(r.verdict.code, 'ERR_ASHERAH_WARMUP_CHECKSUM_MISMATCH')
    assert.strictEqual(r.probe.error.code, 'ERR_ASHERAH_WARMUP_CHECKSUM_MISMATCH', 'the probe, not the plan, hashes')
  })

  it("healthy in this runner's runtime (human): every section and an OK verdict, exit 0", async () => {
    const res = await doctor([])
    assert.strictEqual(res.status, 0, show(res))
    for (const label of ['runtime', 'platform', 'addon', 'settings', 'plan', 'probe']) {
      assert.match(res.stdout, new RegExp(`^${label} +\\S`, 'm'), `no ${label} line\n${res.stdout}`)
    }
    assert.match(res.stdout, new RegExp(`^ +chosen +${esc(PACKAGE_LIB)} \\(package\\)$`, 'm'))
    assert.match(res.stdout, /^ +verified by +the package manager at install/m)
    assert.match(res.stdout, /Warmup\(\) = 1 from /)
    assert.match(res.stdout, /a WebAssembly call and a timer ran after the warmup/)
    assert.match(verdictLine(res.stdout), /^verdict +OK: /)
  })

  const cases = [
    [
      'a missing file in ASHERAH_WARMUP_LIBRARY',
      'ERR_ASHERAH_WARMUP_NOT_FOUND',
      () => ({ env: { ASHERAH_WARMUP_LIBRARY: path.join(tmp, 'nowhere', LIB) } }),
      /does not exist/,
    ],
    ['a directory in ASHERAH_WARMUP_LIBRARY', 'ERR_ASHERAH_WARMUP_NOT_FOUND', () => ({ env: { ASHERAH_WARMUP_LIBRARY: tmp } }), /is a directory/],
    [
      'a FIFO in ASHERAH_WARMUP_LIBRARY',
      'ERR_ASHERAH_WARMUP_NOT_FOUND',
      () => {
        const fifo = path.join(tmp, `fifo-${LIB}`)
        if (!fs.existsSync(fifo)) mkfifo(fifo)
        return { env: { ASHERAH_WARMUP_LIBRARY: fifo } }
      },
      /is a FIFO \(named pipe\), not a regular file/,
    ],
    ['a relative ASHERAH_WARMUP_LIBRARY', 'ERR_ASHERAH_WARMUP_INVALID_OPTION', () => ({ env: { ASHERAH_WARMUP_LIBRARY: `lib/${LIB}` } }), /relative path/],
    ['a bad ASHERAH_WARMUP value', 'ERR_ASHERAH_WARMUP_INVALID_OPTION', () => ({ env: { ASHERAH_WARMUP: 'sometimes' } }), /not one of auto, always, never/],
    // Under Node and on macOS too, where the repair does not run: a Bun require on linux refuses it.
    [
      'an ASHERAH_WARMUP_SIGNAL_REPAIR value Bun refuses',
      'ERR_ASHERAH_WARMUP_INVALID_OPTION',
      () => ({ env: { ASHERAH_WARMUP_SIGNAL_REPAIR: 'maybe' } }),
      /ASHERAH_WARMUP_SIGNAL_REPAIR="maybe" is not one of/,
    ],
    ['a malformed ASHERAH_WARMUP_SHA256', 'ERR_ASHERAH_WARMUP_INVALID_OPTION', () => ({ env: { ASHERAH_WARMUP_SHA256: 'abc' } }), /64 hexadecimal/],
    [
      'a checksum mismatch via ASHERAH_WARMUP_SHA256',
      'ERR_ASHERAH_WARMUP_CHECKSUM_MISMATCH',
      () => ({ env: { ASHERAH_WARMUP_SHA256: '0'.repeat(64) } }),
      /it was not loaded/,
    ],
    [
      'a checksum mismatch against the SHA256SUMS beside an explicit library',
      'ERR_ASHERAH_WARMUP_CHECKSUM_MISMATCH',
      () => {
        const dir = fs.mkdtempSync(path.join(tmp, 'sums-'))
        fs.copyFileSync(PACKAGE_LIB, path.join(dir, LIB))
        fs.writeFileSync(path.join(dir, 'SHA256SUMS'), `${'1'.repeat(64)}  ./${LIB}\n`)
        return { env: { ASHERAH_WARMUP_LIBRARY: path.join(dir, LIB) } }
      },
      /SHA256SUMS(:\d+)? (expects|lists)/,
    ],
    [
      'a non-Go file (random bytes)',
      'ERR_ASHERAH_WARMUP_LOAD_FAILED',
      () => {
        const file = path.join(tmp, `random-${LIB}`)
        fs.writeFileSync(file, crypto.randomBytes(4096))
        return { env: { ASHERAH_WARMUP_LIBRARY: file } }
      },
      /not an ELF shared library/,
    ],
    [
      'an empty file',
      'ERR_ASHERAH_WARMUP_LOAD_FAILED',
      () => {
        const file = path.join(tmp, `empty-${LIB}`)
        fs.writeFileSync(file, '')
        return { env: { ASHERAH_WARMUP_LIBRARY: file } }
      },
      /0 bytes, no ELF header/,
    ],
    [
      `a linux-${OTHER_ARCH} library on ${process.arch}`,
      'ERR_ASHERAH_WARMUP_LOAD_FAILED',
      () => ({ env: { ASHERAH_WARMUP_LIBRARY: path.join(paths.goDist, `go-warmup-linux-${OTHER_ARCH}.so`) } }),
      /built for/,
    ],
    [
      'a Go library without Warmup',
      'ERR_ASHERAH_WARMUP_SYMBOL_MISSING',
      () => ({ env: { ASHERAH_WARMUP_LIBRARY: path.join(FIXTURES, 'go-warmup-no-symbol.so') } }),
      /exports no `Warmup`/,
    ],
    [
      'a Warmup that returns 0',
      'ERR_ASHERAH_WARMUP_BAD_RESULT',
      () => ({ env: { ASHERAH_WARMUP_LIBRARY: path.join(FIXTURES, 'go-warmup-bad-result.so') } }),
      /returned 0, expected 1/,
    ],
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

  it('settings that cannot be planned choose nothing: not a relative path against the working directory', async () => {
    const relative = await doctor(['--json'], { env: { ASHERAH_WARMUP_LIBRARY: LIB } })
    const badDigest = await doctor(['--json'], { env: { ASHERAH_WARMUP_SHA256: 'abc' } })
    for (const res of [relative, badDigest]) {
      assert.strictEqual(res.json.verdict.code, 'ERR_ASHERAH_WARMUP_INVALID_OPTION', show(res))
      assert.strictEqual(res.json.chosen, null, show(res))
    }
  })

  describe('what the plan says, and why not, for a file that must not be loaded', () => {
    it('a FIFO: passed over with its reason, nothing chosen, no probe, exit 1', async () => {
      const fifo = path.join(tmp, `plan-fifo-${LIB}`)
      mkfifo(fifo)
      const res = await doctor(['--json'], { env: { ASHERAH_WARMUP_LIBRARY: fifo } })
      assert.strictEqual(res.status, 1, show(res))
      const r = res.json
      assert.deepStrictEqual(r.plan.tried, [{ path: fifo, source: 'env', reason: 'is a FIFO (named pipe), not a regular file' }])
      assert.deepStrictEqual([r.chosen, r.plan.errorCode, r.probe.ran], [null, 'ERR_ASHERAH_WARMUP_NOT_FOUND', false])
    })

    it('a truncated library: chosen (an explicit path is final), refused before loading, exit 1', async () => {
      const file = path.join(tmp, `truncated-${LIB}`)
      fs.writeFileSync(file, fs.readFileSync(PACKAGE_LIB).subarray(0, 8192))
      const res = await doctor([], { env: { ASHERAH_WARMUP_LIBRARY: file } })
      assert.strictEqual(res.status, 1, show(res))
      assert.match(res.stdout, new RegExp(`^ +chosen +${esc(file)} \\(env\\)$`, 'm'))
      assert.match(res.stdout, /^ +refused +ERR_ASHERAH_WARMUP_LOAD_FAILED$/m)
      assert.match(verdictLine(res.stdout), /FAIL ERR_ASHERAH_WARMUP_LOAD_FAILED: .*is truncated or damaged: .*8192 bytes.* Fix: \S/)
      assert.doesNotMatch(res.stdout, /^probe/m, 'a refused file is not loaded, not even in the probe')
    })

    it('a bad sums file beside the library: refused, naming the sums file and line, exit 1', async () => {
      const dir = fs.mkdtempSync(path.join(tmp, 'badsums-'))
      fs.copyFileSync(PACKAGE_LIB, path.join(dir, LIB))
      fs.writeFileSync(path.join(dir, 'SHA256SUMS'), `${'a'.repeat(64)}  ./other.so\nnot a sums line\n`)
      const res = await doctor(['--json'], { env: { ASHERAH_WARMUP_LIBRARY: path.join(dir, LIB) } })
      assert.strictEqual(res.status, 1, show(res))
      assert.strictEqual(res.json.chosen, path.join(dir, LIB))
      assert.strictEqual(res.json.verdict.code, 'ERR_ASHERAH_WARMUP_SUMS_INVALID')
      assert.ok(res.json.verdict.text.includes(`${path.join(dir, 'SHA256SUMS')}:2 `), res.json.verdict.text)
      assert.strictEqual(res.json.probe.ran, false)
    })

    it('a good sums file beside the library: verified by that file and line, loaded in the probe, exit 0', async () => {
      const dir = fs.mkdtempSync(path.join(tmp, 'goodsums-'))
      const bytes = fs.readFileSync(PACKAGE_LIB)
      const digest = crypto.createHash('sha256').update(bytes).digest('hex')
      fs.writeFileSync(path.join(dir, LIB), bytes)
      fs.writeFileSync(path.join(dir, 'SHA256SUMS'), `${'a'.repeat(64)}  ./other.so\n${digest}  ./${LIB}\n`)
      const res = await doctor(['--json'], { env: { ASHERAH_WARMUP_LIBRARY: path.join(dir, LIB) } })
      assert.strictEqual(res.status, 0, show(res))
      const { plan, probe } = res.json
      assert.deepStrictEqual([plan.verification, plan.sumsFile, plan.sumsLine, plan.expectedSha256], ['sums-file', path.join(dir, 'SHA256SUMS'), 2, digest])
      assert.deepStrictEqual([probe.warmup.verification, probe.warmup.sha256], ['sums-file', digest])
    })

    it('no sums file beside the library and no pin: loaded in the probe, exit 0, an UNVERIFIED warning whose fix names ASHERAH_WARMUP_SHA256', async () => {
      // A copy of the release library alone in its folder: nothing to check it against, so it loads unchecked.
      const file = path.join(fs.mkdtempSync(path.join(tmp, 'nosums-')), LIB)
      fs.copyFileSync(PACKAGE_LIB, file)
      const res = await doctor(['--json'], { env: { ASHERAH_WARMUP_LIBRARY: file } })
      assert.strictEqual(res.status, 0, show(res))
      const { ok, plan, probe, problems, verdict } = res.json
      assert.deepStrictEqual([plan.library, plan.source, plan.verification], [file, 'env', 'none'])
      assert.deepStrictEqual([probe.warmup?.warmed, probe.warmup?.verification], [true, 'none'], show(res))
      // A warning, not a failure: the only finding, and the one the verdict names.
      assert.deepStrictEqual(
        problems.map((p) => [p.level, p.code]),
        [['warning', 'ERR_ASHERAH_WARMUP_DOCTOR_UNVERIFIED']],
      )
      assert.ok(problems[0].message.includes(file), problems[0].message)
      assert.match(problems[0].fix, /ASHERAH_WARMUP_SHA256=/)
      assert.deepStrictEqual([ok, verdict.level, verdict.code], [true, 'warning', 'ERR_ASHERAH_WARMUP_DOCTOR_UNVERIFIED'])
    })
  })

  describe('a library that kills or stalls the process loading it: doctor reports it, exit 1', () => {
    const built = {}
    before(() => {
      for (const mode of ['BUS_ERROR_AT_LOAD', 'ABORT_IN_WARMUP', 'HANG_IN_WARMUP']) {
        built[mode] = path.join(tmp, `${mode.toLowerCase()}.so`)
        execFileSync('cc', ['-shared', '-fPIC', `-D${mode}`, '-o', built[mode], path.join(__dirname, 'fixtures', 'tools', 'misbehaving-warmup.c')], {
          timeout: 20000,
        })
      }
    })

    for (const [mode, signal, when] of [
      ['BUS_ERROR_AT_LOAD', 'SIGBUS', 'at load'],
      ['ABORT_IN_WARMUP', 'SIGABRT', 'in Warmup()'],
    ]) {
      it(`${signal} ${when}: the probe dies, doctor names the signal`, async () => {
        const res = await doctor(['--json'], { env: { ASHERAH_WARMUP_LIBRARY: built[mode] } })
        assert.deepStrictEqual([res.status, res.signal], [1, null], show(res))
        const { probe, verdict } = res.json
        assert.deepStrictEqual([probe.ran, probe.signal, probe.timedOut, probe.warmup], [true, signal, false, null])
        assert.strictEqual(verdict.code, 'ERR_ASHERAH_WARMUP_DOCTOR_PROBE_CRASHED')
        assert.ok(verdict.text.includes(`loading ${built[mode]} was killed by ${signal} before warmup() returned`), verdict.text)
        // The release build comes with the platform package: how to get that back.
        assert.ok(verdict.fix.includes(`(npm install --include=optional), or install asherah-warmup-${TRIPLE} by name`), verdict.fix)
      })
    }

    it('a Warmup() that never returns: the probe is killed at --timeout-ms, doctor says it hangs', async () => {
      const started = Date.now()
      const res = await doctor(['--timeout-ms', '1500'], { env: { ASHERAH_WARMUP_LIBRARY: built.HANG_IN_WARMUP } })
      const took = Date.now() - started
      assert.deepStrictEqual([res.status, res.signal], [1, null], show(res))
      assert.match(res.stdout, /^probe +\w+ child process: KILLED after 1500 ms/m)
      assert.match(
        verdictLine(res.stdout),
        new RegExp(`FAIL ERR_ASHERAH_WARMUP_DOCTOR_HANG: .*loading ${esc(built.HANG_IN_WARMUP)} gave no answer within 1500 ms`),
      )
      assert.ok(took >= 1500 && took < 10000, `took ${took} ms`)
    })
  })

  it('a failure in human form: the last line is the verdict with the code and the fix, exit 1', async () => {
    const res = await doctor([], { env: { ASHERAH_WARMUP_LIBRARY: path.join(tmp, 'nowhere', LIB) } })
    assert.strictEqual(res.status, 1, show(res))
    const lines = res.stdout.trimEnd().split('\n')
    assert.match(lines[lines.length - 1], /^verdict +FAIL ERR_ASHERAH_WARMUP_NOT_FOUND: ASHERAH_WARMUP_LIBRARY names .* Fix: point it at /)
    assert.match(res.stdout, new RegExp(`^ +passed over +env +${esc(path.join(tmp, 'nowhere', LIB))}: does not exist$`, 'm'))
    assert.match(res.stdout, /^ +chosen +none$/m)
  })

  it("the human form lists every problem once: the verdict's last, the others above it", async () => {
    const res = await doctor(['--json'], { env: { ASHERAH_WARMUP_SHA256: '0'.repeat(64) } })
    const report = res.json
    // A warning found before the failure the verdict names (as SIGPIPE comes before a hang).
    report.problems.unshift({ level: 'warning', code: 'ERR_TEST_WARNING', message: 'a warning.', fix: 'none.' })
    const text = require('../lib/cli/doctor').format(report)
    const rows = text.split('\n').filter((l) => /^(fail|warning|verdict) /.test(l))
    assert.deepStrictEqual(
      rows.map((l) => l.split(/ +/).slice(0, 2).join(' ')),
      ['warning ERR_TEST_WARNING:', 'verdict FAIL'],
      text,
    )
    assert.match(text, /^warning +ERR_TEST_WARNING: a warning\. Fix: none\.$/m)
    assert.match(text.trimEnd().split('\n').pop(), /^verdict +FAIL ERR_ASHERAH_WARMUP_CHECKSUM_MISMATCH: /)
  })

  once.describe('a project preload that prints to stdout, run in the probe too: the report is whole', () => {
    const PRELOAD = path.join(__dirname, 'fixtures', 'doctor', 'noisy-preload.js')
    /** doctor's report: its last line, whole, after what the preload printed in doctor's own process (with no newline last). */
    const lastReport = (res) => {
      try {
        return JSON.parse(res.stdout.trimEnd().split('\n').pop())
      } catch {
        return undefined
      }
    }
    const bunfigIn = (name) => {
      const dir = path.join(tmp, name)
      fs.mkdirSync(dir)
      fs.writeFileSync(path.join(dir, 'bunfig.toml'), `preload = [${JSON.stringify(PRELOAD)}]\n`)
      return { cwd: dir }
    }
    const cases = [
      ['Node with NODE_OPTIONS=--require', 'node', () => paths.node, () => ({ env: { NODE_OPTIONS: `--require "${PRELOAD}"` } })],
      ...['1.4.5', '1.3.14'].map((v) => [`Bun ${v} with a bunfig.toml preload`, 'bun', () => paths.bun(v), () => bunfigIn(`bunfig-${v}`)]),
      // More than spawnSync's default buffer (1 MiB) on each stream: not a crash of the library.
      [
        'Node, the preload printing 2 MiB on stdout and on stderr',
        'node',
        () => paths.node,
        () => ({ env: { NODE_OPTIONS: `--require "${PRELOAD}"`, NOISY_PRELOAD_MIB: '2' } }),
      ],
      [
        'Bun 1.4.5, the preload printing 2 MiB on stdout and on stderr',
        'bun',
        () => paths.bun('1.4.5'),
        () => ({ ...bunfigIn('bunfig-loud'), env: { NOISY_PRELOAD_MIB: '2' } }),
      ],
    ]
    for (const [name, runtimeName, runtime, setup] of cases) {
      it(`${name}: --json parses, exit 0, the probe's warmup and liveness reported`, async () => {
        const res = await doctor(['--json'], { runtime: runtime(), ...setup() })
        assert.match(res.stdout, /^\{ not json$/m, `the preload did not run in doctor\n${show(res)}`)
        const r = assertHealthyJson({ ...res, json: lastReport(res) }, runtimeName)
        assert.match(r.probe.stderr, /noisy-preload ran in \S+doctor-probe\.js$/m, 'the preload ran in the probe too')
      })
    }
  })

  once.describe('the installed asherah, found from the working directory up as the app would find it', () => {
    // asherah-node 3.x's `exports` lists only ".", so Node refuses require.resolve('asherah/package.json').
    const onlyMain = { '.': { require: './dist/asherah.node', default: './dist/asherah.node' } }
    const PACKAGES = {
      '3.0.6': { name: 'asherah', version: '3.0.6', main: './dist/asherah.node', exports: onlyMain },
      '4.0.0': { name: 'asherah', version: '4.0.0', main: 'npm/index.js' },
      '4.1.0-rc.1': { name: 'asherah', version: '4.1.0-rc.1', main: 'npm/index.js' },
      // Not versions: taken for a Go-based asherah, which a warmup cannot hurt.
      '4abc': { name: 'asherah', version: '4abc' },
      '["4"]': { name: 'asherah', version: ['4'] },
    }
    /** An app's folder in tmp with node_modules/asherah at `version` (none: null); doctor runs in its src/. */
    const app = (name, version) => {
      const dir = path.join(tmp, name)
      fs.mkdirSync(path.join(dir, 'src'), { recursive: true })
      if (version) {
        fs.mkdirSync(path.join(dir, 'node_modules', 'asherah'), { recursive: true })
        fs.writeFileSync(path.join(dir, 'node_modules', 'asherah', 'package.json'), JSON.stringify(PACKAGES[version]))
      }
      return { cwd: path.join(dir, 'src'), folder: path.join(dir, 'node_modules', 'asherah') }
    }
    for (const [runtimeName, runtime] of [
      ['node', () => paths.node],
      ['bun', () => paths.bun()],
    ]) {
      const run = async (args, version) => {
        const { cwd, folder } = app(`asherah-${version}-${runtimeName}-${args.length}`, version)
        return { res: await doctor(args, { runtime: runtime(), cwd }), folder }
      }

      it(`${runtimeName}: asherah 3.0.6 needs the warmup under Bun, no finding, exit 0`, async () => {
        const { res, folder } = await run(['--json'], '3.0.6')
        assert.deepStrictEqual(assertHealthyJson(res, runtimeName).asherah, { version: '3.0.6', path: folder, needsWarmup: true })
        const human = await run([], '3.0.6')
        assert.match(human.res.stdout, new RegExp(`^asherah +3\\.0\\.6 in ${esc(human.folder)}, Go-based: under Bun it needs the warmup$`, 'm'))
      })

      it(`${runtimeName}: asherah 4.0.0 uses no Go runtime, a warning to remove asherah-warmup, exit 0`, async () => {
        const { res, folder } = await run(['--json'], '4.0.0')
        assert.strictEqual(res.status, 0, show(res))
        const r = res.json
        assert.deepStrictEqual(r.asherah, { version: '4.0.0', path: folder, needsWarmup: false })
        assert.deepStrictEqual([r.ok, r.verdict.level, r.verdict.code], [true, 'warning', 'ERR_ASHERAH_WARMUP_DOCTOR_NOT_NEEDED'])
        assert.deepStrictEqual(
          r.problems.map((p) => p.code),
          ['ERR_ASHERAH_WARMUP_DOCTOR_NOT_NEEDED'],
        )
        assert.match(
          r.verdict.text,
          /^OK: .* Warning ERR_ASHERAH_WARMUP_DOCTOR_NOT_NEEDED: asherah 4\.0\.0 uses no Go runtime: remove asherah-warmup\. Fix: uninstall/,
        )
        const human = await run([], '4.0.0')
        assert.match(human.res.stdout, new RegExp(`^asherah +4\\.0\\.0 in ${esc(human.folder)}, uses no Go runtime: needs no warmup$`, 'm'))
      })

      it(`${runtimeName}: a prerelease of 4 uses no Go runtime; a version that is none is taken for a Go-based one`, async () => {
        assert.strictEqual((await run(['--json'], '4.1.0-rc.1')).res.json.asherah.needsWarmup, false)
        for (const version of ['4abc', '["4"]']) {
          const { res } = await run(['--json'], version)
          assert.strictEqual(assertHealthyJson(res, runtimeName).asherah.needsWarmup, true, version)
        }
      })

      it(`${runtimeName}: no asherah installed: said so, exit 0`, async () => {
        const { res } = await run(['--json'], null)
        assert.strictEqual(assertHealthyJson(res, runtimeName).asherah, null)
        const human = await run([], null)
        assert.match(human.res.stdout, /^asherah +not installed \(no node_modules\/asherah from the working directory up\)$/m)
      })
    }
  })

  it('a usage error exits 2 and names the option', async () => {
    const res = await doctor(['--frobnicate'])
    assert.strictEqual(res.status, 2, show(res))
    assert.match(res.stderr, /^asherah-warmup doctor: ERR_ASHERAH_WARMUP_INVALID_OPTION: Unknown option '--frobnicate'/m)
    assert.strictEqual((await doctor(['--timeout-ms'])).status, 2)
    assert.strictEqual((await doctor(['extra'])).status, 2)
    const zero = await doctor(['--timeout-ms', '0'])
    assert.strictEqual(zero.status, 2, show(zero))
    assert.match(zero.stderr, /--timeout-ms must be a positive integer/)
  })

  it("--help prints the usage from doctor's option table and exits 0; no command or an unknown one exits 2 with it", () => {
    const cli = (...args) =>
      require('node:child_process').spawnSync(currentRuntime(), [BIN, ...args], { encoding: 'utf8', env: { ...process.env, ...CLEAN_ENV } })
    const { options } = require('../lib/cli/doctor')
    for (const args of [['--help'], ['doctor', '--help'], ['doctor', '-h']]) {
      const res = cli(...args)
      assert.strictEqual(res.status, 0, show(res))
      assert.match(res.stdout, /^Usage: asherah-warmup doctor \[options\]$/m)
      for (const option of Object.keys(options)) assert.match(res.stdout, new RegExp(`^  --${option}\\b`, 'm'), `${args}: --${option} missing`)
    }
    const unknown = cli('frob')
    assert.strictEqual(unknown.status, 2, show(unknown))
    assert.match(unknown.stderr, /^asherah-warmup: unknown command "frob"$/m)
    assert.match(unknown.stderr, /^Usage: asherah-warmup doctor/m)
    const none = cli()
    assert.strictEqual(none.status, 2, show(none))
    assert.match(none.stderr, /^Usage: asherah-warmup doctor/m)
  })
})
