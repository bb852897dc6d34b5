'use strict'
// `asherah-warmup doctor`: prints lib/doctor.js's report, or --json, and exits 0 when healthy.

const { buildReport, underBun, VERIFIED_BY } = require('../doctor')

const summary = 'Check that the warmup works here, and say what to fix if not'

const usage = `Usage: asherah-warmup doctor [options]

Prints what asherah-warmup would do, as its core decides without loading anything (the library
candidates in order, the one chosen, how it is verified, the signal repair, or why it would fail),
then does the real load (warmup, Warmup(), signals, a WebAssembly call and a timer) in a child
process of the same runtime under a time bound, so a crash or hang there is reported, not suffered.
\`npx asherah-warmup doctor\` checks Node (and says what Bun would load); \`bunx --bun ...\` checks Bun.

  --json              print the report as one JSON object
  --library <path>    check this library, as warmup({ library }) would load it
  --sha256 <hex>      check against this digest, as warmup({ sha256 }) would
  --timeout-ms <n>    bound on the child process (default 10000)
  --no-liveness       skip the WebAssembly call and timer after the warmup

Reads the ASHERAH_WARMUP* variables like the package does. Exit codes: 0 healthy (warnings
included), 1 something is wrong (the verdict names the code and the fix), 2 usage error.
`

const options = {
  json: { type: 'boolean' },
  library: { type: 'string' },
  sha256: { type: 'string' },
  'timeout-ms': { type: 'string' },
  'no-liveness': { type: 'boolean' },
}

const states = (s) => (s ? `SIGPIPE ${s.SIGPIPE}, SIGPWR ${s.SIGPWR}, SIGURG ${s.SIGURG}` : 'not readable here')
const hex = (n) => `0x${(n >>> 0).toString(16).padStart(8, '0')}`

/** The human-readable report: one labelled block per part, the verdict last. */
function format(r) {
  const lines = [`asherah-warmup doctor ${r.doctor.version}`, '']
  const row = (label, text) => lines.push(`${label.padEnd(12)} ${text}`)
  const more = (text) => row('', text)
  row('runtime', `${r.runtime.name} ${r.runtime.version} (${r.runtime.execPath})`)
  if (r.runtime.startedByBun) more(`started through bun, but running under ${r.runtime.name}: \`bunx --bun asherah-warmup doctor\` checks Bun`)
  row('platform', `${r.platform.platform}-${r.platform.arch}, package triple ${r.platform.triple ?? 'none'}, library ${r.platform.libraryName ?? 'none'}`)
  row('addon', r.addon ?? 'not loaded')
  const s = r.settings
  row(
    'settings',
    `ASHERAH_WARMUP=${s.ASHERAH_WARMUP ?? '(unset)'} -> ${s.mode ?? 'invalid'}, ASHERAH_WARMUP_SIGNAL_REPAIR=${s.ASHERAH_WARMUP_SIGNAL_REPAIR ?? '(unset)'}`,
  )
  more(`ASHERAH_WARMUP_LIBRARY=${s.ASHERAH_WARMUP_LIBRARY ?? '(unset)'}, ASHERAH_WARMUP_SHA256=${s.ASHERAH_WARMUP_SHA256 ?? '(unset)'}`)
  const p = r.plan
  if (p) {
    row('plan', 'as the core decides it, nothing loaded:')
    for (const t of p.tried) more(`  passed over  ${t.source.padEnd(12)} ${t.path}: ${t.reason}`)
    more(`  chosen       ${r.chosen ?? 'none'}${p.source ? ` (${p.source})` : ''}`)
    more(`  verified by  ${p.verification ? VERIFIED_BY[p.verification](p) : '-'}`)
    if (p.errorCode) more(`  refused      ${p.errorCode}`)
    more(`  signal repair ${p.signalRepair ? 'on' : r.runtime.name === 'bun' ? 'off' : `not applicable under ${r.runtime.name}`}`)
  }
  if (r.runtime.name !== 'bun') row('under Bun', `${underBun(p).replace(/^under Bun /, '')}`)
  const x = r.probe
  if (x.ran) {
    row(
      'probe',
      `${r.runtime.name} child process: ${x.timedOut ? `KILLED after ${x.timeoutMs} ms` : x.signal ? `killed by ${x.signal}` : `exit ${x.exitCode}`} in ${x.ms.toFixed(0)} ms`,
    )
    const w = x.warmup
    if (w?.warmed) more(`Warmup() = ${w.result} from ${w.library} (${w.source}, ${w.verification}) in ${w.durationMs.toFixed(2)} ms; calls: ${w.calls}`)
    if (x.error) more(`warmup() threw ${x.error.code}`)
    if (x.signals) more(`signals before: ${states(x.signals.before)}; after: ${states(x.signals.after)}`)
    const report = w?.signals
    if (report?.sigpwrFlagsBefore != null)
      more(`SIGPWR sa_flags ${hex(report.sigpwrFlagsBefore)} after the Go load -> ${hex(report.sigpwrFlagsAfter)} after the repair`)
    if (x.alive) more('a WebAssembly call and a timer ran after the warmup')
  }
  // Every problem but the one the verdict names.
  for (const q of r.problems) {
    if (q.code !== r.verdict.code) row(q.level, `${q.code}: ${q.message}${q.fix ? ` Fix: ${q.fix}` : ''}`)
  }
  lines.push('')
  row('verdict', r.verdict.text)
  return `${lines.join('\n')}\n`
}

function run(values, io) {
  const timeoutMs = values['timeout-ms'] === undefined ? undefined : Number(values['timeout-ms'])
  if (timeoutMs !== undefined && !(Number.isInteger(timeoutMs) && timeoutMs > 0)) {
    io.stderr.write(
      `asherah-warmup doctor: ERR_ASHERAH_WARMUP_INVALID_OPTION: --timeout-ms must be a positive integer, got ${JSON.stringify(values['timeout-ms'])}\n`,
    )
    return 2
  }
  const report = buildReport({ library: values.library, sha256: values.sha256, timeoutMs, liveness: !values['no-liveness'] })
  io.stdout.write(values.json ? `${JSON.stringify(report)}\n` : format(report))
  return report.verdict.ok ? 0 : 1
}

module.exports = { summary, usage, options, run, format }
