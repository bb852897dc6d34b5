'use strict'
// `asherah-warmup doctor [options]`, the one command: the core's plan (api.plan), then the real load in a child of this same runtime
// (doctor-probe.js). buildReport never throws: failures are problems. `options`, util.parseArgs's table, also writes the usage.

const fs = require('node:fs')
const path = require('node:path')
const { spawnSync } = require('node:child_process')
const { parseArgs } = require('node:util')
const { load: loadAddon } = require('../addon')
const api = require('../api')
const { CODES } = require('../codes')
const { asherahFolder, repairSupported, warmupMode } = require('../options')
const { packageTriple, libraryName } = require('../platforms')
const runtime = api.detectRuntime()

const about = `Prints the asherah installed here and whether it needs the warmup (before 4, under Bun), what
asherah-warmup would load and how it verifies it (nothing loaded), then does the real load, a
WebAssembly call and a timer in a child of this runtime under a time bound: a crash or hang is
reported, not suffered. \`npx asherah-warmup doctor\` checks Node; \`bunx --bun ...\` checks Bun.`
const options = {
  json: { type: 'boolean', help: 'print the report as one JSON object, the last line of stdout' },
  'timeout-ms': { type: 'string', arg: '<n>', default: '10000', help: 'bound on the child process' },
}
const notes = `Reads the ASHERAH_WARMUP* variables like the package does: to check a library or digest an app passes
to warmup(), set ASHERAH_WARMUP_LIBRARY or ASHERAH_WARMUP_SHA256. Exit codes: 0 healthy (warnings included),
1 something is wrong (the verdict names the code and the fix), 2 usage error.`

const SETTINGS = ['ASHERAH_WARMUP', 'ASHERAH_WARMUP_LIBRARY', 'ASHERAH_WARMUP_SHA256', 'ASHERAH_WARMUP_SIGNAL_REPAIR']
const VERIFIED_BY = {
  pinned: (plan) => `the pinned digest ${plan.expectedSha256}`,
  'sums-file': (plan) => `${plan.sumsFile} line ${plan.sumsLine} (${plan.expectedSha256})`,
  'package-manager': () => 'the package manager at install (not hashed at start)',
  none: () => 'NOTHING (no sums file beside it, no pinned digest)',
}
/** The fix for a library that fails to load, crashes or hangs: the release build, which the platform package carries. */
const REPLACE = `use the release build from the platform package: reinstall asherah-warmup with its optional dependencies (npm install --include=optional), or install asherah-warmup-${packageTriple()} by name; if that is the library used, report this with this output.`
const DOCTOR = (name) => `ERR_ASHERAH_WARMUP_DOCTOR_${name}`
const describe = (problem) => `${problem.code}: ${problem.message}${problem.fix ? ` Fix: ${problem.fix}` : ''}`

/** The real load in a child, killed after `timeoutMs` so that its crash or hang is a problem like its error. */
function probe(timeoutMs, plan, add) {
  const started = performance.now()
  // The project's preloads (NODE_OPTIONS, bunfig.toml) run in the child too and may print anything, and much (spawnSync kills a child past 1 MiB on a stream
  // by default, hence 64 MiB): the probe's own lines start with a tag no one else knows. Not an extra fd: Bun's spawnSync returns none.
  const tag = `asherah-warmup-doctor:${require('node:crypto').randomUUID()} `
  const bounds = { encoding: 'utf8', timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 64 * 2 ** 20 }
  const child = spawnSync(process.execPath, [path.join(__dirname, 'doctor-probe.js'), tag], { ...bounds, env: { ...process.env, ASHERAH_VERBOSE: '' } })
  const lines = child.stdout.split('\n').filter((line) => line.startsWith(tag))
  const { warmed, alive = false } = Object.assign({}, ...lines.map((line) => JSON.parse(line.slice(tag.length))))
  const stderr = child.stderr.trim().split('\n').slice(-3).join('\n').slice(-2000)
  const timedOut = child.error?.code === 'ETIMEDOUT'
  const where = `a fresh ${runtime.name} ${runtime.version} process loading ${plan.library}`
  if (timedOut && warmed) {
    const fix =
      repairSupported && !plan.signalRepair
        ? 'unset ASHERAH_WARMUP_SIGNAL_REPAIR (the repair prevents this hang), or upgrade Bun to 1.4 or later.'
        : 'upgrade Bun to 1.4 or later, and report this as a bug in asherah-warmup with this output.'
    add('fail', DOCTOR('HANG'), `after the warmup, a WebAssembly call and a timer did not finish within ${timeoutMs} ms in ${where}: its event loop hung.`, fix)
  } else if (timedOut) {
    add('fail', DOCTOR('HANG'), `${where} gave no answer within ${timeoutMs} ms: the load or Warmup() hangs, and would hang an app the same way.`, REPLACE)
  } else if (warmed?.error) {
    add('fail', warmed.error.code, warmed.error.message)
  } else if (child.signal || child.status !== 0 || !warmed) {
    const how = `${child.signal ? `was killed by ${child.signal}` : `exited with code ${child.status}`} ${warmed ? 'after the warmup' : 'before warmup() returned'}`
    const said = stderr ? ` (stderr: ${stderr.split('\n').pop()})` : ''
    add('fail', DOCTOR('PROBE_CRASHED'), `${where} ${how}${said}; an app would crash the same way.`, REPLACE)
  }
  const outcome = { ran: true, ms: performance.now() - started, timeoutMs, exitCode: child.status, signal: child.signal, timedOut }
  return { ...outcome, warmup: null, error: null, signals: null, ...warmed, alive, stderr }
}

/** The asherah an app in `cwd` would require. 4.0.0 on (prereleases too) is a Rust rewrite with no Go runtime; older, or no x.y.z version, is Go-based. */
function installedAsherah(cwd) {
  const folder = asherahFolder(path.join(cwd, 'app.js'))
  if (!folder) return null
  let version = null
  try {
    version = JSON.parse(fs.readFileSync(path.join(folder, 'package.json'), 'utf8')).version ?? null
  } catch {}
  const major = typeof version === 'string' ? /^(\d+)\.\d+\.\d+/.exec(version)?.[1] : undefined
  return { version, path: folder, needsWarmup: !(Number(major) >= 4) }
}

/** The report for the app in `cwd`, the probe killed after `timeoutMs`. */
function buildReport(timeoutMs, cwd) {
  const problems = []
  /** A problem, once per code; a message without a `fix` is split at its "Fix: ". */
  const add = (level, code, message, fix) => {
    if (problems.some((p) => p.code === code)) return
    const [, what, fixed] = /^\s*(.*?)\s*(?:Fix: (.*?))?\s*$/s.exec(`${message}`.replace(/^asherah-warmup: /, '').replace(/\s*\n\s*/g, '; '))
    // The loader's refusals of a damaged file name no fix of their own.
    problems.push({ level, code, message: what, fix: fix ?? fixed ?? (code === CODES.LOAD_FAILED ? REPLACE : null) })
  }
  const report = {
    doctor: { version: require('../../package.json').version, root: path.join(__dirname, '..', '..') },
    runtime: { ...runtime, execPath: process.execPath },
    platform: { platform: process.platform, arch: process.arch, triple: packageTriple(), libraryName: libraryName() },
    settings: { ...Object.fromEntries(SETTINGS.map((name) => [name, process.env[name] || null])), mode: null },
    addon: null,
    asherah: installedAsherah(cwd),
    plan: null,
  }
  if (report.asherah?.needsWarmup === false) {
    const fix = 'uninstall asherah-warmup and drop its require and its register preload (require asherah as it is).'
    add('warning', DOCTOR('NOT_NEEDED'), `asherah ${report.asherah.version} uses no Go runtime: remove asherah-warmup.`, fix)
  }
  try {
    report.settings.mode = warmupMode()
  } catch (err) {
    add('fail', err.code, err.message)
  }
  try {
    report.plan = api.plan()
    report.addon = loadAddon().addonFile() ?? null
  } catch (err) {
    // No addon for this platform: under Node nothing is needed, so that is only a warning.
    add(err.code === CODES.UNSUPPORTED_PLATFORM && runtime.name !== 'bun' ? 'warning' : 'fail', err.code, err.message)
  }
  const { plan, settings } = report
  // The plan's library, refused or not (an explicit choice is final); none where there is no plan.
  report.chosen = plan?.library ?? null
  if (plan?.errorCode) add('fail', plan.errorCode, plan.errorMessage)
  report.probe = plan && !plan.errorCode ? probe(timeoutMs, plan, add) : { ran: false }
  if (plan?.verification === 'none') {
    const fix = "pin it with ASHERAH_WARMUP_SHA256=<its digest from the release's sums file>."
    add('warning', DOCTOR('UNVERIFIED'), `${plan.library} is loaded unverified (no sums file beside it, no pinned digest).`, fix)
  }
  const { signals, warmup } = report.probe
  if (repairSupported && signals?.before?.SIGPIPE === 'ignored' && signals.after.SIGPIPE !== 'ignored') {
    const what = `SIGPIPE was ignored before the warmup and is ${signals.after.SIGPIPE} after it (Go took it over, so a write to a closed pipe can kill the process).`
    const fix = plan.signalRepair ? 'report this as a bug in asherah-warmup.' : 'unset ASHERAH_WARMUP_SIGNAL_REPAIR so that the repair puts it back.'
    add(plan.signalRepair ? 'fail' : 'warning', DOCTOR('SIGPIPE'), what, fix)
  }
  if (runtime.name === 'bun' && settings.mode === 'never') {
    const what = `ASHERAH_WARMUP=never: under Bun nothing starts a Go runtime before asherah.node loads, nor repairs the signal handlers after it${repairSupported ? ' (Bun before 1.4 then hangs at the next WebAssembly call)' : ''}.`
    const fix = 'unset ASHERAH_WARMUP (auto), unless the app calls warmup({ force: true }) before asherah loads.'
    add('warning', DOCTOR('DISABLED'), what, fix)
  }
  const first = problems.find((p) => p.level === 'fail') ?? problems[0]
  const ok = first?.level !== 'fail'
  const text = ok ? `OK: ${healthy(plan, warmup)}.${first ? ` Warning ${describe(first)}` : ''}` : `FAIL ${describe(first)}`
  return { ok, ...report, problems, verdict: { ok, level: first?.level ?? 'ok', code: first?.code ?? null, fix: first?.fix ?? null, text } }
}

/** What an OK verdict says: the probe's warmup, and what applies to this runtime. */
function healthy(plan, warmup) {
  const loaded = warmup ? `Warmup() = 1 from the ${warmup.source} copy in ${warmup.durationMs.toFixed(2)} ms in a probe process; ` : ''
  if (runtime.name === 'bun') return `${loaded}under Bun ${runtime.version} the warmup ${plan?.needed ? 'runs on require' : 'is off'}`
  // A plan with an error is a FAIL, never this; the plan does not depend on the runtime.
  const bun = plan ? `this would load ${plan.library} (${plan.source}), verified by ${VERIFIED_BY[plan.verification](plan)}` : 'nothing could be loaded here'
  return `${loaded}${runtime.name} ${runtime.version} needs no warmup; under Bun ${bun}. To check Bun itself, run \`bunx --bun asherah-warmup doctor\``
}

/** The human-readable report: one labelled block per part, the verdict last. */
function format(r) {
  const lines = [`asherah-warmup doctor ${r.doctor.version}`, '']
  const row = (label, text) => lines.push(`${label.padEnd(12)} ${text}`)
  const more = (text) => row('', text)
  const { runtime: rt, platform: pf, settings: s, asherah: a, plan: p, probe: x } = r
  const setting = (name) => `${name}=${s[name] ?? '(unset)'}`
  const states = (t) => (t ? `SIGPIPE ${t.SIGPIPE}, SIGPWR ${t.SIGPWR}, SIGURG ${t.SIGURG}` : 'not readable here')
  row('runtime', `${rt.name} ${rt.version} (${rt.execPath})`)
  row('platform', `${pf.platform}-${pf.arch}, package triple ${pf.triple ?? 'none'}, library ${pf.libraryName ?? 'none'}`)
  row('addon', r.addon ?? 'not loaded')
  const needs = a?.needsWarmup ? 'Go-based: under Bun it needs the warmup' : 'uses no Go runtime: needs no warmup'
  row('asherah', a ? `${a.version ?? 'version unknown'} in ${a.path}, ${needs}` : 'not installed (no node_modules/asherah from the working directory up)')
  row('settings', `${setting('ASHERAH_WARMUP')} -> ${s.mode ?? 'invalid'}, ${setting('ASHERAH_WARMUP_SIGNAL_REPAIR')}`)
  more(`${setting('ASHERAH_WARMUP_LIBRARY')}, ${setting('ASHERAH_WARMUP_SHA256')}`)
  if (p) {
    row('plan', 'as the core decides it, nothing loaded:')
    for (const t of p.tried) more(`  passed over  ${t.source.padEnd(12)} ${t.path}: ${t.reason}`)
    more(`  chosen       ${r.chosen ?? 'none'}${p.source ? ` (${p.source})` : ''}`)
    more(`  verified by  ${p.verification ? VERIFIED_BY[p.verification](p) : '-'}`)
    if (p.errorCode) more(`  refused      ${p.errorCode}`)
    const off = `off (${s.mode === 'never' ? 'ASHERAH_WARMUP=never' : 'ASHERAH_WARMUP_SIGNAL_REPAIR'})`
    more(`  signal repair ${p.signalRepair ? 'on' : repairSupported ? off : `not needed under ${rt.name} on ${process.platform}`}`)
  }
  if (x.ran) {
    const end = x.timedOut ? `KILLED after ${x.timeoutMs} ms` : x.signal ? `killed by ${x.signal}` : `exit ${x.exitCode}`
    row('probe', `${rt.name} child process: ${end} in ${x.ms.toFixed(0)} ms`)
    const w = x.warmup
    if (w?.warmed) more(`Warmup() = ${w.result} from ${w.library} (${w.source}, ${w.verification}) in ${w.durationMs.toFixed(2)} ms; calls: ${w.calls}`)
    if (x.error) more(`warmup() threw ${x.error.code}`)
    if (x.signals) more(`signals before: ${states(x.signals.before)}; after: ${states(x.signals.after)}`)
    if (x.alive) more('a WebAssembly call and a timer ran after the warmup')
  }
  for (const q of r.problems) if (q.code !== r.verdict.code) row(q.level, describe(q))
  lines.push('')
  row('verdict', r.verdict.text)
  return `${lines.join('\n')}\n`
}

/** The usage: `about`, a row per option, `notes`. */
function usage() {
  const rows = Object.entries(options).map(([name, o]) => `  ${`--${name} ${o.arg ?? ''}`.padEnd(19)}  ${o.help}${o.default ? ` (default ${o.default})` : ''}`)
  return `Usage: asherah-warmup doctor [options]\n\n${about}\n\n${rows.join('\n')}\n  --help               print this text\n\n${notes}\n`
}

/** `asherah-warmup <args>`; resolves to the exit code: 0 done, 1 failed, 2 usage error (unknown command or option). */
async function main([name, ...args], io) {
  const end = (code, text) => {
    ;(code === 0 ? io.stdout : io.stderr).write(text)
    return code
  }
  const usageError = (message) => end(2, `asherah-warmup doctor: ${CODES.INVALID_OPTION}: ${message}\n`)
  const help = ['--help', '-h', 'help'].includes(name)
  if (help || name === undefined) return end(help ? 0 : 2, usage())
  if (name !== 'doctor') return end(2, `asherah-warmup: unknown command ${JSON.stringify(name)}\n\n${usage()}`)
  let values
  try {
    ;({ values } = parseArgs({ args, options: { ...options, help: { type: 'boolean', short: 'h' } } }))
  } catch (err) {
    return usageError(`${err.message}\nRun \`asherah-warmup doctor --help\` for the options.`)
  }
  if (values.help) return end(0, usage())
  const timeoutMs = Number(values['timeout-ms'])
  if (!(Number.isInteger(timeoutMs) && timeoutMs > 0)) return usageError(`--timeout-ms must be a positive integer, got ${JSON.stringify(values['timeout-ms'])}`)
  const report = buildReport(timeoutMs, io.cwd)
  // A line of its own, whatever a project preload printed before it without a newline.
  io.stdout.write(values.json ? `\n${JSON.stringify(report)}\n` : format(report))
  return report.verdict.ok ? 0 : 1
}

module.exports = { main, options, format }
