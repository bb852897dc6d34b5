#!/usr/bin/env node
'use strict'
// Prints the README's table: Bun version x scenario -> alive or hangs, with and without the
// signal repair. Needs scripts/setup.sh, scripts/build.sh and scripts/build-fixtures.sh first.
//   node scripts/signal-matrix.js [--timeout-ms 5000]

const path = require('node:path')
const { SCENARIOS, BUN_MATRIX, runScenario, inBatches } = require('./lib/signal-scenarios')

const { values } = require('node:util').parseArgs({ options: { 'timeout-ms': { type: 'string', default: '5000' } } })
const timeoutMs = Number(values['timeout-ms'])

const bun = (version) => path.join(__dirname, '..', '.tools', 'bin', `bun-${version}`)

async function main() {
  const cells = []
  for (const scenario of Object.keys(SCENARIOS)) {
    for (const version of BUN_MATRIX) {
      for (const repair of scenario === 'none' ? [true] : [true, false]) {
        cells.push({ scenario, version, repair })
      }
    }
  }
  const results = await inBatches(
    cells.map((cell) => () => runScenario({ runtime: bun(cell.version), scenario: cell.scenario, repair: cell.repair, timeoutMs })),
    3,
  )
  const verdict = (cell) => {
    const r = results[cells.indexOf(cell)]
    return r.alive ? `alive (${Math.round(r.ms)} ms)` : `**hangs** (no output in ${timeoutMs / 1000} s)`
  }
  const find = (scenario, version, repair) => cells.find((c) => c.scenario === scenario && c.version === version && c.repair === repair)

  const rows = [`| scenario | repair | ${BUN_MATRIX.map((v) => `Bun ${v}`).join(' | ')} |`, `|---|---|${BUN_MATRIX.map(() => '---').join('|')}|`]
  for (const [scenario, description] of Object.entries(SCENARIOS)) {
    for (const repair of scenario === 'none' ? [true] : [true, false]) {
      const label = scenario === 'none' ? 'n/a' : repair ? 'on' : 'off (`ASHERAH_WARMUP_SIGNAL_REPAIR=0`)'
      rows.push(`| ${description} | ${label} | ${BUN_MATRIX.map((v) => verdict(find(scenario, v, repair))).join(' | ')} |`)
    }
  }
  console.log(rows.join('\n'))
}

main()
