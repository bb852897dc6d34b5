'use strict'
// `asherah-warmup doctor`: checks that the warmup works in this runtime, on this machine, and
// prints what it found (lib/doctor.js builds the report) with a one-line verdict and its fix.

const summary = 'Check that the warmup works here, and say what to fix if not'

const USAGE = `Usage: asherah-warmup doctor [options]

Loads asherah-warmup the way an app does (require, then warmup(), forced so that Node proves
the library loads too) and reports: the runtime and platform, which addon loaded from where,
every go-warmup library candidate and whether it exists, the checksum, the warmup's result
and time, the signal handlers before and after (SIGPWR flags, SIGPIPE), and, under Bun, that
a WASM call and a timer still run after the warmup. Ends with one verdict line.

Run it with the runtime you deploy on: \`npx asherah-warmup doctor\` checks Node,
\`bunx --bun asherah-warmup doctor\` (or \`bun node_modules/.bin/asherah-warmup doctor\`) checks Bun.

Options:
  --json              print the report as one JSON object on stdout
  --library <path>    check this library, as warmup({ library }) would load it
  --sha256 <hex>      check against this digest, as warmup({ sha256 }) would
  --no-liveness       skip the WASM-and-timer check in a child process (Bun)
  -h, --help          print this help

Reads ASHERAH_WARMUP, ASHERAH_WARMUP_LIBRARY, ASHERAH_WARMUP_SHA256 and
ASHERAH_WARMUP_SIGNAL_REPAIR like the package does.

Exit codes: 0 healthy (warnings included), 1 something is wrong (the verdict names the
error code and the fix), 2 usage error.
`

const USAGE_CODE = 'ERR_ASHERAH_WARMUP_INVALID_OPTION'

function parseArgs(argv) {
  const flags = { json: false, help: false, liveness: true }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1
    const name = eq === -1 ? arg : arg.slice(0, eq)
    const takeValue = () => {
      const value = eq !== -1 ? arg.slice(eq + 1) : argv[++i]
      if (value === undefined || value === '') throw Object.assign(new Error(`${name} needs a value`), { code: USAGE_CODE })
      return value
    }
    if (name === '--json' && eq === -1) flags.json = true
    else if ((name === '--help' || name === '-h') && eq === -1) flags.help = true
    else if (name === '--no-liveness' && eq === -1) flags.liveness = false
    else if (name === '--library') flags.library = takeValue()
    else if (name === '--sha256') flags.sha256 = takeValue()
    else throw Object.assign(new Error(arg.startsWith('-') ? `unknown option ${arg}` : `unexpected argument ${JSON.stringify(arg)}`), { code: USAGE_CODE })
  }
  return flags
}

const ms = (n) => (typeof n === 'number' ? `${n.toFixed(2)} ms` : '-')
const or = (v, fallback) => (v === null || v === undefined || v === '' ? fallback : v)

function signalLine(s) {
  if (!s) return 'not readable here (no /proc/self/status)'
  return `SIGPIPE ${s.SIGPIPE}, SIGPWR ${s.SIGPWR}, SIGURG ${s.SIGURG}`
}

/** The human-readable report: one labelled block per check, the verdict last. */
function format(r) {
  const lines = []
  const row = (label, text) => lines.push(`${label.padEnd(12)} ${text}`)
  const more = (text) => lines.push(`${''.padEnd(12)} ${text}`)
  lines.push(`asherah-warmup doctor ${or(r.doctor.version, '')}`.trim(), '')

  row('runtime', `${r.runtime.name} ${or(r.runtime.version, '?')} (${r.runtime.execPath})`)
  const p = r.platform
  row('platform', `${p.platform}-${p.arch}, ${or(p.libc, 'libc unknown')}; package triple ${or(p.triple, 'none (unsupported)')}, library ${or(p.libraryName, 'none')}`)
  if (r.binding.loaded) row('addon', `${r.binding.path} (loaded)`)
  else row('addon', `not loaded${r.binding.path ? ` (would load ${r.binding.path})` : ''}`)
  for (const c of r.binding.candidates) more(`  ${c.exists ? 'found  ' : 'missing'} ${c.id}${c.path && c.path !== c.id ? `: ${c.path}` : ''}`)
  if (r.native.afterRequire && r.runtime.name !== 'bun') {
    more(r.native.afterRequire.length
      ? `after require: ${r.native.afterRequire.length} native file(s) mapped`
      : 'after require: no native file of ours mapped')
  }
  const s = r.settings
  row('settings', `ASHERAH_WARMUP=${or(s.ASHERAH_WARMUP, '(unset)')} -> ${or(s.mode, 'invalid')}` +
    `, ASHERAH_WARMUP_SIGNAL_REPAIR=${or(s.ASHERAH_WARMUP_SIGNAL_REPAIR, '(unset)')}`)
  more(`ASHERAH_WARMUP_LIBRARY=${or(s.ASHERAH_WARMUP_LIBRARY, '(unset)')}, ASHERAH_WARMUP_SHA256=${or(s.ASHERAH_WARMUP_SHA256, '(unset)')}`)

  row('libraries', 'candidates in search order (an explicit option or env path is final):')
  for (const c of r.candidates) {
    const state = c.path ? (c.exists ? 'exists ' : 'MISSING') : '-      '
    const where = c.path ? `${c.path}${c.exists ? '' : ` (${c.reason})`}` : c.reason
    more(`  ${c.source.padEnd(12)} ${state} ${where}${c.selected ? '  <- used' : ''}`)
  }

  const k = r.checksum
  if (k.file) {
    row('checksum', `sha256 ${or(k.sha256, '?')} (doctor hashed it in ${ms(k.hashMs)})`)
    const how = {
      pinned: 'verified against the pinned digest before loading',
      'sums-file': 'verified against the sums file beside it before loading',
      'package-manager': 'shipped beside the addon: checked by the package manager at install, not re-hashed at start',
      none: 'NOT verified (no sums file beside it, no pinned digest)',
    }[k.verification]
    if (how) more(`warmup: ${how}`)
    if (k.listedIn) more(`doctor: ${k.matchesListed ? 'matches' : 'DOES NOT MATCH'} ${k.listedIn}`)
    if (k.matchesPinned !== null) more(`doctor: ${k.matchesPinned ? 'matches' : 'DOES NOT MATCH'} the pinned digest ${k.pinned}`)
  } else {
    row('checksum', 'no library file to check')
  }

  const w = r.warmup
  row('warmup', `needed here: ${w.needed === null ? 'unknown' : w.needed ? 'yes, on require' : 'no'} (${w.why})`)
  if (w.ok) {
    more(`Warmup() = ${w.result} from ${w.library} (${w.source}) in ${ms(w.durationMs)}` +
      `, call took ${ms(w.callMs)}; calls: ${w.calls}`)
  } else if (w.error) {
    more(`failed: ${w.error.code}: ${w.error.message}`)
  } else if (w.result !== null) {
    more(`Warmup() returned ${w.result}, expected 1`)
  }

  const g = r.signals
  row('signals', `before: ${signalLine(g.before)}`)
  more(`after:  ${signalLine(g.after)}`)
  more(`repair: ${g.repair}`)
  if (r.runtime.name !== 'bun' && g.before?.SIGPIPE !== g.after?.SIGPIPE && r.warmup.ok) {
    more(`(the change is doctor's own forced warmup: under ${r.runtime.name} an app loads no Go code from this package)`)
  }
  if (g.sigpwr) {
    more(`SIGPWR sa_flags ${g.sigpwr.flagsAfterGoLoad} after the Go load -> ${g.sigpwr.flagsAfterRepair} after the repair` +
      ` (SA_ONSTACK ${g.sigpwr.onstackNow ? 'STILL SET' : g.sigpwr.onstackCleared ? 'cleared' : 'not set'})`)
  } else if (r.runtime.name === 'bun') {
    more(r.warmup.calls > 0
      ? 'SIGPWR sa_flags: not read (no repair ran; the addon has no read-only snapshot)'
      : 'SIGPWR sa_flags: not read (no Go code was loaded)')
  }
  if (g.sigpipe) {
    more(`SIGPIPE ${g.sigpipe.ignoredAfterGoLoad ? 'still ignored' : 'taken by Go'} after the Go load -> ` +
      `${g.sigpipe.ignoredAfterRepair ? 'ignored' : 'NOT ignored'} after the repair`)
  }

  if (r.liveness.checked) {
    row('liveness', r.liveness.alive
      ? `a WASM call and a timer ran after the warmup in a fresh Bun process (${ms(r.liveness.ms)} in all)`
      : `HUNG: ${r.liveness.detail}`)
  }

  // Every problem but the one the verdict names.
  const named = r.problems.find((q) => q.code === r.verdict.code && q.level === r.verdict.level)
  for (const q of r.problems) {
    if (q !== named) row(q.level, `${q.code}: ${q.message}${q.fix ? ` Fix: ${q.fix}` : ''}`)
  }
  lines.push('')
  row('verdict', r.verdict.text)
  return `${lines.join('\n')}\n`
}

async function run(argv, io) {
  let flags
  try {
    flags = parseArgs(argv)
  } catch (e) {
    io.stderr.write(`asherah-warmup doctor: ${e.code}: ${e.message}\nRun \`asherah-warmup doctor --help\` for the options.\n`)
    return 2
  }
  if (flags.help) {
    io.stdout.write(USAGE)
    return 0
  }
  const report = require('../doctor').buildReport(flags, io)
  if (flags.json) io.stdout.write(`${JSON.stringify({ ok: report.verdict.ok, ...report })}\n`)
  else io.stdout.write(format(report))
  return report.verdict.ok ? 0 : 1
}

module.exports = { run, summary, parseArgs, format, USAGE }
