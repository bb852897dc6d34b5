'use strict'
// The report of `asherah-warmup doctor` (lib/cli/doctor.js prints it). What the package would do
// is the core's own answer, asked without loading anything (api.plan): the candidates, the one
// chosen, how it would be verified, the signal repair, or why it would fail. What it does is
// observed in a child of this same runtime (lib/cli/doctor-probe.js) under a time bound, so a
// library that crashes or hangs its process ends up as a line in the report, never as doctor's
// own end. Nothing here throws: every failure becomes a problem.

const path = require('node:path')
const { spawnSync } = require('node:child_process')
const { runtime, signalRepairSupported } = require('./runtime')
const { packageTriple, libraryName } = require('./platform')
const { CODES } = require('./errors')

const DEFAULT_TIMEOUT_MS = 10000
const SETTINGS = ['ASHERAH_WARMUP', 'ASHERAH_WARMUP_LIBRARY', 'ASHERAH_WARMUP_SHA256', 'ASHERAH_WARMUP_SIGNAL_REPAIR']
const VERIFIED_BY = {
  pinned: (plan) => `the pinned digest ${plan.expectedSha256}`,
  'sums-file': (plan) => `${plan.sumsFile} line ${plan.sumsLine} (${plan.expectedSha256})`,
  'package-manager': () => 'the package manager at install (not hashed at start)',
  none: () => 'NOTHING (no sums file beside it, no pinned digest)',
}
const REPLACE =
  'replace it with the release build (asherah-warmup download), or reinstall asherah-warmup; if it is the release build, report this with this output.'

/** A problem from an error message, split into what happened and its "Fix: ..." part. */
function problem(level, code, message) {
  const text = String(message)
    .replace(/^asherah-warmup: /, '')
    .replace(/\s*\n\s*/g, '; ')
    .trim()
  const at = text.indexOf('Fix: ')
  // The loader's refusals of a damaged file name no fix of their own.
  const fix = at === -1 ? (code === CODES.LOAD_FAILED ? REPLACE : null) : text.slice(at + 5)
  return { level, code, message: at === -1 ? text : text.slice(0, at).trim(), fix }
}

/** The plan in one sentence, as it applies to Bun (the plan does not depend on the runtime). */
function underBun(plan) {
  if (!plan) return 'under Bun nothing could be loaded here'
  if (plan.errorCode) return `under Bun this would fail with ${plan.errorCode}`
  return `under Bun this would load ${plan.library} (${plan.source}), verified by ${VERIFIED_BY[plan.verification](plan)}`
}

/** The addon file this process loaded: the first of addon.js's candidates that resolves. */
function addonPath() {
  for (const id of require('./addon').addonCandidates().ids) {
    try {
      return require.resolve(id)
    } catch {
      // Not this one.
    }
  }
  return null
}

/** The real load in a child process, bounded by `timeoutMs`; its crash, hang or error becomes a problem. */
function probe(choice, { timeoutMs = DEFAULT_TIMEOUT_MS, liveness = true }, plan, add) {
  const started = performance.now()
  const child = spawnSync(process.execPath, [path.join(__dirname, 'cli', 'doctor-probe.js'), JSON.stringify({ choice, liveness })], {
    encoding: 'utf8',
    timeout: timeoutMs,
    killSignal: 'SIGKILL',
    env: { ...process.env, ASHERAH_VERBOSE: '' },
  })
  const lines = `${child.stdout ?? ''}`
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line))
  const warmed = lines.find((line) => line.step === 'warmed')
  const result = {
    ran: true,
    ms: performance.now() - started,
    timeoutMs,
    exitCode: child.status,
    signal: child.signal,
    timedOut: child.error?.code === 'ETIMEDOUT',
    warmup: warmed?.status ?? null,
    error: warmed?.error ?? null,
    signals: warmed?.signals ?? null,
    alive: lines.some((line) => line.step === 'alive'),
    stderr: `${child.stderr ?? ''}`.trim().split('\n').slice(-3).join('\n'),
  }
  const where = `a fresh ${runtime.name} ${runtime.version} process loading ${plan.library}`
  if (result.timedOut && warmed) {
    add(
      'fail',
      'ERR_ASHERAH_WARMUP_DOCTOR_HANG',
      `after the warmup, a WebAssembly call and a timer did not finish within ${timeoutMs} ms in ${where}: its event loop hung. Fix: ${
        signalRepairSupported() && !plan.signalRepair
          ? 'unset ASHERAH_WARMUP_SIGNAL_REPAIR (the repair prevents this hang), or upgrade Bun to 1.4 or later.'
          : 'upgrade Bun to 1.4 or later, and report this as a bug in asherah-warmup with this output.'
      }`,
    )
  } else if (result.timedOut) {
    add(
      'fail',
      'ERR_ASHERAH_WARMUP_DOCTOR_HANG',
      `${where} gave no answer within ${timeoutMs} ms: the load or Warmup() hangs, and would hang an app the same way. Fix: ${REPLACE}`,
    )
  } else if (warmed?.error) {
    add('fail', warmed.error.code, warmed.error.message)
  } else if (child.signal || child.status !== 0 || !warmed) {
    const how = child.signal ? `was killed by ${child.signal}` : `exited with code ${child.status}`
    add(
      'fail',
      'ERR_ASHERAH_WARMUP_DOCTOR_PROBE_CRASHED',
      `${where} ${how} ${warmed ? 'after the warmup' : 'before warmup() returned'}${result.stderr ? ` (stderr: ${result.stderr.split('\n').pop()})` : ''}; an app would crash the same way. Fix: ${REPLACE}`,
    )
  }
  return result
}

/**
 * @param {{ library?: string, sha256?: string, timeoutMs?: number, liveness?: boolean }} flags
 *   `library` and `sha256` as an app would pass them to warmup().
 */
function buildReport(flags = {}) {
  const problems = []
  const add = (level, code, message) => problems.some((p) => p.code === code) || problems.push(problem(level, code, message))
  const choice = Object.fromEntries(['library', 'sha256'].filter((key) => flags[key] !== undefined).map((key) => [key, flags[key]]))
  const env = process.env
  const report = {
    doctor: { version: require('../package.json').version, root: path.join(__dirname, '..') },
    runtime: {
      ...runtime,
      execPath: process.execPath,
      // bunx without --bun, or `bun run` of a script with a node shebang, runs doctor under Node.
      startedByBun: runtime.name !== 'bun' && /\bbun\//.test(`${env.npm_config_user_agent} ${path.basename(env.npm_execpath ?? '')}/`),
    },
    platform: { platform: process.platform, arch: process.arch, triple: packageTriple(), libraryName: libraryName() },
    settings: { ...Object.fromEntries(SETTINGS.map((name) => [name, env[name] || null])), mode: null, options: choice },
    addon: null,
    plan: null,
  }
  try {
    report.settings.mode = require('./options').warmupMode()
  } catch (err) {
    add('fail', err.code, err.message)
  }
  try {
    report.plan = require('./api').plan(choice)
    report.addon = addonPath()
  } catch (err) {
    // No addon for this platform: under Node nothing is needed, so that is only a warning.
    add(err.code === CODES.UNSUPPORTED_PLATFORM && runtime.name !== 'bun' ? 'warning' : 'fail', err.code, err.message)
  }
  const plan = report.plan
  // The explicit choice is final: when the plan refuses it, it is still the one that was chosen.
  const explicit = choice.library !== undefined ? path.resolve(choice.library) : env.ASHERAH_WARMUP_LIBRARY
  report.chosen = plan?.library ?? (plan?.tried.some((t) => t.path === explicit) ? null : (explicit ?? null))
  if (plan?.errorCode) add('fail', plan.errorCode, plan.errorMessage)
  report.probe = plan && !plan.errorCode ? probe(choice, flags, plan, add) : { ran: false }
  if (plan?.verification === 'none') {
    add(
      'warning',
      'ERR_ASHERAH_WARMUP_DOCTOR_UNVERIFIED',
      `${plan.library} is loaded unverified (no sums file beside it, no pinned digest). Fix: pin it with ASHERAH_WARMUP_SHA256=<its digest from the release's sums file>.`,
    )
  }
  const signals = report.probe.signals
  if (signalRepairSupported() && signals?.before?.SIGPIPE === 'ignored' && signals.after?.SIGPIPE !== 'ignored') {
    add(
      plan.signalRepair ? 'fail' : 'warning',
      'ERR_ASHERAH_WARMUP_DOCTOR_SIGPIPE',
      `SIGPIPE was ignored before the warmup and is ${signals.after.SIGPIPE} after it (Go took it over, so a write to a closed pipe can kill the process). Fix: ${
        plan.signalRepair ? 'report this as a bug in asherah-warmup.' : 'unset ASHERAH_WARMUP_SIGNAL_REPAIR so that the repair puts it back.'
      }`,
    )
  }
  if (runtime.name === 'bun' && report.settings.mode === 'never') {
    add(
      'warning',
      'ERR_ASHERAH_WARMUP_DOCTOR_DISABLED',
      'ASHERAH_WARMUP=never: under Bun nothing starts a Go runtime before asherah.node loads. Fix: unset ASHERAH_WARMUP (auto), unless something else warms up first.',
    )
  }
  report.problems = problems
  report.verdict = verdict(report)
  return { ok: report.verdict.ok, ...report }
}

function verdict({ problems, plan, probe: { warmup }, runtime: rt }) {
  const first = problems.find((p) => p.level === 'fail') ?? problems[0]
  const named = first ? `${first.code}: ${first.message}${first.fix ? ` Fix: ${first.fix}` : ''}` : ''
  if (first?.level === 'fail') return { ok: false, level: 'fail', code: first.code, fix: first.fix, text: `FAIL ${named}` }
  const loaded = warmup ? `Warmup() = 1 from the ${warmup.source} copy in ${warmup.durationMs.toFixed(2)} ms in a probe process; ` : ''
  const scope =
    rt.name === 'bun'
      ? `under Bun ${rt.version} the warmup ${plan?.needed ? 'runs on require' : 'is off'}`
      : `${rt.name} ${rt.version} needs no warmup; ${underBun(plan)}. To check Bun itself, run \`bunx --bun asherah-warmup doctor\``
  const text = `OK: ${loaded}${scope}.${first ? ` Warning ${named}` : ''}`
  return { ok: true, level: first ? 'warning' : 'ok', code: first?.code ?? null, fix: first?.fix ?? null, text }
}

module.exports = { buildReport, underBun, VERIFIED_BY }
