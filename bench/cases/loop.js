'use strict'
// Repeat calls: after the first warmup, time N more warmup() (and status()) calls, in batches.
// BENCH_LOOP_FORCE=0 skips the forced first warmup: Node's "not needed" path, no native load.
const warmup = require('asherah-warmup')
if (process.env.BENCH_LOOP_FORCE !== '0' && !warmup.warmup({ force: true }).warmed) throw new Error('not warmed')
// Each batch runs for about BENCH_LOOP_MS (default 50 ms) or BENCH_LOOP_N calls, whichever ends
// first, so a slow path cannot stall the run; the figure is the median batch's ns per call.
const N = Number(process.env.BENCH_LOOP_N || 1000000)
const BUDGET_NS = BigInt(Number(process.env.BENCH_LOOP_MS || 50) * 1e6)
let sink = 0
const perCall = (fn) => {
  const batches = []
  for (let b = 0; b < 7; b++) {
    const t0 = process.hrtime.bigint()
    let calls = 0
    let elapsed = 0n
    while (calls < N) {
      for (let i = 0; i < 1000 && calls < N; i++, calls++) sink += fn().calls + 1
      elapsed = process.hrtime.bigint() - t0
      if (elapsed > BUDGET_NS) break
    }
    batches.push(Number(elapsed) / calls)
  }
  batches.sort((x, y) => x - y)
  return batches[3]
}
const warmupNs = perCall(() => warmup.warmup())
const statusNs = perCall(() => warmup.status())
process.stdout.write(`${JSON.stringify({ warmupNs, statusNs, sink: sink > 0 })}\n`)
