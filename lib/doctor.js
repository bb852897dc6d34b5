'use strict'
// Builds the report of `asherah-warmup doctor`: what this process is, what the package would load
// from where, whether the warmup works here (forced, so Node proves the library too), what it did
// to the signal handlers, and one verdict with the fix. lib/cli/doctor.js prints it.
//
// Everything is observed in this process, in the order a user's process goes through it:
// signals read, `require('asherah-warmup')`, `warmup()` (forced, so that Node proves the library
// too), signals read again. The require's own warmup (Bun) is held back so that the warmup runs
// in the explicit call, where its options apply and its error is caught; it is the same call.
// Only the public API and the option/platform helpers are used, never the addon directly.
// Nothing here throws: every failure becomes a problem in the report.

const crypto = require('node:crypto')
const fs = require('node:fs')
const path = require('node:path')
const { spawnSync } = require('node:child_process')
const { performance } = require('node:perf_hooks')
const { libraryName, packageTriple, sumsFileName } = require('./platform')
const { CODES } = require('./errors')

const ROOT = path.join(__dirname, '..')
const SA_ONSTACK = 0x08000000
const SIGNALS = { SIGPIPE: 13, SIGURG: 23, SIGPWR: 30 }
const LIVENESS_TIMEOUT_MS = 5000

// ---- small readers ------------------------------------------------------------------------------

/** SIGPIPE / SIGURG / SIGPWR dispositions from /proc/self/status, or null off linux. */
function readSignals() {
  let text
  try {
    text = fs.readFileSync('/proc/self/status', 'utf8')
  } catch {
    return null
  }
  const mask = (name) => {
    const m = new RegExp(`^${name}:\\s*([0-9a-f]+)$`, 'm').exec(text)
    return m ? BigInt(`0x${m[1]}`) : 0n
  }
  const ignored = mask('SigIgn')
  const caught = mask('SigCgt')
  const out = {}
  for (const [name, number] of Object.entries(SIGNALS)) {
    const bit = 1n << BigInt(number - 1)
    out[name] = ignored & bit ? 'ignored' : caught & bit ? 'caught' : 'default'
  }
  return out
}

/** Files of ours (an addon `.node`, a go-warmup library) mapped into this process, or null off linux. */
function mappedNativeFiles() {
  let text
  try {
    text = fs.readFileSync('/proc/self/maps', 'utf8')
  } catch {
    return null
  }
  const files = new Set()
  for (const line of text.split('\n')) {
    const file = line.split(/\s+/).slice(5).join(' ')
    const base = path.basename(file)
    if (/^asherah-warmup\..*\.node$/.test(base) || /^go-warmup-.*\.(so|dylib)$/.test(base)) files.add(file)
  }
  return [...files]
}

function libc() {
  if (process.platform !== 'linux') return null
  try {
    const header = process.report?.getReport?.()?.header
    if (header?.glibcVersionRuntime) return `glibc ${header.glibcVersionRuntime}`
    if (header) return 'musl'
  } catch {
    // Reported as unknown.
  }
  return null
}

function fileState(file) {
  try {
    const st = fs.statSync(file)
    if (st.isFile()) return { exists: true, reason: null, size: st.size }
    return { exists: false, reason: st.isDirectory() ? 'is a directory' : 'is not a regular file' }
  } catch (err) {
    return { exists: false, reason: err.code === 'ENOENT' ? 'does not exist' : `cannot be read (${err.code})` }
  }
}

function sha256File(file) {
  const started = performance.now()
  const digest = crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex')
  return { digest, ms: performance.now() - started }
}

/** The digest a sums file beside `file` lists for it, with that sums file's path. */
function listedDigest(file) {
  for (const name of ['SHA256SUMS', 'SHA256SUMS-darwin']) {
    const sums = path.join(path.dirname(file), name)
    let text
    try {
      text = fs.readFileSync(sums, 'utf8')
    } catch {
      continue
    }
    for (const line of text.split('\n')) {
      const m = /^([0-9a-fA-F]{64})\s+\*?(?:\.\/)?(.+?)\s*$/.exec(line)
      if (m && m[2] === path.basename(file)) return { digest: m[1].toLowerCase(), from: sums }
    }
  }
  return null
}

const oneLine = (s) => String(s).replace(/^asherah-warmup: /, '').replace(/\s*\n\s*/g, '; ').trim()

/** Splits an error message into what happened and its "Fix: ..." part. */
function splitFix(message) {
  const text = oneLine(message)
  const at = text.indexOf('Fix: ')
  return at === -1 ? { what: text, fix: null } : { what: text.slice(0, at).trim(), fix: text.slice(at + 5).trim() }
}

function bunAtLeast(version, major, minor) {
  const [a, b] = String(version).split('.').map(Number)
  return a > major || (a === major && b >= minor)
}

const hex = (n) => (n === null || n === undefined ? null : `0x${(n >>> 0).toString(16).padStart(8, '0')}`)

// ---- the runtime and the addon -------------------------------------------------------------------

/** Where index.js looks for the addon, in its order, and which of them exist. */
function addonCandidates(api) {
  if (!api || !packageTriple()) return { packageName: null, candidates: [] }
  const { triple, ids } = api._addonCandidates()
  const packageName = `asherah-warmup-${triple}`
  const candidate = (id) => {
    if (path.isAbsolute(id)) {
      const file = path.normalize(id)
      return { id: file, path: file, exists: fileState(file).exists }
    }
    try {
      return { id, path: require.resolve(id, { paths: [ROOT] }), exists: true }
    } catch {
      return { id, path: null, exists: false }
    }
  }
  return { packageName, candidates: ids.map(candidate) }
}

function asherahNodeDir(cwd) {
  try {
    return path.dirname(require.resolve('asherah/package.json', { paths: [ROOT, cwd] }))
  } catch {
    return null
  }
}

// ---- liveness (Bun): the WASM call from the facts file, in a child, after the same warmup ----------

const WASM_BYTES = [0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 127, 3, 2, 1, 0, 7, 5, 1, 1, 102, 0, 0, 10, 34, 1, 32, 1, 1, 127, 65, 0, 33, 0, 2, 64, 3, 64, 32, 0, 65, 1, 106, 33, 0, 32, 0, 65, 144, 206, 0, 72, 13, 0, 11, 11, 32, 0, 11]

function liveness(options, env) {
  const code = [
    `const w = require(${JSON.stringify(ROOT)});`,
    `w.warmup(${JSON.stringify({ ...options, force: true })});`,
    `const wasm = new Uint8Array(${JSON.stringify(WASM_BYTES)});`,
    'new WebAssembly.Instance(new WebAssembly.Module(wasm)).exports.f();',
    "setTimeout(() => console.log('alive'), 50);",
  ].join('\n')
  const started = performance.now()
  const res = spawnSync(process.execPath, ['-e', code], {
    env: { ...env, ASHERAH_VERBOSE: '' },
    encoding: 'utf8',
    timeout: LIVENESS_TIMEOUT_MS,
    killSignal: 'SIGKILL',
  })
  const ms = performance.now() - started
  const alive = res.status === 0 && /^alive$/m.test(res.stdout || '')
  const timedOut = res.error?.code === 'ETIMEDOUT'
  return {
    checked: true,
    alive,
    timedOut,
    ms,
    detail: alive ? null : timedOut ? `no answer within ${LIVENESS_TIMEOUT_MS} ms (event loop hung)` : `exited ${res.status ?? res.signal}: ${oneLine(res.stderr || '').slice(0, 300)}`,
  }
}

// ---- the report ---------------------------------------------------------------------------------

/**
 * @param {{ library?: string, sha256?: string, liveness?: boolean }} flags what `--library` / `--sha256` ask
 *   for, as if the app called `warmup({ library, sha256 })`.
 * @param {{ env: object, cwd?: string }} io
 */
function buildReport(flags = {}, io = { env: process.env }) {
  const env = io.env || process.env
  const cwd = io.cwd || process.cwd()
  // 1. Signals before anything of ours is loaded.
  const signalsBefore = readSignals()
  const mappedBefore = mappedNativeFiles()

  // 2. require('asherah-warmup'), with its own warmup held back (ASHERAH_WARMUP=never for the
  // duration of the require only): the warmup below is the same call, with doctor's options.
  let api = null
  let requireError = null
  const savedMode = process.env.ASHERAH_WARMUP
  const requireStarted = performance.now()
  try {
    process.env.ASHERAH_WARMUP = 'never'
    api = require('..')
  } catch (err) {
    requireError = err
  } finally {
    if (savedMode === undefined) delete process.env.ASHERAH_WARMUP
    else process.env.ASHERAH_WARMUP = savedMode
  }
  const requireMs = performance.now() - requireStarted
  const mappedAfterRequire = mappedNativeFiles()
  // The runtime as index.js sees it (a failed require leaves only the obvious answer).
  const runtime = api?.detectRuntime() ?? { name: process.versions.bun ? 'bun' : 'node', version: process.versions.bun ?? process.versions.node }
  const problems = []
  const problem = (level, code, message, fix) => {
    // One entry per code: a bad setting is often reported by the require and the warmup alike.
    if (problems.some((p) => p.code === code && p.level === level)) return
    problems.push({ level, code, message: oneLine(message), fix: fix ? oneLine(fix) : null })
  }
  const fromError = (err, level = 'fail', context = '') => {
    const { what, fix } = splitFix(err?.message ?? err)
    problem(level, err?.code || 'ERR_ASHERAH_WARMUP_DOCTOR', `${context}${what}`, fix)
  }

  let version = null
  try {
    version = require('../package.json').version
  } catch {
    // Reported as unknown.
  }
  const report = {
    doctor: { package: 'asherah-warmup', version, root: ROOT },
    runtime: { name: runtime.name, version: runtime.version, execPath: process.execPath },
    platform: {
      platform: process.platform,
      arch: process.arch,
      libc: libc(),
      triple: packageTriple(),
      libraryName: libraryName(),
    },
    settings: {
      ASHERAH_WARMUP: env.ASHERAH_WARMUP ?? null,
      ASHERAH_WARMUP_LIBRARY: env.ASHERAH_WARMUP_LIBRARY ?? null,
      ASHERAH_WARMUP_SHA256: env.ASHERAH_WARMUP_SHA256 ?? null,
      ASHERAH_WARMUP_SIGNAL_REPAIR: env.ASHERAH_WARMUP_SIGNAL_REPAIR ?? null,
      mode: null,
      options: { library: flags.library ?? null, sha256: flags.sha256 ?? null },
    },
  }
  if (report.platform.libc === 'musl') {
    problem('fail', CODES.UNSUPPORTED_PLATFORM, 'this is a musl libc system: Go c-shared libraries cannot be dlopened on musl.', 'run under a glibc-based image (Debian, Ubuntu, RHEL); under Node nothing is needed.')
  }


  let needed = null
  try {
    report.settings.mode = require('./options').warmupMode(env)
    needed = api ? api.needsWarmup() : null
  } catch (err) {
    fromError(err)
  }

  // 3. The forced warmup (a no-op returning the settled status if the require already warmed up).
  const warmup = {
    needed,
    why: needed === null ? 'unknown (ASHERAH_WARMUP is invalid)'
      : runtime.name === 'bun' ? (needed ? 'Bun: asherah.node needs a Go runtime started first' : 'ASHERAH_WARMUP=never turned it off')
      : needed ? 'ASHERAH_WARMUP=always' : `${runtime.name === 'node' ? 'Node' : runtime.name} does not need it; forced here to prove the library loads`,
    /** Whether an app's require('asherah-warmup') warms up here (doctor makes the same call explicitly). */
    atRequire: Boolean(needed),
    requireMs,
    ok: false,
    result: null,
    durationMs: null,
    callMs: null,
    library: null,
    source: null,
    verification: null,
    sha256: null,
    calls: 0,
    error: null,
  }
  let status = null
  if (requireError) {
    warmup.error = { code: requireError.code ?? null, message: oneLine(requireError.message) }
    fromError(requireError, 'fail', "require('asherah-warmup') threw: ")
  } else {
    const options = { force: true }
    if (flags.library !== undefined) options.library = flags.library
    if (flags.sha256 !== undefined) options.sha256 = flags.sha256
    const started = performance.now()
    try {
      status = api.warmup(options)
    } catch (err) {
      warmup.error = { code: err.code ?? null, message: oneLine(err.message) }
      const unsupported = err.code === CODES.UNSUPPORTED_PLATFORM && runtime.name !== 'bun'
      fromError(err, unsupported ? 'warning' : 'fail')
    }
    warmup.callMs = performance.now() - started
  }
  // After a failure the addon may still hold a settled status (a Warmup() that returned != 1).
  if (!status && api) {
    try {
      status = api.status()
    } catch {
      status = null
    }
  }
  if (status) {
    Object.assign(warmup, {
      ok: status.warmed === true && status.result === 1,
      result: status.result,
      durationMs: status.durationMs,
      library: status.library,
      source: status.source,
      verification: status.verification,
      sha256: status.sha256,
      calls: status.calls,
    })
  }

  // 4. The addon: where it came from (the mapped file is the truth on linux), and (under Node)
  // that the require itself mapped nothing.
  const addons = addonCandidates(api)
  const mappedAfter = mappedNativeFiles()
  const mappedAddon = mappedAfter?.find((f) => f.endsWith('.node')) ?? null
  report.binding = {
    packageName: addons.packageName,
    loaded: mappedAfter ? Boolean(mappedAddon) : status?.calls > 0,
    path: mappedAddon ?? addons.candidates.find((c) => c.exists)?.path ?? null,
    candidates: addons.candidates,
  }
  const addonFile = report.binding.path
  report.native = { before: mappedBefore, afterRequire: mappedAfterRequire, after: mappedAfter }
  if (runtime.name !== 'bun' && mappedAfterRequire && mappedAfterRequire.length > 0 && !needed) {
    problem('fail', 'ERR_ASHERAH_WARMUP_DOCTOR_NATIVE_ON_REQUIRE', `require('asherah-warmup') under ${runtime.name} mapped ${mappedAfterRequire.join(', ')}; it must load no native file there.`, 'report this as a bug in asherah-warmup.')
  }

  // 5. Library candidates, in the addon's order. An explicit one (option, env) is final.
  const name = libraryName()
  const candidates = []
  const add = (source, file, note) => {
    const state = file ? fileState(file) : { exists: false, reason: note }
    candidates.push({ source, path: file, exists: state.exists, reason: state.exists ? null : state.reason, selected: false })
  }
  if (flags.library !== undefined) add('option', path.resolve(cwd, flags.library))
  else add('option', null, 'not given (--library, or warmup({ library }) in code)')
  const envLibrary = env.ASHERAH_WARMUP_LIBRARY
  if (!envLibrary) add('env', null, 'ASHERAH_WARMUP_LIBRARY is not set')
  else if (!path.isAbsolute(envLibrary)) add('env', envLibrary, 'is a relative path (must be absolute)')
  else add('env', envLibrary)
  const addonDir = addonFile ? path.dirname(addonFile) : null
  if (addonDir && name) add('package', path.join(addonDir, name))
  else add('package', null, 'no addon found to look beside')
  const asherahDir = asherahNodeDir(cwd)
  if (asherahDir && name) add('asherah-node', path.join(asherahDir, 'lib', name))
  else add('asherah-node', null, 'asherah (asherah-node) is not installed here')
  const explicit = candidates.find((c) => (c.source === 'option' || c.source === 'env') && c.path)
  const chosen = warmup.library
    ? candidates.find((c) => c.path === warmup.library)
    : explicit ?? candidates.find((c) => c.exists)
  if (chosen) chosen.selected = true
  report.candidates = candidates

  // 6. Checksum: what the warmup verified, and doctor's own hash against any sums file beside it.
  const checked = warmup.library ?? (chosen?.exists ? chosen.path : null)
  const checksum = {
    file: checked,
    verification: warmup.verification,
    pinned: flags.sha256 ?? env.ASHERAH_WARMUP_SHA256 ?? null,
    sha256: null,
    hashMs: null,
    listed: null,
    listedIn: null,
    matchesListed: null,
    matchesPinned: null,
  }
  if (checked) {
    try {
      const { digest, ms } = sha256File(checked)
      checksum.sha256 = digest
      checksum.hashMs = ms
      const listed = listedDigest(checked)
      if (listed) {
        checksum.listed = listed.digest
        checksum.listedIn = listed.from
        checksum.matchesListed = listed.digest === digest
      }
      if (checksum.pinned && /^[0-9a-f]{64}$/i.test(checksum.pinned)) checksum.matchesPinned = checksum.pinned.toLowerCase() === digest
    } catch (err) {
      checksum.error = oneLine(err.message)
    }
  }
  report.checksum = checksum
  if (checksum.matchesListed === false && !problems.some((p) => p.code === CODES.CHECKSUM_MISMATCH)) {
    problem('fail', CODES.CHECKSUM_MISMATCH, `${checked} has SHA-256 ${checksum.sha256}, but ${checksum.listedIn} lists ${checksum.listed} for it.`, warmup.source === 'package'
      ? 'reinstall asherah-warmup (its platform package was modified after install).'
      : `replace the file with the release build listed in ${path.basename(checksum.listedIn)} (npx asherah-warmup download).`)
  }
  if (warmup.ok && warmup.source === 'asherah-node' && warmup.verification === 'none') {
    problem('warning', 'ERR_ASHERAH_WARMUP_DOCTOR_UNVERIFIED', `${warmup.library} was loaded without a checksum (no ${sumsFileName()} beside it, no pinned digest).`, `pin it with ASHERAH_WARMUP_SHA256=<digest from the release's ${sumsFileName()}>.`)
  }

  // 7. Signals after, and what the warmup's repair report says about SIGPWR.
  const signalsAfter = readSignals()
  const repairEnabled = runtime.name === 'bun' && process.platform === 'linux' && env.ASHERAH_WARMUP_SIGNAL_REPAIR !== '0'
  const rep = status?.signals ?? null
  report.signals = {
    before: signalsBefore,
    after: signalsAfter,
    repair: runtime.name !== 'bun' || process.platform !== 'linux' ? 'not applicable (Bun on linux only)' : repairEnabled ? 'on' : 'off (ASHERAH_WARMUP_SIGNAL_REPAIR=0)',
    sigpwr: rep
      ? {
          flagsAfterGoLoad: hex(rep.sigpwrFlagsBefore),
          flagsAfterRepair: hex(rep.sigpwrFlagsAfter),
          onstackAfterGoLoad: rep.sigpwrFlagsBefore !== null && rep.sigpwrFlagsBefore !== undefined && (rep.sigpwrFlagsBefore & SA_ONSTACK) !== 0,
          onstackCleared: Boolean(rep.sigpwrOnstackCleared),
          onstackNow: rep.sigpwrFlagsAfter !== null && rep.sigpwrFlagsAfter !== undefined && (rep.sigpwrFlagsAfter & SA_ONSTACK) !== 0,
        }
      : null,
    sigpipe: rep
      ? { ignoredAfterGoLoad: rep.sigpipeIgnoredBefore, ignoredAfterRepair: rep.sigpipeIgnoredAfter, restored: Boolean(rep.sigpipeIgnoreRestored) }
      : null,
    report: rep,
  }
  if (runtime.name === 'bun' && process.platform === 'linux' && warmup.ok) {
    const old = !bunAtLeast(runtime.version, 1, 4)
    if (report.signals.sigpwr?.onstackNow) {
      problem(old ? 'fail' : 'warning', 'ERR_ASHERAH_WARMUP_DOCTOR_SIGPWR_ONSTACK', `SIGPWR's handler still has SA_ONSTACK after the warmup${old ? `: Bun ${runtime.version} hangs at its next WASM call or GC thread suspend` : ''}.`, old ? 'unset ASHERAH_WARMUP_SIGNAL_REPAIR, or upgrade Bun to 1.4 or later.' : 'report this as a bug in asherah-warmup.')
    }
    if (signalsBefore?.SIGPIPE === 'ignored' && signalsAfter?.SIGPIPE !== 'ignored') {
      problem(repairEnabled ? 'fail' : 'warning', 'ERR_ASHERAH_WARMUP_DOCTOR_SIGPIPE', `SIGPIPE was ignored before the warmup and is ${signalsAfter?.SIGPIPE} after it (Go took it over).`, repairEnabled ? 'report this as a bug in asherah-warmup.' : 'unset ASHERAH_WARMUP_SIGNAL_REPAIR so the repair puts it back.')
    }
  }

  // 8. Liveness under Bun: the hang the repair exists for, checked in a child with a timeout.
  report.liveness = { checked: false }
  if (runtime.name === 'bun' && warmup.ok && flags.liveness !== false) {
    const options = {}
    if (flags.library !== undefined) options.library = path.resolve(cwd, flags.library)
    if (flags.sha256 !== undefined) options.sha256 = flags.sha256
    report.liveness = liveness(options, env)
    if (!report.liveness.alive) {
      const old = !bunAtLeast(runtime.version, 1, 4)
      problem('fail', 'ERR_ASHERAH_WARMUP_DOCTOR_HANG', `after the warmup, a WASM call and a timer in a fresh Bun ${runtime.version} process: ${report.liveness.detail}.`,
        old && !repairEnabled ? 'unset ASHERAH_WARMUP_SIGNAL_REPAIR (the repair prevents this hang), or upgrade Bun to 1.4 or later.'
          : old ? 'upgrade Bun to 1.4 or later, and report this as a bug in asherah-warmup.'
            : 'report this as a bug in asherah-warmup, with this report.')
    }
  }

  if (runtime.name === 'bun' && needed === false && warmup.ok) {
    problem('warning', 'ERR_ASHERAH_WARMUP_DOCTOR_DISABLED', 'ASHERAH_WARMUP=never: under Bun nothing starts a Go runtime before asherah.node loads.', 'unset ASHERAH_WARMUP (auto) unless something else warms up first.')
  }

  report.warmup = warmup
  report.problems = problems
  report.verdict = verdict(report)
  return report
}

function verdict(report) {
  const fail = report.problems.find((p) => p.level === 'fail')
  const warning = report.problems.find((p) => p.level === 'warning')
  const { runtime, warmup } = report
  const where = warmup.ok ? `Warmup() = 1 from the ${warmup.source} copy in ${warmup.durationMs.toFixed(2)} ms` : 'no warmup'
  if (fail) {
    return { ok: false, level: 'fail', code: fail.code, text: `FAIL ${fail.code}: ${fail.message}${fail.fix ? ` Fix: ${fail.fix}` : ''}`, fix: fail.fix }
  }
  const scope = runtime.name === 'bun'
    ? `under Bun ${runtime.version} the warmup ${warmup.needed ? 'runs on require' : 'is off'}`
    : `${runtime.name === 'node' ? 'Node' : runtime.name} ${runtime.version ?? ''} needs no warmup (require loads nothing native); the library works when forced`
  const base = `OK: ${where}; ${scope.trim()}.`
  if (warning) {
    return { ok: true, level: 'warning', code: warning.code, text: `${base} Warning ${warning.code}: ${warning.message}${warning.fix ? ` Fix: ${warning.fix}` : ''}`, fix: warning.fix }
  }
  const hint = runtime.name === 'bun' ? '' : ' To check Bun, run `bunx --bun asherah-warmup doctor`.'
  return { ok: true, level: 'ok', code: null, text: `${base}${hint}`, fix: null }
}

module.exports = { buildReport, readSignals, mappedNativeFiles, splitFix }
